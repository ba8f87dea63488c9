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
    let initializers: FileScopeInitializers
    let map: SourceMap

    func tables() -> [CallbackTable] {
        var found: [CallbackTable] = []
        for (decl, list) in initializers.declarations { collect(list, variable: decl.spelling, into: &found) }
        return found
    }

    private func collect(_ list: Cursor, variable: String? = nil, into found: inout [CallbackTable]) {
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
        if !entries.isEmpty { found.append(CallbackTable(location: map.location(list), entries: entries, variable: variable)) }
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
