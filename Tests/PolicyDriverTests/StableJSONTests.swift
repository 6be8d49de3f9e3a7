import Foundation
import PolicyBase
import PolicyDriver
import PolicyModel
import PolicySource
import PolicyTestSupport
import Testing

/// The hand-written encoder must write exactly what JSONEncoder writes with the same options.
@Suite struct StableJSONTests {
    static func reference<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    struct Sample: Encodable {
        var text = "quote \" backslash \\ slash / newline \n tab \t bell \u{07} unit \u{1F} del \u{7F} é 😀"
        var number = -42
        var flag = true
        var missing: String? = nil
        var present: String? = "x"
        var empty: [String] = []
        var emptyObject: [String: Int] = [:]
        var nested = [["b": 1, "a": 2, "B": 3, "aa": 4]]
        var list = [[1, 2], []]
    }

    @Test func matchesJSONEncoderOnEdgeCases() throws {
        #expect(try StableJSON.encode(Sample()) == Self.reference(Sample()))
        #expect(try StableJSON.encode([String]()) == Self.reference([String]()))
        #expect(try StableJSON.encode("only a string") == Self.reference("only a string"))
    }

    @Test func matchesJSONEncoderOnTheSampleModels() throws {
        for name in ["2018-04-30.nl", "2018-04-30.en", "2027-01-01.nl", "2027-01-01.en"] {
            let path = Repo.policies.appendingPathComponent("kaviaarshop/\(name).md").path
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let version = try #require(Compiler.compile(bytes: bytes, path: path).version)
            #expect(try StableJSON.encode(version) == Self.reference(version), "\(name)")
        }
    }

    /// `model.json` is written by `PolicyVersion.writeStableJSON`, not through `Encodable`: it must give the same bytes,
    /// on the sample and on versions that fill every optional member (each escaped character included).
    @Test func directModelWriterMatchesTheEncoder() throws {
        var versions: [PolicyVersion] = []
        for name in ["2018-04-30.nl", "2018-04-30.en", "2027-01-01.nl", "2027-01-01.en"] {
            let path = Repo.policies.appendingPathComponent("kaviaarshop/\(name).md").path
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            versions.append(try #require(Compiler.compile(bytes: bytes, path: path).version))
        }
        var full = versions[3]
        let odd = Sample().text
        full.translationOf = "nl"
        full.announced = CalendarDate("2026-12-01")
        full.summary = odd
        full.title = odd
        full.privacyContact = Contact(name: odd, email: "a@b.example", phone: "+31 6", dpo: true)
        full.supervisoryAuthority = Authority(
            name: odd, country: "NL", website: "https://x.example/a?b=\"c\"", residence: false)
        full.controllers[0].privacyContact = Contact(name: "dpo", dpo: false)
        full.controllers.append(
            Controller(id: "us", name: odd, region: "\u{1F}", country: "US", transferGrounds: [.adequacy]))
        full.sections.append(Section(id: "x", heading: odd, level: 6, facts: [], paragraphs: []))
        full.changes = [
            ChangeDeclaration(kind: .wording, element: "recipient/mollie", reason: odd),
            ChangeDeclaration(kind: .fromNowOn, element: "purpose/newsletter", reason: "new"),
        ]
        full.scope = [ScopeItem(id: "app", label: odd, kind: .processing, onBehalfOf: odd)]
        full.scopes = ["purpose/newsletter": AppliesTo(services: ["app"], regions: ["US-CA"]), "cookie/x": AppliesTo()]
        versions.append(full)
        var empty = versions[0]
        empty.categories = []
        empty.categoryGroups = []
        empty.purposes = []
        empty.recipients = []
        empty.retention = []
        empty.rights = []
        empty.cookies = []
        empty.automatedDecisions = []
        empty.securityMeasures = []
        empty.commitments = []
        empty.sections = []
        empty.notStated = []
        versions.append(empty)
        for version in versions {
            let direct = String(decoding: StableJSON.file(version), as: UTF8.self)
            #expect(direct == (try StableJSON.encode(version)) + "\n", "\(version.language) \(version.effective)")
        }
    }

    @Test func matchesJSONEncoderOnDiagnostics() throws {
        let diagnostics = [
            Diagnostic.error(
                "a \"quoted\" word", rule: "r", at: SourceLocation(file: "a/b.md", line: 1, column: 2),
                notes: [DiagnosticNote("n", at: SourceLocation(file: "c.md", line: 3, column: 4))])
        ]
        #expect(try StableJSON.encode(diagnostics) == Self.reference(diagnostics))
    }
}
