/// Loops that end at a table's first unused entry: `for (i = 0; attrs[i].dev_attr.attr.name;
/// i++) device_remove_file(dev, &attrs[i].dev_attr);` (abituguru). Drivers fill a table's
/// entries in order and name each before creating its file, so the entry whose field is null
/// ends the table: no element from there on was ever created, and a span of created elements
/// whose lowest end the loop has reached is empty when the loop stops there
/// (`ElementTracking.refineElements`).
///
/// A test of a field inside the loop's body (`if (leds[i].name) unregister(…)`) is not one of
/// these: it skips an entry, a hole, and the loop goes on.
///
/// Known limit: a loop whose test reads a field that is not the table's end marker
/// (`for (i = 0; t[i].enabled; i++)`) is read the same way.
enum SentinelLoops {
    /// The branch location of each loop test on a field of an element by a counter, at a
    /// block a back edge returns to, with the truth under which the loop is left.
    static func exits(_ function: Function, counters: Set<Variable>, aliases: [Variable: Expr]) -> [SourceLocation: Bool] {
        guard !counters.isEmpty else { return [:] }
        var candidates: [(BlockID, SourceLocation, BlockID, BlockID)] = []
        for block in function.blocks {
            guard case .branch(let condition, let then, let otherwise, let location) = block.terminator else { continue }
            var tested = condition
            if case .unary(.logicalNot, let inner) = tested.kind { tested = inner }
            guard !tested.path.steps.isEmpty, tested.path.isCollection,
                  ElementIndex.find(in: tested, counters: counters, aliases: aliases) != nil else { continue }
            candidates.append((block.id, location, then, otherwise))
        }
        guard !candidates.isEmpty else { return [:] }
        let order = function.reversePostorder
        var rank = Array(repeating: Int.max, count: function.blocks.count)
        for (position, id) in order.enumerated() { rank[id] = position }
        var predecessors = Array(repeating: [BlockID](), count: function.blocks.count)
        for block in function.blocks {
            for next in block.terminator.successors { predecessors[next].append(block.id) }
        }
        var exits: [SourceLocation: Bool] = [:]
        for (header, location, then, otherwise) in candidates {
            let latches = predecessors[header].filter { rank[$0] >= rank[header] && rank[$0] != Int.max }
            guard !latches.isEmpty else { continue }
            // The natural loop: what reaches a latch without passing the header.
            var body: Set<BlockID> = [header]
            var stack = latches
            while let b = stack.popLast() {
                guard body.insert(b).inserted else { continue }
                stack += predecessors[b]
            }
            switch (body.contains(then), body.contains(otherwise)) {
            case (false, true): exits[location] = true
            case (true, false): exits[location] = false
            default: break
            }
        }
        return exits
    }
}
