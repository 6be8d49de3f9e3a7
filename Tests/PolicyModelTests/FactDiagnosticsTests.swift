import Foundation
import PolicyBase
import PolicySource
import PolicyTestSupport
import Testing

@testable import PolicyModel

// Diagnostics of the facts and values beyond the first format: several controllers, transfer grounds, commitments, category
// groups, held-before, the new retention forms, cookies by category, the authority where the customer lives,
// not-stated waivers, and the error messages the trial with real policies asked for. Every expectation is the exact
// line the compiler prints; lines and columns were counted in `base` below (columns in UTF-8 bytes).

private let path = "kaviaarshop/2018-04-30.nl.md"

/// A small policy that checks with no error and one warning (the rights it does not state). Its lines:
///
///     6  controller:                     25 ```purpose           38 ```recipient
///     7    name: Kaviaarshop             26 id: payment          39 id: psp
///     8    email: info@kaviaarshop.nl    28 basis: contract      42 categories: [payment]
///     9  supervisory-authority:          29 categories: [...]    44 country: NL
///     10   name: Autoriteit ...          32 ```retention         45 ```
///     11   country: NL                   34 categories: [...]
///     16 ```category (email 17–19, payment 20–22)              35 until: end-of-relationship
private let base = """
    ---
    policy: kaviaarshop
    title: Privacybeleid Kaviaarshop
    language: nl
    effective: 2018-04-30
    controller:
      name: Kaviaarshop
      email: info@kaviaarshop.nl
    supervisory-authority:
      name: Autoriteit Persoonsgegevens
      country: NL
    ---

    # Privacybeleid

    ```category
    - id: email
      label: E-mailadres
      required: true
    - id: payment
      label: Betaalgegevens
      required: true
    ```

    ```purpose
    id: payment
    label: Betalingen
    basis: contract
    categories: [email, payment]
    ```

    ```retention
    id: profile
    categories: [email, payment]
    until: end-of-relationship
    ```

    ```recipient
    id: psp
    name: Betaler
    role: processor
    categories: [payment]
    purposes: [payment]
    country: NL
    ```

    """

private func compile(_ text: String) -> CompiledDocument { compiled(text, path: path) }

/// Every diagnostic but the rights warning the base always has, formatted with its notes.
private func lines(_ text: String) -> [String] {
    compile(text).diagnostics.filter { !($0.rule == "right-missing" && $0.message.hasPrefix("rights ")) }.map(
        \.formatted)
}

private func replacing(
    _ old: String, with new: String, in text: String = base, sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> String {
    edit(text, replacing: old, with: new, sourceLocation: sourceLocation)
}

private let recipientEnd = "country: NL\n```\n"

@Suite("Diagnostics of controllers, transfers, commitments, retention and cookies")
struct FactDiagnosticsTests {
    @Test func baseHasNoErrors() {
        #expect(lines(base) == [])
    }

    // MARK: Controllers

    @Test func severalControllersNeedIdsAndAreNamedInMessages() {
        let noID = replacing(
            "controller:\n  name: Kaviaarshop\n  email: info@kaviaarshop.nl\n",
            with: """
                controller:
                  - id: eu
                    name: Kaviaarshop
                    email: info@kaviaarshop.nl
                  - name: Kaviaarshop Inc.
                    email: us@kaviaarshop

                """)
        // Line 10 is `  - name: Kaviaarshop Inc.` (the mapping starts at column 5); line 11 its email value.
        #expect(
            lines(noID) == [
                "\(path):10:5: error: controller 2 has no 'id'; give each of several controllers an id, such as 'eu' or 'us' (missing-key)",
                "\(path):11:12: error: invalid email address 'us@kaviaarshop' (invalid-value)",
            ])
        let duplicate = replacing(
            "controller:\n  name: Kaviaarshop\n  email: info@kaviaarshop.nl\n",
            with: """
                controller:
                  - id: eu
                    name: Kaviaarshop
                    email: info@kaviaarshop.nl
                  - id: eu
                    name: Kaviaarshop Inc.
                    email: info@kaviaarshop.com

                """)
        #expect(
            lines(duplicate) == [
                "\(path):10:9: error: duplicate controller id 'eu'; give each controller its own id (duplicate-id)\n\(path):7:9: note: first declared here"
            ])
        let document = compile(
            replacing(
                "  - name: Kaviaarshop Inc.\n    email: us@kaviaarshop\n",
                with:
                    "  - id: us\n    name: Kaviaarshop Inc.\n    region: Buiten de EER\n    email: us@kaviaarshop.com\n",
                in: noID))
        #expect(document.version?.controllers.map(\.id) == ["eu", "us"])
        #expect(document.version?.controllers.last?.region == "Buiten de EER")
    }

    @Test func controllerOutsideTheEEANeedsGroundsAndARepresentative() {
        let text = replacing("  email: info@kaviaarshop.nl\n", with: "  email: info@kaviaarshop.nl\n  country: US\n")
        #expect(
            lines(text) == [
                "\(path):9:12: warning: the controller is outside the EEA (US) and names no representative in the Union; add 'representative:' (GDPR Art. 27, 13(1)(a)) (representative-missing)",
                "\(path):9:12: warning: the controller is outside the EEA (US) with no transfer grounds; add 'transfer-grounds:' (GDPR Art. 13(1)(f)) (transfer-grounds-missing)",
            ])
        let stated = replacing(
            "  country: US\n",
            with:
                "  country: US\n  transfer-grounds: [standard-contractual-clauses, derogation-contract]\n  representative: Kaviaarshop B.V.\n",
            in: text)
        #expect(lines(stated) == [])
        #expect(
            compile(stated).version?.controller.transferGrounds == [.standardContractualClauses, .derogationContract])
    }

    // MARK: Transfers and countries

    @Test func aDerogationMustNameItsGround() {
        // `derogation` starts at column 50 of line 45.
        let text = replacing(
            recipientEnd, with: "country: US\ntransfer-grounds: [standard-contractual-clauses, derogation]\n```\n")
        #expect(
            lines(text) == [
                "\(path):45:50: error: name the Art. 49 ground of the derogation, such as 'derogation-contract' or 'derogation-consent' (invalid-value)"
            ])
    }

    @Test func theOldSafeguardKeyPointsAtTransferGrounds() {
        let text = replacing(recipientEnd, with: "country: US\nsafeguard: adequacy\n```\n")
        #expect(
            lines(text) == [
                "\(path):44:10: warning: recipient 'psp' is outside the EEA (US) with no transfer grounds; add 'transfer-grounds:' (GDPR Art. 13(1)(f)) (transfer-grounds-missing)",
                "\(path):45:1: error: unknown key 'safeguard' in recipient 'psp'; did you mean 'transfer-grounds'? (unknown-key)",
            ])
    }

    @Test func groundsInsideTheEEAAreNotNeeded() {
        let text = replacing(recipientEnd, with: "country: NL\ntransfer-grounds: [adequacy]\n```\n")
        #expect(
            lines(text) == [
                "\(path):45:19: warning: recipient 'psp' is in the EEA (NL); transfer grounds are not needed (transfer-grounds-unneeded)"
            ])
    }

    @Test func commonCountryMistakesGetTheCode() {
        #expect(
            lines(replacing(recipientEnd, with: "country: UK\n```\n")) == [
                "\(path):44:10: error: unknown country 'UK'; write 'GB' (invalid-value)"
            ])
        #expect(
            lines(replacing(recipientEnd, with: "country: USA\n```\n")) == [
                "\(path):44:10: error: unknown country 'USA'; write 'US' (invalid-value)"
            ])
    }

    @Test func aCommaSeparatedWordIsNotAList() {
        let text = replacing(
            "categories: [email, payment]\n```\n\n```retention", with: "categories: email, payment\n```\n\n```retention"
        )
        #expect(
            compile(text).diagnostics.filter { $0.severity == .error }.map(\.formatted) == [
                "\(path):29:13: error: purpose 'payment' refers to undeclared category 'email, payment'; write a list in brackets: [email, payment] (undeclared-reference)"
            ])
    }

    // MARK: Values reported once, stale values, control characters

    @Test func anInvalidValueIsReportedOnce() {
        // Not also as `provision-missing`: the value was written, and rejected.
        let text = replacing("  label: E-mailadres\n  required: true", with: "  label: E-mailadres\n  required: yes")
        #expect(
            lines(text) == [
                "\(path):19:13: error: expected true or false for 'required' in category 'email', found 'yes' (type-mismatch)"
            ])
    }

    @Test func aStaleInterestIsAnError() {
        let text = replacing("basis: contract\n", with: "basis: contract\ninterest: Fraude voorkomen\n")
        #expect(
            lines(text) == [
                "\(path):29:11: error: purpose 'payment' states an interest but its basis is 'contract'; remove 'interest:' or make the basis 'legitimate-interests' (interest-unneeded)\n\(path):28:8: note: basis given here"
            ])
    }

    @Test func controlCharactersWrittenAsEscapesAreErrorsWithoutFollowOnErrors() {
        // The category is left out of the model, but the references to it are not reported again.
        let text = replacing("  label: Betaalgegevens\n", with: "  label: \"Betaal\\egegevens\"\n")
        #expect(
            lines(text) == [
                "\(path):21:10: error: 'label' in category 'payment' contains the control character U+001B; remove it (control-character)"
            ])
        let nul = replacing("id: psp\n", with: "id: \"p\\0sp\"\n")
        #expect(
            lines(nul) == [
                "\(path):39:5: error: 'id' in recipient 'p\\x00sp' contains the control character U+0000; remove it (control-character)"
            ])
    }

    @Test func anUnreadableBlockReportsItsCauseNotTheReferencesThatFollow() {
        // A tab indents the second category (line 20): libyaml cannot read the block, so neither category is declared.
        // The purpose, retention and recipient refer to both; those references only follow from the tab.
        let tab = replacing("- id: payment\n  label: Betaalgegevens", with: "- id: payment\n\tlabel: Betaalgegevens")
        let errors = compile(tab).diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.rule) == ["yaml-syntax"])
        #expect(errors.first?.location.line == 21)
        // A misspelt kind: references to the ids it declares follow from the misspelling.
        let misspelt = replacing("```category\n", with: "```categroy\n")
        #expect(
            lines(misspelt).filter { $0.contains("error") } == [
                "\(path):16:4: error: unknown fact kind 'categroy'; did you mean 'category'? (unknown-fact-kind)"
            ])
    }

    // MARK: Commitments, groups, held-before

    @Test func commitments() {
        #expect(
            lines(base + "```commitment\nid: no-sale\ncategories: [email]\n```\n") == [
                "\(path):47:1: error: commitment 'no-sale' is missing required key 'label' (missing-key)"
            ])
        let text =
            base
            + "```commitment\n- id: no-sale\n  label: Wij verkopen uw gegevens nooit\n- id: no-sharing\n  label: Wij delen uw e-mailadres met niemand\n  categories: [email, emial]\n```\n"
        #expect(
            lines(text) == [
                "\(path):51:23: error: commitment 'no-sharing' refers to undeclared category 'emial'; did you mean 'email'? (undeclared-reference)"
            ])
        let good = compile(replacing("[email, emial]", with: "[email]", in: text)).version
        #expect(
            good?.commitments == [
                Commitment(id: "no-sale", label: "Wij verkopen uw gegevens nooit"),
                Commitment(id: "no-sharing", label: "Wij delen uw e-mailadres met niemand", categories: ["email"]),
            ])
    }

    @Test func categoryGroupsExpandWhereCategoriesAreListed() {
        let text =
            replacing("categories: [email, payment]\nuntil", with: "categories: [account]\nuntil")
            + "```category-group\nid: account\nlabel: Uw account\ncategories: [email, payment]\n```\n"
        let document = compile(text)
        #expect(lines(text) == [])
        #expect(document.version?.retention.first?.categories == ["email", "payment"])
        #expect(document.version?.categoryGroups.map(\.id) == ["account"])
        let bad =
            base
            + "```category-group\n- id: email\n  label: Uw e-mail\n  categories: [email]\n- id: all\n  label: Alles\n  categories: [email, everything]\n- id: everything\n  label: Alles\n  categories: [payment]\n```\n"
        #expect(
            lines(bad) == [
                "\(path):47:7: error: category group 'email' has the id of a category; give the group its own id (duplicate-id)\n\(path):17:7: note: category declared here",
                "\(path):52:15: error: category group 'all' lists the group 'everything'; list its categories instead (invalid-value)",
            ])
    }

    @Test func heldBeforeIsAYesOrNo() {
        let text = replacing("  label: E-mailadres\n", with: "  label: E-mailadres\n  held-before: ja\n")
        #expect(
            lines(text) == [
                "\(path):19:16: error: expected true or false for 'held-before' in category 'email', found 'ja' (type-mismatch)"
            ])
        #expect(compile(replacing("ja", with: "true", in: text)).version?.categories.first?.heldBefore == true)
    }

    // MARK: Retention

    @Test func periodsFromDifferentEventsMayShareACategory() {
        let trash = replacing(
            "until: end-of-relationship\n```",
            with:
                "until: end-of-relationship\n```\n\n```retention\nid: trash\ncategories: [email]\nduration: P30D\nfrom: deletion\n```"
        )
        #expect(lines(trash) == [])
        let overlap = replacing(
            "until: end-of-relationship\n```",
            with:
                "until: end-of-relationship\n```\n\n```retention\nid: again\ncategories: [email]\nindefinitely: true\n```"
        )
        #expect(
            lines(overlap) == [
                "\(path):40:13: error: category 'email' has a second retention period in retention 'again'; state one period a category, or count them from different events with 'from' (retention-overlap)\n\(path):34:13: note: first period given here"
            ])
    }

    @Test func indefinitelyAndCriteria() {
        #expect(
            lines(replacing("until: end-of-relationship\n", with: "until: end-of-relationship\nindefinitely: true\n"))
                == [
                    "\(path):36:15: error: retention 'profile' has both 'until' and 'indefinitely'; keep one (conflicting-keys)\n\(path):35:8: note: until given here"
                ])
        let never = lines(replacing("until: end-of-relationship\n", with: "indefinitely: false\n"))
        #expect(
            never.contains(
                "\(path):35:15: error: 'indefinitely: false' in retention 'profile' states no period; remove it and state 'duration', 'until' or 'criteria' (invalid-value)"
            ))
        let criteria = replacing(
            "until: end-of-relationship\n", with: "criteria: Zolang nodig om uw bestelling af te handelen\n")
        #expect(lines(criteria) == [])
        #expect(
            compile(criteria).version?.retention.first?.period
                == "criteria: Zolang nodig om uw bestelling af te handelen")
        #expect(
            compile(replacing("until: end-of-relationship\n", with: "indefinitely: true\n")).version?.retention.first?
                .period == "indefinitely")
    }

    // MARK: Cookies, authority

    @Test func cookiesByCategoryWithConsentForSomeVisitors() {
        let text =
            base + """
                ```cookie
                - id: analytics
                  name: Analytische cookies
                  provider: [psp, tracker]
                  consent: true
                  consent-for: Bezoekers uit de EER
                  lifetime: persistent
                - id: ads
                  name: Advertenties
                  consent-for: Iedereen
                  lifetime: forever
                ```

                """
        #expect(
            lines(text) == [
                "\(path):49:19: error: cookie 'analytics' refers to undeclared recipient 'tracker'; declare it in a ```recipient block (undeclared-reference)",
                // A cookie set with consent makes the right to withdraw it expected, like a purpose based on consent.
                "\(path):50:12: warning: cookie 'analytics' is set with consent but the right 'withdraw-consent' is not stated; add a right block with id 'withdraw-consent' (GDPR Art. 7(3)) (right-missing)",
                "\(path):53:7: warning: cookie 'ads' does not say whether consent is asked; add 'consent: true' or 'false' (cookie-consent-missing)",
                "\(path):55:16: error: 'consent-for' in cookie 'ads' says who is asked for consent, but 'consent' is not true; add 'consent: true' (missing-key)",
                "\(path):56:13: error: invalid lifetime 'forever' for cookie 'ads'; write 'session', 'persistent' or an ISO 8601 duration such as P2Y (invalid-duration)",
            ])
        let cookie = compile(text).version?.cookies.first
        #expect(
            cookie?.providers == ["psp", "tracker"] && cookie?.lifetime == .persistent
                && cookie?.consentFor == "Bezoekers uit de EER")
    }

    @Test func theAuthorityWhereTheCustomerLives() {
        let residence = replacing(
            "supervisory-authority:\n  name: Autoriteit Persoonsgegevens\n  country: NL\n",
            with: "supervisory-authority:\n  residence: true\n")
        #expect(lines(residence) == [])
        #expect(compile(residence).version?.supervisoryAuthority == Authority(residence: true))
        let both = replacing("  country: NL\n---", with: "  country: NL\n  residence: true\n---")
        #expect(
            lines(both) == [
                "\(path):11:12: error: 'country' names one authority but 'residence: true' means the customer's own; keep one (conflicting-keys)\n\(path):12:14: note: residence given here"
            ])
    }

    @Test func subProcessorListAndFactsInListItems() {
        let list = replacing(recipientEnd, with: "country: NL\nlist-url: https://example.com/subverwerkers\n```\n")
        #expect(lines(list) == [])
        #expect(compile(list).version?.recipients.first?.listURL == "https://example.com/subverwerkers")
    }

    // MARK: not-stated

    @Test func notStatedSilencesAWarningAndSaysWhy() {
        let text = replacing(
            "effective: 2018-04-30\n",
            with: """
                effective: 2018-04-30
                not-stated:
                  - rule: right-missing
                    element: right/portability
                    reason: Wij bewaren geen gegevens die u kunt meenemen.
                  - rule: recipient-role-missing
                    reason: Staat in de overeenkomst.
                  - rule: undeclared-reference
                    reason: Nee.
                  - rule: retention-missing
                    element: category/phone
                    reason: Later.

                """)
        let document = compile(text)
        #expect(
            document.diagnostics.map(\.formatted) == [
                "\(path):1:1: warning: rights 'access' (Art. 15), 'rectification' (Art. 16), 'erasure' (Art. 17), 'restriction' (Art. 18), 'objection' (Art. 21), 'complaint' (Art. 77) not stated; add a right block for each (GDPR Art. 13(2)(b), (d)) (right-missing)",
                "\(path):10:11: warning: 'not-stated' entry for 'recipient-role-missing' silences nothing; remove it (waiver-unused)",
                "\(path):12:11: error: 'undeclared-reference' cannot be waived; only completeness warnings can be waived, such as 'retention-missing' (invalid-value)",
                "\(path):15:14: error: 'not-stated' names undeclared category 'phone' (undeclared-reference)",
            ])
        #expect(
            document.waived.map(\.diagnostic.formatted) == [
                "\(path):1:1: warning: right 'portability' (Art. 20) not stated; add a right block with id 'portability' (GDPR Art. 13(2)(b), (d)) (right-missing)"
            ])
        #expect(document.waived.first?.reason == "Wij bewaren geen gegevens die u kunt meenemen.")
        #expect(document.waived.first?.waiver == PolicyBase.SourceLocation(file: path, line: 8, column: 14))
    }
}

@Suite("Translations of the new facts")
struct NewFactsTranslationTests {
    static let nl = replacing(
        "effective: 2018-04-30\n",
        with: """
            effective: 2018-04-30
            not-stated:
              - rule: recipient-country-missing
                reason: Een categorie ontvangers.

            """,
        in: replacing(
            "country: NL\n```\n", with: "country: US\ntransfer-grounds: [standard-contractual-clauses]\n```\n"))
    static let en = replacing("language: nl\n", with: "language: en\ntranslation-of: nl\n", in: nl)

    static func check(_ en: String) -> [String] {
        let documents = [
            Compiler.compile(SourceReader.read(bytes: Array(nl.utf8), path: "kaviaarshop/2018-04-30.nl.md")),
            Compiler.compile(SourceReader.read(bytes: Array(en.utf8), path: "kaviaarshop/2018-04-30.en.md")),
        ]
        return TranslationCheck.check(documents).map(\.formatted)
    }

    @Test func sameFactsAgree() {
        #expect(Self.check(Self.en) == [])
    }

    @Test func transferGroundsMustAgreeInEveryLanguage() {
        // The not-stated entry adds three lines to the base: transfer-grounds is line 48 in nl and 49 in the translation
        // (one line longer); its list starts at column 19.
        let other = replacing("[standard-contractual-clauses]", with: "[adequacy]", in: Self.en)
        #expect(
            Self.check(other) == [
                "kaviaarshop/2018-04-30.en.md:49:19: error: 'transfer-grounds' of recipient 'psp' is 'adequacy' here but 'standard-contractual-clauses' in the nl version; translations must state the same facts (translation-mismatch)\nkaviaarshop/2018-04-30.nl.md:48:19: note: nl version"
            ])
    }

    @Test func waiversMustAgreeButTheirReasonsAreTranslated() {
        let translated = replacing("Een categorie ontvangers.", with: "A category of recipients.", in: Self.en)
        #expect(Self.check(translated) == [])
        let missing = replacing(
            "not-stated:\n  - rule: recipient-country-missing\n    reason: Een categorie ontvangers.\n", with: "",
            in: Self.en)
        #expect(
            Self.check(missing) == [
                "kaviaarshop/2018-04-30.en.md:4:11: error: the 'not-stated' entry for 'recipient-country-missing' is missing here; translations must leave out the same facts (translation-mismatch)\nkaviaarshop/2018-04-30.nl.md:4:11: note: nl version"
            ])
    }

    @Test func aSecondFileOfTheSameVersionAndLanguageSaysWhichToRename() {
        let documents = [
            Compiler.compile(SourceReader.read(bytes: Array(Self.nl.utf8), path: "kaviaarshop/2018-04-30.nl.md")),
            Compiler.compile(SourceReader.read(bytes: Array(Self.nl.utf8), path: "kaviaarshop/2018-04-30.nl.copy.md")),
        ]
        #expect(
            TranslationCheck.check(documents).map(\.formatted) == [
                "kaviaarshop/2018-04-30.nl.copy.md:4:11: error: second nl file of version 2018-04-30, besides 'kaviaarshop/2018-04-30.nl.md'; rename this file to its own version and language, or remove it (duplicate-version)\nkaviaarshop/2018-04-30.nl.md:4:11: note: the first file"
            ])
    }
}
