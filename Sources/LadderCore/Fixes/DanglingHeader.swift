/// A braceless `if(h)` that has lost its body: the next statement, on a later line and
/// indented no deeper than the header, does not name `h`. That is what deleting the one
/// line `release(h);` under `if(h)` leaves: the header now guards whatever followed
///
///     if(f0)
///     if(f1)
///       fileclose(f1);
///
/// so `f0` leaks, and so does `f1` whenever `f0` is null. The repair of both is one: the
/// release of `h` back as the header's body. A release inserted anywhere else leaves the
/// stranded header guarding the wrong statement.
///
/// Limits: only a plain test of the handle (`if(h)`, `if(h != 0)`) is a header for it; the
/// body is judged by the calls in it (an assignment through `h` does not count as naming
/// it), and the indentation is the author's only sign of intent: a nested braceless `if`
/// indented deeper is taken as meant.
struct DanglingHeader {
    /// The handle the header tests, as written (`f0`, `*f0`).
    let handle: String
    /// The block ending in the test, the first block of its body, and where the body joins.
    let test: BlockID
    let body: BlockID
    let join: BlockID
    /// Where the body goes: the end of the header's line (after any comment on it).
    let insertAt: Int
    /// The indentation the body gets: one level deeper than the header.
    let indentation: String

    /// Every stranded header of the function.
    static func all(in points: FunctionPoints, source: SourceText) -> [DanglingHeader] {
        points.function.blocks.compactMap { block in
            guard case .branch(let condition, let then, let other, let location) = block.terminator,
                  let handle = testedHandle(condition), let start = source.position(location),
                  let open = source.previousSignificant(before: start.offset), source.bytes[open] == UInt8(ascii: "("),
                  let word = source.previousSignificant(before: open), source.endsWithWord("if", at: word),
                  let close = matchingClose(open, in: source),
                  let next = nextSignificant(after: close, in: source), source.bytes[next] != UInt8(ascii: "{")
            else { return nil }
            let headerLine = source.position(offset: close).line
            let bodyLine = source.position(offset: next).line
            guard bodyLine > headerLine, width(source.indentation(of: bodyLine)) <= width(source.indentation(of: headerLine)),
                  !names(handle, from: then, to: other, test: block.id, in: points) else { return nil }
            return DanglingHeader(handle: handle, test: block.id, body: then, join: other,
                                  insertAt: source.lineEnd(headerLine),
                                  indentation: source.indentation(of: headerLine) + source.indentUnit)
        }
    }

    /// Whether the header lies on a way from the acquisition at `site` to `exit`.
    func isBetween(_ site: SourceLocation, and exit: SourceLocation, in points: FunctionPoints) -> Bool {
        guard let to = points.point(of: exit) else { return false }
        let from = points.point(of: site)?.block ?? points.function.entry
        return points.function.reaches(from: from, to: test) && points.function.reaches(from: test, to: to.block)
    }

    /// Whether the stranded body releases `resource` (a call names its handle, or is its
    /// release or a call combining it: `end_op()`, `iunlockput(ip)` for `ip`'s lock): its
    /// leak on the paths where the header's test fails is the header's doing.
    func bodyReleases(_ resource: HeldResource, in points: FunctionPoints, pack: RulePack) -> Bool {
        if !resource.handleText.isEmpty, Self.names(resource.handleText, from: body, to: join, test: test, in: points) { return true }
        guard let release = resource.fix.flatMap(ReleaseCall.init) else { return false }
        let wanted = Set(release.expanded(with: pack.combines).map(\.key))
        return points.someCall(from: [body], before: [test, join]) { call in
            guard let made = ReleaseCall(call.text) else { return false }
            return !wanted.isDisjoint(with: made.expanded(with: pack.combines).map(\.key))
        }
    }

    /// Whether a call in the blocks from `start` up to `join` names `handle` as a whole word.
    private static func names(_ handle: String, from start: BlockID, to join: BlockID, test: BlockID,
                              in points: FunctionPoints) -> Bool {
        points.someCall(from: [start], before: [test, join]) { StatementText.mentions($0.text, handle) }
    }

    /// `h` of `if(h)` or `if(h != 0)`; nil for any other condition.
    private static func testedHandle(_ condition: Expr) -> String? {
        let text = condition.text.filter { !$0.isWhitespace }
        let handle = text.hasSuffix("!=0") ? String(text.dropLast(3)) : text
        guard !handle.isEmpty, handle.allSatisfy({ $0.isLetter || $0.isNumber || "_*.->[]".contains($0) }),
              handle.contains(where: { $0.isLetter || $0 == "_" }) else { return nil }
        return handle
    }

    private static func matchingClose(_ open: Int, in source: SourceText) -> Int? {
        var depth = 0
        for i in open..<source.bytes.count {
            switch source.bytes[i] {
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return i }
            default: break
            }
        }
        return nil
    }

    /// The first byte after `offset` that is not whitespace or inside a comment.
    private static func nextSignificant(after offset: Int, in source: SourceText) -> Int? {
        var i = offset + 1
        while i < source.bytes.count {
            let b = source.bytes[i]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                i += 1
            } else if b == UInt8(ascii: "/"), i + 1 < source.bytes.count, source.bytes[i + 1] == UInt8(ascii: "/") {
                i = source.lineEnd(source.position(offset: i).line)
            } else if b == UInt8(ascii: "/"), i + 1 < source.bytes.count, source.bytes[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i + 1 < source.bytes.count, !(source.bytes[i] == UInt8(ascii: "*") && source.bytes[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i += 2
            } else {
                return i
            }
        }
        return nil
    }

    /// Columns, a tab counting as eight.
    private static func width(_ indentation: String) -> Int {
        indentation.reduce(0) { $0 + ($1 == "\t" ? 8 : 1) }
    }
}
