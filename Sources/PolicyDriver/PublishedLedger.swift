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
            return problems + PublishedGuard.check(policy: (folder as NSString).lastPathComponent, ledger: ledger, ledgerPath: path,
                                                   sources: sources, sourcePath: { sourcePath(folder, $0, $1) },
                                                   exists: { FileManager.default.fileExists(atPath: $0) })
        }.flatMap { $0 }
    }

    /// The ledger of a policy folder; nil (and no problem) when the folder has none yet.
    static func read(folder: String) -> (ledger: Ledger?, path: String, diagnostics: [Diagnostic]) {
        let path = (folder as NSString).appendingPathComponent(Ledger.fileName)
        guard let data = FileManager.default.contents(atPath: path) else { return (nil, path, []) }
        let (ledger, diagnostics) = Ledger.parse(String(decoding: data, as: UTF8.self), path: path)
        return (ledger, path, diagnostics)
    }

    static func sourcePath(_ folder: String, _ date: CalendarDate, _ language: String) -> String {
        (folder as NSString).appendingPathComponent("\(date).\(language).md")
    }

    /// The version a file claims by its name, with its bytes' hash; nil for a name that is not a version's (the
    /// compiler reports it).
    static func fingerprint(_ path: String, bytes: [UInt8]) -> SourceFingerprint? {
        guard let parts = Compiler.fileNameParts(path), let date = CalendarDate(parts.date) else { return nil }
        return SourceFingerprint(path: path, effective: date, language: parts.language, contentHash: ContentHash.of(bytes))
    }
}
