import CLibClang
import LadderCore

/// The one-line `container_of` accessors of the headers a file includes, read from their
/// tokens:
///
///     static inline struct vsp1_clu *to_clu(struct v4l2_subdev *subdev)
///     {
///             return container_of(subdev, struct vsp1_clu, entity.subdev);
///     }
///
/// ladder lowers only the main file's bodies, and parses the headers with their bodies
/// skipped (`ParseOptions.skipHeaderBodies`), so a call to `to_clu()` was an unknown call
/// whose result named nothing: a destroy callback that frees `to_clu(&e->subdev)->pool`
/// released nothing its caller could name. Lowered as the `container_of` it is, the result
/// is the object around the argument, as for the macro written in the file itself.
///
/// Only that exact shape: one parameter, a body of one `return container_of(parameter,
/// struct T, member);`. A body with anything else in it (a `WARN_ON`, a cast, a test) is
/// left a call. Known per function name for the whole unit (C has one function per name).
/// Only `static inline` ones when the parse skipped header bodies: the text after the
/// declaration is its body only when it has one there.
final class HeaderAccessors {
    private let tu: CXTranslationUnit
    private let map: SourceMap
    private var members: [String: String?] = [:]

    init(tu: CXTranslationUnit, map: SourceMap) {
        self.tu = tu
        self.map = map
    }

    /// The member path (`entity.subdev`) a call of `declaration` goes back out of, when it
    /// is such an accessor defined outside the main file.
    func member(of declaration: Cursor) -> String? {
        let name = declaration.spelling
        if let known = members[name] { return known }
        let found = read(declaration)
        members[name] = found
        return found
    }

    private func read(_ declaration: Cursor) -> String? {
        guard declaration.kind == CXCursor_FunctionDecl, !map.isInMainFile(declaration),
              clang_Cursor_getNumArguments(declaration.raw) == 1 else { return nil }
        let parameter = Cursor(clang_Cursor_getArgument(declaration.raw, 0)).spelling
        // A parse that skipped the header's bodies ends the declaration at its `)`: the body
        // is read from the text after it. Otherwise the extent holds it.
        // libclang's tokens include comments.
        var tokens = declaration.tokens(in: tu).filter { !$0.hasPrefix("/*") && !$0.hasPrefix("//") }
        if let open = tokens.firstIndex(of: "{") {
            tokens = Array(tokens[open...])
        } else {
            guard tokens.contains("inline") || tokens.contains("__always_inline"),
                  let after = map.text(after: declaration, limit: 400) else { return nil }
            tokens = Self.tokens(after)
        }
        guard tokens.first == "{", let close = tokens.firstIndex(of: "}") else { return nil }
        let body = Array(tokens[1..<close])
        let head = ["return", "container_of", "(", parameter, ",", "struct"]
        guard body.count >= head.count + 5, Array(body.prefix(head.count)) == head, body[head.count + 1] == ",",
              Array(body.suffix(2)) == [")", ";"] else { return nil }
        let path = Array(body[(head.count + 2)..<(body.count - 2)])
        // `a` or `a.b.c`: names and dots alternating.
        guard path.count % 2 == 1 else { return nil }
        for (i, token) in path.enumerated() {
            if i % 2 == 1 { guard token == "." else { return nil } } else { guard Self.isIdentifier(token) else { return nil } }
        }
        return path.joined()
    }

    /// C's identifiers and single punctuation characters, comments and white space dropped,
    /// up to the first `}`: enough for the one-line body looked for.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        let bytes = Array(text.utf8)
        var i = 0
        func isWord(_ b: UInt8) -> Bool { b == UInt8(ascii: "_") || (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122) }
        while i < bytes.count {
            let b = bytes[i]
            if b == 32 || b == 9 || b == 10 || b == 13 { i += 1; continue }
            if b == UInt8(ascii: "/"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i + 1 < bytes.count, !(bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i += 2
                continue
            }
            if b == UInt8(ascii: "/"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "/") {
                while i < bytes.count, bytes[i] != 10 { i += 1 }
                continue
            }
            if isWord(b) {
                let start = i
                while i < bytes.count, isWord(bytes[i]) { i += 1 }
                tokens.append(String(decoding: bytes[start..<i], as: UTF8.self))
                continue
            }
            tokens.append(String(UnicodeScalar(b)))
            i += 1
            if b == UInt8(ascii: "}") { break }
        }
        return tokens
    }

    private static func isIdentifier(_ token: String) -> Bool {
        guard let first = token.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return token.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }
}
