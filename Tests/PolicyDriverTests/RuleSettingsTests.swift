import Foundation
import PolicyBase
import PolicyDriver
import PolicyModel
import Testing

/// The `rules` and `policies` sections of policyc.yaml, and `check` applying them.
@Suite struct RuleSettingsTests {
    static let shop = """
        ---
        policy: shop
        title: Beleid
        language: nl
        effective: 2020-01-01
        controller:
          name: Winkel
          email: info@winkel.nl
        ---

        # Beleid

        ```category
        id: payment
        label: Betaalgegevens
        ```

        ```recipient
        id: psp
        name: Betaler
        categories: [payment]
        ```

        """

    /// The example of docs/config.md, whose messages the document quotes word for word.
    static let mistakes = """
        rules:
          category-unusd: off
          yaml-syntax: off
          published-version-changed: warning
          raw-html: loud
        policies:
          kaviaarshop:
            colour: red

        """

    @Test func mistakesAreErrorsAtTheirPlaceAsDocumented() throws {
        let (_, diagnostics) = ProjectConfig.read(bytes: Array(Self.mistakes.utf8), path: "policyc.yaml")
        let text = diagnostics.map(\.formatted).joined(separator: "\n")
        #expect(
            text == """
                policyc.yaml:2:3: error: unknown rule 'category-unusd' in the rule settings; did you mean 'category-unused'? (unknown-key)
                policyc.yaml:3:16: error: rule 'yaml-syntax' is always an error and cannot be set to off: an error stops publish, so check may not let it pass (invalid-value)
                policyc.yaml:4:30: error: rule 'published-version-changed' is always an error and cannot be set to warning: it guards published versions, and a published version must never change or disappear (invalid-value)
                policyc.yaml:5:13: error: expected error, warning or off for rule 'raw-html', found 'loud' (invalid-value)
                policyc.yaml:8:5: error: unknown key 'colour' in the settings of policy 'kaviaarshop' (unknown-key)
                """)
        let documentation = try String(contentsOf: Repo.root.appendingPathComponent("docs/config.md"), encoding: .utf8)
        #expect(
            documentation.contains("```\n" + text + "\n```\n"),
            "docs/config.md quotes these messages word for word")
    }

    @Test func aPolicysSettingWinsOverTheProjects() throws {
        let yaml = """
            rules:
              raw-html: off
              category-unused: error
              yaml-syntax: error
            policies:
              shop:
                rules:
                  category-unused: warning

            """
        let (config, diagnostics) = ProjectConfig.read(bytes: Array(yaml.utf8), path: "policyc.yaml")
        #expect(diagnostics.isEmpty)
        #expect(config.rules.project == ["raw-html": .off, "category-unused": .error, "yaml-syntax": .error])
        #expect(config.rules.level(of: "category-unused", policy: "shop") == .warning)
        #expect(config.rules.level(of: "category-unused", policy: "other") == .error)
        let at = { (file: String) in SourceLocation(file: file, line: 1, column: 1) }
        let applied = config.rules.apply([
            .warning("a", rule: .rawHTML, at: at("Policies/shop/2020-01-01.nl.md")),
            .warning("b", rule: .categoryUnused, at: at("Policies/shop/2020-01-01.nl.md")),
            .warning("c", rule: .categoryUnused, at: at("Policies/other/2020-01-01.nl.md")),
        ])
        #expect(
            applied.map(\.formatted) == [
                "Policies/shop/2020-01-01.nl.md:1:1: warning: b (category-unused)",
                "Policies/other/2020-01-01.nl.md:1:1: error: c (category-unused)",
            ])
    }

    @Test func checkAppliesTheSettings() throws {
        let directory = try temporaryPolicies([
            "shop/2020-01-01.nl.md": Self.shop,
            "policyc.yaml": """
            rules:
              recipient-role-missing: off
              authority-missing: error
            policies:
              shop:
                rules:
                  authority-missing: warning
                  retention-missing: off
                  category-unused: error

            """,
        ])
        let result = try runPolicyc(["check", "shop"], in: directory)
        #expect(result.status == 1)
        #expect(
            result.stderr == """
                shop/2020-01-01.nl.md:1:1: warning: no supervisory authority; add 'supervisory-authority' so customers know where to complain (GDPR Art. 13(2)(d)) (authority-missing)
                shop/2020-01-01.nl.md:1:1: warning: rights 'access' (Art. 15), 'rectification' (Art. 16), 'erasure' (Art. 17), 'restriction' (Art. 18), 'portability' (Art. 20), 'objection' (Art. 21), 'complaint' (Art. 77) not stated; add a right block for each (GDPR Art. 13(2)(b), (d)) (right-missing)
                shop/2020-01-01.nl.md:14:5: error: category 'payment' is used by no purpose; list it in a purpose or remove it (category-unused)
                shop/2020-01-01.nl.md:14:5: warning: category 'payment' does not say whether providing it is required; add 'required: true' or 'false' (GDPR Art. 13(2)(e)) (provision-missing)
                shop/2020-01-01.nl.md:19:5: warning: recipient 'psp' states no country; add 'country:' (GDPR Art. 13(1)(f)) (recipient-country-missing)
                checked 1 file: 1 error, 4 warnings

                """)
    }

    /// Before, a typo in policyc.yaml passed `check` and failed only `publish`.
    @Test func aMistakeInTheSettingsFailsCheck() throws {
        let directory = try temporaryPolicies([
            "shop/2020-01-01.nl.md": Self.shop,
            "policyc.yaml": "rules:\n  raw-htm: off\nsite:\n  tittle: Shop\n",
        ])
        let result = try runPolicyc(["check", "shop"], in: directory)
        #expect(result.status == 1)
        // Sorted by file like every diagnostic: policyc.yaml before shop/.
        #expect(
            result.stderr.hasPrefix(
                """
                policyc.yaml:2:3: error: unknown rule 'raw-htm' in the rule settings; did you mean 'raw-html'? (unknown-key)
                policyc.yaml:4:3: error: unknown key 'tittle' in the site settings; did you mean 'title'? (unknown-key)
                shop/2020-01-01.nl.md:1:1: warning: no supervisory authority;
                """), "\(result.stderr)")
        // With errors in the file its rule settings are not applied: the seven warnings are all there.
        #expect(result.stderr.hasSuffix("(recipient-role-missing)\nchecked 1 file: 2 errors, 7 warnings\n"))
    }
}
