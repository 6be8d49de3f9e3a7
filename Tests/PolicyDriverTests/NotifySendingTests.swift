import Foundation
import Testing

/// Issue 18's trial, whole: a generated export of thousands of rows (first and last name in two columns, awkward
/// names far past the first kilobyte, duplicates whose most recent record speaks), `policyc notify` writing the
/// server settings from policyc.yaml, the real `mailmerge --no-dry-run --no-limit` per language against aiosmtpd on
/// 127.0.0.1, and `policyc sent` with the count mailmerge reported.
@Suite(.serialized) struct NotifySendingTests {
    /// Names a person gave, in two cells, each placed well past the first kilobyte of the export.
    static let awkward: [(first: String, last: String, shown: String)] = [
        ("Jan \"Jantje\"", "Smit", "Jan \"Jantje\" Smit"),
        ("Emma", "O'Brien, Jr.", "Emma O'Brien, Jr."),
        ("Kees;", "de \"Fietser\"", "Kees; de \"Fietser\""),
        ("Ab", "{{ 7*7 }}", "Ab {{ 7*7 }}"),
        ("{% raw %}", "Raw {# c #}", "{% raw %} Raw {# c #}"),
        ("\u{200F}שרה", "כהן", "\u{200F}שרה כהן"),
        ("Zoë", "Çelik-Ørsted", "Zoë Çelik-Ørsted"),
        ("", "Alleen Achternaam", "Alleen Achternaam"),
        ("  Anne-Marie ", "'t Hooft", "Anne-Marie 't Hooft"),
        ("Line\nBreak", "Naam", "Line Break Naam"),
    ]

    struct Expected {
        var language: String
        var name: String
    }

    /// The export and who must receive what: address → language and name as shown.
    static func export(rows: Int) -> (text: String, expected: [String: Expected]) {
        var text = "E-mailadres;Voornaam;Achternaam;Taal;Klant sinds;Gegevens;Status\r\n"
        var expected: [String: Expected] = [:]
        func cell(_ value: String) -> String {
            value.unicodeScalars.contains(where: { ";\"\r\n".unicodeScalars.contains($0) })
                ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
        }
        func row(_ address: String, _ first: String, _ last: String, _ language: String, _ collected: String) {
            text +=
                [address, first, last, language, collected, "order", "active"].map(cell).joined(separator: ";") + "\r\n"
        }
        for index in 0..<rows {
            let address = "klant\(index)@example.nl"
            let language = index % 3 == 0 ? "en" : "nl"
            // Every 37th row from the 60th on (some kilobytes in) holds an awkward name.
            let name = index >= 60 && index % 37 == 0 ? awkward[(index / 37) % awkward.count] : nil
            row(address, name?.first ?? "Klant", name?.last ?? "\(index)", language, "14-03-2019")
            expected[address] = Expected(language: language, name: name?.shown ?? "Klant \(index)")
        }
        // Duplicates at the end: a more recent record speaks (its name and language), an older one does not.
        for index in stride(from: 100, to: rows, by: 250) {
            let newer = index % 3 == 0 ? "nl" : "en"
            row("KLANT\(index)@Example.NL", "Nieuwe", "Naam \(index)", newer, "01-06-2024")
            row("klant\(index)@example.nl ", "Oude", "Naam \(index)", newer == "nl" ? "en" : "nl", "01-01-2010")
            // The address as the speaking record writes it.
            expected["klant\(index)@example.nl"] = nil
            expected["KLANT\(index)@Example.NL"] = Expected(language: newer, name: "Nieuwe Naam \(index)")
        }
        return (text, expected)
    }

    @Test func thousandsOfRowsAreSentOneMessageEachAndRecorded() throws {
        let mailmerge = try NotifyEndToEndTests.requireTools()
        let project = try NotifyEndToEndTests.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let (text, expected) = Self.export(rows: 2_400)
        try Data(text.utf8).write(to: project.appendingPathComponent("klanten.csv"))
        let (server, port, sink) = try NotifyEndToEndTests.startSink(in: project)
        defer { NotifyEndToEndTests.stop(server) }
        let settings = NotifyEndToEndTests.settings.replacingOccurrences(
            of: "    name: Naam\n", with: "    name: [Voornaam, Achternaam]\n")
        #expect(settings != NotifyEndToEndTests.settings)
        try Data((settings + "  smtp:\n    host: 127.0.0.1\n    port: \(port)\n").utf8).write(
            to: project.appendingPathComponent("policyc.yaml"))

        let run = try runPolicyc(["notify", "kaviaarshop", "--today", "2026-11-25"], in: project)
        #expect(run.status == 0, "\(run.stderr)")
        let output = project.appendingPathComponent("Output/notify/kaviaarshop/2027-01-01")
        let conf = try String(
            contentsOf: output.appendingPathComponent("nl/mailmerge_server.conf"), encoding: .utf8)
        #expect(
            conf == """
                # Written by policyc notify from the smtp settings in policyc.yaml (docs/notify.md). No password: mailmerge asks
                # for it when it sends. To use settings of your own, replace this file; notify keeps a file it did not write.
                [smtp_server]
                host = 127.0.0.1
                port = \(port)

                """)

        // mailmerge, one language after the other, with the settings notify wrote.
        var received: [String: (language: String, body: String, recipients: [String])] = [:]
        var reported = 0
        var seen = Set<String>()
        for language in ["en", "nl"] {
            let send = try NotifyEndToEndTests.tool(
                [mailmerge, "--no-dry-run", "--no-limit", "--output-format", "text"],
                in: output.appendingPathComponent(language))
            #expect(send.status == 0, "mailmerge \(language): \(send.stderr)\(send.stdout.suffix(2000))")
            reported +=
                send.stdout.split(separator: "\n").filter { $0.hasPrefix(">>> message") && $0.hasSuffix(" sent") }
                .count
            for file in try FileManager.default.contentsOfDirectory(atPath: sink.path) where !seen.contains(file) {
                seen.insert(file)
                let message =
                    try JSONSerialization.jsonObject(with: Data(contentsOf: sink.appendingPathComponent(file)))
                    as! [String: Any]
                let recipients = message["rcpt_tos"] as! [String]
                for recipient in recipients {
                    #expect(received[recipient] == nil, "\(recipient) got two messages")
                    received[recipient] = (language, message["body"] as! String, recipients)
                }
            }
        }
        NotifyEndToEndTests.stop(server)

        let report =
            try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("report.json")))
            as! [String: Any]
        let notified = (report["counts"] as! [String: Int])["notified"]
        #expect(notified == expected.count)
        #expect(seen.count == expected.count, "messages received == recipients")
        #expect(reported == expected.count, "mailmerge reports every message sent")
        let difference = Set(received.keys).symmetricDifference(expected.keys).sorted()
        #expect(difference.isEmpty, "received but not expected, or expected but not received: \(difference.prefix(10))")
        for (address, want) in expected {
            guard let got = received[address] else { continue }
            #expect(got.recipients == [address], "\(address): exactly one recipient")
            #expect(got.language == want.language, "\(address): the language of its most recent record")
            #expect(got.body.contains(want.name), "\(address): the name as given, \(want.name)")
        }

        // Then the sending is recorded, with the count mailmerge reported.
        let sent = try runPolicyc(
            ["sent", "kaviaarshop", "2027-01-01", "--count", "\(reported)", "--today", "2026-11-26"], in: project)
        #expect(sent.status == 0)
        #expect(
            sent.stderr
                == "recorded in Policies/kaviaarshop/notified.lock: kaviaarshop 2027-01-01, prepared on 2026-11-25, sent on 2026-11-26 (\(reported) messages)\n"
        )
    }

    /// The server settings a user put beside the files win over those from policyc.yaml, run after run.
    @Test func theUsersServerSettingsAreKept() throws {
        let project = try NotifyEndToEndTests.project()
        defer { try? FileManager.default.removeItem(at: project) }
        try Data((NotifyEndToEndTests.settings + "  smtp:\n    host: smtp.example.com\n").utf8).write(
            to: project.appendingPathComponent("policyc.yaml"))
        let first = try runPolicyc(["notify", "kaviaarshop", "--today", "2026-11-25"], in: project)
        #expect(first.status == 0, "\(first.stderr)")
        let folder = project.appendingPathComponent("Output/notify/kaviaarshop/2027-01-01")
        let mine = "[smtp_server]\nhost = mail.example.org\n"
        try Data(mine.utf8).write(to: folder.appendingPathComponent("nl/mailmerge_server.conf"))
        let again = try runPolicyc(["notify", "kaviaarshop", "--today", "2026-11-26", "--force"], in: project)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("note: kept nl/mailmerge_server.conf from the previous run's files\n"))
        #expect(
            try String(contentsOf: folder.appendingPathComponent("nl/mailmerge_server.conf"), encoding: .utf8) == mine)
        #expect(
            try String(contentsOf: folder.appendingPathComponent("en/mailmerge_server.conf"), encoding: .utf8)
                .hasSuffix("[smtp_server]\nhost = smtp.example.com\n"))
    }
}
