import CustomersCSV
import Foundation
import NotifyCore
import NotifyEngine
import PolicyModel
import Testing

/// The rule of who is told by scope, stated plainly and on its own (no `WhoIsTold`, no bit sets, no `Regions`): a
/// person is told when one of their rows that is not erased was collected before the effective date (or gives no
/// date) and holds a category of a change whose scope covers that row. A change covers a row when it names no
/// services or one of the row's (or the row's are not known: no cell, or an empty one), and it names no regions or one that contains the
/// row's (or the row's is not known). Generated exports with a services and a region column are selected by the
/// engine and by the reference, and both must tell exactly the people this statement tells, about exactly the
/// categories it gives.
@Suite("Who is told by scope, held to a plain statement of the rule")
struct ScopeOracleTests {
    /// Plan.scoped, written out again: X a (everyone), Y b c (the app), Z d (California), W a e (webshop, EEA).
    static let changes: [(categories: Set<String>, services: Set<String>, regions: Set<String>)] = [
        (["a"], [], []), (["b", "c"], ["app"], []), (["d"], [], ["US-CA"]), (["a", "e"], ["webshop"], ["EEA"]),
    ]
    static let eea: Set<String> = ["NL", "DE", "FR"]

    /// One generated row.
    struct Row {
        var person: Int
        var upper: Bool
        var collected: String
        var erased: Bool
        var categories: [String]
        var services: [String]?
        var region: String?
    }

    static func regionContains(_ outer: String, _ home: String) -> Bool {
        if outer == home { return true }
        if outer == "EEA" { return eea.contains(home) }
        return home.hasPrefix(outer + "-")
    }

    static func covers(_ change: (categories: Set<String>, services: Set<String>, regions: Set<String>), _ row: Row)
        -> Bool
    {
        // An empty services cell says nothing: not known, like no cell.
        let known = row.services.flatMap { $0.isEmpty ? nil : Set($0) }
        let services = change.services.isEmpty || known == nil || !change.services.isDisjoint(with: known!)
        let regions =
            change.regions.isEmpty || row.region == nil || change.regions.contains { regionContains($0, row.region!) }
        return services && regions
    }

    /// The people to tell, by lowercased address, with the changes (by their place in the list) each is told about.
    static func oracle(_ rows: [Row]) -> [String: Set<Int>] {
        var told: [String: Set<Int>] = [:]
        for row in rows where !row.erased && (row.collected.isEmpty || row.collected < "2027-01-01") {
            for (index, change) in changes.enumerated()
            where covers(change, row) && !change.categories.isDisjoint(with: row.categories) {
                told["p\(row.person)@example.com", default: []].insert(index)
            }
        }
        return told
    }

    static func generate(seed: UInt64, count: Int) -> [Row] {
        var random = SplitMix(seed: seed)
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        return (0..<count).map { _ in
            Row(
                person: Int(random.next() % UInt64(count / 2 + 1)), upper: chance(30),
                collected: pick(["", "2020-05-01", "2026-12-31", "2027-01-01", "2027-06-01"]), erased: chance(10),
                categories: ["a", "b", "c", "d", "e"].filter { _ in chance(35) },
                services: chance(20) ? nil : ["webshop", "app", "kiosk"].filter { _ in chance(40) },
                region: chance(20) ? nil : pick(["NL", "DE", "FR", "GB", "US", "US-CA", "US-NY"]))
        }
    }

    static func export(_ rows: [Row]) -> [UInt8] {
        var text = "email,collected,categories,status,services,region\n"
        for row in rows {
            let address = "p\(row.person)@example.com"
            text +=
                [
                    row.upper ? address.uppercased() : address, row.collected, row.categories.joined(separator: "|"),
                    row.erased ? "erased" : "active", row.services?.joined(separator: "|") ?? "",
                    row.region.map { $0.lowercased() } ?? "",
                ].joined(separator: ",") + "\n"
        }
        return Array(text.utf8)
    }

    @Test(arguments: [31, 32, 33, 34] as [UInt64])
    func selectionEqualsThePlainRule(seed: UInt64) throws {
        let rows = Self.generate(seed: seed, count: 3_000)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("oracle-\(UUID().uuidString).csv")
        try Data(Self.export(rows)).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let source = CSVCustomerSource(path: url.path, settings: NotifySettings())
        let expected = Self.oracle(rows)
        let engine = try PartitionedSelector(partitionBits: 3, blockSize: 512).select(plan: Plan.scoped, source: source)
        let reference = try ReferenceSelector().select(plan: Plan.scoped, source: source)
        for recipients in [try engine.recipients, reference.recipients] {
            var told: [String: Set<Int>] = [:]
            for recipient in recipients { told[recipient.address.lowercased()] = Set(recipient.changes) }
            #expect(told.count == recipients.count, "one message a person")
            #expect(told == expected)
        }
        #expect(engine.counts.notified == expected.count)
        // Someone is left out by scope, and someone is told only because their scope is unknown.
        let unscoped = rows.map { row in
            var open = row
            open.services = nil
            open.region = nil
            return open
        }
        #expect(Self.oracle(unscoped).count > expected.count)
    }
}
