import PolicyBase
import PolicySource
import PolicyTestSupport
import Testing

@testable import PolicyModel

// Several supervisory authorities in the front matter: a lead authority and the customer's own. One authority is
// still written as a mapping. Every diagnostic is the exact line the compiler prints.

@Suite("Several supervisory authorities")
struct SupervisoryAuthoritiesTests {
    @Test(arguments: ["en", "nl"])
    func aLeadAuthorityAndTheCustomersOwn(language: String) throws {
        let text = severalAuthorities(language)
        let document = compiled(text, path: widerPolicyPath(language))
        #expect(document.diagnostics.filter { $0.severity == .error }.map(\.formatted) == [])
        let version = try #require(document.version)
        #expect(version.supervisoryAuthorities.map(\.identity) == ["NL", "residence"])
        #expect(version.supervisoryAuthority?.country == "NL")
        #expect(version.additionalAuthorities.map(\.residence) == [true])
        // One authority, as a mapping, is the only one.
        let single = try #require(compiled(widerPolicy(language), path: widerPolicyPath(language)).version)
        #expect(single.supervisoryAuthorities.map(\.identity) == ["NL"])
    }

    @Test(arguments: ["en", "nl"])
    func theSameAuthorityTwiceIsRefused(language: String) {
        let path = widerPolicyPath(language)
        let text = edit(
            severalAuthorities(language), replacing: "  - residence: true\n", with: "  - name: AP\n    country: NL\n")
        let errors = compiled(text, path: path).diagnostics.filter { $0.severity == .error }.map(\.formatted)
        #expect(
            errors == [
                "\(path):12:5: error: supervisory authority 2 names the same authority as one before it; list each authority once (invalid-value)\n\(path):10:5: note: first listed here"
            ])
    }
}
