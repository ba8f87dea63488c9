import LadderCore
import Testing

/// A YAML mistake is one line at the place that is wrong. Yams describes a duplicate key
/// or an undefined alias with the whole document attached, and the loader used to print
/// that, at 0:0.
@Suite struct RulePackYAMLErrorTests {
    static func error(_ yaml: String) -> RulePackError? {
        do {
            _ = try RulePackLoader(file: "pack.yaml").parse(yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test("a duplicate key names itself and the line of its first use")
    func duplicateKey() throws {
        let error = try #require(Self.error("name: t\nkinds:\n  page: a page\n  lock: a lock\n  page: again\n"))
        #expect(error.file == "pack.yaml" && error.line == 3 && error.column == 3)
        #expect(error.message == "invalid YAML: the key 'page' appears more than once in one mapping (first here)")
        #expect(!error.description.contains("\n"))
    }

    @Test("a duplicate top-level key, too")
    func duplicateTopLevelKey() throws {
        let error = try #require(Self.error("name: t\nkinds:\n  page: a page\nkinds:\n  lock: a lock\n"))
        #expect(error.line == 2 && error.column == 1)
        #expect(error.message.contains("'kinds'"))
    }

    @Test("an undefined alias is reported where it is used")
    func undefinedAlias() throws {
        let error = try #require(Self.error("name: t\nkinds: *nothing\n"))
        #expect(error.line == 2 && error.column == 8)
        #expect(error.message == "invalid YAML: found undefined alias")
    }

    @Test("scanner and parser errors keep their place and stay on one line")
    func scannerError() throws {
        let error = try #require(Self.error("name: [unclosed\n"))
        #expect(error.line > 0)
        #expect(!error.description.contains("\n"))
    }
}
