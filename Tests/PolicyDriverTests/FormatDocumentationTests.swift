import Foundation
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
            if line.hasPrefix("| Key |") { inTable = true; continue }
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
        let documented = try #require(Self.tableKeys(after: name, in: text), "docs/format.md has no key table under ### `\(name)`")
        #expect(documented == schema.keys, "docs/format.md, ### `\(name)`")
    }

    /// Every rule id the compiler, the source reader and the checks can emit, found in the sources.
    static func ruleIDsInSources() throws -> Set<String> {
        let folders = ["PolicySource", "PolicyModel", "PolicyDiff", "PolicyDriver"]
        var ids = Set<String>()
        // `rule: "x"` (Diagnostic initialisers, schema warnings) and `"x", at:` / `"x", element:` (the compiler's sink),
        // wherever the call's lines break.
        let patterns = [#/rule: "([a-z][a-z0-9-]*)"/#, #/"([a-z][a-z0-9-]*)",\s*(?:at|element):/#]
        for folder in folders {
            let url = Repo.root.appendingPathComponent("Sources/\(folder)")
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name.hasSuffix(".swift") {
                let source = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
                for pattern in patterns {
                    for match in source.matches(of: pattern) { ids.insert(String(match.output.1)) }
                }
            }
        }
        return ids
    }

    @Test func everyDiagnosticRuleIsDocumented() throws {
        let text = try Self.document("format.md")
        let ids = try Self.ruleIDsInSources()
        #expect(ids.count > 40, "the scan found too few rules: \(ids.sorted())")
        for id in ids.sorted() {
            #expect(["error", "warning", "error / warning"].contains { text.contains("| `\(id)` | \($0) |") }, "docs/format.md lacks rule \(id)")
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
            for value in V.allCases { #expect(text.contains("| `\(value.rawValue)` |"), "docs/format.md lacks \(value.rawValue)") }
        }
        check(LegalBasis.self); check(RecipientRole.self); check(TransferGround.self); check(RetentionEvent.self); check(RetentionStart.self)
        check(RightKind.self); check(Channel.self); check(AutomatedDecisionGround.self)
    }
}
