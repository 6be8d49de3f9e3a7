import Foundation
import PolicyNotify

#if canImport(Glibc)
    import Glibc
#endif

/// A file sink for notify's output, which holds personal data: the file is created without a name (`O_TMPFILE`)
/// where the file system allows it, and named only once it is complete and synced. A run killed while writing
/// leaves nothing readable; the kernel frees the unnamed file with the process. Where `O_TMPFILE` is refused, the
/// file is created under its name, and the hidden folder it is in is removed by the next run. Mode 0600: only the
/// user who runs notify (and sends the mails) reads it.
///
/// A run for millions of customers writes about a gigabyte of files; through the page cache that costs more system
/// time than any part of the selection (docs/performance.md), so bytes are staged in a 1 MB buffer aligned for direct
/// I/O (`O_DIRECT`) and written a megabyte at a time; the last, partial megabyte goes through the page cache (direct
/// writes must be whole blocks). Where the file system refuses direct I/O (tmpfs, some network file systems), the
/// file is written the ordinary way.
final class FileSink: ByteSink {
    static let stagingSize = 1 << 20
    let path: String
    private var descriptor: Int32
    private var direct: Bool
    /// Whether the file still needs its name (`name()`).
    private var unnamed: Bool
    private let staging: UnsafeMutableRawPointer
    private var staged = 0

    /// `O_TMPFILE`, which the Glibc module does not export; its value differs by architecture. Nil where unknown.
    static let temporaryFlag: Int32? = {
        #if os(Linux) && arch(x86_64)
            return 0o20_200_000
        #elseif os(Linux) && arch(arm64)
            return 0o20_040_000
        #else
            return nil
        #endif
    }()

    /// `AT_SYMLINK_FOLLOW` and `AT_EMPTY_PATH` for `linkat`, which the Glibc module does not export.
    static let followLink: Int32 = 0x400
    static let emptyPath: Int32 = 0x1000

    init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        var descriptor: Int32 = -1
        var direct = false
        var unnamed = false
        // Unnamed and direct; unnamed; named and direct; named: the first the file system takes.
        let attempts: [(temporary: Bool, direct: Bool)] = [(true, true), (true, false), (false, true), (false, false)]
        for attempt in attempts {
            if attempt.temporary && Self.temporaryFlag == nil || attempt.direct && DirectIO.flag == nil { continue }
            let extra =
                (attempt.temporary ? Self.temporaryFlag! : O_CREAT | O_TRUNC) | (attempt.direct ? DirectIO.flag! : 0)
            descriptor = open(attempt.temporary ? folder : path, O_WRONLY | O_CLOEXEC | extra, 0o600)
            if descriptor >= 0 {
                (direct, unnamed) = (attempt.direct, attempt.temporary)
                break
            }
        }
        guard descriptor >= 0 else { throw FileFault("write", path, errno: errno) }
        self.descriptor = descriptor
        self.direct = direct
        self.unnamed = unnamed
        staging = UnsafeMutableRawPointer.allocate(byteCount: Self.stagingSize, alignment: 4096)
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { source in
            var at = 0
            while at < source.count {
                let count = min(Self.stagingSize - staged, source.count - at)
                (staging + staged).copyMemory(from: source.baseAddress! + at, byteCount: count)
                staged += count
                at += count
                if staged == Self.stagingSize { try writeStaged() }
            }
        }
    }

    /// Writes what is staged and syncs the file. An unnamed file stays open (and unnamed) until `name()`.
    func close() throws {
        guard descriptor >= 0 else { return }
        if staged > 0 {
            // Not a whole number of blocks: this part goes through the page cache.
            if direct { stopDirect() }
            try writeStaged()
        }
        guard fsync(descriptor) == 0 else { throw FileFault("write", path, errno: errno) }
        if !unnamed { try closeDescriptor() }
    }

    /// Gives a complete, synced file its name.
    func name() throws {
        guard unnamed, descriptor >= 0 else { return }
        // Through /proc, as `linkat(fd, "", …, AT_EMPTY_PATH)` needs a capability an ordinary user lacks.
        if linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, path, Self.followLink) != 0 {
            let code = errno
            guard linkat(descriptor, "", AT_FDCWD, path, Self.emptyPath) == 0 else {
                throw FileFault("write", path, errno: code)
            }
        }
        unnamed = false
        try closeDescriptor()
    }

    private func closeDescriptor() throws {
        let result = Glibc.close(descriptor)
        descriptor = -1
        guard result == 0 else { throw FileFault("write", path, errno: errno) }
    }

    private func stopDirect() {
        direct = false
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~(DirectIO.flag ?? 0))
    }

    private func writeStaged() throws {
        var done = 0
        while done < staged {
            let count = Glibc.write(descriptor, staging + done, staged - done)
            if count < 0 && errno == EINTR { continue }
            if count < 0 && errno == EINVAL && direct {
                stopDirect()  // the file system took the open but not the write
                continue
            }
            guard count > 0 else { throw FileFault("write", path, errno: count == 0 ? ENOSPC : errno) }
            done += count
        }
        staged = 0
    }

    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        staging.deallocate()
    }
}
