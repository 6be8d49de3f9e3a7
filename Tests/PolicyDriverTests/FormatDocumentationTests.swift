import Foundation
import PolicyBase
import PolicyDiff
import PolicyModel
import Testing

/// docs/format.md and docs/changes.md are the reference editors and privacy officers work from: they must list every
/// field, rule and change kind the code knows, no more and no fewer.
@Suite struct FormatDocumentationTests {
    static func document(_ name: String) throws -> String {
        try String(contentsOf: Repo.root.appendingPathComponent("docs/\(name)"), encoding: .utf8)
    }

    /// The keys in the first column of the first table after the heading `### \`name\``.
    static func tableKeys(after name: String, in text: String) -> [String]? {
        guard let heading = text.range(of: "\n### `\(name)`\n") else { return nil }
        var keys: [String] = []
        var inTable = false
        for line in text[heading.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") || line.hasPrefix("### ") { break }
            if line.hasPrefix("| Key |") {
                inTable = true
                continue
            }
            guard inTable else { continue }
            if line.hasPrefix("| ---") { continue }
            guard line.hasPrefix("| `") else { break }
            let cell = line.dropFirst(3).prefix { $0 != "`" }
            keys.append(String(cell))
        }
        return inTable ? keys : nil
    }

    @Test(arguments: Schemas.all.map(\.name))
    func everySchemaFieldIsDocumentedInOrder(_ name: String) throws {
        let text = try Self.document("format.md")
        let schema = try #require(Schemas.all.first { $0.name == name })
        let documented = try #require(
            Self.tableKeys(after: name, in: text), "docs/format.md has no key table under ### `\(name)`")
        #expect(documented == schema.keys, "docs/format.md, ### `\(name)`")
    }

    /// Every rule of the catalogue is in docs/format.md's tables, with its severity; the ledger's rules, which only
    /// `publish` and `check` report about `published.lock`, are in docs/publish.md. (That the sources name no rule
    /// outside the catalogue is RuleCatalogueTests' job.)
    @Test func everyDiagnosticRuleIsDocumented() throws {
        let text = try Self.document("format.md")
        let publish = try Self.document("publish.md")
        let ledger: Set<Rule> = [.ledgerSyntax, .publishedVersionChanged, .publishedVersionMissing]
        for rule in Rule.all {
            if ledger.contains(rule) {
                #expect(publish.contains("(`\(rule.id)`"), "docs/publish.md lacks rule \(rule.id)")
                continue
            }
            #expect(
                ["error", "warning", "error / warning", "note"].contains { text.contains("| `\(rule.id)` | \($0) |") },
                "docs/format.md lacks rule \(rule.id)")
        }
    }

    @Test func everyChangeKindIsDocumented() throws {
        let text = try Self.document("changes.md")
        let kindsSection = try #require(text.range(of: "## Kinds").map { text[$0.upperBound...] }).prefix { _ in true }
        for kind in ChangeKind.allCases {
            #expect(kindsSection.contains("`\(kind.rawValue)`"), "docs/changes.md lacks kind \(kind.rawValue)")
        }
        for reason in ReviewReason.allCases {
            #expect(text.contains("| `\(reason.rawValue)` |"), "docs/changes.md lacks review reason \(reason.rawValue)")
        }
    }

    @Test func everyVocabularyWordIsDocumented() throws {
        let text = try Self.document("format.md")
        func check<V: RawRepresentable & CaseIterable>(_ type: V.Type) where V.RawValue == String {
            for value in V.allCases {
                #expect(text.contains("| `\(value.rawValue)` |"), "docs/format.md lacks \(value.rawValue)")
            }
        }
        check(LegalBasis.self)
        check(RecipientRole.self)
        check(TransferGround.self)
        check(RetentionEvent.self)
        check(RetentionStart.self)
        check(RightKind.self)
        check(Channel.self)
        check(AutomatedDecisionGround.self)
        check(SpecialCategoryCondition.self)
        check(CookieCategory.self)
        check(Region.self)
        check(Law.self)
    }
}
