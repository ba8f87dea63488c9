// libclang, loaded on first use rather than when the process starts.
//
// Linked as a shared library, libclang brings libLLVM with it: about 18 ms of relocation,
// page faults and static constructors in every process, before main. A lint whose files all
// come from the cache never parses, and a run with file workers parses only in them, so the
// driver paid that on the critical path for nothing. Each libclang function ladder calls is
// defined here with libclang's own prototype (the headers check it) and forwards to the
// real one, looked up once. A function called for the first time needs a line below; the
// link fails with "undefined reference to clang_…" until it has one.

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

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void *library;
static const char *loaded_from = LADDER_LIBCLANG_PATH;
static char failure[1024];

// LADDER_LIBCLANG names another library; it is used as named, or not at all.
static const char *chosen(void) {
    const char *named = getenv("LADDER_LIBCLANG");
    return named && *named ? named : NULL;
}

static void load(void) {
    const char *named = chosen();
    if (named) {
        loaded_from = named;
        library = dlopen(named, RTLD_NOW | RTLD_LOCAL);
        if (!library) snprintf(failure, sizeof failure, "%s", dlerror());
        return;
    }
    library = dlopen(LADDER_LIBCLANG_PATH, RTLD_NOW | RTLD_LOCAL);
    if (library) return;
    // The same library by its file name alone, wherever the loader finds it.
    const char *name = LADDER_LIBCLANG_PATH;
    for (const char *p = name; *p; p++)
        if (*p == '/') name = p + 1;
    char first[512];
    snprintf(first, sizeof first, "%s", dlerror());
    library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library) {
        loaded_from = name;
        return;
    }
    snprintf(failure, sizeof failure, "%s", first);
}

const char *ladder_libclang_path(void) {
    const char *named = chosen();
    return named ? named : loaded_from;
}

const char *ladder_libclang_load(void) {
    pthread_once(&once, load);
    return library ? NULL : failure;
}

// A stub cannot return an error to its caller, and the caller cannot go on without
// libclang: the process ends, saying which library and why. `ladder_libclang_load`
// lets a caller ask first.
static void *resolved(_Atomic(void *) *slot, const char *name) {
    void *function = atomic_load_explicit(slot, memory_order_acquire);
    if (function) return function;
    const char *problem = ladder_libclang_load();
    if (problem) {
        fprintf(stderr, "ladder: error: cannot load libclang (%s): %s\n", ladder_libclang_path(), problem);
        exit(2);
    }
    function = dlsym(library, name);
    if (!function) {
        fprintf(stderr, "ladder: error: %s has no %s: ladder needs libclang 17 or later\n", loaded_from, name);
        exit(2);
    }
    atomic_store_explicit(slot, function, memory_order_release);
    return function;
}

#define FORWARD(ret, name, params, args)                                   \
    ret name params {                                                       \
        static _Atomic(void *) slot;                                        \
        return ((ret(*) params)resolved(&slot, #name)) args;                \
    }
#define FORWARD_VOID(name, params, args)                                    \
    void name params {                                                      \
        static _Atomic(void *) slot;                                        \
        ((void(*) params)resolved(&slot, #name)) args;                      \
    }

FORWARD(CXEvalResult, clang_Cursor_Evaluate, (CXCursor a), (a))
FORWARD(CXCursor, clang_Cursor_getArgument, (CXCursor a, unsigned b), (a, b))
FORWARD(int, clang_Cursor_getNumArguments, (CXCursor a), (a))
FORWARD(enum CX_StorageClass, clang_Cursor_getStorageClass, (CXCursor a), (a))
FORWARD(int, clang_Cursor_isNull, (CXCursor a), (a))
FORWARD_VOID(clang_EvalResult_dispose, (CXEvalResult a), (a))
FORWARD(long long, clang_EvalResult_getAsLongLong, (CXEvalResult a), (a))
FORWARD(unsigned long long, clang_EvalResult_getAsUnsigned, (CXEvalResult a), (a))
FORWARD(CXEvalResultKind, clang_EvalResult_getKind, (CXEvalResult a), (a))
FORWARD(unsigned, clang_EvalResult_isUnsignedInt, (CXEvalResult a), (a))
FORWARD(int, clang_File_isEqual, (CXFile a, CXFile b), (a, b))
FORWARD(int, clang_Location_isFromMainFile, (CXSourceLocation a), (a))
FORWARD(CXIndex, clang_createIndex, (int a, int b), (a, b))
FORWARD(CXIndex, clang_createIndexWithOptions, (const CXIndexOptions *a), (a))
FORWARD_VOID(clang_disposeDiagnostic, (CXDiagnostic a), (a))
FORWARD_VOID(clang_disposeIndex, (CXIndex a), (a))
FORWARD_VOID(clang_disposeString, (CXString a), (a))
FORWARD_VOID(clang_disposeTokens, (CXTranslationUnit a, CXToken *b, unsigned c), (a, b, c))
FORWARD_VOID(clang_disposeTranslationUnit, (CXTranslationUnit a), (a))
FORWARD(const char *, clang_getCString, (CXString a), (a))
FORWARD(CXType, clang_getCanonicalType, (CXType a), (a))
FORWARD(CXString, clang_getClangVersion, (void), ())
FORWARD(enum CXBinaryOperatorKind, clang_getCursorBinaryOperatorKind, (CXCursor a), (a))
FORWARD(CXSourceRange, clang_getCursorExtent, (CXCursor a), (a))
FORWARD(enum CXCursorKind, clang_getCursorKind, (CXCursor a), (a))
FORWARD(CXSourceLocation, clang_getCursorLocation, (CXCursor a), (a))
FORWARD(CXString, clang_getCursorPrettyPrinted, (CXCursor a, CXPrintingPolicy b), (a, b))
FORWARD(CXCursor, clang_getCursorReferenced, (CXCursor a), (a))
FORWARD(CXCursor, clang_getCursorSemanticParent, (CXCursor a), (a))
FORWARD(CXString, clang_getCursorSpelling, (CXCursor a), (a))
FORWARD(CXType, clang_getCursorType, (CXCursor a), (a))
FORWARD(enum CXUnaryOperatorKind, clang_getCursorUnaryOperatorKind, (CXCursor a), (a))
FORWARD(CXDiagnostic, clang_getDiagnostic, (CXTranslationUnit a, unsigned b), (a, b))
FORWARD(CXSourceLocation, clang_getDiagnosticLocation, (CXDiagnostic a), (a))
FORWARD(CXString, clang_getDiagnosticOption, (CXDiagnostic a, CXString *b), (a, b))
FORWARD(enum CXDiagnosticSeverity, clang_getDiagnosticSeverity, (CXDiagnostic a), (a))
FORWARD(CXString, clang_getDiagnosticSpelling, (CXDiagnostic a), (a))
FORWARD_VOID(clang_getExpansionLocation, (CXSourceLocation a, CXFile *b, unsigned *c, unsigned *d, unsigned *e), (a, b, c, d, e))
FORWARD(CXFile, clang_getFile, (CXTranslationUnit a, const char *b), (a, b))
FORWARD(const char *, clang_getFileContents, (CXTranslationUnit a, CXFile b, size_t *c), (a, b, c))
FORWARD_VOID(clang_getFileLocation, (CXSourceLocation a, CXFile *b, unsigned *c, unsigned *d, unsigned *e), (a, b, c, d, e))
FORWARD(CXString, clang_getFileName, (CXFile a), (a))
FORWARD_VOID(clang_getInclusions, (CXTranslationUnit a, CXInclusionVisitor b, CXClientData c), (a, b, c))
FORWARD(CXSourceLocation, clang_getLocation, (CXTranslationUnit a, CXFile b, unsigned c, unsigned d), (a, b, c, d))
FORWARD(unsigned, clang_getNumDiagnostics, (CXTranslationUnit a), (a))
FORWARD(CXType, clang_getPointeeType, (CXType a), (a))
FORWARD(CXSourceRange, clang_getRange, (CXSourceLocation a, CXSourceLocation b), (a, b))
FORWARD(CXSourceLocation, clang_getRangeEnd, (CXSourceRange a), (a))
FORWARD(CXSourceLocation, clang_getRangeStart, (CXSourceRange a), (a))
FORWARD(CXType, clang_getResultType, (CXType a), (a))
FORWARD_VOID(clang_getSpellingLocation, (CXSourceLocation a, CXFile *b, unsigned *c, unsigned *d, unsigned *e), (a, b, c, d, e))
FORWARD(CXString, clang_getTokenSpelling, (CXTranslationUnit a, CXToken b), (a, b))
FORWARD(CXCursor, clang_getTranslationUnitCursor, (CXTranslationUnit a), (a))
FORWARD(CXString, clang_getTranslationUnitSpelling, (CXTranslationUnit a), (a))
FORWARD(CXString, clang_getTypeSpelling, (CXType a), (a))
FORWARD(unsigned, clang_hashCursor, (CXCursor a), (a))
FORWARD(unsigned, clang_isCursorDefinition, (CXCursor a), (a))
FORWARD(unsigned, clang_isExpression, (enum CXCursorKind a), (a))
FORWARD(unsigned, clang_isStatement, (enum CXCursorKind a), (a))
FORWARD(enum CXErrorCode, clang_parseTranslationUnit2, (CXIndex a, const char *b, const char *const *c, int d, struct CXUnsavedFile *e, unsigned f, unsigned g, CXTranslationUnit *h), (a, b, c, d, e, f, g, h))
FORWARD_VOID(clang_tokenize, (CXTranslationUnit a, CXSourceRange b, CXToken **c, unsigned *d), (a, b, c, d))
FORWARD(unsigned, clang_visitChildren, (CXCursor a, CXCursorVisitor b, CXClientData c), (a, b, c))
