import Crypto

/// The content hash of a source file or a page input: `sha256:` and 64 hex digits. Computed over the exact bytes, so
/// any edit to a published version, a typo fix included, changes it.
public enum ContentHash {
    public static func of(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return "sha256:" + hex(hasher.finalize())
    }

    public static func of(_ text: String) -> String { of(Array(text.utf8)) }

    /// The hash of several parts, each length-prefixed so that ("ab", "c") and ("a", "bc") differ.
    public static func of(parts: [String]) -> String {
        var hasher = SHA256()
        for part in parts {
            hasher.update(data: Array("\(part.utf8.count):".utf8))
            hasher.update(data: Array(part.utf8))
        }
        return "sha256:" + hex(hasher.finalize())
    }

    /// Base64 of the SHA-256 of `text`: the form a Content-Security-Policy hash source takes.
    public static func cspBase64(_ text: String) -> String {
        let digest = Array(SHA256.hash(data: Array(text.utf8)))
        return base64(digest)
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index + 2 < bytes.count {
            let n = Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
            out += [table[n >> 18 & 63], table[n >> 12 & 63], table[n >> 6 & 63], table[n & 63]]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = Int(bytes[index]) << 16
            out += [table[n >> 18 & 63], table[n >> 12 & 63], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8
            out += [table[n >> 18 & 63], table[n >> 12 & 63], table[n >> 6 & 63], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
