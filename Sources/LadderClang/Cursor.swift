import CLibClang

/// A thin, value-typed view of a libclang cursor. Only LadderClang sees libclang types.
struct Cursor {
    let raw: CXCursor

    init(_ raw: CXCursor) { self.raw = raw }

    var kind: CXCursorKind { clang_getCursorKind(raw) }
    var isNull: Bool { clang_Cursor_isNull(raw) != 0 }
    var spelling: String { clang_getCursorSpelling(raw).consume() }
    var type: CXType { clang_getCursorType(raw) }
    var referenced: Cursor { Cursor(clang_getCursorReferenced(raw)) }
    var semanticParent: Cursor { Cursor(clang_getCursorSemanticParent(raw)) }
    var extent: CXSourceRange { clang_getCursorExtent(raw) }
    var isDefinition: Bool { clang_isCursorDefinition(raw) != 0 }

    var children: [Cursor] {
        var result: [Cursor] = []
        withUnsafeMutablePointer(to: &result) { pointer in
            _ = clang_visitChildren(raw, { child, _, data in
                data!.assumingMemoryBound(to: [Cursor].self).pointee.append(Cursor(child))
                return CXChildVisit_Continue
            }, pointer)
        }
        return result
    }

    /// Whether this cursor or one below it satisfies `test`.
    func contains(where test: (Cursor) -> Bool) -> Bool {
        test(self) || children.contains { $0.contains(where: test) }
    }

    var binaryOperator: CXBinaryOperatorKind { clang_getCursorBinaryOperatorKind(raw) }
    var unaryOperator: CXUnaryOperatorKind { clang_getCursorUnaryOperatorKind(raw) }

    var storageClass: CX_StorageClass { clang_Cursor_getStorageClass(raw) }

    /// A variable declaration that names one object for the whole program or file: at file
    /// scope, or `static`/`extern` inside a function (lowered as a file-scope object of its
    /// name, `Variable.Storage.global`).
    var declaresGlobal: Bool {
        semanticParent.kind == CXCursor_TranslationUnit || storageClass == CX_SC_Static || storageClass == CX_SC_Extern
    }

    var arguments: [Cursor]? {
        let n = clang_Cursor_getNumArguments(raw)
        guard n >= 0 else { return nil }
        return (0..<n).map { Cursor(clang_Cursor_getArgument(raw, UInt32($0))) }
    }

    /// Folds the cursor to an integer when libclang can (literals, enumerators, sizeof).
    var integerValue: Int64? {
        guard let result = clang_Cursor_Evaluate(raw) else { return nil }
        defer { clang_EvalResult_dispose(result) }
        guard clang_EvalResult_getKind(result) == CXEval_Int else { return nil }
        if clang_EvalResult_isUnsignedInt(result) != 0 {
            return Int64(bitPattern: UInt64(clang_EvalResult_getAsUnsigned(result)))
        }
        return Int64(clang_EvalResult_getAsLongLong(result))
    }

    /// The attribute names and arguments on this declaration, as raw token spellings
    /// (`cleanup`, `(`, `kfree_ptr`, `)`), for attributes libclang leaves unexposed.
    func tokens(in tu: CXTranslationUnit) -> [String] {
        tokens(in: tu, range: extent)
    }

    /// The tokens from the cursor's start up to `location` (a declaration's name): its
    /// specifiers and attributes, without a body to read.
    func tokens(in tu: CXTranslationUnit, upTo location: CXSourceLocation) -> [String] {
        tokens(in: tu, range: clang_getRange(clang_getRangeStart(extent), location))
    }

    private func tokens(in tu: CXTranslationUnit, range: CXSourceRange) -> [String] {
        var tokens: UnsafeMutablePointer<CXToken>?
        var count: UInt32 = 0
        clang_tokenize(tu, range, &tokens, &count)
        guard let tokens else { return [] }
        defer { clang_disposeTokens(tu, tokens, count) }
        return (0..<Int(count)).map { clang_getTokenSpelling(tu, tokens[$0]).consume() }
    }
}

extension CXString {
    /// Copies the string out and disposes libclang's copy.
    func consume() -> String {
        defer { clang_disposeString(self) }
        guard let c = clang_getCString(self) else { return "" }
        return String(cString: c)
    }
}

extension CXType {
    var spelling: String { clang_getTypeSpelling(self).consume() }
    var canonical: CXType { clang_getCanonicalType(self) }
    var pointee: CXType { clang_getPointeeType(self) }
    var isPointerLike: Bool {
        let k = canonical.kind
        return k == CXType_Pointer || k == CXType_BlockPointer || k == CXType_IncompleteArray
            || k == CXType_ConstantArray
    }
}
