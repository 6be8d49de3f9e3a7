import Testing

@testable import PolicyModel
@testable import PolicyPresent

/// The data overview says what the policy covers, to whom a fact is limited, and where recipients store and reach the
/// data: in words of the page's language, never ids or codes.
@Suite("Data overview: scope and places")
struct DataOverviewScopeTests {
    static let version: PolicyVersion = {
        var cloud = Recipient(id: "cloud", name: "Cloud B.V.", categories: ["email"], country: "NL")
        cloud.storedIn = ["eea"]
        cloud.accessedFrom = ["US", "IN"]
        var version = PolicyVersion(
            policy: "shop", title: "Privacy", language: "nl", effective: CalendarDate("2026-01-01")!,
            translationOf: nil, announced: nil, summary: nil, controllers: [Controller(name: "Kaviaar B.V.")],
            privacyContact: nil, supervisoryAuthority: nil, noticePeriodDays: 30, notStated: [],
            categories: [
                DataCategory(id: "email", label: "E-mailadres"), DataCategory(id: "location", label: "Locatie"),
            ],
            categoryGroups: [],
            purposes: [
                Purpose(id: "orders", label: "Bestellingen", basis: .contract, categories: ["email", "location"]),
                Purpose(id: "news", label: "Nieuwsbrief", basis: .consent, categories: ["email"]),
            ],
            recipients: [cloud, Recipient(id: "mail", name: "Mailer", categories: ["email"])],
            retention: [Retention(id: "email", categories: ["email"], duration: ISODuration("P1Y"))], rights: [],
            cookies: [], automatedDecisions: [], securityMeasures: [],
            commitments: [
                Commitment(id: "sell", label: "Wij verkopen uw gegevens niet"),
                Commitment(id: "ads", label: "Geen advertenties"),
            ], sections: [])
        version.scope = [
            ScopeItem(id: "app", label: "De Kaviaar-app", kind: .product),
            ScopeItem(id: "shop", label: "De webwinkel"),
            ScopeItem(id: "portal", label: "Het klantportaal", kind: .processing, onBehalfOf: "Zorg B.V."),
        ]
        version.scopes = [
            "category/location": AppliesTo(services: ["app"]),
            "purpose/news": AppliesTo(services: ["app"], regions: ["NL"]),
            "recipient/mail": AppliesTo(regions: ["EEA"]),
            "retention/email": AppliesTo(regions: ["US-CA"]),
            "commitment/ads": AppliesTo(services: ["app"]),
        ]
        return version
    }()

    @Test func whatThePolicyCoversWithTheirKindInDutch() {
        let overview = Presenter(language: "nl").dataOverview(Self.version)
        #expect(
            overview.covers == [
                "De Kaviaar-app (product)", "De webwinkel",
                "Het klantportaal (verwerking in opdracht van een ander bedrijf: Zorg B.V.)",
            ])
    }

    @Test func whereAFactAppliesAndWhereRecipientsKeepTheDataInDutch() {
        let rows = Presenter(language: "nl").dataOverview(Self.version).rows
        #expect(rows.map(\.appliesTo) == [nil, "alleen voor klanten van De Kaviaar-app"])
        #expect(
            rows[0].purposes == [
                "Bestellingen (grondslag: de uitvoering van een overeenkomst met u)",
                "Nieuwsbrief (grondslag: uw toestemming); alleen voor klanten van De Kaviaar-app in Nederland",
            ])
        #expect(
            rows[0].recipients == [
                "Cloud B.V. (Nederland; opgeslagen in de EER; toegang vanuit Verenigde Staten en India)",
                "Mailer; alleen voor klanten in de Europese Economische Ruimte",
            ])
        #expect(rows[0].retention == ["1 jaar; alleen voor klanten in Verenigde Staten (CA)"])
        #expect(rows[1].purposes == ["Bestellingen (grondslag: de uitvoering van een overeenkomst met u)"])
        #expect(
            Presenter(language: "nl").dataOverview(Self.version).commitments == [
                "Wij verkopen uw gegevens niet", "Geen advertenties; alleen voor klanten van De Kaviaar-app",
            ])
    }

    @Test func theSameInEnglishFrenchAndGerman() {
        let en = Presenter(language: "en").dataOverview(Self.version)
        #expect(en.covers.first == "De Kaviaar-app (product)")
        #expect(en.rows[1].appliesTo == "only for customers of De Kaviaar-app")
        #expect(
            en.rows[0].recipients.first
                == "Cloud B.V. (Netherlands; stored in the EEA; accessed from United States and India)")
        let fr = Presenter(language: "fr").dataOverview(Self.version)
        #expect(fr.covers.first == "De Kaviaar-app (produit)")
        #expect(fr.rows[1].appliesTo == "uniquement pour les clients de De Kaviaar-app")
        let de = Presenter(language: "de").dataOverview(Self.version)
        #expect(de.covers.first == "De Kaviaar-app (Produkt)")
        #expect(de.rows[1].appliesTo == "nur für Kunden von De Kaviaar-app")
        for overview in [en, fr, de] {
            let all = (overview.covers + overview.rows.flatMap { $0.purposes + $0.recipients + $0.retention })
                .joined(separator: " ")
            #expect(
                !all.contains("US-CA") && !all.contains("eea") && !all.contains("scope-kind")
                    && !all.contains("publish."))
        }
    }
}
