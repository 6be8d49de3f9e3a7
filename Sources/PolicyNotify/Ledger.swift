import Foundation
import PolicyBase

/// The notification ledger `Policies/<policy>/notified.lock` (GDPR Art. 5(2)): one JSON line per event, meant to be
/// committed. No addresses: counts and hashes only. Two events: `notify` prepared a version's notification (its
/// files), and `policyc sent` recorded that the prepared messages were sent, with the count the mail tool
/// reported. Preparing is not telling anyone, so only a `sent` record reads as a notification.
public enum NotifyLedger {
    public enum Entry: Sendable, Hashable {
        case prepared(LedgerRecord)
        case sent(SentRecord)

        public var version: String {
            switch self {
            case .prepared(let record): record.version
            case .sent(let record): record.version
            }
        }
    }

    /// The entries of a ledger file; a line that is not a record is reported by its number.
    public static func parse(_ text: String, path: String) -> Result<[Entry], SourceError> {
        var entries: [Entry] = []
        let decoder = JSONDecoder()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let data = Data(trimmed.utf8)
            let event = (try? decoder.decode(EventProbe.self, from: data))?.event
            if event == SentRecord.event, let record = try? decoder.decode(SentRecord.self, from: data) {
                entries.append(.sent(record))
            } else if event == nil || event == LedgerRecord.preparedEvent,
                let record = try? decoder.decode(LedgerRecord.self, from: data)
            {
                entries.append(.prepared(record))
            } else {
                return .failure(
                    SourceError(
                        "\(path):\(index + 1): not a ledger record; the ledger is written by policyc notify and policyc sent, fix or restore it from version control"
                    ))
            }
        }
        return .success(entries)
    }

    struct EventProbe: Decodable {
        var event: String?
    }

    /// What the ledger says of one version: its last preparation, and whether that was sent.
    public struct VersionState: Sendable, Hashable {
        /// The last `prepared` record of the version (or a record of the first format).
        public var prepared: LedgerRecord?
        /// The `sent` record of that preparation, when it was sent.
        public var sent: SentRecord?

        /// A record of the first format stands for a run that earlier releases recorded as the notification
        /// itself: it is taken as sent (the safe side: changing it needs `--force`), with no count.
        public var wasSent: Bool { sent != nil || (prepared != nil && prepared?.event == nil) }

        public init(_ entries: [Entry], version: String) {
            for entry in entries where entry.version == version {
                switch entry {
                case .prepared(let record):
                    prepared = record
                    sent = nil
                case .sent(let record):
                    if record.recipientsSHA256 == prepared?.recipientsSHA256 { sent = record }
                }
            }
        }
    }

    /// Appends `line` to the ledger's text (a header first when there is none yet).
    public static func appending(_ line: String, to existing: [UInt8]?) -> [UInt8] {
        let header =
            "# The notification ledger of policyc notify and policyc sent (docs/notify.md): no addresses. Commit it.\n"
        var bytes = existing ?? Array(header.utf8)
        if let last = bytes.last, last != 0x0A { bytes.append(0x0A) }
        return bytes + Array((line + "\n").utf8)
    }

    /// One line of JSON, keys sorted.
    static func line(_ value: some Encodable) -> String {
        let pretty = (try? StableJSON.encode(value)) ?? "{}"
        // StableJSON is pretty-printed; the ledger keeps one record a line.
        return
            (try? String(
                data: JSONSerialization.data(
                    withJSONObject: JSONSerialization.jsonObject(with: Data(pretty.utf8)),
                    options: [.sortedKeys, .withoutEscapingSlashes]), encoding: .utf8) ?? pretty) ?? pretty
    }
}

/// A `prepared` record: one `notify` run that wrote a version's files. Records of the first format (before
/// prepared and sent were told apart) have no `event` and are read as such records.
public struct LedgerRecord: Codable, Sendable, Hashable {
    public static let preparedEvent = "prepared"

    /// `prepared`; nil in a record of the first format.
    public var event: String?
    public var version: String
    public var date: String
    public var counts: Selection.Counts
    public var recipientsSHA256: String
    public var templatesSHA256: [String: String]
    /// Prepared again although the ledger records the version's notification as sent.
    public var forced: Bool
    /// A late notice, prepared on purpose with `--late`; nil when in time.
    public var late: Bool?

    public init(
        version: String, date: String, counts: Selection.Counts, recipientsSHA256: String,
        templatesSHA256: [String: String], forced: Bool, late: Bool = false
    ) {
        event = Self.preparedEvent
        self.version = version
        self.date = date
        self.counts = counts
        self.recipientsSHA256 = recipientsSHA256
        self.templatesSHA256 = templatesSHA256
        self.forced = forced
        self.late = late ? true : nil
    }

    enum CodingKeys: String, CodingKey {
        case event, version, date, counts, forced, late
        case recipientsSHA256 = "recipients-sha256"
        case templatesSHA256 = "templates-sha256"
    }

    /// One line of JSON, keys sorted.
    public var line: String { NotifyLedger.line(self) }

    /// The `prepared` records of a ledger file (for callers that read only those).
    public static func parse(_ text: String, path: String) -> Result<[LedgerRecord], SourceError> {
        NotifyLedger.parse(text, path: path).map { entries in
            entries.compactMap { if case .prepared(let record) = $0 { record } else { nil } }
        }
    }

    /// What differs from an earlier run, in words; empty when the same people would get the same messages.
    public func differences(from earlier: LedgerRecord) -> [String] {
        var result: [String] = []
        if recipientsSHA256 != earlier.recipientsSHA256 { result.append("the recipient list") }
        for language in Set(templatesSHA256.keys).union(earlier.templatesSHA256.keys).sorted()
        where templatesSHA256[language] != earlier.templatesSHA256[language] {
            result.append("the \(language) message template")
        }
        let a = counts
        let b = earlier.counts
        let pairs: [(String, Int, Int)] = [
            ("rows", a.rows, b.rows), ("notified", a.notified, b.notified),
            ("not affected", a.notAffected, b.notAffected),
            ("collected on or after", a.collectedOnOrAfter, b.collectedOnOrAfter), ("erased", a.erased, b.erased),
            ("invalid", a.invalid, b.invalid), ("duplicate", a.duplicate, b.duplicate),
        ]
        for (label, now, then) in pairs where now != then { result.append("\(label) \(then) → \(now)") }
        return result
    }
}

/// A `sent` record (`policyc sent`): the messages of a version's last preparation were sent, as many as the mail
/// tool reported; `recipients-sha256` names the preparation.
public struct SentRecord: Codable, Sendable, Hashable {
    public static let event = "sent"

    public var event = Self.event
    public var version: String
    public var date: String
    /// The messages the mail tool reported sent.
    public var count: Int
    /// The recipients the preparation listed.
    public var prepared: Int
    public var recipientsSHA256: String

    public init(version: String, date: String, count: Int, prepared: Int, recipientsSHA256: String) {
        self.version = version
        self.date = date
        self.count = count
        self.prepared = prepared
        self.recipientsSHA256 = recipientsSHA256
    }

    enum CodingKeys: String, CodingKey {
        case event, version, date, count, prepared
        case recipientsSHA256 = "recipients-sha256"
    }

    public var line: String { NotifyLedger.line(self) }
}
