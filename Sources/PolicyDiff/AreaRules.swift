import PolicyModel

extension ImpactRules {
    public static let optOutAdded = ImpactRule(
        id: "recipient-opt-out-added", impact: .favourable,
        description:
            "A recipient's own opt-out link is newly given: the customer can object to its use directly (GDPR Art. 12(2), 21)"
    )
    public static let storageAreaWidened = ImpactRule(
        id: "storage-area-widened", impact: .notify,
        description:
            "The area where a recipient stores the data, or accesses it from, grew, changed to one that is not provably narrower, or is no longer stated: a weaker promise about where the data is (GDPR Art. 13(1)(f), 44; WP260 para. 30; rule of doubt)"
    )
    public static let storageAreaNarrowed = ImpactRule(
        id: "storage-area-narrowed", impact: .favourable,
        description:
            "The area where a recipient stores the data, or accesses it from, is provably narrower, or a promise about where it is stored is newly made (GDPR Art. 5(1)(f), Chapter V)"
    )
}

/// The decision about a recipient's own opt-out link: given is favourable, taken away is less transparency, another
/// address for it is wording.
enum OptOutRules {
    static func change(before: String?, after: String?) -> ImpactRule {
        if before == nil { return ImpactRules.optOutAdded }
        return after == nil ? ImpactRules.statementRemoved : ImpactRules.wording
    }
}

/// The decision about a change of a place list (`stored-in`, `accessed-from`), as a small pure function.
enum AreaRules {
    /// How a change from the area `before` to `after` of the field `key` is classified; nil when both cover the
    /// same places (`[eea, outside-eea]` is `[worldwide]`), which is wording.
    static func change(_ key: String, before: [String], after: [String]) -> ImpactRule? {
        let widens = !Areas.covers(before, all: after)
        let narrows = !Areas.covers(after, all: before)
        if !widens && !narrows { return nil }
        // A storage promise newly made is favourable; a place data is accessed from, newly stated, is a transfer.
        if before.isEmpty {
            return key == "stored-in" ? ImpactRules.storageAreaNarrowed : ImpactRules.storageAreaWidened
        }
        if after.isEmpty { return ImpactRules.storageAreaWidened }
        return widens ? ImpactRules.storageAreaWidened : ImpactRules.storageAreaNarrowed
    }
}
