/// `double-release`: the same resource released twice on one path.
///
/// Why it matters: a second `kfree` corrupts the free list (xv6 panics only if it
/// notices); a second `iunlockput` drops a reference someone else holds; releasing
/// `devm_` memory by hand frees it again when the device goes away.
///
/// Wrong:                                  Right:
///     iunlockput(ip);                         iunlockput(ip);
///     end_op();                               end_op();
///     goto bad;                               ip = 0;
///   bad:                                      goto bad;
///     if(ip) iunlockput(ip);                bad:
///                                             if(ip) iunlockput(ip);
///
/// A resource handed to `devm_add_action_or_reset()` whose action releases it is managed
/// from then on: the action runs when registering it fails, and at unbind.
///
/// Limits: a handle reassigned between the two releases names a new resource; aliases
/// are followed through local variables and fields of held resources only.
extension RuleID {
    public static let doubleRelease = RuleID("double-release")
}

public struct DoubleRelease: Check {
    public static let rule = RuleSpec(
        id: .doubleRelease,
        severity: .error,
        summary: "the same resource released twice on one path",
        explanation: RuleExplanation(
            details: "A resource released a second time on the same path, or a framework-managed resource (devm_*) released by hand, which the framework will release again.",
            wrong: """
                iunlockput(ip);
                end_op();
                goto bad;
                bad:
                  if(ip){ iunlockput(ip); end_op(); }
                """,
            right: """
                iunlockput(ip);
                end_op();
                ip = 0;
                goto bad;
                bad:
                  if(ip){ iunlockput(ip); end_op(); }
                """),
        tags: ["correctness", "memory-safety"],
        check: DoubleRelease(), fix: DoubleReleaseFix())

    public init() {}

    public func inspect(_ event: AnalysisEvent, in context: CheckContext) -> [Finding] {
        guard case .releasedTwice(let first, let resource, let call, let site) = event else { return [] }
        var steps = context.steps
        if let first {
            steps.append(PathStep(location: first.site, message: "first released by \(first.call)()"))
        } else if let handedBy = resource.managedBy {
            steps.append(PathStep(location: resource.site, message: "\(handedBy)() hands it to the framework, which releases it"))
        } else {
            steps.append(PathStep(location: resource.site, message: "\(resource.acquiredBy)() is managed: the framework releases it"))
        }
        steps.sort { $0.location < $1.location }
        let how = first != nil ? "" : resource.managedBy.map { " (\($0)() hands it to the framework)" }
            ?? " (\(resource.acquiredBy)() is released by the framework)"
        // A scope-exit cleanup releasing again: the explicit release is the one to remove.
        let location = call.origin == .cleanupAttribute ? (first?.site ?? site) : site
        return [Finding(
            rule: .doubleRelease,
            message: "\(resource.kind) '\(resource.handleText)' from \(resource.acquiredBy)() is released twice\(how)",
            function: context.function.name,
            location: location,
            resource: resource.info,
            path: steps + [PathStep(location: site, message: "released again by \(call.callee ?? "?")()")])]
    }
}
