import Testing

@testable import PolicyDiff
@testable import PolicyModel

private func seg(_ op: RedlineSegment.Operation, _ text: String) -> RedlineSegment {
    RedlineSegment(op: op, text: text)
}
private func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

@Suite("Word diff: redline")
struct RedlineTests {
    @Test("tokens split on spaces, tabs and newlines, with a paragraph-break token between paragraphs")
    func tokens() {
        #expect(
            WordDiff.tokens(["Wij  bewaren\tuw\ngegevens", "Twee"]) == [
                "Wij", "bewaren", "uw", "gegevens", "\n\n", "Twee",
            ])
        #expect(WordDiff.tokens([]) == [])
    }

    @Test("equal token lists give one equal segment")
    func equal() {
        #expect(WordDiff.redline(words("a b c"), words("a b c")) == [seg(.equal, "a b c")])
        #expect(WordDiff.redline([], []) == [])
    }

    @Test("an inserted word")
    func insert() {
        #expect(
            WordDiff.redline(words("wij bewaren gegevens"), words("wij bewaren uw gegevens")) == [
                seg(.equal, "wij bewaren"), seg(.insert, "uw"), seg(.equal, "gegevens"),
            ])
        #expect(WordDiff.redline([], words("nieuwe tekst")) == [seg(.insert, "nieuwe tekst")])
    }

    @Test("deleted words, joined into one segment")
    func delete() {
        #expect(
            WordDiff.redline(words("wij bewaren uw gegevens nooit"), words("wij nooit")) == [
                seg(.equal, "wij"), seg(.delete, "bewaren uw gegevens"), seg(.equal, "nooit"),
            ])
        #expect(WordDiff.redline(words("oude tekst"), []) == [seg(.delete, "oude tekst")])
    }

    @Test("a replaced word is a deletion then an insertion")
    func replace() {
        #expect(
            WordDiff.redline(words("wij bewaren uw gegevens"), words("wij verwerken uw gegevens")) == [
                seg(.equal, "wij"), seg(.delete, "bewaren"), seg(.insert, "verwerken"), seg(.equal, "uw gegevens"),
            ])
    }

    @Test("moved words are reported as move-from and move-to")
    func move() {
        #expect(
            WordDiff.redline(
                words("zeven jaar lang bewaren wij uw gegevens"), words("bewaren wij uw gegevens zeven jaar lang")) == [
                    seg(.moveFrom, "zeven jaar lang"), seg(.equal, "bewaren wij uw gegevens"),
                    seg(.moveTo, "zeven jaar lang"),
                ])
    }

    @Test("a single word (or two) moved reads as a deletion and an insertion, not a move")
    func shortMove() {
        // WordDiff.minimumMove: common words paired by `inferringMoves` are not shown as moves.
        #expect(
            WordDiff.redline(words("altijd wij bewaren gegevens"), words("wij bewaren gegevens altijd")) == [
                seg(.delete, "altijd"), seg(.equal, "wij bewaren gegevens"), seg(.insert, "altijd"),
            ])
        #expect(
            WordDiff.redline(words("en de wij bewaren gegevens"), words("wij bewaren gegevens en de")) == [
                seg(.delete, "en de"), seg(.equal, "wij bewaren gegevens"), seg(.insert, "en de"),
            ])
    }

    @Test("a paragraph break is a segment of its own, and starts a new segment after it")
    func paragraphBreaks() {
        let old = WordDiff.tokens(["Wij bewaren", "uw gegevens"])
        let new = WordDiff.tokens(["Wij bewaren", "uw gegevens niet"])
        #expect(
            WordDiff.redline(old, new) == [
                seg(.equal, "Wij bewaren"), seg(.equal, "\n\n"), seg(.equal, "uw gegevens"), seg(.insert, "niet"),
            ])
    }

    @Test("splitting and joining paragraphs inserts or deletes a paragraph break")
    func paragraphSplitAndJoin() {
        let one = WordDiff.tokens(["Wij bewaren uw gegevens"])
        let two = WordDiff.tokens(["Wij bewaren", "uw gegevens"])
        #expect(
            WordDiff.redline(one, two) == [
                seg(.equal, "Wij bewaren"), seg(.insert, "\n\n"), seg(.equal, "uw gegevens"),
            ])
        #expect(
            WordDiff.redline(two, one) == [
                seg(.equal, "Wij bewaren"), seg(.delete, "\n\n"), seg(.equal, "uw gegevens"),
            ])
    }

    @Test("the same words inserted on both sides of a paragraph break stay in separate segments")
    func insertAcrossBreak() {
        let old = WordDiff.tokens(["a", "b"])
        let new = WordDiff.tokens(["a x", "y b"])
        #expect(
            WordDiff.redline(old, new) == [
                seg(.equal, "a"), seg(.insert, "x"), seg(.equal, "\n\n"), seg(.insert, "y"), seg(.equal, "b"),
            ])
    }
}

private func section(_ id: String, _ heading: String, level: Int = 2, facts: [String] = [], _ paragraphs: [String])
    -> Section
{
    Section(id: id, heading: heading, level: level, facts: facts, paragraphs: paragraphs)
}

private let hosting = section("webhosting", "Webhosting", ["Wij nemen webhosting- en emaildiensten af van MijnDomein."])
private let payments = section(
    "betalingen", "Betalingen", facts: ["recipient/sisow"],
    ["Voor het afhandelen van betalingen maken wij gebruik van het platform van Sisow."])
private let retention = section(
    "bewaartermijnen", "Bewaartermijnen", ["Wij bewaren uw gegevens zolang u klant bij ons bent."])

@Suite("Word diff: sections")
struct SectionMatchingTests {
    @Test("unchanged sections are not reported")
    func unchanged() {
        #expect(WordDiff.sections([hosting, payments, retention], [hosting, payments, retention]).isEmpty)
    }

    @Test("sections are matched by id and their prose compared")
    func matchedByID() {
        var changed = payments
        changed.paragraphs = ["Voor het afhandelen van betalingen gebruiken wij het platform van Sisow."]
        let changes = WordDiff.sections([hosting, payments, retention], [hosting, changed, retention])
        #expect(
            changes == [
                SectionChange(
                    status: .changed, id: "betalingen", previousId: nil, heading: "Betalingen", previousHeading: nil,
                    facts: ["recipient/sisow"],
                    wordsInserted: 1, wordsDeleted: 3,
                    redline: [
                        seg(.equal, "Voor het afhandelen van betalingen"), seg(.delete, "maken"),
                        seg(.insert, "gebruiken"), seg(.equal, "wij"),
                        seg(.delete, "gebruik van"), seg(.equal, "het platform van Sisow."),
                    ])
            ])
    }

    @Test("a renamed heading is matched by content")
    func renamedByContent() {
        let renamed = section("hosting-van-de-website", "Hosting van de website", hosting.paragraphs)
        let changes = WordDiff.sections([hosting, payments, retention], [renamed, payments, retention])
        #expect(
            changes == [
                SectionChange(
                    status: .renamed, id: "hosting-van-de-website", previousId: "webhosting",
                    heading: "Hosting van de website", previousHeading: "Webhosting",
                    facts: [], wordsInserted: 0, wordsDeleted: 0, redline: [])
            ])
    }

    @Test("a heading without prose renamed in place is matched by its place")
    func renamedInPlace() {
        let group = section("betaaldiensten", "Betaaldiensten", [])
        let regrouped = section("betaalproviders", "Betaalproviders", [])
        let changes = WordDiff.sections([hosting, group, payments], [hosting, regrouped, payments])
        #expect(changes.map(\.status) == [.renamed])
        #expect(changes.first?.id == "betaalproviders")
        #expect(changes.first?.previousId == "betaaldiensten")
        #expect(changes.first?.redline == [])
    }

    // A section whose prose is unchanged carries no redline (the prose is not repeated in the report).
    @Test("a moved section is reported once, as moved")
    func moved() {
        let changes = WordDiff.sections([hosting, payments, retention], [payments, retention, hosting])
        #expect(
            changes == [
                SectionChange(
                    status: .moved, id: "webhosting", previousId: nil, heading: "Webhosting", previousHeading: nil,
                    facts: [],
                    wordsInserted: 0, wordsDeleted: 0, redline: [])
            ])
    }

    @Test("a moved section whose prose also changed is reported as moved, with its redline")
    func movedAndChanged() {
        var changed = hosting
        changed.paragraphs = ["Wij nemen webhosting af van MijnDomein."]
        let changes = WordDiff.sections([hosting, payments, retention], [payments, retention, changed])
        #expect(changes.map(\.status) == [.moved])
        // "webhosting- en emaildiensten" became "webhosting".
        #expect(changes.first?.wordsDeleted == 3)
        #expect(changes.first?.wordsInserted == 1)
        #expect(
            changes.first?.redline == [
                seg(.equal, "Wij nemen"), seg(.delete, "webhosting- en emaildiensten"), seg(.insert, "webhosting"),
                seg(.equal, "af van MijnDomein."),
            ])
    }

    @Test("an added section")
    func added() {
        let cookies = section(
            "cookies", "Cookies", facts: ["cookie/session"],
            ["Wij gebruiken alleen functionele cookies.", "Geen andere."])
        let changes = WordDiff.sections([hosting, payments], [hosting, payments, cookies])
        #expect(
            changes == [
                SectionChange(
                    status: .added, id: "cookies", previousId: nil, heading: "Cookies", previousHeading: nil,
                    facts: ["cookie/session"],
                    wordsInserted: 7, wordsDeleted: 0,
                    redline: [
                        seg(.insert, "Wij gebruiken alleen functionele cookies."), seg(.insert, "\n\n"),
                        seg(.insert, "Geen andere."),
                    ])
            ])
    }

    @Test("a removed section is listed where it stood")
    func removed() {
        var hosting2 = hosting
        var retention2 = retention
        hosting2.paragraphs = ["Wij nemen webhosting af van MijnDomein."]
        retention2.paragraphs = ["Wij bewaren uw gegevens zolang u klant bent."]
        let changes = WordDiff.sections([hosting, payments, retention], [hosting2, retention2])
        #expect(changes.map(\.status) == [.changed, .removed, .changed])
        #expect(changes.map(\.id) == ["webhosting", "betalingen", "bewaartermijnen"])
        #expect(
            changes[1]
                == SectionChange(
                    status: .removed, id: "betalingen", previousId: nil, heading: "Betalingen", previousHeading: nil,
                    facts: ["recipient/sisow"],
                    wordsInserted: 0, wordsDeleted: 13,
                    redline: [
                        seg(.delete, "Voor het afhandelen van betalingen maken wij gebruik van het platform van Sisow.")
                    ]))
    }

    @Test("a removed first section is listed first")
    func removedFirst() {
        let changes = WordDiff.sections([hosting, payments], [payments])
        #expect(changes.map(\.status) == [.removed])
        #expect(changes.map(\.id) == ["webhosting"])
    }
}
