import Foundation
import PolicyBase

#if canImport(Glibc)
    import Glibc
#endif

/// A file operation that failed, named by its path and the operating system's reason (errno text), never a
/// Foundation error dump.
struct FileFault: Error, CustomStringConvertible, Equatable {
    var action: String
    var path: String
    var reason: String

    init(_ action: String, _ path: String, errno code: Int32) {
        self.action = action
        self.path = path
        self.reason = String(cString: strerror(code))
    }

    init(_ action: String, _ path: String, reason: String) {
        self.action = action
        self.path = path
        self.reason = reason
    }

    var description: String { "cannot \(action) \(path): \(reason)" }

    /// The reason of any error as a person reads it: the errno text of a POSIX or Cocoa file error (with the path
    /// when the error names one), else the error's own description.
    static func reason(of error: Error) -> String {
        if let fault = error as? FileFault { return fault.description }
        // policyc's own errors describe themselves; Foundation's are read for their errno below.
        if !(error is CocoaError), !(error is POSIXError), !(type(of: error) is NSError.Type),
            let described = error as? CustomStringConvertible
        {
            return described.description
        }
        let error = error as NSError
        let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        var code: Int32?
        if error.domain == NSPOSIXErrorDomain { code = Int32(error.code) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            code = Int32(underlying.code)
        }
        if code == nil, error.domain == NSCocoaErrorDomain {
            // Foundation on Linux maps errno to these codes without always keeping the underlying error.
            switch error.code {
            case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: code = EACCES
            case NSFileWriteOutOfSpaceError: code = ENOSPC
            case NSFileWriteVolumeReadOnlyError: code = EROFS
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: code = ENOENT
            case NSFileWriteFileExistsError: code = EEXIST
            default: break
            }
        }
        guard let code else { return "\(error.localizedDescription)" }
        let text = String(cString: strerror(code))
        return path.map { "\(relative($0)): \(text)" } ?? text
    }

    /// A path below the working directory as the user named it: relative.
    static func relative(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : path
    }
}

/// Writes that survive a crash or a power cut whole or not at all: the bytes go to a sibling file, which is synced
/// and renamed over the target, and the folder is synced so that the rename itself is on the disk. The target keeps
/// its file mode (a ledger a shop made read-only stays read-only). A sibling left by a killed run is named
/// `NAME.tmp-PID` and removed by the next run once that process is gone.
enum Durable {
    static func temporaryName(_ path: String, pid: Int32 = getpid()) -> String { path + ".tmp-\(pid)" }

    /// Replaces `path` with `bytes`. On failure the target is as it was and no sibling is left.
    static func replace(_ path: String, with bytes: [UInt8], step: FaultPoint? = nil) throws {
        let temporary = temporaryName(path)
        var info = stat()
        let mode: mode_t = stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0o644
        let descriptor = open(temporary, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileFault("write", path, errno: errno) }
        func fail(_ code: Int32) -> FileFault {
            close(descriptor)
            unlink(temporary)
            return FileFault("write", path, errno: code)
        }
        if let failure = writeAll(descriptor, bytes) { throw fail(failure) }
        guard fchmod(descriptor, mode) == 0 else { throw fail(errno) }
        guard fsync(descriptor) == 0 else { throw fail(errno) }
        guard close(descriptor) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileFault("write", path, errno: code)
        }
        step?.reach()
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileFault("write", path, errno: code)
        }
        syncFolder(of: path)
    }

    /// Writes all of `bytes`; the errno of the first failure, nil when all were written.
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                Glibc.write(descriptor, $0.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return written == 0 ? ENOSPC : errno }
            offset += written
        }
        return nil
    }

    /// Syncs the folder that holds `path`, so that a rename or link in it is durable.
    static func syncFolder(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        syncFolder(folder.isEmpty ? "." : folder)
    }

    static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// Removes the siblings `NAME.tmp-PID` of `path` whose process is gone (a run killed while replacing it).
    /// Returns the paths removed.
    @discardableResult
    static func removeStaleTemporaries(of path: String) -> [String] {
        let folder = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + ".tmp-"
        var removed: [String] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), !processIsRunning(pid) else { continue }
            let full = folder.isEmpty ? name : folder + "/" + name
            if unlink(full) == 0 { removed.append(full) }
        }
        return removed
    }

    /// Whether a process with this id exists (a signal 0 reaches it, or it exists but belongs to another user).
    static func processIsRunning(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }
}

/// An exclusive `flock` on a file or folder, dropped by the kernel when the process ends however it ends, so a
/// killed run never leaves a stale lock.
struct FileLock {
    let descriptor: Int32

    enum Failure: Error {
        /// Another process holds the lock: the only case that exits 75.
        case busy
        /// The lock could not be taken for another reason (permissions, a missing folder): exit 1.
        case fault(FileFault)
    }

    /// Locks `path`; a folder is locked as itself (opened read-only, so a read-only folder can be locked too), a file
    /// is created when missing.
    static func acquire(_ path: String, folder: Bool) -> Result<FileLock, Failure> {
        let descriptor =
            folder ? open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            return .failure(.fault(FileFault(folder ? "open" : "open the lock file", path, errno: errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { return .failure(.busy) }
            return .failure(.fault(FileFault("lock", path, errno: code)))
        }
        return .success(FileLock(descriptor: descriptor))
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// The moments a run can be stopped at for the fault-injection tests: with `POLICYC_KILL_AT=<name>` in its
/// environment, a run sends itself SIGKILL when it reaches that step, exactly as a crash or an operator's `kill -9`
/// would stop it there. The tests kill a run at every step of a command in turn and check what it left.
public enum FaultPoint: String, CaseIterable, Sendable {
    /// publish: the lock is held and leftovers are removed; nothing of this run is written yet.
    case publishLocked = "publish-locked"
    /// publish: the new site is complete beside the old one.
    case publishStaged = "publish-staged"
    /// publish: a ledger's new text is synced in its sibling file, not yet renamed over the ledger.
    case publishLedgerWriting = "publish-ledger-writing"
    /// publish: the ledgers are durable; the new site is not yet visible.
    case publishRecorded = "publish-recorded"
    /// publish: the new site is visible; the previous one is not yet removed.
    case publishSwapped = "publish-swapped"
    /// notify: the policy's lock is held; nothing of this run is written yet.
    case notifyLocked = "notify-locked"
    /// notify: the customers are selected; nothing is written yet.
    case notifySelected = "notify-selected"
    /// notify: every file is written and synced, but unnamed.
    case notifyWritten = "notify-written"
    /// notify: the files are named in the hidden folder beside the output, not yet swapped in.
    case notifyStaged = "notify-staged"
    /// notify: the new output is in place; the ledger has no record of it yet.
    case notifySwapped = "notify-swapped"
    /// notify: the ledger's new text is synced in its sibling file, not yet renamed over the ledger.
    case notifyLedgerWriting = "notify-ledger-writing"
    /// notify: the record is durable; the previous output is not yet removed.
    case notifyRecorded = "notify-recorded"
    /// sent: the ledger's new text with the `sent` record is synced in its sibling file, not yet renamed over it.
    case sentLedgerWriting = "sent-ledger-writing"

    static let chosen: String? = ProcessInfo.processInfo.environment["POLICYC_KILL_AT"]

    /// Stops the process here when the environment names this step.
    func reach() {
        guard let chosen = Self.chosen, chosen == rawValue else { return }
        kill(getpid(), SIGKILL)
    }
}
