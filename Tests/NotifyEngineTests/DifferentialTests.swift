import CustomersCSV
import Foundation
import NotifyCore
import NotifyEngine
import PolicyModel
import Testing

/// Categories a, b, c, d, e; change X touches a, change Y touches b and c; d and e no change touches. The version
/// takes effect on 2027-01-01; messages in en and nl.
enum Plan {
    static let vocabulary = Vocabulary(categories: ["a", "b", "c", "d", "e"], languages: ["en", "nl"])
    static let effective = CalendarDate("2027-01-01")!
    static let plan = NotifyPlan(
        changes: [NoticeChange(id: "X", categories: 0b00001), NoticeChange(id: "Y", categories: 0b00110)],
        effective: effective, vocabulary: vocabulary)

    /// The same categories, and a policy covering a webshop, an app and a kiosk: X touches a (everyone), Y b and c
    /// (the app's customers), Z d (residents of California), W a and e (webshop customers in the EEA).
    static let scopedVocabulary = Vocabulary(
        categories: ["a", "b", "c", "d", "e"], languages: ["en", "nl"], services: ["webshop", "app", "kiosk"],
        regions: ["EEA", "NL", "US-CA", "US"])
    static let scoped = NotifyPlan(
        changes: [
            NoticeChange(id: "X", categories: 0b00001), NoticeChange(id: "Y", categories: 0b00110, services: 0b010),
            NoticeChange(id: "Z", categories: 0b01000, regions: 0b0100),
            NoticeChange(id: "W", categories: 0b10001, services: 0b001, regions: 0b0001),
        ],
        effective: effective, vocabulary: scopedVocabulary)
}

/// Generates customer exports with the rows that make selection hard, from a seed.
struct ExportGenerator {
    var random: SplitMix
    var withCategories = true
    /// Whether the export names each customer's services and region (Plan.scoped's vocabulary).
    var withScope = false

    init(seed: UInt64) { random = SplitMix(seed: seed) }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }

    /// An address: mostly one of `people` (so duplicates abound), in any case and padding; sometimes unusable.
    mutating func address(people: Int) -> String {
        if chance(8) {
            return pick([
                "", "no-at.example.com", "a@b@example.com", "=cmd@example.com", "-a@example.com",
                "jöns@example.com",
                "a..b@example.com", "x@localhost", "\"q\"@example.com", "a,b@example.com", "@example.com",
                "a@example.c0m", "a@-x.com", "a b@example.com",
                String(repeating: "l", count: 65) + "@example.com",
            ])
        }
        var local = "p\(random.next() % UInt64(people))"
        if chance(20) { local += ".Long.Shared.Prefix.For.Many.People" }
        var text = local + "@" + pick(["example.com", "Example.COM", "sub.example.nl", "x.io"])
        if chance(30) {
            text = String(text.map { character in chance(50) ? Character(character.uppercased()) : character })
        }
        if chance(15) { text = pick([" ", "\t", "\u{A0}", "  "]) + text }
        if chance(15) { text += pick([" ", "\t", "\u{A0}", " \u{A0} "]) }
        return text
    }

    mutating func name() -> String {
        // A name of its own now and then, so which record of a person speaks shows in the recipients.
        if chance(30) { return "Person \(random.next() % 100_000)" }
        return pick([
            "", "Jan", "Jan de Vries", "  Padded  Name ", "Quote \"Q\" Person", "Comma, Person", "Line\nBreak",
            "Tab\tName",
            "Ünïcödé Näme", "=SUM(A1)", String(repeating: "é", count: 120), "CR\r\nLF", "x",
        ])
    }

    mutating func collected() -> String {
        pick(["", "2020-05-01", "2026-12-31", "2027-01-01", "2027-01-02", "2030-06-15", "1999-01-01"])
    }

    mutating func categories() -> String {
        let ids = Plan.vocabulary.categories.filter { _ in chance(30) }
        return ids.joined(separator: "|")
    }

    /// Scope ids separated by `|`, with spaces now and then; empty (not known) about one time in five.
    mutating func services() -> String {
        guard !chance(20) else { return "" }
        let ids = Plan.scopedVocabulary.services.filter { _ in chance(40) }
        return ids.joined(separator: pick(["|", " | "]))
    }

    mutating func region() -> String { pick(["", "NL", "nl", "DE", "US-CA", "us-ca", "US", "US-NY", "GB", " FR "]) }

    /// A CSV cell: quoted when it must be (and now and then when it need not be).
    mutating func cell(_ value: String) -> String {
        let special =
            value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || value.first == " " || value.last == " "
        guard special || chance(10) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// An export of `rows` rows with a header, sometimes a byte order mark and CRLF line ends.
    mutating func export(rows: Int) -> [UInt8] {
        let people = max(1, rows / 3)
        let end = chance(50) ? "\r\n" : "\n"
        var header = ["email", "name", "language", "collected", "status"]
        if withCategories { header.insert("categories", at: 4) }
        if withScope { header += ["services", "region"] }
        var text = (chance(50) ? "\u{FEFF}" : "") + header.joined(separator: ",") + end
        for _ in 0..<rows {
            let language = pick(["", "en", "NL", "nl-BE", "de", " en ", "EN_gb"])
            var cells = [
                address(people: people), name(), language, collected(),
                pick(["", "active", "erased", "ERASED", "Objected", "restricted", "active"]),
            ]
            if withCategories { cells.insert(categories(), at: 4) }
            if withScope { cells += [services(), region()] }
            text += cells.map { cell($0) }.joined(separator: ",") + end
        }
        return Array(text.utf8)
    }
}

/// Selects from `export` with the engine and with the reference, and expects the same.
func expectEngineEqualsReference(
    _ export: [UInt8], partitionBits: Int?, blockSize: Int?, chunkSize: Int = 1 << 20,
    expectSpill: Bool = false, plan: NotifyPlan = Plan.plan, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("differential-\(UUID().uuidString).csv")
    try Data(export).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    var source = CSVCustomerSource(path: url.path, settings: NotifySettings())
    source.chunkSize = chunkSize
    let engine = try PartitionedSelector(partitionBits: partitionBits, blockSize: blockSize)
        .select(plan: plan, source: source)
    let reference = try ReferenceSelector().select(plan: plan, source: source)
    #expect(engine.counts == reference.counts, sourceLocation: sourceLocation)
    #expect(engine.counts.outcomes == engine.counts.rows, sourceLocation: sourceLocation)
    #expect(engine.categoriesAssumed == reference.categoriesAssumed, sourceLocation: sourceLocation)
    #expect(engine.rejects == reference.rejects, sourceLocation: sourceLocation)
    #expect(engine.byLanguage == reference.byLanguage, sourceLocation: sourceLocation)
    let recipients = try engine.recipients
    #expect(recipients.count == reference.recipients.count, sourceLocation: sourceLocation)
    #expect(recipients == reference.recipients, sourceLocation: sourceLocation)
    if expectSpill {
        #expect(engine.spill.isOpen, "the partitions spilled to the temporary file", sourceLocation: sourceLocation)
        #expect(engine.runs.count > 1, "several runs were merged", sourceLocation: sourceLocation)
    }
}

@Suite("The engine equals the reference selection")
struct DifferentialTests {
    /// Seeded exports of awkward rows, through the CSV source, with the engine forced to spill its partitions and
    /// merge several runs, and with the partitioning it picks itself.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func generatedExports(seed: UInt64) throws {
        var generator = ExportGenerator(seed: seed)
        let export = generator.export(rows: 4_000)
        try expectEngineEqualsReference(export, partitionBits: nil, blockSize: nil)
        try expectEngineEqualsReference(export, partitionBits: 0, blockSize: 1 << 30)
        try expectEngineEqualsReference(export, partitionBits: 4, blockSize: 512, chunkSize: 4_096, expectSpill: true)
        try expectEngineEqualsReference(export, partitionBits: 7, blockSize: 64, chunkSize: 777, expectSpill: true)
    }

    /// Exports with services and region columns, against changes confined to some services or regions.
    @Test(arguments: [21, 22, 23] as [UInt64])
    func exportsWithScope(seed: UInt64) throws {
        var generator = ExportGenerator(seed: seed)
        generator.withScope = true
        let export = generator.export(rows: 4_000)
        try expectEngineEqualsReference(export, partitionBits: nil, blockSize: nil, plan: Plan.scoped)
        try expectEngineEqualsReference(
            export, partitionBits: 5, blockSize: 256, chunkSize: 1_000, expectSpill: true, plan: Plan.scoped)
    }

    /// Without a categories column everyone is taken to hold every category.
    @Test(arguments: [11, 12] as [UInt64])
    func exportsWithoutCategories(seed: UInt64) throws {
        var generator = ExportGenerator(seed: seed)
        generator.withCategories = false
        let export = generator.export(rows: 3_000)
        try expectEngineEqualsReference(export, partitionBits: 3, blockSize: 256, expectSpill: true)
    }

    /// A merged customer speaks with its most recently collected record (an undated record is the oldest; on the
    /// same date the earlier row): in the engine, with its partitions spilled, as in the reference.
    @Test func theMostRecentRecordSpeaks() throws {
        let export = """
            email,name,language,collected,categories,status
            a@example.com,Old A,en,2020-01-01,a,active
            A@EXAMPLE.COM,New A,nl,2024-06-01,b,active
            a@example.com,Undated A,en,,c,active
            b@example.com,First B,nl,2021-01-01,a,active
            b@example.com,Second B,en,2021-01-01,a,active
            c@example.com,Undated C,en,,a,active
            C@example.com,Dated C,nl,2019-01-01,d,active
            c@example.com,After C,en,2027-02-01,a,active

            """
        let oracle = [
            Recipient(address: "A@EXAMPLE.COM", name: "New A", language: 2, changes: [0, 1]),
            Recipient(address: "b@example.com", name: "First B", language: 2, changes: [0]),
            Recipient(address: "c@example.com", name: "After C", language: 1, changes: [0]),
        ]
        for (bits, block) in [(0, 1 << 30), (3, 32)] {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("recent-\(UUID().uuidString).csv")
            try Data(export.utf8).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            let source = CSVCustomerSource(path: url.path, settings: NotifySettings())
            let reference = try ReferenceSelector().select(plan: Plan.plan, source: source)
            #expect(reference.recipients == oracle)
            let engine = try PartitionedSelector(partitionBits: bits, blockSize: block).select(
                plan: Plan.plan, source: source)
            #expect(try engine.recipients == oracle)
        }
        try expectEngineEqualsReference(Array(export.utf8), partitionBits: 2, blockSize: 16)
    }

    /// Every outcome occurs in the generated exports, so the comparison above covers each of them.
    @Test func theGeneratedExportsReachEveryOutcome() throws {
        var generator = ExportGenerator(seed: 1)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("differential-\(UUID().uuidString).csv")
        try Data(generator.export(rows: 4_000)).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let source = CSVCustomerSource(path: url.path, settings: NotifySettings())
        let c = try ReferenceSelector().select(plan: Plan.plan, source: source).counts
        for count in [
            c.notified, c.notAffected, c.collectedOnOrAfter, c.erased, c.invalid, c.duplicate,
            c.notifiedWithoutDate, c.notifiedObjectedOrRestricted,
        ] {
            #expect(count > 0, "\(c)")
        }
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
