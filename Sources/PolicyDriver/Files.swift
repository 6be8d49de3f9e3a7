import PolicyBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file system as the policy reader sees it: POSIX calls, so that every failure keeps its reason (errno)
/// and names that are not UTF-8 are seen rather than dropped.
enum FileSystem {
    enum Kind: Equatable {
        case regular(size: Int)
        case directory
        /// A FIFO, device or socket: never read (a FIFO would block).
        case other
    }

    struct Identity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    struct Status {
        var kind: Kind
        var identity: Identity
    }

    /// `stat` (following symbolic links), or the reason it failed.
    static func status(_ path: String) -> Result<Status, FileError> {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(FileError(errno: errno, path: path)) }
        let kind: Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular(size: Int(info.st_size))
        case S_IFDIR: kind = .directory
        default: kind = .other
        }
        return .success(Status(kind: kind, identity: Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))))
    }

    /// Whether `path` itself (not what it points to) is a symbolic link.
    static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// The names in a directory, as raw bytes (a name need not be UTF-8), without `.` and `..`.
    static func names(in path: String) -> Result<[[UInt8]], FileError> {
        guard let directory = opendir(path) else { return .failure(FileError(errno: errno, path: path)) }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        errno = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name != [46], name != [46, 46] { names.append(name) }
            errno = 0
        }
        if errno != 0 { return .failure(FileError(errno: errno, path: path)) }
        return .success(names)
    }

    /// The bytes of a regular file. Opened without blocking, so a FIFO given by name cannot hang the check, and
    /// checked to be a regular file after opening, so nothing can swap it in between.
    static func read(_ path: String, limit: Int) -> Result<[UInt8], FileError> {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(FileError(errno: errno, path: path)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(FileError(errno: errno, path: path)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(
                FileError(
                    reason: (info.st_mode & S_IFMT) == S_IFDIR ? "is a folder, not a file" : "not a regular file",
                    path: path))
        }
        guard Int(info.st_size) <= limit else {
            return .failure(FileError(reason: "too large", path: path, tooLarge: true))
        }
        // One byte more than the size, so the read that finds the end has room: growing the array for it would keep
        // the grown capacity reserved for as long as the bytes live, through a whole publish.
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                // The file grew since fstat: read on in steps, up to the limit.
                guard bytes.count <= limit else {
                    return .failure(FileError(reason: "too large", path: path, tooLarge: true))
                }
                bytes.append(contentsOf: [UInt8](repeating: 0, count: 65_536))
            }
            let got = bytes.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress! + count, $0.count - count) }
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(FileError(errno: errno, path: path))
            }
            if got == 0 { break }
            count += got
        }
        bytes.removeSubrange(count...)
        return .success(bytes)
    }
}

/// Why a path could not be read, in words: `permission denied`, `not a regular file`, `symlink loop`.
struct FileError: Error {
    var reason: String
    var path: String
    var code: Int32 = 0
    var tooLarge = false

    init(reason: String, path: String, tooLarge: Bool = false) {
        self.reason = reason
        self.path = path
        self.tooLarge = tooLarge
    }

    init(errno code: Int32, path: String) {
        self.path = path
        self.code = code
        switch code {
        case EACCES, EPERM: reason = "permission denied"
        case ELOOP: reason = "symlink loop"
        case ENAMETOOLONG: reason = "path too long"
        case ENOENT: reason = "no such file or directory"
        case ENOTDIR: reason = "a part of the path is not a folder"
        case EISDIR: reason = "is a folder, not a file"
        case EMFILE, ENFILE: reason = "too many open files"
        default: reason = String(cString: strerror(code)).lowercased()
        }
    }
}

/// `read(2)`, under a name the `FileSystem.read` above does not hide.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
