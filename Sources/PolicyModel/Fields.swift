import Foundation
import PolicyBase
import PolicySource

/// Collects diagnostics while one document compiles.
final class DiagnosticSink {
    var diagnostics: [Diagnostic] = []
    func error(_ message: String, _ rule: Rule, at location: SourceLocation, notes: [DiagnosticNote] = []) {
        diagnostics.append(.error(message, rule: rule, at: location, notes: notes))
    }
    func warning(_ message: String, _ rule: Rule, at location: SourceLocation, notes: [DiagnosticNote] = []) {
        diagnostics.append(.warning(message, rule: rule, at: location, notes: notes))
    }
}

/// A value read from YAML with where it stood.
struct Located<Value> {
    var value: Value
    var location: SourceLocation
}

/// Reads one YAML mapping against a fixed set of keys, reporting every problem at the value's position.
///
/// Hand-written instead of `YAMLDecoder`: Codable reports neither unknown keys nor positions, and its messages
/// ("Expected to decode Int but found Scalar instead") do not show the value found.
struct Fields {
    let node: YAMLNode
    /// How the mapping is named in messages: `recipient 'sisow'`, `the front matter`. Made when a message needs it,
    /// as most facts have no problem (docs/performance.md, "Choices").
    var what: String { namedID.map { name + " '" + Fields.echo($0) + "'" } ?? name }
    private let name: String
    private let namedID: String?
    let allowed: [String]
    let sink: DiagnosticSink
    /// The pairs with allowed keys. An array, not a dictionary: a mapping has a dozen keys at most that pass
    /// (distinct, since the YAML reader refuses duplicates), and comparing a few short strings costs less than
    /// hashing them. Looked up from the end, so a later pair would win as a dictionary's assignment lets it.
    private(set) var pairs: [YAMLPair] = []

    private subscript(key: String) -> YAMLPair? {
        pairs.last(where: { $0.key == key })
    }

    /// `what` names the mapping in messages; with `id`, as `what 'id'` (the id abbreviated as every echoed value).
    init?(_ node: YAMLNode, what: String, id: String? = nil, allowed: [String], sink: DiagnosticSink) {
        self.name = what
        self.namedID = id
        guard case .mapping(let pairs) = node.content else {
            let named = id.map { what + " '" + Fields.echo($0) + "'" } ?? what
            sink.error(
                "expected a mapping of keys for \(named), found \(node.shortDescription)", .typeMismatch,
                at: node.location)
            return nil
        }
        self.node = node
        self.allowed = allowed
        self.sink = sink
        for pair in pairs {
            guard allowed.contains(pair.key) else {
                let renamed = Fields.renamedKeys[pair.key].flatMap { allowed.contains($0) ? $0 : nil }
                let hint = renamed.map { "; did you mean '\($0)'?" } ?? Suggestion.hint(for: pair.key, in: allowed)
                sink.error(
                    "unknown key '\(Fields.echo(pair.key))' in \(self.what)\(hint)", .unknownKey, at: pair.keyLocation)
                continue
            }
            self.pairs.append(pair)
        }
    }

    func has(_ key: String) -> Bool { self[key].map { !$0.value.isNull } ?? false }

    func location(of key: String) -> SourceLocation { self[key]?.value.location ?? node.location }

    func keyLocation(of key: String) -> SourceLocation { self[key]?.keyLocation ?? node.location }

    /// The value node, or nil (with an error when required) when the key is absent or null.
    func value(_ key: String, required: Bool) -> YAMLNode? {
        guard let pair = self[key], !pair.value.isNull else {
            if required {
                sink.error(
                    "\(what) is missing required key '\(key)'", .missingKey, at: self[key]?.keyLocation ?? node.location
                )
            }
            return nil
        }
        return pair.value
    }

    func text(_ key: String, required: Bool = false) -> Located<String>? {
        guard let value = value(key, required: required) else { return nil }
        guard case .scalar(let text, _) = value.content else {
            sink.error(
                "expected text for '\(key)' in \(what), found \(value.shortDescription)", .typeMismatch,
                at: value.location)
            return nil
        }
        let trimmed = text.trimming(" \t\n")
        guard !trimmed.isEmpty else {
            sink.error(
                "'\(key)' in \(what) is empty; write the \(key)\(required ? "" : " or remove the key")", .emptyValue,
                at: value.location)
            return nil
        }
        if let control = trimmed.unicodeScalars.first(where: Fields.isControl) {
            // Written as a YAML escape ("\e", "\0"): it would reach terminals, pages and emails as a raw control code.
            sink.error(
                "'\(key)' in \(what) contains the control character \(Fields.codePoint(control)); remove it",
                .controlCharacter, at: value.location)
            return nil
        }
        return Located(value: trimmed, location: value.location)
    }

    /// Keys the format once had under another name, and the key that replaced them.
    static let renamedKeys = [
        "safeguard": "transfer-grounds", "safeguards": "transfer-grounds", "providers": "provider",
    ]

    /// C0 and C1 control characters other than tab and line feed, and DEL.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
    }

    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// A value as a message may repeat it: its first line, cut to a readable length (one rule for every message, in
    /// PolicyBase), so that a hostile or mistaken value cannot flood or reshape the report.
    static func echo(_ text: String) -> String { EchoedValue.abbreviate(text) }

    func bool(_ key: String, required: Bool = false) -> Located<Bool>? {
        guard let value = value(key, required: required) else { return nil }
        switch value.content {
        case .scalar("true", plain: true): return Located(value: true, location: value.location)
        case .scalar("false", plain: true): return Located(value: false, location: value.location)
        default:
            sink.error(
                "expected true or false for '\(key)' in \(what), found \(value.shortDescription)", .typeMismatch,
                at: value.location)
            return nil
        }
    }

    func integer(_ key: String, range: ClosedRange<Int>) -> Located<Int>? {
        guard let value = value(key, required: false) else { return nil }
        guard case .scalar(let text, plain: true) = value.content, !text.isEmpty, text.allSatisfy(\.isASCIIDigit),
            text.count <= 6, let number = Int(text)
        else {
            sink.error(
                "expected a whole number for '\(key)' in \(what), found \(value.shortDescription)", .typeMismatch,
                at: value.location)
            return nil
        }
        guard range.contains(number) else {
            sink.error(
                "'\(key)' in \(what) must be between \(range.lowerBound) and \(range.upperBound), found \(number)",
                .valueOutOfRange, at: value.location)
            return nil
        }
        return Located(value: number, location: value.location)
    }

    func date(_ key: String, required: Bool = false) -> Located<CalendarDate>? {
        guard let text = text(key, required: required) else { return nil }
        guard let date = CalendarDate(text.value) else {
            sink.error(
                CalendarDate.isWellFormed(text.value)
                    ? "invalid date '\(text.value)' for '\(key)'; that day does not exist"
                    : "invalid date '\(Fields.echo(text.value))' for '\(key)'; write it as YYYY-MM-DD", .invalidDate,
                at: text.location)
            return nil
        }
        return Located(value: date, location: text.location)
    }

    func duration(_ key: String, required: Bool = false) -> Located<ISODuration>? {
        guard let text = text(key, required: required) else { return nil }
        guard let duration = ISODuration(text.value) else {
            sink.error(
                "invalid duration '\(Fields.echo(text.value))' for '\(key)'; write an ISO 8601 duration such as P30D or P7Y",
                .invalidDuration, at: text.location)
            return nil
        }
        return Located(value: duration, location: text.location)
    }

    func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool = false) -> Located<
        E
    >? where E.RawValue == String {
        guard let text = text(key, required: required) else { return nil }
        return Fields.choice(text, type, key: key, what: what, sink: sink)
    }

    static func choice<E: RawRepresentable & CaseIterable>(
        _ text: Located<String>, _ type: E.Type, key: String, what: String, sink: DiagnosticSink
    ) -> Located<E>? where E.RawValue == String {
        if let value = E(rawValue: text.value) { return Located(value: value, location: text.location) }
        let options = E.allCases.map(\.rawValue)
        let hint =
            Suggestion.closest(to: text.value, in: options).map { "; did you mean '\($0)'?" }
            ?? "; use one of \(options.joined(separator: ", "))"
        sink.error("unknown \(key) '\(echo(text.value))' in \(what)\(hint)", .invalidValue, at: text.location)
        return nil
    }

    /// A list of words (or a single word). Each item keeps its location for reference checks.
    func list(_ key: String, required: Bool = false) -> [Located<String>] {
        guard let value = value(key, required: required) else { return [] }
        let items: [YAMLNode]
        switch value.content {
        case .sequence(let nodes): items = nodes
        case .scalar: items = [value]
        case .mapping:
            sink.error("expected a list for '\(key)' in \(what), found a mapping", .typeMismatch, at: value.location)
            return []
        }
        var result: [Located<String>] = []
        for item in items {
            guard case .scalar(let text, _) = item.content, !item.isNull else {
                sink.error(
                    "expected a word in '\(key)' of \(what), found \(item.shortDescription)", .typeMismatch,
                    at: item.location)
                continue
            }
            let trimmed = text.trimming(" \t\n")
            if trimmed.isEmpty {
                sink.error("empty item in '\(key)' of \(what)", .emptyValue, at: item.location)
                continue
            }
            result.append(Located(value: trimmed, location: item.location))
        }
        if required && result.isEmpty && items.isEmpty {
            sink.error("'\(key)' in \(what) is empty; list at least one", .emptyValue, at: value.location)
        }
        return result
    }

    func mapping(_ key: String, what: String, allowed: [String], required: Bool = false) -> Fields? {
        guard let value = value(key, required: required) else { return nil }
        return Fields(value, what: what, allowed: allowed, sink: sink)
    }

    /// An element id: lowercase ASCII letters, digits and single hyphens, so it is stable in URLs and JSON.
    func identifier(_ key: String = "id") -> Located<String>? {
        guard let text = text(key, required: true) else { return nil }
        guard Identifiers.isIdentifier(text.value) else {
            sink.error(
                "invalid id '\(Fields.echo(text.value))'; use lowercase letters, digits and hyphens, such as '\(Fields.echo(Fields.slug(text.value)))'",
                .invalidID, at: text.location)
            return nil
        }
        return text
    }

    /// A URL- and id-safe slug: lowercase, letters (diacritics folded) and digits, hyphens between words.
    static func slug(_ text: String) -> String {
        // Headings are mostly ASCII, where lowercasing is A-Z to a-z, decomposing changes nothing and no scalar is a
        // non-ASCII letter or a mark: the same slug from the bytes, without Foundation's lowercasing and normalising.
        asciiSlug(text) ?? unicodeSlug(text)
    }

    /// `slug` of any text: the definition.
    static func unicodeSlug(_ text: String) -> String {
        var result = ""
        var pendingHyphen = false
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingHyphen && !result.isEmpty { result.append("-") }
                pendingHyphen = false
                result.unicodeScalars.append(scalar)
            } else if scalar.properties.isAlphabetic && scalar.isASCII == false
                && scalar.properties.generalCategory != .nonspacingMark
            {
                if pendingHyphen && !result.isEmpty { result.append("-") }
                pendingHyphen = false
                result.unicodeScalars.append(scalar)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else {
                pendingHyphen = true
            }
        }
        return result.isEmpty ? "section" : result
    }

    /// `slug` of an all-ASCII text, or nil when the text has another byte.
    static func asciiSlug(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingHyphen = false
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
            if (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) {
                if pendingHyphen && !bytes.isEmpty { bytes.append(45) }
                pendingHyphen = false
                bytes.append(lower)
            } else {
                pendingHyphen = true
            }
        }
        return bytes.isEmpty ? "section" : String(decoding: bytes, as: UTF8.self)
    }
}
