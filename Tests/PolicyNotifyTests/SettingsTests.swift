import Foundation
import PolicyBase
import PolicyModel
import Testing

@Suite("notify settings in policyc.yaml")
struct SettingsTests {
    func read(_ yaml: String) -> (NotifySettings, [String]) {
        let (config, diagnostics) = ProjectConfig.read(bytes: Array(yaml.utf8), path: "policyc.yaml")
        return (config.notify, diagnostics.map(\.formatted))
    }

    @Test func aFullSectionIsRead() {
        let (settings, problems) = read(
            """
            notify:
              customers: exports/klanten.csv
              delimiter: ";"
              encoding: windows-1252
              date-format: dd-mm-yyyy
              columns:
                email: E-mailadres
                name: Naam
                language: Taal
                collected: Klant sinds
                status: Status
              derive:
                - column: Aantal bestellingen
                  when: non-zero
                  categories: [order, payment, invoices]
                - column: Nieuwsbrief
                  when: non-empty
                  categories: email
              from: Kaviaarshop <privacy@example.nl>
              reply-to: vragen@example.nl
              base-url: https://www.example.nl/privacy/
            """)
        #expect(problems.isEmpty)
        #expect(settings.customers == "exports/klanten.csv")
        #expect(settings.delimiter == .semicolon)
        #expect(settings.encoding == .windows1252)
        #expect(settings.dateFormat == .dayMonthYearDash)
        #expect(settings.columns[.email] == "E-mailadres")
        #expect(settings.columns[.categories] == "categories")
        #expect(settings.namedColumns == [.email, .name, .language, .collected, .status])
        #expect(
            settings.derive == [
                NotifySettings.Derivation(
                    column: "Aantal bestellingen", when: .nonZero, categories: ["order", "payment", "invoices"]),
                NotifySettings.Derivation(column: "Nieuwsbrief", when: .nonEmpty, categories: ["email"]),
            ])
        #expect(settings.from == "Kaviaarshop <privacy@example.nl>")
        #expect(settings.replyTo == "vragen@example.nl")
        #expect(settings.baseURL == "https://www.example.nl/privacy")
    }

    /// A name from a first and a last name column; the mail server settings, never a password.
    @Test func nameColumnsAndTheMailServer() throws {
        let (settings, problems) = read(
            """
            notify:
              columns:
                name: [Voornaam, Achternaam]
              smtp:
                host: smtp.example.com
                port: 465
                security: SSL/TLS
                username: privacy@example.com
            """)
        #expect(problems.isEmpty)
        #expect(settings.columns[.name] == "Voornaam")
        #expect(settings.columns.nameParts == ["Voornaam", "Achternaam"])
        #expect(settings.namedColumns == [.name])
        #expect(
            settings.smtp
                == NotifySettings.SMTP(
                    host: "smtp.example.com", port: 465, security: .sslTLS, username: "privacy@example.com"))
        let (one, _) = read("notify:\n  columns:\n    name: Naam\n")
        #expect(one.columns[.name] == "Naam" && one.columns.nameParts.isEmpty)
        let (_, refused) = read(
            """
            notify:
              smtp:
                host: smtp.example.com
                security: STARTTLS
                password: geheim
            """)
        let documentation = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("docs/config.md"), encoding: .utf8)
        #expect(
            documentation.contains("```\n" + refused.joined(separator: "\n") + "\n```\n"), "docs/config.md quotes them")
        #expect(
            refused == [
                "policyc.yaml:4:15: error: the smtp settings need a 'username' for security STARTTLS, as mailmerge logs in with it (empty-value)",
                "policyc.yaml:5:15: error: a password does not belong in policyc.yaml, which is committed; remove it: mailmerge asks for it when it sends (invalid-value)",
            ])
    }

    @Test func defaultsWhenTheSectionIsEmpty() {
        let (settings, problems) = read("notify:\n")
        #expect(problems.isEmpty)
        #expect(settings == NotifySettings())
        #expect(settings.delimiter == nil)
        #expect(settings.columns[.email] == "email")
    }

    @Test func problemsAreReportedWithFileLineAndColumn() {
        let (_, problems) = read(
            """
            notify:
              customer: klanten.csv
              delimiter: "|"
              encoding: latin-1
              date-format: mm/dd/yyyy
              columns:
                mail: E-mail
              derive:
                - column: Bestellingen
                  categories: []
                  if: x
              from: "Shop <a@example.com>, b@example.com"
              reply-to: nobody
              base-url: www.example.nl
            """)
        #expect(
            problems == [
                "policyc.yaml:2:3: error: unknown key 'customer' in the notify settings; did you mean 'customers'? (unknown-key)",
                "policyc.yaml:3:14: error: unknown delimiter '|' in the notify settings; did you mean ','? (invalid-value)",
                "policyc.yaml:4:13: error: unknown encoding 'latin-1' in the notify settings; use one of utf-8, windows-1252 (invalid-value)",
                "policyc.yaml:5:16: error: unknown date-format 'mm/dd/yyyy' in the notify settings; use one of iso, dd-mm-yyyy, dd/mm/yyyy (invalid-value)",
                "policyc.yaml:7:5: error: unknown key 'mail' in the notify columns; did you mean 'email'? (unknown-key)",
                "policyc.yaml:10:19: error: 'categories' in derive rule 1 is empty; list at least one (empty-value)",
                "policyc.yaml:11:7: error: unknown key 'if' in derive rule 1 (unknown-key)",
                "policyc.yaml:12:9: error: 'from' in the notify settings must be one email address, optionally as 'Name <address>', without commas, semicolons or braces (invalid-value)",
                "policyc.yaml:13:13: error: 'reply-to' in the notify settings must be one email address, optionally as 'Name <address>', without commas, semicolons or braces (invalid-value)",
                "policyc.yaml:14:13: error: 'base-url' in the notify settings must be an http or https URL without spaces or braces (invalid-value)",
            ])
    }

    @Test func deriveMustBeAList() {
        let (_, problems) = read("notify:\n  derive: Aantal bestellingen\n")
        #expect(
            problems == [
                "policyc.yaml:2:11: error: expected a list of rules for 'derive' in the notify settings, found 'Aantal bestellingen' (type-mismatch)"
            ])
    }
}
