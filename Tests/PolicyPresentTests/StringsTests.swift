import PolicyModel
import Testing

@testable import PolicyPresent

@Suite("Strings tables")
struct StringsTests {
    /// A language whose table lacks a key would show English (or a key) in the middle of a Dutch page.
    @Test func everyTableHasTheSameKeysAndPlaceholders() {
        let english = Strings.tables["en"]!
        for (language, table) in Strings.tables {
            #expect(Set(table.keys) == Set(english.keys), "table \(language)")
            for (key, text) in table {
                let placeholders = { (s: String) in Set(s.matches(of: /\{\d\}/).map { String($0.output) }) }
                #expect(placeholders(text) == placeholders(english[key] ?? ""), "\(language): \(key)")
            }
        }
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
        #expect(Presenter(language: "de").tableLanguage == "en")
        #expect(Presenter(language: "nl-BE").tableLanguage == "nl")
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
