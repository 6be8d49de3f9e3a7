/// The strings tables, one a language, each in a file of its own (`en.swift`, `nl.swift`). A new language is a new
/// file with every key of `english` and an entry here; a test checks that every table has the same keys and the same
/// `{n}` placeholders. Keys are grouped by who reads them; keep each group's keys together so tables stay comparable.
enum Strings {
    static let tables: [String: [String: String]] = ["en": english, "nl": dutch]
}
