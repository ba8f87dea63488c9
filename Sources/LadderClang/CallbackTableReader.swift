import CLibClang
import LadderCore

/// The file-scope initialisers of the main file whose designated fields name functions
/// (`CallbackTable`): `.open = demo_open` in a `struct file_operations`, and the fields a
/// PM macro expands to. libclang shows a designated initialiser as an unexposed expression
/// whose first child names the field (`MemberRef`) and whose last is the value; a value is
/// a function when the one function it refers to (through casts, parentheses and the
/// conditional `pm_sleep_ptr()` expands to) is unambiguous.
///
/// Not read: positional initialisers, chained designators (`.a.b = f`), tables filled at
/// run time (`ops->open = f`), and tables inside function bodies.
struct CallbackTableReader {
    let tu: CXTranslationUnit
    let map: SourceMap
    let mainFile: String

    func tables() -> [CallbackTable] {
        var found: [CallbackTable] = []
        let root = Cursor(clang_getTranslationUnitCursor(tu))
        let main = clang_getFile(tu, mainFile)
        for decl in root.children where decl.kind == CXCursor_VarDecl && isExpanded(decl, in: main) {
            for child in decl.children where child.kind == CXCursor_InitListExpr {
                collect(child, into: &found)
            }
        }
        return found
    }

    /// Whether the declaration is expanded in the main file: a table a macro declares
    /// (`DEFINE_SIMPLE_DEV_PM_OPS(…)`) is spelt in a header but belongs to the file using it.
    private func isExpanded(_ decl: Cursor, in main: CXFile?) -> Bool {
        if map.isInMainFile(decl) { return true }
        guard let main else { return false }
        var file: CXFile?
        clang_getExpansionLocation(clang_getCursorLocation(decl.raw), &file, nil, nil, nil)
        guard let file else { return false }
        return clang_File_isEqual(file, main) != 0
    }

    private func collect(_ list: Cursor, into found: inout [CallbackTable]) {
        var entries: [String: String] = [:]
        for element in list.children {
            if element.kind == CXCursor_InitListExpr {
                collect(element, into: &found)
                continue
            }
            let parts = element.children
            guard parts.count == 2, parts[0].kind == CXCursor_MemberRef else { continue }
            let value = parts[1]
            if value.kind == CXCursor_InitListExpr {
                collect(value, into: &found)
                continue
            }
            var functions: Set<String> = []
            referencedFunctions(value, into: &functions)
            if functions.count == 1, let name = functions.first { entries[parts[0].spelling] = name }
        }
        if !entries.isEmpty { found.append(CallbackTable(location: map.location(list), entries: entries)) }
    }

    private func referencedFunctions(_ cursor: Cursor, into names: inout Set<String>) {
        if cursor.kind == CXCursor_DeclRefExpr {
            let target = cursor.referenced
            if target.kind == CXCursor_FunctionDecl { names.insert(target.spelling) }
            return
        }
        for child in cursor.children where child.kind != CXCursor_InitListExpr {
            referencedFunctions(child, into: &names)
        }
    }
}
