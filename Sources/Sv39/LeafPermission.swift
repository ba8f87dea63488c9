/// The permission check of §4.3.2 step 5, on its own so that the rules read in one place:
///
/// - a fetch needs X, a store needs W, a load needs R, or X when MXR is set (§4.1.1);
/// - U mode may touch only U = 1 pages (§4.3.1);
/// - S mode may load and store U = 1 pages only when SUM is set, and may never fetch from
///   them (§4.3.1: "Irrespective of SUM, the supervisor may not execute code on pages with
///   U=1").
enum LeafPermission {
    static func allows(_ flags: PTEFlags, access: AccessType, context: TranslationContext) -> Bool {
        let userPage = flags.contains(.user)
        switch (context.privilege, userPage) {
        case (.user, false):
            return false
        case (.supervisor, true):
            guard access != .fetch, context.permitSupervisorUserAccess else { return false }
        case (.user, true), (.supervisor, false):
            break
        }
        switch access {
        case .fetch:
            return flags.contains(.executable)
        case .load:
            return flags.contains(.readable) || (context.makeExecutableReadable && flags.contains(.executable))
        case .store:
            return flags.contains(.writable)
        }
    }
}
