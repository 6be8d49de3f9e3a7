import Foundation
import PolicyBase
import PolicyDiff
import PolicyModel

/// One `notify` change of the version, as selection needs it: its stable id and the categories whose holders must
/// be told, as a bit set over the vocabulary.
public struct NoticeChange: Sendable, Hashable {
    public var id: String
    public var categories: UInt64
    public init(id: String, categories: UInt64) {
        self.id = id
        self.categories = categories
    }
}

/// What selection decides against: the version's effective date and its `notify` changes.
public struct NotifyPlan: Sendable {
    public let vocabulary: Vocabulary
    public let effective: CalendarDate
    public let changes: [NoticeChange]
    /// The categories some change touches.
    public let categories: UInt64

    /// Takes the `notify` records of a version diff, in the diff's order. A record's categories that the vocabulary
    /// does not know are ignored here: the vocabulary is the older version's categories plus the newer one's, so
    /// every category a diff names is in it.
    public init(changes: [ChangeRecord], effective: CalendarDate, vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
        self.effective = effective
        self.changes = changes.filter { $0.impact == .notify }.map { record in
            NoticeChange(id: record.id, categories: record.categories.reduce(0) { $0 | (vocabulary.bit(ofCategory: $1) ?? 0) })
        }
        self.categories = self.changes.reduce(0) { $0 | $1.categories }
    }

    public init(changes: [NoticeChange], effective: CalendarDate, vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
        self.effective = effective
        self.changes = changes
        self.categories = changes.reduce(0) { $0 | $1.categories }
    }

    /// Indices into `changes` of the changes that concern someone who holds `held`.
    public func changes(concerning held: UInt64) -> [Int] {
        changes.indices.filter { changes[$0].categories & held != 0 }
    }
}

/// Why an address is rejected. The reason is about the address's form, never repeats it.
public enum AddressProblem: String, Sendable, Hashable, CaseIterable {
    case empty = "no email address"
    case tooLong = "address longer than 254 characters"
    case notOneAt = "not exactly one '@'"
    case localPart = "nothing before the '@', or more than 64 characters"
    case localCharacters = "a character that is not allowed before the '@' (spaces, quotes, commas, brackets, or dots at the start, end or twice in a row)"
    case domain = "the part after the '@' is not a domain name (labels of letters, digits and hyphens, separated by dots, ending in a top-level domain of letters)"
    case nonASCII = "characters outside ASCII (international addresses need SMTPUTF8, which the mail tools do not promise)"
    case formula = "starts with a character a spreadsheet would execute (=, +, - or @)"
}

/// The checks selection applies to one customer row's email address.
public enum EmailAddress {
    /// The problem with a trimmed address, or nil when it is usable. Deliberately narrower than RFC 5322: an address
    /// goes into a TO header and a spreadsheet, so quoted local parts, comments and IP literals are rejected (and
    /// reported), not interpreted.
    public static func problem(_ address: UnsafeBufferPointer<UInt8>) -> AddressProblem? {
        let count = address.count
        if count == 0 { return .empty }
        if count > 254 { return .tooLong }
        var at = -1
        for index in 0..<count {
            let byte = address[index]
            if byte >= 0x80 { return .nonASCII }
            if byte == UInt8(ascii: "@") {
                if at >= 0 { return .notOneAt }
                at = index
            }
        }
        if at < 0 { return .notOneAt }
        switch address[0] {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"):
            return at == 0 ? .localPart : .formula
        default: break
        }
        if at == 0 || at > 64 { return .localPart }
        // Local part: RFC 5322 atext and single dots between atoms.
        var previousDot = true
        for index in 0..<at {
            let byte = address[index]
            if byte == UInt8(ascii: ".") {
                if previousDot { return .localCharacters }
                previousDot = true
                continue
            }
            previousDot = false
            guard atext[Int(byte)] else { return .localCharacters }
        }
        if previousDot { return .localCharacters }
        // Domain: LDH labels of 1–63, at least two, the last all letters and at least two long.
        var labelLength = 0, labels = 0, lastAllLetters = true
        var previous: UInt8 = UInt8(ascii: ".")
        for index in (at + 1)..<count {
            let byte = address[index]
            if byte == UInt8(ascii: ".") {
                if labelLength == 0 || previous == UInt8(ascii: "-") { return .domain }
                labels += 1
                labelLength = 0
                lastAllLetters = true
            } else {
                let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
                let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
                let hyphen = byte == UInt8(ascii: "-")
                guard letter || digit || hyphen else { return .domain }
                if hyphen && labelLength == 0 { return .domain }
                if !letter { lastAllLetters = false }
                labelLength += 1
                if labelLength > 63 { return .domain }
            }
            previous = byte
        }
        if labelLength < 2 || previous == UInt8(ascii: "-") || labels < 1 || !lastAllLetters { return .domain }
        return nil
    }

    public static func problem(_ address: String) -> AddressProblem? {
        var bytes = Array(address.utf8)
        return bytes.withUnsafeMutableBufferPointer { problem(UnsafeBufferPointer($0)) }
    }

    /// RFC 5322 atext: letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~
    static let atext: [Bool] = (0..<256).map { value in
        let byte = UInt8(value)
        if (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") { return true }
        if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { return true }
        return "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }
}

/// One chunk of customers after the per-row work that can run in parallel: addresses checked, trimmed and folded,
/// hashed; names cleaned; categories held before the effective date worked out.
public struct PreparedBatch: Sendable {
    /// Folded addresses, then (when different) the address as written, then the cleaned name, per candidate row.
    var bytes: [UInt8] = []
    var rows: [Row] = []
    var categoriesKnown: Bool

    struct Row: Sendable {
        var row: Int
        var outcome: Outcome
        var hash: UInt64 = 0
        var key: Range<Int> = 0..<0
        /// Empty when the address as written equals the folded one.
        var original: Range<Int> = 0..<0
        var name: Range<Int> = 0..<0
        var language: UInt8 = 0
        /// Categories held before the version takes effect (0 when collected on or after it).
        var held: UInt64 = 0
        var before = false
        var collectedUnknown = false
        var stillProcessed = false
    }

    enum Outcome: Sendable, Equatable {
        case candidate
        case erased
        case invalid(AddressProblem)
    }
}

/// Pure selection: a version's plan and a stream of customers in, the people to tell out.
///
/// Rules (docs/notify.md): a row with an invalid address is rejected; an erased row is counted as erased; the first
/// row of an address (trimmed, case-folded) is the person, later rows are duplicates whose categories are combined
/// with the first's. A person is told when some row of theirs was collected before the version takes effect (or
/// does not say when) and the categories of those rows meet a `notify` change's. With no categories in the source,
/// everyone holds every category.
public struct Selector {
    public let plan: NotifyPlan

    /// 16 bytes a person; the text lives in the arena.
    struct Person {
        var held: UInt64
        var offset: UInt32
        var language: UInt8
        /// bit 0: some row collected before; bit 1: a row without a date; bit 2: objected or restricted.
        var flags: UInt8
    }

    var arena = Arena()
    var people: [Person] = []
    /// Open addressing, linear probing: 0 is empty, else (high 32 bits of the hash) << 32 | (index + 1).
    var table: [UInt64] = Array(repeating: 0, count: 1 << 16)
    var rows = 0
    var erased = 0
    var duplicates = 0
    var rejects: [Reject] = []
    var categoriesKnown: Bool?

    /// Reserves room for about `count` people (an estimate from the source's size; unused room costs address space,
    /// not memory).
    public mutating func reserve(people count: Int) {
        people.reserveCapacity(min(count, 1 << 28))
    }

    public init(plan: NotifyPlan) { self.plan = plan }

    /// The per-row work, safe to run on several batches at once.
    public static func prepare(_ batch: CustomerBatch, plan: NotifyPlan) -> PreparedBatch {
        var prepared = PreparedBatch(categoriesKnown: batch.categoriesKnown)
        prepared.rows.reserveCapacity(batch.entries.count)
        prepared.bytes.reserveCapacity(batch.bytes.count)
        let effective = Int32(plan.effective.daysSinceEpoch)
        let all = plan.vocabulary.allCategories
        batch.bytes.withUnsafeBufferPointer { source in
            for entry in batch.entries {
                var row = PreparedBatch.Row(row: entry.row, outcome: .candidate)
                // Trim spaces, tabs and no-break spaces (U+00A0) around the address.
                var start = entry.email.lowerBound, end = entry.email.upperBound
                while start < end {
                    if source[start] == 0x20 || source[start] == 0x09 { start += 1 }
                    else if source[start] == 0xC2, start + 1 < end, source[start + 1] == 0xA0 { start += 2 }
                    else { break }
                }
                while end > start {
                    if source[end - 1] == 0x20 || source[end - 1] == 0x09 { end -= 1 }
                    else if source[end - 1] == 0xA0, end - 2 >= start, source[end - 2] == 0xC2 { end -= 2 }
                    else { break }
                }
                let address = UnsafeBufferPointer(rebasing: source[start..<end])
                if let problem = EmailAddress.problem(address) {
                    row.outcome = .invalid(problem)
                    prepared.rows.append(row)
                    continue
                }
                if entry.status == .erased {
                    row.outcome = .erased
                    prepared.rows.append(row)
                    continue
                }
                // Fold (ASCII only: other addresses were rejected) and hash (FNV-1a).
                let keyStart = prepared.bytes.count
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                var differs = false
                for byte in address {
                    let folded = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                    if folded != byte { differs = true }
                    prepared.bytes.append(folded)
                    hash = (hash ^ UInt64(folded)) &* 0x100_0000_01b3
                }
                row.key = keyStart..<prepared.bytes.count
                row.hash = hash
                if differs {
                    prepared.bytes.append(contentsOf: address)
                    row.original = row.key.upperBound..<prepared.bytes.count
                }
                let nameStart = prepared.bytes.count
                Self.appendCleanName(UnsafeBufferPointer(rebasing: source[entry.name]), to: &prepared.bytes)
                row.name = nameStart..<prepared.bytes.count
                row.language = entry.language
                if let collected = entry.collected {
                    row.before = collected < effective
                } else {
                    row.before = true
                    row.collectedUnknown = true
                }
                row.held = row.before ? (batch.categoriesKnown ? entry.categories : all) : 0
                row.stillProcessed = entry.status == .objected || entry.status == .restricted
                prepared.rows.append(row)
            }
        }
        return prepared
    }

    /// A name on one line: line breaks, tabs and other control characters become single spaces, runs of spaces one,
    /// and the ends are trimmed; at most 200 bytes (cut at a character boundary).
    static func appendCleanName(_ name: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let start = out.count
        var pendingSpace = false
        for byte in name {
            if byte < 0x20 || byte == 0x7F || byte == 0x20 {
                pendingSpace = out.count > start
                continue
            }
            if out.count - start >= 200 { break }
            if pendingSpace { out.append(0x20); pendingSpace = false }
            out.append(byte)
        }
        if out.count - start >= 200 {
            // Do not leave half a UTF-8 sequence.
            while out.count > start, out[out.count - 1] & 0xC0 == 0x80 { out.removeLast() }
            if out.count > start, out[out.count - 1] >= 0xC0 { out.removeLast() }
        }
    }

    /// Merges one prepared batch; batches must come in input order.
    public mutating func consume(_ batch: PreparedBatch) {
        if categoriesKnown == nil { categoriesKnown = batch.categoriesKnown }
        rows += batch.rows.count
        batch.bytes.withUnsafeBufferPointer { bytes in
            for row in batch.rows {
                switch row.outcome {
                case .invalid(let problem):
                    rejects.append(Reject(row: row.row, reason: problem.rawValue))
                    continue
                case .erased:
                    erased += 1
                    continue
                case .candidate:
                    break
                }
                let key = UnsafeBufferPointer(rebasing: bytes[row.key])
                var flags: UInt8 = (row.before ? 1 : 0) | (row.collectedUnknown ? 2 : 0) | (row.stillProcessed ? 4 : 0)
                if let index = find(key, hash: row.hash) {
                    duplicates += 1
                    people[index].held |= row.held
                    flags |= people[index].flags
                    people[index].flags = flags
                    continue
                }
                let offset = arena.append(key: key,
                                          original: UnsafeBufferPointer(rebasing: bytes[row.original]),
                                          name: UnsafeBufferPointer(rebasing: bytes[row.name]))
                people.append(Person(held: row.held, offset: offset, language: row.language, flags: flags))
                insert(index: people.count - 1, hash: row.hash)
            }
        }
    }

    func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        let tag = hash >> 32
        while true {
            let entry = table[slot]
            if entry == 0 { return nil }
            if entry >> 32 == tag {
                let index = Int(entry & 0xFFFF_FFFF) - 1
                let record = arena.pointer(people[index].offset)
                if Int(record[0]) == key.count, memcmp(record + 3, key.baseAddress!, key.count) == 0 {
                    return index
                }
            }
            slot = (slot + 1) & mask
        }
    }

    mutating func insert(index: Int, hash: UInt64) {
        if (people.count) * 10 > table.count * 7 { grow() }
        place(index: index, hash: hash)
    }

    mutating func place(index: Int, hash: UInt64) {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] != 0 { slot = (slot + 1) & mask }
        table[slot] = (hash >> 32) << 32 | UInt64(index + 1)
    }

    mutating func grow() {
        table = Array(repeating: 0, count: table.count * 2)
        for index in people.indices {
            place(index: index, hash: Self.hash(key(of: index)))
        }
    }

    func key(of index: Int) -> UnsafeBufferPointer<UInt8> {
        let record = arena.pointer(people[index].offset)
        return UnsafeBufferPointer(start: record + 3, count: Int(record[0]))
    }

    static func hash<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// Classifies every person and sorts those to tell by folded address (byte order, like `sort` with LC_ALL=C).
    public consuming func finish() -> Selection {
        var counts = Selection.Counts()
        counts.rows = rows
        counts.erased = erased
        counts.duplicate = duplicates
        counts.invalid = rejects.count
        var notified: [UInt32] = []
        notified.reserveCapacity(people.count)
        for index in people.indices {
            let person = people[index]
            if person.flags & 1 == 0 {
                counts.collectedOnOrAfter += 1
            } else if person.held & plan.categories == 0 {
                counts.notAffected += 1
            } else {
                counts.notified += 1
                notified.append(UInt32(index))
                if person.flags & 2 != 0 { counts.notifiedWithoutDate += 1 }
                if person.flags & 4 != 0 { counts.notifiedObjectedOrRestricted += 1 }
            }
        }
        table = []   // not needed any more: free it before sorting
        if getenv("POLICYC_NOTIFY_TIMING") != nil {
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
            FileHandle.standardError.write(Data("timing: read and select done (\(people.count) people, arena \(arena.segments.count * 16) MB), sorting \(notified.count); \(peak)\n".utf8))
        }
        let sorted = Self.sort(&notified, arena: arena, people: people)
        var byLanguage = [Int](repeating: 0, count: plan.vocabulary.languages.count)
        for index in sorted { byLanguage[Int(people[Int(index)].language)] += 1 }
        return Selection(plan: plan, counts: counts, categoriesAssumed: !(categoriesKnown ?? false),
                         rejects: rejects.sorted { $0.row < $1.row }, arena: arena, people: people, order: sorted,
                         byLanguage: byLanguage)
    }

    /// Sorts by folded address: each entry carries the first 16 bytes of its address as two big-endian numbers, so
    /// almost every comparison is two integer compares in one contiguous array instead of two random reads of the
    /// arena; only equal prefixes compare the rest. The two halves sort on the two cores, then merge.
    struct SortEntry: Sendable {
        var high: UInt64
        var low: UInt32
        var index: UInt32
    }

    static func sort(_ indices: inout [UInt32], arena: Arena, people: [Person]) -> [UInt32] {
        nonisolated(unsafe) let arena = arena
        nonisolated(unsafe) let people = people
        func prefix(_ record: UnsafeMutablePointer<UInt8>, _ length: Int, from: Int, count: Int = 8) -> UInt64 {
            var value: UInt64 = 0
            for position in from..<from + count { value = value << 8 | UInt64(position < length ? record[3 + position] : 0) }
            return value
        }
        var entries = indices.map { index -> SortEntry in
            let record = arena.pointer(people[Int(index)].offset)
            let length = Int(record[0])
            return SortEntry(high: prefix(record, length, from: 0), low: UInt32(prefix(record, length, from: 8, count: 4)), index: index)
        }
        indices = []   // freed before the sort's own buffers are taken
        @Sendable func less(_ a: SortEntry, _ b: SortEntry) -> Bool {
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            let ra = arena.pointer(people[Int(a.index)].offset), rb = arena.pointer(people[Int(b.index)].offset)
            let la = Int(ra[0]), lb = Int(rb[0])
            let order = memcmp(ra + 3, rb + 3, min(la, lb))
            return order != 0 ? order < 0 : la < lb
        }
        // Sort the two halves in place, one a core, then merge into the order.
        let middle = entries.count / 2
        var merged: [UInt32] = []
        merged.reserveCapacity(entries.count)
        entries.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let whole = buffer
            DispatchQueue.concurrentPerform(iterations: 2) { half in
                var part = half == 0 ? UnsafeMutableBufferPointer(rebasing: whole[..<middle]) : UnsafeMutableBufferPointer(rebasing: whole[middle...])
                part.sort(by: less)
            }
            var i = 0, j = middle
            while i < middle && j < whole.count {
                if less(whole[j], whole[i]) { merged.append(whole[j].index); j += 1 } else { merged.append(whole[i].index); i += 1 }
            }
            while i < middle { merged.append(whole[i].index); i += 1 }
            while j < whole.count { merged.append(whole[j].index); j += 1 }
        }
        return merged
    }
}

public struct Reject: Sendable, Hashable {
    public var row: Int
    public var reason: String
}

/// The outcome of selection: counts that add up to the rows read, the rejected rows, and the people to tell in a
/// stable order.
public struct Selection: @unchecked Sendable {
    public struct Counts: Sendable, Hashable, Codable {
        public var rows = 0
        public var notified = 0
        public var notAffected = 0
        public var collectedOnOrAfter = 0
        public var erased = 0
        public var invalid = 0
        public var duplicate = 0
        /// Of the notified: people none of whose rows gave a collection date (taken as collected before).
        public var notifiedWithoutDate = 0
        /// Of the notified: people who objected or whose processing is restricted (still told: the data is held).
        public var notifiedObjectedOrRestricted = 0

        public init() {}

        /// The outcomes, which add up to `rows`.
        public var outcomes: Int { notified + notAffected + collectedOnOrAfter + erased + invalid + duplicate }

        enum CodingKeys: String, CodingKey {
            case rows, notified, erased, invalid, duplicate
            case notAffected = "not-affected"
            case collectedOnOrAfter = "collected-on-or-after"
            case notifiedWithoutDate = "notified-without-date"
            case notifiedObjectedOrRestricted = "notified-objected-or-restricted"
        }
    }

    public let plan: NotifyPlan
    public let counts: Counts
    /// True when the source gave no categories, so everyone was taken to hold every category.
    public let categoriesAssumed: Bool
    public let rejects: [Reject]
    let arena: Arena
    let people: [Selector.Person]
    let order: [UInt32]
    /// Recipients per language index of the vocabulary (0: no or an unknown language).
    public let byLanguage: [Int]

    public var count: Int { order.count }

    /// One person to tell.
    public struct Recipient: Sendable, Hashable {
        public var address: String
        public var name: String
        /// Index into the vocabulary's languages; 0 when none of them (the original's message is used).
        public var language: UInt8
        /// Indices into `plan.changes`.
        public var changes: [Int]

        public init(address: String, name: String, language: UInt8, changes: [Int]) {
            self.address = address
            self.name = name
            self.language = language
            self.changes = changes
        }
    }

    /// A recipient as stored: views of the arena, valid during the call.
    public struct RawRecipient {
        public var address: UnsafeBufferPointer<UInt8>
        public var name: UnsafeBufferPointer<UInt8>
        public var language: UInt8
        public var held: UInt64
    }

    /// Recipients `range` of the order, without copying their text.
    public func forEachRaw(in range: Range<Int>, _ body: (RawRecipient) throws -> Void) rethrows {
        for index in order[range] {
            let person = people[Int(index)]
            let record = arena.pointer(person.offset)
            let keyLength = Int(record[0]), originalLength = Int(record[1]), nameLength = Int(record[2])
            let address = originalLength > 0 ? UnsafeBufferPointer(start: record + 3 + keyLength, count: originalLength)
                                             : UnsafeBufferPointer(start: record + 3, count: keyLength)
            let name = UnsafeBufferPointer(start: record + 3 + keyLength + originalLength, count: nameLength)
            try body(RawRecipient(address: address, name: name, language: person.language, held: person.held & plan.categories))
        }
    }

    /// The recipients in order, one at a time.
    public func forEach(_ body: (Recipient) throws -> Void) rethrows {
        try forEachRaw(in: 0..<order.count) { raw in
            try body(Recipient(address: String(decoding: raw.address, as: UTF8.self), name: String(decoding: raw.name, as: UTF8.self),
                               language: raw.language, changes: plan.changes(concerning: raw.held)))
        }
    }

    public var recipients: [Recipient] {
        var all: [Recipient] = []
        forEach { all.append($0) }
        return all
    }
}

extension Notify {
    /// Reads every customer of `source` and selects whom to tell: the per-row work on all cores, the merging in
    /// input order.
    public static func select(plan: NotifyPlan, source: some CustomerSource) throws -> Selection {
        var selector = Selector(plan: plan)
        if let estimate = source.estimatedCount { selector.reserve(people: estimate) }
        try source.read(vocabulary: plan.vocabulary, prepare: { Selector.prepare($0, plan: plan) }, consume: { selector.consume($0) })
        return selector.finish()
    }
}

/// The text of the people seen: records `[key length][original length][name length][key][original][name]` in
/// segments of 16 MB that never move (no copy when it grows, unlike one array). A record's offset is
/// `segment << 24 | position`, so 256 segments (4 GB) at most.
final class Arena: @unchecked Sendable {
    static let segmentBits = 24
    static let segmentSize = 1 << segmentBits
    var segments: [UnsafeMutablePointer<UInt8>] = []
    var used = segmentSize

    func append(key: UnsafeBufferPointer<UInt8>, original: UnsafeBufferPointer<UInt8>, name: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let size = 3 + key.count + original.count + name.count
        precondition(key.count < 256 && original.count < 256 && name.count < 256, "addresses ≤ 254 and names ≤ 200 bytes")
        if used + size > Self.segmentSize {
            precondition(segments.count < 256, "more than 4 GB of addresses and names")
            segments.append(UnsafeMutablePointer<UInt8>.allocate(capacity: Self.segmentSize))
            used = 0
        }
        let base = segments[segments.count - 1] + used
        base[0] = UInt8(key.count)
        base[1] = UInt8(original.count)
        base[2] = UInt8(name.count)
        var at = base + 3
        for part in [key, original, name] where part.count > 0 {
            at.update(from: part.baseAddress!, count: part.count)
            at += part.count
        }
        let offset = UInt32((segments.count - 1) << Self.segmentBits | used)
        used += size
        return offset
    }

    @inline(__always) func pointer(_ offset: UInt32) -> UnsafeMutablePointer<UInt8> {
        segments[Int(offset >> UInt32(Self.segmentBits))] + Int(offset & UInt32(Self.segmentSize - 1))
    }

    deinit { for segment in segments { segment.deallocate() } }
}
