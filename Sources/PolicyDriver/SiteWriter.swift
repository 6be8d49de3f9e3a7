import Foundation
import PolicyPublish
#if canImport(Glibc)
import Glibc
#endif

/// Writes a site so that a reader, or a publish killed at any moment, sees either the previous site or the new one
/// whole: the new site is written to a folder beside the old one and swapped in with one `renameat2(RENAME_EXCHANGE)`
/// (Linux; elsewhere, or on a file system without it, two renames with a moment of no site in between). Files that did
/// not change are hard links to the previous site's, so an unchanged publish copies no bytes.
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

    struct Lock {
        let descriptor: Int32
        func release() { flock(descriptor, LOCK_UN); close(descriptor) }
    }

    func lock() -> Result<Lock, LockError> {
        do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            return .failure(LockError(description: "cannot create \(parent): \(error.localizedDescription)"))
        }
        let descriptor = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return .failure(LockError(description: "cannot open the lock file \(lockPath): \(String(cString: strerror(errno)))")) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return .failure(LockError(description: "another policyc publish is writing \(out) (it holds \(lockPath)); nothing was written: wait until it has finished, then publish again"))
        }
        return .success(Lock(descriptor: descriptor))
    }

    struct LockError: Error, CustomStringConvertible { var description: String }

    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes the files aside, each as soon as `content` makes it (on all cores), and swaps them in. Returns how many
    /// were written new (not linked to the previous site's). Call with the lock held.
    func write(paths: [String], content: @Sendable (Int) -> SiteContent) throws -> Int {
        let manager = FileManager.default
        // Folders left by a publish that was killed: never the live site, so safe to remove under the lock.
        for entry in (try? manager.contentsOfDirectory(atPath: parent)) ?? [] where entry.hasPrefix(".\(name).new-") || entry.hasPrefix(".\(name).old-") {
            try? manager.removeItem(atPath: parent + "/" + entry)
        }
        let staging = parent + "/.\(name).new-\(getpid())"
        try? manager.removeItem(atPath: staging)
        var folders = Set<String>()
        for path in paths {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { folders.insert(folder) }
        }
        try manager.createDirectory(atPath: staging, withIntermediateDirectories: true)
        for folder in folders.sorted() {
            try manager.createDirectory(atPath: staging + "/" + folder, withIntermediateDirectories: true)
        }
        let out = self.out
        let results = paths.indices.map { $0 }.concurrentMap { index -> (written: Bool, failure: String?) in
            let target = staging + "/" + paths[index]
            switch content(index) {
            case .bytes(let bytes):
                return (true, Self.writeFile(target, bytes) ? nil : "cannot write \(target): \(String(cString: strerror(errno)))")
            case .unchanged:
                let source = out + "/" + paths[index]
                if link(source, target) == 0 { return (false, nil) }
                guard let data = FileManager.default.contents(atPath: source), Self.writeFile(target, [UInt8](data)) else {
                    return (false, "cannot copy \(source) to \(target)")
                }
                return (false, nil)
            }
        }
        if let failure = results.compactMap(\.failure).first {
            try? manager.removeItem(atPath: staging)
            throw WriteError(description: failure)
        }
        try swap(staging)
        return results.filter(\.written).count
    }

    private func swap(_ staging: String) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: out, isDirectory: &isDirectory) else {
            guard rename(staging, out) == 0 else { throw WriteError(description: "cannot move \(staging) to \(out): \(String(cString: strerror(errno)))") }
            return
        }
        if let exchange = Self.renameExchange, exchange(AT_FDCWD, staging, AT_FDCWD, out, 2 /* RENAME_EXCHANGE */) == 0 {
            // `staging` now holds the previous site.
            try? manager.removeItem(atPath: staging)
            return
        }
        let old = parent + "/.\(name).old-\(getpid())"
        guard rename(out, old) == 0 else { throw WriteError(description: "cannot move \(out) aside: \(String(cString: strerror(errno)))") }
        guard rename(staging, out) == 0 else {
            _ = rename(old, out)
            throw WriteError(description: "cannot move \(staging) to \(out): \(String(cString: strerror(errno)))")
        }
        try? manager.removeItem(atPath: old)
    }

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
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// Replaces one file by writing a sibling and renaming it over: a reader sees the old or the new file.
    static func replaceFile(_ path: String, with bytes: [UInt8]) throws {
        let temporary = path + ".tmp-\(getpid())"
        guard writeFile(temporary, bytes) else { throw WriteError(description: "cannot write \(temporary): \(String(cString: strerror(errno)))") }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw WriteError(description: "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
        }
    }
}
