import PolicyDiff
import PolicyModel
import Testing

@testable import PolicyPresent

/// Two removed sections with the same heading are told apart on the change page and in the reports by the headings
/// they stood under.
@Suite struct SectionNameTests {
    static func section(_ id: String, _ heading: String, _ level: Int, _ words: String = "") -> Section {
        Section(id: id, heading: heading, level: level, facts: [], paragraphs: words.isEmpty ? [] : [words])
    }

    static let old = [
        section("preamble", "", 0, "Welkom."),
        section("beleid", "Beleid", 1, "Ons beleid."),
        section("cookies", "Cookies", 2, "Wij plaatsen cookies."),
        section("analytics", "Analytics", 3, "Wij meten bezoeken met een teller van een derde partij."),
        section("statistieken", "Statistieken", 2, "Wij tellen bestellingen."),
        section("analytics-1", "Analytics", 3, "Een rapport per maand voor de boekhouding en de inkoop."),
        section("contact", "Contact", 2, "Mail ons."),
    ]
    static let new = [
        section("preamble", "", 0, "Welkom."), section("beleid", "Beleid", 1, "Ons beleid."),
        section("cookies", "Cookies", 2, "Wij plaatsen cookies."),
        section("statistieken", "Statistieken", 2, "Wij tellen bestellingen."),
        section("contact", "Contact", 2, "Mail ons."),
    ]

    @Test func aSectionKnowsTheHeadingsItStoodUnder() {
        let changes = WordDiff.sections(Self.old, Self.new)
        #expect(changes.map(\.status) == [.removed, .removed])
        #expect(changes.map(\.path) == [["Beleid", "Cookies"], ["Beleid", "Statistieken"]])
    }

    @Test func sharedHeadingsAreNamedByTheirPathInEachLanguage() {
        let changes = WordDiff.sections(Self.old, Self.new)
        #expect(
            Presenter(language: "nl").sectionNames(changes) == [
                "analytics": "Cookies › Analytics", "analytics-1": "Statistieken › Analytics",
            ])
        #expect(
            Presenter(language: "en").sectionNames(changes)
                == ["analytics": "Cookies › Analytics", "analytics-1": "Statistieken › Analytics"])
        // A heading of its own keeps its name alone; the opening is named in words.
        let one = WordDiff.sections(Self.old.filter { $0.id != "analytics-1" }, Self.new)
        #expect(Presenter(language: "en").sectionNames(one) == ["analytics": "Analytics"])
        let opening = WordDiff.sections([Self.section("preamble", "", 0, "Hallo.")], [])
        #expect(Presenter(language: "nl").sectionNames(opening) == ["preamble": "de inleiding"])
    }

    @Test func aRecordAboutARemovedSectionIsNamedByItsPath() {
        let changes = WordDiff.sections(Self.old, Self.new)
        let names = Presenter(language: "en").sectionNames(changes)
        let record = ChangeRecord(
            kind: .sectionRemoved, element: "section/analytics-1", label: "Analytics", before: nil, after: nil,
            categories: [], rule: ImpactRules.wording, review: nil)
        let words = Presenter(language: "en")
        #expect(
            words.change(words.naming(record, names))
                == words.change(record).replacingOccurrences(
                    of: "Analytics", with: "Statistieken › Analytics"))
        #expect(words.change(words.naming(record, names)).contains("Statistieken › Analytics"))
    }
}
