import Foundation
import Yams

/// A rule pack that cannot be used, with the place in the YAML file that is wrong.
public struct RulePackError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(file):\(line):\(column): error: \(message)" }
}

/// Reads a rule pack from YAML, checking every field against the format in
/// `rules/rules.schema.json` and naming the line of the first thing that is wrong.
public struct RulePackLoader {
    let file: String

    public init(file: String) { self.file = file }

    public static func load(path: String) throws(RulePackError) -> RulePack {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RulePackError(file: path, line: 0, column: 0, message: "cannot read rule file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RulePackError(file: path, line: 0, column: 0, message: "rule file is not UTF-8 text")
        }
        return try RulePackLoader(file: path).parse(text)
    }

    /// No implicit types: every scalar is text, read as a number or a truth value where a
    /// field wants one (`integer`, `truth`). Yams's rules are regular expressions, and
    /// compiling the first of them (ICU's set-up included) was a third of loading a pack,
    /// which the driver and every file worker do at their start. (Keys are text too: `yes`
    /// and `"yes"` in one mapping are one key twice, an error; no pack names a call so.)
    static let resolver = Resolver.basic

    public func parse(_ text: String) throws(RulePackError) -> RulePack {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text, Self.resolver) else { throw fail(nil, "empty rule file") }
            root = node
        } catch let error as RulePackError {
            throw error
        } catch let error as YamlError {
            throw yamlFailure(error)
        } catch {
            throw RulePackError(file: file, line: 0, column: 0, message: "invalid YAML: \(error)")
        }
        let top = try mapping(root, allowed: ["name", "description", "conventions", "functions", "noreturn", "kinds",
                                              "acquire", "release", "transfer", "encloses", "predicates", "results", "locks", "identity", "derives", "errorCodes", "pure", "readsThrough", "borrows", "copies", "zeroes", "bits", "retakes", "callsBack", "holds",
                                              "returns", "stores", "callbacks", "countedReferences", "nesting", "probeExcludes", "neverKept", "keptOnSuccess", "states", "devres", "waits", "boot"])
        guard let nameNode = top["name"] else { throw fail(root, "missing 'name'") }
        var pack = RulePack(name: try string(nameNode))
        pack.description = try top["description"].map(string) ?? ""
        if let node = top["kinds"] {
            for (key, value) in try pairs(node) { pack.kinds[ResourceKind(key)] = try string(value) }
        }
        if let node = top["locks"] {
            for item in try list(node) {
                pack.locks.insert(try kind(item, pack.kinds))
            }
        }
        if let node = top["countedReferences"] {
            for item in try list(node) { pack.countedReferences.insert(try kind(item, pack.kinds)) }
        }
        if let node = top["nesting"] {
            for item in try list(node) { pack.nesting.insert(try kind(item, pack.kinds)) }
        }
        if let node = top["probeExcludes"] { pack.probeExcludes = Set(try list(node).map(string)) }
        if let node = top["neverKept"] {
            for item in try list(node) {
                let listed = try kind(item, pack.kinds)
                guard pack.locks.contains(listed) else { throw fail(item, "'\(listed)' in neverKept is not one of the pack's locks") }
                pack.neverKept.insert(listed)
            }
        }
        if let node = top["keptOnSuccess"] {
            for item in try list(node) {
                let listed = try kind(item, pack.kinds)
                guard !pack.locks.contains(listed) else { throw fail(item, "'\(listed)' in keptOnSuccess is a lock: a lock kept at a return needs a contract") }
                pack.keptOnSuccess.insert(listed)
            }
        }
        if let node = top["states"] {
            for item in try list(node) { pack.states.insert(try kind(item, pack.kinds)) }
        }
        if let node = top["devres"] { pack.devres = Set(try list(node).map(string)) }
        if let node = top["conventions"] { pack.convention = try convention(node) }
        if let node = top["functions"] {
            for (key, value) in try pairs(node) { pack.functionErrors.append((key, try list(value).map(integer))) }
        }
        if let node = top["noreturn"] { pack.noReturn = Set(try list(node).map(string)) }
        if let node = top["waits"] { pack.waits = Set(try list(node).map(string)) }
        if let node = top["boot"] { pack.boot = Set(try list(node).map(string)) }
        if let node = top["identity"] { pack.identity = Set(try list(node).map(string)) }
        if let node = top["derives"] { pack.derives = Set(try list(node).map(string)) }
        if let node = top["errorCodes"] { pack.errorCodes = Set(try list(node).map(string)) }
        if let node = top["pure"] { pack.pure = Set(try list(node).map(string)) }
        if let node = top["readsThrough"] {
            pack.readsThrough = Set(try list(node).map(string))
            pack.pure.formUnion(pack.readsThrough)
        }
        if let node = top["borrows"] { pack.borrows = Set(try list(node).map(string)) }
        if let node = top["copies"] { pack.copies = Set(try list(node).map(string)) }
        if let node = top["zeroes"] { pack.zeroes = Set(try list(node).map(string)) }
        if let node = top["bits"] {
            for (call, value) in try pairs(node) {
                let name = try string(value)
                guard let operation = BitOperation(rawValue: name) else {
                    throw fail(value, "bits of '\(call)' must be one of \(BitOperation.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                pack.bits[call] = operation
            }
        }
        if let node = top["returns"] {
            for (call, value) in try pairs(node) { pack.returns[call] = try pathTemplate(value, call) }
        }
        if let node = top["stores"] {
            for (call, value) in try pairs(node) {
                let m = try mapping(value, allowed: ["value", "at"])
                guard let v = m["value"], let at = m["at"] else { throw fail(value, "stores of '\(call)' needs 'value' and 'at'") }
                pack.stores[call] = StoreRule(value: try argumentIndex(v), at: try pathTemplate(at, call))
            }
        }
        if let node = top["acquire"] {
            for (call, value) in try pairs(node) { pack.acquires[call] = try acquire(call, value, kinds: pack.kinds) }
        }
        if let node = top["release"] {
            var combining: [(call: String, node: Node, parts: [String])] = []
            for (call, value) in try pairs(node) {
                if value.sequence == nil, let m = try? mapping(value, allowed: ["combines"]), let parts = m["combines"] {
                    combining.append((call, value, try list(parts).map(string)))
                    continue
                }
                pack.releases[call] = value.sequence != nil
                    ? try list(value).map { entry throws(RulePackError) in try release(call, entry, kinds: pack.kinds) }
                    : [try release(call, value, kinds: pack.kinds)]
            }
            // A combined call releases what its parts do, as they do: one copy of each fact.
            for (call, value, parts) in combining {
                guard parts.count >= 2 else { throw fail(value, "release '\(call)' combines at least two calls") }
                var rules: [ReleaseRule] = []
                for part in parts {
                    guard let partRules = pack.releases[part] else {
                        throw fail(value, "release '\(call)' combines '\(part)', which is not a release of this pack")
                    }
                    rules += partRules.map { rule in
                        var renamed = rule
                        renamed.call = call
                        return renamed
                    }
                }
                pack.releases[call] = rules
                pack.combines[call] = parts
            }
        }
        for (call, rules) in pack.releases {
            pack.releases[call] = rules.map { rule in
                var tagged = rule
                tagged.pack = pack.name
                return tagged
            }
        }
        if let node = top["transfer"] {
            for (call, value) in try pairs(node) {
                let entries = value.sequence != nil ? try list(value) : [value]
                pack.transfers[call] = try entries.map { entry throws(RulePackError) in
                    let m = try mapping(entry, allowed: ["argument", "success", "action", "member", "pointerOnly", "kinds"])
                    guard let arg = m["argument"] else { throw fail(entry, "transfer of '\(call)' needs 'argument'") }
                    var rule = TransferRule(call: call, argument: try argumentIndex(arg),
                                            success: try m["success"].map(signs) ?? .always)
                    rule.action = try m["action"].map { n throws(RulePackError) in try argumentIndex(n) }
                    rule.member = try m["member"].map { n throws(RulePackError) in try string(n) }
                    rule.pointerOnly = try m["pointerOnly"].map(bool) ?? false
                    rule.kinds = try m["kinds"].map { n throws(RulePackError) in
                        try list(n).map { item throws(RulePackError) in try kind(item, pack.kinds) }
                    }
                    if rule.member != nil, rule.action != nil { throw fail(entry, "transfer of '\(call)': 'member' and 'action' do not go together") }
                    return rule
                }
            }
        }
        if let node = top["encloses"] {
            for (outer, value) in try pairs(node) {
                try checkKind(ResourceKind(outer), node, pack.kinds)
                let inner = try list(value).map { item throws(RulePackError) in try kind(item, pack.kinds) }
                pack.enclosures.append(Enclosure(outer: ResourceKind(outer), inner: inner))
            }
        }
        if let node = top["predicates"] {
            for (call, value) in try pairs(node) {
                let m = try mapping(value, allowed: ["argument", "whenTrue"])
                guard let arg = m["argument"], let whenTrue = m["whenTrue"] else {
                    throw fail(value, "predicate '\(call)' needs 'argument' and 'whenTrue'")
                }
                pack.predicates[call] = Predicate(argument: try argumentIndex(arg), whenTrue: try signs(whenTrue))
            }
        }
        if let node = top["retakes"] {
            for (call, value) in try pairs(node) { pack.retakes[call] = try lockArgument(call, value, pack) }
        }
        if let node = top["callsBack"] {
            for (call, value) in try pairs(node) {
                let m = try mapping(value, allowed: ["function", "arguments", "childrenOf"])
                guard let function = m["function"], (m["arguments"] == nil) != (m["childrenOf"] == nil) else {
                    throw fail(value, "callsBack '\(call)' needs 'function' (an argument index) and either 'arguments' (a list of them) or 'childrenOf' (the argument whose children it is called on)")
                }
                var arguments: [Int] = []
                if let node = m["arguments"] { arguments = try list(node).map { n throws(RulePackError) in try argumentIndex(n) } }
                var childrenOf: Int?
                if let node = m["childrenOf"] { childrenOf = try argumentIndex(node) }
                pack.callsBack[call] = CallBack(function: try argumentIndex(function), arguments: arguments, childrenOf: childrenOf)
            }
        }
        if let node = top["holds"] {
            for (call, value) in try pairs(node) { pack.lockQueries[call] = try lockArgument(call, value, pack) }
        }
        if let node = top["callbacks"] {
            pack.callbacks = try list(node).map { entry throws(RulePackError) in try callbackPair(entry) }
        }
        if let node = top["results"] {
            for (call, value) in try pairs(node) { pack.resultSigns[call] = try signs(value) }
        }
        return pack
    }

    // MARK: Entries

    func acquire(_ call: String, _ node: Node, kinds: [ResourceKind: String]) throws(RulePackError) -> AcquireRule {
        let m = try mapping(node, allowed: ["kind", "handle", "success", "takes", "fix", "independent", "resources", "managed", "dependsOn", "range",
                                                 "releasableByHand", "manages", "managedUnlessHeld", "takesContainer", "shownBy", "mayIgnoreFailure", "returnsIt"])
        var resources: [ResourceSpec] = []
        if let list = m["resources"] {
            let entries = try self.list(list)
            for (index, entry) in entries.enumerated() {
                let r = try mapping(entry, allowed: ["kind", "handle", "fix", "independent", "needs"])
                var spec = try resource(call, entry, r, kinds: kinds)
                if let needs = r["needs"] {
                    for item in try self.list(needs) {
                        let other = try argumentIndex(item)
                        guard other < entries.count, other != index else {
                            throw fail(item, "needs \(other): '\(call)' acquires resources 0 to \(entries.count - 1), and this is \(index)")
                        }
                        spec.needs.append(other)
                    }
                }
                resources.append(spec)
            }
        } else {
            resources.append(try resource(call, node, m, kinds: kinds))
        }
        var takes: [Int] = [], dependsOn: [Int] = []
        if let t = m["takes"] { for item in try list(t) { takes.append(try argumentIndex(item)) } }
        if let d = m["dependsOn"] { for item in try list(d) { dependsOn.append(try argumentIndex(item)) } }
        var rule = AcquireRule(call: call, resources: resources, success: try m["success"].map(signs) ?? .always,
                               takes: takes, dependsOn: dependsOn,
                               managed: try m["managed"].map(bool) ?? false, range: try m["range"].map(range))
        rule.releasableByHand = try m["releasableByHand"].map(bool) ?? false
        rule.mayIgnoreFailure = try m["mayIgnoreFailure"].map(bool) ?? false
        rule.returnsIt = try m["returnsIt"].map(bool) ?? false
        if rule.returnsIt, !resources.contains(where: { $0.handle.root != .result }) {
            throw fail(m["returnsIt"]!, "returnsIt of '\(call)': its handle is already the result")
        }
        if let node = m["shownBy"] {
            let query = try pathTemplate(node, call)
            guard case .call = query.root, query.steps.isEmpty else { throw fail(node, "shownBy of '\(call)' must be a call, as 'pm_runtime_enabled({0})'") }
            rule.shownBy = query
        }
        if let t = m["takesContainer"] { for item in try list(t) { rule.takesContainer.append(try argumentIndex(item)) } }
        rule.manages = try m["manages"].map { n throws(RulePackError) in
            try list(n).map { item throws(RulePackError) in try kind(item, kinds) }
        } ?? []
        rule.managedUnlessHeld = try m["managedUnlessHeld"].map { n throws(RulePackError) in
            try list(n).map { item throws(RulePackError) in try kind(item, kinds) }
        } ?? []
        return rule
    }

    func resource(_ call: String, _ node: Node, _ m: [String: Node], kinds: [ResourceKind: String]) throws(RulePackError) -> ResourceSpec {
        guard let kindNode = m["kind"] else { throw fail(node, "acquire '\(call)' needs a 'kind'") }
        let kind = try kind(kindNode, kinds)
        let handle = try pathTemplate(m["handle"], or: "{ret}", call)
        return ResourceSpec(kind: kind, handle: handle, independent: try m["independent"].map(bool) ?? false,
                            fix: try m["fix"].map { n throws(RulePackError) in try template(n, call) })
    }

    func release(_ call: String, _ node: Node, kinds: [ResourceKind: String]) throws(RulePackError) -> ReleaseRule {
        let m = try mapping(node, allowed: ["kind", "kinds", "handle", "bulk", "alsoReleases", "nullSafe", "errorSafe", "safeAfterFailure", "safeWhenAbsent", "safeWhenAbsentWithout", "members", "freesContents", "range", "noOpWhenZero", "elementField"])
        var releaseKinds: [ResourceKind] = []
        if let k = m["kind"] { releaseKinds.append(try kind(k, kinds)) }
        if let k = m["kinds"] { releaseKinds += try list(k).map { item throws(RulePackError) in try kind(item, kinds) } }
        guard !releaseKinds.isEmpty else { throw fail(node, "release '\(call)' needs a 'kind' or 'kinds'") }
        let also = try m["alsoReleases"].map { n throws(RulePackError) in
            try list(n).map { item throws(RulePackError) in try kind(item, kinds) }
        } ?? []
        var contents = ContentsPolicy.always
        if let c = m["freesContents"] {
            if let b = Self.truth(c) { contents = b ? .always : .never }
            else {
                let cm = try mapping(c, allowed: ["whenArgumentNonZero"])
                guard let arg = cm["whenArgumentNonZero"] else { throw fail(c, "freesContents takes true, false or {whenArgumentNonZero: N}") }
                contents = .whenArgumentNonZero(try argumentIndex(arg))
            }
        }
        var rule = ReleaseRule(call: call, kinds: releaseKinds, handle: try pathTemplate(m["handle"], or: "{0}", call),
                               bulk: try m["bulk"].map(bool) ?? false, alsoReleases: also,
                               nullSafe: try m["nullSafe"].map(bool) ?? false, freesContents: contents)
            .with(range: try m["range"].map(range))
        rule.errorSafe = try m["errorSafe"].map(bool) ?? false
        rule.safeAfterFailure = try m["safeAfterFailure"].map(bool) ?? false
        rule.safeWhenAbsent = try m["safeWhenAbsent"].map(bool) ?? false
        rule.safeWhenAbsentWithout = try m["safeWhenAbsentWithout"].map(string)
        rule.noOpWhenZero = try m["noOpWhenZero"].map { n throws(RulePackError) in try argumentIndex(n) }
        rule.elementField = try m["elementField"].map(string)
        if let n = m["members"] {
            let mm = try mapping(n, allowed: ["field", "entry"])
            guard let field = mm["field"] else { throw fail(n, "members takes {field: F} or {field: F, entry: E}") }
            rule.members = MemberList(field: try string(field), entry: try mm["entry"].map(string))
        }
        return rule
    }

    /// A `callbacks` entry: `{acquire: open, release: release}`, optionally `keptOnFailure: true`.
    func callbackPair(_ node: Node) throws(RulePackError) -> CallbackPair {
        let m = try mapping(node, allowed: ["acquire", "release", "keptOnFailure"])
        guard let acquire = m["acquire"], let release = m["release"] else {
            throw fail(node, "a callbacks entry needs 'acquire' and 'release' (field names)")
        }
        let pair = CallbackPair(acquire: try string(acquire), release: try string(release),
                                keptOnFailure: try m["keptOnFailure"].map(bool) ?? false)
        guard pair.acquire != pair.release else { throw fail(node, "a callbacks entry pairs two different fields") }
        return pair
    }

    /// A `retakes` or `holds` entry: `{kind: spinlock, handle: "{1}"}`; the kinds must be locks.
    func lockArgument(_ call: String, _ node: Node, _ pack: RulePack) throws(RulePackError) -> LockArgument {
        let m = try mapping(node, allowed: ["kind", "kinds", "handle"])
        var lockKinds: [ResourceKind] = []
        if let k = m["kind"] { lockKinds.append(try kind(k, pack.kinds)) }
        if let k = m["kinds"] { lockKinds += try list(k).map { item throws(RulePackError) in try kind(item, pack.kinds) } }
        guard !lockKinds.isEmpty else { throw fail(node, "'\(call)' needs a 'kind' or 'kinds'") }
        for k in lockKinds where !pack.locks.contains(k) {
            throw fail(node, "'\(call)' names kind '\(k)', which is not listed under 'locks'")
        }
        guard let handle = m["handle"] else { throw fail(node, "'\(call)' needs a 'handle'") }
        return LockArgument(kinds: lockKinds, handle: try pathTemplate(handle, call))
    }

    func range(_ node: Node) throws(RulePackError) -> RangeSpec {
        let m = try mapping(node, allowed: ["start", "end", "length", "pages"])
        func bound(_ n: Node?) throws(RulePackError) -> RangeSpec.Bound? {
            guard let n else { return nil }
            let text = try string(n)
            // `{N}` is read as a fix template's hole is, which refuses a negative N.
            if case .argument(let i, divisor: nil, divisorName: nil)? = HandleTemplate(text).single { return .argument(i) }
            if let v = Int64(text) { return .constant(v) }
            throw fail(n, "a range bound is {N} (an argument) or an integer")
        }
        guard let start = try bound(m["start"]) else { throw fail(node, "a range needs 'start'") }
        return RangeSpec(start: start, end: try bound(m["end"]), length: try bound(m["length"]), pages: try bound(m["pages"]))
    }

    func convention(_ node: Node) throws(RulePackError) -> ErrorConvention {
        let m = try mapping(node, allowed: ["pointer", "signed", "unsigned"])
        var c = ErrorConvention()
        if let p = m["pointer"] { c.pointer = try signs(p) }
        if let s = m["signed"] { c.signed = try signs(s) }
        if let u = m["unsigned"] { c.unsignedValues = try list(u).map(integer) }
        return c
    }

    /// `absent` is the template of a field left out. (A `Node` made here would have Yams's
    /// default resolver, whose regular expressions `resolver` exists to avoid.)
    func pathTemplate(_ node: Node?, or absent: String = "", _ call: String) throws(RulePackError) -> PathTemplate {
        var text = absent
        if let node { text = try string(node) }
        do {
            return try PathTemplate(parsing: text)
        } catch {
            throw fail(node, "\(error) in '\(call)': write {ret}, {N}, a name, with & * -> . around them")
        }
    }

    func template(_ node: Node, _ call: String) throws(RulePackError) -> HandleTemplate {
        let t = HandleTemplate(try string(node))
        // Braces counted as `holes` finds them, byte by byte.
        let opens = t.text.utf8.filter { $0 == UInt8(ascii: "{") }.count
        guard opens == t.holes.count, opens == t.text.utf8.filter({ $0 == UInt8(ascii: "}") }).count else {
            throw fail(node, "'\(t.text)' in '\(call)': holes are {ret}, {N} or {N/DIVISOR:NAME}")
        }
        return t
    }

    static let signNames: [String: SignSet] = [
        "negative": .negative, "zero": .zero, "positive": .positive, "nonzero": .nonZero,
        "nonnegative": .nonNegative, "not-error": .nonNegative, "valid-pointer": .positive, "always": .always,
        "nonpositive": [.negative, .zero],
    ]

    func signs(_ node: Node) throws(RulePackError) -> SignSet {
        if node.sequence != nil {
            var result: SignSet = []
            for item in try list(node) { result.formUnion(try signs(item)) }
            return result
        }
        let name = try string(node)
        guard let s = RulePackLoader.signNames[name] else {
            throw fail(node, "unknown value condition '\(name)' (use one of: \(RulePackLoader.signNames.keys.sorted().joined(separator: ", ")))")
        }
        return s
    }

    func checkKind(_ kind: ResourceKind, _ node: Node, _ kinds: [ResourceKind: String]) throws(RulePackError) {
        guard kinds[kind] != nil else { throw fail(node, "unknown resource kind '\(kind)' (declare it under 'kinds')") }
    }

    /// A kind named at `node`, which the pack must declare.
    func kind(_ node: Node, _ kinds: [ResourceKind: String]) throws(RulePackError) -> ResourceKind {
        let kind = ResourceKind(try string(node))
        try checkKind(kind, node, kinds)
        return kind
    }

    // MARK: YAML plumbing

    func fail(_ node: Node?, _ message: String) -> RulePackError {
        RulePackError(file: file, line: (node?.mark?.line ?? 0), column: (node?.mark?.column ?? 0), message: message)
    }

    /// One line at the place that is wrong. Yams's own descriptions of a duplicate key or a
    /// bad alias carry the whole document (and a duplicate's position only in its context),
    /// so each case is spelled here from its parts.
    func yamlFailure(_ error: YamlError) -> RulePackError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return RulePackError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return RulePackError(file: file, line: context.mark.line, column: context.mark.column,
                                 message: "invalid YAML: the key \(keys) appears more than once in one mapping (first here)")
        case .reader(let problem, let offset, _, let yaml):
            let (line, column) = offset.map { Self.lineAndColumn(ofCharacter: $0, in: yaml) } ?? (0, 0)
            return RulePackError(file: file, line: line, column: column, message: "invalid YAML: \(problem)")
        case .no, .memory, .writer, .emitter, .representer, .dataCouldNotBeDecoded:
            return RulePackError(file: file, line: 0, column: 0, message: "invalid YAML: \(error)")
        }
    }

    /// 1-based line and column of the `offset`th character of `text`.
    static func lineAndColumn(ofCharacter offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    func mapping(_ node: Node, allowed: Set<String>) throws(RulePackError) -> [String: Node] {
        var result: [String: Node] = [:]
        for (key, value) in try pairs(node) {
            guard allowed.contains(key) else {
                throw fail(value, "unknown field '\(key)' (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            result[key] = value
        }
        return result
    }

    func pairs(_ node: Node) throws(RulePackError) -> [(String, Node)] {
        guard let m = node.mapping else { throw fail(node, "expected a mapping") }
        var result: [(String, Node)] = []
        for (key, value) in m {
            guard let k = key.string else { throw fail(key, "expected a string key") }
            result.append((k, value))
        }
        return result
    }

    func list(_ node: Node) throws(RulePackError) -> [Node] {
        guard let s = node.sequence else { throw fail(node, "expected a list") }
        return Array(s)
    }

    func string(_ node: Node) throws(RulePackError) -> String {
        guard let s = node.scalar?.string else { throw fail(node, "expected a string") }
        return s
    }

    func integer(_ node: Node) throws(RulePackError) -> Int64 {
        guard let s = node.scalar?.string, let v = Int64(s) else { throw fail(node, "expected an integer") }
        return v
    }

    /// A position, from 0: every field that names an argument (`takes`, `dependsOn`,
    /// `takesContainer`, `whenArgumentNonZero`, a predicate's or a transfer's `argument` and
    /// `action`, a store's `value`), and `needs`, which names another resource of the same
    /// call (checked against the call's resources where it is read). A negative one was
    /// once read as given and crashed the walk at the first call it named; an argument past
    /// the call's arguments names nothing there.
    func argumentIndex(_ node: Node) throws(RulePackError) -> Int {
        let value = try integer(node)
        guard value >= 0 else { throw fail(node, "expected a position (0 or more), not \(value)") }
        return value.clamped
    }

    func bool(_ node: Node) throws(RulePackError) -> Bool {
        guard let b = Self.truth(node) else { throw fail(node, "expected true or false") }
        return b
    }

    /// A truth value as the packs were read before they had no implicit types: an unquoted
    /// `true`, `false`, `yes`, `no`, `on` or `off` in any case, or any scalar tagged `!!bool`.
    /// A quoted one is text. One difference remains, since without Yams's rule an untagged
    /// scalar and one tagged `!!str` both come out as text: `!!str true` is true here.
    static func truth(_ node: Node) -> Bool? {
        guard let scalar = node.scalar else { return nil }
        if scalar.tag.description == Tag.Name.bool.rawValue { return Bool.construct(from: scalar) }
        guard scalar.style == .plain else { return nil }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }
}

extension Int64 {
    var clamped: Int { Int(clamping: self) }
}
