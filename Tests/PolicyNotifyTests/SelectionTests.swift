import Foundation
import PolicyModel
import Testing

@testable import PolicyNotify

/// A small world: categories email, order, payment, website-usage; change A touches email, change B order and
/// payment; the version takes effect on 2027-01-01; messages in en and nl.
enum World {
    static let vocabulary = Vocabulary(
        categories: ["email", "order", "payment", "website-usage"], languages: ["en", "nl"])
    static let effective = CalendarDate("2027-01-01")!
    static let plan = NotifyPlan(
        changes: [NoticeChange(id: "A", categories: 0b0001), NoticeChange(id: "B", categories: 0b0110)],
        effective: effective, vocabulary: vocabulary)
    static let before = CalendarDate("2020-05-01")!

    typealias C = ListSource.Customer
    static func select(_ customers: [C], batchSize: Int = 1000) throws -> Selection {
        try Notify.select(plan: plan, source: ListSource(customers, batchSize: batchSize))
    }
}

@Suite("Selection rules")
struct SelectionTests {
    typealias C = ListSource.Customer

    @Test func collectedBeforeTheVersionTakesEffectIsTold() throws {
        let s = try World.select([
            C(email: "a@example.com", collected: CalendarDate("2026-12-31")!, categories: ["email"])
        ])
        #expect(s.counts.notified == 1)
        #expect(try s.recipients.map(\.address) == ["a@example.com"])
    }

    @Test func collectedOnOrAfterTheEffectiveDateIsNotTold() throws {
        let s = try World.select([
            C(email: "on@example.com", collected: CalendarDate("2027-01-01")!, categories: ["email"]),
            C(email: "after@example.com", collected: CalendarDate("2027-03-01")!, categories: ["email"]),
        ])
        #expect(s.counts.collectedOnOrAfter == 2)
        #expect(s.counts.notified == 0)
        #expect(try s.recipients.isEmpty)
    }

    @Test func withoutACollectionDateTheCustomerIsTakenAsCollectedBefore() throws {
        let s = try World.select([C(email: "a@example.com", collected: nil, categories: ["email"])])
        #expect(s.counts.notified == 1)
        #expect(s.counts.notifiedWithoutDate == 1)
    }

    @Test func erasedIsNotToldObjectedAndRestrictedAre() throws {
        let s = try World.select([
            C(email: "erased@example.com", collected: World.before, categories: ["email"], status: .erased),
            C(email: "objected@example.com", collected: World.before, categories: ["email"], status: .objected),
            C(email: "restricted@example.com", collected: World.before, categories: ["email"], status: .restricted),
        ])
        #expect(s.counts.erased == 1)
        #expect(s.counts.notified == 2)
        #expect(s.counts.notifiedObjectedOrRestricted == 2)
        #expect(try s.recipients.map(\.address) == ["objected@example.com", "restricted@example.com"])
    }

    @Test func onlyCustomersHoldingATouchedCategoryAreTold() throws {
        let s = try World.select([
            C(email: "web@example.com", collected: World.before, categories: ["website-usage"]),
            C(email: "none@example.com", collected: World.before, categories: []),
            C(email: "pay@example.com", collected: World.before, categories: ["payment", "website-usage"]),
        ])
        #expect(s.counts.notAffected == 2)
        #expect(s.counts.notified == 1)
        #expect(try s.recipients.map(\.changes) == [[1]])
    }

    @Test func eachRecipientGetsExactlyTheChangesThatConcernTheirData() throws {
        let s = try World.select([
            C(email: "both@example.com", collected: World.before, categories: ["email", "order"]),
            C(email: "a@example.com", collected: World.before, categories: ["email"]),
            C(email: "b@example.com", collected: World.before, categories: ["order"]),
        ])
        #expect(
            try s.recipients.map { "\($0.address) \($0.changes)" } == [
                "a@example.com [0]", "b@example.com [1]", "both@example.com [0, 1]",
            ])
    }

    @Test func withoutCategoriesEveryoneHoldsEveryCategory() throws {
        let s = try World.select([
            C(email: "a@example.com", collected: World.before),
            C(email: "b@example.com", collected: World.before),
        ])
        #expect(s.categoriesAssumed)
        #expect(s.counts.notified == 2)
        #expect(try s.recipients.allSatisfy { $0.changes == [0, 1] })
    }

    @Test func duplicatesDifferingInCaseAndSpacesAreOnePersonWithCombinedCategories() throws {
        let s = try World.select([
            C(
                email: "Jan@Example.com", name: "Jan", language: "nl", collected: World.before,
                categories: ["website-usage"]),
            C(
                email: "  jan@example.COM\t", name: "J. Other", language: "en", collected: World.before,
                categories: ["order"]),
            C(email: "jan@example.com\u{A0}", collected: World.before, categories: ["email"]),
        ])
        #expect(s.counts.duplicate == 2)
        #expect(s.counts.notified == 1)
        let r = try #require(try s.recipients.first)
        // The first row is the person: its address as written, its name and language.
        #expect(r.address == "Jan@Example.com")
        #expect(r.name == "Jan")
        #expect(r.language == 2)
        #expect(r.changes == [0, 1])
    }

    @Test func aLaterDuplicateCollectedBeforeMakesThePersonHeld() throws {
        // The first row was collected after the change, a later one before: the data held before counts.
        let s = try World.select([
            C(email: "a@example.com", collected: CalendarDate("2027-02-01")!, categories: ["email"]),
            C(email: "A@example.com", collected: World.before, categories: ["order"]),
        ])
        #expect(s.counts.notified == 1)
        #expect(s.counts.duplicate == 1)
        #expect(try s.recipients.map(\.changes) == [[1]], "only what was held before the change")
    }

    @Test func anErasedRowDoesNotStandForThePerson() throws {
        let s = try World.select([
            C(email: "a@example.com", collected: World.before, categories: ["email"], status: .erased),
            C(email: "a@example.com", name: "New account", collected: World.before, categories: ["order"]),
        ])
        #expect(s.counts.erased == 1)
        #expect(s.counts.duplicate == 0)
        #expect(try s.recipients.map { "\($0.name) \($0.changes)" } == ["New account [1]"])
    }

    @Test func invalidAddressesAreRejectedWithRowAndReason() throws {
        let s = try World.select([
            C(email: "", collected: World.before),
            C(email: "no-at.example.com", collected: World.before),
            C(email: "a@b@example.com", collected: World.before),
            C(email: "=cmd|' /C calc'!A0@example.com", collected: World.before),
            C(email: "jan jansen@example.com", collected: World.before),
            C(email: "jan@localhost", collected: World.before),
            C(email: "jöns@example.com", collected: World.before),
            C(email: "ok@example.com", collected: World.before),
        ])
        #expect(s.counts.invalid == 7)
        #expect(
            s.rejects.map { "\($0.row): \($0.reason)" } == [
                "2: no email address",
                "3: not exactly one '@'",
                "4: not exactly one '@'",
                "5: starts with a character a spreadsheet would execute (=, +, - or @)",
                "6: a character that is not allowed before the '@' (spaces, quotes, commas, brackets, or dots at the start, end or twice in a row)",
                "7: the part after the '@' is not a domain name (labels of letters, digits and hyphens, separated by dots, ending in a top-level domain of letters)",
                "8: characters outside ASCII (international addresses need SMTPUTF8, which the mail tools do not promise)",
            ])
    }

    @Test(
        arguments: [
            ("a@example.com", nil), ("first.last+tag@sub.example.co.uk", nil), ("{{7*7}}@example.com", nil),
            ("o'brien@example.ie", nil), (".a@example.com", AddressProblem.localCharacters),
            ("a.@example.com", .localCharacters),
            ("a..b@example.com", .localCharacters), ("\"a\"@example.com", .localCharacters),
            ("a,b@example.com", .localCharacters),
            ("a@-example.com", .domain), ("a@example-.com", .domain), ("a@example.c", .domain),
            ("a@example.123", .domain),
            ("a@exa_mple.com", .domain), ("a@.example.com", .domain), ("@example.com", .localPart),
            ("+31612345678@example.com", .formula), ("-a@example.com", .formula),
            (String(repeating: "a", count: 65) + "@example.com", .localPart),
            ("a@" + String(repeating: "b", count: 250) + ".com", .tooLong),
        ] as [(String, AddressProblem?)])
    func addressRules(_ address: String, _ expected: AddressProblem?) {
        let found: AddressProblem? = EmailAddress.problem(address)
        #expect(found?.rawValue == expected?.rawValue, "\(address)")
    }

    @Test func countsAddUpToTheRowsRead() throws {
        let s = try World.select(
            [
                C(email: "told@example.com", collected: World.before, categories: ["email"]),
                C(email: "web@example.com", collected: World.before, categories: ["website-usage"]),
                C(email: "new@example.com", collected: CalendarDate("2027-06-01")!, categories: ["email"]),
                C(email: "gone@example.com", collected: World.before, categories: ["email"], status: .erased),
                C(email: "bad", collected: World.before, categories: ["email"]),
                C(email: "TOLD@example.com", collected: World.before, categories: ["order"]),
            ], batchSize: 2)
        let c = s.counts
        let outcomes: [Int] = [c.notified, c.notAffected, c.collectedOnOrAfter, c.erased, c.invalid, c.duplicate]
        #expect(outcomes == [1, 1, 1, 1, 1, 1])
        #expect(c.rows == 6)
        #expect(c.outcomes == c.rows)
    }

    @Test func theLanguagePicksTheMessageUnknownOrEmptyGetsNone() throws {
        let s = try World.select([
            C(email: "a@example.com", language: "NL", collected: World.before),
            C(email: "b@example.com", language: "nl-BE", collected: World.before),
            C(email: "c@example.com", language: "en_GB", collected: World.before),
            C(email: "d@example.com", language: "de", collected: World.before),
            C(email: "e@example.com", language: "", collected: World.before),
        ])
        #expect(try s.recipients.map(\.language) == [2, 2, 1, 0, 0])
    }

    @Test func namesAreCleanedToOneLine() throws {
        let s = try World.select([C(email: "a@example.com", name: " Jan\r\nde\tVries ", collected: World.before)])
        #expect(try s.recipients.first?.name == "Jan de Vries")
    }

    @Test func theOrderIsByFoldedAddressWhateverTheInputOrderAndBatches() throws {
        var customers: [C] = []
        for index in (0..<500).reversed() {
            customers.append(C(email: "p\(index)@example.com", collected: World.before))
        }
        let one = try World.select(customers, batchSize: 1000)
        let many = try World.select(customers.shuffledDeterministically(), batchSize: 7)
        #expect(try one.recipients.map(\.address) == one.recipients.map(\.address).sorted())
        #expect(try Set(one.recipients.map(\.address)) == Set(many.recipients.map(\.address)))
        #expect(try one.recipients.map(\.address) == many.recipients.map(\.address))
    }

    /// A large export is split into partitions that spill to a temporary file and come back as sorted runs merged
    /// by address. Forced here on a small list (16 partitions, 256-byte blocks): everything must come out exactly as
    /// from one partition in memory, and no file may be left with a name.
    @Test func partitionsSpilledToATemporaryFileGiveTheSameSelection() throws {
        var customers: [C] = []
        let categories = [["email"], ["order"], ["payment", "email"], ["website-usage"], []]
        for index in 0..<3_000 {
            let collected = index % 9 == 0 ? CalendarDate("2027-02-01")! : (index % 13 == 0 ? nil : World.before)
            let status: CustomerStatus = index % 17 == 0 ? .erased : (index % 19 == 0 ? .objected : .active)
            let email = index % 23 == 0 ? "broken\(index)@" : "p\(index % 2_100)@Example.com"
            customers.append(
                C(
                    email: index % 2 == 0 ? email : email.uppercased(), name: "Name \(index)",
                    language: index % 3 == 0 ? "nl" : "en",
                    collected: collected, categories: categories[index % categories.count], status: status))
        }
        let temporary = FileManager.default.temporaryDirectory.path
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [])
        let plain = try Notify.select(
            plan: World.plan, source: ListSource(customers, batchSize: 100), partitionBits: 0, blockSize: 1 << 30)
        let source = ListSource(customers, batchSize: 100)
        let split = try Notify.select(plan: World.plan, source: source, partitionBits: 4, blockSize: 256)
        #expect(split.spill.isOpen, "the blocks went to the temporary file")
        #expect(split.runs.count > 1)
        #expect(!plain.spill.isOpen)
        #expect(split.counts == plain.counts)
        #expect(split.counts.outcomes == 3_000)
        #expect(split.counts.duplicate > 0 && split.counts.notified > 0 && split.counts.collectedOnOrAfter > 0)
        #expect(split.rejects == plain.rejects)
        #expect(split.byLanguage == plain.byLanguage)
        let a = try plain.recipients
        let b = try split.recipients
        #expect(a.count == plain.counts.notified)
        #expect(a == b)
        #expect(
            a.map { $0.address.lowercased() }
                == a.map { $0.address.lowercased() }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        )
        // Blocks of any size give the same sequence.
        var iterator = split.blocks(size: 7)
        var count = 0
        while let block = try iterator.next() { count += block.count }
        #expect(count == a.count)
        let after = Set((try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [])
        #expect(
            after.subtracting(before).filter { $0.hasPrefix("policyc-notify.") }.isEmpty,
            "the temporary file has no name")
    }

    /// The merge of runs (a loser tree on the first 16 bytes of each key) for run counts that are not powers of two
    /// (empty partitions make no run) and keys that are short, share more than 16 bytes, or are a prefix of another.
    @Test(arguments: [1, 2, 3, 5, 6])
    func runsOfAnyNumberMergeInAddressOrder(partitionBits: Int) throws {
        var customers: [C] = []
        for index in 0..<(3 * (1 << partitionBits) + 1) {
            customers.append(C(email: "a\(index)@b.nl", collected: World.before))
            customers.append(
                C(email: "the.same.long.prefix.for.everyone.\(index)@example.com", collected: World.before))
            customers.append(C(email: "x\(index)@example.co", collected: World.before))
            customers.append(C(email: "x\(index)@example.com", collected: World.before))
        }
        customers = customers.shuffledDeterministically()
        let plain = try Notify.select(
            plan: World.plan, source: ListSource(customers, batchSize: 50), partitionBits: 0, blockSize: 1 << 30)
        let split = try Notify.select(
            plan: World.plan, source: ListSource(customers, batchSize: 50), partitionBits: partitionBits, blockSize: 512
        )
        let addresses = try split.recipients.map(\.address)
        #expect(addresses.count == customers.count)
        #expect(addresses == (try plain.recipients.map(\.address)))
        #expect(addresses == addresses.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        let runs = split.runs.count
        if partitionBits >= 3 { #expect(runs > 4) }
    }

    /// Partitions for the source's estimated size; 256 when it cannot tell (a pipe), so no partition, which is held
    /// whole while processed, has to hold the whole export.
    @Test func partitionsFollowTheEstimateAndAreManyWithoutOne() {
        var small = Selector(plan: World.plan)
        var large = Selector(plan: World.plan)
        var unknown = Selector(plan: World.plan)
        small.reserve(people: 50_000)
        large.reserve(people: 5_000_000)
        unknown.reserve(people: nil)
        #expect(small.partitionBits == 0)
        #expect(large.partitionBits == 6)
        #expect(unknown.partitionBits == 8)
        #expect(unknown.blockSize == 256 << 10, "the partitions' blocks still fit the memory budget together")
    }

    @Test func unknownCategoryIdsAreAnErrorListingThem() throws {
        #expect(
            throws: SourceError(
                "the customer list names categories the policy does not declare: 'newsletter', 'ordr', 1 value that is not an id; check the categories column or the derive rules in policyc.yaml"
            )
        ) {
            _ = try World.select([C(email: "a@example.com", categories: ["ordr", "newsletter", "Jan de Vries"])])
        }
    }
}

extension Array {
    func shuffledDeterministically() -> [Element] {
        var generator = SplitMix(seed: 42)
        return shuffled(using: &generator)
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
