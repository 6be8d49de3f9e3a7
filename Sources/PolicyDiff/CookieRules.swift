import PolicyModel

extension ImpactRules {
    public static let cookieNowNecessary = ImpactRule(
        id: "cookie-now-necessary", impact: .notify,
        description:
            "A cookie moved into the strictly necessary category, or out of any stated one: it may now be set whatever the visitor chooses (ePrivacy Directive Art. 5(3); GDPR Art. 4(11); rule of doubt)"
    )
}

/// The decisions about a cookie's fields, as small pure functions of the values before and after.
enum CookieRules {
    /// A change of the consent category a cookie belongs to: into `necessary` it is set without asking, out of it
    /// the visitor is asked (favourable); between the categories asked for, or newly stated, it concerns visits from
    /// now on.
    static func consentCategory(before: CookieCategory?, after: CookieCategory?) -> ImpactRule {
        switch (before, after) {
        case (_, nil), (_, .necessary?): ImpactRules.cookieNowNecessary
        case (.necessary?, _): ImpactRules.removed
        default: ImpactRules.newCookie
        }
    }

    /// A change of the data categories a cookie collects: fewer is favourable, any added (or none stated any more)
    /// is data collected on visits from now on, or less transparency.
    static func collected(before: [String], after: [String]) -> ImpactRule {
        if after.isEmpty { return ImpactRules.statementRemoved }
        return Set(after).isSubset(of: Set(before)) ? ImpactRules.removed : ImpactRules.newCookie
    }
}
