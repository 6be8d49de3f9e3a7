import PolicyBase
import PolicyModel

/// The data overview of a policy page, generated from the facts: each data category with its purposes and their
/// legal basis, its recipients and their countries, and how long it is kept. Rendered as an accessible table, with
/// the policy's promises and what it deliberately does not state (and why) below it.
public struct DataOverview: Sendable, Hashable {
    public var caption: String
    public var columns: [String]
    public var rows: [Row]
    /// The commitments' labels: "Wij verkopen uw gegevens niet".
    public var commitments: [String]
    /// "what is not stated: why", for each waiver.
    public var notStated: [String]

    public struct Row: Sendable, Hashable {
        public var id: String
        public var category: String
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
        let rows = version.categories.map { category -> DataOverview.Row in
            let purposes = version.purposes.filter { $0.categories.contains(category.id) }.map { purpose in
                purpose.bases.isEmpty
                    ? text("publish.overview.purpose.no-basis", purpose.label)
                    : text("publish.overview.purpose", purpose.label, list(purpose.bases.map { term($0) }))
            }
            let recipients = version.recipients.filter { $0.categories.contains(category.id) }.map { recipient in
                recipient.country.map { text("publish.overview.recipient", recipient.name, country($0)) }
                    ?? recipient.name
            }
            let retention = version.retention.filter { $0.categories.contains(category.id) }.compactMap(\.period).map {
                period($0)
            }
            return DataOverview.Row(
                id: category.id, category: category.label, purposes: purposes, recipients: recipients,
                retention: retention.isEmpty ? [text("unstated")] : retention)
        }
        let notStated = version.notStated.map { waiver -> String in
            let about = waiver.element.map { labels[$0].map { " (\($0))" } ?? "" } ?? ""
            return text("publish.overview.not-stated", text("publish.rule.\(waiver.rule)") + about, waiver.reason)
        }
        return DataOverview(
            caption: text("publish.overview.caption"),
            columns: ["category", "purposes", "recipients", "retention"].map { text("publish.overview.column.\($0)") },
            rows: rows, commitments: version.commitments.map(\.label), notStated: notStated)
    }
}
