import Foundation
import PolicyBase
import PolicyModel
import Testing

/// The catalogue's examples are real: set in a small valid policy, each bad example gets its rule from the compiler
/// and the good one does not. Examples that are not a piece of one policy file (paths, shell sessions, two
/// translations, the ledger) or describe what they cannot show (a 7 MB file, an invisible character) are left out.
@Suite struct RuleExampleTests {
    static let checked: [Rule] = [
        .yamlSyntax, .duplicateKey, .yamlAlias, .controlCharacter, .rawHTML, .factBlockUnterminated,
        .factBlockNested, .unknownFactKind, .missingKey, .unknownKey, .typeMismatch, .emptyValue, .valueOutOfRange,
        .invalidValue, .invalidDate, .invalidDuration, .invalidID, .duplicateID, .conflictingKeys,
        .undeclaredReference, .interestUnneeded, .announcedAfterEffective, .retentionOverlap,
        .transferGroundsUnneeded, .transferWithoutCountry, .controllerContactMissing, .provisionMissing,
        .retentionMissing, .categoryUnused,
        .legalBasisMissing, .recipientRoleMissing, .recipientCountryMissing, .transferGroundsMissing,
        .representativeMissing, .rightMissing, .responseTimeMissing, .cookieConsentMissing, .cookieLifetimeMissing,
    ]

    /// Front matter keys and their text, in order; an example's front matter keys replace these.
    static let frontMatter: [(key: String, text: String)] = [
        ("policy", "policy: shop"), ("title", "title: Beleid"), ("language", "language: nl"),
        ("effective", "effective: 2020-01-01"),
        ("controller", "controller:\n  name: Winkel\n  email: info@winkel.nl"),
        ("supervisory-authority", "supervisory-authority:\n  name: Autoriteit Persoonsgegevens\n  country: NL"),
    ]

    /// The categories the examples refer to, except those an example declares itself.
    static let body = """
        # Beleid

        ```category
        - id: order
          label: Bestellingen
        - id: payment
          label: Betaalgegevens
        - id: name-address
          label: Naam en adres
        - id: invoices
          label: Facturen
        - id: website-usage
          label: Websitegebruik
        ```

        """

    /// The base policy with the example: in the body when it is Markdown, else in the front matter.
    static func document(with example: String) -> String {
        var entries = frontMatter
        var extra = ""
        if example.hasPrefix("`") || example.hasPrefix(">") || example.hasPrefix("<") || example.hasPrefix("#") {
            extra = example + "\n"
        } else if !example.isEmpty {
            var keys: [(key: String, text: String)] = []
            for line in example.split(separator: "\n") {
                if line.first == " " {
                    keys[keys.count - 1].text += "\n" + line
                    continue
                }
                keys.append((String(line.prefix { $0 != ":" }), String(line)))
            }
            for entry in keys {
                if let index = entries.firstIndex(where: { $0.key == entry.key }) {
                    entries[index] = entry
                } else {
                    entries.append(entry)
                }
            }
        }
        return "---\n" + entries.map(\.text).joined(separator: "\n") + "\n---\n\n" + body + "\n" + extra
    }

    static func count(_ rule: Rule, in text: String) -> Int {
        let compiled = Compiler.compile(bytes: Array(text.utf8), path: "shop/2020-01-01.nl.md")
        return compiled.diagnostics.filter { $0.rule == rule.id }.count
    }

    @Test func theBaseHasNoErrors() {
        let compiled = Compiler.compile(bytes: Array(Self.document(with: "").utf8), path: "shop/2020-01-01.nl.md")
        #expect(compiled.diagnostics.filter { $0.severity == .error }.map(\.formatted) == [])
    }

    @Test(arguments: checked)
    func theBadExampleBreaksItsRuleAndTheGoodOneKeepsIt(_ rule: Rule) {
        let base = Self.count(rule, in: Self.document(with: ""))
        #expect(
            Self.count(rule, in: Self.document(with: rule.bad)) > base, "\(rule.id): the bad example is not reported")
        #expect(
            Self.count(rule, in: Self.document(with: rule.good)) <= base, "\(rule.id): the good example is reported")
    }
}
