extension Function {
    /// Blocks in reverse postorder from the entry (unreachable blocks last): the order
    /// both the path walk and the fallback pass visit blocks in, so that the states meeting
    /// at a block are all there when it is walked.
    var reversePostorder: [BlockID] {
        var seen = Array(repeating: false, count: blocks.count)
        var post: [BlockID] = []
        // Iterative: a 50,000-case switch is a 50,000-deep chain of blocks.
        var stack: [(BlockID, Int)] = [(entry, 0)]
        seen[entry] = true
        while let (block, next) = stack.last {
            let successors = blocks[block].terminator.successors
            if next < successors.count {
                stack[stack.count - 1].1 += 1
                let s = successors[next]
                if !seen[s] {
                    seen[s] = true
                    stack.append((s, 0))
                }
            } else {
                post.append(block)
                stack.removeLast()
            }
        }
        return post.reversed() + blocks.indices.filter { !seen[$0] }
    }
}

/// A set of blocks popped lowest rank first, in logarithmic time (a 50,000-block function
/// must not cost a quadratic scan per visit).
struct RankQueue {
    let rank: [Int]
    private var heap: [BlockID] = []
    private var queued: Set<BlockID> = []

    init(rank: [Int]) { self.rank = rank }

    mutating func insert(_ block: BlockID) {
        guard queued.insert(block).inserted else { return }
        heap.append(block)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard rank[heap[i]] < rank[heap[parent]] else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func popFirst() -> BlockID? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < heap.count, rank[heap[l]] < rank[heap[smallest]] { smallest = l }
                if r < heap.count, rank[heap[r]] < rank[heap[smallest]] { smallest = r }
                if smallest == i { break }
                heap.swapAt(i, smallest)
                i = smallest
            }
        }
        queued.remove(first)
        return first
    }
}
