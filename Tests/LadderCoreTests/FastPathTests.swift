import Foundation
@testable import LadderCore
import Testing

/// The hand-rolled fast paths the walk and the fixes take must agree with what they stand
/// in for.
@Suite("Fast paths")
struct FastPathTests {
    /// Every string of up to four characters over spaces, tabs, other Unicode spaces and
    /// text is trimmed exactly as Foundation trims `.whitespaces`.
    @Test("trimmingSpaces is trimmingCharacters(in: .whitespaces)")
    func trimmingAgreesWithFoundation() {
        let alphabet: [String] = [" ", "\t", "\u{00A0}", "\u{2003}", "a", "(", "é", "\n"]
        var strings = [""]
        var frontier = [""]
        for _ in 1...4 {
            frontier = frontier.flatMap { s in alphabet.map { s + $0 } }
            strings += frontier
        }
        for s in strings {
            #expect(s.trimmingSpaces == s.trimmingCharacters(in: .whitespaces), "\(s.debugDescription)")
            let sub = Substring("x" + s + "x").dropFirst().dropLast()
            #expect(sub.trimmingSpaces == s.trimmingCharacters(in: .whitespaces), "substring \(s.debugDescription)")
        }
    }

    /// A state's remembered hash is forgotten when it changes, whether the change copied
    /// its parts or changed them in place.
    @Test("a path state's cached hash follows its changes")
    func pathStateHashFollowsChanges() {
        var changed = PathState()
        changed.unchecked = true
        let a = PathState()
        let before = a.hashValue
        var shared = a
        shared.unchecked = true
        #expect(a.hashValue == before)
        #expect(shared != a)
        #expect(shared == changed && shared.hashValue == changed.hashValue)
        var inPlace = PathState()
        _ = inPlace.hashValue
        inPlace.unchecked = true
        #expect(inPlace == changed && inPlace.hashValue == changed.hashValue)
        inPlace.unchecked = false
        #expect(inPlace == a && inPlace.hashValue == a.hashValue)
    }

    @Test("foldingAddressOfDeref folds every *& and leaves other text alone")
    func addressOfDerefFolding() {
        #expect(HandleTemplate.foldingAddressOfDeref("release_firmware(*&fw)") == "release_firmware(fw)")
        #expect(HandleTemplate.foldingAddressOfDeref("f(*&*&x, *&y)") == "f(x, y)")
        #expect(HandleTemplate.foldingAddressOfDeref("f(*p, &q)") == "f(*p, &q)")
        #expect(HandleTemplate.foldingAddressOfDeref("") == "")
        #expect(HandleTemplate.foldingAddressOfDeref("*") == "*")
        #expect(HandleTemplate.foldingAddressOfDeref("f(**&&x)") == "f(x)")
        // Every string of up to six of `*`, `&` and `x`, against removing the first `*&`
        // until none is left.
        var strings = [""]
        var frontier = [""]
        for _ in 1...6 {
            frontier = frontier.flatMap { s in ["*", "&", "x"].map { s + $0 } }
            strings += frontier
        }
        for s in strings {
            var slow = s
            while let range = slow.range(of: "*&") { slow.removeSubrange(range) }
            #expect(HandleTemplate.foldingAddressOfDeref(s) == slow, "\(s)")
        }
    }

    /// A held resource's remembered hash and its equality follow its changes, made in place
    /// or on a copy that shares its fields.
    @Test("a held resource's cached hash follows its changes")
    func heldResourceHashFollowsChanges() {
        let site = SourceLocation(file: "a.c", line: 3, column: 5)
        let a = HeldResource(id: 1, kind: ResourceKind("page"), handles: [AccessPath(variable: Variable("mem", .local))], handleText: "mem",
                             acquiredBy: "kalloc", site: site, dependsOn: [], contents: [], managed: false)
        let before = a.hashValue
        var copy = a
        #expect(copy == a)
        copy.handles.append(AccessPath(variable: Variable("p", .local)))
        #expect(a.hashValue == before && a.handles.count == 1)
        #expect(copy != a && copy.hashValue != before)
        copy.handles.removeLast()
        #expect(copy == a && copy.hashValue == before)
        // Fields left out of the hash still tell two resources apart.
        var elsewhere = a
        elsewhere.acquiredBy = "kmalloc"
        #expect(elsewhere != a && elsewhere.hashValue == before)
        var inPlace = a
        _ = inPlace.hashValue
        inPlace.callerOwned = true
        #expect(inPlace != a)
        inPlace.callerOwned = false
        #expect(inPlace == a && inPlace.hashValue == before)
    }
}
