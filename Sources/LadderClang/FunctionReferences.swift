import CLibClang

/// The functions of a translation unit whose address is taken in its main file: named
/// anywhere but as the callee of a direct call (`.unlock = demo_unlock` in an ops table, a
/// callback argument, `p->context.ra = (uint64)forkret`). Such a function has callers the
/// file does not show, so what it expects of them cannot be checked against the calls in view.
///
/// Counted rather than matched: each direct call names its callee exactly once, so a
/// function named more often than it is called directly is named somewhere else too.
struct FunctionReferences {
    let tu: CXTranslationUnit

    func addressTaken() -> Set<String> {
        let counts = Counts()
        let root = Cursor(clang_getTranslationUnitCursor(tu))
        let mainFile = clang_getFile(tu, clang_getTranslationUnitSpelling(tu).consume())
        for decl in root.children {
            let location = clang_getCursorLocation(decl.raw)
            if clang_Location_isFromMainFile(location) != 0 {
                Self.count(decl.raw, into: counts)
            } else if Self.isExpanded(location, in: mainFile) {
                Self.countTables(decl.raw, into: counts)
            }
        }
        return Set(counts.named.compactMap { name, n in n > counts.called[name, default: 0] ? name : nil })
    }

    private final class Counts {
        var named: [String: Int] = [:]
        var called: [String: Int] = [:]
    }

    private static func count(_ root: CXCursor, into counts: Counts) {
        withExtendedLifetime(counts) {
            _ = clang_visitChildren(root, { cursor, _, data in
                let counts = Unmanaged<Counts>.fromOpaque(data!).takeUnretainedValue()
                let kind = clang_getCursorKind(cursor)
                if kind == CXCursor_DeclRefExpr || kind == CXCursor_CallExpr {
                    let target = clang_getCursorReferenced(cursor)
                    if clang_getCursorKind(target) == CXCursor_FunctionDecl {
                        let name = clang_getCursorSpelling(target).consume()
                        if kind == CXCursor_CallExpr { counts.called[name, default: 0] += 1 } else { counts.named[name, default: 0] += 1 }
                    }
                }
                return CXChildVisit_Recurse
            }, Unmanaged.passUnretained(counts).toOpaque())
        }
    }

    /// A declaration a macro spells (`static SIMPLE_DEV_PM_OPS(pm_ops, suspend, resume)`) sits
    /// at a macro location, which libclang does not count as the main file's: where the macro
    /// is expanded says whose table it is. Missing it left such a table's callbacks with no
    /// caller out of view, so a suspend's put read as releasing what nobody holds. Only the
    /// initialiser lists of such a declaration count: `EXPORT_SYMBOL(f)` also spells a
    /// declaration that takes `f`'s address (`__ADDRESSABLE`, so the symbol is kept), and an
    /// exported function is called by name from other files, not through a table; counting it
    /// made an exported lock helper a callback whose held mutex nobody takes over.
    private static func countTables(_ root: CXCursor, into counts: Counts) {
        withExtendedLifetime(counts) {
            _ = clang_visitChildren(root, { cursor, _, data in
                guard clang_getCursorKind(cursor) == CXCursor_InitListExpr else { return CXChildVisit_Recurse }
                FunctionReferences.count(cursor, into: Unmanaged<Counts>.fromOpaque(data!).takeUnretainedValue())
                return CXChildVisit_Continue
            }, Unmanaged.passUnretained(counts).toOpaque())
        }
    }

    /// The expansion's file is compared with the main file, not looked up again by line and
    /// column (`clang_getLocation`), which on every declaration of a kernel unit's headers
    /// made the front end several times slower.
    private static func isExpanded(_ location: CXSourceLocation, in mainFile: CXFile?) -> Bool {
        var file: CXFile?
        var line: UInt32 = 0
        var column: UInt32 = 0
        clang_getExpansionLocation(location, &file, &line, &column, nil)
        guard let file, let mainFile else { return false }
        return clang_File_isEqual(file, mainFile) != 0
    }
}
