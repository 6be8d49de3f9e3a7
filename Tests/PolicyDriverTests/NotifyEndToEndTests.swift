import Foundation
import PolicyDiff
import PolicyDriver
import PolicyModel
import PolicyPresent
import Testing

/// The whole way: an awkward customer export → the built `policyc notify` → the real `mailmerge --no-dry-run
/// --no-limit` → a real SMTP sink (`python3 -m aiosmtpd`) on 127.0.0.1. Then every message that arrived is checked:
/// exactly the expected people, one message each, in their language, listing exactly the changes that concern their
/// data, and no other recipient or header.
@Suite(.serialized) struct NotifyEndToEndTests {
    /// A person of the generated export and what must happen to them.
    struct Person {
        var email: String
        var name: String
        var language: String
        var collected: String
        var categories: [String]
        var status: String = "active"
    }

    /// The export: a Dutch spreadsheet's (BOM, semicolons, CRLF, dd-mm-yyyy), with every awkward case.
    static let rows: [Person] = [
        Person(
            email: "anna@example.nl", name: "Anna de Vries", language: "nl", collected: "14-03-2019",
            categories: ["order", "email"]),
        Person(
            email: "emma@example.com", name: "Emma O'Brien, Jr.", language: "en", collected: "21-06-2021",
            categories: ["payment"]),
        Person(
            email: "  ANNA@Example.NL ", name: "A. de Vries (oud)", language: "en", collected: "01-01-2015",
            categories: ["invoices"]),
        Person(
            email: "formula@example.nl", name: "=HYPERLINK(\"http://attacker.example\";\"klik\")", language: "nl",
            collected: "02-02-2020", categories: ["email"]),
        Person(
            email: "jan@example.nl", name: "Jan\r\nJansen", language: "NL", collected: "3-4-2020",
            categories: ["messages"]),
        Person(
            email: "template@example.com", name: "{{ 7*7 }}", language: "en", collected: "05-05-2020",
            categories: ["email"]),
        Person(
            email: "raw@example.com", name: "{% raw %}Raw{% endraw %} {# c #}", language: "en-GB",
            collected: "05-05-2020", categories: ["name-address"]),
        Person(
            email: "injection@example.nl", name: "Piet \"de Kok\" <evil@attacker.example>, other@attacker.example",
            language: "nl", collected: "06-06-2020", categories: ["payment"]),
        Person(
            email: "eve@example.nl", name: "Eve\r\nBcc: victim@attacker.example", language: "nl",
            collected: "07-07-2020", categories: ["invoices"]),
        Person(
            email: "zoe@example.nl", name: "Zoë Çelik-Ørsted", language: "de", collected: "08-08-2020",
            categories: ["order"]),
        Person(
            email: "erased@example.nl", name: "Gewist", language: "nl", collected: "09-09-2019", categories: ["email"],
            status: "erased"),
        Person(
            email: "objected@example.com", name: "Olivia Object", language: "en", collected: "10-10-2019",
            categories: ["email"], status: "objected"),
        Person(
            email: "not-an-address", name: "Niemand", language: "nl", collected: "11-11-2019", categories: ["email"]),
        Person(
            email: "a@b@example.com", name: "Twee Apen", language: "nl", collected: "11-11-2019", categories: ["email"]),
        Person(email: "x@localhost", name: "Lokaal", language: "nl", collected: "11-11-2019", categories: ["email"]),
        Person(email: "late@example.nl", name: "Laat", language: "nl", collected: "15-02-2027", categories: ["email"]),
        Person(
            email: "web@example.nl", name: "Alleen Bezoeker", language: "nl", collected: "12-12-2019",
            categories: ["website-usage"]),
        Person(email: "nolang@example.nl", name: "", language: "", collected: "13-01-2020", categories: ["order"]),
        Person(
            email: "emma@example.com\t", name: "Emma again", language: "nl", collected: "01-01-2016",
            categories: ["order"], status: "restricted"),
        // Only data first collected in 2027: no notify change concerns it (the 2018 version did not hold it).
        Person(
            email: "telefoon@example.nl", name: "Alleen Telefoon", language: "nl", collected: "01-06-2020",
            categories: ["phone"]),
    ]

    /// Who must receive a message: address → (language, name shown, categories held before the change).
    static let expected: [String: (language: String, greeting: String, categories: Set<String>)] = [
        "anna@example.nl": ("nl", "Beste Anna de Vries,", ["order", "email", "invoices"]),
        "emma@example.com": ("en", "Dear Emma O'Brien, Jr.,", ["payment", "order"]),
        "formula@example.nl": ("nl", "Beste =HYPERLINK(\"http://attacker.example\";\"klik\"),", ["email"]),
        "jan@example.nl": ("nl", "Beste Jan Jansen,", ["messages"]),
        "template@example.com": ("en", "Dear {{ 7*7 }},", ["email"]),
        "raw@example.com": ("en", "Dear {% raw %}Raw{% endraw %} {# c #},", ["name-address"]),
        "injection@example.nl": (
            "nl", "Beste Piet \"de Kok\" <evil@attacker.example>, other@attacker.example,", ["payment"]
        ),
        "eve@example.nl": ("nl", "Beste Eve Bcc: victim@attacker.example,", ["invoices"]),
        "zoe@example.nl": ("nl", "Beste Zoë Çelik-Ørsted,", ["order"]),
        "objected@example.com": ("en", "Dear Olivia Object,", ["email"]),
        "nolang@example.nl": ("nl", "Beste klant,", ["order"]),
        // Website data only: the reworded promise about marketing covers all data held, so this visitor is told too.
        "web@example.nl": ("nl", "Beste Alleen Bezoeker,", ["website-usage"]),
    ]

    static func csvField(_ value: String) -> String {
        value.contains(where: { ";\"\r\n".contains($0) })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    static func export() -> Data {
        var text = "\u{FEFF}E-mailadres;Naam;Taal;Klant sinds;Gegevens;Status\r\n"
        for person in rows {
            text +=
                [
                    person.email, person.name, person.language, person.collected,
                    person.categories.joined(separator: "|"), person.status,
                ]
                .map(csvField).joined(separator: ";") + "\r\n"
        }
        return Data(text.utf8)
    }

    static let settings = """
        notify:
          customers: klanten.csv
          date-format: dd-mm-yyyy
          columns:
            email: E-mailadres
            name: Naam
            language: Taal
            collected: Klant sinds
            categories: Gegevens
            status: Status
          from: Kaviaarshop <privacy@kaviaarshop.example>
          reply-to: vragen@kaviaarshop.example
          base-url: https://www.kaviaarshop.example/privacy

        """

    /// A copy of the sample policies (without a ledger) and the export, in a fresh folder.
    static func project() throws -> URL {
        let folder = scratchFolder("notify-e2e")
        let policies = folder.appendingPathComponent("Policies/kaviaarshop")
        try FileManager.default.createDirectory(at: policies, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(
            atPath: Repo.policies.appendingPathComponent("kaviaarshop").path) where name.hasSuffix(".md")
        {
            try FileManager.default.copyItem(
                at: Repo.policies.appendingPathComponent("kaviaarshop/\(name)"),
                to: policies.appendingPathComponent(name))
        }
        try export().write(to: folder.appendingPathComponent("klanten.csv"))
        try Data(settings.utf8).write(to: folder.appendingPathComponent("policyc.yaml"))
        return folder
    }

    /// Runs a tool and returns its status and output; a missing tool fails the test, never skips it.
    @discardableResult
    static func tool(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws
        -> ProcessResult
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        let err = try FileHandle(forWritingTo: errFile)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Standard error goes to a file, so neither pipe can fill while the other is read.
        _ = err
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: (try? String(contentsOf: errFile, encoding: .utf8)) ?? "",
            status: process.terminationStatus)
    }

    /// The `mailmerge` command (mailmerge 2.3 cannot run as `python3 -m mailmerge`): on PATH, or in the user
    /// scripts folder where `pip install --user` puts it. Missing tools fail the test.
    static func requireTools() throws -> String {
        let temp = FileManager.default.temporaryDirectory
        let check = try tool(["python3", "-c", "import mailmerge, aiosmtpd, jinja2"], in: temp)
        var candidates: [String] = []
        if let path = ProcessInfo.processInfo.environment["PATH"] {
            candidates += path.split(separator: ":").map { "\($0)/mailmerge" }
        }
        let userBase = try tool(["python3", "-m", "site", "--user-base"], in: temp).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        candidates.append(userBase + "/bin/mailmerge")
        guard check.status == 0,
            let command = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            Issue.record(
                "mailmerge or aiosmtpd is missing (python3 modules mailmerge, aiosmtpd and the mailmerge command); run .ci/setup"
            )
            throw CancellationError()
        }
        return command
    }

    /// Starts `python3 -m aiosmtpd` on a free port of 127.0.0.1, storing each message it receives as a JSON file in
    /// `<project>/sink` (`recorder`); returns once it accepts connections.
    static func startSink(in project: URL) throws -> (server: Process, port: Int, sink: URL) {
        let sink = project.appendingPathComponent("sink")
        try FileManager.default.createDirectory(at: sink, withIntermediateDirectories: true)
        try Data(Self.recorder.utf8).write(to: project.appendingPathComponent("recorder.py"))
        let port = Int(
            try Self.tool(
                [
                    "python3", "-c",
                    "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])",
                ], in: project
            )
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines))!
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = [
            "python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "recorder.Recorder", sink.path,
        ]
        server.currentDirectoryURL = project
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = project.path
        server.environment = environment
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        var ready = false
        for _ in 0..<100 {
            if try Self.tool(
                ["python3", "-c", "import socket; socket.create_connection(('127.0.0.1', \(port)), 1).close()"],
                in: project
            ).status == 0 {
                ready = true
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        if !ready {
            stop(server)
            Issue.record("the SMTP sink did not start on 127.0.0.1:\(port)")
            throw CancellationError()
        }
        return (server, port, sink)
    }

    /// Stops the sink: SIGTERM, then SIGKILL if it has not exited within two seconds (aiosmtpd's CLI loop does
    /// not always end on SIGTERM). Every message was stored before its 250 reply, so nothing is lost.
    static func stop(_ server: Process) {
        guard server.isRunning else { return }
        server.terminate()
        for _ in 0..<20 where server.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        if server.isRunning { kill(server.processIdentifier, SIGKILL) }
        server.waitUntilExit()
    }

    /// An aiosmtpd handler that stores each message as JSON: the envelope recipients, every header as parsed, the
    /// addresses of To/Cc/Bcc, and the decoded text body.
    static let recorder = #"""
        import email, email.header, email.utils, json, os

        class Recorder:
            def __init__(self, folder):
                self.folder = folder
                self.count = 0

            @classmethod
            def from_cli(cls, parser, *args):
                return cls(args[0])

            async def handle_DATA(self, server, session, envelope):
                message = email.message_from_bytes(envelope.original_content or envelope.content)
                def decoded(value):
                    return str(email.header.make_header(email.header.decode_header(value)))
                record = {
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    "headers": [[k, decoded(v)] for k, v in message.items()],
                    "to": [a for _, a in email.utils.getaddresses(message.get_all("To", []) + message.get_all("Cc", []) + message.get_all("Bcc", []))],
                    "body": message.get_payload(decode=True).decode(message.get_content_charset() or "ascii"),
                }
                self.count += 1
                with open(os.path.join(self.folder, "%04d.json" % self.count), "w") as f:
                    json.dump(record, f)
                return "250 OK"
        """#

    @Test func theRealMailmergeSendsExactlyTheExpectedMessagesThroughALocalSink() throws {
        let mailmerge = try Self.requireTools()
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }

        // 1. policyc notify on the two sample versions.
        let run = try runPolicyc(["notify", "kaviaarshop", "2027-01-01", "--today", "2026-11-25"], in: project)
        #expect(run.status == 0, "\(run.stderr)")
        let output = project.appendingPathComponent("Output/notify/kaviaarshop/2027-01-01")
        let report =
            try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("report.json")))
            as! [String: Any]
        let counts = report["counts"] as! [String: Int]
        #expect(counts["rows"] == Self.rows.count)
        #expect(counts["notified"] == Self.expected.count)
        #expect(counts["duplicate"] == 2)
        #expect(counts["erased"] == 1)
        #expect(counts["invalid"] == 3)
        #expect(counts["collected-on-or-after"] == 1)
        #expect(counts["not-affected"] == 1)
        let outcomes = ["notified", "not-affected", "collected-on-or-after", "erased", "invalid", "duplicate"].map {
            counts[$0] ?? 0
        }.reduce(0, +)
        #expect(outcomes == Self.rows.count, "the counts add up to the rows")
        let rejects = try String(contentsOf: output.appendingPathComponent("rejects.csv"), encoding: .utf8)
        #expect(
            rejects
                == "\"row\",\"reason\"\r\n\"14\",\"not exactly one '@'\"\r\n\"15\",\"not exactly one '@'\"\r\n\"16\",\"the part after the '@' is not a domain name (labels of letters, digits and hyphens, separated by dots, ending in a top-level domain of letters)\"\r\n"
        )

        // The changes that concern each person, worked out here from the diff itself.
        let documents = Workspace.compile(
            files: ["2018-04-30.nl.md", "2027-01-01.nl.md"].map {
                Repo.policies.appendingPathComponent("kaviaarshop/\($0)").path
            })
        let notify = VersionDiff.compare(documents[0].version!, documents[1].version!).changes.filter {
            $0.impact == .notify
        }
        #expect(!notify.isEmpty)

        // 2. The SMTP sink on loopback, recording every message.
        let (server, port, sink) = try Self.startSink(in: project)
        defer { Self.stop(server) }

        // 3. The real mailmerge, for each language's pair.
        for language in ["en", "nl"] {
            let folder = output.appendingPathComponent(language)
            try Data("[smtp_server]\nhost = 127.0.0.1\nport = \(port)\n".utf8).write(
                to: folder.appendingPathComponent("mailmerge_server.conf"))
            let send = try Self.tool([mailmerge, "--no-dry-run", "--no-limit", "--output-format", "text"], in: folder)
            #expect(send.status == 0, "mailmerge \(language): \(send.stderr)\(send.stdout.suffix(2000))")
        }
        Self.stop(server)

        // 4. What arrived.
        let files = try FileManager.default.contentsOfDirectory(atPath: sink.path).sorted()
        var received: [String: [[String: Any]]] = [:]
        for file in files {
            let message =
                try JSONSerialization.jsonObject(with: Data(contentsOf: sink.appendingPathComponent(file)))
                as! [String: Any]
            let recipients = message["rcpt_tos"] as! [String]
            #expect(recipients.count == 1, "one envelope recipient per message: \(recipients)")
            for recipient in recipients { received[recipient, default: []].append(message) }
        }
        #expect(Set(received.keys) == Set(Self.expected.keys), "exactly the expected people")
        #expect(files.count == Self.expected.count, "one message each")

        for (address, messages) in received {
            guard let want = Self.expected[address] else { continue }
            #expect(messages.count == 1, "\(address) got \(messages.count) messages")
            let message = messages[0]
            #expect(message["to"] as! [String] == [address], "\(address): To/Cc/Bcc name exactly the recipient")
            let headers = (message["headers"] as! [[String]]).map { $0[0].lowercased() }
            #expect(
                headers.sorted() == [
                    "content-transfer-encoding", "content-type", "date", "from", "mime-version", "reply-to", "subject",
                    "to",
                ],
                "\(address): no extra header")
            let values = Dictionary(
                (message["headers"] as! [[String]]).map { ($0[0].lowercased(), $0[1]) }, uniquingKeysWith: { a, _ in a }
            )
            #expect(values["from"] == "Kaviaarshop <privacy@kaviaarshop.example>")
            #expect(
                values["subject"]
                    == (want.language == "nl"
                        ? "Wijzigingen in ons privacybeleid per 1 januari 2027"
                        : "Changes to our privacy policy from 1 January 2027"))
            let body = message["body"] as! String
            // "\r\n" is one Character in Swift: normalise line ends before splitting.
            let lines = body.replacingOccurrences(of: "\r\n", with: "\n").split(
                separator: "\n", omittingEmptySubsequences: false
            ).map(String.init)
            #expect(lines.first == want.greeting, "\(address): greeting in \(want.language)")
            // The customer's name as given (line breaks become spaces: the greeting is one line).
            let name = Self.rows.first { $0.email.trimmingCharacters(in: .whitespaces).lowercased() == address }!.name
            #expect(
                name.isEmpty || body.contains(name.replacingOccurrences(of: "\r\n", with: " ")),
                "\(address): the name as given")
            // No id or code of the policy below the greeting.
            let ids = PolicyIds(versions: NoticeWordsTests.versions, language: want.language)
            #expect(ids.found(in: lines.dropFirst().joined(separator: "\n")) == [], "\(address): in words")
            // The listed changes: exactly those whose categories meet the person's, in the diff's order, each naming
            // only the person's data, in the words of their language.
            let notice = Self.notice(want.language, order: notify)
            let wanted = notify.indices.filter { !Set(notify[$0].categories).isDisjoint(with: want.categories) }.map {
                "- " + notice.change($0, holding: want.categories)
            }
            let listed = lines.filter { $0.hasPrefix("- ") }
            #expect(listed == wanted, "\(address): the changes that concern their data")
            #expect(!listed.contains { $0.contains("(") && $0.contains("name-address") })
            #expect(
                body.contains(
                    want.language == "nl"
                        ? "Deze wijzigingen gaan in op 1 januari 2027." : "These changes take effect on 1 January 2027."
                ))
            #expect(
                body.contains(
                    "https://www.kaviaarshop.example/privacy/kaviaarshop/\(want.language)/2027-01-01/changes/"))
        }
    }

    /// The notice in `language` as the command makes it: its `notify` changes in the order of `order` (the original's).
    static func notice(_ language: String, order: [ChangeRecord]) -> NoticeText {
        let versions = NoticeWordsTests.versions.filter { $0.language == language }
        let old = versions.first { $0.effective.description == "2018-04-30" }!
        let new = versions.first { $0.effective.description == "2027-01-01" }!
        let records = VersionDiff.compare(old, new).changes
        return Presenter(language: language).notice(
            version: new, previous: old,
            changes: order.map { record in records.first { $0.id == record.id } ?? record },
            versionURL: nil, changesURL: nil, contact: "")
    }

    @Test func aSecondRunSaysItAlreadyRanAndWhatDiffersAndForceRecordsIt() throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let first = try runPolicyc(
            ["notify", "kaviaarshop", "--today", "2026-11-25", "--format", "jsonl"], in: project)
        #expect(first.status == 0, "\(first.stderr)")
        let output = project.appendingPathComponent("Output/notify/kaviaarshop/2027-01-01")
        func snapshot() throws -> [String: Data] {
            var files: [String: Data] = [:]
            for name in [
                "recipients.csv", "recipients.jsonl", "rejects.csv", "report.json", "nl/mailmerge_database.csv",
                "nl/mailmerge_template.txt", "en/mailmerge_database.csv", "en/mailmerge_template.txt",
            ] {
                files[name] = try Data(contentsOf: output.appendingPathComponent(name))
            }
            return files
        }
        let bytes = try snapshot()
        let ledger = project.appendingPathComponent("Policies/kaviaarshop/notified.lock")
        let once = try String(contentsOf: ledger, encoding: .utf8)
        #expect(once.split(separator: "\n").filter { $0.hasPrefix("{") }.count == 1)
        #expect(!once.contains("@"), "no addresses in the ledger")

        // The same input again: the same bytes, no new record.
        let second = try runPolicyc(
            ["notify", "kaviaarshop", "--today", "2026-11-26", "--format", "jsonl"], in: project)
        #expect(second.status == 0)
        #expect(
            second.stderr.hasPrefix(
                "note: kaviaarshop 2027-01-01 was already prepared on 2026-11-25 and not sent (Policies/kaviaarshop/notified.lock); nothing differs, so no new ledger record\n"
            ))
        #expect(try snapshot() == bytes, "deterministic output")
        #expect(try String(contentsOf: ledger, encoding: .utf8) == once)

        // A corrected export before sending: prepared again without --force, recorded as a preparation.
        var changed = Self.export()
        changed.append(Data("new@example.nl;Nieuw;nl;01-01-2020;email;active\r\n".utf8))
        try changed.write(to: project.appendingPathComponent("klanten.csv"))
        let corrected = try runPolicyc(
            ["notify", "kaviaarshop", "--today", "2026-11-27", "--format", "jsonl"], in: project)
        #expect(corrected.status == 0, "\(corrected.stderr)")
        #expect(
            corrected.stderr.hasPrefix(
                "note: kaviaarshop 2027-01-01 was prepared on 2026-11-25 and not sent; prepared again, as it differs in: the recipient list; rows 20 → 21; notified 12 → 13\n"
            ), "\(corrected.stderr)")
        func records() throws -> [String] {
            try String(contentsOf: ledger, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("{") }.map(
                String.init)
        }
        #expect(try records().count == 2)
        #expect(try records().allSatisfy { $0.contains(#""event":"prepared""#) && $0.contains(#""forced":false"#) })

        // Sent: recorded with the count; a second record of the same sending is refused.
        let sent = try runPolicyc(
            ["sent", "kaviaarshop", "2027-01-01", "--count", "13", "--today", "2026-11-28"], in: project)
        #expect(sent.status == 0)
        #expect(
            sent.stderr
                == "recorded in Policies/kaviaarshop/notified.lock: kaviaarshop 2027-01-01, prepared on 2026-11-27, sent on 2026-11-28 (13 messages)\n"
        )
        #expect(try records().last?.contains(#""count":13,"date":"2026-11-28","event":"sent","prepared":13,"#) == true)
        let again = try runPolicyc(
            ["sent", "kaviaarshop", "2027-01-01", "--count", "13", "--today", "2026-11-29"], in: project)
        #expect(again.status == 1)
        #expect(
            again.stderr == """
                error: kaviaarshop 2027-01-01 was already prepared on 2026-11-27 and sent on 2026-11-28 (13 messages) (Policies/kaviaarshop/notified.lock); to send a second notification, prepare it with 'policyc notify --force' first
                error: nothing was recorded

                """)

        // After sending, a different run is a second notification: refused without --force, and nothing written.
        let bytesSent = try snapshot()
        changed.append(Data("newer@example.nl;Nieuwer;nl;01-01-2020;email;active\r\n".utf8))
        try changed.write(to: project.appendingPathComponent("klanten.csv"))
        let refused = try runPolicyc(["notify", "kaviaarshop", "--today", "2026-11-29"], in: project)
        #expect(refused.status == 1)
        #expect(
            refused.stderr == """
                error: kaviaarshop 2027-01-01 was already prepared on 2026-11-27 and sent on 2026-11-28 (13 messages) (Policies/kaviaarshop/notified.lock); this run differs in: the recipient list; rows 21 → 22; notified 13 → 14
                error: nothing was written; run again with --force to prepare a second notification for the version and record it

                """)
        #expect(try snapshot() == bytesSent)
        let forced = try runPolicyc(["notify", "kaviaarshop", "--today", "2026-11-29", "--force"], in: project)
        #expect(forced.status == 0)
        #expect(try records().count == 4)
        #expect(try records().last?.contains(#""date":"2026-11-29","event":"prepared","forced":true"#) == true)

        // A count that differs from the recipients prepared is recorded as reported, and said.
        let short = try runPolicyc(
            ["sent", "kaviaarshop", "2027-01-01", "--count", "9", "--today", "2026-11-30"], in: project)
        #expect(short.status == 0)
        #expect(
            short.stderr == """
                recorded in Policies/kaviaarshop/notified.lock: kaviaarshop 2027-01-01, prepared on 2026-11-29, sent on 2026-11-30 (9 messages)
                warning: 9 messages sent, but the preparation lists 14: 5 customers were not told; find whom in the mail tool's log and send them their message

                """)
        #expect(try records().count == 5)
    }

    /// The notice must reach customers before the version takes effect, with its notice period (30 days for the
    /// sample's 2027 version) ahead; otherwise notify writes nothing, exits 3 and says what to do.
    @Test func aNoticeThatComesTooLateIsRefusedUnlessLate() throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let ledger = project.appendingPathComponent("Policies/kaviaarshop/notified.lock")
        let missed = try runPolicyc(["notify", "kaviaarshop", "--today", "2026-12-06"], in: project)
        #expect(missed.status == 3)
        #expect(
            missed.stderr == """
                error: version 2027-01-01 of 'kaviaarshop' needs 30 days of notice: customers had to be told by 2026-12-02, and today is 2026-12-06
                error: nothing was written; to give the full notice, set 'effective' to 2027-01-05 or later in a version not yet published, or make the change in a new version; to send this notice late on purpose, run again with --late

                """)
        for today in ["2027-01-01", "2027-03-01"] {
            let inForce = try runPolicyc(["notify", "kaviaarshop", "--today", today], in: project)
            #expect(inForce.status == 3)
            #expect(
                inForce.stderr == """
                    error: version 2027-01-01 of 'kaviaarshop' took effect on 2027-01-01, and today is \(today): customers can no longer be told before it applies
                    error: nothing was written; to tell them now that it is in force and what they can do, run again with --late

                    """)
        }
        // The last day with the whole notice ahead is in time.
        let deadline = try runPolicyc(
            ["notify", "kaviaarshop", "--today", "2026-12-02", "--late"], in: project)
        #expect(deadline.status == 64)
        #expect(
            deadline.stderr
                == "error: --late is for a notice that can no longer be given in time, and version 2027-01-01 of 'kaviaarshop' can still be: customers told by 2026-12-02 have its 30 days of notice; run without --late\n"
        )
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("Output").path))
        #expect(!FileManager.default.fileExists(atPath: ledger.path))

        // docs/notify.md quotes both refusals word for word.
        let documentation = try String(contentsOf: Repo.root.appendingPathComponent("docs/notify.md"), encoding: .utf8)
        #expect(documentation.contains("$ policyc notify kaviaarshop --today 2026-12-06\n" + missed.stderr + "$ "))
        let inForce = try runPolicyc(["notify", "kaviaarshop", "--today", "2027-03-01"], in: project)
        #expect(documentation.contains("$ policyc notify kaviaarshop --today 2027-03-01\n" + inForce.stderr + "```"))

        let late = try runPolicyc(["notify", "kaviaarshop", "--today", "2027-03-01", "--late"], in: project)
        #expect(late.status == 0, "\(late.stderr)")
        let record = try String(contentsOf: ledger, encoding: .utf8).split(separator: "\n").last ?? ""
        #expect(record.contains(#""event":"prepared","forced":false,"late":true,"#), "\(record)")
    }

    /// `sent` records only what notify prepared.
    @Test func sentNeedsAPreparedNotification() throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let result = try runPolicyc(
            ["sent", "kaviaarshop", "2027-01-01", "--count", "3", "--today", "2026-11-25"], in: project)
        #expect(result.status == 1)
        #expect(
            result.stderr == """
                error: Policies/kaviaarshop/notified.lock records no prepared notification of kaviaarshop 2027-01-01; run 'policyc notify kaviaarshop 2027-01-01', send its messages, then record them
                error: nothing was recorded

                """)
        let usage = try runPolicyc(["sent", "kaviaarshop", "2027-13-01", "--count", "3"], in: project)
        #expect(usage.status == 64)
        #expect(
            usage.stderr == "error: invalid version '2027-13-01'; name a version by its effective date, YYYY-MM-DD\n")
    }

    @Test func badArgumentsStopBeforeAnyFileIsTouched() throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        for (arguments, message) in [
            (
                ["notify", "../kaviaarshop"],
                "error: invalid policy id '../kaviaarshop'; a policy id is lowercase letters, digits and single hyphens, the name of its folder in Policies, such as 'kaviaarshop'\n"
            ),
            (
                ["notify", "kaviaarshop", "2027-02-30"],
                "error: invalid version '2027-02-30'; name a version by its effective date, YYYY-MM-DD\n"
            ),
            (
                ["notify", "kaviaarshop", "2018-04-30"],
                "error: 2018-04-30 is the first version of 'kaviaarshop'; there is no change to tell anyone about\n"
            ),
            (
                ["notify", "kaviaarshop", "--customers", "missing.csv"],
                "error: cannot read the customer export missing.csv\n"
            ),
        ] {
            let result = try runPolicyc(arguments, in: project)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr == message)
        }
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("Output").path))
        #expect(
            !FileManager.default.fileExists(
                atPath: project.appendingPathComponent("Policies/kaviaarshop/notified.lock").path))
    }

    /// Without a base URL of its own, notify links to the published site's pages (`site.base-url`).
    @Test func linksFallBackToTheSiteBaseURL() throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let settings = Self.settings.replacingOccurrences(
            of: "  base-url: https://www.kaviaarshop.example/privacy\n", with: "")
        #expect(settings != Self.settings)
        try Data(("site:\n  base-url: https://site.example/beleid/\n" + settings).utf8).write(
            to: project.appendingPathComponent("policyc.yaml"))
        let run = try runPolicyc(["notify", "kaviaarshop", "--today", "2026-11-25"], in: project)
        #expect(run.status == 0, "\(run.stderr)")
        let template = try String(
            contentsOf: project.appendingPathComponent(
                "Output/notify/kaviaarshop/2027-01-01/nl/mailmerge_template.txt"), encoding: .utf8)
        #expect(template.contains("https://site.example/beleid/kaviaarshop/nl/2027-01-01/changes/"), "\(template)")
    }

    @Test func anErrorInTheExportNamesRowAndColumnAndWritesNothing() throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        var text = String(decoding: Self.export(), as: UTF8.self)
        text += "bad@example.nl;\"Niet gesloten;nl;01-01-2020;email;active\r\n"
        try Data(text.utf8).write(to: project.appendingPathComponent("klanten.csv"))
        let result = try runPolicyc(["notify", "kaviaarshop", "--today", "2026-11-25"], in: project)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "error: klanten.csv: row 22, column 2 ('Naam'): a quoted field is not closed\nerror: nothing was written\n"
        )
        #expect(
            !result.stderr.contains("Niet gesloten") && !result.stderr.contains("bad@example.nl"),
            "no customer data in errors")
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("Output").path))
        #expect(
            !FileManager.default.fileExists(
                atPath: project.appendingPathComponent("Policies/kaviaarshop/notified.lock").path))
    }

    /// mailmerge guesses the CSV dialect from the first kilobyte of each database; names with quotes far past it,
    /// in thousands of rows, must still arrive as one column each. Read by mailmerge's own reader and sent in a dry
    /// run of every message.
    @Test func mailmergeReadsQuotedNamesPastTheFirstKilobyte() throws {
        let command = try Self.requireTools()
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        var text = "E-mailadres;Naam;Taal;Klant sinds;Gegevens;Status\r\n"
        for index in 0..<3_000 {
            let name = index % 997 == 500 ? "Jan \"Jantje\" Smit \(index)" : "Klant \(index)"
            text +=
                "k\(index)@example.nl;\(Self.csvField(name));\(index % 2 == 0 ? "nl" : "en");14-03-2019;order;active\r\n"
        }
        text += "kees@example.nl;\"Kees \"\"de Fietser\"\" Bakker\";nl;14-03-2019;order;active\r\n"
        try Data(text.utf8).write(to: project.appendingPathComponent("klanten.csv"))
        let run = try runPolicyc(["notify", "kaviaarshop", "--today", "2026-11-25"], in: project)
        #expect(run.status == 0, "\(run.stderr)")
        let reader = """
            import json, pathlib, sys
            from mailmerge.__main__ import read_csv_database
            rows = list(read_csv_database(pathlib.Path(sys.argv[1])))
            print(json.dumps([[sorted(k for k in row.keys() if k is not None), row.get(None), row["name"]] for row in rows]))
            """
        // The sample's version has five changes customers must be told about: a flag column each.
        let columns = (["email", "to_name", "name", "quotes are \"doubled\""] + (1...5).map { "change_\($0)" }).sorted()
        var names: [String] = []
        for language in ["en", "nl"] {
            let folder = project.appendingPathComponent("Output/notify/kaviaarshop/2027-01-01/\(language)")
            let read = try Self.tool(["python3", "-c", reader, "mailmerge_database.csv"], in: folder)
            #expect(read.status == 0, "\(read.stderr)")
            let rows = try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[Any]] ?? []
            for row in rows {
                // The last column's name only fills the first kilobyte (docs/notify.md).
                let header = row[0] as? [String] ?? []
                #expect(header.filter { !$0.hasPrefix("this column and the first stay empty") } == columns)
                #expect(header.count == columns.count + 1)
                #expect(row[1] is NSNull, "a row split into extra columns: \(row)")
                names.append(row[2] as? String ?? "")
            }
            // A dry run connects to no server, but mailmerge wants its settings beside the files, as for a real run.
            try Data("[smtp_server]\nhost = 127.0.0.1\nport = 2525\n".utf8).write(
                to: folder.appendingPathComponent("mailmerge_server.conf"))
            let dry = try Self.tool(
                [
                    command, "--no-limit", "--template", "mailmerge_template.txt", "--database",
                    "mailmerge_database.csv",
                ],
                in: folder)
            #expect(dry.status == 0, "\(dry.stderr)")
        }
        #expect(names.count == 3_001)
        #expect(names.contains("Kees \"de Fietser\" Bakker"))
        #expect(names.contains("Jan \"Jantje\" Smit 2494"))
    }
}
