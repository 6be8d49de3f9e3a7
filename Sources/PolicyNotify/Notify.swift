import Foundation
import PolicyBase
import PolicyModel
import PolicyPresent

/// Notification: which customers a version's `notify` changes concern, and what to tell them (docs/notify.md).
public enum Notify {}

/// What the files of one run are about.
public struct NoticeRun: Sendable {
    public var policy: String
    public var version: String
    /// The older version compared with.
    public var previous: String
    /// The language of the original; customers without a known language get its message.
    public var originalLanguage: String
    /// The notice per language of the version.
    public var notices: [String: NoticeText]
    public var headers: MailMerge.Headers
    public var jsonLines: Bool
    /// The customer source as named on the command line or in policyc.yaml.
    public var source: String

    public init(
        policy: String, version: String, previous: String, originalLanguage: String, notices: [String: NoticeText],
        headers: MailMerge.Headers, jsonLines: Bool, source: String
    ) {
        self.policy = policy
        self.version = version
        self.previous = previous
        self.originalLanguage = originalLanguage
        self.notices = notices
        self.headers = headers
        self.jsonLines = jsonLines
        self.source = source
    }
}

/// What was written: each file's SHA-256 by its path in the output folder, and per change how many were told.
public struct Written: Sendable, Hashable {
    public var files: [String: String] = [:]
    public var recipientsPerChange: [Int] = []
    public var recipientsPerLanguage: [String: Int] = [:]

    public var recipientsHash: String { files["recipients.csv"] ?? "" }
    public func templateHashes(_ languages: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for language in languages { result[language] = files["\(language)/mailmerge_template.txt"] }
        return result
    }
}

extension Notify {
    public static let reportFormat = "policyc-notify/1"

    /// Writes the run's files through `open` (a path relative to the output folder → a sink), in a fixed order and
    /// with deterministic bytes. Returns their hashes. `report.json` is written last, with the hashes of the others.
    public static func write(_ selection: Selection, run: NoticeRun, open: (String) throws -> ByteSink) throws
        -> Written
    {
        let plan = selection.plan
        let languages = Array(plan.vocabulary.languages.dropFirst())
        var written = Written()
        written.recipientsPerChange = Array(repeating: 0, count: plan.changes.count)
        for language in languages {
            guard let notice = run.notices[language] else { continue }
            let sink = HashingSink(try open("\(language)/mailmerge_template.txt"))
            try sink.append(MailMerge.template(notice, headers: run.headers))
            written.files["\(language)/mailmerge_template.txt"] = try sink.finish()
        }
        try writeRecipients(selection, run: run, open: open, into: &written)
        // Rejects: row numbers and reasons only.
        let rejects = HashingSink(try open("rejects.csv"))
        try rejects.append(CSVCell.row(["row", "reason"]))
        for reject in selection.rejects { try rejects.append(CSVCell.row([String(reject.row), reject.reason])) }
        written.files["rejects.csv"] = try rejects.finish()

        let report = HashingSink(try open("report.json"))
        try report.append(Self.report(selection, run: run, written: written))
        written.files["report.json"] = try report.finish()
        return written
    }

    /// The recipients, in one pass: the list for other tools and each language's database. Merged in order on this
    /// thread, a group of blocks at a time, while the worker threads render the group before; written and hashed in
    /// order.
    static func writeRecipients(
        _ selection: Selection, run: NoticeRun, open: (String) throws -> ByteSink,
        into written: inout Written
    ) throws {
        let plan = selection.plan
        let sinks = try RecipientSinks(plan: plan, jsonLines: run.jsonLines, open: open)
        let originalIndex = UInt8(plan.vocabulary.languages.firstIndex(of: run.originalLanguage) ?? 1)
        let lines = NoticeLineCells(plan: plan, notices: run.notices)
        var blocks = selection.blocks(size: 8_192)
        func nextGroup() throws -> [Selection.Block] {
            var group: [Selection.Block] = []
            while group.count < 8, let block = try blocks.next() { group.append(block) }
            return group
        }
        var masks: [ChangeSetKey: Int] = [:]
        let jsonLines = run.jsonLines
        var current = try nextGroup()
        while !current.isEmpty {
            let rendered = RenderBox()
            let group = DispatchGroup()
            let work = current
            group.enter()
            DispatchQueue.global().async {
                rendered.parts = work.concurrentMap { block in
                    RecipientRenderer.render(
                        block, plan: plan, lines: lines, originalIndex: originalIndex, jsonLines: jsonLines)
                }
                group.leave()
            }
            let upcoming: [Selection.Block]
            do {
                upcoming = try nextGroup()
            } catch {
                group.wait()
                throw error
            }
            group.wait()
            for part in rendered.parts {
                try sinks.append(part, plan: plan, written: &written)
                for (mask, count) in part.masks { masks[mask, default: 0] += count }
            }
            current = upcoming
        }
        for (mask, count) in masks {
            for change in plan.changes(concerning: mask.held, reach: mask.reach) {
                written.recipientsPerChange[change] += count
            }
        }
        try sinks.finish(into: &written)
    }

    /// The files the recipients go to, each behind its hashing sink.
    struct RecipientSinks {
        let recipients: HashingSink
        let jsonl: HashingSink?
        let databases: [String: HashingSink]
        let languages: [String]

        init(plan: NotifyPlan, jsonLines: Bool, open: (String) throws -> ByteSink) throws {
            languages = Array(plan.vocabulary.languages.dropFirst())
            recipients = HashingSink(try open("recipients.csv"))
            try recipients.append(CSVCell.row(["email", "name", "language", "changes"]))
            jsonl = jsonLines ? HashingSink(try open("recipients.jsonl")) : nil
            var databases: [String: HashingSink] = [:]
            for language in languages {
                let sink = HashingSink(try open("\(language)/mailmerge_database.csv"))
                try sink.append(
                    CSVCell.row(MailMerge.databaseHeader(changes: plan.changes.count), neutralising: false))
                databases[language] = sink
            }
            self.databases = databases
        }

        func append(_ part: RecipientRenderer.Part, plan: NotifyPlan, written: inout Written) throws {
            try recipients.append(part.csv)
            try jsonl?.append(part.jsonl)
            for (index, bytes) in part.databases.enumerated() where index > 0 {
                try databases[plan.vocabulary.languages[index]]?.append(bytes)
                written.recipientsPerLanguage[plan.vocabulary.languages[index], default: 0] += part.perLanguage[index]
            }
        }

        func finish(into written: inout Written) throws {
            written.files["recipients.csv"] = try recipients.finish()
            if let jsonl { written.files["recipients.jsonl"] = try jsonl.finish() }
            for language in languages {
                if let database = databases[language] {
                    written.files["\(language)/mailmerge_database.csv"] = try database.finish()
                }
            }
        }
    }

    struct Report: Encodable {
        var format: String
        var policy: String
        var version: String
        var previous: String
        var source: String
        var categoriesAssumed: Bool
        var counts: Selection.Counts
        var languages: [String: Int]
        var changes: [Change]
        var files: [String: String]

        struct Change: Encodable {
            var id: String
            var categories: [String]
            var recipients: Int
        }

        enum CodingKeys: String, CodingKey {
            case format, policy, version, previous, source, counts, languages, changes, files
            case categoriesAssumed = "categories-assumed"
        }
    }

    static func report(_ selection: Selection, run: NoticeRun, written: Written) -> String {
        let plan = selection.plan
        var languages: [String: Int] = [:]
        for language in plan.vocabulary.languages.dropFirst() {
            languages[language] = written.recipientsPerLanguage[language] ?? 0
        }
        let report = Report(
            format: reportFormat, policy: run.policy, version: run.version, previous: run.previous, source: run.source,
            categoriesAssumed: selection.categoriesAssumed, counts: selection.counts, languages: languages,
            changes: plan.changes.indices.map { index in
                Report.Change(
                    id: plan.changes[index].id, categories: plan.vocabulary.categoryIds(plan.changes[index].categories),
                    recipients: written.recipientsPerChange[index])
            },
            files: written.files)
        return ((try? StableJSON.encode(report)) ?? "{}") + "\n"
    }

    /// The summary for standard error: counts and where the files are. No customer data.
    public static func summary(_ selection: Selection, run: NoticeRun, folder: String) -> String {
        let c = selection.counts
        var text =
            "notify \(run.policy) \(run.version) (changes since \(run.previous)): \(c.rows) row\(c.rows == 1 ? "" : "s") read\n"
        let lines: [(String, Int)] = [
            ("notified", c.notified), ("not affected (no category a change concerns)", c.notAffected),
            ("collected on or after \(run.version)", c.collectedOnOrAfter), ("erased", c.erased),
            ("invalid address (see rejects.csv)", c.invalid), ("duplicate address", c.duplicate),
        ]
        let width = lines.map { String($0.1).count }.max() ?? 1
        for (label, count) in lines {
            text += "  " + String(repeating: " ", count: width - String(count).count) + "\(count) \(label)\n"
        }
        if c.notifiedObjectedOrRestricted > 0 {
            text +=
                "  of the notified, \(c.notifiedObjectedOrRestricted) objected or restricted: they are told, the data is still held\n"
        }
        if c.notifiedWithoutDate > 0 {
            text +=
                "  of the notified, \(c.notifiedWithoutDate) without a collection date: taken as collected before \(run.version)\n"
        }
        if selection.namesCut > 0 {
            let rows = selection.namesCut == 1 ? "1 name was" : "\(selection.namesCut) names were"
            text += "  \(rows) longer than \(CustomerName.longest) bytes and cut to that (docs/notify.md, Limits)\n"
        }
        if selection.categoriesAssumed {
            text +=
                "  the export gives no categories: every customer is taken to hold every category (over-notifying is the safe side)\n"
        }
        text += "wrote \(folder)/\n"
        return text
    }
}

/// Renders recipients as the bytes of recipients.csv, recipients.jsonl and each language's database, straight from
/// the stored bytes. What depends only on which changes concern someone (their ids, the change columns) is built
/// once per set of categories held.
final class RenderBox: @unchecked Sendable {
    var parts: [RecipientRenderer.Part] = []
}

enum RecipientRenderer {
    struct Part: Sendable {
        var csv: [UInt8] = []
        var jsonl: [UInt8] = []
        /// By language index (0 unused).
        var databases: [[UInt8]]
        var perLanguage: [Int]
        var masks: [ChangeSetKey: Int] = [:]
    }

    /// The cells that depend only on the changes that concern a recipient.
    struct Changes {
        var csvIds: [UInt8]
        var jsonIds: [UInt8]
        /// By language index: the change columns and the empty padding cell, each with its leading comma.
        var columns: [[UInt8]]
    }

    /// The fixed text of a JSON line, around its values.
    static let jsonParts: [StaticString] = [#"{"changes":["#, #"],"email":"#, #","language":"#, #","name":"#, "}\n"]
    static let jsonLiterals = jsonParts.reduce(0) { $0 + $1.utf8CodeUnitCount }

    /// Each output is written in its own pass over the block, into memory reserved for an upper bound of its size
    /// (`ByteWriter`): no capacity check or copy a cell. A pass costs little next to the bytes it writes.
    static func render(
        _ block: Selection.Block, plan: NotifyPlan, lines: NoticeLineCells, originalIndex: UInt8, jsonLines: Bool
    ) -> Part {
        let languages = plan.vocabulary.languages
        var part = Part(
            databases: Array(repeating: [], count: languages.count),
            perLanguage: Array(repeating: 0, count: languages.count))
        let layout = BlockLayout(
            block, plan: plan, lines: lines, originalIndex: originalIndex, jsonLines: jsonLines, part: &part)
        part.csv = recipientsCSV(block, layout)
        if jsonLines { part.jsonl = recipientsJSONL(block, layout) }
        for language in languages.indices.dropFirst() where layout.databaseBounds[language] > 0 {
            part.databases[language] = database(block, layout, language: language)
        }
        return part
    }

    /// The first pass over a block: each recipient's language and kind of changes, the cells every kind and language
    /// share, and the upper bound of each output's size.
    struct BlockLayout {
        var languageCells: [[UInt8]]
        var languageJSON: [[UInt8]]
        var kinds: [Changes] = []
        var recipientKind: [Int32] = []
        var recipientLanguage: [UInt8] = []
        var csvBound = 0, jsonBound = 0
        var databaseBounds: [Int]

        init(
            _ block: Selection.Block, plan: NotifyPlan, lines: NoticeLineCells, originalIndex: UInt8, jsonLines: Bool,
            part: inout Part
        ) {
            let languages = plan.vocabulary.languages
            languageCells = languages.map { language in
                var cell: [UInt8] = []
                CSVCell.append(language, to: &cell)
                return cell
            }
            languageJSON = languages.map { language in
                var cell: [UInt8] = []
                JSONText.append(language, to: &cell)
                return cell
            }
            databaseBounds = Array(repeating: 0, count: languages.count)
            recipientKind.reserveCapacity(block.count)
            recipientLanguage.reserveCapacity(block.count)
            var kindOf: [ChangeSetKey: Int32] = [:]
            var layout = self
            block.forEachRecipient { recipient in
                let language = recipient.language == 0 ? originalIndex : recipient.language
                part.perLanguage[Int(language)] += 1
                let key = ChangeSetKey(held: recipient.held, reach: recipient.reach)
                part.masks[key, default: 0] += 1
                let kind =
                    kindOf[key]
                    ?? {
                        let new = Int32(layout.kinds.count)
                        kindOf[key] = new
                        layout.kinds.append(RecipientRenderer.changes(plan: plan, lines: lines, key: key))
                        return new
                    }()
                layout.add(recipient, kind: kind, language: language, jsonLines: jsonLines)
            }
            self = layout
        }

        mutating func add(_ recipient: Selection.RawRecipient, kind: Int32, language: UInt8, jsonLines: Bool) {
            recipientKind.append(kind)
            recipientLanguage.append(language)
            let cells = kinds[Int(kind)]
            let address = recipient.address.count
            let name = recipient.name.count
            csvBound +=
                ByteWriter.csvBound(address) + ByteWriter.csvBound(name) + languageCells[Int(language)].count
                + cells.csvIds.count + 5
            if jsonLines {
                jsonBound +=
                    ByteWriter.jsonBound(address) + ByteWriter.jsonBound(name) + languageJSON[Int(language)].count
                    + cells.jsonIds.count + RecipientRenderer.jsonLiterals
            }
            databaseBounds[Int(language)] +=
                3 + ByteWriter.csvBound(address) + ByteWriter.base64Bound(name) + 2
                + ByteWriter.csvBound(name) + cells.columns[Int(language)].count + 4
        }
    }

    /// recipients.csv: email, name, language, changes.
    static func recipientsCSV(_ block: Selection.Block, _ layout: BlockLayout) -> [UInt8] {
        ByteWriter.bytes(bound: layout.csvBound) { out in
            var index = 0
            block.forEachRecipient { recipient in
                let language = Int(layout.recipientLanguage[index])
                let cells = layout.kinds[Int(layout.recipientKind[index])]
                index += 1
                out.csvCell(recipient.address)
                out.byte(UInt8(ascii: ","))
                out.csvCell(recipient.name)
                out.byte(UInt8(ascii: ","))
                out.bytes(layout.languageCells[language])
                out.byte(UInt8(ascii: ","))
                out.bytes(cells.csvIds)
                out.byte(0x0D)
                out.byte(0x0A)
            }
        }
    }

    /// recipients.jsonl: the same as JSON Lines.
    static func recipientsJSONL(_ block: Selection.Block, _ layout: BlockLayout) -> [UInt8] {
        ByteWriter.bytes(bound: layout.jsonBound) { out in
            var index = 0
            block.forEachRecipient { recipient in
                let language = Int(layout.recipientLanguage[index])
                let cells = layout.kinds[Int(layout.recipientKind[index])]
                index += 1
                out.ascii(jsonParts[0])
                out.bytes(cells.jsonIds)
                out.ascii(jsonParts[1])
                out.jsonString(recipient.address)
                out.ascii(jsonParts[2])
                out.bytes(layout.languageJSON[language])
                out.ascii(jsonParts[3])
                out.jsonString(recipient.name)
                out.ascii(jsonParts[4])
            }
        }
    }

    /// <language>/mailmerge_database.csv: the empty dialect cell, email, to_name (base64), name as given, the change
    /// lines, the empty padding cell.
    static func database(_ block: Selection.Block, _ layout: BlockLayout, language: Int) -> [UInt8] {
        ByteWriter.bytes(bound: layout.databaseBounds[language]) { out in
            var index = 0
            block.forEachRecipient { recipient in
                defer { index += 1 }
                guard Int(layout.recipientLanguage[index]) == language else { return }
                out.ascii(#""","#)
                out.csvCell(recipient.address, neutralising: false)
                out.byte(UInt8(ascii: ","))
                out.byte(0x22)
                out.base64(recipient.name)
                out.byte(0x22)
                out.byte(UInt8(ascii: ","))
                out.csvCell(recipient.name, neutralising: false)
                out.bytes(layout.kinds[Int(layout.recipientKind[index])].columns[language])
                out.byte(0x0D)
                out.byte(0x0A)
            }
        }
    }

    static func changes(plan: NotifyPlan, lines: NoticeLineCells, key: ChangeSetKey) -> Changes {
        let held = key.held
        let indices = plan.changes(concerning: held, reach: key.reach)
        var csvIds: [UInt8] = []
        var jsonIds: [UInt8] = []
        CSVCell.append(indices.map { plan.changes[$0].id }.joined(separator: " "), to: &csvIds)
        for (position, index) in indices.enumerated() {
            if position > 0 { jsonIds.append(UInt8(ascii: ",")) }
            JSONText.append(plan.changes[index].id, to: &jsonIds)
        }
        let set = Set(indices)
        let columns = plan.vocabulary.languages.indices.map { language in
            var cells: [UInt8] = []
            guard language > 0 else { return cells }
            for index in plan.changes.indices {
                cells.append(UInt8(ascii: ","))
                if set.contains(index) {
                    cells += lines.cell(language: language, change: index, held: held)
                } else {
                    cells += Array(#""""#.utf8)
                }
            }
            // The empty cell of the padding column (`MailMerge.databaseHeader`).
            cells += Array(#","""#.utf8)
            return cells
        }
        return Changes(csvIds: csvIds, jsonIds: jsonIds, columns: columns)
    }
}

/// The database cell of each change, per language and per set of the change's categories a customer holds (those
/// categories in words): many customers hold the same, so each is put into words once a run, whichever thread
/// renders first.
final class NoticeLineCells: @unchecked Sendable {
    let plan: NotifyPlan
    /// By language index; nil where the version has no notice in that language.
    let notices: [NoticeText?]
    private let lock = NSLock()
    private var cells: [Key: [UInt8]] = [:]

    struct Key: Hashable {
        var language: Int
        var change: Int
        var held: UInt64
    }

    init(plan: NotifyPlan, notices: [String: NoticeText]) {
        self.plan = plan
        self.notices = plan.vocabulary.languages.map { notices[$0] }
    }

    /// The quoted cell for change `change` to someone who holds `held`, as a mail tool reads it (not neutralised).
    func cell(language: Int, change: Int, held: UInt64) -> [UInt8] {
        let key = Key(language: language, change: change, held: held & plan.changes[change].categories)
        if let cell = lock.withLock({ cells[key] }) { return cell }
        var cell: [UInt8] = []
        if let notice = notices[language] {
            let categories = Set(plan.vocabulary.categoryIds(key.held))
            let data = notice.changeData(change, holding: categories.isEmpty ? nil : categories)
            CSVCell.append(MailMerge.flat(data), to: &cell, neutralising: false)
        } else {
            CSVCell.append("", to: &cell)
        }
        lock.withLock { cells[key] = cell }
        return cell
    }
}

/// Writes into memory reserved for an upper bound of what will be written (computed with the `…Bound` functions),
/// so a cell is a `memcpy` and no write checks capacity. `bytes(bound:_:)` traps if the bound was wrong, before
/// returning: a wrong bound is a defect in this file, never an effect of the input.
struct ByteWriter {
    private let start: UnsafeMutablePointer<UInt8>
    private var at: UnsafeMutablePointer<UInt8>
    /// Checked in debug builds (the tests) on every write, so a wrong bound fails there before it writes past.
    private let end: UnsafeMutablePointer<UInt8>

    private init(_ start: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.start = start
        at = start
        end = start + capacity
    }

    var count: Int { at - start }

    static func bytes(bound: Int, _ body: (inout ByteWriter) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            var writer = ByteWriter(base, capacity: bound)
            body(&writer)
            precondition(writer.count <= bound, "ByteWriter: wrote \(writer.count) bytes into \(bound)")
            initialized = writer.count
        }
    }

    static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let hexDigits = Array("0123456789abcdef".utf8)

    /// A quoted CSV cell: two quotes, a neutralising apostrophe, every byte at worst doubled.
    static func csvBound(_ count: Int) -> Int { 3 + 2 * count }
    /// A JSON string: two quotes, every byte at worst `\u00XX`.
    static func jsonBound(_ count: Int) -> Int { 2 + 6 * count }
    static func base64Bound(_ count: Int) -> Int { 4 * ((count + 2) / 3) }

    @inline(__always) mutating func byte(_ value: UInt8) {
        assert(at < end, "ByteWriter: past its bound")
        at.initialize(to: value)
        at += 1
    }

    @inline(__always) mutating func bytes(_ value: UnsafeBufferPointer<UInt8>) {
        guard let source = value.baseAddress else { return }
        assert(end - at >= value.count, "ByteWriter: past its bound")
        at.initialize(from: source, count: value.count)
        at += value.count
    }

    @inline(__always) mutating func bytes(_ value: [UInt8]) {
        value.withUnsafeBufferPointer { bytes($0) }
    }

    @inline(__always) mutating func ascii(_ value: StaticString) {
        bytes(UnsafeBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
    }

    /// The same bytes as `CSVCell.append(_:to:neutralising:)`.
    mutating func csvCell(_ value: UnsafeBufferPointer<UInt8>, neutralising: Bool = true) {
        byte(0x22)
        if neutralising, let first = value.first, CSVCell.dangerous(first) { byte(UInt8(ascii: "'")) }
        if let base = value.baseAddress, memchr(base, 0x22, value.count) == nil {
            bytes(value)  // the usual case, copied at once
        } else {
            for value in value {
                if value == 0x22 { byte(0x22) }
                byte(value)
            }
        }
        byte(0x22)
    }

    /// The same bytes as `JSONText.append(bytes:to:)`.
    mutating func jsonString(_ value: UnsafeBufferPointer<UInt8>) {
        byte(0x22)
        for value in value {
            switch value {
            case 0x22:
                byte(0x5C)
                byte(0x22)
            case 0x5C:
                byte(0x5C)
                byte(0x5C)
            case 0x0A:
                byte(0x5C)
                byte(UInt8(ascii: "n"))
            case 0x0D:
                byte(0x5C)
                byte(UInt8(ascii: "r"))
            case 0x09:
                byte(0x5C)
                byte(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex = Self.hexDigits
                byte(0x5C)
                byte(UInt8(ascii: "u"))
                byte(UInt8(ascii: "0"))
                byte(UInt8(ascii: "0"))
                byte(hex[Int(value >> 4)])
                byte(hex[Int(value & 15)])
            default: byte(value)
            }
        }
        byte(0x22)
    }

    /// Base64 (RFC 4648, with padding), as Foundation's `base64EncodedString()` writes it.
    mutating func base64(_ value: UnsafeBufferPointer<UInt8>) {
        let alphabet = Self.base64Alphabet
        var index = 0
        let count = value.count
        while index + 3 <= count {
            let word = UInt32(value[index]) << 16 | UInt32(value[index + 1]) << 8 | UInt32(value[index + 2])
            byte(alphabet[Int(word >> 18 & 63)])
            byte(alphabet[Int(word >> 12 & 63)])
            byte(alphabet[Int(word >> 6 & 63)])
            byte(alphabet[Int(word & 63)])
            index += 3
        }
        if count - index == 1 {
            let word = UInt32(value[index]) << 16
            byte(alphabet[Int(word >> 18 & 63)])
            byte(alphabet[Int(word >> 12 & 63)])
            byte(UInt8(ascii: "="))
            byte(UInt8(ascii: "="))
        } else if count - index == 2 {
            let word = UInt32(value[index]) << 16 | UInt32(value[index + 1]) << 8
            byte(alphabet[Int(word >> 18 & 63)])
            byte(alphabet[Int(word >> 12 & 63)])
            byte(alphabet[Int(word >> 6 & 63)])
            byte(UInt8(ascii: "="))
        }
    }
}

/// What decides which changes a recipient is told about: the categories held that some change concerns, and the
/// changes in their scope (`Claim.reach`).
struct ChangeSetKey: Hashable, Sendable {
    var held: UInt64
    var reach: UInt64
}
