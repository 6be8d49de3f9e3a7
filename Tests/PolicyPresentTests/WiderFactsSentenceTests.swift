import PolicyDiff
import Testing

@testable import PolicyModel
@testable import PolicyPresent

// Channels, several legal bases and a purpose's legal reference, in words of both languages: in change sentences,
// fact boxes and the data overview. No code or vocabulary word reaches a reader.

@Suite("Channels, legal bases and legal references in words")
struct WiderFactsSentenceTests {
    static let labels = ["category/email": "E-mailadres", "category/health": "Gezondheidsgegevens"]

    static func record(
        _ kind: ChangeKind, _ element: String, _ label: String, field: String, before: FactValue?, after: FactValue?,
        rule: ImpactRule
    ) -> ChangeRecord {
        ChangeRecord(
            kind: kind, element: element, label: label, field: field, before: before, after: after,
            categories: ["email"], rule: rule)
    }

    @Test func aChannelTakenAwayAndOneAdded() {
        let removed = Self.record(
            .rightChannelsChanged, "right/objection", "Recht van bezwaar", field: "channels",
            before: .list(["email", "unsubscribe-link", "browser-add-on"]), after: .list(["email"]),
            rule: ImpactRules.rightRemoved)
        #expect(
            Presenter(language: "en").change(removed)
                == "You can no longer exercise “recht van bezwaar” via the unsubscribe link in our messages and a browser add-on; the ways left: email"
        )
        #expect(
            Presenter(language: "nl").change(removed)
                == "U kunt “recht van bezwaar” niet meer uitoefenen via de afmeldlink in onze berichten en een browserextensie; wat overblijft: e-mail"
        )
        let added = Self.record(
            .rightChannelsChanged, "right/objection", "Right to object", field: "channels", before: .list(["email"]),
            after: .list(["email", "preference-centre"]), rule: ImpactRules.rightImproved)
        #expect(
            Presenter(language: "en").change(added)
                == "You can now also exercise “right to object” via our preference centre")
        #expect(
            Presenter(language: "nl").change(added)
                == "U kunt “right to object” voortaan ook uitoefenen via ons voorkeurencentrum")
    }

    @Test func basesAddedAndRemoved() {
        let added = Self.record(
            .legalBasisAdded, "purpose/care", "Zorgadvies", field: "basis", before: .text("contract"),
            after: .list(["contract", "consent"]), rule: ImpactRules.legalBasisAdded)
        #expect(
            Presenter(language: "nl").change(added)
                == "“Zorgadvies” berust voortaan ook op uw toestemming (grondslag: de uitvoering van een overeenkomst met u en uw toestemming; was: de uitvoering van een overeenkomst met u)"
        )
        #expect(
            Presenter(language: "en").change(added)
                == "“Zorgadvies” now also relies on your consent (legal basis: the performance of a contract with you and your consent; was: the performance of a contract with you)"
        )
        let removed = Self.record(
            .legalBasisRemoved, "purpose/care", "Care advice", field: "basis",
            before: .list(["contract", "legitimate-interests"]), after: .text("legitimate-interests"),
            rule: ImpactRules.legalBasisRemoved)
        #expect(
            Presenter(language: "en").change(removed)
                == "“Care advice” no longer relies on the performance of a contract with you (legal basis: legitimate interests; was: the performance of a contract with you and legitimate interests)"
        )
        #expect(
            Presenter(language: "nl").change(removed)
                == "“Care advice” berust niet meer op de uitvoering van een overeenkomst met u (grondslag: gerechtvaardigde belangen; was: de uitvoering van een overeenkomst met u en gerechtvaardigde belangen)"
        )
    }

    @Test func aLegalReferenceChanged() {
        let condition = Self.record(
            .purposeReferenceChanged, "purpose/care", "Care advice", field: "special-category-condition",
            before: .text("health-care"), after: .text("explicit-consent"), rule: ImpactRules.legalReferenceChanged)
        #expect(
            Presenter(language: "en").change(condition)
                == "“Care advice”, condition for special categories of data: your explicit consent (was: medicine, medical diagnosis, or health or social care)"
        )
        #expect(
            Presenter(language: "nl").change(condition)
                == "“Care advice”, uitzondering voor bijzondere persoonsgegevens: uw uitdrukkelijke toestemming (was: geneeskunde, medische diagnosen of gezondheids- of sociale zorg)"
        )
    }

    static let version: PolicyVersion = {
        var version = PolicyVersion(
            policy: "shop", title: "Shop", language: "nl", effective: CalendarDate("2024-01-01")!, translationOf: nil,
            announced: nil, summary: nil, controllers: [Controller(name: "Shop")], privacyContact: nil,
            supervisoryAuthority: nil, noticePeriodDays: 30, notStated: [],
            categories: [DataCategory(id: "health", label: "Gezondheidsgegevens")], categoryGroups: [],
            purposes: [
                Purpose(
                    id: "care", label: "Zorgadvies", bases: [.contract, .legitimateInterests],
                    interest: "Veilig gebruik", categories: ["health"], statute: "Wet medische hulpmiddelen",
                    specialCategoryCondition: .healthCare)
            ],
            recipients: [], retention: [],
            rights: [Right(id: .objection, label: "Bezwaar", channels: [.unsubscribeLink, .browserAddOn])],
            cookies: [
                Cookie(
                    id: "visits", name: "_shop_visits", purposes: ["care", "newsletter"], consent: true,
                    firstParty: true, consentCategory: .statistics, categories: ["health"]),
                Cookie(id: "one", name: "_one", purpose: "care"),
            ], automatedDecisions: [], securityMeasures: [], commitments: [], sections: [])
        return version
    }()

    @Test func factBoxesAndTheOverviewNameEveryBasisInWords() throws {
        let presenter = Presenter(language: "nl")
        let purpose = try #require(presenter.factBox("purpose/care", in: Self.version))
        #expect(
            purpose.rows.map { "\($0.term): \($0.value)" } == [
                "Doel: Zorgadvies",
                "Grondslag: de uitvoering van een overeenkomst met u en gerechtvaardigde belangen",
                "Gerechtvaardigd belang: Veilig gebruik", "Gebruikte gegevens: Gezondheidsgegevens",
                "Wet waarop het berust: Wet medische hulpmiddelen",
                "Uitzondering voor bijzondere persoonsgegevens: geneeskunde, medische diagnosen of gezondheids- of sociale zorg",
            ])
        let right = try #require(Presenter(language: "en").factBox("right/objection", in: Self.version))
        #expect(
            right.rows.map { "\($0.term): \($0.value)" }.contains(
                "How to use it: the unsubscribe link in our messages and a browser add-on"))
        #expect(
            presenter.dataOverview(Self.version).rows.first?.purposes == [
                "Zorgadvies (grondslag: de uitvoering van een overeenkomst met u en gerechtvaardigde belangen)"
            ])
    }

    @Test func aCookiesCategoryPurposesAndDataInWords() throws {
        let moved = Self.record(
            .cookieChanged, "cookie/tracker", "Tracker", field: "consent-category", before: .text("marketing"),
            after: .text("necessary"), rule: ImpactRules.cookieNowNecessary)
        #expect(
            Presenter(language: "en").change(moved)
                == "The cookie Tracker, cookie category: strictly necessary (was: marketing)")
        #expect(
            Presenter(language: "nl").change(moved)
                == "De cookie Tracker, cookiecategorie: strikt noodzakelijk (was: marketing)")
        let box = try #require(Presenter(language: "nl").factBox("cookie/visits", in: Self.version))
        #expect(
            box.rows.map { "\($0.term): \($0.value)" } == [
                "Cookie: _shop_visits", "Waarvoor: Zorgadvies en newsletter", "Vraagt uw toestemming: ja",
                "Geplaatst door onze eigen site (first party): ja", "Cookiecategorie: statistieken",
                "Gegevens die het verzamelt: Gezondheidsgegevens",
            ])
        // One purpose, written as an id, is named by its label too.
        let one = try #require(Presenter(language: "en").factBox("cookie/one", in: Self.version))
        #expect(one.rows.map { "\($0.term): \($0.value)" } == ["Cookie: _one", "What for: Zorgadvies"])
    }

    @Test func placesInWords() {
        let widened = ChangeRecord(
            kind: .recipientAreaChanged, element: "recipient/tracker", label: "Tracker B.V.", field: "stored-in",
            before: .list(["eea"]), after: .list(["eea", "US"]), categories: ["email"],
            rule: ImpactRules.storageAreaWidened)
        #expect(
            Presenter(language: "nl").change(widened, labels: Self.labels)
                == "Tracker B.V. mag gegevens die wij al van u hebben (e-mailadres) voortaan in een groter gebied bewaren of benaderen: slaat de gegevens op in de EER en Verenigde Staten (was: de EER)"
        )
        #expect(
            Presenter(language: "en").change(widened, labels: Self.labels)
                == "Tracker B.V. may now keep or reach data we already hold (e-mailadres) in a wider area: stores the data in the EEA and United States (was: the EEA)"
        )
        let narrowed = ChangeRecord(
            kind: .recipientAreaChanged, element: "recipient/tracker", label: "Tracker B.V.", field: "accessed-from",
            before: .list(["outside-eea", "worldwide"]), after: .list(["NL"]), categories: ["email"],
            rule: ImpactRules.storageAreaNarrowed)
        #expect(
            Presenter(language: "en").change(narrowed)
                == "Tracker B.V., accesses the data from: Netherlands (was: countries outside the EEA and anywhere in the world)"
        )
        #expect(
            Presenter(language: "nl").change(narrowed)
                == "Tracker B.V., benadert de gegevens vanuit: Nederland (was: landen buiten de EER en overal ter wereld)"
        )
    }

    @Test func aPeriodFromTheLastContact() {
        #expect(Presenter(language: "en").period("P2Y from last-contact") == "2 years from your last contact with us")
        #expect(Presenter(language: "nl").period("P2Y from last-contact") == "2 jaar vanaf uw laatste contact met ons")
    }

    @Test func backupsInWords() {
        let record = ChangeRecord(
            kind: .retentionBackupsChanged, element: "retention/profile", label: "profile", field: "backups",
            before: .text("P30D"), after: .text("P3M"), categories: ["email"], rule: ImpactRules.retentionLonger)
        #expect(
            Presenter(language: "en").change(record, labels: Self.labels)
                == "Backups of e-mailadres are kept 3 months after deletion (was: 30 days)")
        #expect(
            Presenter(language: "nl").change(record, labels: Self.labels)
                == "Back-ups van e-mailadres worden na verwijdering 3 maanden bewaard (was: 30 dagen)")
    }

    @Test func rightsUnderAnotherLawAndOptOutLinksInWords() {
        let law = ChangeRecord(
            kind: .rightLawChanged, element: "right/know", label: "Right to know", field: "law", before: .text("ccpa"),
            after: .text("gdpr"), categories: ["email"], rule: ImpactRules.rightRemoved)
        #expect(
            Presenter(language: "en").change(law)
                == "“Right to know” is given under the GDPR instead of the California Consumer Privacy Act")
        #expect(
            Presenter(language: "nl").change(law)
                == "“Right to know” geldt voortaan op grond van de AVG in plaats van de California Consumer Privacy Act"
        )
        let optOut = ChangeRecord(
            kind: .recipientOptOutChanged, element: "recipient/tracker", label: "Tracker B.V.", field: "opt-out-url",
            before: nil, after: .text("https://tracker.example/opt-out"), categories: [],
            rule: ImpactRules.optOutAdded)
        #expect(
            Presenter(language: "en").change(optOut)
                == "You can now object to the use by Tracker B.V. directly at https://tracker.example/opt-out")
        #expect(
            Presenter(language: "nl").change(optOut)
                == "U kunt voortaan rechtstreeks bij Tracker B.V. bezwaar maken via https://tracker.example/opt-out")
    }
}
