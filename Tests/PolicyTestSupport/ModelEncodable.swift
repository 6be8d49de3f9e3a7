import PolicyBase
import PolicyModel

// The `Encodable` form of the compiled model, the reference `model.json`'s writer (`PolicyVersion.writeStableJSON`)
// is held to through `StableJSON.encode`, by StableJSONTests and by the compile fuzz target (.ci/fuzz builds this
// folder into it). Only tests encode the model this way, so it lives here and the product has the one writer.

/// A schema's key as a coding key: the model's JSON names each field as the source does.
public struct SchemaKey: CodingKey {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ string: String) { stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}

extension SchemaRecord {
    /// One key a field that has a value, named as in the source.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: SchemaKey.self)
        try encodeFields(into: &container)
    }

    func encodeFields(into container: inout KeyedEncodingContainer<SchemaKey>) throws {
        for field in Self.schema.fields {
            if let value = value(field.key) { try container.encode(value, forKey: SchemaKey(field.key)) }
        }
    }
}

extension Controller: Encodable {
    /// Its fields, and its own privacy contact, which is not a field of its schema.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: SchemaKey.self)
        try encodeFields(into: &container)
        if let privacyContact { try container.encode(privacyContact, forKey: SchemaKey("privacy-contact")) }
    }
}

extension Contact: Encodable {}
extension Authority: Encodable {}
extension Waiver: Encodable {}
extension DataCategory: Encodable {}
extension CategoryGroup: Encodable {}
extension Purpose: Encodable {}
extension Recipient: Encodable {}
extension Retention: Encodable {}
extension Right: Encodable {}
extension Cookie: Encodable {}
extension AutomatedDecision: Encodable {}
extension SecurityMeasure: Encodable {}
extension Commitment: Encodable {}
extension ScopeItem: Encodable {}
extension ChangeDeclaration: Encodable {}

extension Section: Encodable {
    enum ReferenceKeys: String, CodingKey {
        case id, heading, level, facts, paragraphs
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: ReferenceKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(heading, forKey: .heading)
        try container.encode(level, forKey: .level)
        try container.encode(facts, forKey: .facts)
        try container.encode(paragraphs, forKey: .paragraphs)
    }
}

extension PolicyVersion: Encodable {
    enum ReferenceKeys: String, CodingKey {
        case policy, title, language, effective, announced, summary, controllers, categories, purposes, recipients,
            retention, rights, cookies, commitments, sections
        case translationOf = "translation-of"
        case privacyContact = "privacy-contact"
        case supervisoryAuthority = "supervisory-authority"
        case noticePeriodDays = "notice-period-days"
        case notStated = "not-stated"
        case categoryGroups = "category-groups"
        case automatedDecisions = "automated-decisions"
        case securityMeasures = "security-measures"
        case scope, scopes, changes
    }

    /// Every member as the synthesized conformance wrote it before (a nil optional left out).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: ReferenceKeys.self)
        try container.encode(policy, forKey: .policy)
        try container.encode(title, forKey: .title)
        try container.encode(language, forKey: .language)
        try container.encode(effective, forKey: .effective)
        try container.encodeIfPresent(translationOf, forKey: .translationOf)
        try container.encodeIfPresent(announced, forKey: .announced)
        try container.encodeIfPresent(summary, forKey: .summary)
        try container.encode(controllers, forKey: .controllers)
        try container.encodeIfPresent(privacyContact, forKey: .privacyContact)
        try container.encodeIfPresent(supervisoryAuthority, forKey: .supervisoryAuthority)
        try container.encode(noticePeriodDays, forKey: .noticePeriodDays)
        try container.encode(notStated, forKey: .notStated)
        try container.encode(categories, forKey: .categories)
        try container.encode(categoryGroups, forKey: .categoryGroups)
        try container.encode(purposes, forKey: .purposes)
        try container.encode(recipients, forKey: .recipients)
        try container.encode(retention, forKey: .retention)
        try container.encode(rights, forKey: .rights)
        try container.encode(cookies, forKey: .cookies)
        try container.encode(automatedDecisions, forKey: .automatedDecisions)
        try container.encode(securityMeasures, forKey: .securityMeasures)
        try container.encode(commitments, forKey: .commitments)
        try container.encode(sections, forKey: .sections)
        // Written only by policies that declare what they cover, so the model of every other policy is unchanged.
        if !scope.isEmpty { try container.encode(scope, forKey: .scope) }
        if !scopes.isEmpty { try container.encode(scopes.mapValues(\.items), forKey: .scopes) }
        // Written only by versions that declare what their changes are, as `scope` above.
        if !changes.isEmpty { try container.encode(changes, forKey: .changes) }
    }
}
