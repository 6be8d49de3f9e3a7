import PolicyModel

extension ImpactRules {
    public static let retentionMadeApproximate = ImpactRule(
        id: "retention-made-approximate", impact: .notify,
        description:
            "A period of fixed length is now given as approximate ('about 30 days'): a weaker promise, the data may be kept longer than the customer was told (GDPR Art. 13(2)(a), 5(1)(e); rule of doubt)"
    )
    public static let retentionMadeExact = ImpactRule(
        id: "retention-made-exact", impact: .favourable,
        description:
            "An approximate period is now given as exact, of the same length: a firmer promise about how long the data is kept (GDPR Art. 5(1)(e))"
    )
}

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

    /// A period that gains an end event ends no later, whichever comes first: provably sooner. One that loses an
    /// event, or ends at other events, cannot be shown to end sooner.
    static func endsSooner(before: [RetentionEvent], after: [RetentionEvent]) -> Bool {
        Set(before).isStrictSubset(of: Set(after))
    }

    /// The rule for a period that changes only in being approximate ("about 30 days") or exact, its length, start,
    /// end and holder staying; nil for any other change, which the duration rule decides. An exact promise made
    /// approximate is a weaker promise: the data may be kept a little longer than the customer was told. An
    /// approximate period made exact is a firmer one.
    static func precision(before: Retention, after: Retention) -> ImpactRule? {
        guard let length = before.duration, length == after.duration, before.from == after.from,
            before.holder == after.holder, (before.approximate == true) != (after.approximate == true)
        else { return nil }
        return after.approximate == true ? ImpactRules.retentionMadeApproximate : ImpactRules.retentionMadeExact
    }
}
