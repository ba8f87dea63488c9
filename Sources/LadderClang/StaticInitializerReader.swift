import CLibClang
import LadderCore

/// The main file's file-scope variables that have an initialiser, each with its initialiser
/// list, found in one walk over the translation unit for every reader that needs them
/// (`CallbackTableReader`, `StaticInitializerReader`). A variable a macro declares
/// (`DEFINE_SIMPLE_DEV_PM_OPS(…)`, `SENSOR_DEVICE_ATTR_RO(…)`) is spelt in a header but
/// belongs to the file using it.
struct FileScopeInitializers {
    let declarations: [(decl: Cursor, list: Cursor)]

    init(tu: CXTranslationUnit, map: SourceMap, mainFile: String) {
        let root = Cursor(clang_getTranslationUnitCursor(tu))
        let main = clang_getFile(tu, mainFile)
        var found: [(Cursor, Cursor)] = []
        for decl in root.children where decl.kind == CXCursor_VarDecl && Self.isExpanded(decl, in: main, map: map) {
            for child in decl.children where child.kind == CXCursor_InitListExpr {
                found.append((decl, child))
            }
        }
        declarations = found
    }

    private static func isExpanded(_ decl: Cursor, in main: CXFile?, map: SourceMap) -> Bool {
        if map.isInMainFile(decl) { return true }
        guard let main else { return false }
        var file: CXFile?
        clang_getExpansionLocation(clang_getCursorLocation(decl.raw), &file, nil, nil, nil)
        guard let file else { return false }
        return clang_File_isEqual(file, main) != 0
    }
}

/// The file-scope initialisers that name other file-scope objects (`StaticInitializer`):
/// `static const struct attribute_group g = { .attrs = g_attrs };` and
/// `static struct attribute *g_attrs[] = { &sensor_dev_attr_in5_input.dev_attr.attr, …, NULL };`.
/// An element is an address of a file-scope object or of a member of one (`.`, never `->`,
/// through casts and parentheses); anything else leaves the array unknown.
///
/// Not read: positional struct initialisers, chained designators (`.a.b = x`), arrays of
/// arrays, and initialisers inside function bodies.
struct StaticInitializerReader {
    let initializers: FileScopeInitializers

    func read() -> [StaticInitializer] {
        initializers.declarations.compactMap { decl, list in
            var fields: [String: String] = [:]
            var designated: [String] = []
            for element in list.children {
                let parts = element.children
                guard parts.count == 2, parts[0].kind == CXCursor_MemberRef else { continue }
                designated.append(parts[0].spelling)
                if let name = Self.globalName(Self.strip(parts[1])) { fields[parts[0].spelling] = name }
            }
            let addresses = decl.type.canonical.kind == CXType_ConstantArray || decl.type.canonical.kind == CXType_IncompleteArray
                ? Self.addresses(list) : nil
            guard !fields.isEmpty || addresses?.isEmpty == false else { return nil }
            return StaticInitializer(name: decl.spelling, fields: fields, addresses: addresses, designated: designated)
        }
    }

    private static func addresses(_ list: Cursor) -> [AccessPath]? {
        var found: [AccessPath] = []
        for element in list.children {
            let value = strip(element)
            // Only a literal is evaluated: libclang's evaluator crashes on some initialiser
            // lists (an empty `{}` row of an array of arrays of structs, dw_mmc-k3's timing
            // table), and an address list holds nothing else but NULL.
            if value.kind == CXCursor_IntegerLiteral, value.integerValue == 0 { continue }
            guard value.kind == CXCursor_UnaryOperator, value.unaryOperator == CXUnaryOperator_AddrOf,
                  let place = value.children.first.flatMap({ Self.place(strip($0)) }) else { return nil }
            found.append(place.appending(.addressOf))
        }
        return found
    }

    /// `x`, `x.a`, `x.a.b` with `x` a file-scope variable.
    private static func place(_ c: Cursor) -> AccessPath? {
        if let name = globalName(c) { return AccessPath(variable: Variable(name, .global)) }
        guard c.kind == CXCursor_MemberRefExpr,
              let base = c.children.first(where: { clang_isExpression($0.kind) != 0 }),
              base.type.canonical.kind != CXType_Pointer,
              let inner = place(strip(base)) else { return nil }
        return inner.appending(.field(c.spelling, arrow: false))
    }

    /// The name of the file-scope variable `c` refers to, if it is one.
    private static func globalName(_ c: Cursor) -> String? {
        guard c.kind == CXCursor_DeclRefExpr else { return nil }
        let declaration = c.referenced
        guard declaration.kind == CXCursor_VarDecl, declaration.declaresGlobal else { return nil }
        return c.spelling
    }

    /// Parentheses and casts, implicit (unexposed) or written.
    private static func strip(_ c: Cursor) -> Cursor {
        var c = c
        while c.kind == CXCursor_ParenExpr || c.kind == CXCursor_UnexposedExpr || c.kind == CXCursor_CStyleCastExpr {
            let children = c.children.filter { clang_isExpression($0.kind) != 0 }
            guard children.count == 1 else { return c }
            c = children[0]
        }
        return c
    }
}
