/// Splits a compilation database's `command` string into arguments the way a POSIX shell
/// would: Kbuild and CMake quote for `sh` (`-DKBUILD_MODNAME='"demo"'`). No expansion
/// (`$VAR`, globs, `~`) happens; a database that relies on one gets its text literally.
public enum ShellWords {
    /// A quote or a trailing backslash with nothing to close it.
    public struct Unterminated: Error, Hashable, Sendable {}

    public static func split(_ command: String) throws(Unterminated) -> [String] {
        enum Quote { case none, single, double }
        var words: [String] = []
        var word = ""
        // A word may be empty but present (`''`), so "in a word" is tracked apart from its text.
        var inWord = false
        var quote = Quote.none
        var characters = command.makeIterator()
        while let c = characters.next() {
            switch quote {
            case .single:
                if c == "'" { quote = .none } else { word.append(c) }
            case .double:
                if c == "\"" {
                    quote = .none
                } else if c == "\\" {
                    guard let next = characters.next() else { throw Unterminated() }
                    // Inside double quotes a backslash escapes only these; elsewhere it stays.
                    if next == "\n" { continue }
                    if !"$`\"\\".contains(next) { word.append("\\") }
                    word.append(next)
                } else {
                    word.append(c)
                }
            case .none:
                if c == " " || c == "\t" || c == "\n" || c == "\r" {
                    if inWord { words.append(word) }
                    word = ""
                    inWord = false
                } else if c == "\\" {
                    guard let next = characters.next() else { throw Unterminated() }
                    inWord = inWord || next != "\n"
                    if next != "\n" { word.append(next) }
                } else if c == "'" {
                    quote = .single
                    inWord = true
                } else if c == "\"" {
                    quote = .double
                    inWord = true
                } else {
                    word.append(c)
                    inWord = true
                }
            }
        }
        guard quote == .none else { throw Unterminated() }
        if inWord { words.append(word) }
        return words
    }
}
