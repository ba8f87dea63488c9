import ArgumentParser

@main
struct Ladder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ladder",
        abstract: "Checks that C error paths release what they acquired, in reverse order.",
        version: LadderVersion.string,
        subcommands: [Lint.self, DumpCFG.self])
}

enum LadderVersion {
    static let string = "0.1.0"
}
