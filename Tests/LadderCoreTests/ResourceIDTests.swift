@testable import LadderCore
import Testing

/// A held resource's id is its call site's and its index in the rule's: the walk finds a
/// resource again by it (a loop acquiring again, `needs`, what a call takes over), so two
/// sites' resources must never share one. A summary's rule can have many resources (a
/// helper filling its caller's object); at 8 ids apart, as they once were, a ninth took the
/// next site's first.
@Suite struct ResourceIDTests {
    @Test func sitesNeverShareAnID() {
        for resources in [1, 8, 9, 64, 1_000] {
            var seen: Set<Int> = []
            for site in 0..<50 {
                for index in 0..<resources {
                    #expect(seen.insert(AcquireRule.resourceID(site: site, index: index)).inserted,
                            "site \(site), resource \(index) of \(resources)")
                }
            }
        }
    }
}
