import PolicyBase
import PolicySource
import PolicyTestSupport
import Testing

@testable import PolicyDiff
@testable import PolicyModel

// The classes of changes to retention as policies word it: end events whichever comes first, approximate periods and
// a recipient's own period, diffed from the policy's text in both languages (docs/changes.md, "Kinds" and "Rules").

/// The retention records of the change from `base` to the same policy a year later with `edits` applied.
private func retentionChanges(
    _ language: String, base: String, _ edits: [(String, String)],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> [Key] {
    var new = edit(
        base, replacing: "effective: 2024-01-01", with: "effective: 2025-01-01", sourceLocation: sourceLocation)
    for (from, to) in edits { new = edit(new, replacing: from, with: to, sourceLocation: sourceLocation) }
    let older = try #require(compiled(base, path: widerPolicyPath(language)).version, sourceLocation: sourceLocation)
    let newer = try #require(
        compiled(new, path: widerPolicyPath(language, effective: "2025-01-01")).version, sourceLocation: sourceLocation)
    return FactDiff.compare(older, newer).map(\.key).filter { $0.element.hasPrefix("retention/") }
}

private let bothEnds = "until: [end-of-relationship, consent-withdrawn]"

@Suite("Retention as policies word it, diffed")
struct RetentionWordingDiffTests {
    @Test("a period gaining an end event is favourable, losing one notify", arguments: ["en", "nl"])
    func endEvents(language: String) throws {
        let gained = try retentionChanges(
            language, base: widerPolicy(language), [("until: end-of-relationship", bothEnds)])
        let loss = try retentionChanges(
            language, base: retentionAsWorded(language), [(bothEnds, "until: end-of-relationship")])
        let one: FactValue = .text("until end-of-relationship")
        let two: FactValue = .text("until consent-withdrawn or end-of-relationship")
        #expect(
            gained == [
                Key(
                    kind: "retention-shortened", element: "retention/profile", field: "period", before: one,
                    after: two, categories: ["email", "health"], impact: .favourable, rule: "retention-shortened")
            ])
        #expect(
            loss == [
                Key(
                    kind: "retention-lengthened", element: "retention/profile", field: "period", before: two,
                    after: one, categories: ["email", "health"], impact: .notify, rule: "retention-not-shorter")
            ])
        // Another order of the same events is the same period.
        let reordered = try retentionChanges(
            language, base: retentionAsWorded(language),
            [(bothEnds, "until: [consent-withdrawn, end-of-relationship]")])
        #expect(reordered == [])
    }

    @Test(
        "an exact period made approximate is notify, an approximate one made exact favourable", arguments: ["en", "nl"])
    func approximatePeriods(language: String) throws {
        let weaker = try retentionChanges(
            language, base: widerPolicy(language), [("duration: P1Y\n", "duration: P1Y\napproximate: true\n")])
        #expect(
            weaker == [
                Key(
                    kind: "retention-changed", element: "retention/usage", field: "period", before: .text("P1Y"),
                    after: .text("~P1Y"), categories: ["usage"], impact: .notify, rule: "retention-made-approximate")
            ])
        let aboutAYear = edit(
            widerPolicy(language), replacing: "duration: P1Y\n", with: "duration: P1Y\napproximate: true\n")
        let firmer = try retentionChanges(language, base: aboutAYear, [("approximate: true\n", "")])
        #expect(firmer.map(\.kind) == ["retention-changed"])
        #expect(firmer.map(\.rule) == ["retention-made-exact"])
        #expect(firmer.map(\.impact) == [.favourable])
        // Made exact at another length, the length alone decides.
        let shorter = try retentionChanges(
            language, base: aboutAYear, [("duration: P1Y\napproximate: true\n", "duration: P6M\n")])
        #expect(shorter.map(\.rule) == ["retention-shortened"])
        #expect(shorter.map(\.after) == [.text("P6M")])
        let longer = try retentionChanges(
            language, base: aboutAYear, [("duration: P1Y\napproximate: true\n", "duration: P2Y\n")])
        #expect(longer.map(\.kind) == ["retention-lengthened"])
        #expect(longer.map(\.rule) == ["retention-not-shorter"])
    }

    @Test("a recipient's own period is compared beside the shop's, by id, shown by name", arguments: ["en", "nl"])
    func periodsPerHolder(language: String) throws {
        let base = edit(retentionAsWorded(language), replacing: "approximate: true\n", with: "")
        let longer = try retentionChanges(language, base: base, [("duration: P2Y\nholder", "duration: P5Y\nholder")])
        #expect(
            longer == [
                Key(
                    kind: "retention-changed", element: "retention/usage", field: "period",
                    before: .text("P1Y + P2Y held by Tracker B.V."), after: .text("P1Y + P5Y held by Tracker B.V."),
                    categories: ["usage"], impact: .notify, rule: "retention-not-shorter")
            ])
        // The holder renamed is a change of the recipient, not of how long it keeps the data.
        let renamed = try retentionChanges(language, base: base, [("name: Tracker B.V.", "name: Tracker Europe B.V.")])
        #expect(renamed == [])
    }

    @Test func decisions() {
        #expect(
            RetentionRules.endsSooner(before: [.endOfRelationship], after: [.consentWithdrawn, .endOfRelationship]))
        #expect(!RetentionRules.endsSooner(before: [.endOfRelationship], after: [.consentWithdrawn]))
        #expect(!RetentionRules.endsSooner(before: [.endOfRelationship], after: [.endOfRelationship]))
        let exact = Retention(id: "a", categories: ["email"], duration: ISODuration("P30D"))
        var about = exact
        about.approximate = true
        #expect(RetentionRules.precision(before: exact, after: about)?.id == "retention-made-approximate")
        #expect(RetentionRules.precision(before: about, after: exact)?.id == "retention-made-exact")
        #expect(RetentionRules.precision(before: exact, after: exact) == nil)
        var longer = about
        longer.duration = ISODuration("P60D")
        #expect(RetentionRules.precision(before: exact, after: longer) == nil)
        var held = about
        held.holder = "tracker"
        #expect(RetentionRules.precision(before: exact, after: held) == nil)
    }
}
