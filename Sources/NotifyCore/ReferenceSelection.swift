/// Selection as the rule states it, built only from `WhoIsTold`: read every record, admit it, merge the records of
/// an address in a dictionary, decide each person, sort as the files are written. It holds the whole export in
/// memory, so the command uses the engine (`PartitionedSelector`); the tests and the fuzz target hold the engine to
/// this.
public struct ReferenceSelector: CustomerSelector {
    public init() {}

    public func select(plan: NotifyPlan, source: some CustomerSource) throws -> ReferenceSelection {
        if source.selection == .pushedDown { return try ReferenceSelection.pushedDown(plan: plan, source: source) }
        var records: [CustomerRecord] = []
        var categoriesKnown: Bool?
        try source.read(
            vocabulary: plan.vocabulary, prepare: { $0 },
            consume: { batch in
                if categoriesKnown == nil { categoriesKnown = batch.categoriesKnown }
                records += batch.records
            })
        return ReferenceSelection(plan: plan, records: records, categoriesKnown: categoriesKnown ?? false)
    }
}

extension WhoIsTold {
    /// Steps 1 and 2 over records held in memory: each record admitted, invalid and erased ones counted (invalid
    /// ones as rejects, in input order), and the rest merged into people by normalised address.
    public static func people(
        of records: [CustomerRecord], categoriesKnown: Bool, plan: NotifyPlan, counts: inout SelectionCounts,
        rejects: inout [Reject]
    ) -> [[UInt8]: Person<CustomerRecord>] {
        var people: [[UInt8]: Person<CustomerRecord>] = [:]
        for record in records {
            switch WhoIsTold.admit(record, categoriesKnown: categoriesKnown, plan: plan) {
            case .notTold(let reason):
                counts.count(reason)
                if case .invalidAddress(let problem) = reason {
                    rejects.append(Reject(row: record.row, reason: problem.rawValue))
                }
            case .claim(let claim):
                let key = WhoIsTold.normalised(WhoIsTold.trimmed(record.email))
                if people[key] != nil {
                    people[key]!.add(later: record, collected: record.collected, claim: claim)
                    counts.count(.duplicate)
                } else {
                    people[key] = Person(first: record, collected: record.collected, claim: claim)
                }
            }
        }
        return people
    }
}

/// The reference selection's result: plain values, compared whole by the tests.
public struct ReferenceSelection: SelectedRecipients, Sendable, Hashable {
    public var counts = SelectionCounts()
    public var categoriesAssumed: Bool
    public var rejects: [Reject] = []
    public var recipients: [Recipient] = []
    /// Recipients per language index of the vocabulary.
    public var byLanguage: [Int]

    /// Selects from `records` in input order.
    public init(plan: NotifyPlan, records: [CustomerRecord], categoriesKnown: Bool) {
        categoriesAssumed = !categoriesKnown
        byLanguage = Array(repeating: 0, count: plan.vocabulary.languages.count)
        counts.rows = records.count
        let people = WhoIsTold.people(
            of: records, categoriesKnown: categoriesKnown, plan: plan, counts: &counts,
            rejects: &rejects)
        var told: [(key: [UInt8], recipient: Recipient)] = []
        for (key, person) in people {
            let verdict = WhoIsTold.decide(person.claim, plan: plan)
            counts.count(verdict, claim: person.claim)
            guard case .told = verdict else { continue }
            let first = person.speaker
            told.append(
                (
                    key,
                    Recipient(
                        address: String(decoding: WhoIsTold.trimmed(first.email), as: UTF8.self),
                        name: String(decoding: CustomerName.clean(first.name), as: UTF8.self),
                        language: first.language, changes: verdict.changes(in: plan))
                ))
            byLanguage[Int(first.language)] += 1
        }
        recipients = told.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.recipient)
        rejects.sort { $0.row < $1.row }
    }

    /// The people a `.pushedDown` source selected, checked and put on one line as for raw records.
    static func pushedDown(plan: NotifyPlan, source: some CustomerSource) throws -> ReferenceSelection {
        var check = PushedDownCheck(plan: plan)
        var recipients: [Recipient] = []
        var byLanguage = Array(repeating: 0, count: plan.vocabulary.languages.count)
        let summary = try source.readSelected(PushDownQuery(plan: plan)) { batch in
            for customer in batch {
                _ = try check.check(customer)
                let name = CustomerName.clean(Array(customer.name.utf8))
                recipients.append(
                    Recipient(
                        address: customer.email, name: String(decoding: name, as: UTF8.self),
                        language: customer.language,
                        changes: plan.changes(concerning: customer.categories)))
                byLanguage[Int(customer.language)] += 1
            }
        }
        var selection = ReferenceSelection(plan: plan, records: [], categoriesKnown: !summary.categoriesAssumed)
        selection.counts = summary.counts
        selection.rejects = summary.rejects.sorted { $0.row < $1.row }
        selection.recipients = recipients
        selection.byLanguage = byLanguage
        return selection
    }

    public func forEachRecipient(_ body: (Recipient) throws -> Void) throws {
        for recipient in recipients { try body(recipient) }
    }
}
