import Foundation
import PolicyBase
import PolicyDriver
import Testing

/// The rule catalogue is the one list of rules: the sources name its entries, never a string id, and docs/rules.md
/// is generated from it.
@Suite struct RuleCatalogueTests {
    static let catalogueFiles = [
        "Rule.swift", "RuleCatalogue.swift", "RuleCatalogue+Facts.swift",
        "RuleCatalogue+Completeness.swift",
    ]

    /// Every Swift file below Sources, as (path relative to the repository, text).
    static func sources() throws -> [(path: String, text: String)] {
        let root = Repo.root.appendingPathComponent("Sources")
        let walker = try #require(FileManager.default.enumerator(atPath: root.path))
        var files: [(String, String)] = []
        for case let path as String in walker where path.hasSuffix(".swift") {
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            files.append(("Sources/" + path, text))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// Rule ids written as strings where a diagnostic names its rule: `rule: "x"` (and `ruleID:`, `.warned(rule:`),
    /// the compiler sink's positional `"x", at:` / `"x", element:`, and comparisons and look-ups by id.
    static func stringRuleIDs(in text: String) -> [String] {
        let patterns = [
            #/rule(?:ID)?: *"([^"]*)"/#, #/"([a-z][a-z0-9-]*)",\s*(?:at|element):/#,
            #/[rR]ule(?:\.id)? *== *"([^"]*)"/#, #/Rule\.named\("([^"]*)"\)/#,
        ]
        return patterns.flatMap { pattern in text.matches(of: pattern).map { String($0.output.1) } }
    }

    /// The catalogue's entries by the name the sources use for them (`yamlSyntax` → `yaml-syntax`).
    static func entryNames() throws -> [String: String] {
        var names: [String: String] = [:]
        for file in try sources() where file.path.hasPrefix("Sources/PolicyBase/RuleCatalogue") {
            for match in file.text.matches(of: #/static let (\w+) = Rule\(\s*"([a-z0-9-]+)"/#) {
                names[String(match.output.1)] = String(match.output.2)
            }
        }
        return names
    }

    /// Names a diagnostic gives its rule by: `Rule.x`, `rule: .x` and the sink's positional `.x, at:`.
    static func entryReferences(in text: String) -> [String] {
        let patterns = [
            #/\bRule\.([a-z]\w*)/#, #/rule: *\.([a-z]\w*)/#, #/[(,]\s*\.([a-z]\w*),\s*(?:at|element):/#,
            #/case \.([a-z]\w*)/#,
        ]
        var names = patterns.flatMap { pattern in text.matches(of: pattern).map { String($0.output.1) } }
        names += text.matches(of: #/\? *\.([a-z]\w*) *: *\.([a-z]\w*)/#).map { String($0.output.2) }
        return names
    }

    @Test func theScanFindsStringIDsWhereverTheCallBreaks() {
        let snippet = """
            diagnostics.append(.error("x", rule: "made-up", at: location))
            sink.error("y", "also-made-up",
                       at: location)
            warnUnlessWaived("z", "third-one", element: nil, at: location)
            if entry.waiver.rule == "fourth-one" {}
            FieldSpec("k", .flag, .warned(rule: "fifth-one", message: "m"))
            """
        #expect(
            Set(Self.stringRuleIDs(in: snippet))
                == ["also-made-up", "fifth-one", "fourth-one", "made-up", "third-one"])
    }

    @Test func sourcesNameEveryRuleByItsCatalogueEntry() throws {
        var found: [String] = []
        for file in try Self.sources()
        where !Self.catalogueFiles.contains(URL(fileURLWithPath: file.path).lastPathComponent) {
            found += Self.stringRuleIDs(in: file.text).map { "\(file.path): \"\($0)\"" }
        }
        #expect(
            found.isEmpty,
            """
            rule ids written as strings; add the rule to Sources/PolicyBase/RuleCatalogue*.swift and name its entry \
            (rule: .someRule): \(found.joined(separator: ", "))
            """)
    }

    @Test func everyReferenceIsAnEntryAndEveryEntryIsReported() throws {
        let names = try Self.entryNames()
        #expect(names.count == Rule.all.count, "every `static let x = Rule(` is listed in Rule.all, once")
        #expect(Set(names.values) == Set(Rule.ids))
        let members: Set<String> = ["all", "named", "ids", "byID", "id"]
        var referenced = Set<String>()
        for file in try Self.sources() where !file.path.hasPrefix("Sources/PolicyBase/RuleCatalogue") {
            for name in Self.entryReferences(in: file.text) where !members.contains(name) {
                referenced.insert(name)
            }
        }
        let unknown = referenced.filter { names[$0] == nil && Rule.named($0) == nil }
        let ruleLike = unknown.filter { name in
            Rule.all.contains { $0.id.replacingOccurrences(of: "-", with: "") == name.lowercased() }
        }
        #expect(ruleLike.isEmpty, "references to rules the catalogue lacks: \(ruleLike.sorted())")
        let unreported = names.keys.filter { !referenced.contains($0) }
        #expect(unreported.isEmpty, "catalogue entries no source reports: \(unreported.sorted())")
    }

    @Test func idsAreUniqueAndKebabCase() {
        #expect(Set(Rule.ids).count == Rule.all.count)
        for id in Rule.ids { #expect(id.wholeMatch(of: #/[a-z][a-z0-9]*(-[a-z0-9]+)*/#) != nil, "\(id)") }
    }

    @Test(arguments: Rule.all)
    func everyEntryIsWrittenOut(_ rule: Rule) {
        for (name, text) in [
            ("summary", rule.summary), ("source", rule.source), ("explanation", rule.explanation),
            ("bad", rule.bad), ("good", rule.good),
        ] {
            #expect(!text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(rule.id): empty \(name)")
        }
        #expect(!rule.summary.contains("\n") && rule.summary.hasSuffix("."), "\(rule.id): the summary is one sentence")
        #expect(rule.bad != rule.good, "\(rule.id)")
    }

    /// The set `not-stated` accepted when it was a hand-kept list: the completeness warnings.
    @Test func theWaivableRulesAreTheCompletenessWarnings() {
        #expect(
            Set(Rule.all.filter(\.waivable).map(\.id)) == [
                "authority-missing", "category-unused", "controller-contact-missing", "cookie-consent-missing",
                "cookie-lifetime-missing", "joint-arrangement-missing", "legal-basis-missing", "provision-missing",
                "recipient-country-missing",
                "recipient-role-missing", "representative-missing", "response-time-missing", "retention-missing",
                "right-missing", "transfer-grounds-missing",
            ])
        #expect(Rule.all.filter(\.waivable).allSatisfy { $0.severity == .warning })
    }

    @Test func docsRulesIsGeneratedFromTheCatalogue() throws {
        let committed = try String(contentsOf: Repo.root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        #expect(
            committed == RuleReference.document(),
            """
            docs/rules.md is out of date with the rule catalogue (Sources/PolicyBase/RuleCatalogue*.swift); \
            regenerate it: swift build && .build/debug/policyc explain --format markdown > docs/rules.md
            """)
    }
}
