import PolicyBase
import PolicySource
import PolicyTestSupport
import Testing

@testable import PolicyDiff
@testable import PolicyModel

// A recipient in several countries, diffed: one more country outside the EEA is a transfer introduced, as for a
// recipient in one country; the last country outside it gone is a transfer ended.

private func countryChanges(_ language: String, from old: String, to new: String) throws -> [Key] {
    // The recipient's lines end at `stored-in`, which tells them from the authority's country.
    let stored = "\nstored-in: [eea]"
    let base = edit(widerPolicy(language), replacing: "country: NL" + stored, with: old + stored)
    let newer = edit(
        edit(base, replacing: old + stored, with: new + stored), replacing: "effective: 2024-01-01",
        with: "effective: 2025-01-01")
    let before = try #require(compiled(base, path: widerPolicyPath(language)).version)
    let after = try #require(compiled(newer, path: widerPolicyPath(language, effective: "2025-01-01")).version)
    return FactDiff.compare(before, after).map(\.key).filter { $0.field == "country" }
}

@Suite("A recipient in several countries, diffed")
struct RecipientCountriesDiffTests {
    @Test(arguments: ["en", "nl"])
    func aCountryAddedOutsideTheEEA(language: String) throws {
        let added = try countryChanges(language, from: "country: NL", to: "country: [NL, US]")
        #expect(
            added == [
                Key(
                    kind: "transfer-introduced", element: "recipient/tracker", field: "country", before: .text("NL"),
                    after: .list(["NL", "US"]), categories: ["usage"], impact: .notify, rule: "transfer-introduced")
            ])
        let grounds = "\ntransfer-grounds: [standard-contractual-clauses]"
        let another = try countryChanges(language, from: "country: US" + grounds, to: "country: [US, JP]" + grounds)
        #expect(another.map(\.kind) == ["transfer-introduced"])
        let ended = try countryChanges(language, from: "country: [NL, US]", to: "country: NL")
        #expect(ended.map(\.kind) == ["transfer-ended"])
        #expect(ended.map(\.impact) == [.favourable])
        let reordered = try countryChanges(language, from: "country: [NL, US]", to: "country: [US, NL]")
        #expect(reordered == [])
    }

    @Test func decisions() {
        #expect(CountryRules.change(before: ["US"], after: ["JP"])?.1.id == "country-changed")
        #expect(CountryRules.change(before: ["US"], after: ["US", "JP"])?.1.id == "transfer-introduced")
        #expect(CountryRules.change(before: [], after: ["US"])?.1.id == "transfer-introduced")
        #expect(CountryRules.change(before: ["US"], after: [])?.1.id == "country-changed")
        #expect(CountryRules.change(before: ["NL", "US"], after: ["DE"])?.1.id == "transfer-ended")
        #expect(CountryRules.change(before: ["NL"], after: ["NL", "DE"])?.1.id == "country-changed")
        #expect(CountryRules.change(before: ["NL", "US"], after: ["US", "NL"]) == nil)
    }
}
