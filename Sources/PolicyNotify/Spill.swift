import Foundation

/// The temporary file selection spills partitions and sorted runs to, so that an export of any size is handled in
/// bounded memory.
///
/// It is created only when a partition first outgrows its block, in `TMPDIR` (else `/tmp`), with mode 0600, and its
/// name is removed at once: customer data in it is reachable only through this process's descriptor and is gone when
/// the process ends, however it ends. Appends reserve their range under a lock and write with `pwrite`; reads use
/// `pread`, so both cores can read and write at once.
final class SpillFile: @unchecked Sendable {
    private let lock = NSLock()
    private var descriptor: Int32 = -1
    private var end = 0

    var isOpen: Bool {
        lock.lock()
        defer { lock.unlock() }
        return descriptor >= 0
    }

    var size: Int {
        lock.lock()
        defer { lock.unlock() }
        return end
    }

    /// Appends `bytes`; returns where they are.
    func append(_ bytes: UnsafeRawBufferPointer) throws -> Range<Int> {
        lock.lock()
        if descriptor < 0 {
            do { try open() } catch { lock.unlock(); throw error }
        }
        let start = end
        end += bytes.count
        let descriptor = self.descriptor
        lock.unlock()
        try write(bytes, at: start, to: descriptor)
        return start..<(start + bytes.count)
    }

    private let writer = DispatchQueue(label: "policyc.notify.spill")
    private let slots = DispatchSemaphore(value: 2)
    private var failure: Error?

    /// Appends `bytes` on the file's own queue, so that the thread reading the export goes on; at most two blocks
    /// wait. Call `drain` before reading anything back.
    func appendLater(_ bytes: [UInt8]) throws -> Range<Int> {
        if let failure = lock.withLock({ failure }) { throw failure }
        lock.lock()
        if descriptor < 0 {
            do { try open() } catch { lock.unlock(); throw error }
        }
        let start = end
        end += bytes.count
        let descriptor = self.descriptor
        lock.unlock()
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

    private func write(_ bytes: UnsafeRawBufferPointer, at start: Int, to descriptor: Int32) throws {
        var done = 0
        while done < bytes.count {
            let written = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(start + done))
            if written < 0 {
                if errno == EINTR { continue }
                throw SourceError("cannot write the temporary file of the selection: \(String(cString: strerror(errno)))")
            }
            done += written
        }
    }

    /// Reads the bytes of `range` to `destination`.
    func read(_ range: Range<Int>, into destination: UnsafeMutableRawPointer) throws {
        let descriptor = lock.withLock { self.descriptor }
        var done = 0
        while done < range.count {
            let got = pread(descriptor, destination + done, range.count - done, off_t(range.lowerBound + done))
            if got < 0 && errno == EINTR { continue }
            if got <= 0 {
                throw SourceError("cannot read the temporary file of the selection: \(got < 0 ? String(cString: strerror(errno)) : "it is shorter than written")")
            }
            done += got
        }
    }

    private func open() throws {
        var folder = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        if folder.isEmpty { folder = "/tmp" }
        var template = Array((folder + "/policyc-notify.XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else {
            throw SourceError("cannot create a temporary file in \(folder) (set TMPDIR to a writable folder): \(String(cString: strerror(errno)))")
        }
        unlink(template)
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }
}
