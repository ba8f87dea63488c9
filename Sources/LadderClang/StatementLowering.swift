import CLibClang
import LadderCore

extension FunctionLowering {
    func lowerStatement(_ s: Cursor) {
        guard enter(s) else { return }
        defer { leave() }
        switch s.kind {
        case CXCursor_CompoundStmt:
            pushScope(s)
            for child in s.children { lowerStatement(child) }
            popScope(at: endLocation(of: s))
        case CXCursor_DeclStmt:
            for decl in s.children where decl.kind == CXCursor_VarDecl { lowerDeclaration(decl) }
        case CXCursor_IfStmt:
            lowerIf(s)
        case CXCursor_WhileStmt:
            let children = s.children
            let head = cfg.newBlock(), body = cfg.newBlock(), exit = cfg.newBlock()
            cfg.start(head)
            lowerCondition(children[0], then: body, else: exit)
            lowerLoopBody(children[1], entry: body, breakTo: exit, continueTo: head)
            cfg.jumpIfReachable(to: head)
            cfg.resume(exit)
        case CXCursor_DoStmt:
            let children = s.children
            let body = cfg.newBlock(), test = cfg.newBlock(), exit = cfg.newBlock()
            cfg.start(body)
            lowerLoopBody(children[0], entry: body, breakTo: exit, continueTo: test)
            cfg.start(test)
            lowerCondition(children[1], then: body, else: exit)
            cfg.resume(exit)
        case CXCursor_ForStmt:
            lowerFor(s)
        case CXCursor_SwitchStmt:
            lowerSwitch(s)
        case CXCursor_CaseStmt, CXCursor_DefaultStmt:
            let block = switchCases.isEmpty || switchCases[switchCases.count - 1].isEmpty
                ? cfg.newBlock() : switchCases[switchCases.count - 1].removeFirst()
            cfg.start(block)
            if let sub = s.children.last { lowerStatement(sub) }
        case CXCursor_BreakStmt:
            if let target = breakTargets.last {
                emitCleanups(leavingTo: target.scopeDepth, at: map.location(s))
                cfg.terminate(.jump(target.block, via: nil))
            }
        case CXCursor_ContinueStmt:
            if let target = continueTargets.last {
                emitCleanups(leavingTo: target.scopeDepth, at: map.location(s))
                cfg.terminate(.jump(target.block, via: nil))
            }
        case CXCursor_GotoStmt:
            let label = s.referenced.spelling
            let location = map.location(s)
            emitCleanups(forGotoTo: label, at: location)
            cfg.terminate(.jump(cfg.block(forLabel: label), via: Goto(label: label, location: location)))
        case CXCursor_LabelStmt:
            cfg.start(cfg.block(forLabel: s.spelling))
            for child in s.children { lowerStatement(child) }
        case CXCursor_ReturnStmt:
            let value = s.children.first.map { lowerExpression($0) }
            let location = map.location(s)
            emitCleanups(leavingTo: 0, at: location)
            cfg.terminate(.return(value, location: location))
        case CXCursor_NullStmt, CXCursor_GCCAsmStmt, CXCursor_AsmStmt, CXCursor_MSAsmStmt:
            break
        case CXCursor_IndirectGotoStmt:
            cfg.terminate(.unreachable)
        default:
            if clang_isExpression(s.kind) != 0 {
                _ = lowerExpression(s, discarded: true)
            } else {
                // Attributed statements (`fallthrough;`) and other wrappers.
                for child in s.children { lowerStatement(child) }
            }
        }
    }

    func lowerDeclaration(_ decl: Cursor) {
        let children = decl.children
        let isStatic = decl.storageClass == CX_SC_Static || decl.storageClass == CX_SC_Extern
        let name = decl.spelling
        let variable = Expr(.variable(Variable(isStatic ? name : uniqueName(for: decl), isStatic ? .global : .local)),
                            text: name)
        // A static local's initialiser runs once, before the function: not on this path.
        if !isStatic, let initialiser = children.last(where: { clang_isExpression($0.kind) != 0 }) {
            assign(initialiser, to: variable, location: map.location(decl))
        }
        // One cleanup per variable, however many attributes it carries: the kernel's guard
        // variables have `__cleanup` and others (`__maybe_unused`), each of which would
        // otherwise find the same function in the declaration's tokens and run it twice.
        let attributes = children.filter { $0.kind == CXCursor_UnexposedAttr }
        if !attributes.isEmpty,
           let function = attributes.lazy.compactMap({ self.cleanupFunction($0) }).first ?? cleanupFunction(declaration: decl) {
            scopes[scopes.count - 1].cleanups.append(
                PendingCleanup(variable: variable, function: function, location: map.location(decl)))
        }
    }

    /// `__attribute__((cleanup(fn)))` names `fn`; a macro such as Linux's `__free(kfree)`
    /// hides it behind token pasting, so `NAME(ARG)` is read as the function `NAME_ARG`
    /// (`__free_kfree`), which is what Linux's macro builds.
    func cleanupFunction(_ attribute: Cursor) -> String? {
        let tokens = attribute.tokens(in: tu)
        if let i = tokens.firstIndex(of: "cleanup"), i + 2 < tokens.count, tokens[i + 1] == "(" {
            return tokens[i + 2]
        }
        if tokens.count >= 4, tokens[1] == "(", tokens[3] == ")", tokens[0].first == "_" {
            return tokens[0] + "_" + tokens[2]
        }
        return nil
    }

    /// When the attribute comes from a macro its own extent has no tokens: read the
    /// declaration's (`char *buf __free(kfree) = …`), or, for Linux's `guard(name)(…)`, the
    /// `class_NAME_t` type whose destructor is `class_NAME_destructor`.
    func cleanupFunction(declaration decl: Cursor) -> String? {
        let tokens = decl.tokens(in: tu)
        for (i, token) in tokens.enumerated() where i + 3 < tokens.count && tokens[i + 1] == "(" && tokens[i + 3] == ")" {
            if token == "__free" { return "__free_" + tokens[i + 2] }
            if token == "cleanup" || token == "__cleanup__" || token == "__cleanup" { return tokens[i + 2] }
        }
        let type = decl.type.spelling
        if type.hasPrefix("class_"), type.hasSuffix("_t") {
            return String(type.dropLast(2)) + "_destructor"
        }
        return cleanupFunction(printed: decl)
    }

    /// A declaration made by a macro defined in a header (the kernel's
    /// `device_for_each_child_node_scoped(dev, child)` declares `child __free(fwnode_handle)`
    /// in its `for`) has only the macro's use for tokens; clang's own printing of the
    /// declaration spells the attribute out: `__attribute__((cleanup(__free_fwnode_handle)))`.
    func cleanupFunction(printed decl: Cursor) -> String? {
        let printed = clang_getCursorPrettyPrinted(decl.raw, nil).consume()
        // The attribute's own spelling, not a call in the initialiser (`= foo_cleanup(dev)`).
        guard let open = printed.range(of: "((cleanup(") ?? printed.range(of: "((__cleanup__(") else { return nil }
        let name = printed[open.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }

    func lowerIf(_ s: Cursor) {
        let children = s.children
        let then = cfg.newBlock(), join = cfg.newBlock()
        let otherwise = children.count > 2 ? cfg.newBlock() : join
        lowerCondition(children[0], then: then, else: otherwise)
        cfg.resume(then)
        lowerStatement(children[1])
        cfg.jumpIfReachable(to: join)
        if children.count > 2 {
            cfg.resume(otherwise)
            lowerStatement(children[2])
            cfg.jumpIfReachable(to: join)
        }
        cfg.resume(join)
    }

    func lowerLoopBody(_ body: Cursor, entry: BlockID, breakTo exit: BlockID, continueTo next: BlockID) {
        cfg.resume(entry)
        breakTargets.append(JumpTarget(block: exit, scopeDepth: scopes.count))
        continueTargets.append(JumpTarget(block: next, scopeDepth: scopes.count))
        lowerStatement(body)
        breakTargets.removeLast()
        continueTargets.removeLast()
    }

    func lowerFor(_ s: Cursor) {
        let parts = ForParts(s, tokens: s.tokens(in: tu))
        let opened = parts.initialiser?.kind == CXCursor_DeclStmt
        if opened { pushScope(s) }
        if let initialiser = parts.initialiser { lowerStatement(initialiser) }
        let head = cfg.newBlock(), body = cfg.newBlock(), step = cfg.newBlock(), exit = cfg.newBlock()
        cfg.start(head)
        if let condition = parts.condition {
            lowerCondition(condition, then: body, else: exit)
        } else {
            cfg.terminate(.jump(body, via: nil))
        }
        lowerLoopBody(parts.body, entry: body, breakTo: exit, continueTo: step)
        cfg.start(step)
        if let increment = parts.increment { _ = lowerExpression(increment, discarded: true) }
        cfg.terminate(.jump(head, via: nil))
        cfg.resume(exit)
        if opened { popScope(at: endLocation(of: s)) }
    }

    func lowerSwitch(_ s: Cursor) {
        let children = s.children
        let value = lowerExpression(children[0])
        let cases = SwitchCases.collect(children[children.count - 1])
        let exit = cfg.newBlock()
        let blocks = cases.map { _ in cfg.newBlock() }
        var defaultBlock = exit
        for (entry, block) in zip(cases, blocks) {
            switch entry {
            case .value(let v, let text):
                let next = cfg.newBlock()
                cfg.terminate(.branch(condition: Expr(.binary(.eq, value, Expr(.constant(v), text: text)),
                                                      text: "\(value.text) == \(text)"),
                                      then: block, else: next, location: map.location(children[0])))
                cfg.resume(next)
            case .range(let lo, let hi, let text):
                let inRange = cfg.newBlock(), next = cfg.newBlock()
                cfg.terminate(.branch(condition: Expr(.binary(.ge, value, .constant(lo)), text: "\(value.text) >= \(lo)"),
                                      then: inRange, else: next, location: map.location(children[0])))
                cfg.resume(inRange)
                cfg.terminate(.branch(condition: Expr(.binary(.le, value, .constant(hi)), text: "\(value.text) <= \(hi) (\(text))"),
                                      then: block, else: next, location: map.location(children[0])))
                cfg.resume(next)
            case .default:
                defaultBlock = block
            }
        }
        cfg.terminate(.jump(defaultBlock, via: nil))
        switchCases.append(blocks)
        breakTargets.append(JumpTarget(block: exit, scopeDepth: scopes.count))
        lowerStatement(children[children.count - 1])
        breakTargets.removeLast()
        switchCases.removeLast()
        cfg.start(exit)
    }
}

extension CFGBuilder {
    mutating func jumpIfReachable(to id: BlockID) {
        if isReachable { terminate(.jump(id, via: nil)) }
    }
}

/// The `case` and `default` labels of one switch, in source order, not looking into
/// nested switches.
enum SwitchCases {
    enum Entry {
        case value(Int64, String)
        case range(Int64, Int64, String)
        case `default`
    }

    /// Pre-order over the body's statements, by a loop: the body may nest deeper than
    /// lowering goes.
    static func collect(_ body: Cursor) -> [Entry] {
        var result: [Entry] = []
        var work = [body]
        while let c = work.popLast() {
            var next: [Cursor] = []
            switch c.kind {
            case CXCursor_SwitchStmt:
                continue
            case CXCursor_CaseStmt:
                let children = c.children
                let lo = children[0].integerValue ?? 0
                if children.count == 3 {
                    result.append(.range(lo, children[1].integerValue ?? lo, "case range"))
                } else {
                    result.append(.value(lo, children[0].spelling.isEmpty ? String(lo) : caseText(children[0], lo)))
                }
                if let sub = children.last { next = [sub] }
            case CXCursor_DefaultStmt:
                result.append(.default)
                next = c.children
            default:
                if clang_isStatement(c.kind) != 0 { next = c.children }
            }
            work.append(contentsOf: next.reversed())
        }
        return result
    }

    private static func caseText(_ c: Cursor, _ value: Int64) -> String {
        c.kind == CXCursor_DeclRefExpr ? c.spelling : String(value)
    }
}

/// A `for` statement's children omit the parts that are empty, so which child is which
/// is read from the positions of the header's two semicolons. When the header comes from
/// a macro and has no visible semicolons, every part is taken to be present.
struct ForParts {
    var initialiser: Cursor?
    var condition: Cursor?
    var increment: Cursor?
    var body: Cursor

    init(_ s: Cursor, tokens: [String]) {
        var children = s.children
        body = children.removeLast()
        var semicolons = 0
        var depth = 0
        var slots: [Int] = []  // which part (0, 1, 2) each remaining child fills
        var sawParen = false
        for token in tokens {
            if token == "(" { depth += 1; sawParen = true }
            if token == ")" { depth -= 1; if depth == 0 && sawParen { break } }
            if token == ";" && depth == 1 { semicolons += 1 }
        }
        if semicolons == 2, tokens.first == "for" {
            // Count the header tokens before each semicolon to tell which parts exist.
            var part = 0
            var nonEmpty = [false, false, false]
            depth = 0
            for token in tokens.dropFirst() {
                if token == "(" { depth += 1; if depth == 1 { continue } }
                if token == ")" { depth -= 1; if depth == 0 { break } }
                if token == ";" && depth == 1 { part += 1; continue }
                if part < 3 { nonEmpty[part] = true }
            }
            slots = (0..<3).filter { nonEmpty[$0] }
        } else {
            slots = Array([0, 1, 2].suffix(children.count))
        }
        for (child, slot) in zip(children, slots) {
            switch slot {
            case 0: initialiser = child
            case 1: condition = child
            default: increment = child
            }
        }
    }
}
