/// The laws a right may be given under. A right without `law:` is a GDPR right; rights under another law apply to
/// the residents that law protects (the scope of a fact, `applies-to:`, says which).
public enum Law: String, Codable, Hashable, Sendable, CaseIterable {
    case gdpr
    /// The California Consumer Privacy Act, as amended by the California Privacy Rights Act.
    case ccpa
}
