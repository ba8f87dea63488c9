/// One translation unit to parse: the file as the user named it, where to resolve relative
/// paths from, and the compiler flags that apply.
public struct CompileCommand: Sendable, Hashable {
    /// The path as given on the command line, or `file` from `compile_commands.json`
    /// joined to the entry's directory.
    public var file: String
    /// The build directory the flags are relative to (nil: the current directory).
    public var directory: String?
    public var arguments: [String]

    public init(file: String, directory: String? = nil, arguments: [String] = []) {
        self.file = file
        self.directory = directory
        self.arguments = arguments
    }
}
