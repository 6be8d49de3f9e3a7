import Foundation
import NotifyCore

/// The temporary file selection spills partitions and sorted runs to, so that an export of any size is handled in
/// bounded memory.
///
/// It is created only when a partition first outgrows its block, in `TMPDIR` (else `/tmp`), with mode 0600, and its
/// name is removed at once: customer data in it is reachable only through this process's descriptor and is gone when
/// the process ends, however it ends. Appends reserve their range under a lock and write with `pwrite`; reads use
/// `pread`, so both cores can read and write at once.
///
/// The file is read and written directly (`O_DIRECT`) where the file system allows it: it is read back once, so
/// the page cache would only cost the copy into it (about 2 s of system time a gigabyte on the project's machine,
/// against 0.1 s direct). Direct I/O needs whole, aligned blocks, so every append starts on a 4 KB boundary and is
/// padded to one, and data passes through aligned buffers. Where direct I/O is refused, the file is used the
/// ordinary way.
/// `O_DIRECT`, for the files notify writes directly (this temporary file and the driver's output files).
public enum DirectIO {
    /// The flag, which the Glibc module does not export; its value differs by architecture. Nil where unknown.
    public static let flag: Int32? = {
        #if os(Linux) && arch(x86_64)
            return 0o40000
        #elseif os(Linux) && arch(arm64)
            return 0o200000
        #else
            return nil
        #endif
    }()
}

package final class SpillFile: @unchecked Sendable {
    static let alignment = 4096
    private let lock = NSLock()
    private var descriptor: Int32 = -1
    private var direct = false
    private var end = 0

    private let writer = DispatchQueue(label: "policyc.notify.spill")
    private let slots = DispatchSemaphore(value: 2)
    private var failure: Error?

    package var isOpen: Bool { lock.withLock { descriptor >= 0 } }

    /// Bytes in the file, padding included.
    var size: Int { lock.withLock { end } }

    static func padded(_ count: Int) -> Int { (count + alignment - 1) / alignment * alignment }

    /// Reserves an aligned range for `count` bytes, opening the file first if need be.
    private func reserve(_ count: Int) throws -> (start: Int, descriptor: Int32) {
        try lock.withLock {
            if descriptor < 0 { try open() }
            let start = end
            end += Self.padded(count)
            return (start, descriptor)
        }
    }

    /// Appends `bytes`; returns where they are.
    func append(_ bytes: UnsafeRawBufferPointer) throws -> Range<Int> {
        let (start, descriptor) = try reserve(bytes.count)
        try write(bytes, at: start, to: descriptor)
        return start..<(start + bytes.count)
    }

    /// Appends `bytes` on the file's own queue, so that the thread reading the export goes on; at most two blocks
    /// wait. Call `drain` before reading anything back.
    func appendLater(_ bytes: [UInt8]) throws -> Range<Int> {
        if let failure = lock.withLock({ failure }) { throw failure }
        let (start, descriptor) = try reserve(bytes.count)
        slots.wait()
        writer.async { [self] in
            defer { slots.signal() }
            do {
                try bytes.withUnsafeBytes { try write($0, at: start, to: descriptor) }
            } catch {
                lock.withLock { if failure == nil { failure = error } }
            }
        }
        return start..<(start + bytes.count)
    }

    /// Waits for the writes `appendLater` queued; throws the first that failed.
    func drain() throws {
        writer.sync {}
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    /// Writes `bytes` at `start` (aligned), padded with zeros to a whole block.
    private func write(_ bytes: UnsafeRawBufferPointer, at start: Int, to descriptor: Int32) throws {
        let length = Self.padded(bytes.count)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(length, Self.alignment), alignment: Self.alignment)
        defer { buffer.deallocate() }
        if let source = bytes.baseAddress { buffer.copyMemory(from: source, byteCount: bytes.count) }
        (buffer + bytes.count).initializeMemory(as: UInt8.self, repeating: 0, count: length - bytes.count)
        var done = 0
        while done < length {
            let written = pwrite(descriptor, buffer + done, length - done, off_t(start + done))
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EINVAL && stopDirect() { continue }
                throw SourceError(
                    "cannot write the temporary file of the selection: \(String(cString: strerror(errno)))")
            }
            done += written
        }
    }

    /// Reads the bytes of `range` (which starts where an append started, or a multiple of 4 KB after) to
    /// `destination`.
    func read(_ range: Range<Int>, into destination: UnsafeMutableRawPointer) throws {
        let descriptor = lock.withLock { self.descriptor }
        let start = range.lowerBound / Self.alignment * Self.alignment
        let skip = range.lowerBound - start
        let length = Self.padded(skip + range.count)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(length, Self.alignment), alignment: Self.alignment)
        defer { buffer.deallocate() }
        var done = 0
        while done < skip + range.count {
            let got = pread(descriptor, buffer + done, length - done, off_t(start + done))
            if got < 0 && errno == EINTR { continue }
            if got < 0 && errno == EINVAL && stopDirect() { continue }
            if got <= 0 {
                throw SourceError(
                    "cannot read the temporary file of the selection: \(got < 0 ? String(cString: strerror(errno)) : "it is shorter than written")"
                )
            }
            done += got
        }
        destination.copyMemory(from: buffer + skip, byteCount: range.count)
    }

    /// Turns direct I/O off (the file system opened the file but refused an operation); false when it was off.
    private func stopDirect() -> Bool {
        lock.withLock {
            guard direct, let flag = DirectIO.flag else { return false }
            direct = false
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~flag)
            return true
        }
    }

    /// Called with the lock held.
    private func open() throws {
        var folder = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        if folder.isEmpty { folder = "/tmp" }
        var template = Array((folder + "/policyc-notify.XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else {
            throw SourceError(
                "cannot create a temporary file in \(folder) (set TMPDIR to a writable folder): \(String(cString: strerror(errno)))"
            )
        }
        unlink(template)
        if let flag = DirectIO.flag, fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | flag) == 0 {
            direct = true
        }
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }
}
