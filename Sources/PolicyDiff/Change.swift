import PolicyBase
import PolicyModel

/// Who must hear of a change (docs/changes.md). Ordered from most to least urgent.
public enum Impact: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    /// Affects data already collected: customers must be told before it takes effect (GDPR Art. 13(3)).
    case notify
    /// Affects only data collected from now on.
    case future
    /// Better for customers: less data, fewer recipients, shorter periods, more rights.
    case favourable
    /// Words only; the facts are unchanged.
    case editorial

    public static func < (a: Impact, b: Impact) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// What changed. The diff emits these, never sentences: PolicyPresent turns each into words of a language.
public enum ChangeKind: String, Codable, Hashable, Sendable, CaseIterable {
    // The controller, its contacts and the policy as a whole
    case controllerAdded = "controller-added"
    case controllerRemoved = "controller-removed"
    case controllerChanged = "controller-changed"
    case controllerTextChanged = "controller-text-changed"
    case privacyContactChanged = "privacy-contact-changed"
    case supervisoryAuthorityChanged = "supervisory-authority-changed"
    case supervisoryAuthorityAdded = "supervisory-authority-added"
    case supervisoryAuthorityRemoved = "supervisory-authority-removed"
    case noticePeriodChanged = "notice-period-changed"
    case policyTextChanged = "policy-text-changed"
    // Transfers outside the EEA, by the controller or a recipient
    case transferIntroduced = "transfer-introduced"
    case transferEnded = "transfer-ended"
    case countryChanged = "country-changed"
    case transferGroundsChanged = "transfer-grounds-changed"
    // Data categories
    case categoryAdded = "category-added"
    case categoryDisclosed = "category-disclosed"
    case categoryRemoved = "category-removed"
    case categoryProvisionChanged = "category-provision-changed"
    case categorySourceChanged = "category-source-changed"
    case categoryTextChanged = "category-text-changed"
    case categoryGroupTextChanged = "category-group-text-changed"
    // Purposes
    case purposeAdded = "purpose-added"
    case purposeRemoved = "purpose-removed"
    case legalBasisChanged = "legal-basis-changed"
    case legitimateInterestChanged = "legitimate-interest-changed"
    case legalBasisAdded = "legal-basis-added"
    case legalBasisRemoved = "legal-basis-removed"
    case purposeReferenceChanged = "purpose-reference-changed"
    case purposeCategoriesAdded = "purpose-categories-added"
    case purposeCategoriesRemoved = "purpose-categories-removed"
    case purposeTextChanged = "purpose-text-changed"
    // Recipients
    case recipientAdded = "recipient-added"
    case recipientRemoved = "recipient-removed"
    case recipientRenamed = "recipient-renamed"
    case recipientRoleChanged = "recipient-role-changed"
    case recipientCategoriesAdded = "recipient-categories-added"
    case recipientCategoriesRemoved = "recipient-categories-removed"
    case recipientPurposesAdded = "recipient-purposes-added"
    case recipientPurposesRemoved = "recipient-purposes-removed"
    case recipientOwnPurposesChanged = "recipient-own-purposes-changed"
    case recipientTextChanged = "recipient-text-changed"
    case recipientAreaChanged = "recipient-area-changed"
    case recipientOptOutChanged = "recipient-opt-out-changed"
    // Retention
    case retentionAdded = "retention-added"
    case retentionRemoved = "retention-removed"
    case retentionStated = "retention-stated"
    case retentionShortened = "retention-shortened"
    case retentionLengthened = "retention-lengthened"
    case retentionChanged = "retention-changed"
    case retentionTextChanged = "retention-text-changed"
    case retentionBackupsChanged = "retention-backups-changed"
    // Rights
    case rightAdded = "right-added"
    case rightRemoved = "right-removed"
    case rightResponseChanged = "right-response-changed"
    case rightChannelsChanged = "right-channels-changed"
    case rightTextChanged = "right-text-changed"
    case rightLawChanged = "right-law-changed"
    // Cookies
    case cookieAdded = "cookie-added"
    case cookieRemoved = "cookie-removed"
    case cookieChanged = "cookie-changed"
    // Automated decisions
    case automatedDecisionAdded = "automated-decision-added"
    case automatedDecisionRemoved = "automated-decision-removed"
    case automatedDecisionChanged = "automated-decision-changed"
    case automatedDecisionCategoriesAdded = "automated-decision-categories-added"
    case automatedDecisionCategoriesRemoved = "automated-decision-categories-removed"
    case automatedDecisionTextChanged = "automated-decision-text-changed"
    // Security measures
    case securityMeasureAdded = "security-measure-added"
    case securityMeasureRemoved = "security-measure-removed"
    case securityMeasureChanged = "security-measure-changed"
    case securityMeasureTextChanged = "security-measure-text-changed"
    // Commitments
    case commitmentAdded = "commitment-added"
    case commitmentRemoved = "commitment-removed"
    case commitmentChanged = "commitment-changed"
    case commitmentCategoriesAdded = "commitment-categories-added"
    case commitmentCategoriesRemoved = "commitment-categories-removed"
    // Scope: what the policy covers and where its facts and controllers apply (ScopeDiff.swift)
    case scopeAdded = "scope-added"
    case scopeRemoved = "scope-removed"
    case scopeChanged = "scope-changed"
    case scopeTextChanged = "scope-text-changed"
    case appliesToWidened = "applies-to-widened"
    case appliesToNarrowed = "applies-to-narrowed"
    case controllerCoverageChanged = "controller-coverage-changed"
    // Prose
    case sectionChanged = "section-changed"
    case sectionAdded = "section-added"
    case sectionRemoved = "section-removed"
    case sectionRenamed = "section-renamed"
    case sectionMoved = "section-moved"

    /// The wording change of a text field of a fact of `kind`.
    public static func textChanged(_ kind: FactKind) -> ChangeKind {
        switch kind {
        case .category: .categoryTextChanged
        case .categoryGroup: .categoryGroupTextChanged
        case .purpose: .purposeTextChanged
        case .recipient: .recipientTextChanged
        case .retention: .retentionTextChanged
        case .right: .rightTextChanged
        case .cookie: .cookieChanged
        case .automatedDecision: .automatedDecisionTextChanged
        case .securityMeasure: .securityMeasureTextChanged
        case .commitment: .commitmentChanged
        }
    }
}

/// Why a change needs a person's eye, though its class was decided.
public enum ReviewReason: String, Codable, Hashable, Sendable, CaseIterable {
    /// The prose about some facts changed while the facts did not: is a fact missing from a block?
    case proseWithoutFactChange = "prose-without-fact-change"
    /// The label of a fact with no other substance field changed (a security measure): it may say something else.
    case labelMayCarrySubstance = "label-may-carry-substance"
    /// A category listed for the first time is used by a purpose that already existed: was its data already held?
    case newCategoryOnExistingPurpose = "new-category-on-existing-purpose"
    /// A purpose's label was reworded, and the new version does not say whether that widens the purpose: declare it
    /// `substance` (customers are told) or `wording` in the front matter's `changes`.
    case purposeLabelChanged = "purpose-label-changed"
}

public struct Review: Codable, Hashable, Sendable {
    public var reason: ReviewReason
    /// The facts concerned, as `kind/id`.
    public var facts: [String]

    public init(_ reason: ReviewReason, facts: [String]) {
        self.reason = reason
        self.facts = facts
    }
}

/// One difference between two versions' facts, classified. Data only: its JSON form is stable (docs/changes.md),
/// and its words come from PolicyPresent.
public struct ChangeRecord: Codable, Hashable, Sendable {
    public var kind: ChangeKind
    /// The element, as `kind/id` (`recipient/sisow`), or `controller`, `privacy-contact`, `supervisory-authority`,
    /// `policy`, or `section/<id>`.
    public var element: String
    /// The element's name or label in the newer version (the older one when it was removed).
    public var label: String
    /// The field that changed, when the change is to one field.
    public var field: String?
    public var before: FactValue?
    public var after: FactValue?
    /// Data categories the change touches, by id, sorted. For a `notify` change: only categories the older
    /// version held (or that the newer one marks `held-before`), the categories whose customers must be told.
    public var categories: [String]
    public var impact: Impact
    /// The id of the rule in `ImpactRules` that classified the change.
    public var rule: String
    /// Set on changes that need a person's eye.
    public var review: Review?
    /// What the newer version declares about this change, with its reason; absent when it declares nothing.
    public var declared: DeclaredChange?
    /// The customers the change concerns, by service and region; nil: every customer (ScopeDiff.swift).
    public var scope: ChangeScope?

    public init(
        kind: ChangeKind, element: String, label: String, field: String? = nil, before: FactValue? = nil,
        after: FactValue? = nil,
        categories: [String], rule: ImpactRule, review: Review? = nil
    ) {
        self.kind = kind
        self.element = element
        self.label = label
        self.field = field
        self.before = before
        self.after = after
        self.categories = Array(Set(categories)).sorted()
        self.impact = rule.impact
        self.rule = rule.id
        self.review = review
    }

    /// A stable name of this change within its diff: `kind:element[:field]`, e.g.
    /// `recipient-purposes-added:recipient/myonlinestore:purposes`. The same two versions always give the same ids,
    /// so a notification list can name the changes that concern each customer.
    public var id: String { [kind.rawValue, element, field].compactMap { $0 }.joined(separator: ":") }
}

/// A declaration of the newer version's front matter (`changes`) that decided a record's class, kept on the record.
public struct DeclaredChange: Codable, Hashable, Sendable {
    public var kind: ChangeDeclaration.Kind
    public var reason: String

    public init(kind: ChangeDeclaration.Kind, reason: String) {
        self.kind = kind
        self.reason = reason
    }
}

/// A rule of the impact table, with the law or guidance behind it.
public struct ImpactRule: Codable, Hashable, Sendable {
    public var id: String
    public var impact: Impact
    public var description: String
}
