/// Where a call's resource is, in terms of the call: `{ret}`, `{0}`, `*{0}`, `&{ret}->lock`,
/// `netdev_priv({0})->pdev`, or a global thing by name (`log`). Filled with a call's result
/// and arguments it gives the `AccessPath` the analysis tracks the resource by.
///
/// Packs spell templates as text (`PathTemplate(parsing:)`); summaries build them from the
/// paths a helper released (`PathTemplate(abstracting:)`), so no path is ever re-parsed
/// from its spelling.
public struct PathTemplate: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public indirect enum Root: Hashable, Sendable, Codable {
        case result
        case argument(Int)
        case named(String)
        case call(String, [PathTemplate])
        /// A fixed path inside a template (a global variable a helper released).
        case path(AccessPath)
    }

    public var root: Root
    public var steps: [AccessPath.Step]

    public init(_ root: Root, _ steps: [AccessPath.Step] = []) {
        self.root = root
        self.steps = steps
    }

    /// The argument this template names the pointee of (`*{0}`: `request_firmware(&fw, …)`
    /// fills `fw`), if it is one: an acquisition there writes its caller's variable.
    public var outParameter: Int? {
        guard case .argument(let i) = root, steps.first == .deref else { return nil }
        return i
    }

    /// `{ret}` or `{N}` alone.
    public var single: Root? {
        guard steps.isEmpty else { return nil }
        switch root {
        case .result, .argument: return root
        case .named, .call, .path: return nil
        }
    }

    /// Argument indices the template reads.
    public var arguments: [Int] {
        switch root {
        case .argument(let i): [i]
        case .call(_, let inner): inner.flatMap(\.arguments)
        case .result, .named, .path: []
        }
    }

    // MARK: Filling

    /// The path for one call; nil when a hole has nothing to fill it (`{ret}` of a call
    /// whose result is discarded, an argument the call does not have).
    public func path(result: Expr?, arguments: [Expr]) -> AccessPath? {
        guard let base = rootPath(result: result, arguments: arguments) else { return nil }
        return base.appending(steps)
    }

    private func rootPath(result: Expr?, arguments: [Expr]) -> AccessPath? {
        switch root {
        // A hole names the object its value points into (`kfree(P2V(pa))` frees `pa`'s page).
        case .result: return result?.path.object
        case .argument(let i): return i < arguments.count ? arguments[i].path.object : nil
        case .named(let name): return AccessPath(.named(name))
        case .path(let path): return path
        case .call(let name, let inner):
            var filled: [AccessPath] = []
            for template in inner {
                guard let p = template.path(result: result, arguments: arguments) else { return nil }
                filled.append(p)
            }
            return AccessPath(.call(name, filled))
        }
    }

    /// The handle as the source spells it (`&np->lock`), for messages.
    public func text(result: Expr?, arguments: [Expr]) -> String? {
        var holes: [String] = []
        switch root {
        case .result:
            guard let result else { return nil }
            holes = [result.text]
        case .argument(let i):
            guard i < arguments.count else { return nil }
            holes = [arguments[i].text]
        case .named, .path:
            break
        case .call(_, let inner):
            for template in inner {
                guard let t = template.text(result: result, arguments: arguments) else { return nil }
                holes.append(t)
            }
        }
        return spell(holes)
    }

    // MARK: From a path

    /// The template that, filled with a call's arguments, gives `path` back: each
    /// parameter read in it becomes its hole (`netdev_priv(dev)->pdev` in a helper whose
    /// parameter 0 is `dev` is `netdev_priv({0})->pdev`). Nil when no parameter is read.
    public init?(abstracting path: AccessPath, parameters: [Variable]) {
        guard let template = Self.abstract(path, parameters) else { return nil }
        self = template
    }

    /// `handle` in terms of the returned value: `{ret}` for the value itself, `&{ret}->lock`
    /// for `&p->lock` when `p` is returned.
    public init(handle: AccessPath, returned: AccessPath) {
        self.init(.result, handle == returned ? [] : handle.steps)
    }

    private static func abstract(_ path: AccessPath, _ parameters: [Variable]) -> PathTemplate? {
        switch path.root {
        case .variable(let v):
            guard let i = parameters.firstIndex(of: v) else { return nil }
            return PathTemplate(.argument(i), path.steps)
        case .call(let name, let arguments):
            var any = false
            let inner = arguments.map { argument -> PathTemplate in
                if let t = abstract(argument, parameters) {
                    any = true
                    return t
                }
                return PathTemplate(.path(argument))
            }
            return any ? PathTemplate(.call(name, inner), path.steps) : nil
        case .constant, .named, .anyElement, .operation:
            return nil
        }
    }

    // MARK: Parsing and spelling

    /// `[&*]* atom (->name | .name)*`, atom: `{ret}`, `{N}`, a name, or `name(template, …)`.
    public init(parsing text: String) throws(PathTemplateError) {
        var parser = Parser(text: Array(text.utf8), source: text)
        self = try parser.template()
        guard parser.atEnd else { throw PathTemplateError(template: text, reason: "unexpected text after the handle") }
    }

    public var description: String {
        let holes: [String]
        switch root {
        case .result: holes = ["{ret}"]
        case .argument(let i): holes = ["{\(i)}"]
        case .named, .path: holes = []
        case .call(_, let inner): holes = inner.map(\.description)
        }
        return spell(holes)
    }

    public static func < (a: PathTemplate, b: PathTemplate) -> Bool { a.description < b.description }

    private func spell(_ holes: [String]) -> String {
        let text: String
        switch root {
        case .result, .argument: text = holes.first ?? ""
        case .named(let name): text = name
        case .path(let path): text = path.description
        case .call(let name, _): text = name + "(" + holes.joined(separator: ", ") + ")"
        }
        return AccessPath.spell(steps, after: text)
    }

    private struct Parser {
        let text: [UInt8]
        let source: String
        var at = 0

        var atEnd: Bool { at == text.count }

        func fail(_ reason: String) -> PathTemplateError { PathTemplateError(template: source, reason: reason) }

        mutating func skipSpaces() {
            while at < text.count, text[at] == UInt8(ascii: " ") { at += 1 }
        }

        mutating func take(_ s: String) -> Bool {
            let bytes = Array(s.utf8)
            guard at + bytes.count <= text.count, Array(text[at..<at + bytes.count]) == bytes else { return false }
            at += bytes.count
            return true
        }

        mutating func template() throws(PathTemplateError) -> PathTemplate {
            skipSpaces()
            var prefix: [AccessPath.Step] = []
            while true {
                if take("&") { prefix.append(.addressOf) } else if take("*") { prefix.append(.deref) } else { break }
                skipSpaces()
            }
            var result = try atom()
            while true {
                if take("->") { result.steps.append(.field(try identifier(), arrow: true)) }
                else if take(".") { result.steps.append(.field(try identifier(), arrow: false)) }
                else { break }
            }
            // Prefix operators apply to the whole postfix chain, innermost first.
            for step in prefix.reversed() { result.steps.append(step) }
            result.steps = AccessPath(.anyElement, result.steps).steps  // the same folding as paths
            return result
        }

        mutating func atom() throws(PathTemplateError) -> PathTemplate {
            if take("{") {
                let start = at
                while at < text.count, text[at] != UInt8(ascii: "}") { at += 1 }
                guard at < text.count else { throw fail("an unclosed '{'") }
                let inner = String(decoding: text[start..<at], as: UTF8.self)
                at += 1
                if inner == "ret" { return PathTemplate(.result) }
                guard let i = Int(inner), i >= 0 else { throw fail("'{\(inner)}' is neither {ret} nor an argument index") }
                return PathTemplate(.argument(i))
            }
            let name = try identifier()
            guard take("(") else { return PathTemplate(.named(name)) }
            var inner: [PathTemplate] = []
            skipSpaces()
            if !take(")") {
                repeat {
                    inner.append(try template())
                    skipSpaces()
                } while take(",")
                guard take(")") else { throw fail("expected ')' after the arguments of \(name)") }
            }
            return PathTemplate(.call(name, inner))
        }

        mutating func identifier() throws(PathTemplateError) -> String {
            let start = at
            while at < text.count {
                let b = text[at]
                let isLetter = (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == UInt8(ascii: "_")
                let isDigit = b >= 0x30 && b <= 0x39
                guard isLetter || (isDigit && at > start) else { break }
                at += 1
            }
            guard at > start else { throw fail("expected a name") }
            return String(decoding: text[start..<at], as: UTF8.self)
        }
    }
}

public struct PathTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    public var template: String
    public var reason: String

    public var description: String { "handle '\(template)': \(reason)" }
}
