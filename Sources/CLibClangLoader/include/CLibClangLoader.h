#ifndef LADDER_CLIBCLANGLOADER_H
#define LADDER_CLIBCLANGLOADER_H

/// The libclang this binary loads the first time it calls into libclang: `LADDER_LIBCLANG`
/// if set, else the library the build found (`/usr/lib/llvm-NN/lib/libclang-NN.so.NN`),
/// else the same name on the loader's search path.
const char *ladder_libclang_path(void);

/// Loads libclang if it is not loaded yet. NULL once it is; otherwise the loader's words
/// for why it cannot be (a missing file, a missing symbol).
const char *ladder_libclang_load(void);

#endif
