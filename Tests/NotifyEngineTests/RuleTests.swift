import CustomersCSV
import Foundation
import NotifyCore
import NotifyEngine
import PolicyModel
import Testing

/// The rule, one record and one merge at a time.
@Suite("Who is told")
struct RuleTests {
    static func record(
        _ email: String, collected: String? = "2020-05-01", categories: UInt64 = 0b1,
        status: CustomerStatus = .active
    ) -> CustomerRecord {
        CustomerRecord(
            row: 2, email: Array(email.utf8), name: [], language: 0,
            collected: collected.map { Int32(CalendarDate($0)!.daysSinceEpoch) }, categories: categories,
            status: status)
    }

    @Test(
        arguments: [
            (record("a@example.com"), Verdict.told(categories: 0b1)),
            (record(" A@Example.com\u{A0}", categories: 0b111), .told(categories: 0b111)),
            (record("a@example.com", collected: nil, categories: 0b10), .told(categories: 0b10)),
            (record("a@example.com", status: .objected), .told(categories: 0b1)),
            (record("a@example.com", status: .restricted), .told(categories: 0b1)),
            (record("a@example.com", collected: "2026-12-31"), .told(categories: 0b1)),
            (record("a@example.com", collected: "2027-01-01"), .notTold(.collectedOnOrAfter)),
            (record("a@example.com", collected: "2027-01-02"), .notTold(.collectedOnOrAfter)),
            (record("a@example.com", categories: 0b11000), .notTold(.notAffected)),
            (record("a@example.com", categories: 0), .notTold(.notAffected)),
            (record("a@example.com", status: .erased), .notTold(.erased)),
            (record("not an address", status: .erased), .notTold(.invalidAddress(.notOneAt))),
            (record(""), .notTold(.invalidAddress(.empty))),
            (record("=x@example.com"), .notTold(.invalidAddress(.formula))),
        ] as [(CustomerRecord, Verdict)])
    func oneRecord(_ record: CustomerRecord, _ expected: Verdict) {
        #expect(WhoIsTold.decide(record, categoriesKnown: true, plan: Plan.plan) == expected)
    }

    @Test func withoutCategoriesEveryRecordHoldsEveryCategory() {
        let record = Self.record("a@example.com", categories: 0)
        let verdict = WhoIsTold.decide(record, categoriesKnown: false, plan: Plan.plan)
        #expect(verdict == .told(categories: 0b111))
        #expect(verdict.changes(in: Plan.plan) == [0, 1])
    }

    /// What was held before the date by any record counts, whichever comes first.
    @Test func mergedRecordsCombineWhatWasHeldBefore() throws {
        let late = Self.record("a@example.com", collected: "2027-03-01", categories: 0b1)
        guard case .claim(let after) = WhoIsTold.admit(late, categoriesKnown: true, plan: Plan.plan),
            case .claim(let before) = WhoIsTold.admit(
                Self.record(
                    "A@example.com", collected: nil, categories: 0b10,
                    status: .objected),
                categoriesKnown: true, plan: Plan.plan)
        else {
            Issue.record("both admitted")
            return
        }
        #expect(WhoIsTold.decide(after, plan: Plan.plan) == .notTold(.collectedOnOrAfter))
        let merged = WhoIsTold.merge(after, before)
        #expect(merged == Claim(held: 0b10, collectedBefore: true, withoutDate: true, objectedOrRestricted: true))
        #expect(WhoIsTold.decide(merged, plan: Plan.plan) == .told(categories: 0b10))
        var person = Person(first: "the first record", collected: 20_000, claim: after)
        person.add(later: "undated", collected: nil, claim: before)
        #expect(person.speaker == "the first record", "an undated record is older than a dated one")
        #expect(person.claim == merged)
        person.add(later: "same day", collected: 20_000, claim: before)
        #expect(person.speaker == "the first record", "on the same date the earlier record keeps speaking")
        person.add(later: "more recent", collected: 20_001, claim: before)
        #expect(person.speaker == "more recent", "the most recently collected record speaks")
        person.add(later: "older", collected: 19_000, claim: before)
        #expect(person.speaker == "more recent")
        var undated = Person(first: "undated first", collected: nil, claim: before)
        undated.add(later: "dated", collected: 1, claim: before)
        #expect(undated.speaker == "dated", "any dated record is more recent than an undated one")
        #expect(WhoIsTold.normalised(WhoIsTold.trimmed(Array(" A@Example.COM\t".utf8))) == Array("a@example.com".utf8))
    }
}

/// A source that selects on its side as a database would (issue 19): here in memory, by the rule's steps, from the
/// query's terms only.
struct SelectingSource: CustomerSource {
    var records: [CustomerRecord]
    var categoriesKnown = true
    var batchSize = 3

    var selection: SourceSelection { .pushedDown }

    func read<Prepared: Sendable>(
        vocabulary: Vocabulary, prepare: @escaping @Sendable (CustomerBatch) -> Prepared,
        consume: (Prepared) throws -> Void
    ) throws {
        throw SourceError("selects on its side")
    }

    func readSelected(_ query: PushDownQuery, consume: ([SelectedCustomer]) throws -> Void) throws
        -> PushedDownSummary
    {
        let plan = NotifyPlan(
            changes: [NoticeChange(id: "all", categories: query.affectedMask)],
            effective: query.effective, vocabulary: query.vocabulary)
        var counts = SelectionCounts()
        counts.rows = records.count
        var rejects: [Reject] = []
        let people = WhoIsTold.people(
            of: records, categoriesKnown: categoriesKnown, plan: plan, counts: &counts,
            rejects: &rejects)
        var selected: [([UInt8], SelectedCustomer)] = []
        for (key, person) in people {
            let verdict = WhoIsTold.decide(person.claim, plan: plan)
            counts.count(verdict, claim: person.claim)
            guard case .told(let categories, _) = verdict else { continue }
            let email = String(decoding: WhoIsTold.trimmed(person.speaker.email), as: UTF8.self)
            selected.append(
                (
                    key,
                    SelectedCustomer(
                        email: email,
                        name: String(decoding: person.speaker.name, as: UTF8.self),
                        language: person.speaker.language, categories: categories,
                        withoutDate: person.claim.withoutDate,
                        objectedOrRestricted: person.claim.objectedOrRestricted)
                ))
        }
        let sorted = selected.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
        for start in stride(from: 0, to: sorted.count, by: batchSize) {
            try consume(Array(sorted[start..<min(sorted.count, start + batchSize)]))
        }
        return PushedDownSummary(counts: counts, rejects: rejects.reversed(), categoriesAssumed: !categoriesKnown)
    }
}

@Suite("A source that selects on its side")
struct PushDownTests {
    static func records(seed: UInt64, rows: Int) throws -> [CustomerRecord] {
        var generator = ExportGenerator(seed: seed)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pushdown-\(UUID().uuidString).csv")
        try Data(generator.export(rows: rows)).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var records: [CustomerRecord] = []
        try CSVCustomerSource(path: url.path, settings: NotifySettings())
            .read(vocabulary: Plan.vocabulary, prepare: { $0 }, consume: { records += $0.records })
        return records
    }

    /// The same people, counts and rejects as from the raw records, through the engine and the reference.
    @Test func givesTheSameSelectionAsTheRawRecords() throws {
        let records = try Self.records(seed: 7, rows: 2_000)
        let raw = ReferenceSelection(plan: Plan.plan, records: records, categoriesKnown: true)
        let source = SelectingSource(records: records)
        let engine = try PartitionedSelector().select(plan: Plan.plan, source: source)
        let reference = try ReferenceSelector().select(plan: Plan.plan, source: source)
        #expect(reference == raw)
        #expect(engine.counts == raw.counts)
        #expect(engine.rejects == raw.rejects)
        #expect(engine.byLanguage == raw.byLanguage)
        #expect(try engine.recipients == raw.recipients)
    }

    /// Past the size of a run the people go to the temporary file in runs, merged back in order.
    @Test func manyPeopleAreSpilledInRuns() throws {
        var records: [CustomerRecord] = []
        for index in 0..<2_000 {
            records.append(RuleTests.record("person.with.a.long.address.\(index)@example.com"))
        }
        let source = SelectingSource(records: records, batchSize: 50)
        let engine = try PartitionedSelector(blockSize: 4_096).select(plan: Plan.plan, source: source)
        #expect(engine.runs.count > 10)
        #expect(engine.spill.isOpen)
        let addresses = try engine.recipients.map(\.address)
        #expect(addresses.count == 2_000)
        #expect(addresses == addresses.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }

    @Test func outOfOrderPeopleAreRefused() throws {
        struct Unordered: CustomerSource {
            var selection: SourceSelection { .pushedDown }
            func read<Prepared: Sendable>(
                vocabulary: Vocabulary,
                prepare: @escaping @Sendable (CustomerBatch) -> Prepared,
                consume: (Prepared) throws -> Void
            ) throws {}
            func readSelected(_ query: PushDownQuery, consume: ([SelectedCustomer]) throws -> Void) throws
                -> PushedDownSummary
            {
                func person(_ email: String) -> SelectedCustomer {
                    SelectedCustomer(
                        email: email, name: "", language: 0, categories: 1, withoutDate: false,
                        objectedOrRestricted: false)
                }
                try consume([person("b@example.com"), person("A@example.com")])
                return PushedDownSummary(counts: SelectionCounts(), rejects: [], categoriesAssumed: false)
            }
        }
        let refusal = SourceError("the customer source handed over people out of address order, or one address twice")
        #expect(throws: refusal) {
            _ = try PartitionedSelector().select(plan: Plan.plan, source: Unordered())
        }
    }
}

/// Names on one line and at most `CustomerName.longest` bytes, cut at a character boundary.
@Suite struct CustomerNameTests {
    static func cleaned(_ name: String) -> (String, Bool) {
        var out: [UInt8] = []
        let cut = Array(name.utf8).withUnsafeBufferPointer { CustomerName.appendClean($0, to: &out) }
        return (String(decoding: out, as: UTF8.self), cut)
    }

    @Test func shortNamesAreKeptAndCleaned() {
        #expect(Self.cleaned("Anna de Vries") == ("Anna de Vries", false))
        #expect(Self.cleaned("  Jan\r\n\tJansen  ") == ("Jan Jansen", false))
    }

    @Test func aCompleteLastCharacterStays() {
        #expect(Self.cleaned(String(repeating: "Ø", count: 150)) == (String(repeating: "Ø", count: 100), true))
    }

    @Test func aCharacterCutInHalfGoes() {
        let name = String(repeating: "a", count: 199) + "ØØ"
        #expect(Self.cleaned(name) == (String(repeating: "a", count: 199), true))
        let emoji = String(repeating: "a", count: 198) + "😀"
        #expect(Self.cleaned(emoji) == (String(repeating: "a", count: 198), true))
    }
}
