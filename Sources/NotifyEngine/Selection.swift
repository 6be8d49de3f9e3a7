import Foundation
import NotifyCore
import PolicyBase

/// One chunk of customers after the per-row work that can run in parallel: addresses checked, trimmed and folded,
/// hashed; names cleaned; categories held before the effective date worked out.
public struct PreparedBatch: Sendable {
    /// Folded addresses, then (when different) the address as written, then the cleaned name, per candidate row.
    var bytes: [UInt8] = []
    var rows: [Row] = []
    var categoriesKnown: Bool
    /// Rows whose name was longer than `CustomerName.longest` and was cut.
    var namesCut = 0

    struct Row: Sendable {
        var row: Int
        /// Why the row takes no part in merging (invalid or erased); nil when it does.
        var outcome: NotToldReason?
        var hash: UInt64 = 0
        var key: Range<Int> = 0..<0
        /// Empty when the address as written equals the folded one.
        var original: Range<Int> = 0..<0
        var name: Range<Int> = 0..<0
        var language: UInt8 = 0
        /// Days since 1970-01-01 of the collection; nil when the row gives none (`WhoIsTold.speaksInstead`).
        var collected: Int32?
        /// What the row says was held before the version takes effect (`WhoIsTold.admit`).
        var claim = Claim(held: 0, collectedBefore: false, withoutDate: false, objectedOrRestricted: false)
    }
}

/// Selection of an export of any size: a version's plan and a stream of customers in, the people to tell out.
///
/// Who is told is `WhoIsTold`'s to say (NotifyCore): `prepare` admits each row with `WhoIsTold.admit` on the values
/// it has read (the address trimmed and checked here on bytes), and `process` merges each address's rows with
/// `WhoIsTold.merge` and decides the person with `WhoIsTold.decide`. What is here only finds the rows of an address
/// and keeps memory bounded; `Tests/NotifyEngineTests` and the `notify-engine` fuzz target hold it to
/// `ReferenceSelector`.
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
    /// [held: 8 bytes][reach: 8 bytes][collected: 4 bytes]` then the folded address, the address as written (when it
    /// differs) and the name. Flags: bit 0, collected before; bit 1, no collection date; bit 2, objected or
    /// restricted. `collected` is days since 1970-01-01, `noDate` when the row gives none.
    enum Record {
        static let header = 25
        static let noDate = Int32.min

        @inline(__always) static func claim(at record: UnsafePointer<UInt8>) -> Claim {
            claim(
                held: UInt64(littleEndian: UnsafeRawPointer(record + 5).loadUnaligned(as: UInt64.self)),
                flags: record[4],
                reach: UInt64(littleEndian: UnsafeRawPointer(record + 13).loadUnaligned(as: UInt64.self)))
        }

        @inline(__always) static func collected(_ record: UnsafePointer<UInt8>) -> Int32? {
            let value = Int32(littleEndian: UnsafeRawPointer(record + 21).loadUnaligned(as: Int32.self))
            return value == noDate ? nil : value
        }

        @inline(__always) static func flags(_ claim: Claim) -> UInt8 {
            (claim.collectedBefore ? 1 : 0) | (claim.withoutDate ? 2 : 0) | (claim.objectedOrRestricted ? 4 : 0)
        }

        @inline(__always) static func claim(held: UInt64, flags: UInt8, reach: UInt64) -> Claim {
            Claim(
                held: held, collectedBefore: flags & 1 != 0, withoutDate: flags & 2 != 0,
                objectedOrRestricted: flags & 4 != 0, reach: reach)
        }
    }

    /// A person of a partition to tell: the categories their rows held that some change concerns (`Verdict.told`),
    /// and the record that speaks for them (language, address and name come from it: `NotifyCore.Person`'s speaker).
    struct Person {
        var held: UInt64
        var reach: UInt64
        var offset: UInt32
    }

    /// About this many people a partition, for an export of the size estimated.
    static let peoplePerPartition = 100_000
    /// 2^8 partitions for a source that cannot tell its size.
    static let unknownSizeBits = 8

    package var partitionBits = 0
    var partitions: [Partition] = [Partition()]
    /// A partition's records go to the temporary file when they reach this size: all partitions together hold at
    /// most `memoryBudget` (an export of up to about a million rows never touches the disk).
    package var blockSize = 128 << 10
    static let memoryBudget = 64 << 20
    /// Of a large export, sorted runs stay in memory up to this size altogether; the rest are spilled.
    static let runBudget = 64 << 20
    let spill = SpillFile()
    var rows = 0
    var namesCut = 0
    var erased = 0
    var rejects: [Reject] = []
    var categoriesKnown: Bool?

    public init(plan: NotifyPlan) { self.plan = plan }

    /// With `2^partitionBits` partitions that spill at `blockSize` bytes: tests use this to take the paths a large
    /// export takes.
    package init(plan: NotifyPlan, partitionBits: Int, blockSize: Int) {
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
            hash =
                (hash ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
            index += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
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
        batch.bytes.withUnsafeBufferPointer { source in
            for entry in batch.entries {
                var row = PreparedBatch.Row(row: entry.row, outcome: nil)
                // Trim spaces, tabs and no-break spaces (U+00A0) around the address.
                var start = entry.email.lowerBound
                var end = entry.email.upperBound
                while start < end {
                    if source[start] == 0x20 || source[start] == 0x09 {
                        start += 1
                    } else if source[start] == 0xC2, start + 1 < end, source[start + 1] == 0xA0 {
                        start += 2
                    } else {
                        break
                    }
                }
                while end > start {
                    if source[end - 1] == 0x20 || source[end - 1] == 0x09 {
                        end -= 1
                    } else if source[end - 1] == 0xA0, end - 2 >= start, source[end - 2] == 0xC2 {
                        end -= 2
                    } else {
                        break
                    }
                }
                let address = UnsafeBufferPointer(rebasing: source[start..<end])
                // The rule decides on the values read; what follows only stores the row for merging.
                let admission = WhoIsTold.admit(
                    addressProblem: EmailAddress.problem(address), status: entry.status,
                    collected: entry.collected, categories: entry.categories,
                    categoriesKnown: batch.categoriesKnown, plan: plan, services: entry.services,
                    regions: entry.regions)
                switch admission {
                case .notTold(let reason):
                    row.outcome = reason
                    prepared.rows.append(row)
                    continue
                case .claim(let claim):
                    row.claim = claim
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
                if CustomerName.appendClean(UnsafeBufferPointer(rebasing: source[entry.name]), to: &prepared.bytes) {
                    prepared.namesCut += 1
                }
                row.name = nameStart..<prepared.bytes.count
                row.language = entry.language
                row.collected = entry.collected
                prepared.rows.append(row)
            }
        }
        return prepared
    }

    /// Takes one prepared batch; batches must come in input order. Throws when the temporary file cannot be written.
    public mutating func consume(_ batch: PreparedBatch) throws {
        if categoriesKnown == nil { categoriesKnown = batch.categoriesKnown }
        rows += batch.rows.count
        namesCut += batch.namesCut
        let shift = UInt64(64 - partitionBits)
        try batch.bytes.withUnsafeBufferPointer { bytes in
            for row in batch.rows {
                if let reason = row.outcome {
                    if case .invalidAddress(let problem) = reason {
                        rejects.append(Reject(row: row.row, reason: problem.rawValue))
                    } else {
                        erased += 1
                    }
                    continue
                }
                let flags = Record.flags(row.claim)
                let index = partitionBits == 0 ? 0 : Int(truncatingIfNeeded: row.hash >> shift)
                if partitions[index].tail.capacity == 0 {
                    // Room for a block and one more record, so the buffer never doubles past the budget.
                    partitions[index].tail.reserveCapacity(blockSize + Record.header + 3 * 255)
                }
                Self.appendRecord(
                    to: &partitions[index].tail, key: UnsafeBufferPointer(rebasing: bytes[row.key]),
                    original: UnsafeBufferPointer(rebasing: bytes[row.original]),
                    name: UnsafeBufferPointer(rebasing: bytes[row.name]),
                    language: row.language, flags: flags, held: row.claim.held, reach: row.claim.reach,
                    collected: row.collected)
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

    static func appendRecord(
        to out: inout [UInt8], key: UnsafeBufferPointer<UInt8>, original: UnsafeBufferPointer<UInt8>,
        name: UnsafeBufferPointer<UInt8>, language: UInt8, flags: UInt8, held: UInt64, reach: UInt64,
        collected: Int32?
    ) {
        precondition(
            key.count < 256 && original.count < 256 && name.count < 256, "addresses ≤ 254 and names ≤ 200 bytes")
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Record.header) { header in
            header[0] = UInt8(key.count)
            header[1] = UInt8(original.count)
            header[2] = UInt8(name.count)
            header[3] = language
            header[4] = flags
            UnsafeMutableRawPointer(header.baseAddress! + 5).storeBytes(of: held.littleEndian, as: UInt64.self)
            UnsafeMutableRawPointer(header.baseAddress! + 13).storeBytes(of: reach.littleEndian, as: UInt64.self)
            UnsafeMutableRawPointer(header.baseAddress! + 21).storeBytes(
                of: (collected ?? Record.noDate).littleEndian, as: Int32.self)
            out.append(contentsOf: header)
        }
        // `prepare` wrote key, original and name one after the other: one copy.
        if original.isEmpty || original.baseAddress == key.baseAddress! + key.count,
            name.isEmpty || name.baseAddress == key.baseAddress! + key.count + original.count
        {
            out.append(
                contentsOf: UnsafeBufferPointer(start: key.baseAddress, count: key.count + original.count + name.count))
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
            counts.add(processed.counts)
            for index in byLanguage.indices { byLanguage[index] += processed.byLanguage[index] }
            if processed.counts.notified > 0 { runs.append(processed.run) }
        }
        if getenv("POLICYC_NOTIFY_TIMING") != nil {
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
            FileHandle.standardError.write(
                Data("timing: \(count) partitions, temporary file \(spill.size >> 20) MB; \(peak)\n".utf8))
        }
        return Selection(
            plan: plan, counts: counts, categoriesAssumed: !(categoriesKnown ?? false),
            rejects: rejects.sorted { $0.row < $1.row }, runs: runs, spill: spill, byLanguage: byLanguage,
            namesCut: namesCut)
    }

    struct Processed: Sendable {
        var counts = Selection.Counts()
        var byLanguage: [Int]
        var run: Selection.Run = .memory(RunBuffer([]))
    }

    /// A partition's records in one buffer: its blocks read back from the temporary file, then its tail.
    static func gather(_ part: borrowing Partition, total: Int, spill: SpillFile) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
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
    }

    /// One partition: its rows merged into people (`WhoIsTold.speaksInstead` picks the row that speaks), classified,
    /// and those
    /// to tell sorted into a run.
    static func process(_ part: consuming Partition, plan: NotifyPlan, spill: SpillFile, runBudget: MemoryBudget) throws
        -> Processed
    {
        var processed = Processed(byLanguage: Array(repeating: 0, count: plan.vocabulary.languages.count))
        let total = part.blocks.reduce(part.tail.count) { $0 + $1.count }
        let recordCount = part.records
        guard total > 0 else { return processed }
        let records = try gather(part, total: total, spill: spill)
        part = Partition()  // the tail is in `records` now
        precondition(records.count < 1 << 32, "a partition over 4 GB")
        return try records.withUnsafeBufferPointer { buffer -> Processed in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return processed }
            // Every record, sorted by folded address and, for the rows of one address, by input order: the rows of a
            // person are then side by side, the first one first. (Sorting costs less than merging in a hash table
            // first: docs/performance.md.)
            var entries: [SortEntry] = []
            entries.reserveCapacity(recordCount)
            var offset = 0
            while offset < buffer.count {
                entries.append(
                    SortEntry(base + offset + Record.header, length: Int(base[offset]), offset: UInt32(offset)))
                offset += Record.header + Int(base[offset]) + Int(base[offset + 1]) + Int(base[offset + 2])
            }
            @inline(__always) func compareKeys(_ a: SortEntry, _ b: SortEntry) -> Int32 {
                if a.high != b.high { return a.high < b.high ? -1 : 1 }
                if a.low != b.low { return a.low < b.low ? -1 : 1 }
                let ra = Int(a.offset)
                let rb = Int(b.offset)
                let la = Int(base[ra])
                let lb = Int(base[rb])
                let order = memcmp(base + ra + Record.header, base + rb + Record.header, min(la, lb))
                if order != 0 { return order }
                return la == lb ? 0 : (la < lb ? -1 : 1)
            }
            entries.sort { a, b in
                let order = compareKeys(a, b)
                return order != 0 ? order < 0 : a.offset < b.offset
            }
            // Merge each address's rows, in input order, into the one that speaks (language, name and address as
            // written come from it), and decide the person, all by the rule (`WhoIsTold`).
            var notified: [Person] = []
            notified.reserveCapacity(entries.count)
            var index = 0
            while index < entries.count {
                var speaker = Int(entries[index].offset)
                var spoken = Record.collected(base + speaker)
                var merged = Record.claim(at: base + speaker)
                var next = index + 1
                while next < entries.count, compareKeys(entries[index], entries[next]) == 0 {
                    let later = Int(entries[next].offset)
                    merged = WhoIsTold.merge(merged, Record.claim(at: base + later))
                    let collected = Record.collected(base + later)
                    if WhoIsTold.speaksInstead(later: collected, speaker: spoken) {
                        speaker = later
                        spoken = collected
                    }
                    processed.counts.count(.duplicate)
                    next += 1
                }
                index = next
                let verdict = WhoIsTold.decide(merged, plan: plan)
                processed.counts.count(verdict, claim: merged)
                if case .told(let categories, let reach) = verdict {
                    processed.byLanguage[Int(base[speaker + 3])] += 1
                    notified.append(Person(held: categories, reach: reach, offset: UInt32(speaker)))
                }
            }
            entries = []
            let run = Self.run(of: notified, records: base, plan: plan)
            if runBudget.take(run.count) {
                processed.run = .memory(RunBuffer(run))
            } else {
                processed.run = .spilled(try run.withUnsafeBytes { try spill.append($0) })
            }
            return processed
        }
    }

    /// The run of a partition's people to tell (`Selection.RunRecord`), from their speaking records in `records`.
    static func run(of notified: [Person], records base: UnsafePointer<UInt8>, plan: NotifyPlan) -> [UInt8] {
        var run: [UInt8] = []
        run.reserveCapacity(notified.count * 48)
        for person in notified {
            let record = Int(person.offset)
            let keyLength = Int(base[record])
            let originalLength = Int(base[record + 1])
            let nameLength = Int(base[record + 2])
            let key = base + record + Record.header
            // The same layout as a partition's record without flags: the address as written is only
            // stored when it differs from the folded one.
            run.append(contentsOf: UnsafeBufferPointer(start: base + record, count: 4))  // the lengths, the language
            withUnsafeBytes(of: (person.held & plan.categories).littleEndian) { run.append(contentsOf: $0) }
            withUnsafeBytes(of: person.reach.littleEndian) { run.append(contentsOf: $0) }
            run.append(contentsOf: UnsafeBufferPointer(start: key, count: keyLength + originalLength + nameLength))
        }
        return run
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
        return (
            UInt64(bigEndian: UnsafeRawPointer(key).loadUnaligned(as: UInt64.self)),
            UInt64(bigEndian: UnsafeRawPointer(key + 8).loadUnaligned(as: UInt64.self))
        )
    }
    var high: UInt64 = 0
    var low: UInt64 = 0
    for index in 0..<8 { high = high << 8 | UInt64(index < length ? key[index] : 0) }
    for index in 8..<16 { low = low << 8 | UInt64(index < length ? key[index] : 0) }
    return (high, low)
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
package final class RunBuffer: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    let count: Int

    init(_ bytes: [UInt8]) {
        count = bytes.count
        base = .allocate(capacity: max(1, bytes.count))
        bytes.withUnsafeBufferPointer {
            if let source = $0.baseAddress { base.update(from: source, count: bytes.count) }
        }
    }

    deinit { base.deallocate() }
}

/// The outcome of selection: counts that add up to the rows read, the rejected rows, and the people to tell in a
/// stable order (read out in blocks, merged from the partitions' sorted runs).
public struct Selection: SelectedRecipients, @unchecked Sendable {
    public typealias Counts = SelectionCounts

    /// A partition's recipients, sorted: in memory, or a range of the temporary file.
    package enum Run: Sendable {
        case memory(RunBuffer)
        case spilled(Range<Int>)
    }

    /// A run's record: `[key length][original length][name length][language][held: 8 bytes][reach: 8 bytes]`, then
    /// the folded address (the sort key), the address as written when it differs (else nothing: original length 0),
    /// and the name.
    enum RunRecord {
        static let header = 20
        static let largest = header + 255 * 3
    }

    public let plan: NotifyPlan
    public let counts: Counts
    /// True when the source gave no categories, so everyone was taken to hold every category.
    public let categoriesAssumed: Bool
    public let rejects: [Reject]
    package let runs: [Run]
    package let spill: SpillFile
    /// Recipients per language index of the vocabulary (0: no or an unknown language).
    public let byLanguage: [Int]
    /// Rows whose name was cut to `CustomerName.longest` bytes (said in the summary, docs/notify.md "Limits").
    public let namesCut: Int

    init(
        plan: NotifyPlan, counts: Counts, categoriesAssumed: Bool, rejects: [Reject], runs: [Run], spill: SpillFile,
        byLanguage: [Int], namesCut: Int
    ) {
        self.namesCut = namesCut
        self.plan = plan
        self.counts = counts
        self.categoriesAssumed = categoriesAssumed
        self.rejects = rejects
        self.runs = runs
        self.spill = spill
        self.byLanguage = byLanguage
    }

    public var count: Int { counts.notified }

    public typealias Recipient = NotifyCore.Recipient

    /// A recipient as stored: views of a block's bytes, valid during the call.
    public struct RawRecipient {
        public var address: UnsafeBufferPointer<UInt8>
        public var name: UnsafeBufferPointer<UInt8>
        public var language: UInt8
        /// The categories held that some change concerns.
        public var held: UInt64
        /// The changes in the person's scope (`Claim.reach`).
        public var reach: UInt64
    }

    /// Consecutive recipients in order, their run records copied together.
    public struct Block: Sendable {
        var bytes: [UInt8] = []
        public internal(set) var count = 0

        public func forEachRecipient(_ body: (RawRecipient) throws -> Void) rethrows {
            try bytes.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                var offset = 0
                while offset < buffer.count {
                    let keyLength = Int(base[offset])
                    let originalLength = Int(base[offset + 1])
                    let nameLength = Int(base[offset + 2])
                    let held = UInt64(littleEndian: UnsafeRawPointer(base + offset + 4).loadUnaligned(as: UInt64.self))
                    let reach = UInt64(
                        littleEndian: UnsafeRawPointer(base + offset + 12).loadUnaligned(as: UInt64.self))
                    let key = base + offset + RunRecord.header
                    let address =
                        originalLength > 0
                        ? UnsafeBufferPointer(start: key + keyLength, count: originalLength)
                        : UnsafeBufferPointer(start: key, count: keyLength)
                    try body(
                        RawRecipient(
                            address: address,
                            name: UnsafeBufferPointer(start: key + keyLength + originalLength, count: nameLength),
                            language: base[offset + 3], held: held, reach: reach))
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
            let la = Int(bytes[position])
            let lb = Int(other.bytes[other.position])
            let order = memcmp(
                bytes + position + RunRecord.header, other.bytes + other.position + RunRecord.header, min(la, lb))
            return order != 0 ? order < 0 : la < lb
        }
    }

    /// The recipients in order, one at a time.
    public func forEachRecipient(_ body: (Recipient) throws -> Void) throws {
        var iterator = blocks()
        while let block = try iterator.next() {
            try block.forEachRecipient { raw in
                try body(
                    Recipient(
                        address: String(decoding: raw.address, as: UTF8.self),
                        name: String(decoding: raw.name, as: UTF8.self),
                        language: raw.language, changes: plan.changes(concerning: raw.held, reach: raw.reach)))
            }
        }
    }

    public var recipients: [Recipient] {
        get throws {
            var all: [Recipient] = []
            try forEachRecipient { all.append($0) }
            return all
        }
    }
}

/// The engine behind `CustomerSelector`: selection of an export of any size in bounded memory (`Selector`), the
/// decisions taken by `WhoIsTold`. A source that selects on its side (`.pushedDown`) skips the partitions: what it
/// hands over, checked, becomes the sorted runs.
public struct PartitionedSelector: CustomerSelector {
    /// 2^`partitionBits` partitions that spill to the temporary file at `blockSize` bytes (of a source that selects
    /// on its side, runs of `blockSize` bytes); nil: chosen from the source's estimated size. Tests lower them to take
    /// a large export's paths (spilling, several runs to merge) on a small one.
    public var partitionBits: Int?
    public var blockSize: Int?

    public init(partitionBits: Int? = nil, blockSize: Int? = nil) {
        self.partitionBits = partitionBits
        self.blockSize = blockSize
    }

    /// Reads every customer of `source` and selects whom to tell: the per-row work on all cores, the partitioning in
    /// input order, then each partition on a core.
    public func select(plan: NotifyPlan, source: some CustomerSource) throws -> Selection {
        if source.selection == .pushedDown {
            return try Selector.pushedDown(plan: plan, source: source, runSize: blockSize ?? Selector.pushedDownRun)
        }
        var selector: Selector
        if partitionBits != nil || blockSize != nil {
            selector = Selector(plan: plan, partitionBits: partitionBits ?? 0, blockSize: blockSize ?? (128 << 10))
        } else {
            selector = Selector(plan: plan)
            selector.reserve(people: source.estimatedCount)
        }
        try source.read(
            vocabulary: plan.vocabulary, prepare: { Selector.prepare($0, plan: plan) },
            consume: { try selector.consume($0) })
        return try selector.finish()
    }
}

extension Selector {
    /// Of a source that selected on its side, sorted runs of at most this size (the source's order is the output's,
    /// so runs cut from it one after the other merge back into it).
    static let pushedDownRun = 8 << 20

    /// The people a `.pushedDown` source selected, checked (`PushedDownCheck`) and stored as run records; runs past
    /// the first go to the temporary file, so memory stays bounded however many there are.
    static func pushedDown(plan: NotifyPlan, source: some CustomerSource, runSize: Int) throws -> Selection {
        var check = PushedDownCheck(plan: plan)
        let spill = SpillFile()
        var runs: [Selection.Run] = []
        var run: [UInt8] = []
        var name: [UInt8] = []
        var namesCut = 0
        var byLanguage = [Int](repeating: 0, count: plan.vocabulary.languages.count)
        let summary = try source.readSelected(PushDownQuery(plan: plan)) { batch in
            for customer in batch {
                let key = try check.check(customer)
                let original = Array(customer.email.utf8)
                name.removeAll(keepingCapacity: true)
                if Array(customer.name.utf8).withUnsafeBufferPointer({ CustomerName.appendClean($0, to: &name) }) {
                    namesCut += 1
                }
                run += [
                    UInt8(key.count), original == key ? 0 : UInt8(original.count), UInt8(name.count), customer.language,
                ]
                withUnsafeBytes(of: customer.categories.littleEndian) { run.append(contentsOf: $0) }
                // A source that selects on its side is asked by categories only: every change in reach.
                withUnsafeBytes(of: CustomerScope.unknown.littleEndian) { run.append(contentsOf: $0) }
                run += key
                if original != key { run += original }
                run += name
                byLanguage[Int(customer.language)] += 1
                if run.count >= runSize {
                    runs.append(.spilled(try run.withUnsafeBytes { try spill.append($0) }))
                    run.removeAll(keepingCapacity: true)
                }
            }
        }
        if !run.isEmpty { runs.append(.memory(RunBuffer(run))) }
        return Selection(
            plan: plan, counts: summary.counts, categoriesAssumed: summary.categoriesAssumed,
            rejects: summary.rejects.sorted { $0.row < $1.row }, runs: runs, spill: spill,
            byLanguage: byLanguage, namesCut: namesCut)
    }
}
