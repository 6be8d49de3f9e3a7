import Foundation
import PolicyDriver
import Testing

@Suite struct SampleTests {
    @Test(arguments: ["2018-04-30.nl", "2018-04-30.en"])
    func modelDumpMatchesGolden(_ version: String) throws {
        let output = Commands.dump(file: Repo.policies.appendingPathComponent("kaviaarshop/\(version).md").path)
        #expect(output.status == 0, "\(output.stderr)")
        try expectGolden(output.stdout, "kaviaarshop-\(version).json")
    }

    @Test func sampleChecksWithoutErrors() throws {
        // On the day the sample's 2027 version was announced, so the answer does not depend on the clock.
        let result = try runPolicyc(["check", "--today", "2026-11-25"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains(": error:"))
        // The warnings list what the 2018 seed does not state, for example Sisow's role and Google's safeguard.
        #expect(
            result.stderr.contains("2018-04-30.nl.md:") && result.stderr.contains("recipient 'sisow' states no role"))
        #expect(result.stderr.contains("recipient 'google' is outside the EEA (US) with no transfer grounds"))
    }

    /// The dump holds every element the seed names, in both languages.
    @Test(arguments: ["nl", "en"])
    func dumpHasEverySeedFact(_ language: String) throws {
        let result = try runPolicyc(["dump", "Policies/kaviaarshop/2018-04-30.\(language).md"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        func ids(_ key: String) -> Set<String> {
            Set((json[key] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        }
        #expect(
            ids("recipients") == [
                "myonlinestore", "mijndomein", "mijn-webhost", "sisow", "microsoft-outlook", "addthis", "facebook",
                "administration-third-parties", "investigating-authorities", "google",
            ])
        #expect(
            ids("rights") == [
                "access", "rectification", "restriction", "portability", "objection", "automated-decision", "erasure",
                "complaint",
            ])
        #expect(ids("cookies") == ["myonlinestore-technical", "google-analytics"])
        #expect(
            ids("categories") == [
                "order", "messages", "email", "name-address", "payment", "invoices", "facebook-link", "website-usage",
            ])
        #expect(
            ids("purposes").isSuperset(of: [
                "service", "payment", "accounting", "analytics", "investigations", "later-contact",
            ]))
        let sisow = (json["recipients"] as? [[String: Any]])?.first { $0["id"] as? String == "sisow" }
        #expect(sisow?["own-purposes"] as? Bool == true)
        let google = (json["recipients"] as? [[String: Any]])?.first { $0["id"] as? String == "google" }
        #expect(google?["country"] as? String == "US")
    }
}

@Suite struct CommandLineTests {
    @Test func dumpIsDeterministic() throws {
        let first = try runPolicyc(["dump", "Policies/kaviaarshop/2018-04-30.nl.md"])
        let second = try runPolicyc(["dump", "Policies/kaviaarshop/2018-04-30.nl.md"])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
    }

    @Test func missingPathIsAUsageError() throws {
        let result = try runPolicyc(["check", "no/such/place"])
        #expect(result.status == 64)
        #expect(result.stderr == "error: no such file or directory: no/such/place\n")
    }

    @Test func unknownOptionIsAUsageError() throws {
        let result = try runPolicyc(["check", "--colour"])
        #expect(result.status == 64)
    }

    @Test func errorsExitWithOneAndNameFileLineAndColumn() throws {
        let directory = try temporaryPolicies([
            "shop/2020-01-01.nl.md": """
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

            ```recipient
            id: psp
            name: Betaler
            categories: [paymnet]
            ```

            ```category
            id: payment
            label: Betaalgegevens
            ```

            """
        ])
        let result = try runPolicyc(["check", "."], in: directory)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "./shop/2020-01-01.nl.md:16:14: error: recipient 'psp' refers to undeclared category 'paymnet'; did you mean 'payment'? (undeclared-reference)\n"
            ))
        #expect(result.stderr.hasSuffix("checked 1 file: 1 error, 7 warnings\n"), "\(result.stderr)")

        let json = try runPolicyc(["check", "--format", "json", "."], in: directory)
        #expect(json.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["errors"] as? Int == 1)
        let first = (report["diagnostics"] as? [[String: Any]])?.first { $0["severity"] as? String == "error" }
        #expect(first?["rule"] as? String == "undeclared-reference")
        let location = first?["location"] as? [String: Any]
        #expect(location?["line"] as? Int == 16)
        #expect(location?["column"] as? Int == 14)
    }

    @Test func everyFileIsReportedInOneRun() throws {
        let directory = try temporaryPolicies([
            "shop/2020-01-01.nl.md": "no front matter\n",
            "shop/2021-01-01.nl.md": "---\npolicy: shop\n",
        ])
        let result = try runPolicyc(["check", "shop"], in: directory)
        #expect(result.status == 1)
        #expect(
            result.stderr == """
                shop/2020-01-01.nl.md:1:1: error: missing front matter; start the file with a line '---', the YAML metadata, and a closing '---' (front-matter-missing)
                shop/2021-01-01.nl.md:1:1: error: unterminated front matter; add a line '---' after the metadata (front-matter-unterminated)
                checked 2 files: 2 errors, 0 warnings

                """)
    }

    @Test func dumpRefusesAFileWithErrors() throws {
        let directory = try temporaryPolicies(["shop/2020-01-01.nl.md": "---\npolicy: shop\n---\n"])
        let result = try runPolicyc(["dump", "shop/2020-01-01.nl.md"], in: directory)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr.contains(
                "shop/2020-01-01.nl.md:2:1: error: the front matter is missing required key 'title' (missing-key)"))
    }
}

/// Writes `files` (relative path → text) into a new temporary folder and returns it.
func temporaryPolicies(_ files: [String: String]) throws -> URL {
    let directory = scratchFolder("policies")
    for (path, text) in files {
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return directory
}

/// A new folder's URL (not yet created) below this test process's scratch folder, which is removed when the process
/// exits: Swift Testing has no per-test teardown, and without this every run left dozens of folders in the temporary
/// directory.
func scratchFolder(_ prefix: String) -> URL {
    scratchRoot.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
}

private let scratchRoot: URL = {
    atexit {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("policyc-tests-\(getpid())")
        try? FileManager.default.removeItem(at: root)
    }
    return FileManager.default.temporaryDirectory.appendingPathComponent("policyc-tests-\(getpid())")
}()
