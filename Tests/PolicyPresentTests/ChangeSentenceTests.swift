import PolicyDiff
import PolicyModel
import Testing

@testable import PolicyPresent

@Suite("Change records in words")
struct ChangeSentenceTests {
    /// A language without a sentence for a kind of change would print a key in the middle of a customer's email.
    @Test func everyKindAndReviewReasonHasWordsInEveryLanguage() {
        for language in Presenter.languages {
            let table = Strings.tables[language]!
            for kind in ChangeKind.allCases {
                #expect(table["change.\(kind.rawValue)"] != nil, "\(language): change.\(kind.rawValue)")
            }
            for reason in ReviewReason.allCases {
                #expect(table["review.\(reason.rawValue)"] != nil, "\(language): review.\(reason.rawValue)")
            }
            for schema in Schemas.all where schema.name != "not-stated" {
                for key in schema.keys {
                    #expect(table["field.\(schema.name).\(key)"] != nil, "\(language): field.\(schema.name).\(key)")
                }
            }
        }
    }

    static let labels = [
        "category/invoices": "Facturen", "category/email": "E-mailadres", "purpose/newsletter": "Onze nieuwsbrief",
        "recipient/myonlinestore": "MyOnlineStore",
    ]

    static let retention = ChangeRecord(
        kind: .retentionChanged, element: "retention/invoices", label: "invoices", field: "period",
        before: .text("until statutory-term"), after: .text("P7Y"), categories: ["invoices"],
        rule: ImpactRules.retentionLonger)

    @Test func valuesAreWordsNeverCodes() {
        #expect(
            Presenter(language: "nl").change(Self.retention, labels: Self.labels)
                == "Wij bewaren facturen 7 jaar in plaats van zolang de wet voorschrijft")
        #expect(
            Presenter(language: "en").change(Self.retention, labels: Self.labels)
                == "We keep facturen 7 years instead of for the period the law requires")
        let grounds = ChangeRecord(
            kind: .transferGroundsChanged, element: "controller", label: "Basecamp", field: "transfer-grounds",
            before: .list(["adequacy"]), after: .list(["standard-contractual-clauses", "derogation-contract"]),
            categories: ["email"], rule: ImpactRules.transferGroundsChanged)
        #expect(
            Presenter(language: "en").change(grounds)
                == "The transfer to Basecamp relies on standard contractual clauses and the performance of a contract with you instead of an adequacy decision of the European Commission"
        )
        let country = ChangeRecord(
            kind: .countryChanged, element: "recipient/google", label: "Google", field: "country", before: .text("IE"),
            after: .text("US"), categories: ["email"], rule: ImpactRules.countryChanged)
        #expect(
            Presenter(language: "nl").change(country)
                == "Google verwerkt de gegevens in Verenigde Staten in plaats van in Ierland")
    }

    @Test func aRecipientsNewPurposeIsNamedByItsLabel() {
        let record = ChangeRecord(
            kind: .recipientPurposesAdded, element: "recipient/myonlinestore", label: "MyOnlineStore",
            field: "purposes",
            before: .list(["service"]), after: .list(["service", "newsletter"]), categories: ["email"],
            rule: ImpactRules.recipientPurposesAdded)
        #expect(
            Presenter(language: "nl").change(record, labels: Self.labels)
                == "MyOnlineStore verwerkt gegevens die wij al van u hebben (e-mailadres) voortaan ook voor: onze nieuwsbrief"
        )
    }

    @Test func multiLineValuesStayOnOneLine() {
        let record = ChangeRecord(
            kind: .controllerChanged, element: "controller", label: "Kaviaarshop", field: "address",
            before: .text("Vareseweg 121\n3047 AT Rotterdam"), after: .text("Coolsingel 1\n3011 AD Rotterdam\n"),
            categories: ["email"], rule: ImpactRules.controllerChanged)
        #expect(
            Presenter(language: "nl").change(record)
                == "Verwerkingsverantwoordelijke, adres: Coolsingel 1, 3011 AD Rotterdam (was: Vareseweg 121, 3047 AT Rotterdam)"
        )
    }

    @Test func flagsAndPeriodsInWords() {
        let nl = Presenter(language: "nl")
        #expect(nl.value(.flag(true), of: Schemas.cookie.field("consent")) == "ja")
        #expect(
            nl.period("P30D from deletion + until end-of-relationship")
                == "30 dagen vanaf het moment dat u ze verwijdert en tot het einde van de klantrelatie")
        #expect(nl.period("indefinitely") == "zonder termijn")
        #expect(
            nl.value(.text("persistent"), of: Schemas.cookie.field("lifetime"))
                == "blijft bewaard nadat u uw browser sluit")
        #expect(nl.value(.number(30), of: nil) == "30 dagen")
    }

    @Test func reviewNotesNameTheFacts() {
        let review = Review(.newCategoryOnExistingPurpose, facts: ["category/email"])
        #expect(
            Presenter(language: "en").review(review, labels: Self.labels)
                == "data “E-mailadres” is listed for the first time; if the shop already held this data, mark it 'held-before: true'"
        )
    }
}
