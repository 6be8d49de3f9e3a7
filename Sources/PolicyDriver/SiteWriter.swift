import Foundation
import PolicyPublish

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a site so that a reader, or a publish killed at any moment, sees either the previous site or the new one
/// whole: the new site is written to a folder beside the old one and swapped in with one `renameat2(RENAME_EXCHANGE)`
/// (Linux; elsewhere, or on a file system without it, two renames with a moment of no site in between). Files that did
/// not change are hard links to the previous site's, so an unchanged publish copies no bytes. No file is synced one by
/// one: atomicity is asked of the whole site only, and the swap gives it.
///
/// A lock file beside the site (`.site.lock` for `site`) keeps two publishers apart: the second stops with a message.
/// The kernel drops a `flock` with its process, so a killed publisher leaves no stale lock.
struct SiteWriter {
    let out: String

    var parent: String {
        let folder = (out as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }
    var name: String { (out as NSString).lastPathComponent }
    var lockPath: String { parent + "/.\(name).lock" }

    /// Takes the site's lock: `.busy` when another publish holds it (exit 75), `.fault` when the lock file cannot
    /// be made or opened (exit 1: waiting would not help).
    func lock() -> Result<FileLock, FileLock.Failure> {
        if mkdir(parent, 0o755) != 0 && errno != EEXIST {
            do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
                return .failure(.fault(FileFault("create", parent, reason: FileFault.reason(of: error))))
            }
        }
        return FileLock.acquire(lockPath, folder: false)
    }

    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    /// The folder a new site is written to before it is swapped in.
    struct Staging: Sendable {
        let path: String
    }

    /// Starts a new site aside. Call with the lock held.
    func begin() throws -> Staging {
        let staging = Staging(path: parent + "/.\(name).new-\(getpid())")
        _ = Self.removeTree(staging.path)
        guard mkdir(staging.path, 0o755) == 0 else { throw FileFault("create", staging.path, errno: errno) }
        return staging
    }

    /// Removes the folders a publish that was killed left beside the site: a new site not swapped in, or the previous
    /// site swapped out and not yet removed. Never the live site, so safe under the lock. Called before every new site
    /// and by a publish that has nothing to write (a kill while the previous site was being removed leaves a site
    /// that is already the new one).
    /// Returns what could not be removed, as faults to report.
    func removeLeftovers() -> [FileFault] {
        var faults: [FileFault] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        where entry.hasPrefix(".\(name).new-") || entry.hasPrefix(".\(name).old-") {
            if let fault = Self.removeTree(parent + "/" + entry) { faults.append(fault) }
        }
        return faults
    }

    /// Writes files into the new site, each as soon as `content` makes it (on all cores); a file that did not change
    /// is a hard link to the previous site's. Returns how many were written new. Called for each policy's files (from
    /// several threads at once: their folders are their own) and once for the site-wide ones, so that only the pages
    /// of the policies being made are in memory.
    func write(_ paths: [String], into staging: Staging, content: @Sendable (Int) -> SiteContent) throws -> Int {
        // Folders first, parents before children, each once: `mkdir` itself rather than FileManager, whose
        // `withIntermediateDirectories` looks at every component of the path again.
        var made = Set<Substring>()
        for path in paths {
            guard let slash = path.lastIndex(of: "/") else { continue }
            let folder = path[..<slash]
            guard !made.contains(folder) else { continue }
            var missing: [Substring] = []
            var current = folder
            while !current.isEmpty, !made.contains(current) {
                missing.append(current)
                current = current.lastIndex(of: "/").map { current[..<$0] } ?? ""
            }
            for folder in missing.reversed() {
                let full = staging.path + "/" + folder
                guard mkdir(full, 0o755) == 0 || errno == EEXIST else {
                    throw WriteError(description: "cannot create \(full): \(String(cString: strerror(errno)))")
                }
                made.insert(folder)
            }
        }
        let out = self.out
        let root = staging.path
        let results = paths.indices.map { $0 }.concurrentMap { index -> (written: Bool, failure: String?) in
            let target = root + "/" + paths[index]
            switch content(index) {
            case .bytes(let bytes):
                return (
                    true,
                    Self.writeFile(target, bytes) ? nil : "cannot write \(target): \(String(cString: strerror(errno)))"
                )
            case .unchanged:
                let source = out + "/" + paths[index]
                if link(source, target) == 0 { return (false, nil) }
                guard let data = FileManager.default.contents(atPath: source), Self.writeFile(target, [UInt8](data))
                else {
                    return (false, "cannot copy \(source) to \(target)")
                }
                return (false, nil)
            }
        }
        if let failure = results.compactMap(\.failure).first { throw WriteError(description: failure) }
        return results.filter(\.written).count
    }

    /// Swaps the new site in. Returns the folder that now holds the previous site (to be removed by the caller), or
    /// nil when there was none.
    func finish(_ staging: Staging) throws -> String? {
        var info = stat()
        guard lstat(out, &info) == 0 else {
            guard rename(staging.path, out) == 0 else { throw FileFault("move the new site to", out, errno: errno) }
            Durable.syncFolder(parent)
            return nil
        }
        if let exchange = Self.renameExchange,
            exchange(AT_FDCWD, staging.path, AT_FDCWD, out, Self.exchangeFlag) == 0
        {
            Durable.syncFolder(parent)
            return staging.path
        }
        let old = parent + "/.\(name).old-\(getpid())"
        guard rename(out, old) == 0 else { throw FileFault("move the previous site aside from", out, errno: errno) }
        guard rename(staging.path, out) == 0 else {
            let code = errno
            _ = rename(old, out)
            throw FileFault("move the new site to", out, errno: code)
        }
        Durable.syncFolder(parent)
        return old
    }

    /// Removes a new site that will not be swapped in; the previous site was never touched.
    func abandon(_ staging: Staging) {
        _ = Self.removeTree(staging.path)
    }

    /// Removes a folder and everything in it, as `FileManager.removeItem` does, many entries at a time. On a file
    /// system mounted with `discard`, freeing a file's blocks waits for the disk, so unlinks from several threads
    /// overlap those waits (the lane count and the measurement that chose it: docs/performance.md, "Choices"). Files
    /// first, then folders from the deepest level up; an entry that cannot be removed is reported with its reason.
    @discardableResult
    static func removeTree(_ path: String) -> FileFault? {
        var files: [String] = []
        var levels: [[String]] = []
        func walk(_ folder: String, depth: Int) {
            guard let directory = opendir(folder) else { return }
            defer { closedir(directory) }
            if levels.count <= depth { levels.append([]) }
            levels[depth].append(folder)
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard name != ".", name != ".." else { continue }
                let full = folder + "/" + name
                var isFolder = entry.pointee.d_type == UInt8(DT_DIR)
                if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                    var info = stat()
                    isFolder = lstat(full, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
                }
                if isFolder { walk(full, depth: depth + 1) } else { files.append(full) }
            }
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            return unlink(path) == 0 ? nil : FileFault("remove", path, errno: errno)
        }
        walk(path, depth: 0)
        inParallel(files) { unlink($0) }
        for level in levels.reversed() { inParallel(level) { rmdir($0) } }
        guard lstat(path, &info) == 0 else { return nil }
        return removeOneByOne(path).map {
            FileFault("remove", path, reason: "\(FileFault.relative($0.path)): \($0.reason)")
        }
    }

    /// Removes what is left below `path` one entry at a time; the first entry that cannot be removed, with the
    /// operating system's reason.
    private static func removeOneByOne(_ path: String) -> (path: String, reason: String)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                if let failure = removeOneByOne(path + "/" + name) { return failure }
            }
            return rmdir(path) == 0 ? nil : (path, String(cString: strerror(errno)))
        }
        return unlink(path) == 0 ? nil : (path, String(cString: strerror(errno)))
    }

    /// Runs `body` on every path from 16 threads: the work waits on the disk, not on the cores.
    private static func inParallel(_ paths: [String], _ body: @escaping @Sendable (String) -> Int32) {
        guard paths.count > 1 else {
            for path in paths { _ = body(path) }
            return
        }
        let lanes = min(16, paths.count)
        let group = DispatchGroup()
        for lane in 0..<lanes {
            group.enter()
            let share = Array(stride(from: lane, to: paths.count, by: lanes).map { paths[$0] })
            Thread.detachNewThread {
                for path in share { _ = body(path) }
                group.leave()
            }
        }
        group.wait()
    }

    /// `RENAME_EXCHANGE`: swap the two names in one step.
    static let exchangeFlag: UInt32 = 2

    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `renameat2`, looked up at run time: Swift's Glibc module does not declare it.
    static let renameExchange: RenameAt2? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()

    static func writeFile(_ path: String, _ bytes: [UInt8]) -> Bool {
        let descriptor = open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                Glibc.write(descriptor, $0.baseAddress! + offset, bytes.count - offset)
            }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

}
