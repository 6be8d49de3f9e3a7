import PolicyBase
import PolicyDiff
import PolicyModel

/// The data overview of a policy page, generated from the facts: each data category with its purposes and their
/// legal basis, its recipients and their countries, and how long it is kept. Rendered as an accessible table, with
/// what the policy covers, the policy's promises and what it deliberately does not state (and why) below it. A fact that
/// applies to only some customers says to whom; a recipient says where it stores the data and where it reaches it from.
public struct DataOverview: Sendable, Hashable {
    public var caption: String
    public var columns: [String]
    public var rows: [Row]
    /// What the policy covers, each with its kind: "De Kaviaar-app (product)". Empty when it declares no scope.
    public var covers: [String]
    /// The commitments' labels, each limited as its fact is: "Wij verkopen uw gegevens niet".
    public var commitments: [String]
    /// "what is not stated: why", for each waiver.
    public var notStated: [String]

    public struct Row: Sendable, Hashable {
        public var id: String
        public var category: String
        /// "alleen voor klanten van De Kaviaar-app" when the category is not held of every customer.
        public var appliesTo: String?
        /// "Het afhandelen van betalingen (grondslag: de uitvoering van een overeenkomst met u)".
        public var purposes: [String]
        /// "Mollie B.V. (Nederland)".
        public var recipients: [String]
        public var retention: [String]
    }
}

extension Presenter {
    public func dataOverview(_ version: PolicyVersion) -> DataOverview {
        // Titles only name what a `not-stated` entry is about; most versions have none.
        let labels = version.notStated.isEmpty ? [:] : Self.labels(version)
        let scopeLabels = Dictionary(version.scope.map { ("scope/\($0.id)", $0.label) }) { first, _ in first }
        func only(_ text: String, _ key: String) -> String {
            onlyFor(text, version.appliesTo(key), labels: scopeLabels)
        }
        let rows = version.categories.map { category -> DataOverview.Row in
            let purposes = version.purposes.filter { $0.categories.contains(category.id) }.map { purpose in
                only(
                    purpose.bases.isEmpty
                        ? text("publish.overview.purpose.no-basis", purpose.label)
                        : text("publish.overview.purpose", purpose.label, list(purpose.bases.map { term($0) })),
                    purpose.key)
            }
            let recipients = version.recipients.filter { $0.categories.contains(category.id) }.map { recipient in
                only(overviewRecipient(recipient), recipient.key)
            }
            let retention = version.retention.filter { $0.categories.contains(category.id) }.compactMap { fact in
                fact.period.map { only(period($0), fact.key) }
            }
            let applies = version.appliesTo(category.key)
            return DataOverview.Row(
                id: category.id, category: category.label,
                appliesTo: applies.isEverywhere ? nil : onlyFor(applies, labels: scopeLabels), purposes: purposes,
                recipients: recipients, retention: retention.isEmpty ? [text("unstated")] : retention)
        }
        let notStated = version.notStated.map { waiver -> String in
            let about = waiver.element.map { labels[$0].map { " (\($0))" } ?? "" } ?? ""
            return text("publish.overview.not-stated", text("publish.rule.\(waiver.rule)") + about, waiver.reason)
        }
        return DataOverview(
            caption: text("publish.overview.caption"),
            columns: ["category", "purposes", "recipients", "retention"].map { text("publish.overview.column.\($0)") },
            rows: rows, covers: version.scope.map(coveredItem),
            commitments: version.commitments.map { only($0.label, $0.key) },
            notStated: notStated)
    }

    /// "Mollie B.V. (Nederland; opgeslagen in de Europese Economische Ruimte; toegang vanuit de Verenigde Staten)".
    func overviewRecipient(_ recipient: Recipient) -> String {
        var details = recipient.country.map { [country($0)] } ?? []
        if !recipient.storedIn.isEmpty {
            details.append(text("publish.overview.stored-in", list(recipient.storedIn.map(place))))
        }
        if !recipient.accessedFrom.isEmpty {
            details.append(text("publish.overview.accessed-from", list(recipient.accessedFrom.map(place))))
        }
        return details.isEmpty
            ? recipient.name
            : text("publish.overview.recipient", recipient.name, details.joined(separator: text("semicolon") + " "))
    }

    /// "De Kaviaar-app (product)"; processing for another company names that company.
    func coveredItem(_ item: ScopeItem) -> String {
        guard let kind = item.kind else { return item.label }
        let kindWords = term("scope-kind", kind.rawValue)
        let words = item.onBehalfOf.map { text("publish.overview.covers.on-behalf-of", kindWords, $0) } ?? kindWords
        return text("publish.overview.covers.item", item.label, words)
    }

    /// "alleen voor klanten van De Kaviaar-app in Nederland".
    func onlyFor(_ applies: AppliesTo, labels: [String: String]) -> String {
        text(
            "publish.overview.only-for",
            customers(ChangeScope(services: applies.services, regions: applies.regions), labels: labels))
    }

    /// `text`, followed by whom it is limited to when the fact does not apply to everyone.
    func onlyFor(_ text: String, _ applies: AppliesTo, labels: [String: String]) -> String {
        applies.isEverywhere ? text : self.text("publish.overview.limited", text, onlyFor(applies, labels: labels))
    }
}
