/// Handles a driver treats as optional by its own code: it tests an acquisition of one and,
/// after it fails, clears the handle and goes on (`else if (clk_prepare_enable(host->dbclk)
/// != 0) { dev_warn(…); host->dbclk = NULL; }`, omap_hsmmc's debounce clock). Elsewhere in the
/// unit, the same acquisition left untested (`clk_prepare_enable(host->dbclk);` after a power
/// switch) is how the driver works with it, not an `unchecked-acquire`: a failure only leaves
/// the optional part off.
///
/// Known only from the whole unit, so written onto its functions where it is parsed, as
/// `OwnedFields` is. Handles are named by field names from the object down (`dbclk`), with
/// the kind acquired.
///
/// Limits: two structs with a field of the same name are one field here. A clear of the
/// handle anywhere after the acquisition counts, not only on its failure edge.
public struct OptionalHandle: Sendable, Hashable, Codable, Comparable {
    public var fields: [String]
    public var kind: ResourceKind

    public static func < (a: OptionalHandle, b: OptionalHandle) -> Bool {
        (a.fields.joined(separator: "."), a.kind.name) < (b.fields.joined(separator: "."), b.kind.name)
    }

    /// Whether an acquisition of `kind` by `call` names an optional handle.
    static func names(_ optional: [OptionalHandle], _ rule: AcquireRule, _ call: Call) -> Bool {
        rule.resources.contains { spec in
            guard let path = spec.handle.path(result: call.result, arguments: call.arguments),
                  let fields = OwnedField.fields(of: path) else { return false }
            return optional.contains(OptionalHandle(fields: fields, kind: spec.kind))
        }
    }
}

struct OptionalHandles {
    let pack: RulePack

    func annotate(_ unit: TranslationUnit) -> TranslationUnit {
        let found = Set(unit.functions.flatMap(evidence))
        guard !found.isEmpty else { return unit }
        var result = unit
        for i in result.functions.indices {
            // What an earlier annotation of the whole unit wrote stays: annotating twice
            // changes nothing (a part of a unit is not annotated again: `Analyzer.analyse`).
            let all = found.union(result.functions[i].optionalHandles ?? [])
            result.functions[i].optionalHandles = all.sorted()
        }
        return result
    }

    /// Tested acquisitions of a field in `function` that the function clears after them.
    private func evidence(_ function: Function) -> [OptionalHandle] {
        var clears: [(fields: [String], block: BlockID, index: Int)] = []
        for block in function.blocks {
            for (index, statement) in block.statements.enumerated() {
                guard case .assign(let target, let value, _) = statement, value.constantValue == 0,
                      let fields = OwnedField.fields(of: target.path) else { continue }
                clears.append((fields, block.id, index))
            }
        }
        guard !clears.isEmpty else { return [] }
        var found: [OptionalHandle] = []
        for block in function.blocks {
            for (index, statement) in block.statements.enumerated() {
                guard case .call(let call) = statement, call.result != nil, let callee = call.callee,
                      let rule = pack.acquires[callee], rule.success != .always, !rule.managed else { continue }
                for spec in rule.resources {
                    guard let path = spec.handle.path(result: call.result, arguments: call.arguments),
                          case .argument = spec.handle.root, let fields = OwnedField.fields(of: path) else { continue }
                    let same = clears.filter { $0.fields == fields }
                    guard !same.isEmpty else { continue }
                    let after = function.reachableBlocks(from: block.terminator.successors)
                    let cleared = same.contains { clear in
                        (clear.block == block.id && clear.index > index) || after.contains(clear.block)
                    }
                    if cleared { found.append(OptionalHandle(fields: fields, kind: spec.kind)) }
                }
            }
        }
        return found
    }
}
