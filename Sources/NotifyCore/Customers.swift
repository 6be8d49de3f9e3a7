import Foundation
import PolicyModel

/// A customer's status in the shop's records.
public enum CustomerStatus: UInt8, Sendable, Hashable, CaseIterable {
    case active, erased, objected, restricted

    public var name: String {
        switch self {
        case .active: "active"
        case .erased: "erased"
        case .objected: "objected"
        case .restricted: "restricted"
        }
    }

    public init?(name: String) {
        guard let status = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = status
    }
}

/// What a customer source needs to know to encode rows compactly: the policy's category ids (a row's categories
/// become a bit set, bit `i` for `categories[i]`) and the languages that have a message (a row's language becomes an
/// index; 0 means "none of these", which selection maps to the original language).
public struct Vocabulary: Sendable, Hashable {
    public let categories: [String]
    /// Index 0 is unused (no language or an unknown one); `languages[i]` for i ≥ 1.
    public let languages: [String]
    let categoryBits: [String: UInt64]
    /// The ids and language tags as bytes, for the readers' per-row lookups (no `String` a field).
    let categoryBytes: [[UInt8]]
    let languageBytes: [[UInt8]]
    /// The policy's scope items (services, brands …) by id, and the regions its facts and controllers name: a
    /// customer's services and region become bit sets over these (VocabularyScope.swift).
    public let services: [String]
    public let regions: [String]

    public init(categories: [String], languages: [String], services: [String] = [], regions: [String] = []) {
        precondition(categories.count <= 64, "at most 64 data categories")
        precondition(services.count <= 64 && regions.count <= 64, "at most 64 services and 64 regions")
        self.services = services
        self.regions = regions
        self.categories = categories
        self.languages = [""] + languages
        var bits: [String: UInt64] = [:]
        for (index, id) in categories.enumerated() { bits[id] = 1 << UInt64(index) }
        self.categoryBits = bits
        self.categoryBytes = categories.map { Array($0.utf8) }
        self.languageBytes = self.languages.map { Array($0.utf8) }
    }

    /// The bit of a category id, or nil when the policy does not declare it.
    public func bit(ofCategory id: String) -> UInt64? { categoryBits[id] }

    /// The bit of a category id given as UTF-8 bytes, or nil when the policy does not declare it. A policy has a few
    /// dozen categories at most, so comparing with each beats hashing.
    public func bit(ofCategory id: UnsafeBufferPointer<UInt8>) -> UInt64? {
        for index in categoryBytes.indices where categoryBytes[index].count == id.count {
            let equal = categoryBytes[index].withUnsafeBufferPointer {
                memcmp($0.baseAddress!, id.baseAddress!, id.count) == 0
            }
            if equal { return 1 << UInt64(index) }
        }
        return nil
    }

    public var allCategories: UInt64 {
        categories.isEmpty ? 0 : (categories.count == 64 ? ~0 : (1 << UInt64(categories.count)) - 1)
    }

    /// The ids of the set bits, in the policy's order.
    public func categoryIds(_ mask: UInt64) -> [String] {
        categories.indices.filter { mask & (1 << UInt64($0)) != 0 }.map { categories[$0] }
    }

    /// `nl`, `NL`, `nl-NL`, `nl_BE`, ` nl ` → the index of `nl`; anything else → 0.
    public func languageIndex<Bytes: Collection<UInt8>>(_ raw: Bytes) -> UInt8 {
        var code: [UInt8] = []
        for byte in raw {
            if byte == 0x20 || byte == 0x09 { if code.isEmpty { continue } else { break } }
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") { break }
            guard code.count < 8 else { return 0 }
            code.append(byte | (byte >= 0x41 && byte <= 0x5A ? 0x20 : 0))
        }
        guard !code.isEmpty else { return 0 }
        for index in languageBytes.indices.dropFirst() where languageBytes[index] == code { return UInt8(index) }
        return 0
    }
}

/// Customers as a source hands them over: one batch per chunk of the input, the text of every row in one byte
/// buffer, so millions of rows cost no allocation each. Values are as read (email trimmed of spaces only), not yet
/// judged: validation, folding and selection are `Selection`'s.
public struct CustomerBatch: Sendable {
    /// The text of the rows: each entry's email and name are ranges in here (UTF-8).
    public var bytes: [UInt8] = []
    public var entries: [Entry] = []
    /// Whether the source knows which categories each customer holds (a categories column or derivation rules).
    /// When false, every customer is taken to hold every category.
    public var categoriesKnown: Bool

    public init(categoriesKnown: Bool) { self.categoriesKnown = categoriesKnown }

    public struct Entry: Sendable, Hashable {
        /// The row number in the source as its users count it (CSV: the header is row 1, line breaks inside quotes
        /// do not start a new row).
        public var row: Int
        public var email: Range<Int>
        public var name: Range<Int>
        /// Index into `Vocabulary.languages`; 0 when empty or not one of them.
        public var language: UInt8
        /// Days since 1970-01-01 of the first collection, or nil when the source does not say.
        public var collected: Int32?
        /// Bit set over `Vocabulary.categories`.
        public var categories: UInt64
        public var status: CustomerStatus
        /// Bit sets over `Vocabulary.services` (the customer's services) and `Vocabulary.regions` (the regions that
        /// contain where the customer lives); all bits when the source does not say (`CustomerScope.unknown`).
        public var services: UInt64
        public var regions: UInt64

        public init(
            row: Int, email: Range<Int>, name: Range<Int>, language: UInt8, collected: Int32?, categories: UInt64,
            status: CustomerStatus, services: UInt64 = CustomerScope.unknown, regions: UInt64 = CustomerScope.unknown
        ) {
            self.services = services
            self.regions = regions
            self.row = row
            self.email = email
            self.name = name
            self.language = language
            self.collected = collected
            self.categories = categories
            self.status = status
        }
    }

    /// Appends a row whose text is given as strings (tests and small sources).
    public mutating func append(
        row: Int, email: String, name: String, language: UInt8, collected: CalendarDate?,
        categories: UInt64, status: CustomerStatus, services: UInt64 = CustomerScope.unknown,
        regions: UInt64 = CustomerScope.unknown
    ) {
        let emailStart = bytes.count
        bytes.append(contentsOf: email.utf8)
        let nameStart = bytes.count
        bytes.append(contentsOf: name.utf8)
        entries.append(
            Entry(
                row: row, email: emailStart..<nameStart, name: nameStart..<bytes.count, language: language,
                collected: collected.map { Int32($0.daysSinceEpoch) }, categories: categories, status: status,
                services: services, regions: regions))
    }
}

/// A problem with the customer source that stops the run. Its message names the file, the row and the column,
/// never a customer's data.
public struct SourceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Where customers come from: a CSV export now, a database next. Each source lives in its own target; only those
/// targets read CSV or talk to a database.
///
/// A source hands over its customers in one of two ways (`selection`):
/// - `.rawRecords` (the CSV export): `read` hands over every record in input order, and selection applies
///   `WhoIsTold` to each. A source may split its input into chunks and run `prepare` on several chunks at once (both
///   cores); `consume` is called once per chunk, in input order, on one thread. So selection's per-row work runs in
///   parallel, and its merging (the set of addresses seen) stays sequential and deterministic.
/// - `.pushedDown` (a database that can run the rule as a query): `readSelected` gets the plan's terms
///   (`PushDownQuery`) and hands back only the people to tell, already merged, with the counts of every outcome.
public protocol CustomerSource {
    /// About how many customers the source holds, when it can tell cheaply; nil when it cannot (a pipe, a database
    /// cursor). Selection picks its number of partitions from it, and plans for a large source when it is nil.
    var estimatedCount: Int? { get }
    /// How the source hands over its customers; `.rawRecords` unless it says otherwise.
    var selection: SourceSelection { get }
    func read<Prepared: Sendable>(
        vocabulary: Vocabulary, prepare: @escaping @Sendable (CustomerBatch) -> Prepared,
        consume: (Prepared) throws -> Void) throws
    /// For a `.pushedDown` source: hands the people to tell to `consume` in batches, in byte order of their
    /// normalised address (`WhoIsTold.normalised`, one person an address), each the merge of their records as
    /// `WhoIsTold.merge` makes it, spoken for by the record `WhoIsTold.speaksInstead` picks, and told by
    /// `WhoIsTold.decide`; returns the counts of every outcome and the
    /// rejected rows. Selection checks what it is given (order, addresses, categories) and stops at the first fault.
    func readSelected(_ query: PushDownQuery, consume: ([SelectedCustomer]) throws -> Void) throws -> PushedDownSummary
}

extension CustomerSource {
    public var estimatedCount: Int? { nil }
    public var selection: SourceSelection { .rawRecords }
    public func readSelected(_ query: PushDownQuery, consume: ([SelectedCustomer]) throws -> Void) throws
        -> PushedDownSummary
    {
        throw SourceError("the customer source does not select on its side")
    }
}

/// How a source hands over its customers.
public enum SourceSelection: Sendable, Hashable {
    /// Every record as read; selection decides.
    case rawRecords
    /// Only the people to tell, selected and merged on the source's side.
    case pushedDown
}

/// What a source that selects on its side is asked: the plan's terms as values a query can bind.
public struct PushDownQuery: Sendable {
    public let vocabulary: Vocabulary
    /// Records collected on or after this date are not told; a record without a date counts as collected before.
    public let effective: CalendarDate
    /// The ids of the categories some `notify` change concerns, in the vocabulary's order, and their bits.
    public let affectedCategories: [String]
    public let affectedMask: UInt64
    /// Records with these statuses take no part, not even in merging (erased: the data is gone).
    public let excludedStatuses: [CustomerStatus]

    public init(plan: NotifyPlan) {
        vocabulary = plan.vocabulary
        effective = plan.effective
        affectedCategories = plan.vocabulary.categoryIds(plan.categories)
        affectedMask = plan.categories
        excludedStatuses = [.erased]
    }
}

/// One person a source selected on its side.
public struct SelectedCustomer: Sendable, Hashable {
    /// The speaking record's address (`WhoIsTold.speaksInstead`: the most recently collected), trimmed, as written.
    public var email: String
    /// The speaking record's name as read (selection puts it on one line).
    public var name: String
    /// Index into `Vocabulary.languages`; 0 when none of them.
    public var language: UInt8
    /// The categories held before the effective date that some change concerns (not empty: the person is told).
    public var categories: UInt64
    public var withoutDate: Bool
    public var objectedOrRestricted: Bool

    public init(
        email: String, name: String, language: UInt8, categories: UInt64, withoutDate: Bool,
        objectedOrRestricted: Bool
    ) {
        self.email = email
        self.name = name
        self.language = language
        self.categories = categories
        self.withoutDate = withoutDate
        self.objectedOrRestricted = objectedOrRestricted
    }
}

/// What a source that selected on its side reports besides the people: the counts of every outcome (they add up
/// to the rows it holds, as for a raw source), the rejected rows, and whether it assumed every category held.
public struct PushedDownSummary: Sendable, Hashable {
    public var counts: SelectionCounts
    public var rejects: [Reject]
    public var categoriesAssumed: Bool

    public init(counts: SelectionCounts, rejects: [Reject], categoriesAssumed: Bool) {
        self.counts = counts
        self.rejects = rejects
        self.categoriesAssumed = categoriesAssumed
    }
}

/// Checks what a `.pushedDown` source hands over, in order: each person's address must be usable, come after the
/// previous one's in normalised byte order, and hold a category a change concerns.
public struct PushedDownCheck {
    let plan: NotifyPlan
    var previous: [UInt8]?

    public init(plan: NotifyPlan) { self.plan = plan }

    /// The normalised address of `customer`, or an error naming what is wrong (never the customer's data).
    public mutating func check(_ customer: SelectedCustomer) throws -> [UInt8] {
        let address = Array(customer.email.utf8)
        guard WhoIsTold.trimmed(address) == address,
            address.withUnsafeBufferPointer({ EmailAddress.problem($0) }) == nil
        else {
            throw SourceError("the customer source selected a person without a usable address")
        }
        let key = WhoIsTold.normalised(address)
        if let previous, !previous.lexicographicallyPrecedes(key) {
            throw SourceError("the customer source handed over people out of address order, or one address twice")
        }
        guard customer.categories & plan.categories != 0, customer.categories & ~plan.categories == 0 else {
            throw SourceError("the customer source selected a person without a category a change concerns")
        }
        guard Int(customer.language) < plan.vocabulary.languages.count else {
            throw SourceError("the customer source gave a language index the vocabulary does not have")
        }
        previous = key
        return key
    }
}

/// Customers given in memory, for tests and for sources that are small. One batch.
public struct ListSource: CustomerSource {
    public struct Customer: Sendable {
        public var email: String
        public var name: String = ""
        public var language: String = ""
        public var collected: CalendarDate?
        /// Category ids; nil when unknown.
        public var categories: [String]?
        public var status: CustomerStatus = .active
        /// Scope item ids of the customer's services, and where they live; nil when unknown.
        public var services: [String]?
        public var region: String?

        public init(
            email: String, name: String = "", language: String = "", collected: CalendarDate? = nil,
            categories: [String]? = nil, status: CustomerStatus = .active, services: [String]? = nil,
            region: String? = nil
        ) {
            self.services = services
            self.region = region
            self.email = email
            self.name = name
            self.language = language
            self.collected = collected
            self.categories = categories
            self.status = status
        }
    }

    public var customers: [Customer]
    /// Rows per batch, to exercise the merging of batches in tests.
    public var batchSize: Int

    public init(_ customers: [Customer], batchSize: Int = 1000) {
        self.customers = customers
        self.batchSize = max(1, batchSize)
    }

    public var estimatedCount: Int? { customers.count }

    public func read<Prepared: Sendable>(
        vocabulary: Vocabulary, prepare: @escaping @Sendable (CustomerBatch) -> Prepared,
        consume: (Prepared) throws -> Void
    ) throws {
        let known = customers.contains { $0.categories != nil }
        var unknown = Set<String>()
        for start in stride(from: 0, to: customers.count, by: batchSize) {
            var batch = CustomerBatch(categoriesKnown: known)
            for (offset, customer) in customers[start..<min(customers.count, start + batchSize)].enumerated() {
                var mask: UInt64 = 0
                for id in customer.categories ?? [] {
                    if let bit = vocabulary.bit(ofCategory: id) { mask |= bit } else { unknown.insert(id) }
                }
                batch.append(
                    row: start + offset + 2, email: customer.email, name: customer.name,
                    language: vocabulary.languageIndex(Array(customer.language.utf8)), collected: customer.collected,
                    categories: mask, status: customer.status,
                    services: customer.services.map { vocabulary.serviceMask($0) } ?? CustomerScope.unknown,
                    regions: customer.region.map { vocabulary.regionMask($0) } ?? CustomerScope.unknown)
            }
            guard unknown.isEmpty else {
                throw SourceError(UnknownCategories.message(unknown, source: "the customer list"))
            }
            try consume(prepare(batch))
        }
    }
}

/// The error for category ids the policy does not declare. It lists the ids, since they say what is wrong with the
/// mapping; but a value that does not look like an id (a wrongly mapped column of names, say) is customer data, so
/// those are only counted.
public enum UnknownCategories {
    public static func message(_ unknown: Set<String>, source: String) -> String {
        let shown = unknown.filter(looksLikeId).sorted()
        let hidden = unknown.count - shown.count
        var parts = shown.prefix(10).map { "'\($0)'" }
        if shown.count > 10 { parts.append("\(shown.count - 10) more") }
        if hidden > 0 {
            parts.append("\(hidden) value\(hidden == 1 ? "" : "s") that \(hidden == 1 ? "is" : "are") not an id")
        }
        return
            "\(source) names categories the policy does not declare: \(parts.joined(separator: ", ")); check the categories column or the derive rules in policyc.yaml"
    }

    static func looksLikeId(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 40
            && text.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
            }
    }
}

/// A customer's name as the files show it.
public enum CustomerName {
    /// A name on one line: line breaks, tabs and other control characters become single spaces, runs of spaces one,
    /// and the ends are trimmed; at most `longest` bytes (cut at a character boundary). Returns whether it was cut.
    @discardableResult
    public static func appendClean(_ name: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        // The usual name needs no cleaning: copy it at once.
        if name.count <= longest, let first = name.first, first != 0x20, name[name.count - 1] != 0x20 {
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
                return false
            }
        }
        let start = out.count
        var pendingSpace = false
        var cut = false
        for byte in name {
            if byte < 0x20 || byte == 0x7F || byte == 0x20 {
                pendingSpace = out.count > start
                continue
            }
            if out.count - start >= longest {
                cut = true
                break
            }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            out.append(byte)
        }
        if cut { dropIncompleteCharacter(from: &out, start: start) }
        return cut
    }

    /// Removes a UTF-8 sequence cut short at the end of `out` (after `start`); a complete last character stays.
    static func dropIncompleteCharacter(from out: inout [UInt8], start: Int) {
        var lead = out.count - 1
        while lead > start, out[lead] & 0xC0 == 0x80 { lead -= 1 }
        guard lead >= start else { return }
        let byte = out[lead]
        let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
        if out.count - lead < length { out.removeSubrange(lead...) }
    }

    /// The longest name the files carry, in bytes (docs/notify.md, "Limits").
    public static let longest = 200

    /// The same for a name given as bytes.
    public static func clean(_ name: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        name.withUnsafeBufferPointer { appendClean($0, to: &out) }
        return out
    }
}
