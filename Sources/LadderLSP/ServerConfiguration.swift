import LadderDriver

/// What `ladder lsp`'s flags say; fixed for the session.
public struct ServerConfiguration: Sendable {
    /// `ladder lsp -- ARGS`: added to every file's flags (see `CompileFlags`).
    public var clangArguments: [String]
    /// `--rules`, as for `ladder lint`; empty: the default pack.
    public var rulePacks: [String]
    /// File workers (the default: a libclang crash costs one analysis, not the session) or
    /// the server's own threads.
    public var isolation: FileIsolation
    /// How long the buffer must stay unchanged before it is analysed: typing produces one
    /// analysis per pause, not one per keystroke.
    public var debounceSeconds: Double
    public var ruleDocs: RuleDocs?
    public var toolVersion: String

    public init(clangArguments: [String] = [], rulePacks: [String] = [], isolation: FileIsolation = .inProcess,
                debounceSeconds: Double = 0.3, ruleDocs: RuleDocs? = nil, toolVersion: String) {
        self.clangArguments = clangArguments
        self.rulePacks = rulePacks
        self.isolation = isolation
        self.debounceSeconds = debounceSeconds
        self.ruleDocs = ruleDocs
        self.toolVersion = toolVersion
    }
}
