import Foundation
import PolicyBase
import PolicyModel
import PolicyPresent
import PolicyPublish
import Testing

let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

func sample(_ name: String) throws -> PolicyVersion {
    let path = repoRoot.appendingPathComponent("Policies/kaviaarshop/\(name).md").path
    let data = try #require(FileManager.default.contents(atPath: path))
    return try #require(Compiler.compile(bytes: [UInt8](data), path: path).version)
}

func info(_ policy: String, _ language: String, _ date: String, hash: String = "h") -> VersionInfo {
    VersionInfo(
        policy: policy, language: language, effective: CalendarDate(date)!, announced: nil, title: "T", summary: nil,
        controller: "C", translationOf: language == "nl" ? nil : "nl", contentHash: "\(hash)-\(language)-\(date)")
}

@Suite struct PlanTests {
    let publisher = Publisher(settings: SiteSettings(), theme: try! Theme(), today: CalendarDate("2026-11-25")!)
    let infos = ["2018-04-30", "2027-01-01"].flatMap { date in ["nl", "en"].map { info("kaviaarshop", $0, date) } }

    @Test func everyVersionHasItsAddressesAndTheStableOneShowsTheVersionInForce() {
        let pages = publisher.plan(infos)
        let paths = Set(pages.map(\.path))
        for language in ["nl", "en"] {
            for path in [
                "kaviaarshop/\(language)/index.html", "kaviaarshop/\(language)/2018-04-30/index.html",
                "kaviaarshop/\(language)/2027-01-01/index.html",
                "kaviaarshop/\(language)/2027-01-01/changes/index.html",
                "kaviaarshop/\(language)/2018-04-30/model.json", "kaviaarshop/\(language)/2018-04-30/tilt.json",
                "kaviaarshop/\(language)/versions/index.html", "kaviaarshop/\(language)/feed.xml",
            ] {
                #expect(paths.contains(path), "\(path)")
            }
            // The first version has no change page: there is nothing to compare it with.
            #expect(!paths.contains("kaviaarshop/\(language)/2018-04-30/changes/index.html"))
        }
        #expect(paths.contains("index.html") && paths.contains("versions.json"))
        #expect(pages.count == paths.count, "no path is planned twice")
        let stable = pages.first { $0.path == "kaviaarshop/nl/index.html" }
        #expect(stable?.kind == .stable(policy: "kaviaarshop", language: "nl", date: CalendarDate("2018-04-30")!))
        // From its effective date on, the 2027 version is the one in force.
        let later = Publisher(settings: SiteSettings(), theme: try! Theme(), today: CalendarDate("2027-01-01")!)
        #expect(
            later.plan(infos).first { $0.path == "kaviaarshop/nl/index.html" }?.kind
                == .stable(policy: "kaviaarshop", language: "nl", date: CalendarDate("2027-01-01")!))
    }

    @Test func keysChangeOnlyWithWhatAPageShows() {
        let before = Dictionary(uniqueKeysWithValues: publisher.plan(infos).map { ($0.path, $0.key) })
        // A new upcoming version: the page of the version in force gets an announcement, the 2018 page does not change.
        let more = infos + ["nl", "en"].map { info("kaviaarshop", $0, "2028-01-01") }
        let after = Dictionary(uniqueKeysWithValues: publisher.plan(more).map { ($0.path, $0.key) })
        #expect(before["kaviaarshop/nl/2018-04-30/index.html"] == after["kaviaarshop/nl/2018-04-30/index.html"])
        #expect(before["kaviaarshop/nl/2018-04-30/model.json"] == after["kaviaarshop/nl/2018-04-30/model.json"])
        #expect(before["kaviaarshop/nl/2027-01-01/index.html"] != after["kaviaarshop/nl/2027-01-01/index.html"])
        #expect(before["kaviaarshop/nl/feed.xml"] != after["kaviaarshop/nl/feed.xml"])
        // Settings and templates are inputs of every page.
        let titled = Publisher(
            settings: SiteSettings(title: "Shop"), theme: try! Theme(), today: CalendarDate("2026-11-25")!)
        let retitled = Dictionary(uniqueKeysWithValues: titled.plan(infos).map { ($0.path, $0.key) })
        #expect(retitled["kaviaarshop/nl/2018-04-30/index.html"] != before["kaviaarshop/nl/2018-04-30/index.html"])
        let styled = Publisher(
            settings: SiteSettings(), theme: try! Theme(overrides: ["style.css": "body{}"]),
            today: CalendarDate("2026-11-25")!)
        #expect(styled.siteKey != publisher.siteKey)
    }

    @Test func unchangedKeysAreNotRenderedAgain() throws {
        let nl = try sample("2018-04-30.nl")
        let document = PublishDocument(
            path: "p", version: nl, body: [.prose(html: "<p>x</p>\n")], contentHash: "sha256:1")
        let first = publisher.build(infos: [document.info], documents: [document], previous: nil)
        #expect(first.files.allSatisfy { if case .bytes = $0.content { true } else { false } })
        let second = publisher.build(infos: [document.info], documents: [], previous: first.state)
        // Only the site-wide index and versions.json are written every time (they are cheap and list everything).
        #expect(
            second.files.filter { if case .bytes = $0.content { true } else { false } }.map(\.path) == [
                "index.html", "versions.json",
            ])
        #expect(second.state == first.state)
    }
}

@Suite struct ThemeTests {
    @Test func aThemeFileReplacesTheBuiltInOne() throws {
        let theme = try Theme(overrides: [
            "factbox.mustache": "<div class=\"mine\">{{title}}</div>", "style.css": "p{}",
        ])
        #expect(theme.render("factbox", ["title": "<b>"]) == "<div class=\"mine\">&lt;b&gt;</div>")
        #expect(theme.stylesheet == "p{}")
    }

    @Test func unknownOrBrokenFilesAreErrors() {
        #expect(
            throws: Theme.TemplateError(
                file: "theme/page.mustache",
                message:
                    "unknown theme file; a theme holds banner.mustache, changes.mustache, contact.mustache, factbox.mustache, index.mustache, layout.mustache, overview.mustache, version.mustache, versions.mustache, style.css"
            )
        ) {
            try Theme(overrides: ["page.mustache": ""])
        }
        #expect(throws: Theme.TemplateError.self) {
            try Theme(overrides: ["version.mustache": "{{#open}} never closed"])
        }
    }
}

@Suite struct HTMLTests {
    @Test func escapeLeavesNoMarkup() {
        #expect(
            HTML.escape(#"<script>alert("x")</script> & 'y'"#)
                == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;")
        #expect(HTML.escape("Privacybeleid") == "Privacybeleid")
    }

    @Test func imagesBecomeTheirAltTextAndHeadingsGetTheirIds() {
        #expect(
            HTML.prose("<p>Logo: <img src=\"https://tracker.example/x.png\" alt=\"our &amp; logo\" /> end</p>\n")
                == "<p>Logo: our &amp; logo end</p>\n")
        #expect(
            HTML.heading("<h2>Over <em>ons</em></h2>\n", level: 2, id: "over-ons")
                == "<h2 id=\"over-ons\">Over <em>ons</em></h2>\n")
    }

    @Test func atomEscapesEveryText() {
        let feed = AtomFeed(
            id: "urn:x", language: "nl", title: "<t>", updated: "2027-01-01T00:00:00Z", selfHref: "feed.xml",
            alternateHref: "index.html", author: "A & B",
            entries: [
                .init(
                    id: "urn:x:1", title: "v", updated: "2027-01-01T00:00:00Z", href: "a?b=1&c=2",
                    summary: "</summary><x>")
            ])
        #expect(feed.xml.contains("<title>&lt;t&gt;</title>"))
        #expect(feed.xml.contains("href=\"a?b=1&amp;c=2\""))
        #expect(feed.xml.contains("<summary type=\"text\">&lt;/summary&gt;&lt;x&gt;</summary>"))
        #expect(feed.xml.contains("<name>A &amp; B</name>"))
    }
}

@Suite struct FactWordsTests {
    /// Boxes and the overview are words of the page's language: no ids, codes or ISO values.
    @Test func recipientBoxInDutch() throws {
        let nl = try sample("2018-04-30.nl")
        let presenter = Presenter(language: "nl")
        let box = try #require(presenter.factBox("recipient/google", in: nl))
        #expect(box.title == "In het kort: Google, ontvanger")
        let rows = Dictionary(uniqueKeysWithValues: box.rows.map { ($0.term, $0.value) })
        #expect(rows["Land"] == "Verenigde Staten")
        #expect(rows["Ontvanger"] == "Google")
        #expect(!box.rows.contains { $0.value.contains("website-usage") || $0.value == "US" })
    }

    @Test func overviewListsEveryCategoryWithWords() throws {
        let en = try sample("2018-04-30.en")
        let overview = Presenter(language: "en").dataOverview(en)
        #expect(overview.rows.map(\.id) == en.categories.map(\.id))
        #expect(
            overview.columns == ["Data", "Purposes and legal basis", "Recipients and country", "How long we keep it"])
        let all = overview.rows.flatMap { $0.purposes + $0.recipients + $0.retention }.joined(separator: " ")
        #expect(!all.contains("P7Y") && !all.contains("statutory-term") && !all.contains("end-of-relationship"))
    }

    @Test func boxesFollowTheSchemaAndShowNoIds() throws {
        let nl = try sample("2027-01-01.nl")
        let presenter = Presenter(language: "nl")
        let box = try #require(presenter.factBox("retention/invoices", in: nl))
        #expect(box.title == "In het kort: Facturen met uw (persoons)gegevens, bewaartermijn")
        let values = box.rows.map(\.value)
        #expect(values.contains("7 jaar"))
        #expect(values.contains("Facturen met uw (persoons)gegevens"))
        #expect(!values.contains { $0.contains("P7Y") || $0 == "invoices" })
        // Every row is a field of the schema: a box has no more rows than its kind has fields.
        #expect(box.rows.count <= FactKind.retention.schema.fields.count)
    }
}
