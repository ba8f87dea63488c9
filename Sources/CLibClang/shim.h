#ifndef LADDER_CLIBCLANG_SHIM_H
#define LADDER_CLIBCLANG_SHIM_H
#if !defined(LADDER_HAVE_LIBCLANG) || !__has_include(<clang-c/Index.h>)
#error "ladder needs libclang >= 17 from Debian: run scripts/setup (installs libclang-19-dev) or set LIBCLANG_PREFIX=/usr/lib/llvm-NN"
#endif
#include <clang-c/Index.h>
#include <clang-c/CXCompilationDatabase.h>
#endif
