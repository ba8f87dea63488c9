import LadderCore
import Testing

/// `ladder rules --check`: each lint check fires on the mistake it names, at the line the
/// entry is written on, and stays quiet on the correct form of the same entry.
@Suite struct RulePackLintTests {
    /// A small correct pack; each test breaks it in one way.
    static let base = """
        name: demo
        kinds:
          heap: memory
          mutex: a held mutex
        locks: [mutex]
        acquire:
          malloc: {kind: heap, success: valid-pointer, fix: "free({ret})"}
          mutex_lock: {kind: mutex, handle: "{0}", fix: "mutex_unlock({0})"}
        release:
          free: {kind: heap, handle: "{0}", nullSafe: true}
          mutex_unlock: {kind: mutex, handle: "{0}"}
        """

    func check(_ text: String) throws(RulePackError) -> [RulePackWarning] {
        try RulePackLint.check(text: text, file: "demo.yaml")
    }

    @Test func theBasePackIsClean() throws {
        #expect(try check(Self.base).isEmpty)
    }

    @Test func everyShippedPackIsValidAndPosixIsClean() throws {
        for name in BuiltinPacks.names {
            let warnings = try RulePackLint.check(nameOrPath: name)
            if name == "posix" { #expect(warnings.isEmpty, "\(warnings)") }
        }
    }

    @Test func releaseOfAKindNothingAcquires() throws {
        let text = Self.base.replacingOccurrences(of: "kinds:\n", with: "kinds:\n  dir: a directory\n")
            + "\n  closedir: {kind: dir, handle: \"{0}\"}"
        let warnings = try check(text)
        #expect(warnings.map(\.check) == [.releaseWithoutAcquire])
        #expect(warnings.first?.line == 13)
        #expect(warnings.first?.message.contains("closedir() releases dir") == true)
    }

    @Test func acquireOfAKindNothingReleases() throws {
        let text = Self.base.replacingOccurrences(of: "  free: {kind: heap, handle: \"{0}\", nullSafe: true}\n", with: "")
        let warnings = try check(text)
        // The fix names free(), which no longer releases anything, too.
        #expect(Set(warnings.map(\.check)) == [.acquireWithoutRelease, .fixNotARelease])
        #expect(warnings.allSatisfy { $0.line == 7 && $0.file == "demo.yaml" })
    }

    @Test func managedAcquisitionsNeedNoRelease() throws {
        let text = Self.base.replacingOccurrences(of: "kinds:\n", with: "kinds:\n  devres: managed\n")
            .replacingOccurrences(of: "acquire:\n", with: "acquire:\n  devm_get: {kind: devres, managed: true}\n")
        #expect(try check(text).map(\.check) == [])
    }

    @Test func unusedKind() throws {
        let text = Self.base.replacingOccurrences(of: "kinds:\n", with: "kinds:\n  stream: a FILE\n")
        let warnings = try check(text)
        #expect(warnings.map(\.check) == [.unusedKind])
        #expect(warnings.first?.line == 3)
    }

    @Test func successThatNoValueMeets() throws {
        let text = Self.base.replacingOccurrences(of: "success: valid-pointer", with: "success: []")
        #expect(try check(text).map(\.check) == [.neverSucceeds])
    }

    @Test func returnedHandleThatIsZeroOnSuccess() throws {
        let wrong = Self.base.replacingOccurrences(of: "success: valid-pointer", with: "success: zero")
        #expect(try check(wrong).map(\.check) == [.handleNullOnSuccess])
        // getaddrinfo's form: 0 on success, the resource stored through an argument.
        let right = Self.base.replacingOccurrences(of: "malloc: {kind: heap, success: valid-pointer, fix: \"free({ret})\"}",
                                                   with: "getaddrinfo: {kind: heap, handle: \"*{3}\", success: zero, fix: \"free(*{3})\"}")
        #expect(try check(right).isEmpty)
        // mmap's form: MAP_FAILED is negative, and zero or positive is a mapping.
        let mmap = Self.base.replacingOccurrences(of: "success: valid-pointer", with: "success: not-error")
        #expect(try check(mmap).isEmpty)
    }

    @Test func nullSafeUnlock() throws {
        let text = Self.base.replacingOccurrences(of: "mutex_unlock: {kind: mutex, handle: \"{0}\"}",
                                                  with: "mutex_unlock: {kind: mutex, handle: \"{0}\", nullSafe: true}")
        let warnings = try check(text)
        #expect(warnings.map(\.check) == [.nullSafeLock])
        #expect(warnings.first?.line == 11)
    }

    @Test func fixCallingSomethingElse() throws {
        let text = Self.base.replacingOccurrences(of: "fix: \"free({ret})\"", with: "fix: \"kfree({ret})\"")
        let warnings = try check(text)
        #expect(warnings.map(\.check) == [.fixNotARelease])
        #expect(warnings.first?.message.contains("kfree()") == true)
    }

    @Test func invalidPacksThrowWithTheirPlace() throws {
        let text = Self.base.replacingOccurrences(of: "kind: heap, success", with: "kind: hepa, success")
        #expect(throws: RulePackError.self) { try check(text) }
        do { _ = try check(text) } catch {
            #expect(error.line == 7)
            #expect(error.file == "demo.yaml")
            #expect(error.message.contains("unknown resource kind 'hepa'"))
        }
    }

    /// A combined call's parts must take their handles from one argument, however deep
    /// (`{0}` and `&{0}->dev` are written with the same argument); `{0}` and `{1}` are not.
    @Test func combinedPartsFromDifferentArguments() throws {
        let parts = Self.base + """

              unlock_free: {combines: [mutex_unlock, free]}
            """
        #expect(try check(parts).isEmpty)
        let deeper = parts.replacingOccurrences(of: "mutex_unlock: {kind: mutex, handle: \"{0}\"}",
                                                with: "mutex_unlock: {kind: mutex, handle: \"&{0}->lock\"}")
        #expect(try check(deeper).isEmpty)
        let other = parts.replacingOccurrences(of: "mutex_unlock: {kind: mutex, handle: \"{0}\"}",
                                               with: "mutex_unlock: {kind: mutex, handle: \"{1}\"}")
        #expect(try check(other).map(\.check) == [.combinesMismatchedHandles])
    }
}
