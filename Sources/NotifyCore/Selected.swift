/// The outcome counts of a selection: every row has exactly one, so they add up to the rows read.
public struct SelectionCounts: Sendable, Hashable, Codable {
    public var rows = 0
    public var notified = 0
    public var notAffected = 0
    public var collectedOnOrAfter = 0
    public var erased = 0
    public var invalid = 0
    public var duplicate = 0
    /// Of the notified: people some record of whom gave no collection date (taken as collected before).
    public var notifiedWithoutDate = 0
    /// Of the notified: people who objected or whose processing is restricted (still told: the data is held).
    public var notifiedObjectedOrRestricted = 0

    public init() {}

    /// The outcomes, which add up to `rows`.
    public var outcomes: Int { notified + notAffected + collectedOnOrAfter + erased + invalid + duplicate }

    /// Counts one record not told for `reason` (invalid, erased or duplicate: the reasons of a single record).
    public mutating func count(_ reason: NotToldReason) {
        switch reason {
        case .invalidAddress: invalid += 1
        case .erased: erased += 1
        case .duplicate: duplicate += 1
        case .collectedOnOrAfter: collectedOnOrAfter += 1
        case .notAffected: notAffected += 1
        }
    }

    /// Counts one person's verdict, with what their merged claim says for the report.
    public mutating func count(_ verdict: Verdict, claim: Claim) {
        switch verdict {
        case .notTold(let reason):
            count(reason)
        case .told:
            notified += 1
            if claim.withoutDate { notifiedWithoutDate += 1 }
            if claim.objectedOrRestricted { notifiedObjectedOrRestricted += 1 }
        }
    }

    /// Adds another part's counts (a partition's, say).
    public mutating func add(_ other: SelectionCounts) {
        rows += other.rows
        notified += other.notified
        notAffected += other.notAffected
        collectedOnOrAfter += other.collectedOnOrAfter
        erased += other.erased
        invalid += other.invalid
        duplicate += other.duplicate
        notifiedWithoutDate += other.notifiedWithoutDate
        notifiedObjectedOrRestricted += other.notifiedObjectedOrRestricted
    }

    enum CodingKeys: String, CodingKey {
        case rows, notified, erased, invalid, duplicate
        case notAffected = "not-affected"
        case collectedOnOrAfter = "collected-on-or-after"
        case notifiedWithoutDate = "notified-without-date"
        case notifiedObjectedOrRestricted = "notified-objected-or-restricted"
    }
}

/// A row rejected for its address: its number and the reason, never its text.
public struct Reject: Sendable, Hashable {
    public var row: Int
    public var reason: String

    public init(row: Int, reason: String) {
        self.row = row
        self.reason = reason
    }
}

/// One person to tell.
public struct Recipient: Sendable, Hashable {
    /// The speaking record's address as written (trimmed): the most recently collected (`WhoIsTold.speaksInstead`).
    public var address: String
    /// The speaking record's name, on one line (`CustomerName`).
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

/// What a selection hands on to the files: counts, rejects, and the people to tell in order of their normalised
/// address (byte order).
public protocol SelectedRecipients {
    var counts: SelectionCounts { get }
    /// True when the source gave no categories, so everyone was taken to hold every category.
    var categoriesAssumed: Bool { get }
    /// By row.
    var rejects: [Reject] { get }
    func forEachRecipient(_ body: (Recipient) throws -> Void) throws
}

/// A way to select: the plain reference (`ReferenceSelector`) or the engine that handles exports of any size
/// (`PartitionedSelector` in NotifyEngine). Both must give the same counts, rejects and recipients.
public protocol CustomerSelector {
    associatedtype Output: SelectedRecipients
    func select(plan: NotifyPlan, source: some CustomerSource) throws -> Output
}
