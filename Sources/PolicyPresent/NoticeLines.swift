import PolicyDiff
import PolicyModel

/// The lines of a change notice, per customer: each names only the data of the customer's that the change concerns,
/// and says what they need to decide whether to object (GDPR Art. 13(3), WP260 para. 29-31): a new purpose with its
/// legal basis, a recipient with what it receives the data for and the country where it processes it, a new period
/// with the law or criteria behind it. Everything in words of the notice's language, never an id or a code.
public struct NoticeLines: Sendable {
    let presenter: Presenter
    let records: [ChangeRecord]
    let version: PolicyVersion
    /// Fact titles by `kind/id`, of both versions (the newer one's where both have the fact), as in a sentence.
    let labels: [String: String]

    public init(presenter: Presenter, records: [ChangeRecord], version: PolicyVersion, labels: [String: String]) {
        self.presenter = presenter
        self.records = records
        self.version = version
        self.labels = presenter.inlineLabels(labels)
    }

    /// The line about `records[index]` for a customer who holds `held` (category ids; nil: every category).
    public func line(_ index: Int, holding held: Set<String>?) -> String {
        let parts = self.parts(index)
        guard let after = parts.after else { return parts.before }
        return parts.before + data(index, holding: held) + after
    }

    /// The line about `records[index]` around the data it concerns: a customer's line is `before`, their data in
    /// words (`data`), `after`. `after` is nil when the line names no data (a promise concerns all data held): the
    /// line is `before` alone. Only the data differs from one customer to the next, so a mail-merge template holds
    /// the rest and the database only the data.
    public func parts(_ index: Int) -> (before: String, after: String?) {
        var record = records[index]
        record.categories = [Self.marker]
        var labels = self.labels
        labels["category/\(Self.marker)"] = Self.marker
        let sentences = [presenter.change(record, labels: labels)] + details(record)
        // A detail may start with a recipient's name written in lower case ("bol.com"): still a sentence.
        let line = sentences.map { Self.closed(Sentences.capitalised($0)) }.joined(separator: " ")
        guard let range = line.range(of: Self.marker) else { return (line, nil) }
        return (String(line[..<range.lowerBound]), String(line[range.upperBound...]))
    }

    /// Where the data goes in a line: a character no label or strings table holds.
    static let marker = "\u{1}"

    /// The data of a customer who holds `held` (nil: every category) that `records[index]` concerns, in words: only
    /// theirs, unless the change names none of theirs (a promise about all data held), then all it concerns.
    public func data(_ index: Int, holding held: Set<String>?) -> String {
        let categories = records[index].categories
        let theirs = held.map { held in categories.filter(held.contains) } ?? categories
        return presenter.list(
            (theirs.isEmpty ? categories : theirs).map { labels["category/\($0)"] ?? presenter.text("kind.category") })
    }

    /// A sentence with its full stop.
    static func closed(_ sentence: String) -> String {
        guard let last = sentence.last, !".!?".contains(last) else { return sentence }
        return sentence + "."
    }

    /// What a customer needs besides the change itself, by the kind of change.
    func details(_ record: ChangeRecord) -> [String] {
        let parts = record.element.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return [] }
        let id = parts[1]
        switch record.kind {
        case .purposeAdded, .purposeCategoriesAdded, .legitimateInterestChanged:
            return basis(ofPurpose: id).map { [$0] } ?? []
        case .recipientAdded:
            return recipientPurposes(id) + place(ofRecipient: id)
        case .recipientPurposesAdded:
            let added = addedItems(record).compactMap { basis(ofPurpose: $0) }
            return added + place(ofRecipient: id)
        case .recipientCategoriesAdded, .recipientOwnPurposesChanged, .recipientRoleChanged:
            return place(ofRecipient: id)
        case .transferIntroduced, .countryChanged:
            return grounds(ofRecipient: id)
        case .retentionStated, .retentionLengthened, .retentionChanged, .retentionAdded:
            return reason(ofRetention: id)
        default:
            return []
        }
    }

    func addedItems(_ record: ChangeRecord) -> [String] {
        let before = record.before?.list ?? []
        return (record.after?.list ?? []).filter { !before.contains($0) }
    }

    func purposeName(_ id: String) -> String { labels["purpose/\(id)"] ?? presenter.text("kind.purpose") }

    /// "The legal basis for our newsletter is your consent."
    func basis(ofPurpose id: String) -> String? {
        guard let purpose = version.purposes.first(where: { $0.id == id }) else { return nil }
        guard let basis = purpose.basis else {
            return presenter.text("notify.detail.basis.unstated", purposeName(id))
        }
        return presenter.text("notify.detail.basis", purposeName(id), presenter.term(basis))
    }

    /// "Mollie B.V. receives the data for: the handling of payments in our web shop."
    func recipientPurposes(_ id: String) -> [String] {
        guard let recipient = version.recipients.first(where: { $0.id == id }), !recipient.purposes.isEmpty else {
            return []
        }
        let purposes = recipient.purposes.map { purposeName($0) }
        return [presenter.text("notify.detail.recipient-purposes", recipient.name, presenter.list(purposes))]
    }

    /// "Mollie B.V. processes the data in the Netherlands."
    func place(ofRecipient id: String) -> [String] {
        guard let recipient = version.recipients.first(where: { $0.id == id }) else { return [] }
        guard !recipient.countries.isEmpty else {
            return [presenter.text("notify.detail.country.unstated", recipient.name)]
        }
        // Every country it names: a customer weighing a transfer needs all of them, not the first.
        let countries = presenter.list(recipient.countries.map { presenter.country($0) })
        return [presenter.text("notify.detail.country", recipient.name, countries)]
            + grounds(ofRecipient: id)
    }

    /// "The transfer relies on standard contractual clauses."
    func grounds(ofRecipient id: String) -> [String] {
        guard let recipient = version.recipients.first(where: { $0.id == id }), !recipient.transferGrounds.isEmpty
        else { return [] }
        return [presenter.text("notify.detail.grounds", presenter.list(recipient.transferGrounds.map(presenter.term)))]
    }

    /// Why data is kept that long: the statute that requires it, or the criteria the period is decided by.
    func reason(ofRetention id: String) -> [String] {
        guard let retention = version.retention.first(where: { $0.id == id }) else { return [] }
        if let statute = retention.statute { return [presenter.text("notify.detail.statute", statute)] }
        // Criteria are already the period's words ("as decided by: …"), and a period until an event says why itself.
        if retention.criteria != nil || retention.duration == nil { return [] }
        return [presenter.text("notify.detail.reason.unstated")]
    }
}
