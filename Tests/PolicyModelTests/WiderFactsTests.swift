import PolicyBase
import PolicySource
import PolicyTestSupport
import Testing

@testable import PolicyModel

// The facts real policies state beyond the first format, compiled from both languages: a right's channels (a
// preference centre, an unsubscribe link, a browser add-on), several legal bases for one purpose, and the statute or
// Art. 9(2) condition a purpose relies on. Every diagnostic is the exact line the compiler prints.

private func compile(_ language: String, _ text: String) -> CompiledDocument {
    compiled(text, path: widerPolicyPath(language))
}

/// Every diagnostic but the rights warning the policy always has (it states one right), formatted with its notes.
private func lines(_ language: String, _ text: String) -> [String] {
    compile(language, text).diagnostics.filter { !($0.rule == "right-missing" && $0.message.hasPrefix("rights ")) }
        .map(\.formatted)
}

@Suite("Channels, several legal bases and legal references")
struct WiderFactsTests {
    @Test(arguments: ["en", "nl"])
    func thePolicyCompilesWithItsNewFacts(language: String) throws {
        let text = widerPolicy(language)
        #expect(lines(language, text) == [])
        let version = try #require(compile(language, text).version)
        #expect(version.rights.first?.channels == [.email, .unsubscribeLink, .preferenceCentre, .browserAddOn])
        let care = try #require(version.purposes.first { $0.id == "care" })
        #expect(care.bases == [.contract, .legitimateInterests])
        #expect(care.specialCategoryCondition == .healthCare)
        #expect(care.statute == (language == "en" ? "Medical Devices Act" : "Wet medische hulpmiddelen"))
        #expect(care.value("basis") == .list(["contract", "legitimate-interests"]))
        // A single basis is still one word, in the model and in its JSON.
        #expect(version.purposes.first?.value("basis") == .text("consent"))
        #expect(version.purposes.first?.basis == .consent)
        // A list of one is the same single basis.
        #expect(version.purposes.last?.value("basis") == .text("consent"))
    }

    @Test(arguments: ["en", "nl"])
    func anUnknownChannelNamesTheClosestWord(language: String) {
        let text = edit(
            widerPolicy(language), replacing: "channels: [email, unsubscribe-link,",
            with: "channels: [email, unsubscribe-links,")
        #expect(
            lines(language, text) == [
                "shop/2024-01-01.\(language).md:51:19: error: unknown channel 'unsubscribe-links' in right 'objection'; did you mean 'unsubscribe-link'? (invalid-value)"
            ])
    }

    @Test(arguments: ["en", "nl"])
    func aBasisListedTwiceIsAnError(language: String) {
        let text = edit(
            widerPolicy(language), replacing: "basis: [contract, legitimate-interests]",
            with: "basis: [contract, legitimate-interests, contract]")
        let path = widerPolicyPath(language)
        #expect(
            lines(language, text) == [
                "\(path):35:41: error: basis 'contract' is listed twice in purpose 'care'; list each basis once (invalid-value)\n\(path):35:9: note: first listed here"
            ])
    }

    @Test(arguments: ["en", "nl"])
    func anUnknownBasisInAListIsNamed(language: String) {
        let text = edit(
            widerPolicy(language), replacing: "basis: [contract, legitimate-interests]",
            with: "basis: [contract, legitimate-interest]")
        #expect(
            lines(language, text).first
                == "\(widerPolicyPath(language)):35:19: error: unknown basis 'legitimate-interest' in purpose 'care'; did you mean 'legitimate-interests'? (invalid-value)"
        )
    }

    @Test(arguments: ["en", "nl"])
    func theInterestGoesWithLegitimateInterestsInAList(language: String) {
        let path = widerPolicyPath(language)
        let interest = language == "en" ? "Safe use of our products" : "Veilig gebruik van onze producten"
        let missing = edit(widerPolicy(language), replacing: "interest: \(interest)\n", with: "")
        #expect(
            lines(language, missing) == [
                "\(path):35:19: error: purpose 'care' has basis 'legitimate-interests' but states no interest; add 'interest:' (GDPR Art. 13(1)(d)) (missing-key)"
            ])
        let stale = edit(
            widerPolicy(language), replacing: "basis: [contract, legitimate-interests]",
            with: "basis: [contract, consent]")
        #expect(
            lines(language, stale) == [
                "\(path):36:11: error: purpose 'care' states an interest but none of its bases is 'legitimate-interests'; remove 'interest:' or add 'legitimate-interests' to the bases (interest-unneeded)\n\(path):35:9: note: basis given here"
            ])
    }

    @Test(arguments: ["en", "nl"])
    func anUnknownSpecialCategoryConditionIsNamed(language: String) {
        let text = edit(
            widerPolicy(language), replacing: "special-category-condition: health-care",
            with: "special-category-condition: healthcare")
        #expect(
            lines(language, text) == [
                "\(widerPolicyPath(language)):38:29: error: unknown special-category-condition 'healthcare' in purpose 'care'; did you mean 'health-care'? (invalid-value)"
            ])
    }

    @Test func translationsAgreeOnBasesAndConditionNotOnTheStatute() {
        let nl = compile("nl", widerPolicy("nl"))
        let english = edit(widerPolicy("en"), replacing: "language: en\n", with: "language: en\ntranslation-of: nl\n")
        #expect(TranslationCheck.check([nl, compile("en", english)]).map(\.formatted) == [])
        let otherCondition = edit(
            english, replacing: "special-category-condition: health-care",
            with: "special-category-condition: explicit-consent")
        let otherBases = edit(
            otherCondition, replacing: "basis: [contract, legitimate-interests]",
            with: "basis: [legitimate-interests, contract, consent]")
        #expect(
            TranslationCheck.check([nl, compile("en", otherBases)]).map(\.formatted) == [
                "shop/2024-01-01.en.md:36:8: error: 'basis' of purpose 'care' is 'consent, contract, legitimate-interests' here but 'contract, legitimate-interests' in the nl version; translations must state the same facts (translation-mismatch)\nshop/2024-01-01.nl.md:35:8: note: nl version",
                "shop/2024-01-01.en.md:39:29: error: 'special-category-condition' of purpose 'care' is 'explicit-consent' here but 'health-care' in the nl version; translations must state the same facts (translation-mismatch)\nshop/2024-01-01.nl.md:38:29: note: nl version",
            ])
        // The order of the bases is no disagreement.
        let reordered = edit(
            english, replacing: "basis: [contract, legitimate-interests]",
            with: "basis: [legitimate-interests, contract]")
        #expect(TranslationCheck.check([nl, compile("en", reordered)]).map(\.formatted) == [])
    }

    @Test(arguments: ["en", "nl"])
    func cookiesWithSeveralPurposesAConsentCategoryAndTheirData(language: String) throws {
        let version = try #require(compile(language, widerPolicy(language)).version)
        let visits = try #require(version.cookies.first)
        #expect(visits.purposes == ["analytics", "newsletter"])
        #expect(visits.firstParty == true)
        #expect(visits.consentCategory == .statistics)
        #expect(visits.categoryIDs == ["usage"])
        #expect(visits.value("purpose") == .list(["analytics", "newsletter"]))
        let tracker = try #require(version.cookies.last)
        #expect(tracker.providers == ["tracker"])
        #expect(tracker.value("purpose") == .text("analytics"))
        #expect(tracker.consentCategory == .marketing)
    }

    @Test(arguments: ["en", "nl"])
    func aNecessaryCookieIsNotSetOnConsent(language: String) {
        let path = widerPolicyPath(language)
        let text = edit(
            widerPolicy(language), replacing: "consent-category: marketing", with: "consent-category: necessary")
        #expect(
            lines(language, text) == [
                "\(path):104:21: error: cookie 'tracker' is in the consent category 'necessary' but is set with consent; a necessary cookie is set whatever the visitor chooses, so remove 'consent: true' or choose the category it is asked for (conflicting-keys)\n\(path):103:12: note: consent given here"
            ])
        let unknown = edit(
            widerPolicy(language), replacing: "consent-category: marketing", with: "consent-category: advertising")
        #expect(
            lines(language, unknown) == [
                "\(path):104:21: error: unknown consent-category 'advertising' in cookie 'tracker'; use one of necessary, preferences, statistics, marketing (invalid-value)"
            ])
    }

    @Test(arguments: ["en", "nl"])
    func placesOutsideTheEEANeedTransferGrounds(language: String) throws {
        let path = widerPolicyPath(language)
        let accessed = edit(
            widerPolicy(language), replacing: "stored-in: [eea]\n", with: "stored-in: [eea]\naccessed-from: [NL, US]\n")
        #expect(
            lines(language, accessed) == [
                "\(path):82:16: warning: recipient 'tracker' has 'accessed-from: US', outside the EEA, with no transfer grounds; add 'transfer-grounds:' (GDPR Art. 13(1)(f)) (transfer-grounds-missing)"
            ])
        let version = try #require(compile(language, accessed).version)
        #expect(version.recipients.first?.storedIn == ["eea"])
        #expect(version.recipients.first?.accessedFrom == ["NL", "US"])
        let unknown = edit(widerPolicy(language), replacing: "stored-in: [eea]", with: "stored-in: [outside-EEA, nl]")
        #expect(
            lines(language, unknown) == [
                "\(path):81:13: error: unknown place 'outside-EEA'; did you mean 'outside-eea'? (invalid-value)",
                "\(path):81:26: error: unknown country 'nl'; write 'NL' (invalid-value)",
            ])
    }

    @Test(arguments: ["en", "nl"])
    func transferGroundsWithoutACountryAreWarnedAbout(language: String) {
        let path = widerPolicyPath(language)
        let text = edit(
            widerPolicy(language), replacing: "country: NL\nstored-in: [eea]\n",
            with: "transfer-grounds: [standard-contractual-clauses]\n")
        #expect(
            lines(language, text) == [
                "\(path):75:5: warning: recipient 'tracker' states no country; add 'country:' (GDPR Art. 13(1)(f)) (recipient-country-missing)",
                "\(path):80:19: warning: recipient 'tracker' states transfer grounds but no country; add 'country:' so customers know where the data goes (GDPR Art. 13(1)(f)) (transfer-without-country)",
            ])
    }

    @Test(arguments: ["en", "nl"])
    func periodsThatDoNotOverlapInFactMayShareACategory(language: String) throws {
        let path = widerPolicyPath(language)
        let apart =
            widerPolicy(language) + """

                ```retention
                - id: newsletter
                  categories: [email]
                  until: consent-withdrawn
                - id: complaints
                  categories: [health]
                  criteria: As long as a complaint about our advice is open
                - id: care-notes
                  categories: [health]
                  criteria: Two years after the last advice, longer when a claim is made
                - id: contact
                  categories: [email]
                  duration: P2Y
                  from: last-contact
                ```

                """
        #expect(lines(language, apart) == [])
        let version = try #require(compile(language, apart).version)
        #expect(version.retention.last?.period == "P2Y from last-contact")
        let same =
            widerPolicy(language) + """

                ```retention
                - id: again
                  categories: [health]
                  until: end-of-relationship
                ```

                """
        #expect(
            lines(language, same) == [
                "\(path):111:15: error: category 'health' has a second retention period in retention 'again'; state one period a category, or count them from different events with 'from' (retention-overlap)\n\(path):44:13: note: first period given here"
            ])
    }

    @Test(arguments: ["en", "nl"])
    func rightsUnderCalifornianLaw(language: String) throws {
        let text = widerPolicy(language) + californianRights(language)
        #expect(lines(language, text) == [])
        let version = try #require(compile(language, text).version)
        #expect(version.rights.suffix(3).map(\.right) == [.know, .optOutOfSaleOrSharing, .nonDiscrimination])
        #expect(version.rights.suffix(3).map(\.law) == [.ccpa, .ccpa, .ccpa])
        #expect(version.rights.first?.law == nil)
        let unknown = edit(
            text, replacing: "  law: ccpa\n  channels: [web-form, phone]",
            with: "  law: cpra\n  channels: [web-form, phone]")
        #expect(
            lines(language, unknown) == [
                "\(widerPolicyPath(language)):112:8: error: unknown law 'cpra' in right 'know'; use one of gdpr, ccpa (invalid-value)"
            ])
    }
}
