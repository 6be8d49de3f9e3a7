import Foundation
import PolicyBase
import PolicyDriver
import Testing

/// `policyc explain`, run as the built binary.
@Suite struct ExplainTests {
    @Test func oneRuleIsPrintedWithItsExamples() throws {
        let result = try runPolicyc(["explain", "raw-html"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(
            result.stdout == """
                raw-html (warning)
                A block contains raw HTML, which is not published.

                Source: docs/format.md: Raw HTML
                Waivable with not-stated: no
                Configurable: yes, error, warning or off in policyc.yaml

                Published pages render Markdown with raw HTML left out, so that a policy cannot inject scripts or
                styles into the site. What the HTML says would silently be missing from the page; write it in
                Markdown. Reported once a block.

                Bad:
                    <p>Vragen? Mail <b>privacy@kaviaarshop.nl</b>.</p>

                Good:
                    Vragen? Mail **privacy@kaviaarshop.nl**.

                """)
    }

    @Test func anErrorSaysWhyItCannotBeChanged() throws {
        let result = try runPolicyc(["explain", "published-version-changed"])
        #expect(result.status == 0)
        #expect(
            result.stdout.hasPrefix(
                """
                published-version-changed (error)
                A version was published and its source has changed since.

                Source: GDPR Art. 5(2), 13(3)
                Waivable with not-stated: no
                Configurable: no, it stays an error: it guards published versions, and a published version must never \
                change or disappear

                """))
    }

    @Test func withoutARuleEveryRuleIsListed() throws {
        let result = try runPolicyc(["explain"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == Rule.all.count + 2)
        #expect(
            lines.prefix(3).joined(separator: "\n") == """
                RULE                        SEVERITY  SUMMARY
                io-error                    error     A policy file or folder could not be read.
                invalid-utf8                error     The file is not valid UTF-8, or holds a NUL byte.
                """)
        #expect(lines.contains("category-unused             warning   A category is listed by no purpose."))
    }

    @Test func anUnknownRuleIsAUsageErrorWithASuggestion() throws {
        let close = try runPolicyc(["explain", "raw-htm"])
        #expect(close.status == 64)
        #expect(close.stdout.isEmpty)
        #expect(close.stderr == "error: unknown rule 'raw-htm'; did you mean 'raw-html'?\n")
        let far = try runPolicyc(["explain", "nothing-like-it"])
        #expect(far.status == 64)
        #expect(far.stderr == "error: unknown rule 'nothing-like-it'; 'policyc explain' lists them all\n")
    }

    @Test func markdownIsTheSectionOfDocsRules() throws {
        let result = try runPolicyc(["explain", "--format", "markdown", "yaml-alias"])
        #expect(result.status == 0)
        let document = try String(contentsOf: Repo.root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        #expect(
            result.stdout.hasPrefix(
                "## yaml-alias\n\nA YAML alias (`*name`) or anchor is used.\n\n- Severity: error\n"))
        #expect(document.contains("\n" + result.stdout + "\n## control-character\n"))
    }
}
