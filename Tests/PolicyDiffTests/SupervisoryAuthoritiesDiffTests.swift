import PolicyBase
import PolicySource
import PolicyTestSupport
import Testing

@testable import PolicyDiff
@testable import PolicyModel

// An authority added beside the lead one is favourable (one more place to complain); one no longer named is notify.

private func authorityChanges(_ language: String, from old: String, to new: String) throws -> [Key] {
    let newer = edit(new, replacing: "effective: 2024-01-01", with: "effective: 2025-01-01")
    let before = try #require(compiled(old, path: widerPolicyPath(language)).version)
    let after = try #require(compiled(newer, path: widerPolicyPath(language, effective: "2025-01-01")).version)
    return FactDiff.compare(before, after).map(\.key)
}

@Suite("Several supervisory authorities, diffed")
struct SupervisoryAuthoritiesDiffTests {
    @Test(arguments: ["en", "nl"])
    func anAuthorityAddedAndRemoved(language: String) throws {
        let added = try authorityChanges(language, from: widerPolicy(language), to: severalAuthorities(language))
        #expect(
            added == [
                Key(
                    kind: "supervisory-authority-added", element: "supervisory-authority/residence",
                    impact: .favourable,
                    rule: "right-improved")
            ])
        let removed = try authorityChanges(language, from: severalAuthorities(language), to: widerPolicy(language))
        #expect(
            removed == [
                Key(
                    kind: "supervisory-authority-removed", element: "supervisory-authority/residence",
                    categories: ["email", "health", "usage"], impact: .notify, rule: "right-weakened")
            ])
        // The lead authority's website, changed beside the customer's own, is a change of that authority.
        let several = severalAuthorities(language)
        let website = try authorityChanges(
            language, from: several,
            to: edit(
                several, replacing: "    country: NL\n", with: "    country: NL\n    website: https://ap.example\n"))
        #expect(website.map(\.kind) == ["supervisory-authority-changed"])
        #expect(website.map(\.element) == ["supervisory-authority/NL"])
        #expect(website.map(\.impact) == [.notify])
    }
}
