import Testing

@testable import PolicyDiff
@testable import PolicyModel

// What a policy covers, and where its facts and controllers apply: the rows of docs/changes.md's "Scope" table, each
// a minimal pair on the base version, asserting the complete list of records and the customers each concerns.

private let webshop = ScopeItem(id: "webshop", label: "Webwinkel", kind: .service)
private let app = ScopeItem(id: "app", label: "Kaviaar-app", kind: .product)

/// The base version covering the webshop and the app.
private func covering(_ version: inout PolicyVersion) { version.scope = [webshop, app] }

@Suite("Scope: what the policy covers and where facts apply")
struct ScopeDiffTests {
    @Test("a new service brought under the policy is future, for its own customers only")
    func serviceAdded() {
        let records = factChanges(old: { $0.scope = [webshop] }, new: { $0.scope.append(app) })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "scope-added", element: "scope/app", after: .text("Kaviaar-app"), impact: .future,
                    rule: "scope-added")
            ])
        #expect(records.map(\.scope) == [ChangeScope(services: ["app"])])
    }

    @Test("a service taken out of the policy is notify for its customers; a relabelled one is wording")
    func serviceRemovedOrRelabelled() {
        let removed = factChanges(old: covering, new: { $0.scope.removeLast() })
        #expect(removed.map(\.kind) == [.scopeRemoved])
        #expect(removed.map(\.impact) == [.notify])
        #expect(removed.map(\.scope) == [ChangeScope(services: ["app"])])
        let relabelled = factChanges(old: covering, new: { $0.scope[1].label = "De Kaviaar-app" })
        #expect(
            relabelled.map(\.key) == [
                Key(
                    kind: "scope-text-changed", element: "scope/app", field: "label", before: .text("Kaviaar-app"),
                    after: .text("De Kaviaar-app"), impact: .editorial, rule: "wording")
            ])
    }

    @Test("a purpose widened to another service's customers is notify for them; narrowed is favourable")
    func purposeScope() {
        let widened = factChanges(
            old: {
                covering(&$0)
                $0.scopes["purpose/later-contact"] = AppliesTo(services: ["webshop"])
            },
            new: { $0.scopes["purpose/later-contact"] = AppliesTo(services: ["webshop", "app"]) })
        #expect(
            widened.map(\.key) == [
                Key(
                    kind: "applies-to-widened", element: "purpose/later-contact", field: "applies-to",
                    before: .list(["webshop"]), after: .list(["webshop", "app"]), categories: ["email"],
                    impact: .notify, rule: "applies-to-widened")
            ])
        #expect(widened.map(\.scope) == [ChangeScope(services: ["app"])])
        let narrowed = factChanges(
            old: {
                covering(&$0)
                $0.scopes["purpose/later-contact"] = AppliesTo(services: ["webshop", "app"])
            },
            new: { $0.scopes["purpose/later-contact"] = AppliesTo(services: ["webshop"]) })
        #expect(narrowed.map(\.impact) == [.favourable])
        #expect(narrowed.map(\.rule) == ["applies-to-narrowed"])
    }

    @Test("a right taken from one region's residents is notify for them; given to more is favourable")
    func rightScope() {
        let narrowed = factChanges(
            old: { $0.scopes["right/erasure"] = AppliesTo(regions: ["EEA", "US-CA"]) },
            new: { $0.scopes["right/erasure"] = AppliesTo(regions: ["EEA"]) })
        #expect(narrowed.map(\.rule) == ["protection-narrowed"])
        #expect(narrowed.map(\.impact) == [.notify])
        #expect(narrowed.map(\.scope) == [ChangeScope(regions: ["US-CA"])])
        let widened = factChanges(
            old: { $0.scopes["right/erasure"] = AppliesTo(regions: ["EEA"]) },
            new: { $0.scopes["right/erasure"] = AppliesTo(regions: ["EEA", "US-CA"]) })
        #expect(widened.map(\.rule) == ["protection-widened"])
        #expect(widened.map(\.impact) == [.favourable])
    }

    @Test("any other change to a fact that applies to one service concerns that service's customers")
    func changeOfScopedFact() {
        let records = factChanges(
            old: {
                covering(&$0)
                $0.scopes["recipient/mailchimp"] = AppliesTo(services: ["app"])
            },
            new: { $0.recipients[id: "mailchimp"].purposes.append("later-contact") })
        #expect(records.map(\.kind) == [.recipientPurposesAdded])
        #expect(records.map(\.impact) == [.notify])
        #expect(records.map(\.scope) == [ChangeScope(services: ["app"])])
    }

    @Test("a controller taking over one service is a controller change for that service's customers only")
    func controllerTakesOverOneService() {
        let records = factChanges(
            old: covering,
            new: {
                $0.controllers[0].id = "shop"
                $0.controllers[0].appliesTo = ["webshop"]
                $0.controllers.append(
                    Controller(
                        id: "apps", name: "Kaviaar Apps B.V.", address: "Vareseweg 121\n3047 AT Rotterdam",
                        email: "apps@kaviaarshop.nl"))
                $0.controllers[1].appliesTo = ["app"]
            })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "controller-added", element: "controller/apps", after: .text("Kaviaar Apps B.V."),
                    categories: ["email", "name-address", "payment"], impact: .notify, rule: "controller-changed"),
                Key(
                    kind: "controller-coverage-changed", element: "controller/shop", field: "applies-to",
                    before: .list([]), after: .list(["webshop"]), categories: ["email", "name-address", "payment"],
                    impact: .notify, rule: "controller-coverage-changed"),
            ])
        #expect(records.map(\.scope) == [ChangeScope(services: ["app"]), ChangeScope(services: ["app"])])
    }

    @Test("a sole controller written into a list with an id is the same controller, so an address change shows")
    func soleControllerGetsAnID() {
        let records = factChanges {
            $0.controllers[0].id = "eu"
            $0.controllers[0].address = "Coolsingel 1\n3011 AD Rotterdam"
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "controller-changed", element: "controller/eu", field: "address",
                    before: .text("Vareseweg 121\n3047 AT Rotterdam"), after: .text("Coolsingel 1\n3011 AD Rotterdam"),
                    categories: ["email", "name-address", "payment"], impact: .notify, rule: "controller-changed")
            ])
    }

    @Test("two controllers that share an address are two controllers")
    func twoControllersOneAddress() {
        let records = factChanges(
            old: {
                $0.controllers[0].id = "shop"
                $0.controllers.append(
                    Controller(id: "apps", name: "Kaviaar Apps B.V.", address: "Vareseweg 121\n3047 AT Rotterdam"))
            },
            new: { $0.controllers.removeLast() })
        #expect(records.map(\.kind) == [.controllerRemoved])
        #expect(records.map(\.element) == ["controller/apps"])
    }

    @Test("joint controllers' arrangement is substance")
    func jointArrangement() {
        let records = factChanges(
            old: {
                $0.controllers[0].joint = true
                $0.controllers[0].arrangement = "Wij beantwoorden alle verzoeken."
            },
            new: { $0.controllers[0].arrangement = "Het platform beantwoordt alle verzoeken." })
        #expect(records.map(\.kind) == [.controllerChanged])
        #expect(records.map(\.field) == ["arrangement"])
        #expect(records.map(\.impact) == [.notify])
    }

    @Test("the decision table: burdens and protections, widened and narrowed")
    func decisionTable() {
        #expect(ScopeRules.rule(kind: .purpose, widened: true, concernsHeldData: true).impact == .notify)
        #expect(ScopeRules.rule(kind: .purpose, widened: true, concernsHeldData: false).impact == .future)
        #expect(ScopeRules.rule(kind: .category, widened: true, concernsHeldData: true).impact == .future)
        #expect(ScopeRules.rule(kind: .recipient, widened: false, concernsHeldData: true).impact == .favourable)
        #expect(ScopeRules.rule(kind: .right, widened: true, concernsHeldData: true).impact == .favourable)
        #expect(ScopeRules.rule(kind: .commitment, widened: false, concernsHeldData: true).impact == .notify)
        #expect(ScopeRules.rule(kind: .securityMeasure, widened: false, concernsHeldData: false).impact == .notify)
    }
}
