/// The strings tables, one a language, each in a file of its own (`en.swift`, `nl.swift`, `fr.swift`, `de.swift`). A
/// new language is a new file with every key of `english` and an entry here; a test checks that every table has the
/// same keys and the same `{n}` placeholders, and `check` rejects a policy in a language without a table
/// (`LanguageCheck`). Keys are grouped by who reads them; keep each group's keys together so tables stay comparable.
///
/// Besides words, a table holds what its language's grammar needs: `date.first` (the date on the first of a month,
/// "1er janvier"), `plural.zero` (whether 0 takes the singular, `one`, as in French, or the plural, `other`) and
/// `quote` (the language's quotation marks).
enum Strings {
    static let tables: [String: [String: String]] = ["en": english, "nl": dutch, "fr": french, "de": german]

    /// The table for a language tag: its own (`nl`), else its language's (`nl-BE` → `nl`); nil when policyc has no
    /// words for the language.
    static func table(for language: String) -> (language: String, table: [String: String])? {
        if let table = tables[language] { return (language, table) }
        let base = String(language.split(separator: "-").first ?? "")
        return tables[base].map { (base, $0) }
    }
}
