import PolicyBase

/// The typed model of one policy version in one language. Value types only: no I/O, no positions (those live in
/// `SourceMap`), so two compiled versions can be compared with `==` and diffed field by field.
///
/// Each mapping and fact is a `SchemaRecord`: its JSON keys are its schema's keys (Schema.swift), the authoring
/// format's kebab-case keys, so a dump reads like the source.
public struct PolicyVersion: Hashable, Sendable {
    public var policy: String
    public var title: String
    public var language: String
    public var effective: CalendarDate
    /// The language of the original when this file is a translation.
    public var translationOf: String?
    /// The day customers are told of this version (needed when it has changes that must be communicated).
    public var announced: CalendarDate?
    /// A short summary of the changes, written for customers.
    public var summary: String?
    /// The controllers: one, or one a region, each with its own contact (Art. 13(1)(a), (b), 26).
    public var controllers: [Controller]
    /// The privacy contact of the whole policy (a controller may have its own).
    public var privacyContact: Contact?
    /// The supervisory authority: the only one, or the lead authority where the policy names several.
    public var supervisoryAuthority: Authority?
    /// The authorities named after the lead one (the customer's own beside a lead authority), in the policy's order.
    public var additionalAuthorities: [Authority] = []
    /// Days between announcement and effective date for changes that must be communicated.
    public var noticePeriodDays: Int
    /// What this policy deliberately does not state, and why: each silences one completeness warning.
    public var notStated: [Waiver]
    /// What the editor declares about this version's changes (front matter `changes`), each with a reason.
    public var changes: [ChangeDeclaration] = []

    public var categories: [DataCategory]
    public var categoryGroups: [CategoryGroup]
    public var purposes: [Purpose]
    public var recipients: [Recipient]
    public var retention: [Retention]
    public var rights: [Right]
    public var cookies: [Cookie]
    public var automatedDecisions: [AutomatedDecision]
    public var securityMeasures: [SecurityMeasure]
    public var commitments: [Commitment]
    /// The prose, section by section, in reading order.
    public var sections: [Section]
    /// What the policy covers: its services, products, websites, brands, group companies (Scope.swift).
    public var scope: [ScopeItem] = []
    /// Where each fact that does not apply to everyone applies, by `kind/id` (a fact's `applies-to`).
    public var scopes: [String: AppliesTo] = [:]

    public static let defaultNoticePeriodDays = 30

    /// Every supervisory authority the policy names, the lead one first.
    public var supervisoryAuthorities: [Authority] { (supervisoryAuthority.map { [$0] } ?? []) + additionalAuthorities }

    /// The first controller: the only one in most policies.
    public var controller: Controller {
        get { controllers[0] }
        set { controllers[0] = newValue }
    }

    /// Every fact of the version, by `kind/id`. Each fact is boxed as `any Fact`: where only titles or one fact
    /// are needed, `factTitles` and `fact(_:)` cost far less (docs/performance.md, "Choices").
    public var facts: [String: any Fact] {
        var all: [String: any Fact] = [:]
        func add(_ items: [some Fact]) { for item in items { all[item.key] = item } }
        add(categories)
        add(categoryGroups)
        add(purposes)
        add(recipients)
        add(retention)
        add(rights)
        add(cookies)
        add(automatedDecisions)
        add(securityMeasures)
        add(commitments)
        return all
    }

    /// Every fact's title (its label, or its name) by `kind/id`: what messages and pages name referenced facts by.
    public var factTitles: [String: String] {
        var titles: [String: String] = [:]
        titles.reserveCapacity(
            categories.count + categoryGroups.count + purposes.count + recipients.count + retention.count + rights.count
                + cookies.count + automatedDecisions.count + securityMeasures.count + commitments.count)
        func add<F: Fact>(_ items: [F]) {
            let prefix = F.kind.rawValue + "/"
            for item in items { titles[prefix + item.id] = item.title }
        }
        // Every kind, as in `facts` (a test holds the two together).
        add(categories)
        add(categoryGroups)
        add(purposes)
        add(recipients)
        add(retention)
        add(rights)
        add(cookies)
        add(automatedDecisions)
        add(securityMeasures)
        add(commitments)
        return titles
    }

    /// The fact with the key `kind/id`, as `facts[key]` gives it, without building `facts`.
    public func fact(_ key: String) -> (any Fact)? {
        guard let slash = key.utf8.firstIndex(of: 0x2F), let kind = FactKind(rawValue: String(key[..<slash])) else {
            return nil
        }
        let id = key[key.utf8.index(after: slash)...]
        // The last with the id, as in `facts`, where a later one overwrites an earlier (the compiler refuses duplicates).
        func find<F: Fact>(_ items: [F]) -> (any Fact)? { items.last { $0.id == id } }
        switch kind {
        case .category: return find(categories)
        case .categoryGroup: return find(categoryGroups)
        case .purpose: return find(purposes)
        case .recipient: return find(recipients)
        case .retention: return find(retention)
        case .right: return find(rights)
        case .cookie: return find(cookies)
        case .automatedDecision: return find(automatedDecisions)
        case .securityMeasure: return find(securityMeasures)
        case .commitment: return find(commitments)
        }
    }

    /// The facts of one kind, in source order.
    public func facts(_ kind: FactKind) -> [any Fact] {
        switch kind {
        case .category: categories
        case .categoryGroup: categoryGroups
        case .purpose: purposes
        case .recipient: recipients
        case .retention: retention
        case .right: rights
        case .cookie: cookies
        case .automatedDecision: automatedDecisions
        case .securityMeasure: securityMeasures
        case .commitment: commitments
        }
    }
}

public struct Controller: SchemaRecord {
    /// Names the controller when there are several; nil for a policy's only controller.
    public var id: String?
    public var name: String
    /// Whom this controller is responsible for, when there are several ("customers in the EEA").
    public var region: String?
    public var address: String?
    public var email: String?
    public var phone: String?
    public var website: String?
    /// The controller's representative in the Union, where it has one (Art. 13(1)(a), 27).
    public var representative: String?
    /// Where the controller processes the data (ISO 3166-1 alpha-2).
    public var country: String?
    /// The grounds for the transfer when `country` is outside the EEA.
    public var transferGrounds: [TransferGround]
    /// This controller's own privacy contact or data protection officer.
    public var privacyContact: Contact?
    /// The scope items and regions this controller is responsible for (Scope.swift); empty: all of them.
    public var appliesTo: [String] = []
    /// Whether it determines the purposes and means jointly with the policy's other controllers (Art. 26).
    public var joint: Bool?
    /// The essence of the joint controllers' arrangement (Art. 26(2)).
    public var arrangement: String?

    public static let schema = Schemas.controller

    public init(
        id: String? = nil, name: String, region: String? = nil, address: String? = nil, email: String? = nil,
        phone: String? = nil,
        website: String? = nil, representative: String? = nil, country: String? = nil,
        transferGrounds: [TransferGround] = [],
        privacyContact: Contact? = nil
    ) {
        self.id = id
        self.name = name
        self.region = region
        self.address = address
        self.email = email
        self.phone = phone
        self.website = website
        self.representative = representative
        self.country = country
        self.transferGrounds = transferGrounds
        self.privacyContact = privacyContact
    }

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "id": id.map(FactValue.text)
        case "name": .text(name)
        case "region": region.map(FactValue.text)
        case "address": address.map(FactValue.text)
        case "email": email.map(FactValue.text)
        case "phone": phone.map(FactValue.text)
        case "website": website.map(FactValue.text)
        case "representative": representative.map(FactValue.text)
        case "country": country.map(FactValue.text)
        case "transfer-grounds": transferGrounds.isEmpty ? nil : .list(transferGrounds.map(\.rawValue))
        case "applies-to": appliesTo.isEmpty ? nil : .list(appliesTo)
        case "joint": joint.map(FactValue.flag)
        case "arrangement": arrangement.map(FactValue.text)
        default: nil
        }
    }

    public func writeStableJSON(_ writer: inout StableJSONWriter) {
        writeFields(&writer, extraKey: privacyContact == nil ? nil : "privacy-contact") {
            privacyContact?.writeStableJSON(&$0)
        }
    }
}

public struct Contact: SchemaRecord {
    public var name: String?
    public var email: String?
    public var phone: String?
    /// Whether this contact is a designated data protection officer (Art. 37), not only a contact person.
    public var dpo: Bool?

    public static let schema = Schemas.privacyContact

    public init(name: String? = nil, email: String? = nil, phone: String? = nil, dpo: Bool? = nil) {
        self.name = name
        self.email = email
        self.phone = phone
        self.dpo = dpo
    }

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "name": name.map(FactValue.text)
        case "email": email.map(FactValue.text)
        case "phone": phone.map(FactValue.text)
        case "dpo": dpo.map(FactValue.flag)
        default: nil
        }
    }
}

public struct Authority: SchemaRecord {
    /// Its name; may be left out when `residence` is true.
    public var name: String?
    public var country: String?
    public var website: String?
    /// The authority of the member state where the customer lives, works or where the infringement took place
    /// (Art. 77(1)), instead of one named authority.
    public var residence: Bool?

    public static let schema = Schemas.supervisoryAuthority

    /// What makes two versions' authorities the same one: the customer's own (`residence`), else its country, else
    /// its name.
    public var identity: String { residence == true ? "residence" : country ?? name ?? "" }

    public init(name: String? = nil, country: String? = nil, website: String? = nil, residence: Bool? = nil) {
        self.name = name
        self.country = country
        self.website = website
        self.residence = residence
    }

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "name": name.map(FactValue.text)
        case "country": country.map(FactValue.text)
        case "website": website.map(FactValue.text)
        case "residence": residence.map(FactValue.flag)
        default: nil
        }
    }
}

/// "This policy deliberately does not state X": silences one completeness warning, and says why.
public struct Waiver: SchemaRecord {
    /// The completeness rule whose warning is silenced (`recipient-country-missing`).
    public var rule: String
    /// The element it concerns (`recipient/mijn-webhost`); nil for every element the rule would warn about.
    public var element: String?
    /// Why the policy does not state it, for the privacy officer and the published data overview.
    public var reason: String

    public static let schema = Schemas.waiver

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "rule": .text(rule)
        case "element": element.map(FactValue.text)
        case "reason": .text(reason)
        default: nil
        }
    }
}

/// A category of personal data (Art. 13(2)(e), 14(1)(d), 14(2)(f)).
public struct DataCategory: Fact {
    public var id: String
    public var label: String
    /// Whether the customer must provide it (to order, by law); nil when the policy does not say.
    public var required: Bool?
    /// What happens when it is not provided.
    public var consequence: String?
    /// Where the data comes from when not from the customer.
    public var source: String?
    /// Whether the shop already held this data before the version that first lists it: the category is new to the
    /// policy, not to the shop, so changes to it concern customers already (Art. 13(3)).
    public var heldBefore: Bool?

    public static let kind = FactKind.category
    public var title: String { label }
    public var categoryIDs: [String] { [id] }

    public init(
        id: String, label: String, required: Bool? = nil, consequence: String? = nil, source: String? = nil,
        heldBefore: Bool? = nil
    ) {
        self.id = id
        self.label = label
        self.required = required
        self.consequence = consequence
        self.source = source
        self.heldBefore = heldBefore
    }

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "id": .text(id)
        case "label": .text(label)
        case "required": required.map(FactValue.flag)
        case "consequence": consequence.map(FactValue.text)
        case "source": source.map(FactValue.text)
        case "held-before": heldBefore.map(FactValue.flag)
        default: nil
        }
    }
}

/// Categories named once and referred to by one id wherever a list of categories is expected. The compiler
/// expands references to a group into its categories, so every other fact lists categories only.
public struct CategoryGroup: Fact {
    public var id: String
    public var label: String
    public var categories: [String]

    public static let kind = FactKind.categoryGroup
    public var title: String { label }
    public var categoryIDs: [String] { categories }

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "id": .text(id)
        case "label": .text(label)
        case "categories": .list(categories)
        default: nil
        }
    }
}

/// Art. 6(1) legal bases, with the W3C DPV codes as stable identifiers.
public enum LegalBasis: String, Codable, Hashable, Sendable, CaseIterable {
    case consent
    case contract
    case legalObligation = "legal-obligation"
    case vitalInterests = "vital-interests"
    case publicTask = "public-task"
    case legitimateInterests = "legitimate-interests"

    public var article: String {
        switch self {
        case .consent: "Art. 6(1)(a)"
        case .contract: "Art. 6(1)(b)"
        case .legalObligation: "Art. 6(1)(c)"
        case .vitalInterests: "Art. 6(1)(d)"
        case .publicTask: "Art. 6(1)(e)"
        case .legitimateInterests: "Art. 6(1)(f)"
        }
    }

    public var dpv: String {
        switch self {
        case .consent: "A6-1-a"
        case .contract: "A6-1-b"
        case .legalObligation: "A6-1-c"
        case .vitalInterests: "A6-1-d"
        case .publicTask: "A6-1-e"
        case .legitimateInterests: "A6-1-f"
        }
    }
}

public struct Purpose: Fact {
    public var id: String
    public var label: String
    /// The legal bases, in the policy's order: one for most purposes, several where the policy states them so.
    public var bases: [LegalBasis]
    /// The legitimate interest pursued, required when a basis is legitimate interests (Art. 13(1)(d)).
    public var interest: String?
    public var categories: [String]
    /// The statute the purpose relies on, where the policy names it (a legal obligation's or public task's law).
    public var statute: String?
    /// The Art. 9(2) condition that allows processing special categories of data for this purpose.
    public var specialCategoryCondition: SpecialCategoryCondition?

    public static let kind = FactKind.purpose
    public var title: String { label }
    public var categoryIDs: [String] { categories }

    /// The first legal basis: the only one of most purposes. Setting it states that one basis alone.
    public var basis: LegalBasis? {
        get { bases.first }
        set { bases = newValue.map { [$0] } ?? [] }
    }

    public init(
        id: String, label: String, basis: LegalBasis? = nil, interest: String? = nil, categories: [String],
        statute: String? = nil, specialCategoryCondition: SpecialCategoryCondition? = nil
    ) {
        self.init(
            id: id, label: label, bases: basis.map { [$0] } ?? [], interest: interest, categories: categories,
            statute: statute, specialCategoryCondition: specialCategoryCondition)
    }

    public init(
        id: String, label: String, bases: [LegalBasis], interest: String? = nil, categories: [String],
        statute: String? = nil, specialCategoryCondition: SpecialCategoryCondition? = nil
    ) {
        self.id = id
        self.label = label
        self.bases = bases
        self.interest = interest
        self.categories = categories
        self.statute = statute
        self.specialCategoryCondition = specialCategoryCondition
    }

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "id": .text(id)
        case "label": .text(label)
        // One basis is written as a word, as the source writes it, so a version that states one is unchanged.
        case "basis": bases.isEmpty ? nil : bases.count == 1 ? .text(bases[0].rawValue) : .list(bases.map(\.rawValue))
        case "interest": interest.map(FactValue.text)
        case "categories": .list(categories)
        case "statute": statute.map(FactValue.text)
        case "special-category-condition": specialCategoryCondition.map { .text($0.rawValue) }
        default: nil
        }
    }
}

public enum RecipientRole: String, Codable, Hashable, Sendable, CaseIterable {
    case processor
    case jointController = "joint-controller"
    case independentController = "independent-controller"
    case publicAuthority = "public-authority"
}

/// The legal ground for a transfer outside the EEA (GDPR Chapter V): an adequacy decision (Art. 45), an appropriate
/// safeguard (Art. 46) or binding corporate rules (Art. 47), or one of the derogations of Art. 49, each named, with
/// DPV-style codes.
public enum TransferGround: String, Codable, Hashable, Sendable, CaseIterable {
    case adequacy
    case standardContractualClauses = "standard-contractual-clauses"
    case bindingCorporateRules = "binding-corporate-rules"
    case codeOfConduct = "code-of-conduct"
    case certification
    case adHocClauses = "ad-hoc-clauses"
    case derogationConsent = "derogation-consent"
    case derogationContract = "derogation-contract"
    case derogationContractForYou = "derogation-contract-in-your-interest"
    case derogationPublicInterest = "derogation-public-interest"
    case derogationLegalClaims = "derogation-legal-claims"
    case derogationVitalInterests = "derogation-vital-interests"
    case derogationPublicRegister = "derogation-public-register"
    case derogationCompellingInterests = "derogation-compelling-interests"

    public var article: String {
        switch self {
        case .adequacy: "Art. 45(3)"
        case .standardContractualClauses: "Art. 46(2)(c)"
        case .bindingCorporateRules: "Art. 47"
        case .codeOfConduct: "Art. 46(2)(e)"
        case .certification: "Art. 46(2)(f)"
        case .adHocClauses: "Art. 46(3)(a)"
        case .derogationConsent: "Art. 49(1)(a)"
        case .derogationContract: "Art. 49(1)(b)"
        case .derogationContractForYou: "Art. 49(1)(c)"
        case .derogationPublicInterest: "Art. 49(1)(d)"
        case .derogationLegalClaims: "Art. 49(1)(e)"
        case .derogationVitalInterests: "Art. 49(1)(f)"
        case .derogationPublicRegister: "Art. 49(1)(g)"
        case .derogationCompellingInterests: "Art. 49(1), second subparagraph"
        }
    }

    /// An Art. 49 derogation: a ground for occasional transfers, weaker than any safeguard.
    public var isDerogation: Bool { rawValue.hasPrefix("derogation-") }

    /// An appropriate safeguard of Art. 46 or binding corporate rules (Art. 47).
    public var isSafeguard: Bool { !isDerogation && self != .adequacy }
}

/// A recipient or category of recipients (Art. 13(1)(e), (f)).
public struct Recipient: Fact {
    public var id: String
    public var name: String
    public var role: RecipientRole?
    public var categories: [String]
    public var purposes: [String]
    /// ISO 3166-1 alpha-2 countries where the data is processed: one for most recipients.
    public var countries: [String]
    /// The grounds for the transfer when `country` is outside the EEA.
    public var transferGrounds: [TransferGround]
    /// Whether the recipient may use the data for its own purposes.
    public var ownPurposes: Bool?
    /// For a category of recipients: where the current list of them is kept (a sub-processor list).
    public var listURL: String?
    /// Where it stores the data, as the policy promises it: countries and regions (`Areas`).
    public var storedIn: [String] = []
    /// Where the data is accessed from, beside where it is stored: countries and regions (`Areas`).
    public var accessedFrom: [String] = []
    /// Where the customer can object to the recipient's own use directly (its own opt-out page).
    public var optOutURL: String? = nil

    public static let kind = FactKind.recipient
    public var title: String { name }
    public var categoryIDs: [String] { categories }

    public init(
        id: String, name: String, role: RecipientRole? = nil, categories: [String], purposes: [String] = [],
        country: String? = nil,
        transferGrounds: [TransferGround] = [], ownPurposes: Bool? = nil, listURL: String? = nil
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.categories = categories
        self.purposes = purposes
        self.countries = country.map { [$0] } ?? []
        self.transferGrounds = transferGrounds
        self.ownPurposes = ownPurposes
        self.listURL = listURL
    }

    /// The first country where the data is processed: the only one of most recipients. Setting it states that one
    /// country alone.
    public var country: String? {
        get { countries.first }
        set { countries = newValue.map { [$0] } ?? [] }
    }

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "id": .text(id)
        case "name": .text(name)
        case "role": role.map { .text($0.rawValue) }
        case "categories": .list(categories)
        case "purposes": .list(purposes)
        case "country": countries.isEmpty ? nil : countries.count == 1 ? .text(countries[0]) : .list(countries)
        case "transfer-grounds": transferGrounds.isEmpty ? nil : .list(transferGrounds.map(\.rawValue))
        case "own-purposes": ownPurposes.map(FactValue.flag)
        case "list-url": listURL.map(FactValue.text)
        case "stored-in": storedIn.isEmpty ? nil : .list(storedIn)
        case "accessed-from": accessedFrom.isEmpty ? nil : .list(accessedFrom)
        case "opt-out-url": optOutURL.map(FactValue.text)
        default: nil
        }
    }
}

/// Events that end a storage period.
public enum RetentionEvent: String, Codable, Hashable, Sendable, CaseIterable {
    case endOfRelationship = "end-of-relationship"
    case erasureRequest = "erasure-request"
    case consentWithdrawn = "consent-withdrawn"
    case purposeFulfilled = "purpose-fulfilled"
    case statutoryTerm = "statutory-term"
}

/// Events from which a storage period is counted.
public enum RetentionStart: String, Codable, Hashable, Sendable, CaseIterable {
    case collection
    case lastOrder = "last-order"
    case endOfRelationship = "end-of-relationship"
    case endOfFinancialYear = "end-of-financial-year"
    /// When the customer deletes the item (it is kept for a while in a trash).
    case deletion
    /// The customer's last contact with the shop (an order, a message, a login).
    case lastContact = "last-contact"
}

/// How long data in some categories is kept (Art. 13(2)(a)): a duration counted from an event, until an event,
/// indefinitely, or the criteria used to decide the period.
public struct Retention: Fact {
    public var id: String
    public var categories: [String]
    public var duration: ISODuration?
    /// What the duration is counted from (default: collection).
    public var from: RetentionStart?
    /// The events that end the period, whichever comes first: one for most periods.
    public var ends: [RetentionEvent]
    /// Kept without a limit.
    public var indefinitely: Bool?
    /// The criteria used to decide the period, where the policy states criteria instead of a period.
    public var criteria: String?
    /// The statute that sets or requires the period, where one does.
    public var statute: String?
    /// How long copies in backups outlive the data's deletion, where the policy says so.
    public var backups: ISODuration? = nil
    /// The duration is approximate ("about 30 days"), a weaker promise than an exact one.
    public var approximate: Bool? = nil
    /// The recipient that keeps the data for this period, where it is not the shop (it keeps it longer).
    public var holder: String? = nil

    /// The first event that ends the period: the only one of most periods. Setting it states that one event alone.
    public var until: RetentionEvent? {
        get { ends.first }
        set { ends = newValue.map { [$0] } ?? [] }
    }

    public static let kind = FactKind.retention
    public var title: String { id }
    public var categoryIDs: [String] { categories }

    public init(
        id: String, categories: [String], duration: ISODuration? = nil, from: RetentionStart? = nil,
        until: RetentionEvent? = nil,
        indefinitely: Bool? = nil, criteria: String? = nil, statute: String? = nil
    ) {
        self.id = id
        self.categories = categories
        self.duration = duration
        self.from = from
        self.ends = until.map { [$0] } ?? []
        self.indefinitely = indefinitely
        self.criteria = criteria
        self.statute = statute
    }

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "id": .text(id)
        case "categories": .list(categories)
        case "duration": duration.map { .text($0.description) }
        case "from": from.map { .text($0.rawValue) }
        // One end event is written as a word, as the source writes it, so a version that states one is unchanged.
        case "until": ends.isEmpty ? nil : ends.count == 1 ? .text(ends[0].rawValue) : .list(ends.map(\.rawValue))
        case "indefinitely": indefinitely.map(FactValue.flag)
        case "criteria": criteria.map(FactValue.text)
        case "statute": statute.map(FactValue.text)
        case "backups": backups.map { .text($0.description) }
        case "approximate": approximate.map(FactValue.flag)
        case "holder": holder.map(FactValue.text)
        default: nil
        }
    }

    /// The period as one canonical text, for comparing versions: `P7Y`, `P7Y from last-order`,
    /// `until end-of-relationship`, `indefinitely`, `criteria: …`; nil when none is stated. An approximate duration
    /// is marked `~` (`~P30D`); several end events, whichever comes first, are joined by ` or ` in a fixed order.
    public var period: String? {
        if let duration {
            return (approximate == true ? "~" : "") + "\(duration)"
                + (from.map { $0 == .collection ? "" : " from \($0.rawValue)" } ?? "")
        }
        if !ends.isEmpty { return "until " + ends.map(\.rawValue).sorted().joined(separator: " or ") }
        if indefinitely == true { return "indefinitely" }
        return criteria.map { "criteria: \($0)" }
    }
}

public enum RightKind: String, Codable, Hashable, Sendable, CaseIterable {
    case access
    case rectification
    case erasure
    case restriction
    case portability
    case objection
    case automatedDecision = "automated-decision"
    case withdrawConsent = "withdraw-consent"
    case complaint
    // Rights under the California Consumer Privacy Act (as amended by the CPRA), with `law: ccpa`.
    case know
    case delete
    case correct
    case optOutOfSaleOrSharing = "opt-out-of-sale-or-sharing"
    case limitSensitive = "limit-sensitive"
    case nonDiscrimination = "non-discrimination"

    public var article: String {
        switch self {
        case .know: "Cal. Civ. Code § 1798.110"
        case .delete: "Cal. Civ. Code § 1798.105"
        case .correct: "Cal. Civ. Code § 1798.106"
        case .optOutOfSaleOrSharing: "Cal. Civ. Code § 1798.120"
        case .limitSensitive: "Cal. Civ. Code § 1798.121"
        case .nonDiscrimination: "Cal. Civ. Code § 1798.125"
        case .access: "Art. 15"
        case .rectification: "Art. 16"
        case .erasure: "Art. 17"
        case .restriction: "Art. 18"
        case .portability: "Art. 20"
        case .objection: "Art. 21"
        case .automatedDecision: "Art. 22"
        case .withdrawConsent: "Art. 7(3)"
        case .complaint: "Art. 77"
        }
    }
}

public enum Channel: String, Codable, Hashable, Sendable, CaseIterable {
    case privacyContact = "privacy-contact"
    case email
    case post
    case phone
    case webForm = "web-form"
    case account
    case supervisoryAuthority = "supervisory-authority"
    /// A page where the customer chooses which messages and uses they accept.
    case preferenceCentre = "preference-centre"
    /// The link in every message that stops further messages.
    case unsubscribeLink = "unsubscribe-link"
    /// A browser add-on that signals the choice (an opt-out add-on, Global Privacy Control).
    case browserAddOn = "browser-add-on"
}

/// A data subject right and how to exercise it (Art. 13(2)(b)–(d)). Its id is the right itself.
public struct Right: Fact {
    public var right: RightKind
    public var label: String
    public var channels: [Channel]
    /// The promised response time.
    public var response: ISODuration?
    /// How the request is handled, in the policy's words.
    public var how: String?
    /// The law the right is given under, where it is not the GDPR (rights of residents of other jurisdictions).
    public var law: Law? = nil

    public static let kind = FactKind.right
    public var id: String { right.rawValue }
    public var title: String { label }
    public var categoryIDs: [String] { [] }

    public init(
        id: RightKind, label: String, channels: [Channel] = [], response: ISODuration? = nil, how: String? = nil
    ) {
        self.right = id
        self.label = label
        self.channels = channels
        self.response = response
        self.how = how
    }

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "id": .text(id)
        case "label": .text(label)
        case "channels": .list(channels.map(\.rawValue))
        case "response": response.map { .text($0.description) }
        case "how": how.map(FactValue.text)
        case "law": law.map { .text($0.rawValue) }
        default: nil
        }
    }
}

public struct Cookie: Fact {
    public var id: String
    /// The cookie's name, its provider's name, or a category of cookies ("analytics cookies").
    public var name: String
    /// The recipients that set it, by id.
    public var providers: [String]
    /// The purposes it serves, by id: one for most cookies, several where the policy states them so.
    public var purposes: [String]
    /// Whether the visitor's consent is asked before it is set.
    public var consent: Bool?
    /// Which visitors are asked, when not all are ("visitors from the EEA").
    public var consentFor: String?
    public var lifetime: CookieLifetime?
    public var country: String?
    /// Whether the shop's own site sets it (first party), rather than a provider's domain (third party).
    public var firstParty: Bool?
    /// The category of the consent banner it belongs to.
    public var consentCategory: CookieCategory?
    /// The data categories the cookie collects, by id; empty when the policy does not say.
    public var categories: [String]

    public static let kind = FactKind.cookie
    public var title: String { name }
    public var categoryIDs: [String] { categories }

    /// The first purpose: the only one of most cookies. Setting it states that one purpose alone.
    public var purpose: String? {
        get { purposes.first }
        set { purposes = newValue.map { [$0] } ?? [] }
    }

    public init(
        id: String, name: String, providers: [String] = [], purpose: String? = nil, consent: Bool? = nil,
        consentFor: String? = nil,
        lifetime: CookieLifetime? = nil, country: String? = nil
    ) {
        self.init(
            id: id, name: name, providers: providers, purposes: purpose.map { [$0] } ?? [], consent: consent,
            consentFor: consentFor, lifetime: lifetime, country: country)
    }

    public init(
        id: String, name: String, providers: [String] = [], purposes: [String], consent: Bool? = nil,
        consentFor: String? = nil, lifetime: CookieLifetime? = nil, country: String? = nil, firstParty: Bool? = nil,
        consentCategory: CookieCategory? = nil, categories: [String] = []
    ) {
        self.id = id
        self.name = name
        self.providers = providers
        self.purposes = purposes
        self.consent = consent
        self.consentFor = consentFor
        self.lifetime = lifetime
        self.country = country
        self.firstParty = firstParty
        self.consentCategory = consentCategory
        self.categories = categories
    }

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "id": .text(id)
        case "name": .text(name)
        case "provider": providers.isEmpty ? nil : .list(providers)
        // One purpose is written as an id, as the source writes it, so a version that states one is unchanged.
        case "purpose": purposes.isEmpty ? nil : purposes.count == 1 ? .text(purposes[0]) : .list(purposes)
        case "consent": consent.map(FactValue.flag)
        case "consent-for": consentFor.map(FactValue.text)
        case "lifetime": lifetime.map { .text($0.description) }
        case "country": country.map(FactValue.text)
        case "first-party": firstParty.map(FactValue.flag)
        case "consent-category": consentCategory.map { .text($0.rawValue) }
        case "categories": categories.isEmpty ? nil : .list(categories)
        default: nil
        }
    }
}

public enum CookieLifetime: Hashable, Sendable, CustomStringConvertible {
    case session
    /// Kept after the browser closes, for a period the policy does not state.
    case persistent
    case duration(ISODuration)

    public init?(_ text: String) {
        switch text {
        case "session": self = .session
        case "persistent": self = .persistent
        default:
            guard let duration = ISODuration(text) else { return nil }
            self = .duration(duration)
        }
    }

    public var description: String {
        switch self {
        case .session: "session"
        case .persistent: "persistent"
        case .duration(let duration): duration.description
        }
    }
}

/// Art. 22 exceptions that allow a solely automated decision.
public enum AutomatedDecisionGround: String, Codable, Hashable, Sendable, CaseIterable {
    case contract
    case law
    case explicitConsent = "explicit-consent"
}

public struct AutomatedDecision: Fact {
    public var id: String
    public var label: String
    /// The logic involved (Art. 13(2)(f)).
    public var logic: String
    /// Its significance and envisaged consequences.
    public var consequences: String?
    public var ground: AutomatedDecisionGround?
    public var categories: [String]
    /// Whether it profiles the person (Art. 4(4)).
    public var profiling: Bool

    public static let kind = FactKind.automatedDecision
    public var title: String { label }
    public var categoryIDs: [String] { categories }

    public init(
        id: String, label: String, logic: String, consequences: String? = nil, ground: AutomatedDecisionGround? = nil,
        categories: [String], profiling: Bool = false
    ) {
        self.id = id
        self.label = label
        self.logic = logic
        self.consequences = consequences
        self.ground = ground
        self.categories = categories
        self.profiling = profiling
    }

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "id": .text(id)
        case "label": .text(label)
        case "logic": .text(logic)
        case "consequences": consequences.map(FactValue.text)
        case "ground": ground.map { .text($0.rawValue) }
        case "categories": .list(categories)
        case "profiling": .flag(profiling)
        default: nil
        }
    }
}

public struct SecurityMeasure: Fact {
    public var id: String
    public var label: String
    /// Recipients whose measure this is, by id; empty when it is the controller's own.
    public var recipients: [String]

    public static let kind = FactKind.securityMeasure
    public var title: String { label }
    public var categoryIDs: [String] { [] }

    public init(id: String, label: String, recipients: [String] = []) {
        self.id = id
        self.label = label
        self.recipients = recipients
    }

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "id": .text(id)
        case "label": .text(label)
        case "recipients": .list(recipients)
        default: nil
        }
    }
}

/// A promise the policy makes ("we never sell your data", "no special categories"), beside the prose that makes
/// it. Its label is the promise itself, so any change to it is a change customers are told about.
public struct Commitment: Fact {
    public var id: String
    public var label: String
    /// The categories it covers; empty when it covers all data.
    public var categories: [String]

    public static let kind = FactKind.commitment
    public var title: String { label }
    public var categoryIDs: [String] { categories }

    public init(id: String, label: String, categories: [String] = []) {
        self.id = id
        self.label = label
        self.categories = categories
    }

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "id": .text(id)
        case "label": .text(label)
        case "categories": .list(categories)
        default: nil
        }
    }
}

/// A heading and the prose under it, up to the next heading. Section ids are slugs of the heading text.
public struct Section: Hashable, Sendable {
    public var id: String
    public var heading: String
    public var level: Int
    /// The facts declared in this section, as `kind/id`.
    public var facts: [String]
    /// The words of the section's prose, paragraph by paragraph.
    public var paragraphs: [String]

    public init(id: String, heading: String, level: Int, facts: [String], paragraphs: [String]) {
        self.id = id
        self.heading = heading
        self.level = level
        self.facts = facts
        self.paragraphs = paragraphs
    }
}

extension PolicyVersion: StableJSONWritable {
    /// `model.json`: pretty JSON, keys in the order of their UTF-8 bytes, written directly (through `Encodable` it
    /// was a large share of a publish's CPU). The `Encodable` reference lives in Tests/PolicyTestSupport; a test
    /// holds the two together on every sample version, and the compile fuzz target on every input that compiles.
    public func writeStableJSON(_ writer: inout StableJSONWriter) {
        func list(_ key: String, _ items: [some StableJSONWritable]) {
            writer.key(key)
            writer.beginArray()
            for item in items { item.writeStableJSON(&writer) }
            writer.endArray()
        }
        writer.beginObject()
        if let announced { writer.field("announced", announced.description) }
        list("automated-decisions", automatedDecisions)
        list("categories", categories)
        list("category-groups", categoryGroups)
        if !changes.isEmpty { list("changes", changes) }
        list("commitments", commitments)
        list("controllers", controllers)
        list("cookies", cookies)
        writer.field("effective", effective.description)
        writer.field("language", language)
        list("not-stated", notStated)
        writer.key("notice-period-days")
        writer.int(noticePeriodDays)
        writer.field("policy", policy)
        if let privacyContact {
            writer.key("privacy-contact")
            privacyContact.writeStableJSON(&writer)
        }
        list("purposes", purposes)
        list("recipients", recipients)
        list("retention", retention)
        list("rights", rights)
        if !scope.isEmpty { list("scope", scope) }
        if !scopes.isEmpty {
            writer.key("scopes")
            writer.beginObject()
            for key in scopes.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                writer.field(key, scopes[key]!.items)
            }
            writer.endObject()
        }
        list("sections", sections)
        list("security-measures", securityMeasures)
        if let summary { writer.field("summary", summary) }
        if !additionalAuthorities.isEmpty { list("supervisory-authorities", supervisoryAuthorities) }
        if let supervisoryAuthority {
            writer.key("supervisory-authority")
            supervisoryAuthority.writeStableJSON(&writer)
        }
        writer.field("title", title)
        if let translationOf { writer.field("translation-of", translationOf) }
        writer.endObject()
    }
}

extension Section: StableJSONWritable {
    public func writeStableJSON(_ writer: inout StableJSONWriter) {
        writer.beginObject()
        writer.field("facts", facts)
        writer.field("heading", heading)
        writer.field("id", id)
        writer.key("level")
        writer.int(level)
        writer.field("paragraphs", paragraphs)
        writer.endObject()
    }
}
