import CLibClang
import LadderCore

/// Lowers one function body. Statement, expression and condition lowering live in
/// extensions beside this file; this part holds the state they share.
final class FunctionLowering {
    let tu: CXTranslationUnit
    let map: SourceMap
    let declaration: Cursor
    var cfg = CFGBuilder()
    var temporaries = 0

    /// One entry per open `{ }`: cleanup-attributed variables to release on the way out.
    struct Scope {
        /// The statement that opens it (`clang_hashCursor`), as `LabelScopes` names it.
        var id: UInt32
        var cleanups: [PendingCleanup] = []
    }

    struct PendingCleanup {
        var variable: Expr
        var function: String
        var location: SourceLocation
    }

    /// Where `break` and `continue` go, and how many scopes were open when the construct began.
    struct JumpTarget {
        var block: BlockID
        var scopeDepth: Int
    }

    var scopes: [Scope] = []
    var breakTargets: [JumpTarget] = []
    var continueTargets: [JumpTarget] = []
    /// Case and default blocks of the switches being lowered, in source order.
    var switchCases: [[BlockID]] = []
    /// For each label, the ids of the scopes enclosing it; computed on first need.
    var labelScopes: [String: [UInt32]]?
    var body: Cursor?
    /// Locals by declaration site: a second declaration of a name in the function (a
    /// shadowing inner block, a second loop's `int i`) gets `name#2`, so two variables are
    /// never one handle. Messages keep the source spelling.
    var localNames: [String: String] = [:]
    var declarations: [String: Int] = [:]

    /// The unit's header accessors, read once for all its functions.
    let accessors: HeaderAccessors

    init(tu: CXTranslationUnit, map: SourceMap, declaration: Cursor, accessors: HeaderAccessors) {
        self.tu = tu
        self.map = map
        self.declaration = declaration
        self.accessors = accessors
    }

    /// How deep lowering may recurse into one function's syntax tree (statements inside
    /// statements, operands inside operands). Real code stays far below; a flat chain
    /// (`a + b + …`, `a && b && …`, `a, b, …`) is lowered by a loop and costs no depth.
    /// Deeper than this, the function is reported as not analysed rather than lowered: the
    /// limit keeps lowering, and the analysis of what it builds, inside `LargeStack.size`.
    static let maximumDepth = 2_000

    /// The current recursion depth, and where lowering gave up (nil while it has not).
    var depth = 0
    var abandonedAt: SourceLocation?

    /// Enters one level of recursion at `cursor`; false once the function is abandoned, so
    /// every lowering routine returns at once and the stack unwinds.
    func enter(_ cursor: Cursor) -> Bool {
        guard abandonedAt == nil else { return false }
        guard depth < Self.maximumDepth else {
            abandonedAt = map.location(cursor)
            return false
        }
        depth += 1
        return true
    }

    func leave() { depth -= 1 }

    func lower(body: Cursor) -> Result<Function, ProcessingError> {
        self.body = body
        let type = declaration.type
        let parameters = declaration.children.filter { $0.kind == CXCursor_ParmDecl }.map {
            Parameter(name: $0.spelling, type: $0.type.cType)
        }
        lowerStatement(body)
        if let abandonedAt {
            let location = map.location(declaration)
            return .failure(ProcessingError(
                file: location.file, line: location.line,
                message: "function '\(declaration.spelling)' not analysed: its code nests more than \(Self.maximumDepth) levels deep (at line \(abandonedAt.line))"))
        }
        if cfg.isReachable {
            cfg.terminate(.return(nil, location: endLocation(of: body)))
        }
        var function = Function(
            name: declaration.spelling,
            location: map.location(declaration),
            returnType: clang_getResultType(type).cType,
            parameters: parameters,
            isStatic: declaration.storageClass == CX_SC_Static,
            blocks: cfg.finish())
        if inInitSection(declaration) { function.initSection = true }
        return .success(function)
    }

    /// Linux's `__init` is `__section(".init.text")` and more; libclang leaves section
    /// attributes unexposed, with no tokens of their own when a macro wrote them: the words
    /// before the function's name say it (`static int __init demo_init(void)`).
    func inInitSection(_ declaration: Cursor) -> Bool {
        guard declaration.children.contains(where: { $0.kind == CXCursor_UnexposedAttr }) else { return false }
        let head = declaration.tokens(in: tu, upTo: clang_getCursorLocation(declaration.raw))
        return head.contains("__init") || head.contains("\".init.text\"")
    }

    func endLocation(of cursor: Cursor) -> SourceLocation {
        // The closing brace, which the path leaves through.
        var end = map.location(clang_getRangeEnd(cursor.extent))
        end.column = max(1, end.column - 1)
        if end.line >= 1 { end.end = SourcePosition(line: end.line, column: end.column + 1) }
        return end
    }

    func uniqueName(for decl: Cursor) -> String {
        let name = decl.spelling
        let site = declarationKey(decl)
        if let known = localNames[site] { return known }
        declarations[name, default: 0] += 1
        let count = declarations[name]!
        let unique = count == 1 ? name : "\(name)#\(count)"
        localNames[site] = unique
        return unique
    }

    /// One key per declaration. Declarations from one macro expansion share their file
    /// location (`scoped_guard`'s `scope` and `done`, `min()`'s `__x` and `__y`), so the
    /// name and the offset where the macro spells it tell them apart.
    func declarationKey(_ decl: Cursor) -> String {
        var offset: UInt32 = 0
        clang_getSpellingLocation(clang_getCursorLocation(decl.raw), nil, nil, nil, &offset)
        return "\(map.location(decl))|\(decl.spelling)|\(offset)"
    }

    func newTemporary(text: String) -> Expr {
        temporaries += 1
        return Expr(.variable(Variable("%\(temporaries)", .temporary)), text: text)
    }

    func text(_ cursor: Cursor, fallback: @autoclosure () -> String) -> String {
        map.text(cursor) ?? fallback()
    }

    // MARK: Scopes and cleanups

    /// Opens the scope of `opener`: a compound statement (also a statement expression's),
    /// or a `for` that declares its variables.
    func pushScope(_ opener: Cursor) {
        scopes.append(Scope(id: clang_hashCursor(opener.raw)))
    }

    /// Closes the innermost scope, running its cleanups if control falls out of it.
    func popScope(at location: SourceLocation) {
        let scope = scopes.removeLast()
        if cfg.isReachable { emitCleanups(scope.cleanups, at: location) }
    }

    func emitCleanups(_ cleanups: [PendingCleanup], at location: SourceLocation) {
        for cleanup in cleanups.reversed() {
            let argument = Expr(.addressOf(cleanup.variable), text: "&" + cleanup.variable.text)
            cfg.emit(.call(Call(
                callee: cleanup.function, arguments: [argument], result: nil, location: location,
                text: "\(cleanup.function)(&\(cleanup.variable.text))", origin: .cleanupAttribute)))
        }
    }

    /// Runs the cleanups of every scope deeper than `depth`, innermost first (a jump out).
    func emitCleanups(leavingTo depth: Int, at location: SourceLocation) {
        guard depth < scopes.count else { return }
        for scope in scopes[depth...].reversed() { emitCleanups(scope.cleanups, at: location) }
    }

    /// A `goto` leaves every open scope that does not also enclose its label.
    func emitCleanups(forGotoTo label: String, at location: SourceLocation) {
        guard scopes.contains(where: { !$0.cleanups.isEmpty }) else { return }
        if labelScopes == nil, let body { labelScopes = LabelScopes.compute(body) }
        let enclosing = Set(labelScopes?[label] ?? [])
        for scope in scopes.reversed() where !enclosing.contains(scope.id) {
            emitCleanups(scope.cleanups, at: location)
        }
    }
}

/// Which scopes enclose each label, named by the statement that opens them as lowering
/// names them (`pushScope`): compound statements, and `for` loops that declare variables,
/// so `goto` can tell which scopes it leaves. Names, not an order: lowering visits a
/// `for`'s step after its body (`scoped_guard`'s `({ goto label; })` step jumps into the
/// body, inside the guard's scope). A loop over an explicit stack: the body may nest deeper
/// than lowering itself goes.
enum LabelScopes {
    static func compute(_ body: Cursor) -> [String: [UInt32]] {
        var result: [String: [UInt32]] = [:]
        var work: [(cursor: Cursor, chain: [UInt32])] = [(body, [])]
        while let (cursor, inherited) = work.popLast() {
            var chain = inherited
            if cursor.kind == CXCursor_CompoundStmt
                || (cursor.kind == CXCursor_ForStmt && cursor.children.first?.kind == CXCursor_DeclStmt) {
                chain.append(clang_hashCursor(cursor.raw))
            }
            if cursor.kind == CXCursor_LabelStmt { result[cursor.spelling] = chain }
            let children = cursor.children.filter {
                clang_isStatement($0.kind) != 0 || clang_isExpression($0.kind) != 0 || $0.kind == CXCursor_CompoundStmt
            }
            for child in children.reversed() { work.append((child, chain)) }
        }
        return result
    }
}
