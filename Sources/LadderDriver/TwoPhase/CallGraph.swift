/// Who calls whom across the whole database, resolved the way a check sees it: a name
/// defined in the caller's own unit is that function (static or not); any other is the
/// first unit in the database's order to define it with external linkage. Names defined
/// nowhere in the database are not nodes.
///
/// Phase 2 checks the functions component by component (`components`), callees first, so
/// that a function is checked once against what its callees settle on rather than once per
/// round that moves one of them. A cycle of calls (recursion, in one file or across files)
/// is one strongly connected component; its members see each other's summaries of the
/// pass before, which is what makes the passes go on (`cyclic`).
struct CallGraph: Sendable {
    struct Node: Hashable, Sendable, Comparable {
        var unit: Int
        var function: Int

        static func < (a: Node, b: Node) -> Bool { (a.unit, a.function) < (b.unit, b.function) }
    }

    /// Per unit, per function: each of its callees that the database defines, in the
    /// order of the function's `callees`, nil where the name is defined nowhere.
    let callees: [[[Node?]]]
    /// Every node in strongly connected components, callees first: a component's callees
    /// are in earlier components.
    let components: [Component]
    /// Per component, the components that call into it (the inverse of `Component.callees`).
    let callers: [[Int]]
    /// Members of a cycle of calls, a function calling itself included: the only nodes
    /// whose change in a round can reach a function already checked in that round.
    let cyclic: Set<Node>
    /// Every name some unit defines with external linkage, empty summary or not: a call to
    /// one of them is a call to a body ladder has seen, which does nothing to the caller's
    /// resources when its summary is empty. Without this, `bwrite(b)` in another file
    /// looked like a call that might keep `b`, and no caller that forgot `brelse(b)` after
    /// it was told (`CallSemantics.isOpaque`).
    let externallyDefined: Set<String>
    /// Names defined with external linkage in more than one unit. Such a call takes the
    /// first definition in the database's order: fixed, whichever shard or worker got there
    /// first, but a guess (the linker would pick by what is built together, which a compile
    /// database does not say).
    let ambiguous: Int

    struct Component: Sendable {
        /// Sorted.
        var members: [Node]
        /// The other components its members call, each once, ascending.
        var callees: [Int]
    }

    /// `units`: each unit's functions (name, whether static, the names it refers to), in
    /// the database's fixed order.
    init(_ units: [[(name: String, isStatic: Bool, callees: [String])]]) {
        var external: [String: Node] = [:]
        var ambiguous = 0
        var local: [[String: Int]] = []
        for (u, functions) in units.enumerated() {
            var names: [String: Int] = [:]
            for (f, function) in functions.enumerated() {
                if names[function.name] == nil { names[function.name] = f }
                guard !function.isStatic else { continue }
                if external[function.name] == nil { external[function.name] = Node(unit: u, function: f) } else { ambiguous += 1 }
            }
            local.append(names)
        }
        callees = units.enumerated().map { u, functions in
            functions.map { function in
                function.callees.map { name in local[u][name].map { Node(unit: u, function: $0) } ?? external[name] }
            }
        }
        self.ambiguous = ambiguous
        externallyDefined = Set(external.keys)
        (components, cyclic) = Self.order(callees)
        var callers = Array(repeating: [Int](), count: components.count)
        for (c, component) in components.enumerated() {
            for callee in component.callees { callers[callee].append(c) }
        }
        self.callers = callers
    }

    /// Tarjan's components, found without recursion (a kernel's call chains are deep), come
    /// out callees first.
    private static func order(_ callees: [[[Node?]]]) -> (components: [Component], cyclic: Set<Node>) {
        var index: [Node: Int] = [:]
        var lowlink: [Node: Int] = [:]
        var onStack: Set<Node> = []
        var stack: [Node] = []
        var componentOf: [Node: Int] = [:]
        var components: [Component] = []
        var cyclic: Set<Node> = []
        var counter = 0
        func successors(_ n: Node) -> [Node] { callees[n.unit][n.function].compactMap { $0 } }

        for (u, functions) in callees.enumerated() {
            for f in functions.indices {
                let root = Node(unit: u, function: f)
                guard index[root] == nil else { continue }
                // Each frame: a node and how many of its successors were taken up.
                var frames: [(node: Node, next: Int, successors: [Node])] = []
                func enter(_ n: Node) {
                    index[n] = counter
                    lowlink[n] = counter
                    counter += 1
                    stack.append(n)
                    onStack.insert(n)
                    frames.append((n, 0, successors(n)))
                }
                enter(root)
                while let top = frames.last {
                    if top.next < top.successors.count {
                        frames[frames.count - 1].next += 1
                        let s = top.successors[top.next]
                        if index[s] == nil {
                            enter(s)
                        } else if onStack.contains(s) {
                            lowlink[top.node] = min(lowlink[top.node]!, index[s]!)
                        }
                        continue
                    }
                    frames.removeLast()
                    if let parent = frames.last {
                        lowlink[parent.node] = min(lowlink[parent.node]!, lowlink[top.node]!)
                    }
                    guard lowlink[top.node] == index[top.node] else { continue }
                    var component: [Node] = []
                    while let n = stack.popLast() {
                        onStack.remove(n)
                        component.append(n)
                        if n == top.node { break }
                    }
                    let mine = components.count
                    for n in component { componentOf[n] = mine }
                    var called: Set<Int> = []
                    for n in component {
                        for s in successors(n) where componentOf[s] != mine { called.insert(componentOf[s]!) }
                    }
                    components.append(Component(members: component.sorted(), callees: called.sorted()))
                    if component.count > 1 || successors(top.node).contains(top.node) { cyclic.formUnion(component) }
                }
            }
        }
        return (components, cyclic)
    }
}
