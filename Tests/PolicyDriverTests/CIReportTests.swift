import Foundation
import PolicyBase
import PolicyDriver
import Testing

/// `check --format github` and `check --format sarif`, for CI.
@Suite struct CIReportTests {
    /// A duplicate id (an error with a note) and an undeclared category after an `é` (two bytes, one code point).
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
        - id: payment
          label: Betaalgegevens
        - id: payment
          label: Betaalgegevens, opnieuw
        ```

        ```recipient
        id: psp
        name: Betaler
        categories: [bétaling, paymnet]
        ```

        """

    @Test func githubAnnotationsOneALine() throws {
        let directory = try temporaryPolicies(["shop/2020-01-01.nl.md": Self.shop])
        let result = try runPolicyc(["check", "--format", "github", "shop"], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr.isEmpty)
        let file = "file=shop/2020-01-01.nl.md"
        #expect(
            result.stdout == """
                ::warning \(file),line=1,col=1,title=authority-missing::no supervisory authority; add 'supervisory-authority' so customers know where to complain (GDPR Art. 13(2)(d))
                ::warning \(file),line=1,col=1,title=right-missing::rights 'access' (Art. 15), 'rectification' (Art. 16), 'erasure' (Art. 17), 'restriction' (Art. 18), 'portability' (Art. 20), 'objection' (Art. 21), 'complaint' (Art. 77) not stated; add a right block for each (GDPR Art. 13(2)(b), (d))
                ::warning \(file),line=14,col=7,title=category-unused::category 'payment' is used by no purpose; list it in a purpose or remove it
                ::warning \(file),line=14,col=7,title=provision-missing::category 'payment' does not say whether providing it is required; add 'required: true' or 'false' (GDPR Art. 13(2)(e))
                ::warning \(file),line=14,col=7,title=retention-missing::category 'payment' has no retention period; add a retention block (GDPR Art. 13(2)(a))
                ::error \(file),line=16,col=7,title=duplicate-id::duplicate category id 'payment'; give each category its own id%0Anote: shop/2020-01-01.nl.md:14:7: first declared here
                ::warning \(file),line=21,col=5,title=recipient-country-missing::recipient 'psp' states no country; add 'country:' (GDPR Art. 13(1)(f))
                ::warning \(file),line=21,col=5,title=recipient-role-missing::recipient 'psp' states no role; add 'role:' processor, joint-controller, independent-controller or public-authority
                ::error \(file),line=23,col=14,title=undeclared-reference::recipient 'psp' refers to undeclared category 'bétaling'; declare it in a ```category block
                ::error \(file),line=23,col=25,title=undeclared-reference::recipient 'psp' refers to undeclared category 'paymnet'; did you mean 'payment'?

                """)
    }

    /// GitHub's escaping: `%`, CR and LF in the message; `:` and `,` too in a property; control characters shown.
    @Test func githubEscapesWhatWouldEndACommand() {
        let diagnostic = Diagnostic.error(
            "50% done\r\nnext: a, b \u{1B}[31m", rule: .ioError,
            at: SourceLocation(file: "a,b:c%d.md", line: 3, column: 4))
        #expect(
            GitHubAnnotations.format([diagnostic])
                == "::error file=a%2Cb%3Ac%25d.md,line=3,col=4,title=io-error::50%25 done%0D%0Anext: a, b \\x1B[31m\n")
    }

    static func sarif() throws -> (text: String, log: [String: Any]) {
        let directory = try temporaryPolicies(["shop/2020-01-01.nl.md": Self.shop])
        let result = try runPolicyc(["check", "--format", "sarif", "shop"], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr.isEmpty)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return (result.stdout, log)
    }

    @Test func sarifHoldsTheRulesAndTheResults() throws {
        let (_, log) = try Self.sarif()
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "policyc")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == Rule.ids)
        let duplicateID = try #require(rules.first { $0["id"] as? String == "duplicate-id" })
        #expect((duplicateID["shortDescription"] as? [String: Any])?["text"] as? String == Rule.duplicateID.summary)
        #expect((duplicateID["fullDescription"] as? [String: Any])?["text"] as? String == Rule.duplicateID.explanation)
        #expect(duplicateID["helpUri"] as? String == "docs/rules.md#duplicate-id")
        #expect((duplicateID["defaultConfiguration"] as? [String: Any])?["level"] as? String == "error")

        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 10)
        func region(_ location: Any?) -> [Int] {
            let physical = (location as? [String: Any])?["physicalLocation"] as? [String: Any]
            let region = physical?["region"] as? [String: Any]
            #expect((physical?["artifactLocation"] as? [String: Any])?["uri"] as? String == "shop/2020-01-01.nl.md")
            return [region?["startLine"] as? Int ?? 0, region?["startColumn"] as? Int ?? 0]
        }
        let duplicate = try #require(results.first { $0["ruleId"] as? String == "duplicate-id" })
        #expect(duplicate["level"] as? String == "error")
        #expect(duplicate["ruleIndex"] as? Int == Rule.ids.firstIndex(of: "duplicate-id"))
        #expect(
            (duplicate["message"] as? [String: Any])?["text"] as? String
                == "duplicate category id 'payment'; give each category its own id")
        #expect(region((duplicate["locations"] as? [Any])?.first) == [16, 7])
        let note = try #require((duplicate["relatedLocations"] as? [[String: Any]])?.first)
        #expect(region(note) == [14, 7])
        #expect((note["message"] as? [String: Any])?["text"] as? String == "first declared here")
        // 'paymnet' starts at byte 25 of its line, after the two bytes of 'é': code point 24.
        let undeclared = results.filter { $0["ruleId"] as? String == "undeclared-reference" }
        #expect(undeclared.map { region(($0["locations"] as? [Any])?.first) } == [[23, 14], [23, 24]])
        let warning = try #require(results.first { $0["ruleId"] as? String == "retention-missing" })
        #expect(warning["level"] as? String == "warning")
    }

    /// The real output validates against the SARIF 2.1.0 schema (Fixtures/sarif, from OASIS), and a log missing a
    /// required part does not, so a broken copy of the schema cannot pass.
    @Test func sarifValidatesAgainstTheSchema() throws {
        let python = try Tool.require("python3")
        let (text, _) = try Self.sarif()
        let folder = scratchFolder("sarif")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("check.sarif")
        try text.write(to: log, atomically: true, encoding: .utf8)
        let schema = Repo.root.appendingPathComponent("Tests/PolicyDriverTests/Fixtures/sarif/sarif-schema-2.1.0.json")
            .path
        let script = """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                print("jsonschema is not installed: run .ci/setup"); sys.exit(3)
            schema = json.load(open(sys.argv[1]))
            validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
            log = json.load(open(sys.argv[2]))
            bad = 0
            for e in validator.iter_errors(log):
                bad += 1; print(list(e.absolute_path), e.message[:200])
            broken = json.load(open(sys.argv[2])); del broken["runs"][0]["tool"]
            if validator.is_valid(broken): print("a SARIF log without tool validated"); bad += 1
            print(len(log["runs"][0]["results"]), "results"); sys.exit(1 if bad else 0)
            """
        let result = try Tool.run(python, ["-c", script, schema, log.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "10 results\n")
    }
}
