import Foundation
import LadderCore
import LadderDriver
import Testing

/// A walk visits the same states whatever order Swift's sets iterate in. Swift seeds each
/// set's hashing afresh (per process, and per instance), so a state built by iterating a set
/// can differ from an equal one in the order of its arrays; the walk then sees two states
/// where there is one, and a function near the path budget comes out over it on one run and
/// under it on the next (ixgbe_probe did: one finding more or less from run to run).
@Suite struct WalkDeterminismTests {
    /// `count` diamonds, each storing the same held device into a new field of a fresh
    /// private struct on both sides: the two sides must meet as one state every time.
    static func diamonds(_ count: Int) -> String {
        var c = """
            struct pci_dev;
            struct net_device;
            struct demo_priv { struct pci_dev *\((0..<count).map { "pdev\($0)" }.joined(separator: ", *")); };
            int pci_enable_device(struct pci_dev *pdev);
            void pci_disable_device(struct pci_dev *pdev);
            struct net_device *alloc_etherdev_mqs(int size, unsigned int tx, unsigned int rx);
            void free_netdev(struct net_device *dev);
            void *netdev_priv(const struct net_device *dev);
            int demo_probe(struct pci_dev *pdev, int flags)
            {
              struct net_device *netdev;
              struct demo_priv *adapter;
              int err = pci_enable_device(pdev);
              if (err)
                return err;
              netdev = alloc_etherdev_mqs(sizeof(*adapter), 1, 1);
              if (!netdev) {
                pci_disable_device(pdev);
                return -12;
              }
              adapter = netdev_priv(netdev);

            """
        for i in 0..<count {
            c += "  if (flags & \(1 << i))\n    adapter->pdev\(i) = pdev;\n  else\n    adapter->pdev\(i) = pdev;\n"
        }
        return c + "  free_netdev(netdev);\n  pci_disable_device(pdev);\n  return 0;\n}\n"
    }

    @Test("two paths storing a held handle under the same names meet as one state")
    func storedAliasesInOneOrder() throws {
        let count = 8
        let scratch = try Scratch()
        let file = try scratch.write(Self.diamonds(count), to: "diamonds.c")
        let pack = try RulePackCache().merged(["linux"])
        guard case .success(let loaded) = LintDriver().load(file: file),
              let function = loaded.unit.functions.first(where: { $0.name == "demo_probe" }) else {
            Issue.record("diamonds.c did not load")
            return
        }
        // Walked again and again: each walk builds new sets, each with its own seed.
        let walks = (0..<10).map { _ in FunctionAnalysis(function: function, calls: CallSemantics(pack: pack)).run() }
        let one = walks[0]
        #expect(one.findings.isEmpty, "\(one.findings.map(\.message))")
        #expect(Set(walks.map(\.states)).count == 1, "\(walks.map(\.states))")
        // Each diamond's two sides and the one state they meet in, and the blocks around them:
        // with the names of a store added in a set's order, sides that disagree double the
        // states after them (on average 2^count/2 more), so this is far below that.
        #expect(one.states <= 4 * count + 20, "\(one.states) states for \(count) diamonds")
    }
}
