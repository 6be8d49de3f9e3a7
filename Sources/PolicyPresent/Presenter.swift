import Foundation
import PolicyBase
import PolicyDiff
import PolicyModel

/// Turns model values and change records into words of one language. Everything a person reads (a published page,
/// a notification email, `policyc diff`'s reports) goes through here, so a value is written the same way
/// everywhere and never as a code: "7 jaar", "30 april 2018", "Verenigde Staten", "toestemming".
///
/// A language is a strings table (`Strings/<language>.swift`). There is no fallback to another language: `check`
/// rejects a policy in a language without a table (`LanguageCheck`), so every page, mail and report of a policy is in
/// the policy's own language.
public struct Presenter: Sendable {
    /// The language asked for, as given (`nl`, `en`, `fr-BE`).
    public let language: String
    /// The language whose table is used: the asked one when there is a table, else its base language (`fr-BE` → `fr`).
    public let tableLanguage: String
    let table: [String: String]

    /// The words of `language`, which must be one policyc has words for (`Presenter.hasWords`): every policy language
    /// reaches here through `check`'s `LanguageCheck`, so another one is a programming error.
    public init(language: String) {
        guard let (chosen, table) = Strings.table(for: language) else {
            preconditionFailure("no strings table for language '\(language)'; LanguageCheck should have rejected it")
        }
        self.language = language
        self.tableLanguage = chosen
        self.table = table
    }

    /// The languages that have a strings table.
    public static var languages: [String] { Strings.tables.keys.sorted() }

    /// Whether policyc can write pages, mails and reports in `language` (a tag such as `de` or `fr-BE`).
    public static func hasWords(for language: String) -> Bool { Strings.table(for: language) != nil }

    /// The text for `key`, with `{0}`, `{1}` … replaced by `arguments`. Every table has every key (a test holds them
    /// together), so a missing key is a programming error; it shows as the key, never as another language's words.
    public func text(_ key: String, _ arguments: String...) -> String {
        format(table[key] ?? key, arguments)
    }

    /// The key of the plural form for `count`: `<stem>.one` or `<stem>.other`. French counts 0 as singular
    /// ("0 jour"), so the table says which form 0 takes (`plural.zero`).
    func plural(_ stem: String, _ count: Int) -> String {
        let singular = count == 1 || (count == 0 && table["plural.zero"] == "one")
        return singular ? "\(stem).one" : "\(stem).other"
    }

    func format(_ template: String, _ arguments: [String]) -> String {
        guard !arguments.isEmpty, template.utf8.contains(UInt8(ascii: "{")) else { return template }
        var out = template
        for (index, argument) in arguments.enumerated() {
            out = Self.replacing("{\(index)}", in: out, with: argument)
        }
        return out
    }

    /// `text` with every `placeholder` replaced, as Foundation's `replacingOccurrences` does (whole characters only:
    /// `{0}` followed by a combining mark is not `{0}`), without going through NSString, which is slow on Linux
    /// (docs/performance.md, "Choices").
    static func replacing(_ placeholder: String, in text: String, with replacement: String) -> String {
        // A placeholder is ASCII, so a text whose bytes do not hold it has no match: the common case, decided on bytes.
        // Where the bytes match between two ASCII bytes (or an end), they are whole characters too (no scalar before
        // an ASCII byte joins it, and only non-ASCII ones extend a character), so the text is rebuilt from bytes.
        // A match beside a non-ASCII byte, or a placeholder that is not ASCII, is left to the walk by characters.
        let pattern = Array(placeholder.utf8)
        guard !pattern.isEmpty else { return text }
        guard pattern.allSatisfy({ $0 < 0x80 && $0 != 13 && $0 != 10 }) else {
            // (CR and LF may join into one character.) Characters decide, where the bytes hold the placeholder at all.
            var bytes = text
            let found = bytes.withUTF8 { bytes in
                guard bytes.count >= pattern.count else { return false }
                return (0...(bytes.count - pattern.count)).contains { start in
                    (0..<pattern.count).allSatisfy { bytes[start + $0] == pattern[$0] }
                }
            }
            return found ? replacingCharacters(placeholder, in: text, with: replacement) : text
        }
        var copy = text
        let replaced = copy.withUTF8 { bytes -> String?? in
            let count = bytes.count
            let length = pattern.count
            guard count >= length else { return .some(nil) }
            var out: [UInt8] = []
            var copied = 0
            var start = 0
            while start <= count - length {
                guard bytes[start] == pattern[0], (1..<length).allSatisfy({ bytes[start + $0] == pattern[$0] }) else {
                    start += 1
                    continue
                }
                let end = start + length
                if (start > 0 && bytes[start - 1] >= 0x80) || (end < count && bytes[end] >= 0x80) { return nil }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<start]))
                out.append(contentsOf: replacement.utf8)
                copied = end
                start = end
            }
            guard copied > 0 else { return .some(nil) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return .some(String(decoding: out, as: UTF8.self))
        }
        switch replaced {
        case .some(.some(let result)): return result
        case .some(.none): return text
        case .none: return replacingCharacters(placeholder, in: text, with: replacement)
        }
    }

    /// `replacing` character by character: the definition, taken where bytes cannot decide.
    static func replacingCharacters(_ placeholder: String, in text: String, with replacement: String) -> String {
        var out = ""
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].starts(with: placeholder) {
                out += text[start..<index]
                out += replacement
                index = text.index(index, offsetBy: placeholder.count)
                start = index
            } else {
                index = text.index(after: index)
            }
        }
        out += text[start...]
        return out
    }

    // MARK: Values

    /// `30 april 2018` / `30 April 2018` / `30. April 2018`; the first of a month by its own pattern (`1er janvier`).
    public func date(_ date: CalendarDate) -> String {
        text(date.day == 1 ? "date.first" : "date", String(date.day), text("month.\(date.month)"), String(date.year))
    }

    /// `7 jaar`, `1 jaar en 6 maanden`, `30 dagen`; `P0D` is `0 dagen`.
    public func duration(_ duration: ISODuration) -> String {
        let units: [(Int, String)] = [
            (duration.years, "year"), (duration.months, "month"), (duration.weeks, "week"), (duration.days, "day"),
            (duration.hours, "hour"), (duration.minutes, "minute"), (duration.seconds, "second"),
        ]
        let parts = units.filter { $0.0 > 0 }.map { count, unit in
            text(plural("unit.\(unit)", count), String(count))
        }
        return parts.isEmpty ? text(plural("unit.day", 0), "0") : list(parts)
    }

    /// A country's name in this language, from the ICU data in Foundation (`US` → `Verenigde Staten`).
    public func country(_ code: String) -> String {
        Locale(identifier: tableLanguage).localizedString(forRegionCode: code) ?? code
    }

    /// A word of one of the model's vocabularies (`legal-basis`, `recipient-role`, …), by its raw value.
    public func term(_ vocabulary: String, _ rawValue: String) -> String {
        text("\(vocabulary).\(rawValue)")
    }

    public func term<V: RawRepresentable>(_ value: V) -> String where V.RawValue == String {
        term(Self.vocabularyName(V.self), value.rawValue)
    }

    /// A country (`US` → "Verenigde Staten") or a region (`outside-eea` → "landen buiten de EER") in words.
    public func place(_ place: String) -> String {
        Region(rawValue: place) != nil ? text("area.\(place)") : country(place)
    }

    /// A language's name in this language (`nl` → "Nederlands"), from ICU.
    public func languageName(_ code: String) -> String {
        Locale(identifier: tableLanguage).localizedString(forLanguageCode: code) ?? code
    }

    /// `ja` / `nee`.
    public func flag(_ value: Bool) -> String { text(value ? "yes" : "no") }

    /// `a, b en c` / `a, b and c`.
    /// Labels that hold a comma or "en" themselves ("naam, adres en woonplaats") are kept apart by semicolons
    /// (`Sentences.list`).
    public func list(_ items: [String]) -> String {
        Sentences.list(items, and: text("and"), none: text("none"), semicolon: text("semicolon"))
    }

    /// A label as it reads inside a sentence of this language (`Sentences.inline`); in a language that writes nouns
    /// with a capital (German), as it is.
    public func inline(_ label: String) -> String {
        Self.nounsCapitalised.contains(tableLanguage) ? label : Sentences.inline(label)
    }

    static let nounsCapitalised: Set<String> = ["de"]

    /// The kinds of fact whose labels are common words, written in lower case inside a sentence. The others are
    /// names (recipients, cookies), quoted whole sentences (promises) or headings, and keep their capitals.
    static let inlineKinds: Set<String> = [
        "category", "category-group", "purpose", "right", "automated-decision", "security-measure",
    ]

    /// `labels` (by `kind/id`) as they read inside a sentence.
    public func inlineLabels(_ labels: [String: String]) -> [String: String] {
        var result = labels
        for (key, label) in labels where Self.inlineKinds.contains(String(key.split(separator: "/").first ?? "")) {
            result[key] = inline(label)
        }
        return result
    }

    static func vocabularyName<V>(_ type: V.Type) -> String {
        switch type {
        case is LegalBasis.Type: "legal-basis"
        case is RecipientRole.Type: "recipient-role"
        case is TransferGround.Type: "transfer-ground"
        case is RetentionEvent.Type: "retention-until"
        case is RetentionStart.Type: "retention-from"
        case is RightKind.Type: "right"
        case is Channel.Type: "channel"
        case is AutomatedDecisionGround.Type: "automated-decision-ground"
        case is SpecialCategoryCondition.Type: "special-category-condition"
        case is CookieCategory.Type: "cookie-category"
        case is Law.Type: "law"
        case is Impact.Type: "impact"
        default: String(describing: type)
        }
    }

    // MARK: Fields

    /// The schema a change record's element belongs to: `recipient/x` → recipient, `controller` → controller.
    public static func schema(ofElement element: String) -> FactSchema? {
        let head = String(element.split(separator: "/").first ?? "")
        if let kind = FactKind(rawValue: head) { return kind.schema }
        switch head {
        case "controller": return element.hasSuffix("/privacy-contact") ? Schemas.privacyContact : Schemas.controller
        case "privacy-contact": return Schemas.privacyContact
        case "supervisory-authority": return Schemas.supervisoryAuthority
        case "scope": return Schemas.scope
        default: return nil
        }
    }

    /// A field's name in words: `field.recipient.country` → "land".
    public func fieldName(_ schema: String, _ key: String) -> String { text("field.\(schema).\(key)") }

    /// A field's value in words, by its type in the schema. `labels` names facts by `kind/id` (see VersionDiff).
    public func value(_ value: FactValue, of field: FieldSpec?, labels: [String: String] = [:]) -> String {
        switch (value, field?.type) {
        case (.flag(let flag), _): return self.flag(flag)
        case (.number(let days), _): return text(plural("unit.day", days), String(days))
        case (.text(let code), .country?): return country(code)
        case (.list(let codes), .country?): return list(codes.map(country))
        case (.text(let raw), .vocabulary(let vocabulary)?): return term(vocabulary, raw)
        // A list field written with one word (a purpose's single `basis`).
        case (.text(let raw), .vocabularyList(let vocabulary)?): return term(vocabulary, raw)
        case (.text(let raw), .duration?): return ISODuration(raw).map(duration) ?? raw
        case (.text(let raw), .lifetime?): return lifetime(raw)
        case (.text(let id), .reference(let kind)?): return labels["\(kind.rawValue)/\(id)"] ?? id
        case (.list(let items), .vocabularyList("scope")?):
            // No `applies-to`: the fact or controller applies to everyone.
            return items.isEmpty ? text("scope.everyone") : list(items.map { scopeItem($0, labels: labels) })
        // A list of references written with one id (a cookie's single purpose).
        case (.text(let id), .references(let kind)?): return labels["\(kind.rawValue)/\(id)"] ?? id
        case (.list(let items), .vocabularyList(let vocabulary)?): return list(items.map { term(vocabulary, $0) })
        case (.list(let items), .areas?): return list(items.map(place))
        case (.list(let items), .references(let kind)?):
            return list(items.map { labels["\(kind.rawValue)/\($0)"] ?? $0 })
        case (.list(let items), _): return list(items)
        case (.text(let raw), _): return oneLine(raw)
        }
    }

    /// An item of `applies-to` in words: a service by its label (`labels["scope/<id>"]`), a region by its name.
    public func scopeItem(_ item: String, labels: [String: String]) -> String {
        if let label = labels["scope/\(item)"] { return label }
        guard Regions.isRegion(item) else { return item }
        if Regions.unions.contains(item) { return text("region.\(item)") }
        // ICU names a subdivision (`US-CA`) by its country alone, which would read as the whole country: the
        // subdivision's own code is kept beside the country's name.
        guard let home = Regions.country(item), home != item else { return country(item) }
        return "\(country(home)) (\(item.dropFirst(home.count + 1)))"
    }

    /// A multi-line value (an address) on one line, its lines separated by commas.
    public func oneLine(_ text: String) -> String {
        // Most values are one line without spaces at either end, and stay as they are; decided on bytes (no newline:
        // U+000A to U+000D, U+0085, U+2028, U+2029) and the end scalars, before the slower Foundation trimming below
        // (docs/performance.md, "Choices").
        var bytes = text
        let multiline = bytes.withUTF8 { bytes in
            bytes.indices.contains { index in
                switch bytes[index] {
                case 0x0A...0x0D: return true
                case 0xC2: return index + 1 < bytes.count && bytes[index + 1] == 0x85
                case 0xE2:
                    return index + 2 < bytes.count && bytes[index + 1] == 0x80
                        && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9)
                default: return false
                }
            }
        }
        if !multiline, let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
            !CharacterSet.whitespaces.contains(first), !CharacterSet.whitespaces.contains(last)
        {
            return text
        }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }.joined(separator: ", ")
    }

    public func lifetime(_ raw: String) -> String {
        switch raw {
        case "session": return text("lifetime.session")
        case "persistent": return text("lifetime.persistent")
        default: return ISODuration(raw).map(duration) ?? raw
        }
    }

    /// A canonical retention period (`Retention.period`, several joined by ` + `) in words.
    public func period(_ canonical: String) -> String {
        list(canonical.components(separatedBy: " + ").map(periodPart))
    }

    /// One period of a canonical text: `~` marks an approximate duration, ` or ` joins end events of which the first
    /// ends it, and ` held by NAME` names the recipient that keeps the data for it.
    func periodPart(_ part: String) -> String {
        if let held = part.range(of: " held by ", options: .backwards) {
            return text(
                "retention.held-by", periodPart(String(part[..<held.lowerBound])), String(part[held.upperBound...]))
        }
        if part == "indefinitely" { return text("retention.indefinitely") }
        if part.hasPrefix("criteria: ") { return text("retention.criteria", String(part.dropFirst(10))) }
        if part.hasPrefix("until ") {
            let ends = part.dropFirst(6).components(separatedBy: " or ").map { term("retention-until", $0) }
            guard ends.count > 1 else { return ends[0] }
            return text("retention.whichever-first", ends.dropFirst().reduce(ends[0]) { text("retention.or", $0, $1) })
        }
        let approximate = part.hasPrefix("~")
        let pieces = part.dropFirst(approximate ? 1 : 0).components(separatedBy: " from ")
        let exact = ISODuration(pieces[0]).map(duration) ?? pieces[0]
        let length = approximate ? text("retention.about", exact) : exact
        return pieces.count == 2 ? text("retention.from", length, term("retention-from", pieces[1])) : length
    }

    // MARK: Changes

    /// The heading and one-line explanation of an impact class.
    public func impact(_ impact: Impact) -> (title: String, explanation: String) {
        (text("impact.\(impact.rawValue)"), text("impact.\(impact.rawValue).explanation"))
    }

    /// One sentence for people: what changed, with every value in words of this language.
    ///
    /// Labels of common words are in lower case inside it (`inlineLabels`), names keep their capitals, and the
    /// sentence starts with a capital.
    public func change(_ record: ChangeRecord, labels: [String: String] = [:]) -> String {
        Sentences.capitalised(changeWords(record, labels: sentenceLabels(record, labels)))
    }

    /// The labels a change's sentence can name (its categories and the facts its values refer to), as they read
    /// inside a sentence. Only those: a version's labels are many, and a diff has a sentence per change.
    func sentenceLabels(_ record: ChangeRecord, _ labels: [String: String]) -> [String: String] {
        guard !labels.isEmpty else { return labels }
        var ids = record.categories
        for value in [record.before, record.after].compactMap({ $0 }) {
            switch value {
            case .text(let id): ids.append(id)
            case .list(let items): ids += items
            default: break
            }
        }
        var result: [String: String] = [:]
        for id in ids {
            for kind in FactKind.allCases {
                let key = "\(kind.rawValue)/\(id)"
                guard let label = labels[key] else { continue }
                result[key] = Self.inlineKinds.contains(kind.rawValue) ? inline(label) : label
            }
            // A service's label is its name: as written (`scopeItem`).
            if let label = labels["scope/\(id)"] { result["scope/\(id)"] = label }
        }
        return result
    }

    func changeWords(_ record: ChangeRecord, labels: [String: String]) -> String {
        let schema = Self.schema(ofElement: record.element)
        let field = record.field.flatMap { schema?.field($0) }
        func words(_ value: FactValue?) -> String {
            guard let value else { return text("unstated") }
            if record.field == "period", case .text(let canonical) = value { return period(canonical) }
            return self.value(value, of: field, labels: labels)
        }
        let kind = String(record.element.split(separator: "/").first ?? "")
        let name =
            record.element.hasPrefix("section/") && record.label.isEmpty
            ? text("section.opening")
            : kind == "supervisory-authority" && record.label.isEmpty
                ? text("field.supervisory-authority.residence")
                : Self.inlineKinds.contains(kind) ? inline(oneLine(record.label)) : oneLine(record.label)
        let fieldWords =
            record.field.map { key in
                schema.map { self.fieldName($0.name, key) }
                    ?? self.fieldName(record.element.hasPrefix("retention") ? "retention" : "policy", key)
            } ?? ""
        let categories = list(record.categories.map { labels["category/\($0)"] ?? $0 })
        // A list field written with one word (a purpose's single basis, a recipient's one country) is a list of one,
        // for what was added or removed.
        func items(_ value: FactValue?) -> [String] {
            if case .text(let word)? = value, case .vocabularyList? = field?.type { return [word] }
            if case .text(let country)? = value, record.field == "country" { return [country] }
            return value?.list ?? []
        }
        let before = items(record.before)
        let after = items(record.after)
        let addedItems = after.filter { !before.contains($0) }
        let removedItems = before.filter { !after.contains($0) }
        let added = self.value(.list(addedItems), of: field, labels: labels)
        let removed = self.value(.list(removedItems), of: field, labels: labels)
        let specific = "change.\(record.kind.rawValue).\(record.impact.rawValue)"
        let key = table[specific] != nil ? specific : "change.\(record.kind.rawValue)"
        return text(key, name, fieldWords, words(record.before), words(record.after), categories, added, removed)
    }

    /// What the newer version declared about a change, with the editor's reason.
    public func declared(_ declared: DeclaredChange) -> String {
        text("declared.\(declared.kind.rawValue)", oneLine(declared.reason))
    }

    /// A change in words, followed by what the editor declared about it: the decision is on the record wherever the
    /// change is shown.
    public func changeOnRecord(_ record: ChangeRecord, labels: [String: String] = [:]) -> String {
        let words = change(record, labels: labels)
        return record.declared.map { "\(words) (\(declared($0)))" } ?? words
    }

    /// Whether a change page or report says the version was not announced in advance: it has changes customers must
    /// be told about and no announcement, which `check` allows only for versions from before the shop adopted policyc.
    public static func notAnnounced(_ diff: VersionDiff) -> Bool { diff.announced == nil && diff.hasNotify }

    /// What a person should check about a change flagged for review.
    public func review(_ review: Review, labels: [String: String] = [:]) -> String {
        let facts = list(
            review.facts.map { key in
                let kind = String(key.split(separator: "/").first ?? "")
                let label = labels[key] ?? String(key.split(separator: "/").last ?? "")
                return "\(text("kind.\(kind)")) \(text("quote", label))"
            })
        return text("review.\(review.reason.rawValue)", facts)
    }
}
