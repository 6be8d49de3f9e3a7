import PolicyBase
/// The typed model of one policy version in one language. Value types only: no I/O, no positions (those live in
/// `SourceMap`), so two compiled versions can be compared with `==` and diffed field by field.
///
/// Coding keys are the authoring format's kebab-case keys, so a dump reads like the source.
public struct PolicyVersion: Codable, Hashable, Sendable {
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
    public var controller: Controller
    public var privacyContact: Contact?
    public var supervisoryAuthority: Authority?
    /// Days between announcement and effective date for changes that must be communicated.
    public var noticePeriodDays: Int

    public var categories: [DataCategory]
    public var purposes: [Purpose]
    public var recipients: [Recipient]
    public var retention: [Retention]
    public var rights: [Right]
    public var cookies: [Cookie]
    public var automatedDecisions: [AutomatedDecision]
    public var securityMeasures: [SecurityMeasure]
    /// The prose, section by section, in reading order.
    public var sections: [Section]

    public static let defaultNoticePeriodDays = 30

    enum CodingKeys: String, CodingKey {
        case policy, title, language, effective, announced, summary, controller, categories, purposes, recipients,
             retention, rights, cookies, sections
        case translationOf = "translation-of"
        case privacyContact = "privacy-contact"
        case supervisoryAuthority = "supervisory-authority"
        case noticePeriodDays = "notice-period-days"
        case automatedDecisions = "automated-decisions"
        case securityMeasures = "security-measures"
    }
}

public struct Controller: Codable, Hashable, Sendable {
    public var name: String
    public var address: String?
    public var email: String?
    public var phone: String?
    public var website: String?
    /// The controller's representative in the Union, where it has one (Art. 13(1)(a)).
    public var representative: String?
}

public struct Contact: Codable, Hashable, Sendable {
    public var name: String?
    public var email: String?
    public var phone: String?
    /// Whether this contact is a designated data protection officer (Art. 37), not only a contact person.
    public var dpo: Bool?
}

public struct Authority: Codable, Hashable, Sendable {
    public var name: String
    public var country: String?
    public var website: String?
}

/// A category of personal data (Art. 13(2)(e), 14(1)(d), 14(2)(f)).
public struct DataCategory: Codable, Hashable, Sendable {
    public var id: String
    public var label: String
    /// Whether the customer must provide it (to order, by law); nil when the policy does not say.
    public var required: Bool?
    /// What happens when it is not provided.
    public var consequence: String?
    /// Where the data comes from when not from the customer.
    public var source: String?
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

public struct Purpose: Codable, Hashable, Sendable {
    public var id: String
    public var label: String
    public var basis: LegalBasis?
    /// The legitimate interest pursued, required when the basis is legitimate interests (Art. 13(1)(d)).
    public var interest: String?
    public var categories: [String]
}

public enum RecipientRole: String, Codable, Hashable, Sendable, CaseIterable {
    case processor
    case jointController = "joint-controller"
    case independentController = "independent-controller"
    case publicAuthority = "public-authority"
}

/// The legal ground for a transfer outside the EEA (Chapter V), with DPV-style codes.
public enum TransferSafeguard: String, Codable, Hashable, Sendable, CaseIterable {
    case adequacy
    case standardContractualClauses = "standard-contractual-clauses"
    case bindingCorporateRules = "binding-corporate-rules"
    case derogation

    public var article: String {
        switch self {
        case .adequacy: "Art. 45(3)"
        case .standardContractualClauses: "Art. 46(2)(c)"
        case .bindingCorporateRules: "Art. 47"
        case .derogation: "Art. 49"
        }
    }

    /// Higher is stronger; weakening a safeguard is a change customers must be told about.
    public var strength: Int {
        switch self {
        case .adequacy: 3
        case .bindingCorporateRules: 2
        case .standardContractualClauses: 2
        case .derogation: 1
        }
    }
}

/// A recipient or category of recipients (Art. 13(1)(e), (f)).
public struct Recipient: Codable, Hashable, Sendable {
    public var id: String
    public var name: String
    public var role: RecipientRole?
    public var categories: [String]
    public var purposes: [String]
    /// ISO 3166-1 alpha-2 country where the data is processed.
    public var country: String?
    public var safeguard: TransferSafeguard?
    /// Whether the recipient may use the data for its own purposes.
    public var ownPurposes: Bool?

    enum CodingKeys: String, CodingKey {
        case id, name, role, categories, purposes, country, safeguard
        case ownPurposes = "own-purposes"
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
}

/// How long data in some categories is kept (Art. 13(2)(a)): a duration counted from an event, or until an event.
public struct Retention: Codable, Hashable, Sendable {
    public var id: String
    public var categories: [String]
    public var duration: ISODuration?
    /// What the duration is counted from (default: collection).
    public var from: RetentionStart?
    public var until: RetentionEvent?
    /// The statute that sets or requires the period, where one does.
    public var statute: String?
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

    public var article: String {
        switch self {
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
}

/// A data subject right and how to exercise it (Art. 13(2)(b)–(d)). Its id is the right itself.
public struct Right: Codable, Hashable, Sendable {
    public var id: RightKind
    public var label: String
    public var channels: [Channel]
    /// The promised response time.
    public var response: ISODuration?
    /// How the request is handled, in the policy's words.
    public var how: String?
}

public struct Cookie: Codable, Hashable, Sendable {
    public var id: String
    /// The cookie's name, or its provider's name where the policy names no cookie.
    public var name: String
    /// The recipient that sets it, by id.
    public var provider: String?
    public var purpose: String?
    /// Whether the visitor's consent is asked before it is set.
    public var consent: Bool?
    public var lifetime: CookieLifetime?
    public var country: String?
}

public enum CookieLifetime: Codable, Hashable, Sendable, CustomStringConvertible {
    case session
    case duration(ISODuration)

    public var description: String {
        switch self {
        case .session: "session"
        case .duration(let duration): duration.description
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        if text == "session" { self = .session; return }
        guard let duration = ISODuration(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a lifetime"))
        }
        self = .duration(duration)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Art. 22 exceptions that allow a solely automated decision.
public enum AutomatedDecisionGround: String, Codable, Hashable, Sendable, CaseIterable {
    case contract
    case law
    case explicitConsent = "explicit-consent"
}

public struct AutomatedDecision: Codable, Hashable, Sendable {
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
}

public struct SecurityMeasure: Codable, Hashable, Sendable {
    public var id: String
    public var label: String
    /// Recipients whose measure this is, by id; empty when it is the controller's own.
    public var recipients: [String]
}

/// A heading and the prose under it, up to the next heading. Section ids are slugs of the heading text.
public struct Section: Codable, Hashable, Sendable {
    public var id: String
    public var heading: String
    public var level: Int
    /// The facts declared in this section, as `kind/id`.
    public var facts: [String]
    /// The words of the section's prose, paragraph by paragraph.
    public var paragraphs: [String]
}
