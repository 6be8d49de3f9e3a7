import Foundation
import PolicyBase
import PolicyDiff
import PolicyModel
import PolicyPresent

/// Renders planned files. Builds each template's context from the model and the Presenter's words; the templates
/// decide the markup. Every context sets every key its templates ask for (false when absent), because Mustache looks
/// a missing key up in the enclosing contexts and would show a parent's value.
struct RenderContext: @unchecked Sendable {
    let publisher: Publisher
    let infos: [VersionInfo]
    let timelines: [String: Timeline]
    let documents: [String: PublishDocument]

    init(publisher: Publisher, infos: [VersionInfo], documents: [PublishDocument]) {
        self.publisher = publisher
        self.infos = infos
        self.timelines = Dictionary(grouping: infos, by: \.policy).mapValues { Timeline(policy: $0[0].policy, infos: $0, today: publisher.today) }
        var byKey: [String: PublishDocument] = [:]
        for document in documents { byKey[Self.key(document.version.policy, document.version.language, document.version.effective)] = document }
        self.documents = byKey
    }

    static func key(_ policy: String, _ language: String, _ date: CalendarDate) -> String { "\(policy)/\(language)/\(date)" }

    func document(_ policy: String, _ language: String, _ date: CalendarDate) -> PublishDocument {
        guard let document = documents[Self.key(policy, language, date)] else {
            preconditionFailure("publish: \(policy) \(language) \(date) was planned for rendering but not compiled")
        }
        return document
    }

    var settings: SiteSettings { publisher.settings }
    var theme: Theme { publisher.theme }

    func render(_ page: PagePlan) -> String {
        switch page.kind {
        case .index: indexPage(page.path)
        case .versionsJSON: versionsJSON()
        case .version(let policy, let language, let date), .stable(let policy, let language, let date):
            versionPage(page.path, policy: policy, language: language, date: date, stable: { if case .stable = page.kind { true } else { false } }())
        case .changes(let policy, let language, let from, let date): changesPage(page.path, policy: policy, language: language, from: from, date: date)
        case .versions(let policy, let language): versionsPage(page.path, policy: policy, language: language)
        case .feed(let policy, let language): feed(page.path, policy: policy, language: language)
        case .model(let policy, let language, let date):
            ((try? StableJSON.encode(document(policy, language, date).version)) ?? "{}") + "\n"
        case .tilt(let policy, let language, let date, let next):
            TILT.document(for: document(policy, language, date), next: next.map { document(policy, language, $0) },
                          status: timelines[policy]!.status(date), url: url(SitePaths.version(policy, language, date)),
                          nextURL: next.map { url(SitePaths.version(policy, language, $0)) })
        }
    }

    // MARK: Shared parts

    /// An absolute address when a base URL is set, else the root-relative path.
    func url(_ path: String) -> String { (settings.baseURL ?? "") + SitePaths.address(path) }

    func strings(_ presenter: Presenter) -> [String: Any] {
        var table: [String: Any] = [:]
        for key in Self.uiKeys { table[key] = presenter.text("publish.ui.\(key)") }
        return table
    }

    static let uiKeys = ["skip", "languages", "footer", "toc", "overview", "this-version", "read-changes", "all-versions", "model-json",
                         "tilt-json", "feed", "none", "compared", "summary", "changes", "no-changes", "redline", "legend", "no-redline",
                         "col-effective", "col-status", "col-announced", "col-changes", "contact"]

    static func languageName(_ language: String) -> String {
        let name = Locale(identifier: language).localizedString(forLanguageCode: language) ?? language
        return name.prefix(1).uppercased() + name.dropFirst()
    }

    /// The page around `content`: head with CSP, canonical and hreflang links, header with the language switch.
    func layout(path: String, language: String, title: String, siteTitle: String, content: String,
                alternates: [(language: String, path: String)], feed: String?) -> String {
        let presenter = Presenter(language: language)
        let root = SitePaths.root(of: path)
        let style = theme.stylesheet
        // Nothing may load or run: no scripts, frames, fonts, images or connections; only this page's own stylesheet,
        // by hash. (`frame-ancestors` has no effect in a meta element; a server header must set it.)
        let csp = "default-src 'none'; style-src 'sha256-\(ContentHash.cspBase64(style))'; img-src 'none'; base-uri 'none'; form-action 'none'"
        let context: [String: Any] = [
            "lang": language, "title": title, "siteTitle": siteTitle, "root": root, "csp": csp, "style": style, "content": content,
            "canonical": settings.baseURL.map { _ in url(path) as Any } ?? false,
            "alternates": alternates.map { ["hreflang": $0.language, "href": root + $0.path] },
            "translations": alternates.filter { $0.language != language }.map { ["hreflang": $0.language, "href": root + $0.path, "name": Self.languageName($0.language)] },
            "hasTranslations": alternates.contains { $0.language != language },
            "feed": feed.map { root + $0 as Any } ?? false,
            "feedTitle": presenter.text("publish.ui.feed"),
            "t": strings(presenter),
        ]
        return theme.render("layout", context)
    }

    func siteTitle(_ document: PublishDocument) -> String { settings.title ?? document.version.controller.name }

    func versionOf(_ presenter: Presenter, _ date: CalendarDate) -> String { presenter.text("publish.version-of", presenter.date(date)) }

    // MARK: Version page

    func versionPage(_ path: String, policy: String, language: String, date: CalendarDate, stable: Bool) -> String {
        let document = self.document(policy, language, date)
        let version = document.version
        let timeline = timelines[policy]!
        let presenter = Presenter(language: language)
        let root = SitePaths.root(of: path)
        let (previous, next) = timeline.neighbours(of: date, in: language)
        let status = timeline.status(date)
        let (blocks, toc) = body(document, presenter: presenter)
        let overview = presenter.dataOverview(version)

        var banner: Any = false
        switch status {
        case .archived:
            if let next {
                banner = bannerContext(kind: "archived", label: presenter.text("publish.banner.archived.label"),
                                       text: presenter.text("publish.banner.archived", presenter.date(next)),
                                       href: root + SitePaths.version(policy, language, next), linkText: versionOf(presenter, next), changesHref: nil)
            }
        case .upcoming:
            banner = bannerContext(kind: "upcoming", label: presenter.text("publish.banner.upcoming.label"),
                                   text: presenter.text("publish.banner.upcoming", presenter.date(date)),
                                   href: timeline.current.flatMap { current in timeline.infos[current]?[language] != nil ? root + SitePaths.version(policy, language, current) : nil },
                                   linkText: presenter.text("publish.banner.upcoming.link"),
                                   changesHref: previous.map { _ in root + SitePaths.changes(policy, language, date) })
        case .current:
            if let next {
                banner = bannerContext(kind: "announced", label: presenter.text("publish.banner.announced.label"),
                                       text: presenter.text("publish.banner.announced", presenter.date(next)),
                                       href: root + SitePaths.version(policy, language, next), linkText: versionOf(presenter, next),
                                       changesHref: root + SitePaths.changes(policy, language, next))
            }
        }
        let effectiveText: String
        switch status {
        case .archived: effectiveText = presenter.text("publish.status.archived.since", presenter.date(date), presenter.date(next ?? date))
        case .current: effectiveText = presenter.text("publish.status.current.since", presenter.date(date))
        case .upcoming: effectiveText = presenter.text("publish.status.upcoming.from", presenter.date(date))
        }
        let context: [String: Any] = [
            "banner": banner,
            "toc": toc + [["id": "policyc-overview", "text": presenter.text("publish.ui.overview"), "level": 2],
                          ["id": "policyc-contact", "text": presenter.text("publish.ui.contact"), "level": 2]],
            "blocks": blocks,
            "overview": overviewContext(overview, presenter: presenter),
            "contact": contactContext(version, presenter: presenter),
            "effectiveText": effectiveText,
            "announcedText": version.announced.map { presenter.text("publish.announced-on", presenter.date($0)) as Any } ?? false,
            "changesHref": previous.map { _ in root + SitePaths.changes(policy, language, date) as Any } ?? false,
            "previous": previous.map { ["href": root + SitePaths.version(policy, language, $0), "text": presenter.text("publish.previous", presenter.date($0))] as Any } ?? false,
            "next": next.map { ["href": root + SitePaths.version(policy, language, $0), "text": presenter.text("publish.next", presenter.date($0))] as Any } ?? false,
            "versionsHref": root + SitePaths.versions(policy, language),
            "modelHref": root + SitePaths.model(policy, language, date),
            "tiltHref": root + SitePaths.tilt(policy, language, date),
            "feed": root + SitePaths.feed(policy, language),
            "t": strings(presenter),
        ]
        let content = theme.render("version", context)
        let alternates = timeline.languages(at: date).map { lang in
            (lang, stable && timeline.stableDate(in: lang) == date ? SitePaths.stable(policy, lang) : SitePaths.version(policy, lang, date))
        }
        let title = stable ? version.title : presenter.text("publish.title.version", version.title, presenter.date(date))
        return layout(path: path, language: language, title: title, siteTitle: siteTitle(document), content: content,
                      alternates: alternates, feed: SitePaths.feed(policy, language))
    }

    func bannerContext(kind: String, label: String, text: String, href: String?, linkText: String, changesHref: String?) -> [String: Any] {
        ["kind": kind, "label": label, "text": text, "href": href as Any? ?? false, "linkText": linkText, "changesHref": changesHref as Any? ?? false]
    }

    func overviewContext(_ overview: DataOverview, presenter: Presenter) -> [String: Any] {
        [
            "caption": overview.caption,
            "columns": overview.columns,
            "rows": overview.rows.map { row -> [String: Any] in
                ["id": row.id, "category": row.category, "purposes": row.purposes, "recipients": row.recipients, "retention": row.retention]
            },
            "hasCommitments": !overview.commitments.isEmpty, "commitments": overview.commitments,
            "commitmentsHeading": presenter.text("publish.overview.commitments"),
            "hasNotStated": !overview.notStated.isEmpty, "notStated": overview.notStated,
            "notStatedHeading": presenter.text("publish.overview.not-stated.heading"),
        ]
    }

    /// Who is responsible, whom to ask and where to complain, from the front matter, by the schemas' field names.
    /// Only http(s) addresses become links, and e-mail addresses `mailto:` links; every text is escaped by the template.
    func contactContext(_ version: PolicyVersion, presenter: Presenter) -> [String: Any] {
        func row(_ schema: FactSchema, _ key: String, _ value: FactValue?) -> [String: Any]? {
            guard let value else { return nil }
            let words: String
            if case .text(let raw) = value, key == "address" { words = raw } else { words = presenter.value(value, of: schema.field(key)) }
            var href: Any = false
            if case .text(let raw) = value {
                let lower = raw.lowercased()
                if key == "website" || key == "list-url", lower.hasPrefix("https://") || lower.hasPrefix("http://") { href = raw }
                if key == "email" { href = "mailto:" + raw }
            }
            let name = presenter.fieldName(schema.name, key)
            return ["term": name.prefix(1).uppercased() + name.dropFirst(), "value": words, "href": href]
        }
        func rows(_ record: some SchemaRecord, skip: Set<String> = []) -> [[String: Any]] {
            type(of: record).schema.fields.filter { !skip.contains($0.key) && $0.change != .identity }.compactMap { row(type(of: record).schema, $0.key, record.value($0.key)) }
        }
        var parties: [[String: Any]] = []
        for controller in version.controllers {
            let heading = presenter.text("publish.ui.controller") + (controller.region.map { " (\($0))" } ?? "")
            parties.append(["heading": heading, "rows": rows(controller, skip: ["region", "privacy-contact"])])
            if let contact = controller.privacyContact {
                parties.append(["heading": presenter.text("publish.ui.privacy-contact"), "rows": rows(contact)])
            }
        }
        if let contact = version.privacyContact {
            parties.append(["heading": presenter.text("publish.ui.privacy-contact"), "rows": rows(contact)])
        }
        if let authority = version.supervisoryAuthority {
            parties.append(["heading": presenter.text("publish.ui.authority"), "rows": rows(authority)])
        }
        return ["parties": parties.filter { !($0["rows"] as! [[String: Any]]).isEmpty }]
    }

    /// The body's blocks (cmark's safe HTML, headings with their section ids, fact blocks as boxes) and the table of
    /// contents. Headings map to the model's sections in order: the compiler makes one section a heading.
    func body(_ document: PublishDocument, presenter: Presenter) -> (blocks: [[String: Any]], toc: [[String: Any]]) {
        let version = document.version
        let facts = version.facts
        var labels: [String: String] = [:]
        for (key, fact) in facts { labels[key] = fact.title }
        let headed = version.sections.filter { $0.level > 0 }
        var headingIndex = 0
        var current: Section? = version.sections.first { $0.level == 0 }
        var cursor = 0
        var blocks: [[String: Any]] = []
        var toc: [[String: Any]] = []
        for block in document.body {
            switch block {
            case .heading(let level, let html):
                guard headingIndex < headed.count else { continue }
                let section = headed[headingIndex]
                headingIndex += 1
                current = section
                cursor = 0
                blocks.append(["html": HTML.heading(html, level: level, id: section.id), "box": false])
                if level >= 2 { toc.append(["id": section.id, "text": section.heading, "level": level]) }
            case .prose(let html):
                blocks.append(["html": HTML.prose(html), "box": false])
            case .facts(let count):
                guard let section = current else { continue }
                let keys = section.facts.dropFirst(cursor).prefix(count)
                cursor += count
                for key in keys {
                    guard let box = presenter.factBox(key, in: version, facts: facts, labels: labels) else { continue }
                    blocks.append(["html": "", "box": [
                        "id": "fact-" + key.replacingOccurrences(of: "/", with: "-"), "title": box.title,
                        "rows": box.rows.map { ["term": $0.term, "value": $0.value] },
                    ] as [String: Any]])
                }
            }
        }
        return (blocks, toc)
    }

    // MARK: Change page

    func changesPage(_ path: String, policy: String, language: String, from: CalendarDate, date: CalendarDate) -> String {
        let old = document(policy, language, from), new = document(policy, language, date)
        let presenter = Presenter(language: language)
        let root = SitePaths.root(of: path)
        let timeline = timelines[policy]!
        let diff = VersionDiff.compare(old.version, new.version)
        let groups = Impact.allCases.compactMap { impact -> [String: Any]? in
            let records = diff.changes.filter { $0.impact == impact }
            guard !records.isEmpty else { return nil }
            let (title, explanation) = presenter.impact(impact)
            return ["impact": impact.rawValue, "title": title, "explanation": explanation, "items": records.map { ["text": presenter.change($0, labels: diff.labels)] }]
        }
        let sections = diff.sections.map { section -> [String: Any] in
            ["id": section.id, "heading": section.heading.isEmpty ? presenter.text("publish.section.opening") : section.heading,
             "status": presenter.text("publish.section.\(section.status.rawValue)"),
             "paragraphs": Self.paragraphs(section.redline)]
        }
        var banner: Any = false
        if timeline.status(date) == .upcoming {
            banner = bannerContext(kind: "upcoming", label: presenter.text("publish.banner.upcoming.label"),
                                   text: presenter.text("publish.banner.upcoming", presenter.date(date)),
                                   href: root + SitePaths.version(policy, language, date), linkText: versionOf(presenter, date), changesHref: nil)
        }
        let context: [String: Any] = [
            "banner": banner,
            "heading": presenter.text("publish.changes.heading", presenter.date(date)),
            "fromHref": root + SitePaths.version(policy, language, from), "fromText": versionOf(presenter, from),
            "toHref": root + SitePaths.version(policy, language, date), "toText": versionOf(presenter, date),
            "summary": new.version.summary as Any? ?? false,
            "groups": groups,
            "sections": sections,
            "t": strings(presenter),
        ]
        let content = theme.render("changes", context)
        let alternates = timeline.languages(at: date).filter { timeline.infos[from]?[$0] != nil }.map { ($0, SitePaths.changes(policy, $0, date)) }
        return layout(path: path, language: language, title: presenter.text("publish.title.changes", new.version.title, presenter.date(date)),
                      siteTitle: siteTitle(new), content: content, alternates: alternates, feed: SitePaths.feed(policy, language))
    }

    /// Redline segments as paragraphs of runs; a `\n\n` segment starts a new paragraph.
    static func paragraphs(_ redline: [RedlineSegment]) -> [[String: Any]] {
        var paragraphs: [[[String: Any]]] = [[]]
        for segment in redline {
            if segment.text == "\n\n" { paragraphs.append([]); continue }
            let op = segment.op
            paragraphs[paragraphs.count - 1].append([
                "sep": !paragraphs[paragraphs.count - 1].isEmpty, "text": segment.text,
                "equal": op == .equal, "ins": op == .insert || op == .moveTo, "del": op == .delete || op == .moveFrom,
                "moved": op == .moveTo || op == .moveFrom,
            ])
        }
        return paragraphs.filter { !$0.isEmpty }.map { ["runs": $0] }
    }

    // MARK: Lists, feed, index, versions.json

    func versionsPage(_ path: String, policy: String, language: String) -> String {
        let timeline = timelines[policy]!
        let presenter = Presenter(language: language)
        let root = SitePaths.root(of: path)
        let dates = timeline.dates(in: language)
        let newest = timeline.infos[dates.last!]![language]!
        let rows = dates.reversed().map { date -> [String: Any] in
            let info = timeline.infos[date]![language]!
            let isFirst = date == dates.first
            return ["href": root + SitePaths.version(policy, language, date), "effectiveText": presenter.date(date),
                    "status": presenter.text("publish.status.\(timeline.status(date).rawValue)"),
                    "announcedText": info.announced.map { presenter.date($0) } ?? "",
                    "changesHref": isFirst ? false : root + SitePaths.changes(policy, language, date) as Any]
        }
        let context: [String: Any] = [
            "heading": presenter.text("publish.versions.heading", newest.title),
            "caption": presenter.text("publish.versions.caption"),
            "rows": rows, "feed": root + SitePaths.feed(policy, language), "t": strings(presenter),
        ]
        let alternates = timeline.languages.map { ($0, SitePaths.versions(policy, $0)) }
        return layout(path: path, language: language, title: presenter.text("publish.versions.heading", newest.title),
                      siteTitle: settings.title ?? newest.controller, content: theme.render("versions", context),
                      alternates: alternates, feed: SitePaths.feed(policy, language))
    }

    func feed(_ path: String, policy: String, language: String) -> String {
        let timeline = timelines[policy]!
        let presenter = Presenter(language: language)
        let dates = timeline.dates(in: language)
        let newest = timeline.infos[dates.last!]![language]!
        let folder = SitePaths.languageRoot(policy, language)
        // Without a base URL, links are relative to the feed (RFC 4287 resolves them against the document).
        func link(_ target: String) -> String { settings.baseURL != nil ? url(target) : String(target.dropFirst(folder.count)) }
        func id(_ target: String, _ date: CalendarDate?) -> String {
            settings.baseURL != nil ? url(target) : "urn:policyc:\(policy):\(language)" + (date.map { ":\($0)" } ?? "")
        }
        func stamp(_ date: CalendarDate) -> String { "\(date)T00:00:00Z" }
        let entries = dates.reversed().map { date -> AtomFeed.Entry in
            let info = timeline.infos[date]![language]!
            let target = date == dates.first ? SitePaths.version(policy, language, date) : SitePaths.changes(policy, language, date)
            return AtomFeed.Entry(id: id(SitePaths.version(policy, language, date), date), title: versionOf(presenter, date),
                                  updated: stamp(info.announced ?? date), href: link(target),
                                  summary: info.summary ?? presenter.text("publish.feed.no-summary"))
        }
        let updated = dates.map { timeline.infos[$0]![language]!.announced ?? $0 }.max()!
        return AtomFeed(id: id(path, nil), language: language, title: newest.title, updated: stamp(updated),
                        selfHref: link(path), alternateHref: link(SitePaths.stable(policy, language)),
                        author: settings.title ?? newest.controller, entries: entries).xml
    }

    func indexPage(_ path: String) -> String {
        let policies = timelines.keys.sorted()
        let language = policies.first.map { timelines[$0]!.languages.first ?? "en" } ?? "en"
        let presenter = Presenter(language: language)
        let policyContexts = policies.map { policy -> [String: Any] in
            let timeline = timelines[policy]!
            let languages = timeline.languages.map { lang -> [String: Any] in
                let shown = timeline.stableDate(in: lang)!
                let info = timeline.infos[shown]![lang]!
                return ["hreflang": lang, "href": SitePaths.stable(policy, lang), "name": Self.languageName(lang), "title": info.title,
                        "versionsHref": SitePaths.versions(policy, lang), "allVersions": Presenter(language: lang).text("publish.ui.all-versions")]
            }
            let first = timeline.languages.first!
            let title = timeline.infos[timeline.stableDate(in: first)!]![first]!.title
            return ["id": policy, "title": title, "languages": languages]
        }
        let siteTitle = settings.title ?? infos.first?.controller ?? presenter.text("publish.ui.privacy")
        let context: [String: Any] = ["siteTitle": siteTitle, "policies": policyContexts, "t": strings(presenter)]
        return layout(path: path, language: language, title: siteTitle, siteTitle: siteTitle, content: theme.render("index", context),
                      alternates: [], feed: nil)
    }

    struct VersionsDocument: Encodable {
        var format = "policyc-versions/1"
        var today: CalendarDate
        var baseURL: String?
        var versions: [Entry]

        struct Entry: Encodable {
            var policy: String
            var language: String
            var effective: CalendarDate
            var announced: CalendarDate?
            var status: VersionStatus
            var contentHash: String
            var title: String
            var page: String
            var changes: String?
            var model: String
            var tilt: String
        }
    }

    /// Every version with its dates, status, language and content hash. "Which version was in force on day X" is the
    /// entry of the policy and language with the latest `effective` not after X.
    func versionsJSON() -> String {
        let entries = infos.sorted { ($0.policy, $0.language, $0.effective) < ($1.policy, $1.language, $1.effective) }.map { info in
            let timeline = timelines[info.policy]!
            let previous = timeline.neighbours(of: info.effective, in: info.language).previous
            return VersionsDocument.Entry(
                policy: info.policy, language: info.language, effective: info.effective, announced: info.announced,
                status: timeline.status(info.effective), contentHash: info.contentHash, title: info.title,
                page: url(SitePaths.version(info.policy, info.language, info.effective)),
                changes: previous.map { _ in url(SitePaths.changes(info.policy, info.language, info.effective)) },
                model: url(SitePaths.model(info.policy, info.language, info.effective)),
                tilt: url(SitePaths.tilt(info.policy, info.language, info.effective)))
        }
        let document = VersionsDocument(today: publisher.today, baseURL: settings.baseURL, versions: entries)
        return ((try? StableJSON.encode(document)) ?? "{}") + "\n"
    }
}
