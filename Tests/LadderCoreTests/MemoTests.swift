@testable import LadderCore
import Testing

/// `Memo`: worked out once, and only when asked for (the walk's lazy pre-scans).
@Suite struct MemoTests {
    @Test func madeOnceAndOnlyWhenAsked() {
        final class Counter { var made = 0 }
        let counter = Counter()
        let memo = Memo { () -> Int in
            counter.made += 1
            return 42
        }
        #expect(counter.made == 0)
        #expect(memo.value == 42)
        #expect(memo.value == 42)
        #expect(counter.made == 1)
    }
}
