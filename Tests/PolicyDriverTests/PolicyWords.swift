import Foundation
import PolicyModel

@testable import PolicyPresent

/// The ids and codes of a policy, which a person must never read in a mail: every fact's id (category, purpose,
/// recipient, retention, …), the raw values of its vocabularies (legal bases, roles, retention events, transfer
/// grounds) and its country codes. A word of the mail is reported when it is one of them and is not also a word of
/// the language itself, in any case (its strings table or the policy's own labels): "order" is English and Dutch,
/// "name-address" and "invoices" are not Dutch.
struct PolicyIds {
    let forbidden: Set<String>
    let words: Set<String>

    init(versions: [PolicyVersion], language: String) {
        var ids: Set<String> = []
        var words: Set<String> = []
        for version in versions {
            for key in version.facts.keys { ids.insert(String(key.split(separator: "/").last ?? "")) }
            for purpose in version.purposes { if let basis = purpose.basis { ids.insert(basis.rawValue) } }
            for recipient in version.recipients {
                if let role = recipient.role { ids.insert(role.rawValue) }
                if let country = recipient.country { ids.insert(country) }
                for ground in recipient.transferGrounds { ids.insert(ground.rawValue) }
            }
            for retention in version.retention {
                if let until = retention.until { ids.insert(until.rawValue) }
                if let from = retention.from { ids.insert(from.rawValue) }
            }
            for controller in version.controllers { if let country = controller.country { ids.insert(country) } }
            if let authority = version.supervisoryAuthority?.country { ids.insert(authority) }
            guard version.language == language else { continue }
            // A retention period's title is its id: not a word.
            for (key, title) in version.factTitles where !key.hasPrefix("retention/") {
                words.formUnion(Self.tokens(title).map { $0.lowercased() })
            }
        }
        let table = Strings.tables[Presenter(language: language).tableLanguage] ?? [:]
        for text in table.values { words.formUnion(Self.tokens(text).map { $0.lowercased() }) }
        forbidden = ids.filter { !$0.isEmpty }
        self.words = words
    }

    /// Words as ids are written: letters, digits, hyphens and underscores. Addresses and links are left out: their
    /// parts are the shop's, not the policy's ids.
    static func tokens(_ text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).filter { !$0.contains("@") && !$0.contains("://") }.flatMap {
            $0.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }).map {
                String($0).trimmingCharacters(in: CharacterSet(charactersIn: "-_"))
            }
        }
    }

    /// The ids in `text`, in order.
    func found(in text: String) -> [String] {
        Self.tokens(text).filter { forbidden.contains($0) && !words.contains($0.lowercased()) }
    }
}
