import PolicyBase

/// One declared schema for each kind of fact and each mapping of the front matter: the list of its fields with
/// their types, whether they are required, whether translations must agree on them, and what a change to them
/// means. The compiler's key lists, the translation check, the fact diff, the model's JSON keys, the published fact
/// boxes and the documentation test all read these lists, so adding a field is one entry here plus the code that
/// reads its value.

/// A value of a field, in the JSON form of the model and of the change records: text, a list of words, a yes/no
/// (always a JSON boolean), or a whole number.
public enum FactValue: Codable, Hashable, Sendable, CustomStringConvertible {
    case text(String)
    case list([String])
    case flag(Bool)
    case number(Int)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .flag(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .number(number)
        } else if let list = try? container.decode([String].self) {
            self = .list(list)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .list(let list): try container.encode(list)
        case .flag(let flag): try container.encode(flag)
        case .number(let number): try container.encode(number)
        }
    }

    /// A canonical text, for comparisons and for developers' messages (never for customers: see PolicyPresent).
    public var description: String {
        switch self {
        case .text(let text): text
        case .list(let list): list.isEmpty ? "(none)" : list.joined(separator: ", ")
        case .flag(let flag): flag ? "true" : "false"
        case .number(let number): String(number)
        }
    }

    public var list: [String]? { if case .list(let items) = self { items } else { nil } }
}

extension FactValue: StableJSONWritable {
    public func writeStableJSON(_ writer: inout StableJSONWriter) {
        switch self {
        case .text(let text): writer.string(text)
        case .list(let list):
            writer.beginArray()
            for item in list { writer.string(item) }
            writer.endArray()
        case .flag(let flag): writer.bool(flag)
        case .number(let number): writer.int(number)
        }
    }
}

/// What a field holds, as the documentation names it (docs/format.md, section 2).
public enum FieldType: Sendable, Hashable {
    case text
    case flag
    case number
    case date
    case duration
    case id
    case country
    case email
    /// One word of a vocabulary (docs/format.md, section 7), named by the vocabulary.
    case vocabulary(String)
    /// A list of words of a vocabulary.
    case vocabularyList(String)
    /// A list of ids of facts of a kind (categories may also name category groups).
    case references(FactKind)
    /// A single id of a fact of a kind.
    case reference(FactKind)
    /// `session`, `persistent` or a duration.
    case lifetime
    /// A nested mapping with a schema of its own.
    case mapping(String)
    /// A list of places: country codes and the regions `eea`, `outside-eea`, `worldwide` (`Areas`).
    case areas
}

/// Whether a field must be given.
public enum Requirement: Sendable, Hashable {
    case required
    case optional
    /// Optional, but leaving it out gives a completeness warning: `<element> <message>` with this rule id.
    case warned(rule: Rule, message: String)
}

/// Whether the translations of a version must state the same value.
public enum Agreement: Sendable, Hashable {
    /// The same value in every translation (ids, bases, countries, periods, references, yes/no answers).
    case agrees
    /// Written in each file's language.
    case translated
}

/// What a change of the field's value means for customers (docs/changes.md). Fields marked `custom` are compared
/// by code of their own in the fact diff (lists of categories, transfers, periods, response times …).
public enum ChangeMeaning: Sendable, Hashable {
    /// Words only: editorial.
    case wording
    /// Words that may carry substance (the label of a fact with no other substance field): editorial, flagged for
    /// review.
    case wordingToReview
    /// Any change must be told: notify, for the element's categories already held.
    case substance
    /// Compared by the fact diff's own rule for this field.
    case custom
    /// The element's identity: never compared, since elements are paired by it.
    case identity
}

public struct FieldSpec: Sendable, Hashable {
    public let key: String
    public let type: FieldType
    public let requirement: Requirement
    public let agreement: Agreement
    public let change: ChangeMeaning
    /// The GDPR provision the field serves, as the documentation cites it ("Art. 13(1)(e)"); nil where none.
    public let gdpr: String?

    public init(
        _ key: String, _ type: FieldType, _ requirement: Requirement = .optional, _ agreement: Agreement = .agrees,
        _ change: ChangeMeaning, gdpr: String? = nil
    ) {
        self.key = key
        self.type = type
        self.requirement = requirement
        self.agreement = agreement
        self.change = change
        self.gdpr = gdpr
    }

    public var isRequired: Bool { requirement == .required }
}

/// The fields of one kind of fact or front matter mapping, in the order the documentation lists them.
public struct FactSchema: Sendable, Hashable {
    /// The fact kind (`recipient`) or the front matter key (`controller`).
    public let name: String
    public let fields: [FieldSpec]
    /// The fields' keys, in order. Stored: the compiler asks for them for every fact it reads.
    public let keys: [String]
    /// The keys in the order JSON writes them (by their UTF-8 bytes), for `writeStableJSON`.
    public let sortedKeys: [String]
    /// The keys of the fields translations must agree on (and that are not the element's identity), in order.
    public let agreeingKeys: [String]

    public init(name: String, fields: [FieldSpec]) {
        self.name = name
        self.fields = fields
        self.keys = fields.map(\.key)
        self.sortedKeys = keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        self.agreeingKeys = fields.filter { $0.agreement == .agrees && $0.change != .identity }.map(\.key)
    }

    public func field(_ key: String) -> FieldSpec? { fields.first { $0.key == key } }
}

/// A value type described by a schema: its fields can be read by key, and it is written to JSON by the schema's keys.
public protocol SchemaRecord: StableJSONWritable, Hashable, Sendable {
    static var schema: FactSchema { get }
    /// The value of the field `key`, nil when the field is not given (an empty list is `.list([])`).
    func value(_ key: String) -> FactValue?
}

/// A fact stated in a fact block: it has a kind and an id, unique within its kind in one file.
public protocol Fact: SchemaRecord {
    static var kind: FactKind { get }
    var id: String { get }
    /// How the fact is named for people: its label, or its name.
    var title: String { get }
    /// The data categories the fact concerns, by id; empty when it concerns no category in particular.
    var categoryIDs: [String] { get }
}

extension Fact {
    public static var schema: FactSchema { kind.schema }
    public var key: String { Self.kind.rawValue + "/" + id }
}

extension SchemaRecord {
    /// The model's JSON: one key a field that has a value, named as in the source, so a dump reads like the source;
    /// keys in the order the schema sorted once. Written directly (model.json is the hottest JSON of a publish); the
    /// tests hold it to the `Encodable` reference (Tests/PolicyTestSupport) through `StableJSON.encode`.
    public func writeStableJSON(_ writer: inout StableJSONWriter) {
        writeFields(&writer, extraKey: nil) { _ in }
    }

    /// Writes the fields that have a value and, when `extraKey` is given, one more member in its sorted place (a
    /// controller's own privacy contact, which is not a field of its schema).
    func writeFields(_ writer: inout StableJSONWriter, extraKey: String?, extra: (inout StableJSONWriter) -> Void) {
        writer.beginObject()
        var pending = extraKey
        for key in Self.schema.sortedKeys {
            guard let value = value(key) else { continue }
            if let extraKey = pending, extraKey.utf8.lexicographicallyPrecedes(key.utf8) {
                writer.key(extraKey)
                extra(&writer)
                pending = nil
            }
            writer.key(key)
            value.writeStableJSON(&writer)
        }
        if let extraKey = pending {
            writer.key(extraKey)
            extra(&writer)
        }
        writer.endObject()
    }
}

/// The kinds of fact block, named by a fenced code block's info string.
public enum FactKind: String, CaseIterable, Sendable, Hashable {
    case category
    case categoryGroup = "category-group"
    case purpose
    case recipient
    case retention
    case right
    case cookie
    case automatedDecision = "automated-decision"
    case securityMeasure = "security-measure"
    case commitment

    public var schema: FactSchema {
        switch self {
        case .category: Schemas.category
        case .categoryGroup: Schemas.categoryGroup
        case .purpose: Schemas.purpose
        case .recipient: Schemas.recipient
        case .retention: Schemas.retention
        case .right: Schemas.right
        case .cookie: Schemas.cookie
        case .automatedDecision: Schemas.automatedDecision
        case .securityMeasure: Schemas.securityMeasure
        case .commitment: Schemas.commitment
        }
    }
}

/// The schemas. Each table in docs/format.md lists exactly these keys, in this order (a test holds them together).
public enum Schemas {
    public static let controller = FactSchema(
        name: "controller",
        fields: [
            FieldSpec("id", .id, .optional, .agrees, .identity),
            FieldSpec("name", .text, .required, .agrees, .custom, gdpr: "Art. 13(1)(a)"),
            FieldSpec("region", .text, .optional, .translated, .wording, gdpr: "Art. 13(1)(a)"),
            FieldSpec("address", .text, .optional, .translated, .custom, gdpr: "Art. 13(1)(a)"),
            FieldSpec("email", .email, .optional, .agrees, .custom, gdpr: "Art. 13(1)(a)"),
            FieldSpec("phone", .text, .optional, .agrees, .custom, gdpr: "Art. 13(1)(a)"),
            FieldSpec("website", .text, .optional, .agrees, .custom, gdpr: "Art. 13(1)(a)"),
            FieldSpec("representative", .text, .optional, .translated, .custom, gdpr: "Art. 13(1)(a), 27"),
            FieldSpec("country", .country, .optional, .agrees, .custom, gdpr: "Art. 13(1)(f)"),
            FieldSpec(
                "transfer-grounds", .vocabularyList("transfer-ground"), .optional, .agrees, .custom,
                gdpr: "Art. 13(1)(f), 44–49"),
            FieldSpec(
                "privacy-contact", .mapping("privacy-contact"), .optional, .agrees, .custom, gdpr: "Art. 13(1)(b)"),
            FieldSpec("applies-to", .vocabularyList("scope"), .optional, .agrees, .custom, gdpr: "Art. 13(1)(a), 26"),
            FieldSpec("joint", .flag, .optional, .agrees, .custom, gdpr: "Art. 26"),
            FieldSpec("arrangement", .text, .optional, .translated, .custom, gdpr: "Art. 26(2)"),
        ])

    public static let privacyContact = FactSchema(
        name: "privacy-contact",
        fields: [
            FieldSpec("name", .text, .optional, .agrees, .custom, gdpr: "Art. 13(1)(b)"),
            FieldSpec("email", .email, .optional, .agrees, .custom, gdpr: "Art. 13(1)(b)"),
            FieldSpec("phone", .text, .optional, .agrees, .custom, gdpr: "Art. 13(1)(b)"),
            FieldSpec("dpo", .flag, .optional, .agrees, .custom, gdpr: "Art. 37, 13(1)(b)"),
        ])

    public static let supervisoryAuthority = FactSchema(
        name: "supervisory-authority",
        fields: [
            FieldSpec("name", .text, .optional, .translated, .custom, gdpr: "Art. 13(2)(d)"),
            FieldSpec("country", .country, .optional, .agrees, .custom, gdpr: "Art. 13(2)(d)"),
            FieldSpec("website", .text, .optional, .agrees, .custom, gdpr: "Art. 13(2)(d)"),
            FieldSpec("residence", .flag, .optional, .agrees, .custom, gdpr: "Art. 77(1)"),
        ])

    public static let waiver = FactSchema(
        name: "not-stated",
        fields: [
            FieldSpec("rule", .text, .required, .agrees, .custom),
            FieldSpec("element", .text, .optional, .agrees, .custom),
            FieldSpec("reason", .text, .required, .translated, .wording, gdpr: "Art. 5(2)"),
        ])

    /// One entry of the front matter's `changes` list: exactly one of the first three keys, naming the element.
    public static let changeDeclaration = FactSchema(
        name: "changes",
        fields: [
            FieldSpec("wording", .text, .optional, .agrees, .custom),
            FieldSpec("substance", .text, .optional, .agrees, .custom),
            FieldSpec("from-now-on", .text, .optional, .agrees, .custom),
            FieldSpec("reason", .text, .required, .translated, .wording, gdpr: "Art. 5(2)"),
        ])

    public static let category = FactSchema(
        name: "category",
        fields: [
            FieldSpec("id", .id, .required, .agrees, .identity),
            FieldSpec("label", .text, .required, .translated, .wording, gdpr: "Art. 14(1)(d)"),
            FieldSpec(
                "required", .flag,
                .warned(
                    rule: .provisionMissing,
                    message:
                        "does not say whether providing it is required; add 'required: true' or 'false' (GDPR Art. 13(2)(e))"
                ),
                .agrees, .custom, gdpr: "Art. 13(2)(e)"),
            FieldSpec("consequence", .text, .optional, .translated, .wording, gdpr: "Art. 13(2)(e)"),
            FieldSpec("source", .text, .optional, .translated, .custom, gdpr: "Art. 14(2)(f)"),
            FieldSpec("held-before", .flag, .optional, .agrees, .custom, gdpr: "Art. 13(3)"),
            appliesTo,
        ])

    public static let categoryGroup = FactSchema(
        name: "category-group",
        fields: [
            FieldSpec("id", .id, .required, .agrees, .identity),
            FieldSpec("label", .text, .required, .translated, .wording),
            FieldSpec("categories", .references(.category), .required, .agrees, .custom),
            appliesTo,
        ])

    public static let purpose = FactSchema(
        name: "purpose",
        fields: [
            FieldSpec("id", .id, .required, .agrees, .identity),
            FieldSpec("label", .text, .required, .translated, .wording, gdpr: "Art. 13(1)(c)"),
            FieldSpec(
                "basis", .vocabularyList("legal-basis"),
                .warned(rule: .legalBasisMissing, message: "states no legal basis; add 'basis:' (GDPR Art. 13(1)(c))"),
                .agrees, .custom, gdpr: "Art. 13(1)(c), 6(1)"),
            FieldSpec("interest", .text, .optional, .translated, .substance, gdpr: "Art. 13(1)(d)"),
            FieldSpec("categories", .references(.category), .required, .agrees, .custom, gdpr: "Art. 13(1)(c)"),
            FieldSpec("statute", .text, .optional, .translated, .custom, gdpr: "Art. 6(3)"),
            FieldSpec(
                "special-category-condition", .vocabulary("special-category-condition"), .optional, .agrees, .custom,
                gdpr: "Art. 9(2)"),
            appliesTo,
        ])

    public static let recipient = FactSchema(
        name: "recipient",
        fields: [
            FieldSpec("id", .id, .required, .agrees, .identity),
            FieldSpec("name", .text, .required, .translated, .custom, gdpr: "Art. 13(1)(e)"),
            FieldSpec(
                "role", .vocabulary("recipient-role"),
                .warned(
                    rule: .recipientRoleMissing,
                    message:
                        "states no role; add 'role:' processor, joint-controller, independent-controller or public-authority"
                ),
                .agrees, .custom, gdpr: "Art. 13(1)(e), 26, 28"),
            FieldSpec("categories", .references(.category), .required, .agrees, .custom, gdpr: "Art. 13(1)(e)"),
            FieldSpec("purposes", .references(.purpose), .optional, .agrees, .custom, gdpr: "Art. 13(1)(e)"),
            FieldSpec(
                "country", .country,
                .warned(
                    rule: .recipientCountryMissing, message: "states no country; add 'country:' (GDPR Art. 13(1)(f))"),
                .agrees, .custom, gdpr: "Art. 13(1)(f)"),
            FieldSpec(
                "transfer-grounds", .vocabularyList("transfer-ground"), .optional, .agrees, .custom,
                gdpr: "Art. 13(1)(f), 44–49"),
            FieldSpec("own-purposes", .flag, .optional, .agrees, .custom, gdpr: "Art. 13(1)(e)"),
            FieldSpec("list-url", .text, .optional, .agrees, .wordingToReview, gdpr: "Art. 13(1)(e)"),
            FieldSpec("stored-in", .areas, .optional, .agrees, .custom, gdpr: "Art. 13(1)(f)"),
            FieldSpec("accessed-from", .areas, .optional, .agrees, .custom, gdpr: "Art. 13(1)(f), 44"),
            FieldSpec("opt-out-url", .text, .optional, .agrees, .custom, gdpr: "Art. 21, 12(2)"),
            appliesTo,
        ])

    public static let retention = FactSchema(
        name: "retention",
        fields: [
            FieldSpec("id", .id, .required, .agrees, .identity),
            FieldSpec("categories", .references(.category), .required, .agrees, .custom, gdpr: "Art. 13(2)(a)"),
            FieldSpec("duration", .duration, .optional, .agrees, .custom, gdpr: "Art. 13(2)(a)"),
            FieldSpec("from", .vocabulary("retention-from"), .optional, .agrees, .custom, gdpr: "Art. 13(2)(a)"),
            FieldSpec("until", .vocabularyList("retention-until"), .optional, .agrees, .custom, gdpr: "Art. 13(2)(a)"),
            FieldSpec("indefinitely", .flag, .optional, .agrees, .custom, gdpr: "Art. 13(2)(a)"),
            FieldSpec("criteria", .text, .optional, .translated, .custom, gdpr: "Art. 13(2)(a)"),
            FieldSpec("statute", .text, .optional, .translated, .custom, gdpr: "Art. 6(1)(c)"),
            FieldSpec("backups", .duration, .optional, .agrees, .custom, gdpr: "Art. 13(2)(a)"),
            FieldSpec("approximate", .flag, .optional, .agrees, .custom, gdpr: "Art. 13(2)(a)"),
            FieldSpec("holder", .reference(.recipient), .optional, .agrees, .custom, gdpr: "Art. 13(2)(a), 13(1)(e)"),
            appliesTo,
        ])

    public static let right = FactSchema(
        name: "right",
        fields: [
            FieldSpec("id", .vocabulary("right"), .required, .agrees, .identity),
            FieldSpec("label", .text, .required, .translated, .wording, gdpr: "Art. 13(2)(b)–(d)"),
            FieldSpec("channels", .vocabularyList("channel"), .optional, .agrees, .custom, gdpr: "Art. 12(2)"),
            FieldSpec("response", .duration, .optional, .agrees, .custom, gdpr: "Art. 12(3)"),
            FieldSpec("how", .text, .optional, .translated, .wording, gdpr: "Art. 12(2)"),
            FieldSpec("law", .vocabulary("law"), .optional, .agrees, .custom),
            appliesTo,
        ])

    public static let cookie = FactSchema(
        name: "cookie",
        fields: [
            FieldSpec("id", .id, .required, .agrees, .identity),
            FieldSpec("name", .text, .required, .agrees, .custom, gdpr: "ePrivacy Art. 5(3)"),
            FieldSpec("provider", .references(.recipient), .optional, .agrees, .custom, gdpr: "Art. 13(1)(e)"),
            FieldSpec("purpose", .references(.purpose), .optional, .agrees, .custom, gdpr: "Art. 13(1)(c)"),
            FieldSpec(
                "consent", .flag,
                .warned(
                    rule: .cookieConsentMissing,
                    message: "does not say whether consent is asked; add 'consent: true' or 'false'"),
                .agrees, .custom, gdpr: "ePrivacy Art. 5(3)"),
            FieldSpec("consent-for", .text, .optional, .translated, .custom, gdpr: "ePrivacy Art. 5(3)"),
            FieldSpec(
                "lifetime", .lifetime,
                .warned(
                    rule: .cookieLifetimeMissing,
                    message: "states no lifetime; add 'lifetime:' such as P2Y, 'session' or 'persistent'"),
                .agrees, .custom, gdpr: "Art. 13(2)(a)"),
            FieldSpec("country", .country, .optional, .agrees, .custom, gdpr: "Art. 13(1)(f)"),
            FieldSpec("first-party", .flag, .optional, .agrees, .custom, gdpr: "ePrivacy Art. 5(3)"),
            FieldSpec(
                "consent-category", .vocabulary("cookie-category"), .optional, .agrees, .custom,
                gdpr: "ePrivacy Art. 5(3)"),
            FieldSpec("categories", .references(.category), .optional, .agrees, .custom, gdpr: "Art. 13(1)(c)"),
            appliesTo,
        ])

    public static let automatedDecision = FactSchema(
        name: "automated-decision",
        fields: [
            FieldSpec("id", .id, .required, .agrees, .identity),
            FieldSpec("label", .text, .required, .translated, .wording, gdpr: "Art. 13(2)(f)"),
            FieldSpec("logic", .text, .required, .translated, .substance, gdpr: "Art. 13(2)(f)"),
            FieldSpec("consequences", .text, .optional, .translated, .substance, gdpr: "Art. 13(2)(f)"),
            FieldSpec(
                "ground", .vocabulary("automated-decision-ground"), .optional, .agrees, .substance, gdpr: "Art. 22(2)"),
            FieldSpec("categories", .references(.category), .required, .agrees, .custom, gdpr: "Art. 13(2)(f)"),
            FieldSpec("profiling", .flag, .optional, .agrees, .custom, gdpr: "Art. 4(4), 13(2)(f)"),
            appliesTo,
        ])

    public static let securityMeasure = FactSchema(
        name: "security-measure",
        fields: [
            FieldSpec("id", .id, .required, .agrees, .identity),
            FieldSpec("label", .text, .required, .translated, .wordingToReview, gdpr: "Art. 32"),
            FieldSpec("recipients", .references(.recipient), .optional, .agrees, .custom, gdpr: "Art. 28(3)(c)"),
            appliesTo,
        ])

    public static let commitment = FactSchema(
        name: "commitment",
        fields: [
            FieldSpec("id", .id, .required, .agrees, .identity),
            FieldSpec("label", .text, .required, .translated, .custom, gdpr: "Art. 5(1)(a), 12(1)"),
            FieldSpec("categories", .references(.category), .optional, .agrees, .custom, gdpr: "Art. 5(1)(a)"),
            appliesTo,
        ])

    /// Every schema, front matter mappings first, then the fact kinds in documentation order.
    public static var all: [FactSchema] {
        [controller, privacyContact, supervisoryAuthority, waiver, changeDeclaration, scope]
            + FactKind.allCases.map(\.schema)
    }
}
