import PolicyBase
import PolicyModel

/// The "in short" box a fact block becomes on a page: a definition list in the page's language. Fact blocks never
/// appear as YAML to a reader.
///
/// Iterates the fact kind's declared schema (`Schemas`): every field with a value, named by the strings table's
/// `field.<kind>.<key>` and written by `Presenter.value` by its type, so a new field appears in the box with no
/// code here. Ids are never shown; a right, whose id is the right itself, shows it as words.
public struct FactBox: Sendable, Hashable {
    /// `kind/id`, as in `Section.facts`; the box's `id` attribute is derived from it.
    public var key: String
    /// "In het kort: Mollie, ontvanger".
    public var title: String
    public var rows: [Row]

    public struct Row: Sendable, Hashable {
        public var term: String
        public var value: String
    }
}

extension Presenter {
    /// The box for one declared fact (`recipient/sisow`), or nil when the version has no such fact.
    /// `fact` and `labels` may be passed in when boxes are made for many facts of one version: the caller has the
    /// fact already, and the titles are built from every fact of the version, which costs more than a box.
    public func factBox(
        _ key: String, in version: PolicyVersion, fact: (any Fact)? = nil, labels: [String: String]? = nil
    ) -> FactBox? {
        guard let fact = fact ?? version.fact(key) else { return nil }
        let schema = type(of: fact).schema
        let labels = labels ?? Self.labels(version)
        var rows: [FactBox.Row] = []
        for field in schema.fields {
            if field.change == .identity, case .id = field.type { continue }
            guard let value = fact.value(field.key) else { continue }
            if case .list(let items) = value, items.isEmpty { continue }
            let words: String
            if schema.name == "retention",
                ["duration", "from", "until", "indefinitely", "criteria", "approximate"].contains(field.key)
            {
                // A period is one thing to a reader ("7 jaar vanaf het einde van het boekjaar"): shown once, by its
                // first stated part.
                guard let period = (fact as? Retention)?.period,
                    !rows.contains(where: { $0.term == capitalized(fieldName("retention", "period")) })
                else { continue }
                rows.append(.init(term: capitalized(fieldName("retention", "period")), value: self.period(period)))
                continue
            } else {
                words = self.value(value, of: field, labels: labels)
            }
            rows.append(.init(term: capitalized(fieldName(schema.name, field.key)), value: words))
        }
        // Where the fact applies is the version's (Scope.swift), not the fact's own field.
        if let applies = version.scopes[key] {
            rows.append(
                .init(
                    term: capitalized(fieldName(schema.name, "applies-to")),
                    value: value(.list(applies.items), of: Schemas.appliesTo, labels: labels)))
        }
        // Named by the fact itself, then its kind: a page has dozens of boxes, and each is a landmark a screen
        // reader lists by this name.
        let title = text("publish.box.title.fact", name(of: fact, labels: labels), text("kind.\(schema.name)"))
        return FactBox(key: key, title: title, rows: rows)
    }

    /// Every fact's title by `kind/id`, and every scope entry's label by `scope/id`, for naming referenced facts.
    public static func labels(_ version: PolicyVersion) -> [String: String] {
        var labels = version.factTitles
        for item in version.scope { labels["scope/\(item.id)"] = item.label }
        return labels
    }

    /// How a box names its fact: its title; a fact without one of its own (a retention period, titled by its id)
    /// by the data it concerns, since an id is never shown.
    func name(of fact: any Fact, labels: [String: String]) -> String {
        guard fact.title == fact.id, !fact.categoryIDs.isEmpty else { return fact.title }
        return list(fact.categoryIDs.map { labels["category/\($0)"] ?? $0 })
    }

    func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
}
