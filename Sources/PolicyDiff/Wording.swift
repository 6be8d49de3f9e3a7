import PolicyModel

/// How labels and names are compared (docs/changes.md, "Wording and substance"): two spellings that differ only in
/// case, white space, quote or dash style, a hyphen inside a word ("e-mail" / "email") or trailing punctuation
/// ("Mollie B.V" / "Mollie B.V.") say the same thing, so their difference is wording, never a reason to write to
/// every customer.
public enum Wording {
    /// The form two labels are compared in. Pure, and the only place that decides what typography is.
    public static func normalised(_ text: String) -> String {
        var scalars: [Unicode.Scalar] = []
        var pendingSpace = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !scalars.isEmpty
                continue
            }
            // Quotes of every style are left out: "Personal Data" and ‘personal data’ say the same.
            if quotes.contains(scalar) { continue }
            var kept = scalar
            if dashes.contains(scalar) {
                // A hyphen inside a word joins it ("e-mail", "e‑mail" and "email" are one word); any other dash is
                // one dash whatever its style, so "1–2 years" stays apart from "12 years".
                if !pendingSpace, let previous = scalars.last, previous.properties.isAlphabetic { continue }
                kept = "-"
            }
            if pendingSpace { scalars.append(" ") }
            pendingSpace = false
            scalars.append(kept)
        }
        while let last = scalars.last, trailing.contains(last) { scalars.removeLast() }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    /// Whether `before` and `after` differ only in typography.
    public static func sameWords(_ before: String, _ after: String) -> Bool {
        before == after || normalised(before) == normalised(after)
    }

    static let quotes: Set<Unicode.Scalar> = [
        "\"", "'", "`", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}", "\u{201C}", "\u{201D}", "\u{201E}",
        "\u{201F}", "\u{00AB}", "\u{00BB}", "\u{2039}", "\u{203A}",
    ]
    static let dashes: Set<Unicode.Scalar> = [
        "-", "\u{00AD}", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}",
    ]
    static let trailing: Set<Unicode.Scalar> = [".", ",", ";", ":", "!", "\u{2026}", " "]
}

extension Wording {
    /// Two field values that differ only in typography: both texts, the same under `normalised`.
    static func sameWords(_ before: FactValue?, _ after: FactValue?) -> Bool {
        guard case .text(let b)? = before, case .text(let a)? = after else { return false }
        return sameWords(b, a)
    }
}

/// Which reworded label needs a person's eye. Typography never does; a purpose's label is what the data is used for,
/// so rewording it asks whether the purpose widened; a label that is the fact's only substance may say something else.
enum WordingReview {
    static func review(kind: FactKind, field: FieldSpec, before: FactValue?, after: FactValue?, element: String)
        -> Review?
    {
        if Wording.sameWords(before, after) { return nil }
        if kind == .purpose && field.key == "label" { return Review(.purposeLabelChanged, facts: [element]) }
        return field.change == .wordingToReview ? Review(.labelMayCarrySubstance, facts: [element]) : nil
    }
}
