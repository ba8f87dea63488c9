import Foundation
import LadderCore
@preconcurrency import Rainbow

/// The colours of the text format, applied with Rainbow only when the CLI asked for colour.
///
/// Rainbow decides from process-wide switches (`Rainbow.enabled`, `Rainbow.outputTarget`,
/// which looks at whether *stdout* is a terminal). ladder decides itself (`--color`,
/// `NO_COLOR`, and the stream the report really goes to), so when colour is wanted the
/// switches are forced on for the duration of one styling call, under a lock, and restored:
/// rendering stays a pure function of its options, safe from concurrent callers.
/// (`@preconcurrency` on the import: Rainbow predates Swift concurrency and declares those
/// switches as plain static vars; the lock is what makes touching them safe.)
struct Palette {
    enum Role {
        case location, error, warning, note, rule, fix, headline
    }

    var enabled: Bool

    func paint(_ text: String, _ role: Role) -> String {
        guard enabled, !text.isEmpty else { return text }
        return Self.styled { text.applyingCodes(Self.codes(for: role)) }
    }

    func paint(_ text: String, severity: Severity) -> String {
        switch severity {
        case .error: paint(text, .error)
        case .warning: paint(text, .warning)
        case .note: paint(text, .note)
        }
    }

    /// gcc's diagnostic colours, so the output looks like the compiler's next to it.
    private static func codes(for role: Role) -> [any ModeCode] {
        switch role {
        case .location, .headline: [Style.bold]
        case .error: [Style.bold, NamedColor.red]
        case .warning: [Style.bold, NamedColor.magenta]
        case .note: [Style.bold, NamedColor.cyan]
        case .rule: [NamedColor.lightBlack]
        case .fix: [NamedColor.green]
        }
    }

    private static let lock = NSLock()

    private static func styled(_ body: () -> String) -> String {
        lock.lock()
        defer { lock.unlock() }
        let (enabled, target) = (Rainbow.enabled, Rainbow.outputTarget)
        Rainbow.enabled = true
        Rainbow.outputTarget = .console
        defer { (Rainbow.enabled, Rainbow.outputTarget) = (enabled, target) }
        return body()
    }
}

private extension String {
    func applyingCodes(_ codes: [any ModeCode]) -> String {
        codes.reduce(self) { $0.applyingCodes($1) }
    }
}
