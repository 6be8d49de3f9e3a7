import Foundation
import PolicyDiff
import PolicyDriver
import PolicyModel
import PolicyPresent
import Testing

/// Every mail of the sample, and of a generated export, as the real mailmerge renders it (a dry run of every
/// message): in words, never an id or a code of the policy, each greeting with the customer's name as given.
@Suite(.serialized) struct NoticeWordsTests {
    static let versions: [PolicyVersion] = Workspace.compile(
        files: ["2018-04-30.nl.md", "2018-04-30.en.md", "2027-01-01.nl.md", "2027-01-01.en.md"].map {
            Repo.policies.appendingPathComponent("kaviaarshop/\($0)").path
        }
    ).compactMap(\.version)

    /// The check itself finds what the mails said before they were written in words.
    @Test func theCheckFindsIdsAndCodesButNotWordsOfTheLanguage() {
        let nl = PolicyIds(versions: Self.versions, language: "nl")
        let en = PolicyIds(versions: Self.versions, language: "en")
        #expect(
            nl.found(in: "Wij bewaren invoices 7 jaar (email en order), voortaan ook voor: reviews") == [
                "invoices", "email",
            ])
        #expect(nl.found(in: "Mollie verwerkt de gegevens in NL op grond van consent") == ["NL", "consent"])
        #expect(en.found(in: "(name-address and payment) for newsletter") == ["name-address"])
        #expect(en.found(in: "your last order, by email, your consent") == [])
        #expect(nl.found(in: "Beste Anna, zie https://example.nl/name-address/ of schrijf naar order@example.nl") == [])
    }

    /// The sample's notices, their changes in the order of the original's (Dutch) diff, as the command makes them.
    static func notice(_ language: String, late: Bool = false) -> NoticeText {
        let nl = versions.filter { $0.language == "nl" }
        let order = VersionDiff.compare(nl[0], nl[1]).changes.filter { $0.impact == .notify }
        let own = versions.filter { $0.language == language }
        let records = VersionDiff.compare(own[0], own[1]).changes
        return Presenter(language: language).notice(
            version: own[1], previous: own[0],
            changes: order.map { record in records.first { $0.id == record.id } ?? record }, versionURL: nil,
            changesURL: nil, contact: "privacy@kaviaarshop.example", late: late)
    }

    /// Each line names the customer's own data that the change concerns, and what they need to decide whether to
    /// object: the recipient's purposes and country, the new purpose's legal basis, the law behind a longer period.
    @Test func eachLineNamesOnlyTheCustomersDataAndWhatTheyNeedToDecide() {
        let nl = Self.notice("nl")
        let en = Self.notice("en")
        #expect(nl.changes.map(\.id) == en.changes.map(\.id))
        let mollie = nl.changes.firstIndex { $0.id == "recipient-added:recipient/mollie" }!
        #expect(
            nl.change(mollie, holding: ["payment", "email"])
                == "Een nieuwe ontvanger, Mollie B.V., krijgt gegevens die wij al van u hebben (betaalgegevens, zoals uw bankrekening- of creditcardnummer). Mollie B.V. krijgt de gegevens voor: het afhandelen van betalingen in onze webwinkel. Waar Mollie B.V. de gegevens verwerkt: Nederland."
        )
        #expect(
            en.change(mollie, holding: nil)
                == "A new recipient, Mollie B.V., receives data we already hold (name, address and town or city; and payment details, such as your bank account or credit card number). Mollie B.V. receives the data for: handling payments in our online shop. Where Mollie B.V. processes the data: Netherlands."
        )
        #expect(nl.changeData(mollie, holding: ["name-address"]) == "naam, adres en woonplaats")
        let parts = nl.changeParts(mollie)
        #expect(parts.before == "Een nieuwe ontvanger, Mollie B.V., krijgt gegevens die wij al van u hebben (")
        #expect(parts.after?.hasPrefix("). Mollie B.V. krijgt de gegevens voor: ") == true)
        let newsletter = nl.changes.firstIndex { $0.id == "purpose-added:purpose/newsletter" }!
        #expect(
            nl.change(newsletter, holding: ["email"])
                == "Gegevens die wij al van u hebben (e-mailadres) gebruiken wij voor een nieuw doel: onze nieuwsbrief. De grondslag voor onze nieuwsbrief is uw toestemming."
        )
        #expect(
            en.change(newsletter, holding: ["email"])
                == "Data we already hold (email address) is used for a new purpose: our newsletter. The legal basis for our newsletter is your consent."
        )
        let invoices = nl.changes.firstIndex { $0.id == "retention-changed:retention/invoices:period" }!
        #expect(
            nl.change(invoices, holding: ["invoices"])
                == "Wij bewaren facturen met uw (persoons)gegevens 7 jaar in plaats van zolang de wet voorschrijft. De wet die dit voorschrijft: Artikel 52 Algemene wet inzake rijksbelastingen."
        )
        // A promise about all data held names none: the line is the same for everyone.
        let promise = nl.changes.firstIndex { $0.id.hasPrefix("commitment-changed:") }!
        #expect(nl.changeParts(promise).after == nil)
        #expect(
            nl.changeData(promise, holding: ["website-usage"])
                == "automatisch verzamelde gegevens, zoals uw IP-adres, webbrowser en besturingssysteem")
    }

    /// A late notice says the change may already be in force and what the customer can do now, not "object before"
    /// a date that has passed.
    @Test func aLateNoticeSaysTheChangeIsInForceAndWhatToDoNow() {
        let nl = Self.notice("nl", late: true)
        let en = Self.notice("en", late: true)
        #expect(nl.subject == "Wijzigingen in ons privacybeleid per 1 januari 2027: een late melding")
        #expect(en.subject == "Changes to our privacy policy from 1 January 2027: a late notice")
        #expect(
            nl.effective
                == "Deze wijzigingen gelden vanaf 1 januari 2027: ze zijn al van kracht, of gaan eerder in dan de 30 dagen die wij u vooraf beloven. Het spijt ons dat wij u niet op tijd hebben ingelicht."
        )
        #expect(
            en.effective
                == "These changes apply from 1 January 2027: they are already in force, or take effect sooner than the 30 days' notice we promise. We are sorry that we did not tell you in time."
        )
        #expect(
            nl.object
                == "Wat u nu kunt doen: bezwaar maken tegen het gebruik van uw gegevens, een toestemming die u ons gaf intrekken, of ons vragen uw gegevens te wissen. Dat kan altijd: antwoord op dit bericht of schrijf naar privacy@kaviaarshop.example."
        )
        #expect(
            en.object
                == "What you can do now: object to the use of your data, withdraw a consent you gave us, or ask us to erase your data. You can do so at any time: reply to this message or write to privacy@kaviaarshop.example."
        )
        #expect(
            nl.intro
                == "Op 1 januari 2027 verandert ons privacybeleid, of het is al veranderd. U ontvangt dit bericht omdat de onderstaande wijzigingen gegevens betreffen die wij al van u hebben, en wij hadden u dat eerder moeten laten weten:"
        )
        // The changes are told the same way; only what surrounds them differs.
        #expect(nl.changes.map(\.text) == Self.notice("nl").changes.map(\.text))
        let onTime = Self.notice("nl")
        #expect(onTime.effective == "Deze wijzigingen gaan in op 1 januari 2027. Tot die dag geldt het huidige beleid.")
        #expect(!onTime.object.contains("privacy@kaviaarshop.example") && onTime.object.contains("vóór 1 januari 2027"))
    }

    /// A message of mailmerge's dry run: its TO header and decoded body.
    struct Message {
        var to: String
        var body: String
    }

    /// Runs mailmerge's dry run over every message of one language's pair and splits its output into messages.
    static func dryRun(_ folder: URL, command: String) throws -> [Message] {
        try Data("[smtp_server]\nhost = 127.0.0.1\nport = 2525\n".utf8).write(
            to: folder.appendingPathComponent("mailmerge_server.conf"))
        let run = try NotifyEndToEndTests.tool([command, "--no-limit", "--output-format", "text"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        var messages: [Message] = []
        for chunk in run.stdout.components(separatedBy: ">>> message ").dropFirst() {
            guard !chunk.hasPrefix("\(chunk.prefix(while: \.isNumber)) sent"), !chunk.contains("limit was") else {
                continue
            }
            let text = chunk.replacingOccurrences(of: "\r\n", with: "\n")
            guard let split = text.range(of: "\n\n") else { continue }
            let headers = text[..<split.lowerBound].split(separator: "\n")
            let to = headers.first { $0.hasPrefix("TO: ") }.map { String($0.dropFirst(4)) } ?? ""
            messages.append(Message(to: to, body: String(text[split.upperBound...])))
        }
        return messages
    }

    /// The number of data rows of a database as Python's csv module reads it.
    static func rows(_ database: URL) throws -> Int {
        let count = try NotifyEndToEndTests.tool(
            [
                "python3", "-c", "import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline=''))))",
                database.path,
            ], in: database.deletingLastPathComponent())
        return Int(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    static func checkMessages(in output: URL, command: String) throws -> [String: [Message]] {
        var all: [String: [Message]] = [:]
        for language in ["en", "nl"] {
            let folder = output.appendingPathComponent(language)
            let messages = try dryRun(folder, command: command)
            #expect(messages.count == (try rows(folder.appendingPathComponent("mailmerge_database.csv"))))
            let ids = PolicyIds(versions: versions, language: language)
            for message in messages {
                // The greeting holds the customer's name, which may be anything; the rest is the policy's words.
                let body = message.body.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
                    .joined(separator: "\n")
                #expect(ids.found(in: body) == [], "\(language) message to \(message.to): \(body)")
                #expect(body.contains("- "), "every message lists a change")
            }
            all[language] = messages
        }
        return all
    }

    /// The sample's export (docs/samples), as the README's main job runs it.
    @Test func everyMailOfTheSampleIsInWords() throws {
        let command = try NotifyEndToEndTests.requireTools()
        let project = try NotifyEndToEndTests.project()
        defer { try? FileManager.default.removeItem(at: project) }
        try FileManager.default.createDirectory(
            at: project.appendingPathComponent("docs/samples"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Repo.root.appendingPathComponent("docs/samples/kaviaarshop-customers.csv"),
            to: project.appendingPathComponent("docs/samples/kaviaarshop-customers.csv"))
        try FileManager.default.removeItem(at: project.appendingPathComponent("policyc.yaml"))
        try FileManager.default.copyItem(
            at: Repo.root.appendingPathComponent("policyc.yaml"), to: project.appendingPathComponent("policyc.yaml"))
        let run = try runPolicyc(["notify", "kaviaarshop", "--today", "2026-11-25"], in: project)
        #expect(run.status == 0, "\(run.stderr)")
        let messages = try Self.checkMessages(
            in: project.appendingPathComponent("Output/notify/kaviaarshop/2027-01-01"), command: command)
        #expect(messages.values.map(\.count).reduce(0, +) == 6)
        let bodies = messages["nl"]!.map(\.body).joined()
        #expect(
            bodies.contains("Liam \"Lee\" O'Connor")
                || messages["en"]!.contains { $0.body.contains("Dear Liam \"Lee\" O'Connor,") })
        #expect(
            bodies.contains(
                "- Wij bewaren facturen met uw (persoons)gegevens 7 jaar in plaats van zolang de wet voorschrijft. De wet die dit voorschrijft: Artikel 52 Algemene wet inzake rijksbelastingen.\n"
            ))
    }

    /// Names with everything a CSV or a template can trip on, after the first kilobyte and before it, over random
    /// sets of categories: each message greets its customer by the name as given and names no id.
    @Test func everyMailOfAGeneratedExportIsInWordsAndGreetsByTheNameAsGiven() throws {
        let command = try NotifyEndToEndTests.requireTools()
        let project = try NotifyEndToEndTests.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let awkward = [
            "Jan \"Jantje\" Smit", "O'Brien, Emma", "Bakker; Kees", "=SUM(A1)", "+31 6 1234", "-Minus", "@handle",
            "{{ 7*7 }}", "{% raw %}x{% endraw %}", "{# c #}", "x;\"\";\"\";\"\";\"\"", "\u{200F}شيماء\u{200F}",
            "\u{202E}Reversed", "Line\u{2028}Separator", "Zoë Çelik-Ørsted", "'quoted'", "Tab\tName", "Jan\r\nJansen",
        ]
        let categories = ["name-address", "email", "order", "messages", "payment", "invoices", "website-usage"]
        var generator = SystemRandomNumberGenerator()
        var text = "E-mailadres;Naam;Taal;Klant sinds;Gegevens;Status\r\n"
        var names: [String: String] = [:]
        for index in 0..<400 {
            let name = index % 7 == 3 ? awkward[(index / 7) % awkward.count] + " \(index)" : "Klant \(index)"
            let held = categories.filter { _ in Bool.random(using: &generator) }
            let address = "k\(index)@example.nl"
            names[address] = name
            text +=
                [
                    address, NotifyEndToEndTests.csvField(name), ["nl", "en", ""][index % 3], "14-03-2019",
                    (held.isEmpty ? ["email"] : held).joined(separator: "|"), "active",
                ].joined(separator: ";") + "\r\n"
        }
        try Data(text.utf8).write(to: project.appendingPathComponent("klanten.csv"))
        let run = try runPolicyc(["notify", "kaviaarshop", "--today", "2026-11-25"], in: project)
        #expect(run.status == 0, "\(run.stderr)")
        let messages = try Self.checkMessages(
            in: project.appendingPathComponent("Output/notify/kaviaarshop/2027-01-01"), command: command)
        #expect(messages.values.map(\.count).reduce(0, +) == 400)
        // mailmerge's reader (its dialect guess included) and an RFC 4180 reader read every row alike, and so does
        // mailmerge when the rows come in the opposite order: the guess sees the header alone.
        let readers = #"""
            import csv, json, pathlib, sys
            from mailmerge.__main__ import read_csv_database
            path = pathlib.Path(sys.argv[1])
            def rfc4180(p):
                with open(p, newline="", encoding="utf-8") as f:
                    return [dict(r) for r in csv.DictReader(f, dialect="excel", strict=True)]
            ours = [dict(r) for r in read_csv_database(path)]
            lines = path.read_bytes().split(b"\r\n")
            flipped = path.with_name("flipped.csv")
            flipped.write_bytes(b"\r\n".join([lines[0]] + list(reversed([l for l in lines[1:] if l])) + [b""]))
            theirs = [dict(r) for r in read_csv_database(flipped)]
            print(json.dumps([ours == rfc4180(path), theirs == list(reversed(ours)), len(ours)]))
            """#
        for language in ["en", "nl"] {
            let folder = project.appendingPathComponent("Output/notify/kaviaarshop/2027-01-01/\(language)")
            let read = try NotifyEndToEndTests.tool(["python3", "-c", readers, "mailmerge_database.csv"], in: folder)
            #expect(read.status == 0, "\(read.stderr)")
            #expect(read.stdout == "[true, true, \(messages[language]?.count ?? -1)]\n", "\(language)")
        }
        for (language, list) in messages {
            for message in list {
                guard let start = message.to.lastIndex(of: "<") else { continue }
                let address = String(message.to[message.to.index(after: start)...].dropLast())
                // Control characters (line breaks, tabs) become spaces: the greeting is one line.
                let given = names[address, default: "?"].replacingOccurrences(of: "\r\n", with: " ")
                    .replacingOccurrences(of: "\t", with: " ")
                let greeting = language == "nl" ? "Beste \(given)," : "Dear \(given),"
                #expect(message.body.hasPrefix(greeting + "\n"), "\(address): \(message.body.prefix(80))")
            }
        }
    }
}
