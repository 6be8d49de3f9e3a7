import PolicyDiff
import Testing

@testable import PolicyModel
@testable import PolicyPresent

// Retention as policies word it, in words of every language: an approximate period, whichever of two events comes
// first, and a recipient's own period named by the recipient. No code or vocabulary word reaches a reader.

@Suite("Retention as policies word it, in words")
struct RetentionWordingSentenceTests {
    static let periods = [
        "~P30D", "until consent-withdrawn or end-of-relationship", "P1Y + P2Y held by Tracker B.V.",
        "~P6M from last-order",
    ]

    @Test(arguments: [
        (
            "en",
            [
                "about 30 days",
                "until you withdraw your consent or until the end of the customer relationship, whichever comes first",
                "1 year and 2 years (kept by Tracker B.V.)", "about 6 months from your last order",
            ]
        ),
        (
            "nl",
            [
                "ongeveer 30 dagen",
                "tot u uw toestemming intrekt of tot het einde van de klantrelatie, wat het eerst gebeurt",
                "1 jaar en 2 jaar (bewaard door Tracker B.V.)", "ongeveer 6 maanden vanaf uw laatste bestelling",
            ]
        ),
        (
            "fr",
            [
                "environ 30 jours",
                "jusqu’au retrait de votre consentement ou jusqu’à la fin de la relation client, selon ce qui survient en premier",
                "1 an et 2 ans (conservées par Tracker B.V.)", "environ 6 mois à compter de votre dernière commande",
            ]
        ),
        (
            "de",
            [
                "etwa 30 Tage",
                "bis Sie Ihre Einwilligung widerrufen oder bis zum Ende der Kundenbeziehung, je nachdem, was zuerst eintritt",
                "1 Jahr und 2 Jahre (gespeichert bei Tracker B.V.)", "etwa 6 Monate ab Ihrer letzten Bestellung",
            ]
        ),
    ])
    func periodsInWords(language: String, words: [String]) {
        #expect(Self.periods.map(Presenter(language: language).period) == words)
    }

    @Test func aPeriodMadeApproximate() {
        let record = ChangeRecord(
            kind: .retentionChanged, element: "retention/usage", label: "usage", field: "period", before: .text("P1Y"),
            after: .text("~P1Y"), categories: ["usage"], rule: ImpactRules.retentionMadeApproximate)
        let labels = ["category/usage": "How you use our site"]
        #expect(
            Presenter(language: "en").change(record, labels: labels)
                == "We keep how you use our site about 1 year instead of 1 year")
        #expect(
            Presenter(language: "nl").change(record, labels: labels)
                == "Wij bewaren how you use our site ongeveer 1 jaar in plaats van 1 jaar")
    }

    static let version: PolicyVersion = {
        var usage = Retention(id: "usage", categories: ["usage"], duration: ISODuration("P2Y"))
        usage.approximate = true
        usage.holder = "tracker"
        var profile = Retention(id: "profile", categories: ["usage"])
        profile.ends = [.endOfRelationship, .consentWithdrawn]
        return PolicyVersion(
            policy: "shop", title: "Shop", language: "nl", effective: CalendarDate("2024-01-01")!, translationOf: nil,
            announced: nil, summary: nil, controllers: [Controller(name: "Shop")], privacyContact: nil,
            supervisoryAuthority: nil, noticePeriodDays: 30, notStated: [],
            categories: [DataCategory(id: "usage", label: "Gebruik van de site")], categoryGroups: [], purposes: [],
            recipients: [
                Recipient(id: "tracker", name: "Tracker B.V.", role: .processor, categories: ["usage"], purposes: [])
            ],
            retention: [usage, profile], rights: [], cookies: [], automatedDecisions: [], securityMeasures: [],
            commitments: [], sections: [])
    }()

    @Test func factBoxesSayWhoKeepsTheDataAndForAbout() throws {
        let presenter = Presenter(language: "nl")
        let usage = try #require(presenter.factBox("retention/usage", in: Self.version))
        #expect(
            usage.rows.map { "\($0.term): \($0.value)" } == [
                "Gegevens: Gebruik van de site", "Bewaartermijn: ongeveer 2 jaar", "Bewaard door: Tracker B.V.",
            ])
        let profile = try #require(presenter.factBox("retention/profile", in: Self.version))
        #expect(
            profile.rows.map { "\($0.term): \($0.value)" } == [
                "Gegevens: Gebruik van de site",
                "Bewaartermijn: tot u uw toestemming intrekt of tot het einde van de klantrelatie, wat het eerst gebeurt",
            ])
    }
}

@Suite("Several supervisory authorities, in words")
struct SupervisoryAuthoritiesSentenceTests {
    @Test(arguments: [
        ("en", "You can now also complain to the authority where you live"),
        ("nl", "U kunt voortaan ook een klacht indienen bij de toezichthouder waar u woont"),
        (
            "fr",
            "Vous pouvez désormais aussi introduire une réclamation auprès de l’autorité du lieu de votre résidence"
        ),
        ("de", "Sie können sich jetzt auch an die Aufsichtsbehörde Ihres Wohnorts wenden, um sich zu beschweren"),
    ])
    func theCustomersOwnAuthorityAdded(language: String, sentence: String) {
        let record = ChangeRecord(
            kind: .supervisoryAuthorityAdded, element: "supervisory-authority/residence", label: "", field: nil,
            before: nil, after: nil, categories: [], rule: ImpactRules.rightImproved)
        #expect(Presenter(language: language).change(record) == sentence)
    }

    @Test func aNamedAuthorityNoLongerNamed() {
        let record = ChangeRecord(
            kind: .supervisoryAuthorityRemoved, element: "supervisory-authority/NL",
            label: "Autoriteit Persoonsgegevens",
            field: nil, before: nil, after: nil, categories: ["email"], rule: ImpactRules.rightRemoved)
        #expect(
            Presenter(language: "en").change(record)
                == "Autoriteit Persoonsgegevens is no longer named as an authority you can complain to")
        #expect(
            Presenter(language: "de").change(record)
                == "Autoriteit Persoonsgegevens wird nicht mehr als Aufsichtsbehörde genannt, bei der Sie sich beschweren können"
        )
    }
}

@Suite("A recipient in several countries, in words")
struct RecipientCountriesSentenceTests {
    @Test func severalCountriesAreNamedInWords() {
        let record = ChangeRecord(
            kind: .countryChanged, element: "recipient/tracker", label: "Tracker B.V.", field: "country",
            before: .list(["NL", "US"]), after: .list(["NL", "JP"]), categories: ["usage"],
            rule: ImpactRules.countryChanged)
        #expect(
            Presenter(language: "en").change(record)
                == "Tracker B.V. processes the data in Netherlands and Japan instead of Netherlands and United States")
        #expect(
            Presenter(language: "nl").change(record)
                == "Tracker B.V. verwerkt de gegevens in Nederland en Japan in plaats van in Nederland en Verenigde Staten"
        )
    }
    /// A transfer introduced names the countries the data newly goes to, not those it already went to.
    @Test func aCountryAddedOutsideTheEEAIsNamedAlone() {
        let added = ChangeRecord(
            kind: .transferIntroduced, element: "recipient/tracker", label: "Tracker B.V.", field: "country",
            before: .text("NL"), after: .list(["NL", "US"]), categories: ["usage"],
            rule: ImpactRules.transferIntroduced)
        #expect(
            Presenter(language: "en").change(added)
                == "Tracker B.V. now processes your data outside the EEA, in United States")
        #expect(
            Presenter(language: "nl").change(added)
                == "Tracker B.V. verwerkt uw gegevens voortaan buiten de EER, in Verenigde Staten")
        let new = ChangeRecord(
            kind: .transferIntroduced, element: "recipient/tracker", label: "Tracker B.V.", field: "country",
            after: .text("US"), categories: ["usage"], rule: ImpactRules.transferIntroduced)
        #expect(
            Presenter(language: "de").change(new)
                == "Tracker B.V. verarbeitet Ihre Daten künftig außerhalb des EWR (Land: Vereinigte Staaten)")
    }
}
