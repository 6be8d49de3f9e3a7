/// How words are put into sentences so they read as a person writes them: a label inside a sentence in lower case
/// (a name keeps its capitals), every sentence starting with a capital, and lists joined the way the language joins
/// them. Pure functions of their text, used by the change sentences of pages, reports and mails.
public enum Sentences {
    /// `label` as it reads inside a sentence: its first letter in lower case ("Facturen met uw (persoons)gegevens" →
    /// "facturen met uw (persoons)gegevens", "(Technische) ondersteuning" → "(technische) ondersteuning"). A word
    /// written in capitals stays as it is ("SSL-verbinding", "IP-adres"), as does a label that starts with no letter.
    public static func inline(_ label: String) -> String {
        guard let index = label.firstIndex(where: \.isLetter), label[index].isUppercase else { return label }
        let next = label.index(after: index)
        if next < label.endIndex, label[next].isUppercase || label[next].isNumber { return label }
        return label[..<index] + label[index].lowercased() + label[next...]
    }

    /// `text` with its first letter in upper case, so a sentence that begins with a label or a value (a date, "de
    /// versie van …") still starts with a capital. Punctuation before the letter ("“", "(") stays.
    public static func capitalised(_ text: String) -> String {
        guard let index = text.firstIndex(where: \.isLetter), text[index].isLowercase else { return text }
        return text[..<index] + text[index].uppercased() + text[text.index(after: index)...]
    }

    /// `items` joined as a list of the language: "a, b and c" / "a, b en c", with `and` the language's conjunction.
    /// When an item holds a comma or the conjunction itself ("naam, adres en woonplaats"), commas and a bare
    /// conjunction would no longer show where one item ends: the items are then kept apart by semicolons, and the
    /// conjunction follows the last one ("naam, adres en woonplaats; e-mailadres; en betaalgegevens"). `semicolon` is
    /// the language's semicolon with its spacing (French sets a no-break space before it).
    public static func list(_ items: [String], and: String, none: String, semicolon: String = ";") -> String {
        switch items.count {
        case 0: return none
        case 1: return items[0]
        default:
            let conjunction = " \(and) "
            let ambiguous = items.contains { $0.contains(",") || $0.contains(";") || $0.contains(conjunction) }
            if ambiguous {
                return items.dropLast().joined(separator: semicolon + " ") + semicolon + conjunction + items.last!
            }
            return items.dropLast().joined(separator: ", ") + conjunction + items.last!
        }
    }
}
