import Foundation
import PolicyNotify

#if canImport(Glibc)
    import Glibc
#endif

/// The output of one `notify` run as a transaction (docs/notify.md): written into a hidden folder beside the output
/// (`Output/notify/<policy>/.<version>.new-<pid>`), its files unnamed until complete; swapped in with one atomic
/// exchange; the ledger record appended only once the output is in place; on any failure the previous output is put
/// back and nothing is recorded. The policy's lock (held by the caller) keeps a second run out, so any hidden folder
/// found here was left by a run that was stopped, and holds customer data: it is removed at the start of the next run.
struct NotifyOutput {
    /// `Output/notify/<policy>`.
    let parent: String
    let version: String

    var final: String { parent + "/" + version }
    var staging: String { parent + "/.\(version).new-\(getpid())" }
    var displaced: String { parent + "/.\(version).old-\(getpid())" }

    /// The files notify always writes; any other file in a previous output is the user's and is kept, but for a
    /// `mailmerge_server.conf` that notify wrote itself (`writtenByNotify`).
    static let generatedNames: Set<String> = [
        "mailmerge_template.txt", "mailmerge_database.csv", "recipients.csv", "recipients.jsonl", "rejects.csv",
        "report.json",
    ]

    /// Whether a name in `Output/notify/<policy>` is a hidden folder of a notify run (this one's layout, or the
    /// `.<version>.partial` of earlier releases).
    static func isRunFolder(_ name: String) -> Bool {
        name.hasPrefix(".") && (name.contains(".new-") || name.contains(".old-") || name.hasSuffix(".partial"))
    }

    /// Removes what stopped runs left, for any version of the policy. Call with the policy's lock held.
    static func removeLeftovers(in parent: String) -> (removed: [String], faults: [FileFault]) {
        var removed: [String] = []
        var faults: [FileFault] = []
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).sorted()
        where isRunFolder(name) {
            let path = parent + "/" + name
            if let fault = SiteWriter.removeTree(path) { faults.append(fault) } else { removed.append(path) }
        }
        return (removed, faults)
    }

    /// Checks that `Output/notify/<policy>`, or the nearest folder above it that exists, can be written, so a
    /// read-only output folder stops the run before the selection. Creates nothing: a run that stops on the export
    /// leaves no trace.
    func checkWritable() throws {
        var folder = parent
        var info = stat()
        while stat(folder, &info) != 0 {
            let up = (folder as NSString).deletingLastPathComponent
            guard !up.isEmpty, up != folder else {
                folder = "."
                break
            }
            folder = up
        }
        guard access(folder, W_OK) == 0 else { throw FileFault("write into", folder, errno: errno) }
    }

    /// Makes the hidden folder and a folder for each language in it.
    func begin(languages: [String]) throws {
        for folder in [parent, staging] where mkdir(folder, 0o755) != 0 && errno != EEXIST {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw FileFault("create", folder, reason: FileFault.reason(of: error))
            }
        }
        for language in languages where mkdir(staging + "/" + language, 0o755) != 0 && errno != EEXIST {
            throw FileFault("create", staging + "/" + language, errno: errno)
        }
    }

    /// Names the complete files, then links the user's own files of the previous output beside them. Returns the
    /// user's files kept, relative to the output folder.
    func complete(_ sinks: [FileSink]) throws -> [String] {
        for sink in sinks { try sink.name() }
        var kept: [String] = []
        let manager = FileManager.default
        for relative in (manager.subpaths(atPath: final) ?? []).sorted() {
            let name = (relative as NSString).lastPathComponent
            let source = final + "/" + relative
            let target = staging + "/" + relative
            let folder = (target as NSString).deletingLastPathComponent
            var isFolder: ObjCBool = false
            guard !Self.generatedNames.contains(name), manager.fileExists(atPath: source, isDirectory: &isFolder),
                !isFolder.boolValue, manager.fileExists(atPath: folder), !Self.writtenByNotify(source)
            else { continue }
            if manager.fileExists(atPath: target) {
                // Only the server settings are both written here and the user's: the user's own are kept.
                guard name == "mailmerge_server.conf", unlink(target) == 0 else { continue }
            }
            if link(source, target) != 0 {
                do { try manager.copyItem(atPath: source, toPath: target) } catch {
                    throw FileFault("keep", source, reason: FileFault.reason(of: error))
                }
            }
            kept.append(relative)
        }
        Durable.syncFolder(staging)
        return kept
    }

    /// Whether a file of a previous output is one notify wrote (the server settings from policyc.yaml), which the
    /// new run writes again, rather than the user's.
    static func writtenByNotify(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let mark = Array(MailMerge.serverSettingsMark.utf8)
        let start = (try? handle.read(upToCount: mark.count)).map { [UInt8]($0) } ?? []
        return start == mark
    }

    /// Puts the new output in place with one atomic exchange (or a rename when there was none). Returns whether a
    /// previous output was displaced; it is then at `displaced`.
    func swapIn() throws -> Bool {
        var info = stat()
        guard lstat(final, &info) == 0 else {
            guard rename(staging, final) == 0 else { throw FileFault("move the new output to", final, errno: errno) }
            Durable.syncFolder(parent)
            return false
        }
        guard let exchange = SiteWriter.renameExchange,
            exchange(AT_FDCWD, staging, AT_FDCWD, final, SiteWriter.exchangeFlag) == 0
        else {
            // No atomic exchange here: two renames, with the previous output restored if the second fails.
            guard rename(final, displaced) == 0 else {
                throw FileFault("move the previous output aside from", final, errno: errno)
            }
            guard rename(staging, final) == 0 else {
                let code = errno
                _ = rename(displaced, final)
                throw FileFault("move the new output to", final, errno: code)
            }
            Durable.syncFolder(parent)
            return true
        }
        // The hidden folder now holds the previous output; it takes the name that says so.
        guard rename(staging, displaced) == 0 else { throw FileFault("rename", staging, errno: errno) }
        Durable.syncFolder(parent)
        return true
    }

    /// Undoes `swapIn`: the previous output back in place (or none, as before), the new one removed. Returns what
    /// could not be undone.
    func swapBack(displacedPrevious: Bool) -> [FileFault] {
        if displacedPrevious {
            guard let exchange = SiteWriter.renameExchange,
                exchange(AT_FDCWD, displaced, AT_FDCWD, final, SiteWriter.exchangeFlag) == 0
            else {
                let aside = staging
                guard rename(final, aside) == 0, rename(displaced, final) == 0 else {
                    return [FileFault("put back the previous output in", final, errno: errno)]
                }
                return SiteWriter.removeTree(aside).map { [$0] } ?? []
            }
            return SiteWriter.removeTree(displaced).map { [$0] } ?? []
        }
        return SiteWriter.removeTree(final).map { [$0] } ?? []
    }

    /// Appends one line to the ledger, durably: the whole new text replaces the file, so a stop or a full disk
    /// leaves the ledger as it was.
    static func append(_ line: String, toLedger path: String, step: FaultPoint) throws {
        let existing = FileManager.default.contents(atPath: path).map { [UInt8]($0) }
        try Durable.replace(path, with: NotifyLedger.appending(line, to: existing), step: step)
    }
}
