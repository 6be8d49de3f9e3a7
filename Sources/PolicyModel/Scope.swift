import PolicyBase

/// What a policy covers: one of its services, products, websites, brands or group companies, declared once in the
/// front matter (`scope:`) and named by its id wherever a fact or a controller applies to only some of them.
public struct ScopeItem: SchemaRecord {
    public var id: String
    public var label: String
    public var kind: ScopeKind?
    /// For `kind: processing`: the company the shop processes the data for, as its processor (Art. 28). The shop
    /// states it in its own policy without declaring that company a second controller.
    public var onBehalfOf: String?

    public static let schema = Schemas.scope

    public init(id: String, label: String, kind: ScopeKind? = nil, onBehalfOf: String? = nil) {
        self.id = id
        self.label = label
        self.kind = kind
        self.onBehalfOf = onBehalfOf
    }

    public func value(_ key: String) -> FactValue? {
        switch key {
        case "id": .text(id)
        case "label": .text(label)
        case "kind": kind.map { .text($0.rawValue) }
        case "on-behalf-of": onBehalfOf.map(FactValue.text)
        default: nil
        }
    }
}

/// What a scope item is.
public enum ScopeKind: String, Codable, Hashable, Sendable, CaseIterable {
    case service
    case product
    case website
    case brand
    /// A group company whose customers the policy also covers.
    case company
    /// Processing the shop does as a processor for another company (`on-behalf-of`).
    case processing
}

/// Where a fact or a controller applies: to the customers of some scope items, and/or to residents of some regions.
/// Empty on both sides: the whole policy, everyone. A customer is covered when each side that is stated names one of
/// theirs (services and region are two conditions, both must hold).
public struct AppliesTo: Hashable, Sendable {
    /// Scope item ids, in the order written.
    public var services: [String]
    /// Regions (`Regions`), in the order written.
    public var regions: [String]

    public init(services: [String] = [], regions: [String] = []) {
        self.services = services
        self.regions = regions
    }

    /// Splits a written `applies-to` list: an item that is a declared scope id is a service, any other a region.
    public init(_ items: [String], declared: Set<String>) {
        self.init(
            services: items.filter(declared.contains), regions: items.filter { !declared.contains($0) })
    }

    public var isEverywhere: Bool { services.isEmpty && regions.isEmpty }

    /// The list as written: services first, then regions.
    public var items: [String] { services + regions }

    /// Whether a customer of `services` (nil: not known) living in `region` (nil: not known) is covered. Unknown is
    /// covered: the rule of doubt tells a customer whose scope the export does not give.
    public func covers(services customer: Set<String>?, region: String?) -> Bool {
        let serviceHolds = services.isEmpty || customer.map { !$0.isDisjoint(with: services) } ?? true
        let regionHolds =
            regions.isEmpty || region.map { home in regions.contains { Regions.contains($0, home) } } ?? true
        return serviceHolds && regionHolds
    }
}

/// Regions a fact or a customer is placed in: an ISO 3166-1 alpha-2 country (`NL`), a subdivision of one as ISO
/// 3166-2 writes it (`US-CA`), or one of the unions `EEA` and `EU`.
public enum Regions {
    public static let unions = ["EEA", "EU"]
    /// The EU: the EEA without Iceland, Liechtenstein and Norway.
    public static let eu: Set<String> = Countries.eea.subtracting(["IS", "LI", "NO"])

    /// Whether `text` names a region.
    public static func isRegion(_ text: String) -> Bool {
        if unions.contains(text) { return true }
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard Countries.all.contains(String(parts[0])) else { return false }
        guard parts.count == 2 else { return true }
        return (1...3).contains(parts[1].count)
            && parts[1].allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// The country a region lies in (`US-CA` → `US`); nil for a union.
    public static func country(_ region: String) -> String? {
        unions.contains(region) ? nil : String(region.prefix { $0 != "-" })
    }

    /// Whether `inner` lies within `outer`: the same region, a subdivision of the country `outer`, or a country of
    /// the union `outer` (or a subdivision of one).
    public static func contains(_ outer: String, _ inner: String) -> Bool {
        if outer == inner { return true }
        guard let country = country(inner) else { return outer == "EEA" && inner == "EU" }
        switch outer {
        case "EEA": return Countries.isInEEA(country)
        case "EU": return eu.contains(country)
        default: return !outer.contains("-") && country == outer
        }
    }

    /// A region as a customer export writes it (`nl`, ` NL `, `us-ca`) in the form above; nil when empty.
    public static func normalised(_ text: String) -> String? {
        let trimmed = text.trimming(" \t").uppercased()
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension Schemas {
    public static let scope = FactSchema(
        name: "scope",
        fields: [
            FieldSpec("id", .id, .required, .agrees, .identity),
            FieldSpec("label", .text, .required, .translated, .wording, gdpr: "Art. 13(1)(c)"),
            FieldSpec("kind", .vocabulary("scope-kind"), .optional, .agrees, .custom),
            FieldSpec("on-behalf-of", .text, .optional, .agrees, .custom, gdpr: "Art. 28"),
        ])

    /// `applies-to` of every fact kind: the scope items and regions the fact applies to (all when absent).
    public static let appliesTo = FieldSpec(
        "applies-to", .vocabularyList("scope"), .optional, .agrees, .custom, gdpr: "Art. 13(1)(c), 12(1)")
}

extension PolicyVersion {
    /// Where the fact `kind/id` (or the controller `controller/id`) applies; everywhere when not stated.
    public func appliesTo(_ key: String) -> AppliesTo { scopes[key] ?? AppliesTo() }
}

extension PolicyVersion {
    /// The regions the version's facts and controllers name, in the order first named.
    public var regionsNamed: [String] {
        let declared = Set(scope.map(\.id))
        var named: [String] = []
        let lists =
            scopes.keys.sorted().map { scopes[$0]!.regions }
            + controllers.map { AppliesTo($0.appliesTo, declared: declared).regions }
        for region in lists.joined() where !named.contains(region) { named.append(region) }
        return named
    }
}
