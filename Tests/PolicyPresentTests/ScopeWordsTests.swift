import PolicyDiff
import Testing

@testable import PolicyModel
@testable import PolicyPresent

/// Scope in words: services by their labels, regions by their names, never ids or codes.
@Suite("Scope in words")
struct ScopeWordsTests {
    static let labels = ["scope/app": "De Kaviaar-app", "scope/webshop": "De webwinkel"]

    @Test func appliesToIsWrittenInWords() {
        let nl = Presenter(language: "nl")
        #expect(
            nl.value(.list(["app", "webshop", "EEA", "DE"]), of: Schemas.appliesTo, labels: Self.labels)
                == "De Kaviaar-app, De webwinkel, de Europese Economische Ruimte en Duitsland")
        #expect(nl.value(.list([]), of: Schemas.appliesTo, labels: Self.labels) == "alle klanten")
        #expect(nl.value(.list(["US-CA"]), of: Schemas.appliesTo) == "Verenigde Staten (CA)")
        #expect(Presenter(language: "en").value(.list(["EU"]), of: Schemas.appliesTo) == "the European Union")
    }

    @Test func scopeChangesInBothLanguages() {
        let coverage = ChangeRecord(
            kind: .controllerCoverageChanged, element: "controller/shop", label: "Kaviaar B.V.", field: "applies-to",
            before: .list([]), after: .list(["webshop"]), categories: ["email"],
            rule: ImpactRules.controllerCoverageChanged)
        #expect(
            Presenter(language: "nl").change(coverage, labels: Self.labels)
                == "Kaviaar B.V. is nu verantwoordelijk voor De webwinkel (was: alle klanten)")
        #expect(
            Presenter(language: "en").change(coverage, labels: Self.labels)
                == "Kaviaar B.V. is now responsible for De webwinkel (was: all customers)")
        let widened = ChangeRecord(
            kind: .appliesToWidened, element: "purpose/newsletter", label: "Nieuwsbrief", field: "applies-to",
            before: .list(["webshop"]), after: .list(["webshop", "app"]), categories: ["email"],
            rule: ImpactRules.scopeBurdenWidened)
        #expect(
            Presenter(language: "nl").change(widened, labels: Self.labels)
                == "“Nieuwsbrief” geldt nu ook voor De Kaviaar-app")
        let added = ChangeRecord(
            kind: .scopeAdded, element: "scope/app", label: "De Kaviaar-app", after: .text("De Kaviaar-app"),
            categories: [], rule: ImpactRules.scopeAdded)
        #expect(Presenter(language: "en").change(added) == "This policy now also covers De Kaviaar-app")
    }

    @Test func theCustomersAChangeConcerns() {
        let nl = Presenter(language: "nl")
        #expect(
            nl.customers(ChangeScope(services: ["app"], regions: ["NL"]), labels: Self.labels)
                == "klanten van De Kaviaar-app in Nederland")
        #expect(
            Presenter(language: "en").customers(ChangeScope(regions: ["EEA"]), labels: Self.labels)
                == "customers in the European Economic Area")
    }

    @Test func aFactBoxSaysWhereTheFactApplies() throws {
        var version = PolicyVersion(
            policy: "shop", title: "Privacy", language: "nl", effective: CalendarDate("2026-01-01")!,
            translationOf: nil, announced: nil, summary: nil, controllers: [Controller(name: "Kaviaar B.V.")],
            privacyContact: nil, supervisoryAuthority: nil, noticePeriodDays: 30, notStated: [], categories: [],
            categoryGroups: [], purposes: [Purpose(id: "newsletter", label: "Nieuwsbrief", categories: [])],
            recipients: [], retention: [], rights: [], cookies: [], automatedDecisions: [], securityMeasures: [],
            commitments: [], sections: [])
        version.scope = [ScopeItem(id: "app", label: "De Kaviaar-app", kind: .product)]
        version.scopes["purpose/newsletter"] = AppliesTo(services: ["app"], regions: ["NL"])
        let box = try #require(Presenter(language: "nl").factBox("purpose/newsletter", in: version))
        #expect(box.rows.last == FactBox.Row(term: "Geldt voor", value: "De Kaviaar-app en Nederland"))
    }
}
