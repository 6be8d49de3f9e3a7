import Foundation
import PolicyBase
import PolicySource
import PolicyTestSupport
import Testing

@testable import PolicyDiff
@testable import PolicyModel

private let sisowProse = "Voor het afhandelen van betalingen maken wij gebruik van het platform van Sisow."
private let sisowProseEdited =
    "Voor het afhandelen van betalingen maken wij uitsluitend gebruik van het platform van Sisow."

@Suite("VersionDiff: section records and the review flag")
struct ReviewFlagTests {
    @Test("prose about a fact changed while the fact did not: review")
    func reviewWhenFactsUnchanged() {
        var new = baseVersion()
        new.sections[id: "sisow"].paragraphs = [sisowProseEdited]
        let diff = VersionDiff.compare(baseVersion(), new)
        #expect(diff.changes.count == 1)
        let record = diff.changes.first
        #expect(
            record?.key == Key(kind: "section-changed", element: "section/sisow", impact: .editorial, rule: "wording"))
        #expect(record?.review == Review(.proseWithoutFactChange, facts: ["recipient/sisow"]))
        #expect(diff.counts["review"] == 1)
        #expect(diff.sections.map(\.status) == [.changed])
    }

    @Test("the same prose change together with a change of the fact: no review")
    func noReviewWhenFactChanged() {
        var new = baseVersion()
        new.sections[id: "sisow"].paragraphs = [sisowProseEdited]
        new.recipients[id: "sisow"].country = "DE"
        let diff = VersionDiff.compare(baseVersion(), new)
        #expect(diff.changes.map(\.kind.rawValue) == ["country-changed", "section-changed"])
        #expect(diff.changes.allSatisfy { $0.review == nil })
        #expect(diff.counts["review"] == 0)
        #expect(diff.counts["notify"] == 1)
        #expect(diff.hasNotify)
    }

    @Test("a label reworded is not a fact change: the prose change still needs review")
    func reviewWhenOnlyWordingChanged() {
        var new = baseVersion()
        new.sections[id: "betalingen"].paragraphs = ["Wij gebruiken uw betaalgegevens alleen om af te rekenen."]
        new.purposes[id: "payment"].label = "Betalingen afhandelen"
        let diff = VersionDiff.compare(baseVersion(), new)
        #expect(diff.changes.map(\.kind.rawValue) == ["purpose-text-changed", "section-changed"])
        #expect(diff.changes.last?.review == Review(.proseWithoutFactChange, facts: ["purpose/payment"]))
    }

    @Test("a section declaring several facts names them all")
    func reviewPlural() {
        var old = baseVersion()
        old.sections[id: "sisow"].facts = ["recipient/sisow", "security-measure/ssl"]
        var new = old
        new.sections[id: "sisow"].paragraphs = [sisowProseEdited]
        let diff = VersionDiff.compare(old, new)
        #expect(
            diff.changes.first?.review
                == Review(.proseWithoutFactChange, facts: ["recipient/sisow", "security-measure/ssl"]))
    }

    @Test("prose without facts, a renamed heading, added and removed sections: no review")
    func noReviewWithoutFacts() {
        var new = baseVersion()
        new.sections[id: "privacybeleid-kaviaarshop"].paragraphs = ["Welkom."]
        new.sections.remove(id: "betalingen")
        new.sections.append(
            Section(
                id: "cookies", heading: "Cookies", level: 2, facts: ["cookie/session"],
                paragraphs: ["Alleen functionele cookies."]))
        let diff = VersionDiff.compare(baseVersion(), new)
        #expect(diff.changes.map(\.kind.rawValue) == ["section-changed", "section-removed", "section-added"])
        #expect(
            diff.changes.map(\.element) == [
                "section/privacybeleid-kaviaarshop", "section/betalingen", "section/cookies",
            ])
        #expect(diff.changes.allSatisfy { $0.review == nil && $0.impact == .editorial && $0.rule == "wording" })
    }

    @Test("the review flag from compiled Markdown: the sisow section declares recipient/sisow")
    func reviewFromMarkdown() throws {
        let old = compile(markdown(), path: "kaviaarshop/2018-04-30.nl.md")
        let prose = edit(
            markdown(effective: "2019-01-01"), replacing: "gebruik van het platform",
            with: "uitsluitend gebruik van het platform")
        let new = compile(prose, path: "kaviaarshop/2019-01-01.nl.md")
        #expect(
            !old.hasErrors && !new.hasErrors, "\(old.diagnostics.map(\.formatted) + new.diagnostics.map(\.formatted))")
        let diff = VersionDiff.compare(try #require(old.version), try #require(new.version))
        #expect(diff.changes.map(\.kind.rawValue) == ["section-changed"])
        #expect(diff.changes.first?.element == "section/sisow")
        #expect(diff.changes.first?.review == Review(.proseWithoutFactChange, facts: ["recipient/sisow"]))
        #expect(diff.from == date("2018-04-30") && diff.to == date("2019-01-01"))

        let withFact = compile(
            edit(prose, replacing: "purposes: [payment]\ncountry: NL", with: "purposes: [payment]\ncountry: DE"),
            path: "kaviaarshop/2019-01-01.nl.md")
        let factDiff = VersionDiff.compare(try #require(old.version), try #require(withFact.version))
        #expect(factDiff.changes.map(\.kind.rawValue) == ["country-changed", "section-changed"])
        #expect(factDiff.changes.allSatisfy { $0.review == nil })
    }
}

// MARK: NoticeGuard

private let oldPath = "kaviaarshop/2018-04-30.nl.md"
private let newPath = "kaviaarshop/2019-01-01.nl.md"

/// The next version: effective 2019-01-01 with `front` front matter; sisow moves to Germany (a notify change) unless
/// `notify` is false, in which case only prose changes.
private func nextVersion(front: String, notify: Bool = true, path: String = newPath) -> CompiledDocument {
    var text = markdown(front: front, effective: "2019-01-01")
    if notify {
        text = edit(text, replacing: "purposes: [payment]\ncountry: NL", with: "purposes: [payment]\ncountry: DE")
    } else {
        text = edit(text, replacing: "gebruik van het platform", with: "uitsluitend gebruik van het platform")
    }
    return compile(text, path: path)
}

private func guardDiagnostics(
    _ documents: [CompiledDocument], sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> [Diagnostic] {
    for document in documents where document.hasErrors {
        Issue.record(
            "\(document.path) does not compile: \(document.diagnostics.map(\.formatted))",
            sourceLocation: sourceLocation)
    }
    return NoticeGuard.check(documents)
}

private let why = "1 change customers must be told about, such as recipient/sisow (country-changed)"

@Suite("NoticeGuard")
struct NoticeGuardTests {
    let old = compile(markdown(), path: oldPath)

    @Test("a notify change without 'announced' (and without 'summary')")
    func notAnnounced() {
        let diagnostics = guardDiagnostics([old, nextVersion(front: "")])
        #expect(diagnostics.map(\.rule) == ["notice-period", "change-summary-missing"])
        #expect(diagnostics.map(\.severity) == [.error, .error])
        #expect(
            diagnostics.first?.message
                == "version has \(why) but no 'announced' date; add the day customers are told, at least 30 days before 2019-01-01"
        )
        // At the value of `effective: 2019-01-01` (line 5, column 12).
        #expect(diagnostics.first?.location == SourceLocation(file: newPath, line: 5, column: 12))
        #expect(diagnostics.first?.notes == [])
        #expect(
            diagnostics.last?.message
                == "version has changes customers must be told about but no 'summary' in nl; add a short summary for customers"
        )
        // At the value of `language: nl` (line 4, column 11).
        #expect(diagnostics.last?.location == SourceLocation(file: newPath, line: 4, column: 11))
    }

    @Test("announced too late: fewer than notice-period-days before effective")
    func announcedTooLate() {
        let diagnostics = guardDiagnostics([
            old,
            nextVersion(front: "announced: 2018-12-15\nsummary: Sisow verwerkt uw betalingen voortaan in Duitsland."),
        ])
        #expect(diagnostics.map(\.rule) == ["notice-period"])
        #expect(diagnostics.first?.severity == .error)
        #expect(
            diagnostics.first?.message
                == "announced 2018-12-15, less than 30 days before it takes effect on 2019-01-01; announce by 2018-12-02 or move the effective date"
        )
        // At the value of `announced: 2018-12-15` (line 6, column 12); the note at `effective` (line 5, column 12).
        #expect(diagnostics.first?.location == SourceLocation(file: newPath, line: 6, column: 12))
        #expect(
            diagnostics.first?.notes == [
                DiagnosticNote("the version has \(why)", at: SourceLocation(file: newPath, line: 5, column: 12))
            ])
        #expect(diagnostics.first?.formatted.hasPrefix("\(newPath):6:12: error: announced 2018-12-15") == true)
    }

    @Test(
        "announced one day too late, exactly in time, and well in time",
        arguments: [
            ("2018-12-03", false), ("2018-12-02", true), ("2018-11-01", true),
        ])
    func announcedBoundary(announced: String, inTime: Bool) {
        let diagnostics = guardDiagnostics([
            old,
            nextVersion(front: "announced: \(announced)\nsummary: Sisow verwerkt uw betalingen voortaan in Duitsland."),
        ])
        #expect(diagnostics.map(\.rule) == (inTime ? [] : ["notice-period"]))
    }

    @Test("the notice period stated in the newer version is used")
    func ownNoticePeriod() {
        let front =
            "announced: 2018-11-15\nnotice-period-days: 60\nsummary: Sisow verwerkt uw betalingen voortaan in Duitsland."
        let diagnostics = guardDiagnostics([old, nextVersion(front: front)])
        #expect(
            diagnostics.map(\.message) == [
                "announced 2018-11-15, less than 60 days before it takes effect on 2019-01-01; announce by 2018-11-02 or move the effective date"
            ])
    }

    @Test("announced in time with a summary: no diagnostics")
    func announcedInTime() {
        let diagnostics = guardDiagnostics([
            old,
            nextVersion(front: "announced: 2018-11-25\nsummary: Sisow verwerkt uw betalingen voortaan in Duitsland."),
        ])
        #expect(diagnostics.isEmpty)
    }

    @Test("announced in time without a summary: change-summary-missing")
    func summaryMissing() {
        let diagnostics = guardDiagnostics([old, nextVersion(front: "announced: 2018-11-25")])
        #expect(diagnostics.map(\.rule) == ["change-summary-missing"])
        #expect(diagnostics.first?.severity == .error)
        #expect(
            diagnostics.first?.message
                == "version has changes customers must be told about but no 'summary' in nl; add a short summary for customers"
        )
        #expect(diagnostics.first?.location == SourceLocation(file: newPath, line: 4, column: 11))
    }

    @Test("a translation without a summary: change-summary-missing in the translation")
    func translationSummaryMissing() {
        let nl = nextVersion(
            front: "announced: 2018-11-25\nsummary: Sisow verwerkt uw betalingen voortaan in Duitsland.")
        var en = markdown(front: "translation-of: nl\nannounced: 2018-11-25", effective: "2019-01-01")
        en = edit(en, replacing: "language: nl", with: "language: en")
        en = edit(en, replacing: "purposes: [payment]\ncountry: NL", with: "purposes: [payment]\ncountry: DE")
        let enPath = "kaviaarshop/2019-01-01.en.md"
        let diagnostics = guardDiagnostics([old, nl, compile(en, path: enPath)])
        #expect(diagnostics.map(\.rule) == ["change-summary-missing"])
        #expect(
            diagnostics.first?.message
                == "version has changes customers must be told about but no 'summary' in en; add a short summary for customers"
        )
        #expect(diagnostics.first?.location == SourceLocation(file: enPath, line: 4, column: 11))
    }

    @Test("no notify change: 'announced' and 'summary' are not needed")
    func noNotifyChange() {
        #expect(guardDiagnostics([old, nextVersion(front: "", notify: false)]).isEmpty)
    }

    @Test("the first version is compared with nothing; documents are ordered by effective date, not by argument order")
    func firstVersionAndOrder() {
        #expect(guardDiagnostics([old]).isEmpty)
        let diagnostics = guardDiagnostics([nextVersion(front: ""), old])
        #expect(diagnostics.map(\.rule) == ["notice-period", "change-summary-missing"])
        #expect(diagnostics.allSatisfy { $0.location.file == newPath })
    }
}

// MARK: Determinism

private func json(_ diff: VersionDiff) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(diff), as: UTF8.self)
}

/// The base version with many changes at once, of every class.
private func manyChanges() -> PolicyVersion {
    var new = baseVersion()
    new.effective = date("2019-01-01")
    new.controller.email = "privacy@kaviaarshop.nl"
    new.categories.append(
        DataCategory(id: "phone", label: "Telefoonnummer", required: false, consequence: nil, source: nil))
    new.purposes.append(
        Purpose(
            id: "delivery", label: "Bezorging", basis: .contract, interest: nil, categories: ["phone", "name-address"]))
    new.recipients.remove(id: "sisow")
    new.recipients.append(
        Recipient(
            id: "mollie", name: "Mollie", role: .processor, categories: ["name-address", "payment"],
            purposes: ["payment"],
            country: "US", transferGrounds: [.standardContractualClauses], ownPurposes: true))
    new.retention[id: "customer-profile"].until = nil
    new.retention[id: "customer-profile"].duration = duration("P2Y")
    new.retention[id: "customer-profile"].from = .lastOrder
    new.rights[id: "access"].channels = [.webForm]
    new.rights.append(
        Right(id: .portability, label: "Overdraagbaarheid", channels: [.email], response: duration("P1M"), how: nil))
    new.sections[id: "sisow"].paragraphs = ["Voor betalingen gebruiken wij Mollie."]
    new.sections.append(
        Section(
            id: "bezorging", heading: "Bezorging", level: 2, facts: ["purpose/delivery"],
            paragraphs: ["Wij bellen u bij bezorging."]))
    return new
}

@Suite("Determinism")
struct DeterminismTests {
    @Test("comparing the same pair twice gives identical JSON")
    func samePairTwice() throws {
        let first = try json(VersionDiff.compare(baseVersion(), manyChanges()))
        let second = try json(VersionDiff.compare(baseVersion(), manyChanges()))
        #expect(first == second)
        #expect(VersionDiff.compare(baseVersion(), manyChanges()) == VersionDiff.compare(baseVersion(), manyChanges()))
        // Sanity: the pair has changes of every class.
        let diff = VersionDiff.compare(baseVersion(), manyChanges())
        #expect(Set(diff.changes.map(\.impact)) == Set(Impact.allCases))
    }

    @Test("the real kaviaarshop versions, compiled twice, give identical JSON")
    func realPolicy() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Policies/kaviaarshop")
        func load(_ name: String) throws -> PolicyVersion {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            let document = Compiler.compile(SourceReader.read(bytes: bytes, path: "kaviaarshop/\(name)"))
            return try #require(document.version)
        }
        let a = try json(VersionDiff.compare(try load("2018-04-30.nl.md"), try load("2027-01-01.nl.md")))
        let b = try json(VersionDiff.compare(try load("2018-04-30.nl.md"), try load("2027-01-01.nl.md")))
        #expect(a == b)
        #expect(a.contains("\"format\" : \"policyc-changes/2\""))
    }

    @Test("the JSON round-trips")
    func roundTrip() throws {
        let diff = VersionDiff.compare(baseVersion(), manyChanges())
        let decoded = try JSONDecoder().decode(VersionDiff.self, from: try JSONEncoder().encode(diff))
        #expect(decoded == diff)
    }
}
