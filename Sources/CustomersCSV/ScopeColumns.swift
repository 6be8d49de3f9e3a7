import NotifyCore
import PolicyModel

/// The services and region columns of an export: a customer's scope, which decides whether a change confined to
/// some services or regions concerns them. An empty cell leaves the scope unknown, and the customer is told.
enum CustomerScopeColumns {
    /// `webshop | app`: scope item ids separated by `|`, as the categories column separates categories. Returns
    /// what is wrong, in words that never repeat the cell (customer data).
    static func services(_ field: UnsafeBufferPointer<UInt8>, vocabulary: Vocabulary, into mask: inout UInt64)
        -> String?
    {
        var found: UInt64 = 0
        var any = false
        for part in field.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false) {
            let id = part.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
            guard !id.isEmpty else { continue }
            any = true
            let bytes = Array(id)
            guard let bit = bytes.withUnsafeBufferPointer({ vocabulary.bit(ofService: $0) }) else {
                return
                    "a service the policy does not declare under 'scope:'; write its scope ids separated by '|' (or leave the cell empty when not known)"
            }
            found |= bit
        }
        if any { mask = found }
        return nil
    }

    /// `NL`, `us-ca`: a country code or a subdivision of one; `EEA` and `EU` are not places a customer lives.
    static func region(_ field: UnsafeBufferPointer<UInt8>, vocabulary: Vocabulary, into mask: inout UInt64) -> String?
    {
        guard let home = Regions.normalised(String(decoding: field, as: UTF8.self)) else { return nil }
        guard Regions.isRegion(home), Regions.country(home) != nil else {
            return
                "not a country code such as NL or a region such as US-CA; leave the cell empty when it is not known"
        }
        mask = vocabulary.regionMask(home)
        return nil
    }
}
