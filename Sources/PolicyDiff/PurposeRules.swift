import PolicyModel

extension ImpactRules {
    public static let legalBasisAdded = ImpactRule(
        id: "legal-basis-added", impact: .notify,
        description:
            "A purpose relies on a legal basis beside those it stated: the processing may go on where it had to stop before (after consent is withdrawn, for example) (GDPR Art. 13(1)(c); WP260 para. 29; rule of doubt)"
    )
    public static let legalBasisRemoved = ImpactRule(
        id: "legal-basis-removed", impact: .notify,
        description:
            "A purpose no longer relies on one of its legal bases while others remain: the rights that came with it (withdrawing consent, objecting) may be lost (GDPR Art. 7(3), 13(1)(c), 21; rule of doubt)"
    )
    public static let legalBasisNarrowedToConsent = ImpactRule(
        id: "legal-basis-narrowed-to-consent", impact: .favourable,
        description:
            "A purpose's other legal bases were removed and it now rests on consent alone: the customer can stop it at any time (GDPR Art. 7(3))"
    )
    public static let legalReferenceChanged = ImpactRule(
        id: "legal-reference-changed", impact: .notify,
        description:
            "The statute or the Art. 9(2) condition a purpose relies on changed, or is newly or no longer named: the legal ground of the processing is substance (GDPR Art. 6(3), 9(2), 13(1)(c); rule of doubt)"
    )
}

/// The decisions about a purpose's legal grounds, as small pure functions of the sets before and after.
enum PurposeRules {
    /// How a change of a purpose's set of legal bases is classified, for data already held; nil when the set is
    /// the same (the order the policy lists them in is no change).
    static func bases(before: [LegalBasis], after: [LegalBasis]) -> (kind: ChangeKind, rule: ImpactRule)? {
        let was = Set(before)
        let now = Set(after)
        guard was != now else { return nil }
        // A basis newly or no longer stated, or one replaced by another, is a changed basis (the rule table's row).
        if was.isEmpty || now.isEmpty || (!was.isSubset(of: now) && !now.isSubset(of: was)) {
            return (.legalBasisChanged, ImpactRules.legalBasisChanged)
        }
        if was.isSubset(of: now) { return (.legalBasisAdded, ImpactRules.legalBasisAdded) }
        return now == [.consent]
            ? (.legalBasisRemoved, ImpactRules.legalBasisNarrowedToConsent)
            : (.legalBasisRemoved, ImpactRules.legalBasisRemoved)
    }
}
