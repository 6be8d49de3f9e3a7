import PolicyBase
import PolicySource
import PolicyTestSupport
import Testing

@testable import PolicyModel

// Retention as policies word it, compiled from both languages: a period that ends at whichever of two events comes
// first, an approximate duration ("about 30 days"), and a recipient that keeps the data for a period of its own.
// Every diagnostic is the exact line the compiler prints.

private func compile(_ language: String, _ text: String) -> CompiledDocument {
    compiled(text, path: widerPolicyPath(language))
}

/// Every diagnostic but the rights warning the policy always has (it states one right), formatted with its notes.
private func lines(_ language: String, _ text: String) -> [String] {
    compile(language, text).diagnostics.filter { !($0.rule == "right-missing" && $0.message.hasPrefix("rights ")) }
        .map(\.formatted)
}

@Suite("Retention as policies word it")
struct RetentionWordingTests {
    @Test(arguments: ["en", "nl"])
    func periodsAsPoliciesWordThem(language: String) throws {
        let text = retentionAsWorded(language)
        #expect(lines(language, text) == [])
        let version = try #require(compile(language, text).version)
        let profile = try #require(version.retention.first { $0.id == "profile" })
        #expect(profile.ends == [.endOfRelationship, .consentWithdrawn])
        #expect(profile.value("until") == .list(["end-of-relationship", "consent-withdrawn"]))
        #expect(profile.period == "until consent-withdrawn or end-of-relationship")
        let usage = try #require(version.retention.first { $0.id == "usage" })
        #expect(usage.approximate == true)
        #expect(usage.period == "~P1Y")
        let kept = try #require(version.retention.last)
        #expect(kept.holder == "tracker")
        #expect(kept.value("holder") == .text("tracker"))
        // One end event is still one word, and `approximate: false` is the default, not written out.
        let single = edit(text, replacing: "[end-of-relationship, consent-withdrawn]", with: "[end-of-relationship]")
        let plain = try #require(compile(language, single).version?.retention.first)
        #expect(plain.value("until") == .text("end-of-relationship"))
        let exact = edit(text, replacing: "approximate: true", with: "approximate: false")
        #expect(try #require(compile(language, exact).version).retention[1].value("approximate") == nil)
    }

    @Test(arguments: ["en", "nl"])
    func periodsOfOneHolderStillOverlap(language: String) {
        let path = widerPolicyPath(language)
        let text = edit(retentionAsWorded(language), replacing: "holder: tracker\n", with: "")
        #expect(
            lines(language, text) == [
                "\(path):112:13: error: category 'usage' has a second retention period in retention 'tracker-usage'; state one period a category, or count them from different events with 'from' (retention-overlap)\n\(path):86:13: note: first period given here"
            ])
    }

    @Test(arguments: ["en", "nl"])
    func wordingThatStatesNoPeriodIsRefused(language: String) {
        let path = widerPolicyPath(language)
        var text = edit(
            retentionAsWorded(language), replacing: "[end-of-relationship, consent-withdrawn]",
            with: "[end-of-relationship, end-of-relationship]")
        text = edit(text, replacing: "duration: P2Y\n", with: "until: purpose-fulfilled\napproximate: true\n")
        text = edit(text, replacing: "holder: tracker", with: "holder: courier")
        #expect(
            lines(language, text) == [
                "\(path):45:30: error: until 'end-of-relationship' is listed twice in retention 'profile'; list each event once (invalid-value)\n\(path):45:9: note: first listed here",
                "\(path):114:14: error: 'approximate' in retention 'tracker-usage' needs a 'duration' to qualify (missing-key)",
                "\(path):115:9: error: retention 'tracker-usage' refers to undeclared recipient 'courier'; declare it in a ```recipient block (undeclared-reference)",
            ])
    }

    @Test(arguments: ["en", "nl"])
    func periodsUntilAnEventInCommonOverlap(language: String) {
        let path = widerPolicyPath(language)
        let text =
            retentionAsWorded(language) + """

                ```retention
                id: newsletter
                categories: [email]
                until: [consent-withdrawn, erasure-request]
                ```

                """
        #expect(
            lines(language, text) == [
                "\(path):119:13: error: category 'email' has a second retention period in retention 'newsletter'; state one period a category, or count them from different events with 'from' (retention-overlap)\n\(path):44:13: note: first period given here"
            ])
    }
}
