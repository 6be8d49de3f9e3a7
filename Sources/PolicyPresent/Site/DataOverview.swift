import PolicyBase
import PolicyModel

/// The data overview of a policy page, generated from the facts: each data category with its purposes and their
/// legal basis, its recipients and their countries, and how long it is kept. Rendered as an accessible table.
///
/// Reads the current model types in this one file; with the declared schema of issue 8 it reads that instead.
public struct DataOverview: Sendable, Hashable {
    public var caption: String
    public var columns: [String]
    public var rows: [Row]

    public struct Row: Sendable, Hashable {
        public var id: String
        public var category: String
        /// "Het afhandelen van betalingen (de uitvoering van een overeenkomst met u)".
        public var purposes: [String]
        /// "Mollie B.V. (Nederland)".
        public var recipients: [String]
        public var retention: [String]
    }
}

extension Presenter {
    public func dataOverview(_ version: PolicyVersion) -> DataOverview {
        let rows = version.categories.map { category -> DataOverview.Row in
            let purposes = version.purposes.filter { $0.categories.contains(category.id) }.map { purpose in
                text("publish.overview.purpose", purpose.label, purpose.basis.map { term($0) } ?? text("publish.value.basis-not-stated"))
            }
            let recipients = version.recipients.filter { $0.categories.contains(category.id) }.map { recipient in
                recipient.country.map { text("publish.overview.recipient", recipient.name, country($0)) } ?? recipient.name
            }
            let retention = version.retention.filter { $0.categories.contains(category.id) }.map(period)
            return DataOverview.Row(id: category.id, category: category.label, purposes: purposes, recipients: recipients,
                                    retention: retention.isEmpty ? [text("publish.value.not-stated")] : retention)
        }
        return DataOverview(
            caption: text("publish.overview.caption"),
            columns: ["category", "purposes", "recipients", "retention"].map { text("publish.overview.column.\($0)") },
            rows: rows)
    }
}
