/// Where a rule's documentation is: `codeDescription.href` of each diagnostic, so an editor
/// links the rule id to its section of docs/rules.md (headings are the rule ids, so the
/// anchor is the id). The base is a URI the user's machine can open: the installed copy,
/// the source checkout's, or one given with `ladder lsp --rules-doc`.
public struct RuleDocs: Sendable, Hashable {
    /// A URI without a fragment, e.g. `file:///usr/share/doc/ladder/rules.md`.
    public var base: String

    public init(base: String) {
        self.base = base
    }

    public func link(_ rule: String) -> String { base + "#" + rule }
}
