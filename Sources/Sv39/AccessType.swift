/// The three kinds of memory access a translation is made for. The kind picks the permission
/// bit that is checked (§4.3.2 step 5) and the exception a failure raises (12, 13 or 15).
public enum AccessType: String, CaseIterable, Hashable, Sendable, Codable {
    case fetch
    case load
    case store
}

/// The privilege mode the access is made in. Translation applies to S and U mode only
/// (§4.3.2 step 1: "the effective privilege mode must be S-mode or U-mode").
public enum PrivilegeMode: String, CaseIterable, Hashable, Sendable, Codable {
    case user
    case supervisor
}
