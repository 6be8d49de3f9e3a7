import PolicyBase

/// The change-impact rule table (docs/changes.md), one entry a row, each citing the GDPR article or the
/// Article 29 Working Party's transparency guidelines (WP260 rev.01, endorsed by the EDPB) behind it.
/// Rule of doubt: a fact change that cannot be shown to be harmless is `notify`.
public enum ImpactRules {
    public static let newPurposeOnExistingData = ImpactRule(
        id: "purpose-on-existing-data", impact: .notify,
        description:
            "A new purpose uses data already collected: processing for a purpose other than the one it was collected for must be communicated first (GDPR Art. 13(3); WP260 para. 29)"
    )
    public static let newPurposeOnNewData = ImpactRule(
        id: "purpose-on-new-data", impact: .future,
        description:
            "A new purpose uses only data categories collected from now on: customers are informed at collection (GDPR Art. 13(1)(c))"
    )
    public static let legalBasisChanged = ImpactRule(
        id: "legal-basis-changed", impact: .notify,
        description: "The legal basis of an existing purpose changed (GDPR Art. 13(1)(c); WP260 para. 29)")
    public static let interestChanged = ImpactRule(
        id: "legitimate-interest-changed", impact: .notify,
        description:
            "The legitimate interest pursued by an existing purpose changed (GDPR Art. 13(1)(d); rule of doubt)")
    public static let recipientGetsExistingData = ImpactRule(
        id: "recipient-new-existing-data", impact: .notify,
        description:
            "A recipient receives a data category already collected that it did not receive before: more recipients are a fundamental change (GDPR Art. 13(1)(e); WP260 para. 30)"
    )
    public static let recipientGetsNewData = ImpactRule(
        id: "recipient-new-data-only", impact: .future,
        description: "A recipient receives only data categories collected from now on (GDPR Art. 13(1)(e))")
    public static let recipientPurposesAdded = ImpactRule(
        id: "recipient-purposes-added", impact: .notify,
        description:
            "A recipient processes data for a purpose it did not before (GDPR Art. 13(1)(e), 13(3); rule of doubt)")
    public static let recipientRoleChanged = ImpactRule(
        id: "recipient-role-changed", impact: .notify,
        description:
            "A recipient's role changed, for example from processor to independent controller (GDPR Art. 13(1)(e); rule of doubt)"
    )
    public static let recipientRenamed = ImpactRule(
        id: "recipient-renamed", impact: .notify,
        description:
            "A recipient's name changed: it may be another party, so customers are told (GDPR Art. 13(1)(e); rule of doubt)"
    )
    public static let countryChanged = ImpactRule(
        id: "country-changed", impact: .notify,
        description:
            "The controller or a recipient moved to another country, or its country is no longer or newly stated (GDPR Art. 13(1)(f); WP260 para. 30; rule of doubt)"
    )
    public static let transferIntroduced = ImpactRule(
        id: "transfer-introduced", impact: .notify,
        description:
            "A transfer outside the EEA appears: a new transfer to a third country is a fundamental change (GDPR Art. 13(1)(f); WP260 para. 30)"
    )
    public static let transferEnded = ImpactRule(
        id: "transfer-ended", impact: .favourable,
        description:
            "The controller or a recipient now processes the data inside the EEA: the transfer ends (GDPR Chapter V)")
    public static let transferGroundsChanged = ImpactRule(
        id: "transfer-grounds-changed", impact: .notify,
        description:
            "The grounds of a transfer outside the EEA changed in any way other than none → a safeguard, or derogations → Art. 46/47 safeguards; standard contractual clauses → adequacy included, since two EU–US adequacy decisions were annulled and the clauses gave customers rights as third-party beneficiaries (GDPR Art. 13(1)(f), 44–49; WP260 para. 30; rule of doubt)"
    )
    public static let transferGroundsStrengthened = ImpactRule(
        id: "transfer-grounds-strengthened", impact: .favourable,
        description:
            "A transfer outside the EEA that had no stated ground now relies on an adequacy decision or an Art. 46/47 safeguard, or one that relied on Art. 49 derogations now relies on Art. 46/47 safeguards (GDPR Chapter V)"
    )
    public static let ownPurposesAllowed = ImpactRule(
        id: "recipient-own-purposes", impact: .notify,
        description: "A recipient may now use the data for its own purposes (GDPR Art. 13(1)(e), 13(3); WP260 para. 29)"
    )
    public static let ownPurposesEnded = ImpactRule(
        id: "recipient-own-purposes-ended", impact: .favourable,
        description: "A recipient may no longer use the data for its own purposes")
    public static let retentionLonger = ImpactRule(
        id: "retention-not-shorter", impact: .notify,
        description:
            "Retention of a category already collected was lengthened, made open-ended, or changed in a way not provably shorter (GDPR Art. 13(2)(a); rule of doubt)"
    )
    public static let retentionShorter = ImpactRule(
        id: "retention-shortened", impact: .favourable,
        description: "Retention of a category is provably shorter (GDPR Art. 5(1)(e))")
    public static let retentionNewData = ImpactRule(
        id: "retention-new-data", impact: .future,
        description: "Retention of a category collected from now on (GDPR Art. 13(2)(a))")
    public static let controllerChanged = ImpactRule(
        id: "controller-changed", impact: .notify,
        description: "The controller's identity or contact details changed (GDPR Art. 13(1)(a), (b); WP260 para. 29)")
    public static let rightRemoved = ImpactRule(
        id: "right-weakened", impact: .notify,
        description:
            "A right was removed, its response time lengthened or no longer stated, or the way to exercise it changed (GDPR Art. 13(2)(b)–(d), Art. 12(3); WP260 para. 29)"
    )
    public static let rightImproved = ImpactRule(
        id: "right-improved", impact: .favourable,
        description: "A right was added, its response time shortened, or a way to exercise it added (GDPR Art. 12)")
    public static let automatedOnExistingData = ImpactRule(
        id: "automated-decision-existing-data", impact: .notify,
        description:
            "Automated decision-making or profiling introduced or changed on data already collected (GDPR Art. 13(2)(f), Art. 22)"
    )
    public static let automatedOnNewData = ImpactRule(
        id: "automated-decision-new-data", impact: .future,
        description: "Automated decision-making on data collected from now on only (GDPR Art. 13(2)(f))")
    public static let newCategory = ImpactRule(
        id: "category-added", impact: .future,
        description:
            "A new data category is collected from now on: customers are informed at collection (GDPR Art. 13(1), 13(2)(e))"
    )
    public static let categoryDisclosed = ImpactRule(
        id: "category-disclosed", impact: .notify,
        description:
            "A category the shop already held is listed for the first time (held-before): it is not new data, and its customers learn of it only now (GDPR Art. 13(3), 14)"
    )
    public static let categoryCollectionChanged = ImpactRule(
        id: "category-collection-changed", impact: .future,
        description:
            "Whether a category must be provided, or where it comes from, changed for data collected from now on (GDPR Art. 13(2)(e), 14(2)(f))"
    )
    public static let newCookie = ImpactRule(
        id: "cookie-added", impact: .future,
        description:
            "A new cookie, or a changed one, is set on visits from now on (ePrivacy Directive Art. 5(3); GDPR Art. 13)")
    public static let removed = ImpactRule(
        id: "removed", impact: .favourable,
        description:
            "A recipient, purpose, category, retention period, cookie or automated decision was removed, a recipient or purpose uses fewer categories, a cookie lives shorter or now asks consent, or less data must be provided"
    )
    public static let statementRemoved = ImpactRule(
        id: "statement-removed", impact: .notify,
        description:
            "A fact that remains no longer states something it stated (a cookie's purpose or provider, where data comes from, whether it must be provided): less transparency that cannot be shown harmless (GDPR Art. 12(1), 13; rule of doubt)"
    )
    public static let commitmentWeakened = ImpactRule(
        id: "commitment-weakened", impact: .notify,
        description:
            "A promise the policy makes (no sale, no sharing for commercial purposes, no special categories) was removed, reworded or narrowed: a change customers relied on (GDPR Art. 5(1)(a), 13(3); rule of doubt)"
    )
    public static let commitmentAdded = ImpactRule(
        id: "commitment-added", impact: .favourable,
        description: "The policy makes a new promise, or widens one to more data")
    public static let securityWeakened = ImpactRule(
        id: "security-measure-removed", impact: .notify,
        description: "A security measure protecting data already held was removed (GDPR Art. 32; rule of doubt)")
    public static let securityAdded = ImpactRule(
        id: "security-measure-added", impact: .favourable,
        description: "A security measure was added (GDPR Art. 32)")
    public static let noticePeriodShortened = ImpactRule(
        id: "notice-period-shortened", impact: .notify,
        description: "The notice period for material changes was shortened (WP260 para. 30; rule of doubt)")
    public static let noticePeriodLengthened = ImpactRule(
        id: "notice-period-lengthened", impact: .favourable,
        description: "The notice period for material changes was lengthened")
    public static let wording = ImpactRule(
        id: "wording", impact: .editorial,
        description:
            "Labels, names of sections or prose changed while the facts did not: spelling, style and grammar are not material (WP260 para. 31); a relabelled security measure is flagged for review"
    )
    public static let recipientPurposesAddedNewData = ImpactRule(
        id: "recipient-purposes-added-new-data", impact: .future,
        description:
            "A recipient processes data for a purpose it did not before, but only data collected from now on (GDPR Art. 13(1)(e))"
    )
    public static let declaredWording = ImpactRule(
        id: "declared-wording", impact: .editorial,
        description:
            "The new version declares, with a reason, that a reworded label or name says the same: spelling, style and grammar are not material (WP260 para. 31); the reason is on the record"
    )
    public static let declaredSubstance = ImpactRule(
        id: "declared-substance", impact: .notify,
        description:
            "The new version declares, with a reason, that a reworded label changes what it says, such as a widened purpose (GDPR Art. 13(3); WP260 para. 29)"
    )
    public static let declaredNewData = ImpactRule(
        id: "declared-new-data", impact: .future,
        description:
            "The new version declares, with a reason, that a new purpose or recipient for a category already held concerns only data collected from now on (GDPR Art. 13(1)(c), (e))"
    )

    public static let all: [ImpactRule] = [
        newPurposeOnExistingData, newPurposeOnNewData, legalBasisChanged, interestChanged, recipientGetsExistingData,
        recipientGetsNewData, recipientPurposesAdded, recipientPurposesAddedNewData, recipientRoleChanged,
        recipientRenamed, countryChanged,
        transferIntroduced, transferEnded, transferGroundsChanged, transferGroundsStrengthened, ownPurposesAllowed,
        ownPurposesEnded,
        retentionLonger, retentionShorter, retentionNewData, controllerChanged, rightRemoved, rightImproved,
        automatedOnExistingData, automatedOnNewData, newCategory, categoryDisclosed, categoryCollectionChanged,
        newCookie, removed,
        statementRemoved, commitmentWeakened, commitmentAdded, securityWeakened, securityAdded, noticePeriodShortened,
        noticePeriodLengthened, wording, declaredWording, declaredSubstance, declaredNewData,
        scopeAdded, scopeRemoved, scopeChanged, scopeBurdenWidened, scopeBurdenWidenedNewData, scopeBurdenNarrowed,
        scopeProtectionWidened, scopeProtectionNarrowed, controllerCoverageChanged,
        legalBasisAdded, legalBasisRemoved, legalBasisNarrowedToConsent,
        legalReferenceChanged, cookieNowNecessary, storageAreaWidened, storageAreaNarrowed,
        optOutAdded,
        retentionMadeApproximate, retentionMadeExact,
    ]
}
