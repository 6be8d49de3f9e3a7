import PolicyModel

/// The decision about how long backups outlive deletion, as a small pure function.
enum RetentionRules {
    /// Backups kept provably shorter are favourable; kept longer, newly stated (the data outlives its deletion, which
    /// the customer did not know) or no longer stated cannot be shown harmless.
    static func backups(before: ISODuration?, after: ISODuration?) -> ImpactRule {
        guard let before else { return ImpactRules.retentionLonger }
        guard let after else { return ImpactRules.statementRemoved }
        return after.dayBounds.upperBound < before.dayBounds.lowerBound
            ? ImpactRules.retentionShorter : ImpactRules.retentionLonger
    }
}
