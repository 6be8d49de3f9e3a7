import PolicyBase
import PolicyModel
import PolicyPublish
import Testing

/// published.lock: its format, and the guard that a published version never changes, message for message.
@Suite struct LedgerTests {
    let hashA = "sha256:" + String(repeating: "a", count: 64)
    let hashB = "sha256:" + String(repeating: "b", count: 64)
    let day = CalendarDate("2026-11-25")!

    @Test func roundTripIsSortedAndStable() {
        let ledger = Ledger(entries: [
            .init(effective: CalendarDate("2027-01-01")!, language: "nl", contentHash: hashB, published: day),
            .init(effective: CalendarDate("2018-04-30")!, language: "nl", contentHash: hashA, published: day),
            .init(effective: CalendarDate("2018-04-30")!, language: "en", contentHash: hashA, published: day),
        ])
        let text = ledger.text
        #expect(
            text.hasSuffix(
                """
                2018-04-30 en \(hashA) 2026-11-25
                2018-04-30 nl \(hashA) 2026-11-25
                2027-01-01 nl \(hashB) 2026-11-25

                """))
        let (parsed, problems) = Ledger.parse(text, path: "published.lock")
        #expect(problems.isEmpty)
        #expect(parsed.text == text)
        #expect(parsed.entry(effective: CalendarDate("2027-01-01")!, language: "nl")?.line == 6)
    }

    @Test func malformedAndDuplicateLines() {
        let text =
            "# comment\n2018-04-30 nl \(hashA)\n2018-04-30 en \(hashA) 2026-11-25\n2018-04-30 en \(hashB) 2026-11-26\n"
        let (ledger, problems) = Ledger.parse(text, path: "Policies/shop/published.lock")
        #expect(ledger.entries.count == 1)
        #expect(
            problems.map(\.formatted) == [
                "Policies/shop/published.lock:2:1: error: malformed entry; expected 'EFFECTIVE-DATE LANGUAGE sha256:HASH PUBLISHED-DATE' as written by policyc publish (ledger-syntax)",
                "Policies/shop/published.lock:4:1: error: second entry for version 2018-04-30 (en) (ledger-syntax)\nPolicies/shop/published.lock:3:1: note: first entry here",
            ])
    }

    func guardLines(sources: [SourceFingerprint], existing: Set<String> = []) -> [String] {
        let (ledger, _) = Ledger.parse(
            Ledger(entries: [
                .init(effective: CalendarDate("2018-04-30")!, language: "nl", contentHash: hashA, published: day)
            ]).text, path: "Policies/shop/published.lock")
        return PublishedGuard.check(
            policy: "shop", ledger: ledger, ledgerPath: "Policies/shop/published.lock", sources: sources,
            sourcePath: { "Policies/shop/\($0).\($1).md" }, exists: { existing.contains($0) }
        ).map(\.formatted)
    }

    @Test func changedPublishedVersionIsRefusedWithWhatToDo() {
        let changed = SourceFingerprint(
            path: "Policies/shop/2018-04-30.nl.md", effective: CalendarDate("2018-04-30")!, language: "nl",
            contentHash: hashB)
        #expect(
            guardLines(sources: [changed]) == [
                "Policies/shop/2018-04-30.nl.md:1:1: error: version 2018-04-30 (nl) of 'shop' was published on 2026-11-25 and its content has changed since; a published version cannot change: undo the edit, and make the change in a new version with a later effective date (published-version-changed)\nPolicies/shop/published.lock:4:1: note: published with sha256:aaaaaaaaaaaa… here"
            ])
        let same = SourceFingerprint(
            path: "Policies/shop/2018-04-30.nl.md", effective: CalendarDate("2018-04-30")!, language: "nl",
            contentHash: hashA)
        #expect(guardLines(sources: [same]).isEmpty)
    }

    @Test func vanishedPublishedVersionIsRefused() {
        #expect(
            guardLines(sources: []) == [
                "Policies/shop/published.lock:4:1: error: version 2018-04-30 (nl) of 'shop' was published on 2026-11-25 but its source Policies/shop/2018-04-30.nl.md is gone; restore it: a published version stays available (published-version-missing)"
            ])
        // A file that was not among those read (a check of one other file) but is on disk is not missing.
        #expect(guardLines(sources: [], existing: ["Policies/shop/2018-04-30.nl.md"]).isEmpty)
    }

    @Test func recordAddsOnlyNewVersionsAndKeepsTheirFirstDay() {
        let ledger = Ledger(entries: [
            .init(effective: CalendarDate("2018-04-30")!, language: "nl", contentHash: hashA, published: day)
        ])
        let sources = [
            SourceFingerprint(path: "a", effective: CalendarDate("2018-04-30")!, language: "nl", contentHash: hashA),
            SourceFingerprint(path: "b", effective: CalendarDate("2027-01-01")!, language: "nl", contentHash: hashB),
        ]
        let later = PublishedGuard.record(ledger, sources: sources, today: CalendarDate("2026-12-01")!)
        #expect(later.entries.map(\.published.description) == ["2026-11-25", "2026-12-01"])
        #expect(PublishedGuard.record(later, sources: sources, today: CalendarDate("2027-05-05")!) == later)
    }
}
