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
        let atext = Self.atext   // once, not a lazy global's check a byte
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
///
/// Memory stays bounded by partitioning, not by holding everyone: each usable row is appended, in input order, to
/// one of 2^k partitions picked by the hash of its folded address (so all rows of a person meet in one partition).
/// A partition's records go to an unlinked temporary file in blocks once the export is large. `finish` then takes
/// the partitions one at a time on each core: sorts its rows by address, merges each address's rows into a person,
/// counts them, and writes those to tell back as a sorted run. The recipients are read out by merging the runs. So
/// only one partition per core is ever held whole. Data in the temporary file has no name in the file system, and
/// goes when the process ends, whichever way it ends.
public struct Selector {
    public let plan: NotifyPlan

    /// A partition's usable rows, in input order: the blocks already in the temporary file, then the rest.
    struct Partition: Sendable {
        var blocks: [Range<Int>] = []
        var tail: [UInt8] = []
        var records = 0
    }

    /// A usable row as a partition stores it: `[key length][original length][name length][language][flags]
    /// [held: 8 bytes]` then the folded address, the address as written (when it differs) and the name.
    /// Flags: bit 0, collected before; bit 1, no collection date; bit 2, objected or restricted.
    enum Record {
        static let header = 13
    }

    /// A person of a partition to tell: the categories of all their rows, and their first row's record (language,
    /// address and name come from it).
    struct Person {
        var held: UInt64
        var offset: UInt32
    }

    /// About this many people a partition, for an export of the size estimated.
    static let peoplePerPartition = 100_000
    /// 2^8 partitions for a source that cannot tell its size.
    static let unknownSizeBits = 8

    var partitionBits = 0
    var partitions: [Partition] = [Partition()]
    /// A partition's records go to the temporary file when they reach this size: all partitions together hold at
    /// most `memoryBudget` (an export of up to about a million rows never touches the disk).
    var blockSize = 128 << 10
    static let memoryBudget = 64 << 20
    /// Of a large export, sorted runs stay in memory up to this size altogether; the rest are spilled.
    static let runBudget = 64 << 20
    let spill = SpillFile()
    var rows = 0
    var erased = 0
    var rejects: [Reject] = []
    var categoriesKnown: Bool?

    public init(plan: NotifyPlan) { self.plan = plan }

    /// With `2^partitionBits` partitions that spill at `blockSize` bytes: tests use this to take the paths a large
    /// export takes.
    init(plan: NotifyPlan, partitionBits: Int, blockSize: Int) {
        self.plan = plan
        self.blockSize = max(1, blockSize)
        setPartitions(partitionBits)
    }

    mutating func setPartitions(_ bits: Int) {
        partitionBits = min(max(bits, 0), 12)
        partitions = Array(repeating: Partition(), count: 1 << partitionBits)
    }

    /// Picks the number of partitions for about `count` people (an estimate from the source's size), before any row
    /// is consumed. With no estimate (a pipe), 256: a partition is held whole while it is processed, so a single
    /// partition would hold the whole export (844 MB for 5 M rows read through a pipe, until this round), while 256
    /// keep about 100,000 people each up to 25 M rows, and grow slowly past that.
    public mutating func reserve(people count: Int?) {
        guard rows == 0 else { return }
        var bits = 0
        if let count {
            while bits < 10 && count >> bits > Self.peoplePerPartition { bits += 1 }
        } else {
            bits = Self.unknownSizeBits
        }
        setPartitions(bits)
        blockSize = max(128 << 10, Self.memoryBudget >> bits)
    }

    /// The hash of a folded address, whose high bits pick its partition: eight bytes at a time (a multiply and a
    /// shift a word, then splitmix64's finaliser). Byte by byte (FNV-1a, until this round) it was a chain of dependent
    /// multiplications as long as the address.
    ///
    /// Seeded at random once a run: nothing written depends on it (partitions are merged back in address order, a
    /// person's rows meet in one partition whatever the seed), and an export crafted for collisions cannot pile
    /// its addresses into one partition, which is held whole while it is processed.
    @inline(__always) static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let count = key.count
        var hash = hashSeed ^ UInt64(count)
        guard let base = key.baseAddress else { return mix(hash) }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= count {
            hash = (hash ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
            index += 8
        }
        var tail: UInt64 = 0, shift: UInt64 = 0
        while index < count {
            tail |= UInt64(base[index]) << shift
            shift += 8
            index += 1
        }
        return mix((hash ^ tail) &* 0x9E37_79B9_7F4A_7C15)
    }

    static let hashSeed = UInt64.random(in: .min ... .max)

    /// splitmix64's finaliser: spreads every input bit over the high and the low bits.
    @inline(__always) static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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
                // Fold (ASCII only: other addresses were rejected) in place, after copying the address at once
                // (appending byte by byte checks capacity every time), then hash it to pick its partition.
                let keyStart = prepared.bytes.count
                var differs = false
                prepared.bytes.append(contentsOf: address)
                row.hash = prepared.bytes.withUnsafeMutableBufferPointer { bytes in
                    for index in keyStart..<bytes.count where bytes[index] >= 0x41 && bytes[index] <= 0x5A {
                        bytes[index] |= 0x20
                        differs = true
                    }
                    return Selector.hash(UnsafeBufferPointer(rebasing: bytes[keyStart...]))
                }
                row.key = keyStart..<prepared.bytes.count
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
        // The usual name needs no cleaning: copy it at once.
        if name.count <= 200, let first = name.first, first != 0x20, name[name.count - 1] != 0x20 {
            var clean = true
            var previous: UInt8 = 0
            for byte in name {
                if byte < 0x20 || byte == 0x7F || (byte == 0x20 && previous == 0x20) {
                    clean = false
                    break
                }
                previous = byte
            }
            if clean {
                out.append(contentsOf: name)
                return
            }
        }
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

    /// Takes one prepared batch; batches must come in input order. Throws when the temporary file cannot be written.
    public mutating func consume(_ batch: PreparedBatch) throws {
        if categoriesKnown == nil { categoriesKnown = batch.categoriesKnown }
        rows += batch.rows.count
        let shift = UInt64(64 - partitionBits)
        try batch.bytes.withUnsafeBufferPointer { bytes in
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
                let flags: UInt8 = (row.before ? 1 : 0) | (row.collectedUnknown ? 2 : 0) | (row.stillProcessed ? 4 : 0)
                let index = partitionBits == 0 ? 0 : Int(truncatingIfNeeded: row.hash >> shift)
                if partitions[index].tail.capacity == 0 {
                    // Room for a block and one more record, so the buffer never doubles past the budget.
                    partitions[index].tail.reserveCapacity(blockSize + Record.header + 3 * 255)
                }
                Self.appendRecord(to: &partitions[index].tail, key: UnsafeBufferPointer(rebasing: bytes[row.key]),
                                  original: UnsafeBufferPointer(rebasing: bytes[row.original]),
                                  name: UnsafeBufferPointer(rebasing: bytes[row.name]),
                                  language: row.language, flags: flags, held: row.held)
                partitions[index].records += 1
                if partitions[index].tail.count >= blockSize {
                    // The full block goes to the file's queue as it is; the partition starts a new one.
                    var full: [UInt8] = []
                    full.reserveCapacity(blockSize + Record.header + 3 * 255)
                    swap(&full, &partitions[index].tail)
                    partitions[index].blocks.append(try spill.appendLater(full))
                }
            }
        }
    }

    static func appendRecord(to out: inout [UInt8], key: UnsafeBufferPointer<UInt8>, original: UnsafeBufferPointer<UInt8>,
                             name: UnsafeBufferPointer<UInt8>, language: UInt8, flags: UInt8, held: UInt64) {
        precondition(key.count < 256 && original.count < 256 && name.count < 256, "addresses ≤ 254 and names ≤ 200 bytes")
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Record.header) { header in
            header[0] = UInt8(key.count)
            header[1] = UInt8(original.count)
            header[2] = UInt8(name.count)
            header[3] = language
            header[4] = flags
            UnsafeMutableRawPointer(header.baseAddress! + 5).storeBytes(of: held.littleEndian, as: UInt64.self)
            out.append(contentsOf: header)
        }
        // `prepare` wrote key, original and name one after the other: one copy.
        if original.isEmpty || original.baseAddress == key.baseAddress! + key.count,
           name.isEmpty || name.baseAddress == key.baseAddress! + key.count + original.count {
            out.append(contentsOf: UnsafeBufferPointer(start: key.baseAddress, count: key.count + original.count + name.count))
        } else {
            out.append(contentsOf: key)
            out.append(contentsOf: original)
            out.append(contentsOf: name)
        }
    }

    /// Merges every partition into people, classifies them and sorts those to tell by folded address (byte order, like
    /// `sort` with LC_ALL=C); one partition a core at a time.
    public consuming func finish() throws -> Selection {
        let plan = self.plan
        let spill = self.spill
        // A large export (one that spilled) spills its sorted runs too; a small one keeps them in memory.
        try spill.drain()
        let runBudget = MemoryBudget(spill.isOpen ? Self.runBudget : Int.max)
        var parts = partitions
        partitions = []
        let count = parts.count
        let results = parts.withUnsafeMutableBufferPointer { buffer -> [Result<Processed, Error>] in
            nonisolated(unsafe) let base = buffer.baseAddress!
            let results = Array(0..<count).concurrentMap { index -> Result<Processed, Error> in
                // Each iteration moves its own partition out of the array, so its records are freed when it is done.
                let part = (base + index).move()
                return Result { try Self.process(consume part, plan: plan, spill: spill, runBudget: runBudget) }
            }
            // Every element was moved out; initialise the slots again so the array can be freed.
            for index in 0..<count { (base + index).initialize(to: Partition()) }
            return results
        }
        var counts = Selection.Counts()
        counts.rows = rows
        counts.erased = erased
        counts.invalid = rejects.count
        var runs: [Selection.Run] = []
        var byLanguage = [Int](repeating: 0, count: plan.vocabulary.languages.count)
        for result in results {
            let processed = try result.get()
            counts.duplicate += processed.counts.duplicate
            counts.collectedOnOrAfter += processed.counts.collectedOnOrAfter
            counts.notAffected += processed.counts.notAffected
            counts.notified += processed.counts.notified
            counts.notifiedWithoutDate += processed.counts.notifiedWithoutDate
            counts.notifiedObjectedOrRestricted += processed.counts.notifiedObjectedOrRestricted
            for index in byLanguage.indices { byLanguage[index] += processed.byLanguage[index] }
            if processed.counts.notified > 0 { runs.append(processed.run) }
        }
        if getenv("POLICYC_NOTIFY_TIMING") != nil {
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
            FileHandle.standardError.write(Data("timing: \(count) partitions, temporary file \(spill.size >> 20) MB; \(peak)\n".utf8))
        }
        return Selection(plan: plan, counts: counts, categoriesAssumed: !(categoriesKnown ?? false),
                         rejects: rejects.sorted { $0.row < $1.row }, runs: runs, spill: spill, byLanguage: byLanguage)
    }

    struct Processed: Sendable {
        var counts = Selection.Counts()
        var byLanguage: [Int]
        var run: Selection.Run = .memory(RunBuffer([]))
    }

    /// One partition: its rows merged into people (the first row of an address is the person), classified, and those
    /// to tell sorted into a run.
    static func process(_ part: consuming Partition, plan: NotifyPlan, spill: SpillFile, runBudget: MemoryBudget) throws -> Processed {
        var processed = Processed(byLanguage: Array(repeating: 0, count: plan.vocabulary.languages.count))
        let total = part.blocks.reduce(part.tail.count) { $0 + $1.count }
        let recordCount = part.records
        guard total > 0 else { return processed }
        let records = try [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            var at = 0
            for block in part.blocks {
                try spill.read(block, into: UnsafeMutableRawPointer(buffer.baseAddress! + at))
                at += block.count
            }
            part.tail.withUnsafeBufferPointer { tail in
                if let source = tail.baseAddress { (buffer.baseAddress! + at).update(from: source, count: tail.count) }
            }
            initialized = total
        }
        part = Partition()   // the tail is in `records` now
        precondition(records.count < 1 << 32, "a partition over 4 GB")
        return try records.withUnsafeBufferPointer { buffer -> Processed in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return processed }
            // Every record, sorted by folded address and, for the rows of one address, by input order: the rows of a
            // person are then side by side, the first one first. (Until this round the rows were merged in a hash
            // table before the people to tell were sorted; a probe a row, mostly a cache miss, cost more than
            // sorting a fifth more entries.)
            var entries: [SortEntry] = []
            entries.reserveCapacity(recordCount)
            var offset = 0
            while offset < buffer.count {
                entries.append(SortEntry(base + offset + Record.header, length: Int(base[offset]), offset: UInt32(offset)))
                offset += Record.header + Int(base[offset]) + Int(base[offset + 1]) + Int(base[offset + 2])
            }
            @inline(__always) func compareKeys(_ a: SortEntry, _ b: SortEntry) -> Int32 {
                if a.high != b.high { return a.high < b.high ? -1 : 1 }
                if a.low != b.low { return a.low < b.low ? -1 : 1 }
                let ra = Int(a.offset), rb = Int(b.offset)
                let la = Int(base[ra]), lb = Int(base[rb])
                let order = memcmp(base + ra + Record.header, base + rb + Record.header, min(la, lb))
                if order != 0 { return order }
                return la == lb ? 0 : (la < lb ? -1 : 1)
            }
            entries.sort { a, b in
                let order = compareKeys(a, b)
                return order != 0 ? order < 0 : a.offset < b.offset
            }
            // Merge each address's rows into its first (language, name and address as written come from it), and
            // classify the person.
            var notified: [Person] = []
            notified.reserveCapacity(entries.count)
            var index = 0
            while index < entries.count {
                let first = Int(entries[index].offset)
                var held = UInt64(littleEndian: UnsafeRawPointer(base + first + 5).loadUnaligned(as: UInt64.self))
                var flags = base[first + 4]
                var next = index + 1
                while next < entries.count, compareKeys(entries[index], entries[next]) == 0 {
                    let other = Int(entries[next].offset)
                    held |= UInt64(littleEndian: UnsafeRawPointer(base + other + 5).loadUnaligned(as: UInt64.self))
                    flags |= base[other + 4]
                    processed.counts.duplicate += 1
                    next += 1
                }
                index = next
                if flags & 1 == 0 {
                    processed.counts.collectedOnOrAfter += 1
                } else if held & plan.categories == 0 {
                    processed.counts.notAffected += 1
                } else {
                    processed.counts.notified += 1
                    if flags & 2 != 0 { processed.counts.notifiedWithoutDate += 1 }
                    if flags & 4 != 0 { processed.counts.notifiedObjectedOrRestricted += 1 }
                    processed.byLanguage[Int(base[first + 3])] += 1
                    notified.append(Person(held: held, offset: UInt32(first)))
                }
            }
            entries = []
            // The run (`Selection.RunRecord`).
            var run: [UInt8] = []
            run.reserveCapacity(notified.count * 48)
            for person in notified {
                let record = Int(person.offset)
                let keyLength = Int(base[record]), originalLength = Int(base[record + 1]), nameLength = Int(base[record + 2])
                let key = base + record + Record.header
                // The same layout as a partition's record without flags: the address as written is only
                // stored when it differs from the folded one.
                run.append(contentsOf: UnsafeBufferPointer(start: base + record, count: 4))   // the lengths, the language
                withUnsafeBytes(of: (person.held & plan.categories).littleEndian) { run.append(contentsOf: $0) }
                run.append(contentsOf: UnsafeBufferPointer(start: key, count: keyLength + originalLength + nameLength))
            }
            if runBudget.take(run.count) {
                processed.run = .memory(RunBuffer(run))
            } else {
                processed.run = .spilled(try run.withUnsafeBytes { try spill.append($0) })
            }
            return processed
        }
    }

    /// The first 12 bytes of a folded address as two big-endian numbers, zero-padded, and where its record is: 16
    /// bytes an entry. (16 bytes of key, 24 an entry, measured the same.)
    struct SortEntry {
        var high: UInt64
        var low: UInt32
        var offset: UInt32

        init(_ key: UnsafePointer<UInt8>, length: Int, offset: UInt32) {
            let prefix = keyPrefix(key, length: length)
            high = prefix.high
            low = UInt32(truncatingIfNeeded: prefix.low >> 32)
            self.offset = offset
        }
    }
}

/// The first 16 bytes of a folded address as two big-endian numbers, zero-padded: comparing them compares the
/// addresses' starts (a folded address holds no zero byte, so a key that is a prefix of a longer one comes first).
@inline(__always) func keyPrefix(_ key: UnsafePointer<UInt8>, length: Int) -> (high: UInt64, low: UInt64) {
    if length >= 16 {
        return (UInt64(bigEndian: UnsafeRawPointer(key).loadUnaligned(as: UInt64.self)),
                UInt64(bigEndian: UnsafeRawPointer(key + 8).loadUnaligned(as: UInt64.self)))
    }
    var high: UInt64 = 0, low: UInt64 = 0
    for index in 0..<8 { high = high << 8 | UInt64(index < length ? key[index] : 0) }
    for index in 8..<16 { low = low << 8 | UInt64(index < length ? key[index] : 0) }
    return (high, low)
}

public struct Reject: Sendable, Hashable {
    public var row: Int
    public var reason: String
}

/// Bytes that may still be kept in memory, shared by the threads that process partitions. Which partitions keep
/// their run in memory depends on timing; what is read out does not.
final class MemoryBudget: @unchecked Sendable {
    private let lock = NSLock()
    private var left: Int

    init(_ bytes: Int) { left = bytes }

    func take(_ bytes: Int) -> Bool {
        lock.withLock {
            guard bytes <= left else { return false }
            left -= bytes
            return true
        }
    }
}

/// A sorted run kept in memory, at a fixed address so that the merge reads it in place.
final class RunBuffer: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    let count: Int

    init(_ bytes: [UInt8]) {
        count = bytes.count
        base = .allocate(capacity: max(1, bytes.count))
        bytes.withUnsafeBufferPointer { if let source = $0.baseAddress { base.update(from: source, count: bytes.count) } }
    }

    deinit { base.deallocate() }
}

/// The outcome of selection: counts that add up to the rows read, the rejected rows, and the people to tell in a
/// stable order (read out in blocks, merged from the partitions' sorted runs).
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

    /// A partition's recipients, sorted: in memory, or a range of the temporary file.
    enum Run: Sendable {
        case memory(RunBuffer)
        case spilled(Range<Int>)
    }

    /// A run's record: `[key length][original length][name length][language][held: 8 bytes]`, then the folded
    /// address (the sort key), the address as written when it differs (else nothing: original length 0), and the
    /// name.
    enum RunRecord {
        static let header = 12
        static let largest = header + 255 * 3
    }

    public let plan: NotifyPlan
    public let counts: Counts
    /// True when the source gave no categories, so everyone was taken to hold every category.
    public let categoriesAssumed: Bool
    public let rejects: [Reject]
    let runs: [Run]
    let spill: SpillFile
    /// Recipients per language index of the vocabulary (0: no or an unknown language).
    public let byLanguage: [Int]

    init(plan: NotifyPlan, counts: Counts, categoriesAssumed: Bool, rejects: [Reject], runs: [Run], spill: SpillFile,
         byLanguage: [Int]) {
        self.plan = plan
        self.counts = counts
        self.categoriesAssumed = categoriesAssumed
        self.rejects = rejects
        self.runs = runs
        self.spill = spill
        self.byLanguage = byLanguage
    }

    public var count: Int { counts.notified }

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

    /// A recipient as stored: views of a block's bytes, valid during the call.
    public struct RawRecipient {
        public var address: UnsafeBufferPointer<UInt8>
        public var name: UnsafeBufferPointer<UInt8>
        public var language: UInt8
        /// The categories held that some change concerns.
        public var held: UInt64
    }

    /// Consecutive recipients in order, their run records copied together.
    public struct Block: Sendable {
        var bytes: [UInt8] = []
        public internal(set) var count = 0

        public func forEach(_ body: (RawRecipient) throws -> Void) rethrows {
            try bytes.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                var offset = 0
                while offset < buffer.count {
                    let keyLength = Int(base[offset]), originalLength = Int(base[offset + 1]), nameLength = Int(base[offset + 2])
                    let held = UInt64(littleEndian: UnsafeRawPointer(base + offset + 4).loadUnaligned(as: UInt64.self))
                    let key = base + offset + RunRecord.header
                    let address = originalLength > 0 ? UnsafeBufferPointer(start: key + keyLength, count: originalLength)
                                                     : UnsafeBufferPointer(start: key, count: keyLength)
                    try body(RawRecipient(address: address, name: UnsafeBufferPointer(start: key + keyLength + originalLength, count: nameLength),
                                          language: base[offset + 3], held: held))
                    offset += RunRecord.header + keyLength + originalLength + nameLength
                }
            }
        }
    }

    /// The recipients in order, `size` at a time.
    public func blocks(size: Int = 8_192) -> Blocks { Blocks(selection: self, size: max(1, size)) }

    /// Reads the runs and merges them by folded address. Every address is in exactly one run (its partition's), so no
    /// two records compare equal and the order is total.
    ///
    /// A loser tree (Knuth, TAOCP 5.4.1): taking a record costs one comparison per level on the way from its run to
    /// the root (6 for 64 runs), against two per level for a binary heap. The first 16 bytes of each run's current
    /// key are kept as two big-endian numbers beside the tree, so most comparisons are integer ones.
    public struct Blocks {
        let size: Int
        var cursors: [Cursor]
        /// `tree[0]` is the run holding the smallest current key; `tree[1...]` hold the losers of each match.
        /// -1 is a virtual run smaller than every key, used only while the tree is built.
        var tree: [Int]
        /// Per run: the first 16 bytes of its current key (zero-padded), and whether it is exhausted.
        var high: [UInt64]
        var low: [UInt64]
        var done: [Bool]
        var started = false

        init(selection: Selection, size: Int) {
            self.size = size
            cursors = selection.runs.map { Cursor(run: $0, spill: selection.spill) }
            tree = Array(repeating: -1, count: max(1, cursors.count))
            high = Array(repeating: 0, count: cursors.count)
            low = Array(repeating: 0, count: cursors.count)
            done = Array(repeating: true, count: cursors.count)
        }

        /// The next block, or nil after the last.
        public mutating func next() throws -> Block? {
            guard !cursors.isEmpty else { return nil }
            if !started {
                started = true
                for index in cursors.indices {
                    try cursors[index].start()
                    load(index)
                }
                for index in cursors.indices.reversed() { replay(index) }
            }
            guard !done[tree[0]] else { return nil }
            var block = Block()
            block.bytes.reserveCapacity(size * 64)
            while block.count < size {
                let top = tree[0]
                if done[top] { break }
                cursors[top].appendCurrent(to: &block.bytes)
                block.count += 1
                try cursors[top].advance()
                load(top)
                replay(top)
            }
            return block
        }

        mutating func load(_ index: Int) {
            let cursor = cursors[index]
            done[index] = cursor.isDone
            (high[index], low[index]) = cursor.prefix()
        }

        /// Whether run `a`'s current key comes before run `b`'s; an exhausted run comes after every other.
        @inline(__always) func less(_ a: Int, _ b: Int) -> Bool {
            if a < 0 { return true }
            if b < 0 { return false }
            if done[a] { return false }
            if done[b] { return true }
            if high[a] != high[b] { return high[a] < high[b] }
            if low[a] != low[b] { return low[a] < low[b] }
            return cursors[a].precedes(cursors[b])
        }

        /// Plays run `leaf`'s new key from its leaf to the root: at each match the winner goes on, the loser stays.
        mutating func replay(_ leaf: Int) {
            var winner = leaf
            var node = (leaf + cursors.count) >> 1
            while node > 0 {
                if less(tree[node], winner) { swap(&tree[node], &winner) }
                node >>= 1
            }
            tree[0] = winner
        }
    }

    /// A position in one run. A spilled run is read through a window of 256 KB; a run in memory is read in place.
    final class Cursor {
        static let window = 256 << 10
        let spill: SpillFile
        /// Keeps a run in memory alive while it is read.
        let run: RunBuffer?
        let bytes: UnsafeMutablePointer<UInt8>
        /// Valid bytes at `bytes`.
        var end: Int
        /// The part of the run not yet read into the window (spilled runs).
        var unread: Range<Int>
        var position = 0

        init(run: Run, spill: SpillFile) {
            self.spill = spill
            switch run {
            case .memory(let buffer):
                self.run = buffer
                bytes = buffer.base
                end = buffer.count
                unread = 0..<0
            case .spilled(let range):
                self.run = nil
                bytes = .allocate(capacity: Self.window + RunRecord.largest)
                end = 0
                unread = range
            }
        }

        deinit { if run == nil { bytes.deallocate() } }

        var isDone: Bool { position >= end && unread.isEmpty }

        func start() throws {
            try refill()
        }

        /// Keeps at least one whole record ahead of `position` while the run has more.
        func refill() throws {
            guard !unread.isEmpty, end - position < RunRecord.largest else { return }
            let left = end - position
            if left > 0 { bytes.update(from: bytes + position, count: left) }
            position = 0
            end = left
            let take = unread.lowerBound..<min(unread.upperBound, unread.lowerBound + Self.window)
            try spill.read(take, into: UnsafeMutableRawPointer(bytes + end))
            end += take.count
            unread = take.upperBound..<unread.upperBound
        }

        var recordSize: Int {
            RunRecord.header + Int(bytes[position]) + Int(bytes[position + 1]) + Int(bytes[position + 2])
        }

        /// The first 16 bytes of the current key (`keyPrefix`).
        func prefix() -> (UInt64, UInt64) {
            guard position < end else { return (0, 0) }
            let prefix = keyPrefix(bytes + position + RunRecord.header, length: Int(bytes[position]))
            return (prefix.high, prefix.low)
        }

        func appendCurrent(to out: inout [UInt8]) {
            out.append(contentsOf: UnsafeBufferPointer(start: bytes + position, count: recordSize))
        }

        func advance() throws {
            position += recordSize
            try refill()
        }

        /// The whole keys compared, for when their first 16 bytes are equal.
        func precedes(_ other: Cursor) -> Bool {
            let la = Int(bytes[position]), lb = Int(other.bytes[other.position])
            let order = memcmp(bytes + position + RunRecord.header, other.bytes + other.position + RunRecord.header, min(la, lb))
            return order != 0 ? order < 0 : la < lb
        }
    }

    /// The recipients in order, one at a time.
    public func forEach(_ body: (Recipient) throws -> Void) throws {
        var iterator = blocks()
        while let block = try iterator.next() {
            try block.forEach { raw in
                try body(Recipient(address: String(decoding: raw.address, as: UTF8.self), name: String(decoding: raw.name, as: UTF8.self),
                                   language: raw.language, changes: plan.changes(concerning: raw.held)))
            }
        }
    }

    public var recipients: [Recipient] {
        get throws {
            var all: [Recipient] = []
            try forEach { all.append($0) }
            return all
        }
    }
}

extension Notify {
    /// Reads every customer of `source` and selects whom to tell: the per-row work on all cores, the partitioning in
    /// input order, then each partition on a core.
    public static func select(plan: NotifyPlan, source: some CustomerSource) throws -> Selection {
        var selector = Selector(plan: plan)
        selector.reserve(people: source.estimatedCount)
        try source.read(vocabulary: plan.vocabulary, prepare: { Selector.prepare($0, plan: plan) }, consume: { try selector.consume($0) })
        return try selector.finish()
    }

    /// The same with the partitioning a test chooses (to take a large export's paths on a small one).
    static func select(plan: NotifyPlan, source: some CustomerSource, partitionBits: Int, blockSize: Int) throws -> Selection {
        var selector = Selector(plan: plan, partitionBits: partitionBits, blockSize: blockSize)
        try source.read(vocabulary: plan.vocabulary, prepare: { Selector.prepare($0, plan: plan) }, consume: { try selector.consume($0) })
        return try selector.finish()
    }
}
