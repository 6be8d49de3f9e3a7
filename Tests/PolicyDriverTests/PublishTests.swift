import Foundation
import PolicyDriver
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension PublishEndToEnd {
    /// `policyc publish` run as a user runs it: the built binary on a copy of the sample.
    @Suite struct PublishCommandTests {
        /// The sample's pages, byte for byte. Rewrite with POLICYC_UPDATE_GOLDEN=1 after an intended change.
        /// A right written in a list item, as docs/format.md suggests for rights, is published as its fact box inside
        /// that item, never as YAML; the boxes after it keep their own facts.
        @Test func aFactBlockInAListItemIsPublishedAsItsBox() throws {
            let repo = try ScratchRepo("list-fact")
            defer { repo.remove() }
            // The sample's ledger would refuse the edited published version.
            try FileManager.default.removeItem(
                at: repo.url.appendingPathComponent("Policies/kaviaarshop/published.lock"))
            let path = "Policies/kaviaarshop/2018-04-30.en.md"
            let source = try repo.read(path)
            let block = """
                ```right
                id: access
                label: Right of access
                channels: [privacy-contact]
                response: P30D
                how: A copy of all the data with an overview of the processors, sent to the email address we have on file for you.
                ```
                """
            #expect(source.contains(block))
            let listed =
                "- Ask our contact person for privacy matters:\n\n"
                + block.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n- Or write to us."
            try repo.write(path, source.replacingOccurrences(of: block, with: listed))
            let result = try repo.publish()
            #expect(result.status == 0, "\(result.stderr)")
            let page = try repo.read("Output/site/kaviaarshop/en/2018-04-30/index.html")
            #expect(
                !page.contains("language-right") && !page.contains("id: access"), "fact blocks never appear as YAML")
            #expect(
                page.contains(
                    """
                    <ul>
                    <li>
                    <p>Ask our contact person for privacy matters:</p>
                    <aside class="facts" id="fact-right-access" aria-labelledby="fact-right-access-title">
                    <p class="facts-title" id="fact-right-access-title">In short: Right of access, right</p>
                    """))
            #expect(
                page.contains(
                    """
                    </aside>
                    </li>
                    <li>
                    <p>Or write to us.</p>
                    </li>
                    </ul>
                    <h3 id="right-to-rectification">Right to rectification</h3>
                    """))
            #expect(page.contains("<aside class=\"facts\" id=\"fact-right-rectification\""))
        }

        @Test func samplePublishMatchesGolden() throws {
            let repo = try ScratchRepo("golden")
            defer { repo.remove() }
            let result = try repo.publish()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(
                result.stdout
                    == "published Output/site: 22 files, 22 written, 0 unchanged; 0 versions added to published.lock\n")
            for (path, golden) in [
                ("kaviaarshop/nl/2018-04-30/index.html", "publish/nl-2018-04-30.html"),
                ("kaviaarshop/nl/2027-01-01/changes/index.html", "publish/nl-2027-01-01-changes.html"),
                ("kaviaarshop/en/2027-01-01/changes/index.html", "publish/en-2027-01-01-changes.html"),
                ("kaviaarshop/en/2027-01-01/index.html", "publish/en-2027-01-01.html"),
                ("versions.json", "publish/versions.json"),
                ("kaviaarshop/nl/feed.xml", "publish/nl-feed.xml"),
                ("kaviaarshop/en/2018-04-30/tilt.json", "publish/en-2018-04-30-tilt.json"),
            ] {
                try expectGolden(
                    try String(contentsOf: repo.site.appendingPathComponent(path), encoding: .utf8), golden)
            }
            // The stable address shows the version in force: 2027 is announced but not yet in effect on 2026-11-25.
            #expect(
                try repo.read("Output/site/kaviaarshop/nl/index.html").contains(
                    "Vanaf 1 januari 2027 wordt dit beleid vervangen door"))
            // The model JSON is what `dump` prints.
            let dump = Commands.dump(
                file: repo.url.appendingPathComponent("Policies/kaviaarshop/2018-04-30.nl.md").path)
            #expect(try repo.read("Output/site/kaviaarshop/nl/2018-04-30/model.json") == dump.stdout)
        }

        /// Publishing unchanged sources again changes no byte of the site or the ledger, and unchanged files are the
        /// previous files (hard links), not rendered again. SOURCE_DATE_EPOCH gives the same site as --today.
        @Test func republishIsByteIdentical() throws {
            let repo = try ScratchRepo("again")
            defer { repo.remove() }
            try FileManager.default.removeItem(
                at: repo.url.appendingPathComponent("Policies/kaviaarshop/published.lock"))
            #expect(try repo.publish().stdout.hasSuffix("; 4 versions added to published.lock\n"))
            let ledger = try repo.read("Policies/kaviaarshop/published.lock")
            #expect(ledger.contains("2018-04-30 nl sha256:") && ledger.hasSuffix(" 2026-11-25\n"))
            let first = ScratchRepo.snapshot(repo.site)
            let inode =
                try FileManager.default.attributesOfItem(
                    atPath: repo.site.appendingPathComponent("kaviaarshop/nl/2018-04-30/index.html").path)[
                    .systemFileNumber] as? Int
            let again = try repo.publish([], environment: ["SOURCE_DATE_EPOCH": "1795564800"])  // 2026-11-25T00:00:00Z
            #expect(again.status == 0, "\(again.stderr)")
            #expect(
                again.stdout
                    == "published Output/site: 22 files, 0 written, 22 unchanged; 0 versions added to published.lock\n")
            #expect(ScratchRepo.snapshot(repo.site) == first)
            #expect(try repo.read("Policies/kaviaarshop/published.lock") == ledger)
            let inodeAgain =
                try FileManager.default.attributesOfItem(
                    atPath: repo.site.appendingPathComponent("kaviaarshop/nl/2018-04-30/index.html").path)[
                    .systemFileNumber] as? Int
            #expect(inode == inodeAgain, "an unchanged page is the previous file, not a new one")
        }

        /// A typo fix in a published version is refused by publish and by check, naming the version and what to do;
        /// nothing is written.
        @Test func changedPublishedVersionIsRefused() throws {
            let repo = try ScratchRepo("changed")
            defer { repo.remove() }
            #expect(try repo.publish().status == 0)
            let before = ScratchRepo.snapshot(repo.site)
            let ledger = try repo.read("Policies/kaviaarshop/published.lock")
            let file = "Policies/kaviaarshop/2018-04-30.nl.md"
            try repo.write(file, try repo.read(file).replacingOccurrences(of: "privacy beleid", with: "privacybeleid"))
            let line =
                ledger.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
                    $0.hasPrefix("2018-04-30 nl ")
                }! + 1
            let hash = ledger.split(separator: "\n").first { $0.hasPrefix("2018-04-30 nl ") }!.split(separator: " ")[2]
            let published = ledger.split(separator: "\n").first { $0.hasPrefix("2018-04-30 nl ") }!.split(
                separator: " ")[3]
            let expected = """
                \(file):1:1: error: version 2018-04-30 (nl) of 'kaviaarshop' was published on \(published) and its content has changed since; a published version cannot change: undo the edit, and make the change in a new version with a later effective date (published-version-changed)
                Policies/kaviaarshop/published.lock:\(line):1: note: published with \(hash.prefix(19))… here
                """
            let result = try repo.publish()
            #expect(result.status == 1)
            #expect(
                result.stderr == expected
                    + "\nerror: nothing published: fix the errors above (policyc check shows them with warnings)\n")
            #expect(ScratchRepo.snapshot(repo.site) == before)
            #expect(try repo.read("Policies/kaviaarshop/published.lock") == ledger)
            let check = try runPolicyc(["check", "--today", "2026-11-25"], in: repo.url)
            #expect(check.status == 1)
            #expect(check.stderr.contains(expected + "\n"))
            // A published version whose file is gone is refused too.
            try FileManager.default.removeItem(at: repo.url.appendingPathComponent(file))
            let gone = try repo.publish()
            #expect(gone.status == 1)
            #expect(
                gone.stderr.contains(
                    "Policies/kaviaarshop/published.lock:\(line):1: error: version 2018-04-30 (nl) of 'kaviaarshop' was published on \(published) but its source Policies/kaviaarshop/2018-04-30.nl.md is gone; restore it: a published version stays available (published-version-missing)\n"
                ))
        }

        /// Bad arguments are usage errors (64), found before any file is created, read or changed.
        @Test func usageErrorsTouchNothing() throws {
            let repo = try ScratchRepo("usage")
            defer { repo.remove() }
            let cases: [([String], String)] = [
                (["--today", "2026-13-01"], "error: invalid --today '2026-13-01'; write it as YYYY-MM-DD\n"),
                (["no/such/place"], "error: no such directory: no/such/place\n"),
                (
                    ["--out", "Policies/site"],
                    "error: --out Policies/site is inside the policies folder Policies; choose a folder outside it, such as Output/site\n"
                ),
                (
                    ["--out", "."],
                    "error: --out . would replace the policy sources; choose a folder of its own, such as Output/site\n"
                ),
                (
                    ["Policies/kaviaarshop/2018-04-30.nl.md"],
                    "error: Policies/kaviaarshop/2018-04-30.nl.md is a file; give the policy repository or its Policies folder\n"
                ),
            ]
            let sources = ScratchRepo.snapshot(repo.url)
            for (arguments, message) in cases {
                let result = try repo.publish(arguments)
                #expect(result.status == 64, "\(arguments)")
                #expect(result.stderr == message)
            }
            #expect(!FileManager.default.fileExists(atPath: repo.url.appendingPathComponent("Output").path))
            #expect(ScratchRepo.snapshot(repo.url) == sources)
            // A folder that holds something else is never replaced.
            try repo.write("notes/todo.txt", "mine")
            let foreign = try repo.publish(["--out", "notes"])
            #expect(foreign.status == 64)
            #expect(
                foreign.stderr
                    == "error: --out notes holds files policyc did not publish; publish replaces the folder, so choose an empty or new one\n"
            )
            #expect(try repo.read("notes/todo.txt") == "mine")
        }

        /// A mistake in policyc.yaml or the theme stops the run before anything is written.
        @Test func settingsAndThemeErrorsStopBeforeWriting() throws {
            let repo = try ScratchRepo("settings")
            defer { repo.remove() }
            try repo.write("policyc.yaml", "site:\n  titel: Kaviaarshop\n")
            let result = try repo.publish()
            #expect(result.status == 1)
            #expect(
                result.stderr
                    == "policyc.yaml:2:3: error: unknown key 'titel' in the site settings; did you mean 'title'? (unknown-key)\nerror: nothing published: fix policyc.yaml\n"
            )
            try repo.write("policyc.yaml", "site:\n  theme: theme\n")
            try repo.write("theme/page.mustache", "x")
            let theme = try repo.publish()
            #expect(theme.status == 1)
            #expect(
                theme.stderr
                    == "error: theme/page.mustache: unknown theme file; a theme holds banner.mustache, changes.mustache, contact.mustache, factbox.mustache, index.mustache, layout.mustache, overview.mustache, version.mustache, versions.mustache, style.css\nerror: nothing published\n"
            )
            #expect(!FileManager.default.fileExists(atPath: repo.url.appendingPathComponent("Output").path))
        }

        /// A shop's theme folder replaces a template or the stylesheet; the CSP hash follows the stylesheet.
        @Test func themeOverridesTemplateAndStylesheet() throws {
            let repo = try ScratchRepo("theme")
            defer { repo.remove() }
            try repo.write(
                "policyc.yaml",
                "site:\n  title: Kaviaarshop B.V.\n  theme: theme\n  base-url: https://www.kaviaarshop.nl/privacy/\n")
            try repo.write("theme/style.css", "body{font-family:serif}")
            try repo.write(
                "theme/factbox.mustache",
                "<aside class=\"shop-box\" id=\"{{id}}\"><p>{{title}}</p><ul>{{#rows}}<li>{{term}}: {{value}}</li>{{/rows}}</ul></aside>\n"
            )
            #expect(try repo.publish().status == 0)
            let page = try repo.read("Output/site/kaviaarshop/nl/2018-04-30/index.html")
            #expect(page.contains("<style>body{font-family:serif}</style>"))
            // sha256 of "body{font-family:serif}", base64.
            #expect(page.contains("style-src &#39;sha256-XZwA5rTLuZbqtpwMqQWiphRw8LxzDWaDYaGb8wo+qMk=&#39;"))
            #expect(
                page.contains(
                    "<aside class=\"shop-box\" id=\"fact-recipient-sisow\"><p>In het kort: Sisow, ontvanger</p>"))
            #expect(page.contains("<a href=\"../../../index.html\">Kaviaarshop B.V.</a>"))
            #expect(
                page.contains(
                    "<link rel=\"canonical\" href=\"https://www.kaviaarshop.nl/privacy/kaviaarshop/nl/2018-04-30/\">"))
            #expect(
                try repo.read("Output/site/kaviaarshop/nl/feed.xml").contains(
                    "<id>https://www.kaviaarshop.nl/privacy/kaviaarshop/nl/feed.xml</id>"))
        }

        /// While one publish holds the site's lock, a second stops with a message and writes nothing.
        @Test func secondPublisherStops() throws {
            let repo = try ScratchRepo("lock")
            defer { repo.remove() }
            try FileManager.default.createDirectory(
                at: repo.url.appendingPathComponent("Output"), withIntermediateDirectories: true)
            let descriptor = open(repo.url.appendingPathComponent("Output/.site.lock").path, O_CREAT | O_RDWR, 0o644)
            #expect(descriptor >= 0 && flock(descriptor, LOCK_EX | LOCK_NB) == 0)
            let result = try repo.publish()
            #expect(result.status == 75)
            #expect(
                result.stderr
                    == "error: another policyc publish is writing Output/site (it holds Output/.site.lock); nothing was written: wait until it has finished, then publish again\n"
            )
            #expect(!FileManager.default.fileExists(atPath: repo.site.path))
            flock(descriptor, LOCK_UN)
            close(descriptor)
            #expect(try repo.publish().status == 0)
        }

        /// A new version re-renders what shows it (the version before it, lists, feed) and nothing else.
        @Test func newVersionRendersOnlyWhatChanged() throws {
            let repo = try ScratchRepo("incremental")
            defer { repo.remove() }
            #expect(try repo.publish().status == 0)
            func inode(_ path: String) throws -> Int? {
                try FileManager.default.attributesOfItem(atPath: repo.site.appendingPathComponent(path).path)[
                    .systemFileNumber] as? Int
            }
            let old2018 = try inode("kaviaarshop/nl/2018-04-30/index.html")
            let old2027 = try inode("kaviaarshop/nl/2027-01-01/index.html")
            for language in ["nl", "en"] {
                let text = try repo.read("Policies/kaviaarshop/2027-01-01.\(language).md")
                    .replacingOccurrences(of: "effective: 2027-01-01", with: "effective: 2028-01-01")
                    .replacingOccurrences(of: "announced: 2026-11-25", with: "announced: 2027-11-25")
                    .replacingOccurrences(of: "Kaviaarshop geeft", with: "Kaviaarshop geeft heel")
                    .replacingOccurrences(of: "Kaviaarshop cares", with: "Kaviaarshop really cares")
                try repo.write("Policies/kaviaarshop/2028-01-01.\(language).md", text)
            }
            let result = try repo.publish()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(
                result.stdout
                    == "published Output/site: 30 files, 18 written, 12 unchanged; 2 versions added to published.lock\n"
            )
            #expect(try inode("kaviaarshop/nl/2018-04-30/index.html") == old2018)
            #expect(try inode("kaviaarshop/nl/2027-01-01/index.html") != old2027)
            #expect(
                try repo.read("Output/site/kaviaarshop/nl/2028-01-01/index.html").contains("Gaat in op 1 januari 2028.")
            )
        }

        /// Which version is current follows the day: on its effective date the 2027 version takes the stable address
        /// and 2018 becomes archived, with a banner that says when and by what it was superseded.
        @Test func statusFollowsTheDay() throws {
            let repo = try ScratchRepo("day")
            defer { repo.remove() }
            #expect(try repo.publish(["--today", "2027-01-01"]).status == 0)
            let stable = try repo.read("Output/site/kaviaarshop/en/index.html")
            #expect(stable.contains("<li>In force since 1 January 2027"))
            let archived = try repo.read("Output/site/kaviaarshop/en/2018-04-30/index.html")
            #expect(
                archived.contains(
                    "<strong>Archived version.</strong> Superseded on 1 January 2027 by <a href=\"../../../kaviaarshop/en/2027-01-01/index.html\">the version of 1 January 2027</a>"
                ))
            let versions = try repo.read("Output/site/versions.json")
            #expect(
                versions.contains("\"status\" : \"archived\"") && versions.contains("\"status\" : \"current\"")
                    && !versions.contains("\"upcoming\""))
        }
    }
}
