import PolicyModel

/// Who is told about a version's `notify` changes: the rule, as pure functions over values. This is the statement
/// every selection must agree with (the fast engine in `NotifyEngine`, a database that selects on its side); the
/// differential test and the `notify-engine` fuzz target hold the engine to it.
///
/// GDPR Art. 13(3) and 14(4): before data is used for a purpose other than the one it was collected for, the person
/// must be told. So the people to tell are those whose data in a category a change concerns was collected before the
/// new version takes effect (../shared/docs/domain.md §3, docs/notify.md "Who is told"). In three steps:
/// 1. `admit` one record: unusable address, erased, or a `Claim` (which categories the shop held before the date, of
///    those a change in the record's scope concerns, and those changes: a change confined to some services or regions
///    concerns only their customers, and a record whose scope is unknown is covered);
/// 2. `merge` the claims of records with the same normalised address; the most recently collected record
///    speaks for the person (`speaksInstead`, `Person`);
/// 3. `decide` a person's merged claim: told (with the changes that concern them), or not told and why.
public enum WhoIsTold {}

/// Why a record leads to no message.
public enum NotToldReason: Sendable, Hashable {
    /// No address a message can go to (reported with its row in rejects.csv, never with its text).
    case invalidAddress(AddressProblem)
    /// The data was erased (Art. 17): nothing is held that a change could concern, and the record does not stand
    /// for the person even when another record has the same address.
    case erased
    /// Another record with the same normalised address speaks for the person; this one's categories are merged.
    case duplicate
    /// Collected on or after the effective date: the person was given the new version when the data was collected
    /// (Art. 13(1)), so there is nothing they were not told.
    case collectedOnOrAfter
    /// Holds no category any `notify` change concerns: the changes are not about their data.
    case notAffected
}

/// What the records of one person say the shop held before the version takes effect.
public struct Claim: Sendable, Hashable {
    /// Categories held before the effective date (bit set over the vocabulary); 0 when collected on or after it.
    public var held: UInt64
    /// Some record was collected before the effective date, or does not say when (taken as before: the safe side).
    public var collectedBefore: Bool
    /// Some record gives no collection date (counted in the report).
    public var withoutDate: Bool
    /// Some record objected (Art. 21) or is restricted (Art. 18): still told, the data is still held.
    public var objectedOrRestricted: Bool
    /// The changes whose scope covers some record and that concern its data, as `NotifyPlan.reachBits` gives them;
    /// every bit when no change is confined to some customers (then the categories alone say which changes).
    public var reach: UInt64

    @inlinable
    public init(
        held: UInt64, collectedBefore: Bool, withoutDate: Bool, objectedOrRestricted: Bool,
        reach: UInt64 = CustomerScope.unknown
    ) {
        self.reach = reach
        self.held = held
        self.collectedBefore = collectedBefore
        self.withoutDate = withoutDate
        self.objectedOrRestricted = objectedOrRestricted
    }
}

/// The records of one normalised address: the most recently collected (`WhoIsTold.speaksInstead`) speaks for the
/// person — its address as written, its name and its language are used — and the claims of all are merged
/// (`WhoIsTold.merge`).
public struct Person<Record> {
    public private(set) var speaker: Record
    /// The speaker's collection date (days since 1970-01-01); nil when it gives none.
    public private(set) var spokenCollected: Int32?
    public private(set) var claim: Claim

    /// A person as their first admitted record makes them.
    public init(first: Record, collected: Int32?, claim: Claim) {
        speaker = first
        spokenCollected = collected
        self.claim = claim
    }

    /// A later record of the same person: it adds to the claim, and speaks instead when it was collected more
    /// recently.
    public mutating func add(later record: Record, collected: Int32?, claim: Claim) {
        self.claim = WhoIsTold.merge(self.claim, claim)
        if WhoIsTold.speaksInstead(later: collected, speaker: spokenCollected) {
            speaker = record
            spokenCollected = collected
        }
    }
}

/// Step 1's answer for one record.
public enum Admission: Sendable, Hashable {
    /// Invalid or erased: the record counts as such and takes no part in merging.
    case notTold(NotToldReason)
    case claim(Claim)
}

/// Step 3's answer for one person.
public enum Verdict: Sendable, Hashable {
    /// Told; `categories` are those held that some change concerns, `reach` the changes in scope (`Claim.reach`).
    case told(categories: UInt64, reach: UInt64 = CustomerScope.unknown)
    case notTold(NotToldReason)

    /// Indices into `plan.changes` of the changes to tell about (none when not told).
    public func changes(in plan: NotifyPlan) -> [Int] {
        guard case .told(let categories, let reach) = self else { return [] }
        return plan.changes(concerning: categories, reach: reach)
    }
}

extension WhoIsTold {
    /// Step 1, on values already read: `addressProblem` is `EmailAddress.problem` of the trimmed address.
    /// `categoriesKnown` is false when the source says nothing about categories: then every record holds every
    /// category, since over-notifying costs an email and under-notifying breaks the law.
    @inlinable
    public static func admit(
        addressProblem: AddressProblem?, status: CustomerStatus, collected: Int32?,
        categories: UInt64, categoriesKnown: Bool, plan: NotifyPlan, services: UInt64 = CustomerScope.unknown,
        regions: UInt64 = CustomerScope.unknown
    ) -> Admission {
        if let addressProblem { return .notTold(.invalidAddress(addressProblem)) }
        if status == .erased { return .notTold(.erased) }
        let before = collected.map { $0 < plan.effectiveDay } ?? true
        // Of the categories some change concerns, only those of a change in the record's scope count.
        let (reached, reach) = plan.reach(
            services: services, regions: regions, held: categoriesKnown ? categories : plan.vocabulary.allCategories)
        let held = (categoriesKnown ? categories : plan.vocabulary.allCategories) & (reached | ~plan.categories)
        return .claim(
            Claim(
                held: before ? held : 0, collectedBefore: before, withoutDate: collected == nil,
                objectedOrRestricted: status == .objected || status == .restricted, reach: before ? reach : 0))
    }

    /// Step 1 for a record as read.
    public static func admit(_ record: CustomerRecord, categoriesKnown: Bool, plan: NotifyPlan) -> Admission {
        let address = trimmed(record.email)
        let problem = address.withUnsafeBufferPointer { EmailAddress.problem($0) }
        return admit(
            addressProblem: problem, status: record.status, collected: record.collected,
            categories: record.categories, categoriesKnown: categoriesKnown, plan: plan, services: record.services,
            regions: record.regions)
    }

    /// Step 2: a later record of the same person adds what it says to the claim so far. What was held before the
    /// date by any record counts, whichever record comes first (docs/notify.md: a duplicate's categories are
    /// combined); which record speaks for the person is `speaksInstead`'s to say.
    @inlinable
    public static func merge(_ first: Claim, _ later: Claim) -> Claim {
        Claim(
            held: first.held | later.held, collectedBefore: first.collectedBefore || later.collectedBefore,
            withoutDate: first.withoutDate || later.withoutDate,
            objectedOrRestricted: first.objectedOrRestricted || later.objectedOrRestricted,
            reach: first.reach | later.reach)
    }

    /// Step 2, who speaks: a later record of the same person (in the source's order) speaks instead of the
    /// current speaker when it was collected more recently, since a customer's latest record holds the name and
    /// language they gave last. A record without a date is older than any dated one; on the same date, the
    /// earlier record keeps speaking, so a source without dates keeps its first record.
    @inlinable
    public static func speaksInstead(later: Int32?, speaker: Int32?) -> Bool {
        guard let later else { return false }
        guard let speaker else { return true }
        return later > speaker
    }

    /// Step 3: a person (one record, or several merged) is told when some record was collected before the date and
    /// what was held then meets a category a `notify` change concerns.
    @inlinable
    public static func decide(_ claim: Claim, plan: NotifyPlan) -> Verdict {
        if !claim.collectedBefore { return .notTold(.collectedOnOrAfter) }
        let concerned = claim.held & plan.categories
        if concerned == 0 { return .notTold(.notAffected) }
        return .told(categories: concerned, reach: claim.reach)
    }

    /// One record standing alone (no other record with its address): steps 1 and 3.
    public static func decide(_ record: CustomerRecord, categoriesKnown: Bool, plan: NotifyPlan) -> Verdict {
        switch admit(record, categoriesKnown: categoriesKnown, plan: plan) {
        case .notTold(let reason): .notTold(reason)
        case .claim(let claim): decide(claim, plan: plan)
        }
    }

    /// The address as the rule reads it: without the spaces, tabs and no-break spaces (U+00A0) around it.
    public static func trimmed(_ email: [UInt8]) -> [UInt8] {
        var text = email[...]
        while true {
            if let first = text.first, first == 0x20 || first == 0x09 {
                text.removeFirst()
            } else if text.starts(with: [0xC2, 0xA0]) {
                text.removeFirst(2)
            } else {
                break
            }
        }
        while true {
            if let last = text.last, last == 0x20 || last == 0x09 {
                text.removeLast()
            } else if text.count >= 2, text.suffix(2).elementsEqual([0xC2, 0xA0]) {
                text.removeLast(2)
            } else {
                break
            }
        }
        return Array(text)
    }

    /// The key duplicates are found by: the trimmed address with A–Z folded to a–z. An admitted address is ASCII
    /// (`EmailAddress`), so this is the whole of case folding for it.
    public static func normalised(_ address: [UInt8]) -> [UInt8] {
        address.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }
}

/// A customer record as a source read it, before any judgement: what `WhoIsTold` takes.
public struct CustomerRecord: Sendable, Hashable {
    /// The row number as the source's users count it.
    public var row: Int
    /// The address and the name as read (UTF-8; the address is trimmed only by the rule).
    public var email: [UInt8]
    public var name: [UInt8]
    /// Index into `Vocabulary.languages`; 0 when none of them.
    public var language: UInt8
    /// Days since 1970-01-01 of the first collection; nil when the source does not say.
    public var collected: Int32?
    /// Bit set over `Vocabulary.categories`.
    public var categories: UInt64
    public var status: CustomerStatus
    /// The customer's services and the regions containing where they live (`CustomerBatch.Entry`).
    public var services: UInt64
    public var regions: UInt64

    public init(
        row: Int, email: [UInt8], name: [UInt8], language: UInt8, collected: Int32?, categories: UInt64,
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

extension CustomerBatch {
    /// The batch's rows as records.
    public var records: [CustomerRecord] {
        entries.map { entry in
            CustomerRecord(
                row: entry.row, email: Array(bytes[entry.email]), name: Array(bytes[entry.name]),
                language: entry.language, collected: entry.collected, categories: entry.categories,
                status: entry.status, services: entry.services, regions: entry.regions)
        }
    }
}
