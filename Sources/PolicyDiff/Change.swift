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

/// A value before or after a change, in the JSON form of docs/changes.md: text, a list of words, or a yes/no.
public enum FactValue: Codable, Hashable, Sendable, CustomStringConvertible {
    case text(String)
    case list([String])
    case flag(Bool)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) { self = .flag(flag) }
        else if let list = try? container.decode([String].self) { self = .list(list) }
        else { self = .text(try container.decode(String.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .list(let list): try container.encode(list)
        case .flag(let flag): try container.encode(flag)
        }
    }

    public var description: String {
        switch self {
        case .text(let text): text
        case .list(let list): list.isEmpty ? "(none)" : list.joined(separator: ", ")
        case .flag(let flag): flag ? "yes" : "no"
        }
    }
}

/// One difference between two versions' facts, classified. Its JSON form is stable: see docs/changes.md.
public struct ChangeRecord: Codable, Hashable, Sendable {
    /// What changed, e.g. `recipient-added`, `legal-basis-changed`, `retention-lengthened`.
    public var kind: String
    /// The element, as `kind/id` (`recipient/sisow`), or `controller`, `privacy-contact`, `supervisory-authority`.
    public var element: String
    /// The element's name or label in the newer version (the older one when it was removed).
    public var label: String
    /// The field that changed, when the change is to one field.
    public var field: String?
    public var before: FactValue?
    public var after: FactValue?
    /// Data categories the change touches, by id, sorted.
    public var categories: [String]
    public var impact: Impact
    /// The id of the rule in `ImpactRules` that classified the change.
    public var rule: String
    /// One sentence for people: what changed.
    public var summary: String
    /// Set on prose changes that need a person's eye: the text about a fact changed while the fact did not.
    public var review: String?

    /// A stable name of this change within its diff: `kind:element[:field]`, e.g.
    /// `recipient-purposes-added:recipient/myonlinestore:purposes`. The same two versions always give the same ids,
    /// so a notification list can name the changes that concern each customer.
    public var id: String { [kind, element, field].compactMap { $0 }.joined(separator: ":") }

    public init(kind: String, element: String, label: String, field: String? = nil, before: FactValue? = nil, after: FactValue? = nil,
                categories: [String], impact: Impact, rule: ImpactRule, summary: String, review: String? = nil) {
        self.kind = kind
        self.element = element
        self.label = label
        self.field = field
        self.before = before
        self.after = after
        self.categories = Array(Set(categories)).sorted()
        self.impact = impact
        self.rule = rule.id
        self.summary = summary
        self.review = review
    }
}

/// A rule of the impact table, with the law or guidance behind it.
public struct ImpactRule: Codable, Hashable, Sendable {
    public var id: String
    public var impact: Impact
    public var description: String
}
