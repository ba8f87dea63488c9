import Foundation

/// A document's identity in the protocol. Only `file:` URIs name something ladder can
/// parse; any other scheme (an untitled buffer, a diff view) is tracked but not analysed.
public struct DocumentURI: Sendable, Hashable, CustomStringConvertible {
    public let string: String

    public init(_ string: String) {
        self.string = string
    }

    public init(path: String) {
        string = URL(fileURLWithPath: path).absoluteString
    }

    /// The file's absolute, standardised path, percent-escapes decoded; nil when not `file:`.
    public var path: String? {
        guard let url = URL(string: string), url.isFileURL else { return nil }
        return url.standardizedFileURL.path
    }

    public var description: String { string }
}
