import PolicyBase
import PolicySource

/// The `site` section of `policyc.yaml`: settings of `policyc publish` (docs/config.md).
public struct SiteSettings: Sendable, Hashable {
    public init() {}

    static let keys: [String] = []

    static func read(_ fields: Fields) -> SiteSettings {
        SiteSettings()
    }
}
