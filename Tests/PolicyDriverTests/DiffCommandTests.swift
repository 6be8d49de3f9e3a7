import Foundation
import PolicyDiff
import PolicyDriver
import Testing

@Suite struct DiffCommandTests {
    @Test func sampleDiffJSONMatchesGolden() throws {
        let output = Commands.diff(
            policy: "kaviaarshop", from: nil, to: nil, language: nil, format: .json, exitCode: false,
            policiesDirectory: Repo.policies.path)
        #expect(output.status == 0, "\(output.stderr)")
        try expectGolden(output.stdout, "kaviaarshop-2018-04-30-to-2027-01-01.nl.changes.json")
    }

    @Test func sampleDiffMarkdownMatchesGolden() throws {
        let output = Commands.diff(
            policy: "kaviaarshop", from: "2018-04-30", to: "2027-01-01", language: "nl", format: .markdown,
            exitCode: false, policiesDirectory: Repo.policies.path)
        #expect(output.status == 0, "\(output.stderr)")
        try expectGolden(output.stdout, "kaviaarshop-2018-04-30-to-2027-01-01.nl.changes.md")
    }

    /// The second sample version was written to show every impact class.
    @Test func sampleDiffShowsEveryImpactClass() throws {
        let result = try runPolicyc(["diff", "kaviaarshop", "--format", "json"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let changes = try #require(json["changes"] as? [[String: Any]])
        let impacts = Set(changes.compactMap { $0["impact"] as? String })
        #expect(impacts == ["notify", "future", "favourable", "editorial"])
        func record(_ kind: String, _ element: String) -> [String: Any]? {
            changes.first { $0["kind"] as? String == kind && $0["element"] as? String == element }
        }
        #expect(record("recipient-added", "recipient/mollie")?["impact"] as? String == "notify")
        #expect(record("recipient-removed", "recipient/sisow")?["impact"] as? String == "favourable")
        #expect(record("recipient-removed", "recipient/addthis")?["impact"] as? String == "favourable")
        #expect(record("purpose-added", "purpose/newsletter")?["impact"] as? String == "notify")
        #expect(record("retention-changed", "retention/invoices")?["impact"] as? String == "notify")
        #expect(record("category-added", "category/phone")?["impact"] as? String == "future")
        #expect(
            changes.contains {
                ($0["review"] as? [String: Any])?["reason"] as? String == "prose-without-fact-change"
                    && ((($0["review"] as? [String: Any])?["facts"] as? [String]) ?? []).contains("right/objection")
            })
        // The reworded marketing promise is a change customers are told about, for all data held.
        #expect(record("commitment-changed", "commitment/no-marketing")?["impact"] as? String == "notify")
        // MyOnlineStore's new purpose concerns the data that purpose uses, not all it receives (phone is new).
        #expect(record("recipient-purposes-added", "recipient/myonlinestore")?["categories"] as? [String] == ["email"])
        // Every notify record names only categories the 2018 version held.
        let held: Set = [
            "name-address", "email", "order", "messages", "payment", "invoices", "website-usage", "facebook-link",
        ]
        for change in changes where change["impact"] as? String == "notify" {
            let categories = change["categories"] as? [String] ?? []
            #expect(!categories.isEmpty && Set(categories).isSubset(of: held), "\(change)")
        }
    }

    @Test func exitCodeFlagsNotifyChanges() throws {
        let gated = try runPolicyc(["diff", "kaviaarshop", "--exit-code"])
        #expect(gated.status == 1)
        #expect(
            gated.stdout.contains(
                "WIJZIGINGEN VOOR GEGEVENS DIE WIJ AL VAN U HEBBEN (5): wij laten het u weten voordat ze ingaan\n"))
        // The report is in the language of the compared files, with values in words, never codes.
        let english = try runPolicyc(["diff", "kaviaarshop", "--language", "en"])
        #expect(
            english.stdout.contains(
                "CHANGES THAT AFFECT DATA WE ALREADY HOLD (5): we tell you before they take effect\n"),
            "\(english.stdout)")
        #expect(
            english.stdout.contains(
                "We keep invoices containing your (personal) data 7 years instead of for the period the law requires"),
            "\(english.stdout)")
        #expect(!english.stdout.contains("P7Y") && !english.stdout.contains("statutory-term"))
        let plain = try runPolicyc(["diff", "kaviaarshop"])
        #expect(plain.status == 0)
        // Not a terminal: no colour codes.
        #expect(!plain.stdout.contains("\u{1B}["))
    }

    @Test func unknownVersionIsAUsageError() throws {
        let result = try runPolicyc(["diff", "kaviaarshop", "2019-01-01"])
        #expect(result.status == 64)
        #expect(result.stderr == "error: no version 2019-01-01; versions are 2018-04-30, 2027-01-01\n")
        let language = try runPolicyc(["diff", "kaviaarshop", "--language", "de"])
        #expect(language.status == 64)
        #expect(language.stderr == "error: version 2018-04-30 has no 'de' file\n")
        let policy = try runPolicyc(["diff", "nosuchshop"])
        #expect(policy.status == 64)
        #expect(policy.stderr == "error: no policy 'nosuchshop' in Policies\n")
        let reversed = try runPolicyc(["diff", "kaviaarshop", "2027-01-01", "2018-04-30"])
        #expect(reversed.status == 64)
        #expect(reversed.stderr == "error: FROM (2027-01-01) must be an earlier version than TO (2018-04-30)\n")
        let latest = try runPolicyc(["diff", "kaviaarshop", "2027-01-01"])
        #expect(latest.status == 64)
        #expect(latest.stderr == "error: 2027-01-01 is the latest version; name a later one to compare with\n")
    }

    @Test func diffIsDeterministic() throws {
        let a = try runPolicyc(["diff", "kaviaarshop", "--format", "json"])
        let b = try runPolicyc(["diff", "kaviaarshop", "--format", "json"])
        #expect(a.stdout == b.stdout && !a.stdout.isEmpty)
    }

    @Test func diffRefusesSourcesWithErrors() throws {
        let directory = try temporaryPolicies([
            "shop/2020-01-01.nl.md": "---\npolicy: shop\n---\n", "shop/2021-01-01.nl.md": "x\n",
        ])
        let result = try runPolicyc(["diff", "shop", "--policies", "."], in: directory)
        #expect(result.status == 2)
        #expect(
            result.stderr.hasSuffix("error: cannot diff 'shop' while its sources have errors; run 'policyc check'\n"))
    }
}

@Suite struct NoticePeriodTests {
    static let base = """
        ---
        policy: shop
        title: Beleid
        language: nl
        effective: EFFECTIVE
        ANNOUNCED
        controller:
          name: Winkel
          email: info@winkel.nl
        supervisory-authority:
          name: Autoriteit Persoonsgegevens
        ---

        # Beleid

        ```category
        id: email
        label: E-mailadres
        required: true
        ```

        ```purpose
        id: orders
        label: Bestellingen
        basis: contract
        categories: [email]
        ```

        RECIPIENT
        """

    static func version(_ effective: String, announced: String = "", recipient: String = "") -> String {
        base.replacingOccurrences(of: "EFFECTIVE", with: effective).replacingOccurrences(
            of: "ANNOUNCED", with: announced
        )
        .replacingOccurrences(of: "RECIPIENT", with: recipient)
    }

    static let mailer = """
        ```recipient
        id: mailer
        name: Mailer
        role: processor
        country: NL
        categories: [email]
        purposes: [orders]
        ```
        """

    @Test func notifyChangeNeedsAnAnnouncementAndASummary() throws {
        let directory = try temporaryPolicies([
            "shop/2020-01-01.nl.md": Self.version("2020-01-01"),
            "shop/2021-01-01.nl.md": Self.version("2021-01-01", recipient: Self.mailer),
        ])
        let result = try runPolicyc(["check", "--today", "2020-06-01", "shop"], in: directory)
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error:") }
        #expect(
            errors == [
                "shop/2021-01-01.nl.md:4:11: error: version has changes customers must be told about but no 'summary' in nl; add a short summary for customers (change-summary-missing)",
                "shop/2021-01-01.nl.md:5:12: error: version has 1 change customers must be told about, such as recipient/mailer (recipient-added) but no 'announced' date; add the day customers are told, at least 30 days before 2021-01-01 (notice-period)",
            ])
    }

    @Test func announcementTooLateIsAnError() throws {
        let directory = try temporaryPolicies([
            "shop/2020-01-01.nl.md": Self.version("2020-01-01"),
            "shop/2021-01-01.nl.md": Self.version(
                "2021-01-01", announced: "announced: 2020-12-15\nsummary: Mailer verstuurt onze e-mail.",
                recipient: Self.mailer),
        ])
        let result = try runPolicyc(["check", "--today", "2020-06-01", "shop"], in: directory)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                """
                shop/2021-01-01.nl.md:6:12: error: announced 2020-12-15, less than 30 days before it takes effect on 2021-01-01; announce by 2020-12-02 or move the effective date (notice-period)
                shop/2021-01-01.nl.md:5:12: note: the version has 1 change customers must be told about, such as recipient/mailer (recipient-added)
                """))
    }

    @Test func announcementInTimePasses() throws {
        let directory = try temporaryPolicies([
            "shop/2020-01-01.nl.md": Self.version("2020-01-01"),
            "shop/2021-01-01.nl.md": Self.version(
                "2021-01-01", announced: "announced: 2020-12-02\nsummary: Mailer verstuurt onze e-mail.",
                recipient: Self.mailer),
        ])
        let result = try runPolicyc(["check", "--today", "2020-06-01", "shop"], in: directory)
        #expect(!result.stderr.contains(": error:"), "\(result.stderr)")
        #expect(result.status == 0)
        // The same sources give the same answer on any day, except the one date-dependent warning.
        // SOURCE_DATE_EPOCH 1607558400 is 2020-12-10.
        let later = try runPolicyc(["check", "shop"], in: directory, environment: ["SOURCE_DATE_EPOCH": "1607558400"])
        #expect(later.status == 0)
        #expect(
            later.stderr.contains(
                "shop/2021-01-01.nl.md:6:12: warning: announcement date 2020-12-02 has passed (today is 2020-12-10)"))
    }
}

@Suite struct DocumentationTests {
    /// docs/changes.md documents the rule table; every rule the code can cite must be in it.
    @Test func changesDocumentListsEveryRule() throws {
        let text = try String(contentsOf: Repo.root.appendingPathComponent("docs/changes.md"), encoding: .utf8)
        for rule in ImpactRules.all {
            #expect(
                text.contains("| `\(rule.id)` | \(rule.impact.rawValue) |"), "docs/changes.md lacks rule \(rule.id)")
        }
    }
}
