import PolicyModel
import Testing

@testable import PolicyPresent

@Suite("Strings tables")
struct StringsTests {
    /// A language whose table lacks a key would show a key in the middle of a French page; one whose sentence drops
    /// a placeholder would leave out a value. Every table has exactly English's keys, each with the same `{n}`.
    @Test func everyTableHasTheSameKeysAndPlaceholders() {
        for language in Presenter.languages where language != "en" {
            let problems = Self.differences(Strings.tables[language]!, from: Strings.tables["en"]!)
            #expect(problems.isEmpty, "table \(language):\n\(problems.joined(separator: "\n"))")
        }
    }

    /// The keys `table` lacks or adds, and the keys whose placeholders differ, compared with `english`, one a line.
    static func differences(_ table: [String: String], from english: [String: String]) -> [String] {
        let placeholders = { (s: String) in Set(s.matches(of: /\{\d+\}/).map { String($0.output) }).sorted() }
        let missing = Set(english.keys).subtracting(table.keys).sorted().map { "missing key \($0)" }
        let extra = Set(table.keys).subtracting(english.keys).sorted().map { "extra key \($0)" }
        let mismatched = table.keys.sorted().compactMap { key -> String? in
            guard let original = english[key], let text = table[key] else { return nil }
            let (want, have) = (placeholders(original), placeholders(text))
            return want == have
                ? nil
                : "\(key): placeholders \(have.joined(separator: " ")) where English has \(want.joined(separator: " "))"
        }
        return missing + extra + mismatched
    }

    /// The comparison names what is wrong, so a failing table says what to add or fix.
    @Test func differencesNameTheKeysAndPlaceholders() {
        let english = ["a": "{0} and {1}", "b": "b", "c": "c"]
        let table = ["a": "{0} en", "b": "b", "d": "d"]
        #expect(
            Self.differences(table, from: english) == [
                "missing key c", "extra key d", "a: placeholders {0} where English has {0} {1}",
            ])
    }

    @Test func valuesAreWordsOfTheLanguage() {
        let nl = Presenter(language: "nl")
        let en = Presenter(language: "en")
        #expect(nl.date(CalendarDate("2018-04-30")!) == "30 april 2018")
        #expect(en.date(CalendarDate("2018-04-30")!) == "30 April 2018")
        #expect(nl.duration(ISODuration("P7Y")!) == "7 jaar")
        #expect(nl.duration(ISODuration("P1Y6M")!) == "1 jaar en 6 maanden")
        #expect(en.duration(ISODuration("P30D")!) == "30 days")
        #expect(en.duration(ISODuration("P1D")!) == "1 day")
        #expect(nl.country("US") == "Verenigde Staten")
        #expect(en.country("GB") == "United Kingdom")
        #expect(nl.term(LegalBasis.consent) == "uw toestemming")
        #expect(nl.term(RetentionEvent.endOfRelationship) == "tot het einde van de klantrelatie")
        #expect(nl.list(["a", "b", "c"]) == "a, b en c")
        #expect(Presenter(language: "nl-BE").tableLanguage == "nl")
        #expect(Presenter(language: "de-AT").tableLanguage == "de")
    }

    /// French and German: dates (French writes the first of a month "1er"), plurals (French counts 0 as singular),
    /// lists, countries, language names and quotation marks of their own.
    @Test func frenchAndGermanValuesAreWordsOfTheirLanguage() {
        let fr = Presenter(language: "fr")
        let de = Presenter(language: "de")
        #expect(fr.date(CalendarDate("2027-01-01")!) == "1er janvier 2027")
        #expect(fr.date(CalendarDate("2018-04-30")!) == "30 avril 2018")
        #expect(de.date(CalendarDate("2027-01-01")!) == "1. Januar 2027")
        #expect(de.date(CalendarDate("2018-03-02")!) == "2. März 2018")
        #expect(Presenter(language: "en").date(CalendarDate("2027-01-01")!) == "1 January 2027")
        #expect(fr.duration(ISODuration("P0D")!) == "0 jour")
        #expect(de.duration(ISODuration("P0D")!) == "0 Tage")
        #expect(fr.duration(ISODuration("P1Y6M")!) == "1 an et 6 mois")
        #expect(de.duration(ISODuration("P7Y")!) == "7 Jahre")
        #expect(de.duration(ISODuration("P1M")!) == "1 Monat")
        #expect(fr.value(.number(0), of: nil) == "0 jour")
        #expect(fr.list(["a", "b", "c"]) == "a, b et c")
        #expect(de.list(["a", "b", "c"]) == "a, b und c")
        #expect(fr.country("US") == "États-Unis")
        #expect(de.country("US") == "Vereinigte Staaten")
        #expect(fr.country("DE") == "Allemagne")
        #expect(de.languageName("fr") == "Französisch")
        #expect(fr.languageName("de") == "allemand")
        #expect(fr.term(LegalBasis.consent) == "votre consentement")
        #expect(de.term(RecipientRole.processor) == "Auftragsverarbeiter, in unserem Auftrag")
        #expect(fr.term(RecipientRole.jointController) == "responsable conjoint du traitement")
        #expect(de.text("quote", "x") == "„x“")
        #expect(fr.text("quote", "x") == "«\u{A0}x\u{A0}»")
    }

    /// A language without a table has no words at all: no English stands in for it.
    @Test func onlyLanguagesWithATableHaveWords() {
        #expect(Presenter.languages == ["de", "en", "fr", "nl"])
        #expect(Presenter.hasWords(for: "fr-BE"))
        #expect(Presenter.hasWords(for: "de-CH"))
        #expect(!Presenter.hasWords(for: "es"))
        #expect(!Presenter.hasWords(for: "pt-BR"))
    }

    /// Every vocabulary word of the model has words in every table.
    @Test func everyVocabularyWordIsWritten() {
        func check<V: RawRepresentable & CaseIterable>(_ type: V.Type) where V.RawValue == String {
            for language in Presenter.languages {
                let presenter = Presenter(language: language)
                for value in V.allCases {
                    let key = "\(Presenter.vocabularyName(V.self)).\(value.rawValue)"
                    #expect(Strings.tables[language]![key] != nil, "\(language): \(key)")
                    #expect(presenter.term(value) != key)
                }
            }
        }
        check(LegalBasis.self)
        check(RecipientRole.self)
        check(TransferGround.self)
        check(RetentionEvent.self)
        check(RetentionStart.self)
        check(RightKind.self)
        check(Channel.self)
        check(AutomatedDecisionGround.self)
    }
}
