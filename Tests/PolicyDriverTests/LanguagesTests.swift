import Foundation
import Testing

/// A policy written in French or German is read in French or German everywhere policyc writes for it (reports,
/// pages, mails), and a policy in a language policyc has no words for is stopped at `check`. Runs the built binary on
/// a small policy whose original is English and whose translations are French and German.
@Suite struct LanguagesTests {
    /// The words of one language file: its labels and prose (the facts are the same in every language).
    struct Words {
        var title: String
        var summary: String
        var heading: String
        var email: String
        var address: String
        var orders: String
        var prose: String
        var statute: String
        var rights: [String]
    }

    static let words: [String: Words] = [
        "en": Words(
            title: "Privacy policy", summary: "Mailer now sends our order emails.", heading: "Privacy policy",
            email: "Email address", address: "Name and address", orders: "Handling your orders",
            prose: "We process your data to deliver your orders.", statute: "Tax law",
            rights: ["Access", "Rectification", "Erasure", "Restriction", "Portability", "Objection", "Complaint"]),
        "fr": Words(
            title: "Politique de confidentialité", summary: "Mailer envoie désormais nos e-mails de commande.",
            heading: "Politique de confidentialité", email: "Adresse e-mail", address: "Nom et adresse",
            orders: "Traitement de vos commandes", prose: "Nous traitons vos données pour livrer vos commandes.",
            statute: "Droit fiscal",
            rights: ["Accès", "Rectification", "Effacement", "Limitation", "Portabilité", "Opposition", "Réclamation"]),
        "de": Words(
            title: "Datenschutzerklärung", summary: "Mailer versendet jetzt unsere Bestell-E-Mails.",
            heading: "Datenschutzerklärung", email: "E-Mail-Adresse", address: "Name und Anschrift",
            orders: "Abwicklung Ihrer Bestellungen",
            prose: "Wir verarbeiten Ihre Daten, um Ihre Bestellungen zu liefern.",
            statute: "Steuerrecht",
            rights: [
                "Auskunft", "Berichtigung", "Löschung", "Einschränkung", "Übertragbarkeit", "Widerspruch", "Beschwerde",
            ]
        ),
    ]

    static let mailer = """
        ```recipient
        id: mailer
        name: Mailer
        role: processor
        country: US
        transfer-grounds: [standard-contractual-clauses]
        categories: [email]
        purposes: [orders]
        ```

        """

    /// One file of the shop's policy: the first version (2029) or the second (2030), which adds a recipient of data
    /// already held in the United States and keeps the data longer, changes customers must be told about.
    static func file(_ language: String, second: Bool) -> String {
        let w = words[language]!
        let rights = zip(
            ["access", "rectification", "erasure", "restriction", "portability", "objection", "complaint"], w.rights
        )
        .map { "- id: \($0.0)\n  label: \($0.1)\n  channels: [email]\n  response: P30D\n" }.joined()
        return """
            ---
            policy: boutique
            title: \(w.title)
            language: \(language)
            \(language == "en" ? "" : "translation-of: en\n")effective: \(second ? "2030-01-01" : "2029-01-01")
            \(second ? "announced: 2029-11-01\nsummary: \(w.summary)\n" : "")controller:
              name: Boutique Lumière
              email: privacy@boutique.example
              country: FR
            supervisory-authority:
              name: CNIL
              country: FR
            ---

            # \(w.heading)

            \(w.prose)

            ```category
            - id: email
              label: \(w.email)
              required: true
            - id: name-address
              label: \(w.address)
              required: true
            ```

            ```purpose
            id: orders
            label: \(w.orders)
            basis: contract
            categories: [email, name-address]
            ```

            ```recipient
            id: carrier
            name: Colis Rapide
            role: processor
            country: FR
            categories: [name-address]
            purposes: [orders]
            ```

            \(second ? mailer : "")```retention
            id: orders
            categories: [email, name-address]
            duration: \(second ? "P7Y" : "P2Y")
            statute: \(w.statute)
            ```

            ```right
            \(rights)```

            """
    }

    /// The shop's sources in every language, a customer export with one customer a language, and its settings.
    static func project() throws -> URL {
        var files: [String: String] = [:]
        for language in ["en", "fr", "de"] {
            files["Policies/boutique/2029-01-01.\(language).md"] = file(language, second: false)
            files["Policies/boutique/2030-01-01.\(language).md"] = file(language, second: true)
        }
        files["customers.csv"] = """
            email,name,language,collected,categories
            claire@example.fr,Claire Dubois,fr,2028-05-01,email|name-address
            jonas@example.de,Jonas Weiß,de,2028-06-01,email
            emma@example.com,Emma Stone,en,2028-07-01,email

            """
        files["policyc.yaml"] = """
            notify:
              customers: customers.csv
              columns:
                email: email
                name: name
                language: language
                collected: collected
                categories: categories
              from: Boutique Lumière <privacy@boutique.example>
              base-url: https://boutique.example/privacy

            """
        return try temporaryPolicies(files)
    }

    /// SOURCE_DATE_EPOCH of 2029-10-15, before the second version is announced.
    static let day = ["SOURCE_DATE_EPOCH": "1886716800"]

    @Test func frenchAndGermanTranslationsCheckClean() throws {
        let folder = try Self.project()
        let result = try runPolicyc(["check"], in: folder, environment: Self.day)
        #expect(result.stderr == "checked 6 files: 0 errors, 0 warnings\n")
        #expect(result.status == 0)
    }

    @Test func diffReportsAreInTheLanguageCompared() throws {
        let folder = try Self.project()
        let french = try runPolicyc(["diff", "boutique", "--language", "fr"], in: folder, environment: Self.day)
        #expect(french.status == 0, "\(french.stderr)")
        let frenchLines = french.stdout.split(separator: "\n").map(String.init)
        #expect(
            frenchLines.first
                == "Politique de confidentialité\u{A0}: 1er janvier 2029 → 1er janvier 2030 (français), annoncée le 1er novembre 2029"
        )
        #expect(
            frenchLines.contains(
                "MODIFICATIONS CONCERNANT DES DONNÉES QUE NOUS DÉTENONS DÉJÀ (3)\u{A0}: nous vous en informons avant leur entrée en vigueur"
            ))
        #expect(
            frenchLines.contains(
                "  Un nouveau destinataire, Mailer, reçoit des données que nous détenons déjà (adresse e-mail)"))
        #expect(frenchLines.contains("  Mailer traite désormais vos données hors de l’EEE (pays\u{A0}: États-Unis)"))
        #expect(
            frenchLines.contains(
                "  Durée de conservation pour adresse e-mail\u{A0}; et nom et adresse\u{A0}: 7 ans (auparavant\u{A0}: 2 ans)"
            ))
        let german = try runPolicyc(
            ["diff", "boutique", "--language", "de", "--format", "markdown"], in: folder, environment: Self.day)
        #expect(german.status == 0, "\(german.stderr)")
        #expect(german.stdout.hasPrefix("### Datenschutzerklärung: 1. Januar 2029 → 1. Januar 2030 (Deutsch)\n\n"))
        #expect(
            german.stdout.contains(
                "- Ein neuer Empfänger, Mailer, erhält Daten, die wir bereits von Ihnen haben (E-Mail-Adresse)"))
        #expect(
            german.stdout.contains(
                "#### Änderungen an Daten, die wir bereits von Ihnen haben: wir informieren Sie, bevor sie wirksam werden\n"
            ))
        #expect(
            german.stdout.contains("Mailer verarbeitet Ihre Daten künftig außerhalb des EWR (Land: Vereinigte Staaten)")
        )
        for output in [french.stdout, german.stdout] { expectNoEnglish(output) }
    }

    @Test func publishedPagesAreInTheLanguageOfTheFile() throws {
        let folder = try Self.project()
        let result = try runPolicyc(["publish", "--out", "site"], in: folder, environment: Self.day)
        #expect(result.status == 0, "\(result.stderr)")
        func page(_ path: String) throws -> String {
            try String(contentsOf: folder.appendingPathComponent("site/\(path)"), encoding: .utf8)
        }
        let french = try page("boutique/fr/2029-01-01/index.html")
        #expect(french.contains("En vigueur depuis le 1er janvier 2029"))
        #expect(french.contains("Vos données en un coup d’œil"))
        let german = try page("boutique/de/2030-01-01/changes/index.html")
        #expect(german.contains("Was sich am 1. Januar 2030 ändert"))
        #expect(
            german.contains(
                "Ein neuer Empfänger, Mailer, erhält Daten, die wir bereits von Ihnen haben (E-Mail-Adresse)"))
        for text in [french, german] { expectNoEnglish(visibleText(text)) }
    }

    @Test func noticesAreInTheCustomersLanguage() throws {
        let folder = try Self.project()
        let result = try runPolicyc(["notify", "boutique"], in: folder, environment: Self.day)
        #expect(result.status == 0, "\(result.stderr)")
        let output = folder.appendingPathComponent("Output/notify/boutique/2030-01-01")
        let french = try String(contentsOf: output.appendingPathComponent("fr/mailmerge_template.txt"), encoding: .utf8)
        let german = try String(contentsOf: output.appendingPathComponent("de/mailmerge_template.txt"), encoding: .utf8)
        #expect(french.contains("Le 1er janvier 2030, notre politique de confidentialité change."))
        #expect(
            french.contains(
                "Si vous n’êtes pas d’accord, vous pouvez vous y opposer, ou nous demander d’effacer vos données, avant le 1er janvier 2030."
            ))
        #expect(
            german.contains(
                "Diese Änderungen werden am 1. Januar 2030 wirksam. Bis dahin gilt die aktuelle Datenschutzerklärung."))
        #expect(german.contains("Mit freundlichen Grüßen"))
        #expect(subject(french) == "Modifications de notre politique de confidentialité à compter du 1er janvier 2030")
        #expect(subject(german) == "Änderungen unserer Datenschutzerklärung zum 1. Januar 2030")
        // Each customer is in the files of their own language.
        let frenchRows = try String(
            contentsOf: output.appendingPathComponent("fr/mailmerge_database.csv"), encoding: .utf8)
        let germanRows = try String(
            contentsOf: output.appendingPathComponent("de/mailmerge_database.csv"), encoding: .utf8)
        #expect(frenchRows.contains("claire@example.fr") && !frenchRows.contains("jonas@example.de"))
        #expect(germanRows.contains("jonas@example.de") && !germanRows.contains("claire@example.fr"))
        for text in [french, german] { expectNoEnglish(text) }
    }

    /// The exact error, at the `language` value of the file, naming what to write instead.
    @Test func aLanguageWithoutWordsIsAnErrorAtCheck() throws {
        let spanish = Self.file("en", second: false).replacingOccurrences(of: "language: en", with: "language: es")
        let folder = try temporaryPolicies(["boutique/2029-01-01.es.md": spanish])
        let result = try runPolicyc(["check", "boutique"], in: folder, environment: Self.day)
        #expect(result.status == 1)
        #expect(
            result.stderr == """
                boutique/2029-01-01.es.md:4:11: error: policyc has no words for Spanish ('es'): the pages, mails and reports of this file would mix in another language; write it in Dutch ('nl'), English ('en'), French ('fr') or German ('de') (language-unsupported)
                checked 1 file: 1 error, 0 warnings

                """)
        // Every command that writes for the policy stops at the same error.
        let diff = try runPolicyc(["diff", "boutique", "--policies", "."], in: folder, environment: Self.day)
        #expect(diff.stderr.contains("(language-unsupported)"))
        #expect(diff.status == 2)
    }

    /// The template's subject, decoded from its RFC 2047 encoded word.
    func subject(_ template: String) -> String? {
        guard let line = template.split(separator: "\n").first(where: { $0.hasPrefix("SUBJECT: =?utf-8?b?") }),
            let data = Data(base64Encoded: String(line.dropFirst("SUBJECT: =?utf-8?b?".count).dropLast(2)))
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// English words that the French and German tables never use: a report that holds one mixed English in.
    static let englishWords = [
        "the ", "data we", "Changes", "receives", "recipient", "policy ", " and ", "Dear", "Kind regards",
        "takes effect", "January", "years", "announced", "In force",
    ]

    func expectNoEnglish(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for word in Self.englishWords {
            #expect(!text.contains(word), "English '\(word)' in: \(text)", sourceLocation: sourceLocation)
        }
    }

    /// A page's text without its markup, its addresses and its JSON and TILT links, which are in English by design.
    func visibleText(_ html: String) -> String {
        html.replacing(/<[^>]*>/, with: " ")
    }
}
