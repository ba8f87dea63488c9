/// Releases guarded by a flag the object keeps: `if (host->vqmmc_on) { regulator_disable(…);
/// host->vqmmc_on = false; }`, or an unwind `if (host->to_disable) regulator_disable(…)` after
/// `host->to_disable = !ret` recorded that the enable succeeded. The flag is how the driver
/// knows whether an earlier call (this one or another) holds the resource, so the release
/// drops what is held whenever it runs: it is a switch's off-arm (`ToggleFunctions`), not a
/// release of something never taken.
///
/// The rule: a release is flag-guarded when every path to it passes the "set" side of a test
/// of a state path (`SwitchSelectors`: a field of a given object, tested against zero), and
/// - the same path is cleared (assigned 0) on a block only reached through that same edge,
///   beside the release; or
/// - the function assigns that path a non-zero constant or a negation (`= true`, `= !ret`)
///   somewhere, and acquires the same kind at the same handle itself.
///
/// Locks are never flag-guarded (`ToggleFunctions` leaves them out): a lock is not held from
/// one call to the next, so a flag set under it (`w->running = 1` with the mutex held) is the
/// device's state, and a start that returns holding the mutex still leaks it.
///
/// Kept as findings: a release on the "clear" side of the test (`if (!clk_on) clk_disable()`),
/// also when the function takes the handle again further on (`clearSide`: the flag, which
/// the function itself sets after acquiring the handle, says what was held on entry, so no
/// retake makes that release one of the entry state's, `HeldOnEntry`),
/// and a path on which the flag is known clear never reaches the release at all (the branch
/// is infeasible). What it cannot see: a flag set in another function of the file with no
/// clear beside the release; whether the flag really tracks that handle (a flag named for
/// something else that happens to guard the release is trusted too).
enum FlagGuards {
    struct Release {
        var kinds: [ResourceKind]
        var handle: AccessPath
        var block: BlockID
        /// The release call's location: which release a flag guards.
        var location: SourceLocation? = nil
    }

    struct Acquisition {
        var kind: ResourceKind
        var handle: AccessPath
        var block: BlockID
        /// Its statement's index in `block`.
        var index: Int
    }

    /// The blocks of `releases` that every path reaches through the clear side of a test of a
    /// state flag the function sets after acquiring what the release lets go of
    /// (`if (!led->clk_on)`, with `led->clk_on = true` after `clk_prepare_enable(led->clk)`):
    /// there the flag says the handle was not held on entry. A flag set before the
    /// acquisition, or only where it never runs after one (`led->configured = true` before
    /// the clock comes back), records something else.
    static func clearSide(_ function: Function, selectors: SwitchSelectors, releases: [Release],
                          acquisitions: [Acquisition]) -> Set<BlockID> {
        guard !releases.isEmpty, !acquisitions.isEmpty else { return [] }
        let sets = setFlags(function)
        var clearEdges: [(from: BlockID, to: BlockID, flag: AccessPath)] = []
        for block in function.blocks {
            guard case .branch(let condition, let then, let otherwise, _) = block.terminator, then != otherwise,
                  let test = selectors.read(condition), test.value == 0, !selectors.selectors.contains(test.selector),
                  sets.contains(test.selector) else { continue }
            clearEdges.append((block.id, test.equalWhenTrue ? then : otherwise, test.selector))
        }
        guard !clearEdges.isEmpty else { return [] }
        let cuts = EdgeCuts(function: function)
        var setAfter: [AccessPath: Set<AccessPath>] = [:]
        var found: Set<BlockID> = []
        for release in releases where !found.contains(release.block) {
            let flags = setAfter[release.handle] ?? flagsSet(function, after: acquisitions.filter {
                $0.handle == release.handle && release.kinds.contains($0.kind)
            })
            setAfter[release.handle] = flags
            if clearEdges.contains(where: { flags.contains($0.flag) && !cuts.reachable(release.block, without: ($0.from, $0.to)) }) {
                found.insert(release.block)
            }
        }
        return found
    }

    /// The paths set (as `setFlags` counts) by a statement that runs after one of
    /// `acquisitions`: later in its block, or in a block reachable from it.
    private static func flagsSet(_ function: Function, after acquisitions: [Acquisition]) -> Set<AccessPath> {
        var flags: Set<AccessPath> = []
        let sets = { (statements: ArraySlice<Statement>) in
            for case .assign(let target, let value, _) in statements where Self.sets(value) { flags.insert(target.path) }
        }
        var after: [BlockID] = []
        for acquisition in acquisitions {
            sets(function.blocks[acquisition.block].statements.dropFirst(acquisition.index + 1))
            after += function.blocks[acquisition.block].terminator.successors
        }
        for block in function.reachableBlocks(from: after) { sets(function.blocks[block].statements[...]) }
        return flags
    }

    private static func sets(_ value: Expr) -> Bool {
        if let c = value.constantValue { return c != 0 }
        if case .unary(.logicalNot, _) = value.kind { return true }
        return false
    }

    /// The paths the function sets: assigned a non-zero constant or a negation (`= !ret`).
    static func setFlags(_ function: Function) -> Set<AccessPath> {
        var sets: Set<AccessPath> = []
        for block in function.blocks {
            for case .assign(let target, let value, _) in block.statements where Self.sets(value) { sets.insert(target.path) }
        }
        return sets
    }

    /// The kinds and handle of each release a flag guards.
    static func guarded(_ function: Function, selectors: SwitchSelectors, releases: [Release],
                        acquisitions: [Acquisition]) -> [(kinds: [ResourceKind], handle: AccessPath, location: SourceLocation?)] {
        var setEdges: [(from: BlockID, to: BlockID, flag: AccessPath)] = []
        for block in function.blocks {
            guard case .branch(let condition, let then, let otherwise, _) = block.terminator, then != otherwise,
                  let test = selectors.read(condition), test.value == 0, !selectors.selectors.contains(test.selector)
            else { continue }
            setEdges.append((block.id, test.equalWhenTrue ? otherwise : then, test.selector))
        }
        guard !setEdges.isEmpty else { return [] }
        var clears: [(flag: AccessPath, block: BlockID)] = []
        for block in function.blocks {
            for case .assign(let target, let value, _) in block.statements where value.constantValue == 0 {
                clears.append((target.path, block.id))
            }
        }
        let sets = setFlags(function)
        let cuts = EdgeCuts(function: function)
        var found: [(kinds: [ResourceKind], handle: AccessPath, location: SourceLocation?)] = []
        for release in releases {
            for edge in setEdges where !cuts.reachable(release.block, without: (edge.from, edge.to)) {
                let clearedBeside = clears.contains { $0.flag == edge.flag && !cuts.reachable($0.block, without: (edge.from, edge.to)) }
                if clearedBeside {
                    found.append((release.kinds, release.handle, release.location))
                    break
                }
                let taken = release.kinds.filter { kind in acquisitions.contains { $0.kind == kind && $0.handle == release.handle } }
                if sets.contains(edge.flag), !taken.isEmpty {
                    found.append((taken, release.handle, release.location))
                    break
                }
            }
        }
        return found
    }
}
