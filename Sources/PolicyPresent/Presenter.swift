import Foundation
import PolicyBase
import PolicyDiff
import PolicyModel

/// Turns model values and change records into words of one language. Everything a person reads (a published page,
/// a notification email, `policyc diff`'s reports) goes through here, so a value is written the same way
/// everywhere and never as a code: "7 jaar", "30 april 2018", "Verenigde Staten", "toestemming".
///
/// A language is a strings table (`Strings/<language>.swift`); a language without one is written in English.
public struct Presenter: Sendable {
    /// The language asked for, as given (`nl`, `en`, `pt-BR`).
    public let language: String
    /// The language whose table is used: the asked one when there is a table, else English.
    public let tableLanguage: String
    let table: [String: String]

    public init(language: String) {
        self.language = language
        let base = String(language.split(separator: "-").first ?? "")
        let chosen = Strings.tables[language] != nil ? language : Strings.tables[base] != nil ? base : "en"
        self.tableLanguage = chosen
        self.table = Strings.tables[chosen]!
    }

    /// The languages that have a strings table.
    public static var languages: [String] { Strings.tables.keys.sorted() }

    /// The text for `key`, with `{0}`, `{1}` … replaced by `arguments`. A missing key is a programming error that a
    /// test catches (every table has every key); at run time it falls back to English, then to the key itself.
    public func text(_ key: String, _ arguments: String...) -> String {
        format(table[key] ?? Strings.tables["en"]![key] ?? key, arguments)
    }

    func format(_ template: String, _ arguments: [String]) -> String {
        guard !arguments.isEmpty, template.contains("{") else { return template }
        var out = template
        for (index, argument) in arguments.enumerated() {
            out = out.replacingOccurrences(of: "{\(index)}", with: argument)
        }
        return out
    }

    // MARK: Values

    /// `30 april 2018` / `30 April 2018`.
    public func date(_ date: CalendarDate) -> String {
        text("date", String(date.day), text("month.\(date.month)"), String(date.year))
    }

    /// `7 jaar`, `1 jaar en 6 maanden`, `30 dagen`; `P0D` is `0 dagen`.
    public func duration(_ duration: ISODuration) -> String {
        let units: [(Int, String)] = [
            (duration.years, "year"), (duration.months, "month"), (duration.weeks, "week"), (duration.days, "day"),
            (duration.hours, "hour"), (duration.minutes, "minute"), (duration.seconds, "second"),
        ]
        let parts = units.filter { $0.0 > 0 }.map { count, unit in
            text(count == 1 ? "unit.\(unit).one" : "unit.\(unit).other", String(count))
        }
        return parts.isEmpty ? text("unit.day.other", "0") : list(parts)
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

    /// `ja` / `nee`.
    public func flag(_ value: Bool) -> String { text(value ? "yes" : "no") }

    /// `a, b en c` / `a, b and c`.
    public func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return text("none")
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " " + text("and") + " " + items.last!
        }
    }

    static func vocabularyName<V>(_ type: V.Type) -> String {
        switch type {
        case is LegalBasis.Type: "legal-basis"
        case is RecipientRole.Type: "recipient-role"
        case is TransferSafeguard.Type: "safeguard"
        case is RetentionEvent.Type: "retention-until"
        case is RetentionStart.Type: "retention-from"
        case is RightKind.Type: "right"
        case is Channel.Type: "channel"
        case is AutomatedDecisionGround.Type: "automated-decision-ground"
        case is Impact.Type: "impact"
        default: String(describing: type)
        }
    }

    // MARK: Changes

    /// The heading and one-line explanation of an impact class.
    public func impact(_ impact: Impact) -> (title: String, explanation: String) {
        (text("impact.\(impact.rawValue)"), text("impact.\(impact.rawValue).explanation"))
    }

    /// One sentence for people: what changed.
    public func change(_ record: ChangeRecord) -> String {
        record.summary
    }
}
