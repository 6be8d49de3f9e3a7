import Foundation
import PolicyModel
import Testing

@testable import PolicyPresent

@Suite("Languages policyc has words for")
struct LanguageCheckTests {
    static func compiled(_ language: String) -> CompiledDocument {
        let text = """
            ---
            policy: shop
            title: Policy
            language: \(language)
            effective: 2029-01-01
            controller:
              name: Shop
            ---

            # Policy

            """
        return Compiler.compile(bytes: Array(text.utf8), path: "shop/2029-01-01.\(language).md")
    }

    /// The error is at the `language` value, and only for a language without a table; a regional tag uses its
    /// language's table.
    @Test func onlyALanguageWithoutATableIsAnError() {
        let problems = LanguageCheck.check(
            ["en", "nl", "fr", "de", "fr-BE", "de-AT", "es", "pt-BR"].map(Self.compiled))
        #expect(
            problems.map { "\($0.location): \($0.severity): \($0.message) (\($0.rule))" } == [
                "shop/2029-01-01.es.md:4:11: error: policyc has no words for Spanish ('es'): the pages, mails and reports of this file would mix in another language; write it in Dutch ('nl'), English ('en'), French ('fr') or German ('de') (language-unsupported)",
                "shop/2029-01-01.pt-BR.md:4:11: error: policyc has no words for Portuguese ('pt-BR'): the pages, mails and reports of this file would mix in another language; write it in Dutch ('nl'), English ('en'), French ('fr') or German ('de') (language-unsupported)",
            ])
    }

    /// docs/format.md's "Languages" lists exactly the languages with a table, and shows the error as `check` writes it.
    @Test func theFormatDocumentListsEveryLanguage() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/format.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "### Languages\n").dropFirst().first)
            .components(separatedBy: "\n### ")[0]
        let rows = section.split(separator: "\n").filter { $0.hasPrefix("| `") }.map(String.init)
        #expect(rows == Presenter.languages.map { "| `\($0)` | \(LanguageCheck.englishName($0)!) |" })
        #expect(section.contains(": error: \(LanguageCheck.message("es")) (language-unsupported)\n"))
    }
}
