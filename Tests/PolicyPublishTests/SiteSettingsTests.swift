import PolicyBase
import PolicyModel
import Testing

/// The `site` section of policyc.yaml: what it accepts, and every diagnostic word for word.
@Suite struct SiteSettingsTests {
    func read(_ text: String) -> (config: ProjectConfig, lines: [String]) {
        let (config, diagnostics) = ProjectConfig.read(bytes: Array(text.utf8), path: "policyc.yaml")
        return (config, diagnostics.map(\.formatted))
    }

    @Test func readsEveryKey() {
        let (config, lines) = read(
            "site:\n  base-url: https://www.kaviaarshop.nl/privacy\n  title: Kaviaarshop\n  theme: theme\n")
        #expect(lines.isEmpty)
        // A base URL always ends in a slash, so paths can be appended.
        #expect(
            config.site
                == SiteSettings(baseURL: "https://www.kaviaarshop.nl/privacy/", title: "Kaviaarshop", theme: "theme"))
    }

    @Test func emptySectionAndMissingFileAreDefaults() {
        #expect(read("site:\nnotify:\n").config.site == SiteSettings())
        #expect(ProjectConfig.read(bytes: nil, path: "policyc.yaml").config.site == SiteSettings())
    }

    @Test func unknownKeyIsAnErrorWithItsPositionAndASuggestion() {
        #expect(
            read("site:\n  title: Shop\n  base_url: https://example.com/\n").lines == [
                "policyc.yaml:3:3: error: unknown key 'base_url' in the site settings; did you mean 'base-url'? (unknown-key)"
            ])
        #expect(
            read("site:\n  colour: blue\n").lines == [
                "policyc.yaml:2:3: error: unknown key 'colour' in the site settings (unknown-key)"
            ])
    }

    @Test func baseURLMustBeAnAbsoluteHTTPAddress() {
        for bad in [
            "www.example.com", "ftp://example.com/", "https://", "https://example.com/a b", "https://example.com/?q=1",
            "javascript:alert(1)",
        ] {
            #expect(
                read("site:\n  base-url: \"\(bad)\"\n").lines == [
                    "policyc.yaml:2:13: error: invalid base-url '\(bad)'; write an absolute http or https address such as 'https://www.example.com/privacy/' (invalid-value)"
                ], "\(bad)")
        }
    }

    @Test func themeMustStayInsideTheRepository() {
        #expect(
            read("site:\n  theme: /etc/theme\n").lines == [
                "policyc.yaml:2:10: error: invalid theme '/etc/theme'; name a folder inside the repository, such as 'theme' (invalid-value)"
            ])
        #expect(
            read("site:\n  theme: ../other\n").lines == [
                "policyc.yaml:2:10: error: invalid theme '../other'; name a folder inside the repository, such as 'theme' (invalid-value)"
            ])
    }

    @Test func wrongTypesAndEmptyValues() {
        #expect(
            read("site:\n  title: [a, b]\n").lines == [
                "policyc.yaml:2:10: error: expected text for 'title' in the site settings, found a list (type-mismatch)"
            ])
        #expect(
            read("site:\n  title: \"\"\n").lines == [
                "policyc.yaml:2:10: error: 'title' in the site settings is empty; write the title or remove the key (empty-value)"
            ])
        #expect(read("site: yes\n").lines.count == 1)
    }
}
