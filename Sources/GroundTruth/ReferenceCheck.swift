import KernelModel
import Sv39

/// Holds the C runs of a modelled path against KernelModel's reference: the scenario whose
/// call is the reference's, failure point by failure point (the points both have: the model
/// fails loadseg where C fails readi, C fails namei where the model has no file system).
///
/// Compared: whether the call fails, and the pages, page tables and mappings acquired and
/// released inside the call (as multisets, and then as sequences). Not compared: proc slots
/// (a state field in C, no call to see) and locks (C also takes pid_lock, wait_lock and
/// ftable.lock, which the model does not have; locks left held are judged by the runs).
/// Frames that walk() allocates belong to their table, as in the model.
enum ReferenceCheck {
    static let kinds: Set<String> = ["page", "pagetable", "mapping"]

    /// "proc[1].trapframe" and "trapframe" are the same page of different slots.
    static func normalize(_ name: String) -> String {
        if name.hasPrefix("proc["), let dot = name.firstIndex(of: ".") { return String(name[name.index(after: dot)...]) }
        return name
    }

    static func compare(reference: PathReference, runs: [ClassifiedRun]) -> ReferenceComparison {
        let path = ModelledPath(rawValue: reference.path)
        var compared = 0
        var matching = 0
        var exact = 0
        var differences: [String] = []
        var traces: [PointTraces] = []
        for item in reference.cases {
            guard let run = runs.first(where: { $0.failurePoint == item.failurePoint }) else { continue }
            compared += 1
            let label = item.failurePoint.map(\.description) ?? "no failure"
            let modelFails = path.map { item.returns == $0.errorReturn } ?? false
            guard let cFails = run.failed else {
                differences.append("\(label): C did not return (the model returns \(item.returns))")
                continue
            }
            if cFails != modelFails {
                differences.append("\(label): C \(cFails ? "fails" : "succeeds"), the model returns \(item.returns)")
                continue
            }
            let cSteps = run.steps.filter { $0.action != .fail && kinds.contains($0.kind) }
                .map { "\($0.action.rawValue) \($0.kind) \(normalize($0.name))" }
            let modelSteps = item.steps.compactMap { step -> String? in
                guard step.action != .fail, let resource = step.resource, kinds.contains(resource.kind.rawValue) else {
                    return nil
                }
                return "\(step.action == .acquire ? "+" : "-") \(resource.kind.rawValue) \(normalize(resource.name))"
            }
            if cSteps.sorted() != modelSteps.sorted() {
                let missing = difference(modelSteps, cSteps)
                let extra = difference(cSteps, modelSteps)
                var text = "\(label):"
                if !missing.isEmpty { text += " the model has [\(missing.joined(separator: ", "))]" }
                if !extra.isEmpty { text += " C has [\(extra.joined(separator: ", "))]" }
                differences.append(text)
                traces.append(PointTraces(point: label, model: modelSteps, c: cSteps))
                continue
            }
            matching += 1
            if cSteps == modelSteps { exact += 1 }
        }
        return ReferenceComparison(path: reference.path, comparedPoints: compared, matchingPoints: matching,
                                   exactOrderPoints: exact, differences: differences, traces: traces)
    }

    /// `a` less `b`, as multisets.
    static func difference(_ a: [String], _ b: [String]) -> [String] {
        var counts: [String: Int] = [:]
        for x in b { counts[x, default: 0] += 1 }
        var out: [String] = []
        for x in a {
            if let c = counts[x], c > 0 { counts[x] = c - 1 } else { out.append(x) }
        }
        return out
    }
}
