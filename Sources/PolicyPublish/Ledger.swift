import PolicyBase
import PolicyModel

/// `Policies/<policy>/published.lock`: every version and language that was published, with its content hash and
/// the day it was first published. Committed beside the sources like a lock file, so the guard that a published
/// version never changes holds in every clone and in CI, not only where an old `Output/` survived.
///
/// ```text
/// # policyc published.lock: ...
/// 2018-04-30 nl sha256:3f… 2026-11-25
/// ```
/// One entry a line, sorted by date and language; `#` lines are comments. The file is rewritten only when an entry
/// is added, so publishing unchanged sources leaves it byte for byte as it was.
public struct Ledger: Sendable, Hashable {
    public static let fileName = "published.lock"

    public struct Entry: Sendable, Hashable {
        public var effective: CalendarDate
        public var language: String
        public var contentHash: String
        public var published: CalendarDate
        /// The entry's line in the file, for diagnostics (0 for a new entry).
        public var line: Int

        public init(
            effective: CalendarDate, language: String, contentHash: String, published: CalendarDate, line: Int = 0
        ) {
            self.effective = effective
            self.language = language
            self.contentHash = contentHash
            self.published = published
            self.line = line
        }

        public var key: String { "\(effective) \(language)" }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    public func entry(effective: CalendarDate, language: String) -> Entry? {
        entries.first { $0.effective == effective && $0.language == language }
    }

    static let header = """
        # policyc published.lock: the versions of this policy that were published, with the SHA-256 of their source
        # and the day they were first published. Written by `policyc publish`; commit it with the sources.
        # A published version never changes: to change the policy, add a version with a later effective date.

        """

    /// Parses the file; a malformed line is an error at its position (`ledger-syntax`).
    public static func parse(_ text: String, path: String) -> (ledger: Ledger, diagnostics: [Diagnostic]) {
        var entries: [Entry] = []
        var diagnostics: [Diagnostic] = []
        var seen: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let trimmed = line.trimmingPrefix(while: { $0 == " " })
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(separator: " ", omittingEmptySubsequences: true)
            let location = SourceLocation(file: path, line: index + 1, column: 1)
            guard fields.count == 4, let effective = CalendarDate(String(fields[0])),
                let published = CalendarDate(String(fields[3])),
                fields[2].hasPrefix("sha256:"), fields[2].count == 71
            else {
                diagnostics.append(
                    .error(
                        "malformed entry; expected 'EFFECTIVE-DATE LANGUAGE sha256:HASH PUBLISHED-DATE' as written by policyc publish",
                        rule: .ledgerSyntax, at: location))
                continue
            }
            let entry = Entry(
                effective: effective, language: String(fields[1]), contentHash: String(fields[2]), published: published,
                line: index + 1)
            if let first = seen[entry.key] {
                diagnostics.append(
                    .error(
                        "second entry for version \(effective) (\(entry.language))", rule: .ledgerSyntax, at: location,
                        notes: [
                            DiagnosticNote("first entry here", at: SourceLocation(file: path, line: first, column: 1))
                        ]))
                continue
            }
            seen[entry.key] = index + 1
            entries.append(entry)
        }
        return (Ledger(entries: entries), diagnostics)
    }

    /// The file's text: header, then entries sorted by date and language.
    public var text: String {
        Self.header
            + entries.sorted { ($0.effective, $0.language) < ($1.effective, $1.language) }
            .map { "\($0.effective) \($0.language) \($0.contentHash) \($0.published)\n" }.joined()
    }
}

/// One source file as the guard sees it: where it is, which version it claims by its name, and its bytes' hash.
public struct SourceFingerprint: Sendable, Hashable {
    public var path: String
    public var effective: CalendarDate
    public var language: String
    public var contentHash: String

    public init(path: String, effective: CalendarDate, language: String, contentHash: String) {
        self.path = path
        self.effective = effective
        self.language = language
        self.contentHash = contentHash
    }
}

/// The guard `check` and `publish` share: a source whose version was published with other content is refused, and
/// so is a published version whose source is gone. Pure: the driver reads the files.
public enum PublishedGuard {
    /// `sources` are the policy's files that were read; `exists` answers whether a path is on disk, for entries
    /// whose file was not among them (a check of a single file must not call the others missing).
    public static func check(
        policy: String, ledger: Ledger, ledgerPath: String, sources: [SourceFingerprint],
        sourcePath: (CalendarDate, String) -> String, exists: (String) -> Bool
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for entry in ledger.entries {
            let entryLocation = SourceLocation(file: ledgerPath, line: entry.line, column: 1)
            if let source = sources.first(where: { $0.effective == entry.effective && $0.language == entry.language }) {
                guard source.contentHash != entry.contentHash else { continue }
                diagnostics.append(
                    .error(
                        "version \(entry.effective) (\(entry.language)) of '\(policy)' was published on \(entry.published) and its content has changed since; a published version cannot change: undo the edit, and make the change in a new version with a later effective date",
                        rule: .publishedVersionChanged, at: SourceLocation(file: source.path, line: 1, column: 1),
                        notes: [
                            DiagnosticNote("published with \(entry.contentHash.prefix(19))… here", at: entryLocation)
                        ]))
            } else {
                let path = sourcePath(entry.effective, entry.language)
                guard !exists(path) else { continue }
                diagnostics.append(
                    .error(
                        "version \(entry.effective) (\(entry.language)) of '\(policy)' was published on \(entry.published) but its source \(path) is gone; restore it: a published version stays available",
                        rule: .publishedVersionMissing, at: entryLocation))
            }
        }
        return diagnostics
    }

    /// The ledger with an entry added for every published file it does not list yet, dated `today`.
    public static func record(_ ledger: Ledger, sources: [SourceFingerprint], today: CalendarDate) -> Ledger {
        var updated = ledger
        for source in sources where ledger.entry(effective: source.effective, language: source.language) == nil {
            updated.entries.append(
                .init(
                    effective: source.effective, language: source.language, contentHash: source.contentHash,
                    published: today))
        }
        return updated
    }
}
