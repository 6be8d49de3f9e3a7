import Foundation
import PolicyDiff
import PolicyModel

/// One `notify` change of the version, as selection needs it: its stable id and the categories whose holders must
/// be told, as a bit set over the vocabulary.
public struct NoticeChange: Sendable, Hashable {
    public var id: String
    public var categories: UInt64
    /// The customers it concerns, as bit sets over `Vocabulary.services` and `Vocabulary.regions`; 0: all.
    public var services: UInt64
    public var regions: UInt64
    public init(id: String, categories: UInt64, services: UInt64 = 0, regions: UInt64 = 0) {
        self.id = id
        self.categories = categories
        self.services = services
        self.regions = regions
    }
}

/// What selection decides against: the version's effective date and its `notify` changes.
public struct NotifyPlan: Sendable {
    public let vocabulary: Vocabulary
    public let effective: CalendarDate
    /// `effective` as days since 1970-01-01, as sources give collection dates.
    public let effectiveDay: Int32
    public let changes: [NoticeChange]
    /// The categories some change touches.
    public let categories: UInt64
    /// Whether some change concerns only the customers of some services or regions.
    public let scoped: Bool

    /// Takes the `notify` records of a version diff, in the diff's order. A record's categories that the vocabulary
    /// does not know are ignored here: the vocabulary is the older version's categories plus the newer one's, so
    /// every category a diff names is in it.
    public init(changes: [ChangeRecord], effective: CalendarDate, vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
        self.effective = effective
        self.effectiveDay = Int32(effective.daysSinceEpoch)
        self.changes = changes.filter { $0.impact == .notify }.map { record in
            NoticeChange(
                id: record.id, categories: record.categories.reduce(0) { $0 | (vocabulary.bit(ofCategory: $1) ?? 0) },
                services: record.scope.map { vocabulary.serviceMask($0.services) } ?? 0,
                regions: record.scope.map { vocabulary.regionBits($0.regions) } ?? 0)
        }
        self.categories = self.changes.reduce(0) { $0 | $1.categories }
        self.scoped = self.changes.contains { $0.services != 0 || $0.regions != 0 }
    }

    public init(changes: [NoticeChange], effective: CalendarDate, vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
        self.effective = effective
        self.effectiveDay = Int32(effective.daysSinceEpoch)
        self.changes = changes
        self.categories = changes.reduce(0) { $0 | $1.categories }
        self.scoped = changes.contains { $0.services != 0 || $0.regions != 0 }
    }

    /// Indices into `changes` of the changes that concern someone who holds `held`, of those in `reach`
    /// (`Claim.reach`: all when no change is confined to some customers).
    public func changes(concerning held: UInt64, reach: UInt64 = CustomerScope.unknown) -> [Int] {
        changes.indices.filter { changes[$0].categories & held != 0 && reach & NotifyPlan.reachBit($0) != 0 }
    }
}

/// Why an address is rejected. The reason is about the address's form, never repeats it.
public enum AddressProblem: String, Sendable, Hashable, CaseIterable {
    case empty = "no email address"
    case tooLong = "address longer than 254 characters"
    case notOneAt = "not exactly one '@'"
    case localPart = "nothing before the '@', or more than 64 characters"
    case localCharacters =
        "a character that is not allowed before the '@' (spaces, quotes, commas, brackets, or dots at the start, end or twice in a row)"
    case domain =
        "the part after the '@' is not a domain name (labels of letters, digits and hyphens, separated by dots, ending in a top-level domain of letters)"
    case nonASCII =
        "characters outside ASCII (international addresses need SMTPUTF8, which the mail tools do not promise)"
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
        let atext = Self.atext  // once, not a lazy global's check a byte
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
        var labelLength = 0
        var labels = 0
        var lastAllLetters = true
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
