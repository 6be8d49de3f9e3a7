import Foundation
import Testing

/// `policyc init` and `policyc new`, typography, declarations, history and `diff`'s agreement with `check`, all
/// through the built binary in a scratch repository that `init` starts.
@Suite struct AuthoringTests {
    /// A scratch folder with a repository `init` started for policy `shop` on 2026-01-15.
    static func repository(_ language: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("policyc-authoring-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let result = try runPolicyc(
            ["init", "--language", language, "--policy", "shop", "--today", "2026-01-15"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr
                == "created policyc.yaml\ncreated Policies/shop/2026-01-15.\(language).md\nreplace the shop's name, address and data; then run 'policyc check'\n"
        )
        return directory
    }

    static func edit(_ directory: URL, _ file: String, _ change: (String) -> String) throws {
        let url = directory.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let changed = change(text)
        #expect(changed != text, "the edit of \(file) changed nothing")
        try changed.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Removes the empty `announced` and `summary` that `new` leaves, with their comment.
    static func noAnnouncement(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter {
            !$0.hasPrefix("announced: \"\"") && !$0.hasPrefix("summary: \"\"")
                && !$0.hasPrefix("# The day customers are told") && !$0.hasPrefix("# changes for them")
        }.joined(separator: "\n")
    }

    @Test(arguments: ["nl", "en"])
    func initWritesAPolicyCheckPassesWithNoWarning(_ language: String) throws {
        let directory = try Self.repository(language)
        let check = try runPolicyc(["check"], in: directory)
        #expect(check.status == 0)
        #expect(check.stderr == "checked 1 file: 0 errors, 0 warnings\n")
        let settings = try String(contentsOf: directory.appendingPathComponent("policyc.yaml"), encoding: .utf8)
        #expect(settings.hasSuffix("adopted: 2026-01-15\n"))
        let again = try runPolicyc(["init", "--language", language, "--today", "2026-01-15"], in: directory)
        #expect(again.status == 1)
        #expect(again.stderr == "error: policyc.yaml exists; policyc init never overwrites a file\n")
        let lines = try String(
            contentsOf: directory.appendingPathComponent("Policies/shop/2026-01-15.\(language).md"), encoding: .utf8
        ).split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(lines < 130, "far shorter than the sample")
    }

    @Test func newCopiesTheNewestVersionAndLeavesTheAnnouncementToFillIn() throws {
        let directory = try Self.repository("en")
        let early = try runPolicyc(["new", "shop", "--effective", "2026-01-15"], in: directory)
        #expect(early.status == 64)
        #expect(
            early.stderr
                == "error: the new version must take effect after the newest one (2026-01-15); choose a date after it\n"
        )
        let made = try runPolicyc(["new", "shop", "--effective", "2026-03-01"], in: directory)
        #expect(made.status == 0)
        #expect(made.stderr.hasPrefix("created Policies/shop/2026-03-01.en.md\n"))
        let text = try String(
            contentsOf: directory.appendingPathComponent("Policies/shop/2026-03-01.en.md"), encoding: .utf8)
        #expect(text.contains("\neffective: 2026-03-01\n"))
        #expect(text.contains("\nannounced: \"\"\nsummary: \"\"\n---\n"))
        let check = try runPolicyc(["check"], in: directory)
        #expect(check.status == 1)
        #expect(
            check.stderr == """
                Policies/shop/2026-03-01.en.md:16:12: error: 'announced' in the front matter is empty; write the announced or remove the key (empty-value)
                Policies/shop/2026-03-01.en.md:17:10: error: 'summary' in the front matter is empty; write the summary or remove the key (empty-value)
                checked 2 files: 2 errors, 0 warnings

                """)
        // The existing version is a later one now: a date between the two is refused too, and nothing is overwritten.
        let between = try runPolicyc(["new", "shop", "--effective", "2026-02-01"], in: directory)
        #expect(between.status == 64)
        let twice = try runPolicyc(["new", "shop", "--effective", "2026-03-01"], in: directory)
        #expect(twice.status == 64)
        #expect(
            try String(contentsOf: directory.appendingPathComponent("Policies/shop/2026-03-01.en.md"), encoding: .utf8)
                == text)
    }

    /// A promise and a recipient's name that differ only in typography, in each language.
    @Test(arguments: [
        (
            "en", "We never sell your Personal Data or your e-mail address",
            "We never sell your personal data or your email address."
        ),
        (
            "nl", "Wij verkopen uw Persoonsgegevens of uw e-mailadres nooit",
            "Wij verkopen uw persoonsgegevens of uw emailadres nooit."
        ),
    ])
    func typographyIsEditorialWithNoReviewFlag(_ language: String, _ promise: String, _ retyped: String) throws {
        let directory = try Self.repository(language)
        let file = "Policies/shop/2026-01-15.\(language).md"
        try Self.edit(directory, file) {
            $0.replacingOccurrences(of: "role: processor\n", with: "role: processor\n")
                .replacingOccurrences(
                    of: "name: \(language == "en" ? "Payment provider" : "Betaaldienst")", with: "name: Mollie B.V")
                + "\n```commitment\nid: no-sale\nlabel: \(promise)\n```\n"
        }
        #expect(try runPolicyc(["new", "shop", "--effective", "2026-03-01"], in: directory).status == 0)
        try Self.edit(directory, "Policies/shop/2026-03-01.\(language).md") {
            Self.noAnnouncement($0).replacingOccurrences(of: "name: Mollie B.V", with: "name: Mollie B.V.")
                .replacingOccurrences(of: promise, with: retyped)
        }
        let check = try runPolicyc(["check"], in: directory)
        #expect(check.status == 0, "\(check.stderr)")
        let diff = try runPolicyc(["diff", "shop", "--format", "json", "--exit-code"], in: directory)
        #expect(diff.status == 0, "\(diff.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
        #expect(
            json["counts"] as? [String: Int] == [
                "notify": 0, "future": 0, "favourable": 0, "editorial": 2, "review": 0,
            ])
        let changes = try #require(json["changes"] as? [[String: Any]])
        #expect(changes.map { $0["kind"] as? String } == ["recipient-text-changed", "commitment-changed"])
        #expect(changes.allSatisfy { $0["rule"] as? String == "wording" && $0["review"] == nil })
    }

    /// A new version with a new purpose for data already held: `notify`, and no announcement.
    static func unannouncedChange(_ directory: URL) throws {
        #expect(try runPolicyc(["new", "shop", "--effective", "2026-03-01"], in: directory).status == 0)
        try Self.edit(directory, "Policies/shop/2026-03-01.en.md") {
            Self.noAnnouncement($0).replacingOccurrences(
                of: "## Who receives your data",
                with:
                    "```purpose\nid: reviews\nlabel: Asking you to review your order\nbasis: contract\ncategories: [order]\n```\n\n## Who receives your data"
            )
        }
    }

    @Test func diffExitsTwoWhereCheckFailsTheNewerVersion() throws {
        let directory = try Self.repository("en")
        try Self.unannouncedChange(directory)
        let error =
            "Policies/shop/2026-03-01.en.md:5:12: error: version has 1 change customers must be told about, such as purpose/reviews (purpose-added) but no 'announced' date; add the day customers are told, at least 30 days before 2026-03-01 (notice-period)\n"
        let check = try runPolicyc(["check"], in: directory)
        #expect(check.status == 1)
        #expect(check.stderr.contains(error))
        let diff = try runPolicyc(["diff", "shop"], in: directory)
        #expect(diff.status == 2)
        #expect(diff.stdout.contains("is used for a new purpose: asking you to review your order"))
        #expect(
            diff.stderr.contains(error)
                && diff.stderr.hasSuffix(
                    "error: version 2026-03-01 of 'shop' does not pass 'policyc check'; its changes are shown for review only\n"
                ))
    }

    @Test func aVersionFromBeforeAdoptionIsANoteAndItsChangesSayItWasNotAnnounced() throws {
        let directory = try Self.repository("en")
        try Self.unannouncedChange(directory)
        try "adopted: 2026-06-01\n".write(
            to: directory.appendingPathComponent("policyc.yaml"), atomically: true, encoding: .utf8)
        let check = try runPolicyc(["check"], in: directory)
        #expect(check.status == 0)
        #expect(
            check.stderr == """
                Policies/shop/2026-03-01.en.md:4:11: note: version took effect before the shop adopted policyc on 2026-06-01 and has no customer summary: version has changes customers must be told about but no 'summary' in en; add a short summary for customers (history-not-announced)
                Policies/shop/2026-03-01.en.md:5:12: note: version took effect before the shop adopted policyc on 2026-06-01 and was not announced in advance: version has 1 change customers must be told about, such as purpose/reviews (purpose-added) but no 'announced' date; add the day customers are told, at least 30 days before 2026-03-01 (history-not-announced)
                checked 2 files: 0 errors, 0 warnings, 2 notes

                """)
        let diff = try runPolicyc(["diff", "shop"], in: directory)
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stdout.contains("\nThis version was not announced in advance.\n"))
        // publish, like check, does not refuse it, and its change page says so.
        let publish = try runPolicyc(["publish", "--today", "2026-07-01"], in: directory)
        #expect(publish.status == 0, "\(publish.stderr)")
        let page = try String(
            contentsOf: directory.appendingPathComponent("Output/site/shop/en/2026-03-01/changes/index.html"),
            encoding: .utf8)
        #expect(page.contains("\n<p class=\"not-announced\">This version was not announced in advance.</p>\n"))
        // The day of adoption is guarded.
        try "adopted: 2026-03-01\n".write(
            to: directory.appendingPathComponent("policyc.yaml"), atomically: true, encoding: .utf8)
        #expect(try runPolicyc(["check"], in: directory).status == 1)
        #expect(try runPolicyc(["diff", "shop"], in: directory).status == 2)
    }

    @Test func declarationsDecideTheClassAndPutTheReasonOnTheRecord() throws {
        let directory = try Self.repository("en")
        try Self.unannouncedChange(directory)
        try Self.edit(directory, "Policies/shop/2026-03-01.en.md") {
            $0.replacingOccurrences(
                of: "\n---\n",
                with:
                    "\nchanges:\n  - from-now-on: purpose/reviews\n    reason: Only orders placed from now on are reviewed.\n  - wording: recipient/payment-provider\n    reason: Nothing changed.\n---\n"
            )
        }
        let check = try runPolicyc(["check"], in: directory)
        #expect(check.status == 1)
        #expect(
            check.stderr == """
                Policies/shop/2026-03-01.en.md:17:14: error: 'wording: recipient/payment-provider' in 'changes' matches no change: recipient/payment-provider did not change since 2026-01-15; remove the entry or name the element that changed (declaration-unmatched)
                checked 2 files: 1 error, 0 warnings

                """)
        try Self.edit(directory, "Policies/shop/2026-03-01.en.md") {
            $0.replacingOccurrences(
                of: "  - wording: recipient/payment-provider\n    reason: Nothing changed.\n", with: "")
        }
        #expect(try runPolicyc(["check"], in: directory).status == 0)
        let json = try runPolicyc(["diff", "shop", "--format", "json"], in: directory)
        #expect(json.status == 0)
        #expect(
            json.stdout.contains(
                "\"declared\" : {\n        \"kind\" : \"from-now-on\",\n        \"reason\" : \"Only orders placed from now on are reviewed.\"\n      },"
            ))
        let markdown = try runPolicyc(["diff", "shop", "--format", "markdown"], in: directory)
        #expect(
            markdown.stdout.contains(
                "(declared to concern only data collected from now on: Only orders placed from now on are reviewed.)"))
        // The model (`dump`, and model.json, which is the same bytes) keeps the declaration as the source writes it.
        let dump = try runPolicyc(["dump", "Policies/shop/2026-03-01.en.md"], in: directory)
        #expect(
            dump.stdout.contains(
                """
                  "changes" : [
                    {
                      "from-now-on" : "purpose/reviews",
                      "reason" : "Only orders placed from now on are reviewed."
                    }
                  ],
                  "commitments" : [
                """))
    }
}
