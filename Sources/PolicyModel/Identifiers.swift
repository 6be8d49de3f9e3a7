/// The forms of the names that become paths and keys: ids (facts, the `policy` key, a policy argument) and language
/// tags. One implementation for the compiler and the command line, so a name the command line accepts is one the
/// sources may use, and the other way round. Checked on bytes: every accepted character is ASCII.
public enum Identifiers {
    /// Lowercase ASCII letters, digits and single hyphens, not starting or ending with a hyphen, at most 64 long.
    public static func isIdentifier(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last, first != 45, last != 45, bytes.count <= 64 else {
            return false
        }
        var previousHyphen = false
        for byte in bytes {
            let ok = (97...122).contains(byte) || (48...57).contains(byte) || byte == 45
            if !ok || (byte == 45 && previousHyphen) { return false }
            previousHyphen = byte == 45
        }
        return true
    }

    /// Two or three lowercase letters, optionally `-` and two uppercase letters (`nl`, `en`, `pt-BR`).
    public static func isLanguageTag(_ text: String) -> Bool {
        let parts = text.utf8.split(separator: 45, omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ (97...122).contains($0) })
        else { return false }
        return parts.count == 1
            || (parts.count == 2 && parts[1].count == 2 && parts[1].allSatisfy({ (65...90).contains($0) }))
    }
}
