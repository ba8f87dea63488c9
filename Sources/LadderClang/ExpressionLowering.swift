import CLibClang
import LadderCore

extension FunctionLowering {
    /// Strips what does not change a value: parentheses, implicit and explicit casts,
    /// `__extension__`.
    func strip(_ c: Cursor) -> Cursor {
        var c = c
        while true {
            switch c.kind {
            case CXCursor_ParenExpr:
                c = c.children[0]
            case CXCursor_UnexposedExpr, CXCursor_CStyleCastExpr:
                let children = c.children.filter { clang_isExpression($0.kind) != 0 }
                guard children.count == 1 else { return c }
                // No cast turns a struct into a scalar: this is `__builtin_types_compatible_p
                // (typeof(*x), T)` showing only its typeof operand, and it folds to a constant
                // (`static_branch_unlikely` picks its branch with it).
                if c.kind == CXCursor_UnexposedExpr, children[0].type.canonical.kind == CXType_Record,
                   c.type.canonical.kind != CXType_Record { return c }
                c = children[0]
            case CXCursor_UnaryOperator where c.unaryOperator == CXUnaryOperator_Extension:
                c = c.children[0]
            default:
                return c
            }
        }
    }

    /// Lowers an expression for its value, hoisting calls into statements in evaluation
    /// order. `discarded` calls keep no result.
    func lowerExpression(_ original: Cursor, discarded: Bool = false) -> Expr {
        guard enter(original) else { return Expr(.opaque, text: "") }
        defer { leave() }
        let c = strip(original)
        let spelled = { self.text(c, fallback: c.spelling) }
        switch c.kind {
        case CXCursor_IntegerLiteral, CXCursor_CharacterLiteral, CXCursor_UnaryExpr:
            if let v = c.integerValue { return Expr(.constant(v), text: spelled()) }
            return Expr(.opaque, text: spelled())
        case CXCursor_StringLiteral:
            return Expr(.string(c.spelling), text: c.spelling)
        case CXCursor_DeclRefExpr:
            return reference(c)
        case CXCursor_MemberRefExpr:
            let base = c.children.first(where: { clang_isExpression($0.kind) != 0 })
            let baseExpr = base.map { lowerExpression($0) } ?? Expr(.opaque, text: "")
            let arrow = base.map { strip($0).type.canonical.kind == CXType_Pointer || $0.type.canonical.kind == CXType_Pointer } ?? false
            let name = c.spelling
            return Expr(.member(base: baseExpr, name: name, arrow: arrow),
                        text: baseExpr.text.isEmpty ? name : baseExpr.text + (arrow ? "->" : ".") + name)
        case CXCursor_ArraySubscriptExpr:
            let children = c.children
            let base = lowerExpression(children[0]), index = lowerExpression(children[1])
            return Expr(.index(base: base, index: index), text: spelled())
        case CXCursor_UnaryOperator:
            return lowerUnary(c, text: spelled)
        case CXCursor_BinaryOperator:
            return lowerBinary(c, text: spelled, discarded: discarded)
        case CXCursor_CompoundAssignOperator:
            let children = c.children
            let target = lowerExpression(children[0])
            let value = lowerExpression(children[1])
            let op = compoundOperator(c.binaryOperator) ?? .add
            cfg.emit(.assign(target: target, value: Expr(.binary(op, target, value), text: spelled()), location: map.location(c)))
            return target
        case CXCursor_ConditionalOperator:
            let children = c.children
            return lowerChoice(condition: children[0], then: children[1], else: children[2], text: spelled())
        case CXCursor_CallExpr:
            return lowerCall(c, result: nil, keepResult: !discarded)
        case CXCursor_StmtExpr:
            return lowerStatementExpression(c)
        case CXCursor_InitListExpr:
            for child in c.children { _ = lowerExpression(child, discarded: true) }
            return Expr(.opaque, text: spelled())
        case CXCursor_UnexposedExpr:
            return lowerUnexposed(c, text: spelled)
        default:
            if let v = c.integerValue, c.kind != CXCursor_CompoundLiteralExpr { return Expr(.constant(v), text: spelled()) }
            for child in c.children where clang_isExpression(child.kind) != 0 { _ = lowerExpression(child, discarded: true) }
            return Expr(.opaque, text: spelled())
        }
    }

    func reference(_ c: Cursor) -> Expr {
        let declaration = c.referenced
        let name = c.spelling
        switch declaration.kind {
        case CXCursor_EnumConstantDecl:
            return Expr(.constant(c.integerValue ?? 0), text: name)
        case CXCursor_ParmDecl:
            return .variable(Variable(name, .parameter))
        case CXCursor_VarDecl:
            if declaration.declaresGlobal { return .variable(Variable(name, .global)) }
            return Expr(.variable(Variable(localNames[declarationKey(declaration)] ?? name, .local)), text: name)
        default:
            return .variable(Variable(name, .global))
        }
    }

    func lowerUnary(_ c: Cursor, text: () -> String) -> Expr {
        let operand = c.children[0]
        switch c.unaryOperator {
        case CXUnaryOperator_AddrOf:
            return Expr(.addressOf(lowerExpression(operand)), text: text())
        case CXUnaryOperator_Deref:
            return Expr(.deref(lowerExpression(operand)), text: text())
        case CXUnaryOperator_PreInc, CXUnaryOperator_PostInc, CXUnaryOperator_PreDec, CXUnaryOperator_PostDec:
            let target = lowerExpression(operand)
            let op: BinaryOperator = (c.unaryOperator == CXUnaryOperator_PreInc || c.unaryOperator == CXUnaryOperator_PostInc) ? .add : .sub
            cfg.emit(.assign(target: target, value: Expr(.binary(op, target, .constant(1)), text: text()), location: map.location(c)))
            return target
        default:
            let op: UnaryOperator
            switch c.unaryOperator {
            case CXUnaryOperator_Minus: op = .minus
            case CXUnaryOperator_Plus: op = .plus
            case CXUnaryOperator_Not: op = .bitNot
            case CXUnaryOperator_LNot: op = .logicalNot
            default: return lowerExpression(operand)
            }
            let value = lowerExpression(operand)
            if let v = value.constantValue { return Expr(.constant(ConstantFolding.apply(op, v)), text: text()) }
            return Expr(.unary(op, value), text: text())
        }
    }

    func lowerBinary(_ c: Cursor, text: () -> String, discarded: Bool) -> Expr {
        let children = c.children
        let kind = c.binaryOperator
        switch kind {
        case CXBinaryOperator_Assign:
            let target = lowerExpression(children[0])
            assign(children[1], to: target, location: map.location(c))
            return target
        case CXBinaryOperator_Comma:
            // `a, b, …, z` is left-nested: follow the spine by a loop, evaluate left to right.
            let spine = leftSpine(of: c) { $0 == CXBinaryOperator_Comma }
            _ = lowerExpression(spine[spine.count - 1].children[0], discarded: true)
            for node in spine.dropFirst().reversed() { _ = lowerExpression(node.children[1], discarded: true) }
            return lowerExpression(children[1], discarded: discarded)
        case CXBinaryOperator_Sub where children[0].type.canonical.kind == CXType_Pointer && offsetOfMember(children[1]) != nil:
            // `container_of(ptr, type, member)` as the kernel writes it: `__mptr - offsetof(…)`.
            return Expr(.containerOf(lowerExpression(children[0]), member: offsetOfMember(children[1])!), text: text())
        case CXBinaryOperator_LAnd, CXBinaryOperator_LOr:
            let result = newTemporary(text: text())
            let yes = cfg.newBlock(), no = cfg.newBlock(), join = cfg.newBlock()
            lowerCondition(c, then: yes, else: no)
            for (block, value) in [(yes, Int64(1)), (no, 0)] {
                cfg.resume(block)
                cfg.emit(.assign(target: result, value: .constant(value), location: map.location(c)))
                cfg.terminate(.jump(join, via: nil))
            }
            cfg.resume(join)
            return result
        default:
            return lowerOperatorChain(c, text: text)
        }
    }

    /// The member `offsetof(type, member)` names, when it names fields only (`tx`, or `vd.tx`
    /// spelt with its dot; not `a[i]`).
    func offsetOfMember(_ c: Cursor) -> String? {
        // libclang has no cursor kind for it: an unexposed, constant expression whose
        // children are the type's references and one reference per member designator.
        let c = strip(c)
        guard c.kind == CXCursor_UnexposedExpr else { return nil }
        let children = c.children
        let members = children.filter { $0.kind == CXCursor_MemberRef }
        guard !members.isEmpty, children.allSatisfy({ $0.kind == CXCursor_MemberRef || $0.kind == CXCursor_TypeRef }),
              c.integerValue != nil else { return nil }
        return members.map(\.spelling).joined(separator: ".")
    }

    /// The nodes down the left operands of `top` while `continues` holds for their operator,
    /// `top` first: the spine of a left-associative chain.
    func leftSpine(of top: Cursor, while continues: (CXBinaryOperatorKind) -> Bool) -> [Cursor] {
        var spine = [top]
        while true {
            let left = strip(spine[spine.count - 1].children[0])
            guard left.kind == CXCursor_BinaryOperator, continues(left.binaryOperator) else { return spine }
            spine.append(left)
        }
    }

    /// Chains longer than this are kept as one opaque value (folded when every operand is a
    /// constant): their operands are still lowered, in order, for the calls among them.
    /// A value spelled by a thousand operators names no resource a rule pack could describe,
    /// and building it node by node would copy its text once per node.
    static let longestChain = 64

    /// `a + b - c * …`: the spine of arithmetic, bitwise and comparison operators is
    /// followed by a loop (left operand first, as C evaluates them), so a chain of thousands
    /// of terms costs no recursion.
    func lowerOperatorChain(_ top: Cursor, text: () -> String) -> Expr {
        let special: Set<UInt32> = [CXBinaryOperator_Assign.rawValue, CXBinaryOperator_Comma.rawValue,
                                    CXBinaryOperator_LAnd.rawValue, CXBinaryOperator_LOr.rawValue]
        let spine = leftSpine(of: top) { !special.contains($0.rawValue) }
        let long = spine.count > Self.longestChain
        var value = lowerExpression(spine[spine.count - 1].children[0])
        var folded = value.constantValue
        for (position, node) in spine.enumerated().reversed() {
            let rhs = lowerExpression(node.children[1])
            let op = binaryOperator(node.binaryOperator)
            if let op, let a = folded, let b = rhs.constantValue, let v = ConstantFolding.apply(op, a, b) {
                folded = v
            } else {
                folded = nil
            }
            guard !long else { continue }
            let spelled = position == 0 ? text() : self.text(node, fallback: node.spelling)
            if let folded {
                value = Expr(.constant(folded), text: spelled)
            } else if op == .add, rhs.constantValue == nil, node.children[0].type.isPointerLike, !node.children[1].type.isPointerLike {
                // `leds + i` is `&leds[i]`: a cursor into an array names the element the
                // index does, so `led = priv->leds + i` registers what the unwind loop's
                // `&priv->leds[i]` undoes.
                value = Expr(.addressOf(Expr(.index(base: value, index: rhs), text: "\(value.text)[\(rhs.text)]")), text: spelled)
            } else if let op {
                value = Expr(.binary(op, value, rhs), text: spelled)
            } else {
                value = Expr(.opaque, text: spelled)
            }
        }
        if long { return Expr(folded.map(Expr.Kind.constant) ?? .opaque, text: text()) }
        return value
    }

    /// `target = value`, binding a call's result straight to `target` so the analysis
    /// sees `mem = kalloc()` as one acquisition into `mem`.
    func assign(_ value: Cursor, to target: Expr, location: SourceLocation) {
        let stripped = strip(value)
        if stripped.kind == CXCursor_CallExpr, !isBuiltinExpect(stripped) {
            _ = lowerCall(stripped, result: target, keepResult: true)
            return
        }
        let v = lowerExpression(value)
        cfg.emit(.assign(target: target, value: v, location: location))
    }

    func lowerChoice(condition: Cursor, then a: Cursor, else b: Cursor, text: String) -> Expr {
        let result = newTemporary(text: text)
        let yes = cfg.newBlock(), no = cfg.newBlock(), join = cfg.newBlock()
        lowerCondition(condition, then: yes, else: no)
        for (block, branch) in [(yes, a), (no, b)] {
            cfg.resume(block)
            assign(branch, to: result, location: map.location(branch))
            cfg.jumpIfReachable(to: join)
        }
        cfg.resume(join)
        return result
    }

    /// GNU `a ?: b` is unexposed in libclang: its children are the shared operand, two
    /// opaque references to it, and `b`.
    func lowerUnexposed(_ c: Cursor, text: () -> String) -> Expr {
        let children = c.children.filter { clang_isExpression($0.kind) != 0 }
        if children.count >= 2, isElvis(c) {
            let result = newTemporary(text: text())
            let first = lowerExpression(children[0])
            cfg.emit(.assign(target: result, value: first, location: map.location(c)))
            let no = cfg.newBlock(), join = cfg.newBlock()
            cfg.terminate(.branch(condition: result, then: join, else: no, location: map.location(c)))
            cfg.resume(no)
            assign(children[children.count - 1], to: result, location: map.location(c))
            cfg.jumpIfReachable(to: join)
            cfg.resume(join)
            return result
        }
        if let v = c.integerValue { return Expr(.constant(v), text: text()) }
        for child in children { _ = lowerExpression(child, discarded: true) }
        return Expr(.opaque, text: text())
    }

    func isElvis(_ c: Cursor) -> Bool {
        let tokens = c.tokens(in: tu)
        guard let q = tokens.firstIndex(of: "?"), q + 1 < tokens.count else { return false }
        return tokens[q + 1] == ":"
    }

    func isBuiltinExpect(_ call: Cursor) -> Bool {
        call.spelling == "__builtin_expect"
    }

    /// Emits the call as a statement and returns where its value went.
    func lowerCall(_ c: Cursor, result: Expr?, keepResult: Bool) -> Expr {
        let arguments = (c.arguments ?? []).map { lowerExpression($0) }
        let declaration = c.referenced
        let callee: String? = declaration.kind == CXCursor_FunctionDecl ? declaration.spelling : nil
        let text = self.text(c, fallback: (callee ?? "(*fn)") + "(" + arguments.map(\.text).joined(separator: ", ") + ")")
        // `likely(x)` and `unlikely(x)` are `__builtin_expect(x, v)`: the value is `x`.
        if callee == "__builtin_expect", let first = arguments.first {
            if let result {
                cfg.emit(.assign(target: result, value: first, location: map.location(c)))
                return result
            }
            return first
        }
        // A header's `container_of` accessor (`to_clu(&e->subdev)`) is the object around its argument.
        if callee != nil, arguments.count == 1, let member = accessors.member(of: declaration) {
            let value = Expr(.containerOf(arguments[0], member: member), text: text)
            if let result {
                cfg.emit(.assign(target: result, value: value, location: map.location(c)))
                return result
            }
            return value
        }
        let target = result ?? (keepResult ? newTemporary(text: text) : nil)
        let noReturn = callee != nil && NoReturn.declared(declaration)
        cfg.emit(.call(Call(callee: callee ?? calleeText(c), arguments: arguments, result: target,
                            location: map.location(c), text: text, isNoReturn: noReturn,
                            through: callee == nil ? pointerPlace(c) : nil)))
        if noReturn { cfg.terminate(.unreachable) }
        return target ?? Expr(.opaque, text: text)
    }

    /// For a call through a pointer the "callee" is the pointer expression's text
    /// (`ops->release`), so rule packs can still name it; nil when even that is unknown.
    func calleeText(_ call: Cursor) -> String? {
        guard let first = call.children.first else { return nil }
        return map.text(first)
    }

    /// The pointer a call goes through, as a place: `e->ops->destroy`, `fn`, `(*fn)`. Nil when
    /// computing it calls something (`get_ops(x)->destroy`), which lowering it here would run
    /// a second time, or when it is no place.
    func pointerPlace(_ call: Cursor) -> Expr? {
        guard var pointer = call.children.first.map(strip) else { return nil }
        while pointer.kind == CXCursor_UnaryOperator, pointer.unaryOperator == CXUnaryOperator_Deref,
              let operand = pointer.children.first {
            pointer = strip(operand)
        }
        guard pointer.kind == CXCursor_MemberRefExpr || pointer.kind == CXCursor_DeclRefExpr,
              !pointer.contains(where: { $0.kind == CXCursor_CallExpr }) else { return nil }
        let place = lowerExpression(pointer)
        switch place.kind {
        case .variable, .member: return place
        default: return nil
        }
    }

    /// `({ …; value; })`: the statements run, the last expression is the value.
    func lowerStatementExpression(_ c: Cursor) -> Expr {
        guard let compound = c.children.first(where: { $0.kind == CXCursor_CompoundStmt }) else {
            return Expr(.opaque, text: text(c, fallback: "({…})"))
        }
        pushScope(compound)
        let statements = compound.children
        var value = Expr(.opaque, text: "({…})")
        for (i, statement) in statements.enumerated() {
            if i == statements.count - 1, clang_isExpression(statement.kind) != 0 {
                value = lowerExpression(statement)
            } else {
                lowerStatement(statement)
            }
        }
        popScope(at: endLocation(of: compound))
        return value
    }

    func binaryOperator(_ kind: CXBinaryOperatorKind) -> BinaryOperator? {
        switch kind {
        case CXBinaryOperator_Mul: .mul
        case CXBinaryOperator_Div: .div
        case CXBinaryOperator_Rem: .rem
        case CXBinaryOperator_Add: .add
        case CXBinaryOperator_Sub: .sub
        case CXBinaryOperator_Shl: .shl
        case CXBinaryOperator_Shr: .shr
        case CXBinaryOperator_LT: .lt
        case CXBinaryOperator_GT: .gt
        case CXBinaryOperator_LE: .le
        case CXBinaryOperator_GE: .ge
        case CXBinaryOperator_EQ: .eq
        case CXBinaryOperator_NE: .ne
        case CXBinaryOperator_And: .bitAnd
        case CXBinaryOperator_Xor: .bitXor
        case CXBinaryOperator_Or: .bitOr
        default: nil
        }
    }

    func compoundOperator(_ kind: CXBinaryOperatorKind) -> BinaryOperator? {
        switch kind {
        case CXBinaryOperator_MulAssign: .mul
        case CXBinaryOperator_DivAssign: .div
        case CXBinaryOperator_RemAssign: .rem
        case CXBinaryOperator_AddAssign: .add
        case CXBinaryOperator_SubAssign: .sub
        case CXBinaryOperator_ShlAssign: .shl
        case CXBinaryOperator_ShrAssign: .shr
        case CXBinaryOperator_AndAssign: .bitAnd
        case CXBinaryOperator_XorAssign: .bitXor
        case CXBinaryOperator_OrAssign: .bitOr
        default: nil
        }
    }
}

/// Whether a declaration says its function never returns. libclang exposes `noreturn`
/// only in the function type's spelling.
enum NoReturn {
    static func declared(_ declaration: Cursor) -> Bool {
        // Searched as bytes (`containsBytes`): Foundation's `contains` was 8% of lowering
        // real xv6-riscv, one search for every call lowered.
        let spelling = declaration.type.spelling
        return spelling.containsBytes("noreturn") || spelling.containsBytes("_Noreturn")
    }
}
