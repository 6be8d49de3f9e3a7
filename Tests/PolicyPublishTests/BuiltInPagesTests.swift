import Foundation
import PolicyBase
import PolicyModel
import PolicyPresent
import PolicyPublish
import Testing

/// The built-in theme's pages are written by Swift generated from its templates (BuiltInPages.swift) and, when a shop
/// replaces a template, by Mustache. Both must give the same bytes for the built-in templates: every page of the sample
/// and of the escaping fixture, on days that give each status and banner, with and without a base URL and a title.
@Suite struct BuiltInPagesTests {
    /// A compiled file with a body made from its sections: each heading, a paragraph, and its fact blocks as boxes.
    static func document(_ path: String, source: String? = nil) throws -> PublishDocument {
        let text = try source ?? String(contentsOfFile: repoRoot.appendingPathComponent(path).path, encoding: .utf8)
        let version = try #require(
            Compiler.compile(bytes: Array(text.utf8), path: path).version, "\(path) does not compile")
        var body: [BodyBlock] = []
        for section in version.sections {
            if section.level > 0 {
                body.append(
                    .heading(
                        level: section.level,
                        html: "<h\(section.level)>\(HTML.escape(section.heading))</h\(section.level)>\n"))
            }
            body.append(.prose(html: "<p>Text &amp; <em>more</em> <img src=\"x.png\" alt=\"alt\" /></p>\n"))
            if !section.facts.isEmpty { body.append(.facts(count: section.facts.count)) }
        }
        return PublishDocument(path: path, version: version, body: body, contentHash: ContentHash.of(Array(text.utf8)))
    }

    static func documents() throws -> [PublishDocument] {
        let evil = "Tests/PolicyPublishTests/Fixtures/escaping/evil/2020-01-01.en.md"
        let evilText = try String(contentsOfFile: repoRoot.appendingPathComponent(evil).path, encoding: .utf8)
        let later = evilText.replacingOccurrences(of: "effective: 2020-01-01", with: "effective: 2021-01-01")
            .replacingOccurrences(of: "\nProse <script>", with: "\nChanged prose <script>")
        return try ["2018-04-30.nl", "2018-04-30.en", "2027-01-01.nl", "2027-01-01.en"].map {
            try document("Policies/kaviaarshop/\($0).md")
        }
            + [
                try document(evil),
                try document("Tests/PolicyPublishTests/Fixtures/escaping/evil/2021-01-01.en.md", source: later),
            ]
    }

    @Test(arguments: ["2010-01-01", "2026-11-25", "2027-01-01", "2035-01-01"])
    func builtInPagesAreWhatTheTemplatesRender(day: String) throws {
        let documents = try Self.documents()
        for settings in [
            SiteSettings(), SiteSettings(baseURL: "https://example.com/privacy/", title: "Shop \"B.V.\" <&>"),
        ] {
            let theme = try Theme()
            #expect(theme.builtIn == Set(Theme.templateNames))
            let native = Publisher(settings: settings, theme: theme, today: CalendarDate(day)!)
            let mustache = Publisher(
                settings: settings, theme: theme.renderingAllByMustache(), today: CalendarDate(day)!)
            let infos = documents.map(\.info)
            let written = native.build(infos: infos, documents: documents, previous: nil).files
            let rendered = mustache.build(infos: infos, documents: documents, previous: nil).files
            #expect(written.map(\.path) == rendered.map(\.path))
            for (a, b) in zip(written, rendered) where a != b {
                guard case .bytes(let x) = a.content, case .bytes(let y) = b.content else { continue }
                let first = (0..<min(x.count, y.count)).first { x[$0] != y[$0] } ?? min(x.count, y.count)
                Issue.record(
                    "\(day) \(a.path): built-in and Mustache differ at byte \(first): \(String(decoding: x[max(0, first - 80)..<min(x.count, first + 80)], as: UTF8.self)) | \(String(decoding: y[max(0, first - 80)..<min(y.count, first + 80)], as: UTF8.self))"
                )
            }
        }
    }

    /// The built-in pages are written by Swift generated from the templates (BuiltInPagesGenerator.swift): the
    /// committed file must be what the generator makes of the templates as they are now.
    @Test func generatedPagesAreUpToDate() throws {
        let file = repoRoot.appendingPathComponent("Sources/PolicyPublish/BuiltInPages.swift")
        let templates = try Theme().sources.filter { $0.key != Theme.stylesheetName }
        let generated = try BuiltInPagesGenerator.source(templates: templates)
        let committed = try String(contentsOf: file, encoding: .utf8)
        if committed != generated, ProcessInfo.processInfo.environment["POLICYC_UPDATE_GENERATED"] == "1" {
            try generated.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        #expect(
            committed == generated,
            """
            Sources/PolicyPublish/BuiltInPages.swift is not what the templates give: run
            POLICYC_UPDATE_GENERATED=1 swift test --filter BuiltInPagesTests
            """)
    }

    /// A replaced partial is used by the page that includes it, though the page's own template is built in.
    @Test func aReplacedPartialIsRenderedByMustache() throws {
        let documents = try Self.documents().filter { $0.version.policy == "kaviaarshop" }
        let theme = try Theme(overrides: [
            "banner.mustache": "{{#banner}}<p class=\"mine\">{{label}} {{t.read-changes}}</p>{{/banner}}"
        ])
        #expect(!theme.usesBuiltIn("version", "banner") && theme.usesBuiltIn("version", "factbox"))
        let publisher = Publisher(settings: SiteSettings(), theme: theme, today: CalendarDate("2026-11-25")!)
        let files = publisher.build(infos: documents.map(\.info), documents: documents, previous: nil).files
        let page = try #require(files.first { $0.path == "kaviaarshop/nl/2018-04-30/index.html" })
        guard case .bytes(let bytes) = page.content else {
            Issue.record("not rendered")
            return
        }
        #expect(
            String(decoding: bytes, as: UTF8.self).contains(
                "<p class=\"mine\">Nieuwe versie aangekondigd. Lees wat er verandert</p><article class=\"policy\">"))
        // A template replaced by the same text is still the built-in one.
        #expect(try Theme(overrides: ["version.mustache": theme.sources["version"]!]).usesBuiltIn("version"))
    }

    /// Templates escape every byte of the five characters, also where a combining mark follows one (Mustache's own
    /// escaping compares whole characters and would let such a quote out of an attribute).
    @Test func templatesEscapeQuotesFollowedByCombiningMarks() throws {
        let theme = try Theme(overrides: ["factbox.mustache": "<aside title=\"{{title}}\">{{title}}</aside>"])
        let payload = "\"\u{301} onmouseover=x <\u{301}b>"
        let expected = "&quot;\u{301} onmouseover=x &lt;\u{301}b&gt;"
        #expect(theme.render("factbox", ["title": payload]) == "<aside title=\"\(expected)\">\(expected)</aside>")
        #expect(HTML.escape(payload) == expected)
    }
}
