// libclang, loaded on first use rather than when the process starts.
//
// Linked as a shared library, libclang brings libLLVM with it: about 28 ms of relocation,
// page faults and static constructors in every process, before main. A lint whose files all
// come from the cache never parses, and a run with file workers parses only in them, so the
// driver paid that on the critical path for nothing. Each libclang function ladder calls
// (LibClangFunctions.h) is defined here with libclang's own prototype, which the headers
// check, and forwards to the real one.
//
// The definitions are hidden (CINDEX_NO_EXPORTS, and the target is built with
// -fvisibility=hidden): exported from the executable, they would also catch libclang's own
// calls to its public functions, which the dynamic loader resolves executable first.

#define CINDEX_NO_EXPORTS 1
#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "CLibClangLoader.h"

#ifndef LADDER_LIBCLANG_PATH
#error "Package.swift defines LADDER_LIBCLANG_PATH, the libclang the build found"
#endif

// Every function is looked up when the library is loaded, so that a libclang without one
// (older than ladder needs) is a load failure a caller can report, not a stub's exit.
static const char *const function_names[] = {
#define LADDER_FUNCTION(ret, name, params, args) #name,
#define LADDER_VOID_FUNCTION(name, params, args) #name,
#include "LibClangFunctions.h"
#undef LADDER_FUNCTION
#undef LADDER_VOID_FUNCTION
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void *library;
// Written once, inside `once`, before `library`; read by any thread.
static _Atomic(const char *) loaded_from = LADDER_LIBCLANG_PATH;
static char failure[1024];

// LADDER_LIBCLANG names another library; it is used as named, or not at all.
static const char *chosen(void) {
    const char *named = getenv("LADDER_LIBCLANG");
    return named && *named ? named : NULL;
}

static void *open_library(void) {
    const char *named = chosen();
    if (named) {
        atomic_store(&loaded_from, named);
        void *handle = dlopen(named, RTLD_NOW | RTLD_LOCAL);
        if (!handle) snprintf(failure, sizeof failure, "%s", dlerror());
        return handle;
    }
    void *handle = dlopen(LADDER_LIBCLANG_PATH, RTLD_NOW | RTLD_LOCAL);
    if (handle) return handle;
    // The same library by its file name alone, wherever the loader finds it.
    const char *name = LADDER_LIBCLANG_PATH;
    for (const char *p = name; *p; p++)
        if (*p == '/') name = p + 1;
    snprintf(failure, sizeof failure, "%s", dlerror());
    handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (handle) atomic_store(&loaded_from, name);
    return handle;
}

static void load(void) {
    void *handle = open_library();
    if (!handle) return;
    for (size_t i = 0; i < sizeof function_names / sizeof function_names[0]; i++) {
        if (!dlsym(handle, function_names[i])) {
            snprintf(failure, sizeof failure, "it has no %s: ladder needs libclang 17 or later", function_names[i]);
            dlclose(handle);
            return;
        }
    }
    library = handle;
}

const char *ladder_libclang_path(void) {
    const char *named = chosen();
    return named ? named : atomic_load(&loaded_from);
}

const char *ladder_libclang_load(void) {
    pthread_once(&once, load);
    return library ? NULL : failure;
}

// A stub cannot return an error to its caller, and the caller cannot go on without
// libclang: the process ends, saying which library and why. Callers ask
// `ladder_libclang_load` first (Frontend, OptionProbe), so this is for a caller that did not.
static void *resolved(_Atomic(void *) *slot, const char *name) {
    void *function = atomic_load_explicit(slot, memory_order_acquire);
    if (function) return function;
    const char *problem = ladder_libclang_load();
    if (problem) {
        fprintf(stderr, "ladder: error: cannot load libclang (%s): %s\n", ladder_libclang_path(), problem);
        exit(2);
    }
    // Present: `load` looked every function up.
    function = dlsym(library, name);
    atomic_store_explicit(slot, function, memory_order_release);
    return function;
}

#define LADDER_FUNCTION(ret, name, params, args)                            \
    ret name params {                                                       \
        static _Atomic(void *) slot;                                        \
        return ((ret(*) params)resolved(&slot, #name)) args;                \
    }
#define LADDER_VOID_FUNCTION(name, params, args)                            \
    void name params {                                                      \
        static _Atomic(void *) slot;                                        \
        ((void(*) params)resolved(&slot, #name)) args;                      \
    }
#include "LibClangFunctions.h"
