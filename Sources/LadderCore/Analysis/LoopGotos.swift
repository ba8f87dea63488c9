extension Function {
    /// Blocks ending in a `goto` whose target can lead back to the goto: the jump stays
    /// inside a loop (`goto next` to the end of the body, `goto retry` backwards). Such a
    /// goto is not where a leak becomes certain, since the loop may still release.
    var gotosWithinLoops: Set<BlockID> {
        var result: Set<BlockID> = []
        for block in blocks {
            guard case .jump(let target, let via) = block.terminator, via != nil else { continue }
            if reaches(from: target, to: block.id) { result.insert(block.id) }
        }
        return result
    }
}
