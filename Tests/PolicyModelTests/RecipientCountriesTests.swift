import PolicyBase
import PolicySource
import PolicyTestSupport
import Testing

@testable import PolicyModel

// A recipient in several countries: each country outside the EEA is a transfer that needs its grounds.

@Suite("A recipient in several countries")
struct RecipientCountriesTests {
    static func warnings(_ language: String, _ text: String) -> [String] {
        compiled(text, path: widerPolicyPath(language)).diagnostics
            .filter { !($0.rule == "right-missing" && $0.message.hasPrefix("rights ")) }.map(\.formatted)
    }

    @Test(arguments: ["en", "nl"])
    func eachCountryOutsideTheEEANeedsGrounds(language: String) throws {
        let path = widerPolicyPath(language)
        let text = edit(
            widerPolicy(language), replacing: "country: NL\nstored-in", with: "country: [NL, US, JP]\nstored-in")
        #expect(
            Self.warnings(language, text) == [
                "\(path):80:10: warning: recipient 'tracker' is outside the EEA (JP) with no transfer grounds; add 'transfer-grounds:' (GDPR Art. 13(1)(f)) (transfer-grounds-missing)",
                "\(path):80:10: warning: recipient 'tracker' is outside the EEA (US) with no transfer grounds; add 'transfer-grounds:' (GDPR Art. 13(1)(f)) (transfer-grounds-missing)",
            ])
        let version = try #require(compiled(text, path: path).version)
        let tracker = try #require(version.recipients.first)
        #expect(tracker.countries == ["NL", "US", "JP"])
        #expect(tracker.value("country") == .list(["NL", "US", "JP"]))
        let grounded = edit(
            text, replacing: "stored-in: [eea]", with: "transfer-grounds: [standard-contractual-clauses]")
        #expect(Self.warnings(language, grounded) == [])
        let twice = edit(text, replacing: "[NL, US, JP]", with: "[NL, NL]")
        #expect(
            Self.warnings(language, twice) == [
                "\(path):80:15: error: country 'NL' is listed twice in recipient 'tracker'; list each country once (invalid-value)\n\(path):80:11: note: first listed here"
            ])
    }
}
