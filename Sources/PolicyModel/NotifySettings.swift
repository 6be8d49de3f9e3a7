import PolicyBase
import PolicySource

/// The `notify` section of `policyc.yaml`: settings of `policyc notify` (docs/config.md).
public struct NotifySettings: Sendable, Hashable {
    public init() {}

    static let keys: [String] = []

    static func read(_ fields: Fields) -> NotifySettings {
        NotifySettings()
    }
}
