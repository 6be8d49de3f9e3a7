import Foundation
import PolicyBase
import PolicyModel
import PolicyPublish

/// The file side of the published-versions guard that `check` and `publish` share: finds each policy folder's
/// `published.lock`, hashes the sources and hands both to the pure `PublishedGuard`.
public enum PublishedLedger {
    /// Diagnostics for every file below a folder with a ledger whose published content changed, and for every
    /// ledger entry whose source is gone. Files are hashed from disk: a typo fix changes the hash.
    public static func check(files: [String]) -> [Diagnostic] {
        var byFolder: [String: [String]] = [:]
        for file in files { byFolder[(file as NSString).deletingLastPathComponent, default: []].append(file) }
        // Folders are independent, and each published source is read and hashed again: on all cores, in folder order.
        let folders = byFolder.keys.sorted().map { ($0, byFolder[$0]!) }
        return folders.concurrentMap { folder, files -> [Diagnostic] in
            let (ledger, path, problems) = read(folder: folder)
            guard let ledger else { return problems }
            let sources = files.compactMap { file -> SourceFingerprint? in
                guard let data = FileManager.default.contents(atPath: file) else { return nil }
                return fingerprint(file, bytes: [UInt8](data))
            }
            return problems
                + PublishedGuard.check(
                    policy: (folder as NSString).lastPathComponent, ledger: ledger, ledgerPath: path,
                    sources: sources, sourcePath: { sourcePath(folder, $0, $1) },
                    exists: { FileManager.default.fileExists(atPath: $0) })
        }.flatMap { $0 }
    }

    /// The ledger of a policy folder; nil (and no problem) when the folder has none yet.
    static func read(folder: String) -> (ledger: Ledger?, path: String, diagnostics: [Diagnostic]) {
        let path = (folder as NSString).appendingPathComponent(Ledger.fileName)
        switch FileSystem.read(path, limit: Workspace.maximumFileSize) {
        case .success(let bytes):
            let (ledger, diagnostics) = Ledger.parse(String(decoding: bytes, as: UTF8.self), path: path)
            return (ledger, path, diagnostics)
        case .failure(let error) where error.code == ENOENT:
            return (nil, path, [])
        case .failure(let error):
            // A ledger that is there but cannot be read must stop the run: without it the guard would pass anything.
            let message =
                "cannot read the ledger of published versions: \(error.reason); without it no published version can be checked"
            return (
                Ledger(), path, [.error(message, rule: .ioError, at: SourceLocation(file: path, line: 1, column: 1))]
            )
        }
    }

    static func sourcePath(_ folder: String, _ date: CalendarDate, _ language: String) -> String {
        (folder as NSString).appendingPathComponent("\(date).\(language).md")
    }

    /// The version a file claims by its name, with its bytes' hash; nil for a name that is not a version's (the
    /// compiler reports it).
    static func fingerprint(_ path: String, bytes: [UInt8]) -> SourceFingerprint? {
        guard let parts = Compiler.fileNameParts(path), let date = CalendarDate(parts.date) else { return nil }
        return SourceFingerprint(
            path: path, effective: date, language: parts.language, contentHash: ContentHash.of(bytes))
    }
}

/// The ledger side of one publish: which entries this run adds, written durably before the site is revealed, and
/// put back when the reveal fails.
struct LedgerRecorder {
    /// Each policy folder's sources, as fingerprints.
    let folders: [String: [SourceFingerprint]]
    /// Each folder's ledger as read (empty when it has none) and its path.
    let ledgers: [String: (ledger: Ledger, path: String)]
    let today: CalendarDate

    /// What each ledger file held before this run replaced it (nil: there was none), for `restore`.
    private final class Written: @unchecked Sendable {
        var originals: [(path: String, bytes: [UInt8]?)] = []
    }
    private let written = Written()

    init(folders: [String: [SourceFingerprint]], ledgers: [String: (ledger: Ledger, path: String)], today: CalendarDate)
    {
        self.folders = folders
        self.ledgers = ledgers
        self.today = today
    }

    static func summary(_ added: Int) -> String {
        "\(added) version\(added == 1 ? "" : "s") added to published.lock"
    }

    /// Removes the siblings of ledgers that a killed run left; the paths removed.
    func removeStaleTemporaries() -> [String] {
        ledgers.keys.sorted().flatMap { Durable.removeStaleTemporaries(of: ledgers[$0]!.path) }
    }

    /// Versions in a ledger that the previous site does not show: a publish stopped between recording and
    /// revealing them. This run publishes them (their sources still match the ledger, or the guard stopped it).
    func unfinished(previous: SiteState?) -> [String] {
        guard let previous else { return [] }
        let shown = Set(previous.versions.map { "\($0.policy)/\($0.effective) \($0.language)" })
        return ledgers.keys.sorted().flatMap { folder -> [String] in
            let policy = (folder as NSString).lastPathComponent
            return ledgers[folder]!.ledger.entries.filter { !shown.contains("\(policy)/\($0.key)") }
                .map { "version \($0.effective) (\($0.language)) of '\(policy)'" }
        }
    }

    /// Adds an entry for every source not yet recorded, one ledger at a time, each durable before the next; returns
    /// how many were added. On a failure the ledgers already replaced are put back before the error is thrown.
    func record() throws -> Int {
        var added = 0
        for folder in folders.keys.sorted() {
            guard let (ledger, path) = ledgers[folder] else { continue }
            let updated = PublishedGuard.record(ledger, sources: folders[folder]!, today: today)
            guard updated != ledger else { continue }
            let original = FileManager.default.contents(atPath: path).map { [UInt8]($0) }
            do {
                try Durable.replace(path, with: Array(updated.text.utf8), step: .publishLedgerWriting)
            } catch {
                _ = restore()
                throw error
            }
            written.originals.append((path, original))
            added += updated.entries.count - ledger.entries.count
        }
        return added
    }

    /// Puts back the ledgers `record` replaced; what could not be put back, as faults.
    func restore() -> [FileFault] {
        var faults: [FileFault] = []
        for (path, bytes) in written.originals.reversed() {
            if let bytes {
                do { try Durable.replace(path, with: bytes) } catch {
                    faults.append(FileFault("restore", path, reason: FileFault.reason(of: error)))
                }
            } else if unlink(path) != 0 && errno != ENOENT {
                faults.append(FileFault("remove", path, errno: errno))
            }
        }
        written.originals.removeAll()
        return faults
    }
}
