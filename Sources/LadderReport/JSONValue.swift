import Foundation

/// A JSON document whose objects keep their keys in the order they were written.
///
/// `JSONSerialization` and `JSONEncoder` can only sort keys alphabetically; the reports put
/// them in the documented order instead (`rule` before `message`, `version` first), which is
/// what a human reading a report or a baseline diff expects. Output is byte-for-byte
/// deterministic, which the golden tests and baseline diffs rely on.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        a.serialized(pretty: false) == b.serialized(pretty: false)
    }

    /// Two-space indentation when pretty, ending without a newline; callers add one.
    func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(to: &out, layout: pretty ? .block(indent: 0) : .compact)
        return out
    }

    /// `compact`: no whitespace. `inline`: one line, a space after `,` and `:`. `block`:
    /// one member per line, indented.
    private enum Layout {
        case compact, inline, block(indent: Int)
    }

    private func write(to out: inout String, layout: Layout) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += Self.number(d)
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            writeContainer("[", "]", items.count, into: &out, layout: layout) { i, out, inner in
                items[i].write(to: &out, layout: inner)
            }
        case .object(let members):
            writeContainer("{", "}", members.count, into: &out, layout: layout) { i, out, inner in
                Self.quote(members[i].0, into: &out)
                if case .compact = inner { out += ":" } else { out += ": " }
                members[i].1.write(to: &out, layout: inner)
            }
        }
    }

    /// Pretty output puts a container of one-line scalars on one line (`{"file":
    /// "kernel/proc.c", "line": 215, "column": 5}`): locations stay readable, and a baseline
    /// entry is one line, so a diff of two baselines shows one line per finding that came
    /// or went. Multi-line texts (SARIF help) keep a line per member.
    private var isFlat: Bool {
        switch self {
        case .null, .bool, .int, .double, .string: true
        case .array(let items): items.allSatisfy(\.isOneLineScalar)
        case .object(let members): members.allSatisfy(\.1.isOneLineScalar)
        }
    }

    private var isOneLineScalar: Bool {
        switch self {
        case .null, .bool, .int, .double: true
        case .string(let s): !s.contains("\n")
        case .array, .object: false
        }
    }

    private func writeContainer(_ open: String, _ close: String, _ count: Int, into out: inout String,
                                layout: Layout, element: (Int, inout String, Layout) -> Void) {
        out += open
        guard count > 0 else { out += close; return }
        var effective = layout
        if case .block = layout, isFlat { effective = .inline }
        for i in 0..<count {
            if i > 0 { out += "," }
            switch effective {
            case .compact:
                element(i, &out, .compact)
            case .inline:
                if i > 0 { out += " " }
                element(i, &out, .inline)
            case .block(let indent):
                out += "\n" + String(repeating: " ", count: indent + 2)
                element(i, &out, .block(indent: indent + 2))
            }
        }
        if case .block(let indent) = effective { out += "\n" + String(repeating: " ", count: indent) }
        out += close
    }

    /// Shortest round-tripping form; JSON has no NaN or infinity, so those become null.
    private static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return "\(d)"
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSONValue {
    static func stringOrNull(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    static func intOrNull(_ i: Int?) -> JSONValue { i.map(JSONValue.int) ?? .null }
}
