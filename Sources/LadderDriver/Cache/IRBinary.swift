import Foundation
import LadderCore

/// The cache's encoding of one function's IR, written by hand for the IR's own types.
///
/// Every file worker encodes each function it lowers and the driver decodes each function
/// phase 2 walks. Through `Codable` (`BinaryCoding`, keyed containers found by name) that was
/// about 30 ms of each worker and 50 ms of the driver on a cold lint of real xv6-riscv, a
/// sixth of the run's CPU; here it is a plain read of fields in a fixed order:
///
///     function := strings:[string] name:ref location returnType parameters blocks extras
///     string   := length:varint UTF-8        ref := varint (index into strings)
///     integers := LEB128 varints, signed ones zigzagged
///     extras   := presence:varint (a bit per optional field), then each present one
///
/// Each distinct string (a file path, a name, a source spelling) is written once per
/// function and named by its index, so the file of every location costs one varint. The
/// rarely present annotations (`partners`, `ownedFields`, …) are `BinaryCoding` blobs.
///
/// The bytes are a function of the value alone (strings are numbered in the order the
/// encoder meets them), so equal functions are equal bytes and a digest names them. Damaged
/// bytes are a thrown `IRBinary.Damaged`, never a crash or a hang: every length is checked
/// against what is left before anything is allocated for it.
enum IRBinary {
    struct Damaged: Error, CustomStringConvertible {
        let offset: Int
        let what: String
        var description: String { "IR damaged at byte \(offset): \(what)" }
    }

    static func encode(_ function: Function) -> [UInt8] {
        var body = Writer()
        body.function(function)
        var whole = Writer()
        whole.unsigned(UInt64(body.strings.count))
        for string in body.strings {
            var string = string
            string.withUTF8 { utf8 in
                whole.unsigned(UInt64(utf8.count))
                whole.bytes.append(contentsOf: utf8)
            }
        }
        whole.bytes.append(contentsOf: body.bytes)
        return whole.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> Function {
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(buffer)
            let count = try reader.count(atLeast: 1)
            var strings: [String] = []
            strings.reserveCapacity(count)
            for _ in 0..<count {
                let length = try reader.count(atLeast: 1)
                strings.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[reader.offset..<reader.offset + length]), as: UTF8.self))
                reader.offset += length
            }
            reader.strings = strings
            let function = try reader.function()
            guard reader.offset == buffer.count else { throw Damaged(offset: reader.offset, what: "bytes after the function") }
            return function
        }
    }
}

// MARK: - Writing

private struct Writer {
    var bytes: [UInt8] = []
    var strings: [String] = []
    private var numbers: [String: Int] = [:]

    init() { bytes.reserveCapacity(1024) }

    mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func signed(_ value: Int64) {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func int(_ value: Int) { signed(Int64(value)) }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func string(_ value: String) { unsigned(UInt64(number(value))) }

    /// nil as 0, a string as its reference plus one.
    mutating func optional(_ value: String?) {
        guard let value else { return unsigned(0) }
        unsigned(UInt64(number(value)) + 1)
    }

    /// `value`'s place in the table. Swift's `==` takes "é" and "e\u{301}" as one string; a
    /// table entry stands for its own bytes only, so another spelling gets an entry of its own.
    private mutating func number(_ value: String) -> Int {
        if let number = numbers[value], Self.sameBytes(strings[number], value) { return number }
        if numbers[value] == nil { numbers[value] = strings.count }
        strings.append(value)
        return strings.count - 1
    }

    /// One comparison of the two buffers where both strings have one (native strings do);
    /// the byte-by-byte walk of two `UTF8View`s was a quarter of encoding a function.
    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        let compared = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
        return (compared ?? nil) ?? a.utf8.elementsEqual(b.utf8)
    }

    mutating func raw<E: RawRepresentable>(_ value: E) where E.RawValue == String { string(value.rawValue) }

    mutating func function(_ f: Function) {
        string(f.name)
        location(f.location)
        string(f.returnType.spelling)
        raw(f.returnType.shape)
        unsigned(UInt64(f.parameters.count))
        for p in f.parameters {
            string(p.name)
            string(p.type.spelling)
            raw(p.type.shape)
        }
        bool(f.isStatic)
        unsigned(UInt64(f.blocks.count))
        for b in f.blocks { block(b) }
        let extras: [(any Encodable)?] = [f.partners, f.ownedFields, f.constructorParts, f.initSection,
                                           f.optionalHandles, f.flagSetters, f.listedMembers, f.childWalks, f.flaggedReleases,
                                           f.callbackBindings]
        var present: UInt64 = 0
        for (i, extra) in extras.enumerated() where extra != nil { present |= 1 << UInt64(i) }
        unsigned(present)
        for case let extra? in extras {
            let blob = (try? BinaryCoding.encode(extra)) ?? []
            unsigned(UInt64(blob.count))
            bytes.append(contentsOf: blob)
        }
    }

    mutating func location(_ l: SourceLocation) {
        string(l.file)
        int(l.line)
        int(l.column)
        if let end = l.end {
            bool(true)
            int(end.line)
            int(end.column)
        } else {
            bool(false)
        }
    }

    mutating func block(_ b: Block) {
        int(b.id)
        optional(b.label)
        unsigned(UInt64(b.statements.count))
        for s in b.statements {
            switch s {
            case .call(let c):
                bytes.append(0)
                call(c)
            case .assign(let target, let value, let l):
                bytes.append(1)
                expr(target)
                expr(value)
                location(l)
            }
        }
        switch b.terminator {
        case .jump(let target, let via):
            bytes.append(0)
            int(target)
            if let via {
                bool(true)
                string(via.label)
                location(via.location)
            } else {
                bool(false)
            }
        case .branch(let condition, let then, let otherwise, let l):
            bytes.append(1)
            expr(condition)
            int(then)
            int(otherwise)
            location(l)
        case .return(let value, let l):
            bytes.append(2)
            optionalExpr(value)
            location(l)
        case .unreachable:
            bytes.append(3)
        }
    }

    mutating func call(_ c: Call) {
        optional(c.callee)
        unsigned(UInt64(c.arguments.count))
        for a in c.arguments { expr(a) }
        optionalExpr(c.result)
        location(c.location)
        string(c.text)
        bool(c.isNoReturn)
        raw(c.origin)
        optionalExpr(c.through)
    }

    mutating func optionalExpr(_ e: Expr?) {
        guard let e else { return bool(false) }
        bool(true)
        expr(e)
    }

    /// Post-order nodes (`Expr.flatten`), so neither side recurses however deep it is.
    mutating func expr(_ e: Expr) {
        let nodes = Expr.flatten(e)
        unsigned(UInt64(nodes.count))
        for node in nodes {
            raw(node.tag)
            string(node.text)
            switch node.tag {
            case .constant: signed(node.value ?? 0)
            case .variable:
                string(node.variable?.name ?? "")
                raw(node.variable?.storage ?? .local)
            case .member:
                string(node.name ?? "")
                bool(node.arrow ?? false)
            case .unary: raw(node.unary ?? .minus)
            case .binary: raw(node.binary ?? .add)
            case .call, .string, .containerOf: string(node.name ?? "")
            case .deref, .addressOf, .index, .opaque: break
            }
            unsigned(UInt64(node.operands.count))
            for operand in node.operands { unsigned(UInt64(operand)) }
        }
    }
}

// MARK: - Reading

private struct Reader {
    let buffer: UnsafeBufferPointer<UInt8>
    var offset = 0
    var strings: [String] = []

    init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    func damaged(_ what: String) -> IRBinary.Damaged { IRBinary.Damaged(offset: offset, what: what) }

    mutating func byte() throws -> UInt8 {
        guard offset < buffer.count else { throw damaged("it ends early") }
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func unsigned() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            // The tenth byte holds the top bit alone.
            guard shift < 63 || (shift == 63 && b <= 1) else { throw damaged("a number of more than 64 bits") }
            value |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
        }
    }

    mutating func signed() throws -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    mutating func int() throws -> Int {
        let value = try signed()
        guard let int = Int(exactly: value) else { throw damaged("a number out of range") }
        return int
    }

    /// A count of things that each take at least `size` bytes: no more than the bytes left
    /// could hold, so a damaged count cannot make the reader reserve or loop for long.
    mutating func count(atLeast size: Int) throws -> Int {
        let value = try unsigned()
        guard value <= UInt64(buffer.count - offset) / UInt64(max(size, 1)) else { throw damaged("a count larger than what is left") }
        return Int(value)
    }

    mutating func bool() throws -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw damaged("a flag that is neither 0 nor 1")
        }
    }

    mutating func string() throws -> String {
        let number = try unsigned()
        guard number < UInt64(strings.count) else { throw damaged("a string reference out of range") }
        return strings[Int(number)]
    }

    mutating func optional() throws -> String? {
        let number = try unsigned()
        guard number > 0 else { return nil }
        guard number - 1 < UInt64(strings.count) else { throw damaged("a string reference out of range") }
        return strings[Int(number - 1)]
    }

    mutating func raw<E: RawRepresentable>(_: E.Type) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: try string()) else { throw damaged("an unknown \(E.self)") }
        return value
    }

    mutating func function() throws -> Function {
        let name = try string()
        let location = try location()
        let returnType = CType(spelling: try string(), shape: try raw(CType.Shape.self))
        var parameters: [Parameter] = []
        for _ in 0..<(try count(atLeast: 3)) {
            parameters.append(Parameter(name: try string(), type: CType(spelling: try string(), shape: try raw(CType.Shape.self))))
        }
        let isStatic = try bool()
        var blocks: [Block] = []
        let blockCount = try count(atLeast: 4)
        blocks.reserveCapacity(blockCount)
        for _ in 0..<blockCount { blocks.append(try block()) }
        var f = Function(name: name, location: location, returnType: returnType, parameters: parameters,
                         isStatic: isStatic, blocks: blocks)
        let present = try unsigned()
        guard present < 1 << 10 else { throw damaged("an unknown annotation") }
        func extra<T: Decodable>(_ bit: UInt64, _: T.Type) throws -> T? {
            guard present & (1 << bit) != 0 else { return nil }
            let length = try count(atLeast: 1)
            let blob = Array(buffer[offset..<offset + length])
            offset += length
            return try BinaryCoding.decode(T.self, from: blob)
        }
        f.partners = try extra(0, CallbackPartners.self)
        f.ownedFields = try extra(1, [OwnedField].self)
        f.constructorParts = try extra(2, [ConstructorPart].self)
        f.initSection = try extra(3, Bool.self)
        f.optionalHandles = try extra(4, [OptionalHandle].self)
        f.flagSetters = try extra(5, FlagSettersNote.self)
        f.listedMembers = try extra(6, [MemberListing].self)
        f.childWalks = try extra(7, ChildWalks.self)
        f.flaggedReleases = try extra(8, FlaggedReleases.self)
        f.callbackBindings = try extra(9, [CallbackBinding].self)
        return f
    }

    mutating func location() throws -> SourceLocation {
        var l = SourceLocation(file: try string(), line: try int(), column: try int())
        if try bool() { l.end = SourcePosition(line: try int(), column: try int()) }
        return l
    }

    mutating func block() throws -> Block {
        let id = try int()
        let label = try optional()
        var statements: [Statement] = []
        let statementCount = try count(atLeast: 2)
        statements.reserveCapacity(statementCount)
        for _ in 0..<statementCount {
            switch try byte() {
            case 0: statements.append(.call(try call()))
            case 1: statements.append(.assign(target: try expr(), value: try expr(), location: try location()))
            default: throw damaged("an unknown statement")
            }
        }
        let terminator: Terminator
        switch try byte() {
        case 0:
            let target = try int()
            terminator = .jump(target, via: try bool() ? Goto(label: try string(), location: try location()) : nil)
        case 1:
            terminator = .branch(condition: try expr(), then: try int(), else: try int(), location: try location())
        case 2:
            terminator = .return(try optionalExpr(), location: try location())
        case 3:
            terminator = .unreachable
        default:
            throw damaged("an unknown terminator")
        }
        return Block(id: id, label: label, statements: statements, terminator: terminator)
    }

    mutating func call() throws -> Call {
        let callee = try optional()
        var arguments: [Expr] = []
        let argumentCount = try count(atLeast: 1)
        arguments.reserveCapacity(argumentCount)
        for _ in 0..<argumentCount { arguments.append(try expr()) }
        return Call(callee: callee, arguments: arguments, result: try optionalExpr(), location: try location(),
                    text: try string(), isNoReturn: try bool(), origin: try raw(Call.Origin.self), through: try optionalExpr())
    }

    mutating func optionalExpr() throws -> Expr? {
        try bool() ? try expr() : nil
    }

    mutating func expr() throws -> Expr {
        let nodeCount = try count(atLeast: 3)
        var nodes: [Expr.Node] = []
        nodes.reserveCapacity(nodeCount)
        for _ in 0..<nodeCount {
            var node = Expr.Node(tag: try raw(Expr.Tag.self), text: try string())
            switch node.tag {
            case .constant: node.value = try signed()
            case .variable: node.variable = Variable(try string(), try raw(Variable.Storage.self))
            case .member:
                node.name = try string()
                node.arrow = try bool()
            case .unary: node.unary = try raw(UnaryOperator.self)
            case .binary: node.binary = try raw(BinaryOperator.self)
            case .call, .string, .containerOf: node.name = try string()
            case .deref, .addressOf, .index, .opaque: break
            }
            let operandCount = try count(atLeast: 1)
            node.operands.reserveCapacity(operandCount)
            for _ in 0..<operandCount {
                // `rebuild` checks each names an earlier node.
                let operand = try unsigned()
                guard operand < UInt64(nodeCount) else { throw damaged("an operand out of range") }
                node.operands.append(Int(operand))
            }
            nodes.append(node)
        }
        guard let root = Expr.rebuild(nodes) else { throw damaged("an expression's nodes do not form a tree") }
        return root
    }
}
