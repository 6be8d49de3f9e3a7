import PolicyBase
import PolicyTestSupport
import Testing

@testable import PolicyModel

// What a policy covers (`scope:`) and where its facts and controllers apply (`applies-to:`): the model they compile to
// and the exact diagnostics of their mistakes. Lines and columns are counted in `base` (columns in UTF-8 bytes).

private let path = "kaviaarshop/2018-04-30.nl.md"

/// Lines: 6 `controller:`, 9 `scope:`, 10 `- id: webshop`, 13 `- id: app`, 22 `categories: [email]`,
/// 23 `applies-to: [app, US-CA]`.
private let base = """
    ---
    policy: kaviaarshop
    title: Privacybeleid Kaviaarshop
    language: nl
    effective: 2018-04-30
    controller:
      name: Kaviaarshop
      email: info@kaviaarshop.nl
    scope:
      - id: webshop
        label: De webwinkel
        kind: website
      - id: app
        label: De Kaviaar-app
        kind: product
    ---

    ```purpose
    id: newsletter
    label: Nieuwsbrief
    basis: consent
    categories: [email]
    applies-to: [app, US-CA]
    ```

    ```category
    id: email
    label: E-mailadres
    required: true
    ```

    """

private func compile(_ text: String) -> CompiledDocument { compiled(text, path: path) }

/// The errors and the scope warnings (the base has completeness warnings of its own, not about scope).
private func lines(_ text: String) -> [String] {
    compile(text).diagnostics.filter {
        $0.severity == .error || $0.rule == Rule.jointArrangementMissing.id
    }.map(\.formatted)
}

private func replacing(
    _ old: String, with new: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> String {
    edit(base, replacing: old, with: new, sourceLocation: sourceLocation)
}

@Suite("Scope and applies-to: model and diagnostics")
struct ScopeDiagnosticsTests {
    @Test func scopeAndAppliesToCompile() throws {
        let version = try #require(compile(base).version)
        #expect(lines(base) == [])
        #expect(
            version.scope == [
                ScopeItem(id: "webshop", label: "De webwinkel", kind: .website),
                ScopeItem(id: "app", label: "De Kaviaar-app", kind: .product),
            ])
        #expect(version.appliesTo("purpose/newsletter") == AppliesTo(services: ["app"], regions: ["US-CA"]))
        #expect(version.appliesTo("category/email").isEverywhere)
        #expect(version.regionsNamed == ["US-CA"])
    }

    @Test func anUndeclaredScopeIsNamedWithAFix() {
        #expect(
            lines(replacing("applies-to: [app, US-CA]", with: "applies-to: [apps, us-ca, mars]")) == [
                "\(path):23:14: error: purpose 'newsletter' applies to undeclared scope 'apps'; did you mean 'app'? (undeclared-reference)",
                "\(path):23:20: error: purpose 'newsletter' applies to undeclared scope 'us-ca'; write the region as 'US-CA' (undeclared-reference)",
                "\(path):23:27: error: purpose 'newsletter' applies to undeclared scope 'mars'; declare it under 'scope:' in the front matter, or write a region such as 'NL', 'US-CA' or 'EEA' (undeclared-reference)",
            ])
    }

    @Test func scopeEntriesAreChecked() {
        let text = replacing(
            "  - id: app\n    label: De Kaviaar-app\n    kind: product\n",
            with: """
                  - id: webshop
                    label: Nog een webwinkel
                  - id: wholesale
                    label: Groothandel
                    kind: processing
                  - id: brand
                    label: Kaviaar Royal
                    on-behalf-of: Horeca B.V.

                """)
        #expect(
            lines(text) == [
                "\(path):13:9: error: duplicate scope id 'webshop'; give each service or brand its own id (duplicate-id)\n\(path):10:9: note: first declared here",
                "\(path):17:11: error: scope 'wholesale' is processing for another company but does not name it; add 'on-behalf-of:' (missing-key)",
                "\(path):20:19: error: 'on-behalf-of' in scope 'brand' names the company the shop processes data for; add 'kind: processing' or remove it (conflicting-keys)",
                // The app is no longer declared, so the purpose that applies to it is an error too.
                "\(path):28:14: error: purpose 'newsletter' applies to undeclared scope 'app'; declare it under 'scope:' in the front matter, or write a region such as 'NL', 'US-CA' or 'EEA' (undeclared-reference)",
            ])
    }

    @Test func controllersApplyToServicesAndJointOnesStateTheirArrangement() throws {
        let text = replacing(
            "controller:\n  name: Kaviaarshop\n  email: info@kaviaarshop.nl\n",
            with: """
                controller:
                  - id: shop
                    name: Kaviaarshop
                    email: info@kaviaarshop.nl
                    applies-to: [webshop]
                    joint: true
                  - id: apps
                    name: Kaviaar Apps
                    email: apps@kaviaarshop.nl
                    applies-to: [app]
                    joint: true
                    arrangement: Kaviaar Apps beantwoordt alle verzoeken over de app.

                """)
        #expect(
            lines(text) == [
                "\(path):11:12: warning: controller 'shop' is a joint controller but states no arrangement; add 'arrangement:' with its essence (GDPR Art. 26(2)) (joint-arrangement-missing)"
            ])
        let version = try #require(compile(text).version)
        #expect(version.controllers.map(\.appliesTo) == [["webshop"], ["app"]])
        #expect(version.controllers.map(\.joint) == [true, true])
        #expect(version.controllers[1].arrangement == "Kaviaar Apps beantwoordt alle verzoeken over de app.")
    }

    @Test func translationsStateTheSameScope() {
        let enPath = "kaviaarshop/2018-04-30.en.md"
        // The en file is one line longer (`translation-of` is line 5): its `applies-to` is line 24, `kind` line 16.
        let english = edit(
            edit(
                edit(base, replacing: "language: nl\n", with: "language: en\ntranslation-of: nl\n"),
                replacing: "applies-to: [app, US-CA]", with: "applies-to: [app]"),
            replacing: "label: De Kaviaar-app\n    kind: product", with: "label: The Kaviaar app\n    kind: service")
        let nl = compile(base)
        let en = compiled(english, path: enPath)
        #expect(
            TranslationCheck.check([nl, en]).map(\.formatted) == [
                """
                \(enPath):24:13: error: 'applies-to' of purpose 'newsletter' is 'app' here but 'US-CA, app' in the nl version; translations must state the same facts (translation-mismatch)
                \(path):23:13: note: nl version
                """,
                """
                \(enPath):16:11: error: 'kind' of scope 'app' is 'service' here but 'product' in the nl version; translations must state the same facts (translation-mismatch)
                \(path):15:11: note: nl version
                """,
            ])
    }

    @Test func regionsAndContainment() {
        #expect(Regions.isRegion("NL") && Regions.isRegion("US-CA") && Regions.isRegion("EEA"))
        #expect(!Regions.isRegion("XX") && !Regions.isRegion("nl") && !Regions.isRegion("US-TOOLONG"))
        #expect(Regions.contains("EEA", "NL") && Regions.contains("EU", "DE") && Regions.contains("US", "US-CA"))
        #expect(!Regions.contains("EU", "NO") && Regions.contains("EEA", "NO") && !Regions.contains("US-CA", "US"))
        let app = AppliesTo(services: ["app"], regions: ["EEA"])
        #expect(app.covers(services: ["app", "webshop"], region: "NL"))
        #expect(!app.covers(services: ["webshop"], region: "NL"))
        #expect(!app.covers(services: ["app"], region: "US"))
        #expect(app.covers(services: nil, region: nil), "an unknown scope is covered (rule of doubt)")
    }
}
