import Foundation
import PolicyBase
import PolicyModel
import PolicyPresent
import Testing

@testable import PolicyNotify

final class MemorySink: ByteSink {
    var bytes: [UInt8] = []
    func write(_ bytes: [UInt8]) throws { self.bytes += bytes }
    var text: String { String(decoding: bytes, as: UTF8.self) }
}

@Suite("Output files")
struct OutputTests {
    @Test func cellsASpreadsheetWouldExecuteAreNeutralised() {
        for (value, expected) in [
            ("=1+1", "\"'=1+1\""), ("+31 6", "\"'+31 6\""), ("-2", "\"'-2\""), ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("\tx", "\"'\tx\""), ("\rx", "\"'\rx\""), ("a=b", "\"a=b\""), ("Jan \"J\"", "\"Jan \"\"J\"\"\""),
            ("", "\"\""),
        ] {
            var out: [UInt8] = []
            CSVCell.append(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == expected, "\(value)")
        }
    }

    @Test func templateTextIsNeverTemplateSyntax() {
        #expect(
            MailMerge.literal("a {{ 7*7 }} b {% raw %} {# c #}")
                == "a {{ '{' }}{{ '{' }} 7*7 }} b {{ '{' }}% raw %} {{ '{' }}# c #}")
    }

    static func notice(_ language: String) -> NoticeText {
        NoticeText(
            language: language, subject: "Änderungen {{x}}", greetingBeforeName: "Dear ", greetingAfterName: ",",
            greetingWithoutName: "Dear customer,", intro: "Intro",
            changes: [(id: "A", text: "Change {A}"), (id: "B", text: "Change B")],
            effective: "Effective", links: ["https://example.com/p/"], object: "Object", questions: "Questions",
            closing: "Regards,", signature: "Shop")
    }

    @Test func theTemplateKeepsCustomerValuesAsVariablesAndEncodesTheName() {
        let text = MailMerge.template(
            Self.notice("en"), headers: .init(from: "Shop <shop@example.com>", replyTo: "help@example.com"))
        #expect(
            text == """
                TO: {% if to_name %}=?utf-8?b?{{ to_name }}?= {% endif %}<{{ email }}>
                SUBJECT: =?utf-8?b?w4RuZGVydW5nZW4ge3t4fX0=?=
                FROM: Shop <shop@example.com>
                REPLY-TO: help@example.com
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8

                {% if name %}Dear {{ name }},{% else %}Dear customer,{% endif %}

                Intro

                {% if change_1 %}- Change {{ '{' }}A}
                {% endif %}{% if change_2 %}- Change B
                {% endif %}
                Effective

                https://example.com/p/

                Object
                Questions

                Regards,
                Shop

                """)
    }

    @Test func theDatabaseRowCarriesTheNameAsGivenAndALinePerChange() {
        let header = MailMerge.databaseHeader(changes: 2)
        #expect(header.dropLast() == ["quotes are \"doubled\"", "email", "to_name", "name", "change_1", "change_2"])
        #expect(header.last?.hasPrefix("this column and the first stay empty") == true)
        // The header row alone fills the kilobyte mailmerge guesses the dialect from, whatever the number of changes.
        for changes in [0, 1, 2, 5, 40, 100] {
            let row = CSVCell.row(MailMerge.databaseHeader(changes: changes), neutralising: false)
            #expect(row.count - 2 >= MailMerge.firstKilobyte, "\(changes) changes")
            #expect(row.count - 2 <= max(MailMerge.firstKilobyte, 40 + 13 * changes + 200), "\(changes) changes")
        }
        let row = MailMerge.databaseRow(address: "a@example.com", name: "=Noah, \"N\" =1", data: ["", "e-mail {B}"])
        #expect(
            row == [
                "", "a@example.com", Data("=Noah, \"N\" =1".utf8).base64EncodedString(), "=Noah, \"N\" =1", "",
                "e-mail {B}", "",
            ])
        #expect(
            String(decoding: CSVCell.row(row, neutralising: false), as: UTF8.self)
                == "\"\",\"a@example.com\",\"PU5vYWgsICJOIiA9MQ==\",\"=Noah, \"\"N\"\" =1\",\"\",\"e-mail {B}\",\"\"\r\n"
        )
    }

    @Test func writingIsDeterministicAndCountsPerChangeAddUp() throws {
        typealias C = ListSource.Customer
        let customers = [
            C(
                email: "b@example.com", name: "=HYPERLINK(\"x\")", language: "nl", collected: World.before,
                categories: ["email", "order"]),
            C(email: "a@example.com", name: "Ann", language: "xx", collected: World.before, categories: ["order"]),
            C(email: "bad", collected: World.before),
        ]
        func run() throws -> [String: String] {
            let selection = try World.select(customers)
            var sinks: [String: MemorySink] = [:]
            let notice = ["en": Self.notice("en"), "nl": Self.notice("nl")]
            let written = try Notify.write(
                selection,
                run: NoticeRun(
                    policy: "shop", version: "2027-01-01", previous: "2020-01-01",
                    originalLanguage: "nl", notices: notice,
                    headers: .init(from: "s@example.com", replyTo: nil),
                    jsonLines: true, source: "customers.csv")
            ) { name in
                let sink = MemorySink()
                sinks[name] = sink
                return sink
            }
            #expect(written.recipientsPerChange == [1, 2])
            #expect(written.files.keys.sorted() == sinks.keys.sorted())
            for (name, sink) in sinks { #expect(written.files[name] == Digest.sha256(sink.bytes), "\(name)") }
            return sinks.mapValues(\.text)
        }
        let first = try run()
        #expect(try run() == first)
        #expect(
            first["recipients.csv"] == """
                "email","name","language","changes"\r
                "a@example.com","Ann","nl","B"\r
                "b@example.com","'=HYPERLINK(""x"")","nl","A B"\r

                """)
        #expect(
            first["recipients.jsonl"] == """
                {"changes":["B"],"email":"a@example.com","language":"nl","name":"Ann"}
                {"changes":["A","B"],"email":"b@example.com","language":"nl","name":"=HYPERLINK(\\"x\\")"}

                """)
        #expect(
            first["en/mailmerge_database.csv"]
                == String(
                    decoding: CSVCell.row(MailMerge.databaseHeader(changes: 2), neutralising: false), as: UTF8.self))
        // The name as given in the database mailmerge reads; a notice without lines marks the changes with "x".
        #expect(
            first["nl/mailmerge_database.csv"]?.hasSuffix(
                "\"\",\"a@example.com\",\"QW5u\",\"Ann\",\"\",\"x\",\"\"\r\n"
                    + "\"\",\"b@example.com\",\"PUhZUEVSTElOSygieCIp\",\"=HYPERLINK(\"\"x\"\")\",\"x\",\"x\",\"\"\r\n")
                == true, "\(first["nl/mailmerge_database.csv"] ?? "")")
        #expect(first["rejects.csv"] == "\"row\",\"reason\"\r\n\"4\",\"not exactly one '@'\"\r\n")
        #expect(first["report.json"]?.contains("\"not-affected\" : 0") == true)
    }

    /// The renderer writes into memory reserved for an upper bound of each output (checked on every write in debug
    /// builds): values that escape to the most bytes must fit, and come out as the general escaping writes them.
    @Test func valuesThatEscapeToTheMostBytesFitAndMatchTheGeneralEscaping() throws {
        typealias C = ListSource.Customer
        let names = [
            String(repeating: "\"", count: 200), String(repeating: "\\", count: 200),
            "\"" + String(repeating: "é", count: 99),
            "@" + String(repeating: "\"\\", count: 99), "",
        ]
        let customers = names.enumerated().map { index, name in
            C(
                email: "p\(index)@example.com", name: name, language: index % 2 == 0 ? "nl" : "en",
                collected: World.before,
                categories: ["email", "order"])
        }
        let selection = try World.select(customers)
        var sinks: [String: MemorySink] = [:]
        _ = try Notify.write(
            selection,
            run: NoticeRun(
                policy: "shop", version: "2027-01-01", previous: "2020-01-01",
                originalLanguage: "nl", notices: ["en": Self.notice("en"), "nl": Self.notice("nl")],
                headers: .init(from: "s@example.com", replyTo: nil),
                jsonLines: true, source: "customers.csv")
        ) { name in
            let sink = MemorySink()
            sinks[name] = sink
            return sink
        }
        var csv = CSVCell.row(["email", "name", "language", "changes"])
        var jsonl: [UInt8] = []
        var databases: [String: [UInt8]] = [
            "nl": CSVCell.row(MailMerge.databaseHeader(changes: 2), neutralising: false),
            "en": CSVCell.row(MailMerge.databaseHeader(changes: 2), neutralising: false),
        ]
        for recipient in try selection.recipients {
            let language = recipient.language == 1 ? "en" : "nl"
            #expect(World.plan.vocabulary.languages[Int(recipient.language)] == language)
            csv += CSVCell.row([recipient.address, recipient.name, language, "A B"])
            jsonl += Array(#"{"changes":["A","B"],"email":"#.utf8)
            JSONText.append(recipient.address, to: &jsonl)
            jsonl += Array(#","language":"#.utf8)
            JSONText.append(language, to: &jsonl)
            jsonl += Array(#","name":"#.utf8)
            JSONText.append(recipient.name, to: &jsonl)
            jsonl += Array("}\n".utf8)
            databases[language]! += CSVCell.row(
                MailMerge.databaseRow(address: recipient.address, name: recipient.name, data: ["x", "x"]),
                neutralising: false)
        }
        #expect(try selection.recipients.map(\.name).sorted() == names.sorted())
        #expect(sinks["recipients.csv"]?.bytes == csv)
        #expect(sinks["recipients.jsonl"]?.bytes == jsonl)
        #expect(sinks["nl/mailmerge_database.csv"]?.bytes == databases["nl"])
        #expect(sinks["en/mailmerge_database.csv"]?.bytes == databases["en"])
    }

    @Test func theLedgerSaysWhatDiffers() throws {
        var counts = Selection.Counts()
        counts.rows = 10
        counts.notified = 4
        let a = LedgerRecord(
            version: "2027-01-01", date: "2026-11-25", counts: counts, recipientsSHA256: "r1",
            templatesSHA256: ["en": "e1", "nl": "n1"], forced: false)
        var b = a
        #expect(b.differences(from: a).isEmpty)
        b.recipientsSHA256 = "r2"
        b.templatesSHA256["nl"] = "n2"
        b.counts.notified = 5
        #expect(b.differences(from: a) == ["the recipient list", "the nl message template", "notified 4 → 5"])
        let parsed = LedgerRecord.parse("# comment\n" + a.line + "\n" + b.line + "\n", path: "notified.lock")
        #expect(try parsed.get() == [a, b])
        #expect(!a.line.contains("\n"))
        guard case .failure(let problem) = LedgerRecord.parse("{\"version\": 1}\n", path: "Policies/shop/notified.lock")
        else {
            Issue.record("a broken ledger line must be an error")
            return
        }
        #expect(
            problem.message
                == "Policies/shop/notified.lock:1: not a ledger record; the ledger is written by policyc notify and policyc sent, fix or restore it from version control"
        )
    }

    /// Prepared and sent are told apart; a record of the first format (no `event`) reads as prepared and sent, and a
    /// new preparation after a sent one is not sent until its own `sent` record.
    @Test func theLedgerTellsPreparedFromSent() throws {
        var counts = Selection.Counts()
        counts.notified = 4
        let prepared = LedgerRecord(
            version: "2027-01-01", date: "2026-11-25", counts: counts, recipientsSHA256: "r1",
            templatesSHA256: ["nl": "n1"], forced: false, late: true)
        #expect(
            prepared.line
                == #"{"counts":{"collected-on-or-after":0,"duplicate":0,"erased":0,"invalid":0,"not-affected":0,"notified":4,"notified-objected-or-restricted":0,"notified-without-date":0,"rows":0},"date":"2026-11-25","event":"prepared","forced":false,"late":true,"recipients-sha256":"r1","templates-sha256":{"nl":"n1"},"version":"2027-01-01"}"#
        )
        let sent = SentRecord(version: "2027-01-01", date: "2026-11-26", count: 4, prepared: 4, recipientsSHA256: "r1")
        #expect(
            sent.line
                == #"{"count":4,"date":"2026-11-26","event":"sent","prepared":4,"recipients-sha256":"r1","version":"2027-01-01"}"#
        )
        let legacy =
            #"{"counts":{"collected-on-or-after":0,"duplicate":0,"erased":0,"invalid":0,"not-affected":0,"notified":4,"notified-objected-or-restricted":0,"notified-without-date":0,"rows":0},"date":"2026-03-01","forced":false,"recipients-sha256":"r0","templates-sha256":{"nl":"n0"},"version":"2026-04-01"}"#
        let entries = try NotifyLedger.parse([legacy, prepared.line, sent.line].joined(separator: "\n"), path: "l")
            .get()
        #expect(entries.count == 3)
        let old = NotifyLedger.VersionState(entries, version: "2026-04-01")
        #expect(old.prepared?.event == nil && old.wasSent && old.sent == nil)
        let new = NotifyLedger.VersionState(entries, version: "2027-01-01")
        #expect(new.prepared == prepared && new.sent == sent && new.wasSent)
        var again = prepared
        again.recipientsSHA256 = "r2"
        let later = NotifyLedger.VersionState(entries + [.prepared(again)], version: "2027-01-01")
        #expect(later.prepared == again && later.sent == nil && !later.wasSent)
        #expect(NotifyLedger.VersionState(entries, version: "2028-01-01") == NotifyLedger.VersionState([], version: ""))
    }
}
