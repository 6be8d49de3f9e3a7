import Foundation
import PolicyBase
import PolicyDiff
import PolicyModel
import PolicyPresent

/// Renders planned files. Builds each page's model from the model and the Presenter's words (PageModels.swift); the
/// templates decide the markup. A page whose templates are all built in is written by the Swift generated from them
/// (BuiltInPages.swift), the same bytes as Mustache; a shop's template gets the model as Mustache's dictionaries, where
/// every key its templates ask for is set (false when absent), because Mustache looks a missing key up in the enclosing
/// contexts and would show a parent's value.
struct RenderContext: @unchecked Sendable {
    let publisher: Publisher
    let infos: [VersionInfo]
    let timelines: [String: Timeline]
    let documents: [String: PublishDocument]
    /// The diff of each pair of consecutive versions that pages rendered with this context show, by
    /// `Self.key(policy, language, to)`: the change page and the TILT document of the version before both need it, so
    /// it is computed once (`Publisher.renderer`).
    let diffs: [String: VersionDiff]
    /// Each language's own name ("Nederlands"), from ICU, looked up once rather than for every link on every page.
    let languageNames: [String: String]
    /// The interface texts (`t.*`) of each language.
    let interface: [String: [String: String]]
    /// Fact boxes already made while rendering with this context (one policy): most facts stay the same from version
    /// to version, and a box is a function of its fact, the titles it may name, and the language.
    let boxes = BoxMemo()

    init(publisher: Publisher, infos: [VersionInfo], documents: [PublishDocument], diffs: [String: VersionDiff] = [:]) {
        self.publisher = publisher
        self.infos = infos
        self.timelines = Dictionary(grouping: infos, by: \.policy).mapValues {
            Timeline(policy: $0[0].policy, infos: $0, today: publisher.today)
        }
        var byKey: [String: PublishDocument] = [:]
        for document in documents {
            byKey[Self.key(document.version.policy, document.version.language, document.version.effective)] = document
        }
        self.documents = byKey
        self.diffs = diffs
        let languages = Set(infos.map(\.language)).union(["en"])
        self.languageNames = Dictionary(uniqueKeysWithValues: languages.map { ($0, Self.languageName($0)) })
        self.interface = Dictionary(
            uniqueKeysWithValues: languages.map { language in
                let presenter = Presenter(language: language)
                return (
                    language,
                    Dictionary(uniqueKeysWithValues: Self.uiKeys.map { ($0, presenter.text("publish.ui.\($0)")) })
                )
            })
    }

    static func key(_ policy: String, _ language: String, _ date: CalendarDate) -> String {
        "\(policy)/\(language)/\(date)"
    }

    func document(_ policy: String, _ language: String, _ date: CalendarDate) -> PublishDocument {
        guard let document = documents[Self.key(policy, language, date)] else {
            preconditionFailure("publish: \(policy) \(language) \(date) was planned for rendering but not compiled")
        }
        return document
    }

    var settings: SiteSettings { publisher.settings }
    var theme: Theme { publisher.theme }

    func render(_ page: PagePlan) -> [UInt8] {
        switch page.kind {
        case .index: indexPage(page.path)
        case .versionsJSON: versionsJSON()
        case .version(let policy, let language, let date), .stable(let policy, let language, let date):
            versionPage(
                page.path, policy: policy, language: language, date: date,
                stable: { if case .stable = page.kind { true } else { false } }())
        case .changes(let policy, let language, let from, let date):
            changesPage(page.path, policy: policy, language: language, from: from, date: date)
        case .versions(let policy, let language): versionsPage(page.path, policy: policy, language: language)
        case .feed(let policy, let language): Array(feed(page.path, policy: policy, language: language).utf8)
        case .model(let policy, let language, let date): StableJSON.file(document(policy, language, date).version)
        case .tilt(let policy, let language, let date, let next):
            TILT.document(
                for: document(policy, language, date), next: next.map { document(policy, language, $0) },
                diff: next.flatMap { diffs[Self.key(policy, language, $0)] },
                status: timelines[policy]!.status(date), url: url(SitePaths.version(policy, language, date)),
                nextURL: next.map { url(SitePaths.version(policy, language, $0)) })
        }
    }

    /// The diff of a version against the one before it: computed beforehand when the renderer was made, else now.
    func diff(_ old: PublishDocument, _ new: PublishDocument) -> VersionDiff {
        diffs[Self.key(new.version.policy, new.version.language, new.version.effective)]
            ?? VersionDiff.compare(old.version, new.version)
    }

    // MARK: Shared parts

    /// An absolute address when a base URL is set, else the root-relative path.
    func url(_ path: String) -> String { (settings.baseURL ?? "") + SitePaths.address(path) }

    /// The interface texts of a language, as every template's `t`.
    func ui(_ language: String) -> [String: String] {
        interface[language]
            ?? Dictionary(
                uniqueKeysWithValues: Self.uiKeys.map { ($0, Presenter(language: language).text("publish.ui.\($0)")) })
    }

    static let uiKeys = [
        "skip", "languages", "footer", "toc", "overview", "this-version", "read-changes", "all-versions", "model-json",
        "tilt-json", "feed", "none", "compared", "summary", "changes", "no-changes", "redline", "legend", "no-redline",
        "col-effective", "col-status", "col-announced", "col-changes", "contact",
    ]

    static func languageName(_ language: String) -> String {
        let name = Locale(identifier: language).localizedString(forLanguageCode: language) ?? language
        return name.prefix(1).uppercased() + name.dropFirst()
    }

    func languageName(_ language: String) -> String { languageNames[language] ?? Self.languageName(language) }

    /// The page around its content: head with CSP, canonical and hreflang links, header with the language switch.
    func layout(
        path: String, language: String, title: String, siteTitle: String,
        alternates: [(language: String, path: String)], feed: String?
    ) -> LayoutModel {
        let root = SitePaths.root(of: path)
        return LayoutModel(
            lang: language, title: title, siteTitle: siteTitle, root: root, csp: publisher.csp, style: theme.stylesheet,
            canonical: settings.baseURL.map { _ in url(path) },
            alternates: alternates.map { .init(hreflang: $0.language, href: root + $0.path, name: "") },
            translations: alternates.filter { $0.language != language }.map {
                .init(hreflang: $0.language, href: root + $0.path, name: languageName($0.language))
            },
            feed: feed.map { root + $0 }, feedTitle: Presenter(language: language).text("publish.ui.feed"),
            t: ui(language))
    }

    /// A whole page: the layout around the content template `name`. Written by generated Swift where the layout, or the
    /// content template and its `partials`, are the built-in ones; else by the theme's templates from the models'
    /// dictionaries. Either way the same bytes for the built-in theme (a test holds the two together).
    func page(
        _ layout: LayoutModel, template name: String, partials: [String] = [], write: (inout HTMLWriter) -> Void,
        context: () -> [String: Any]
    ) -> [UInt8] {
        let builtInContent = ([name] + partials).allSatisfy(theme.builtIn.contains)
        if theme.builtIn.contains("layout") {
            var out = HTMLWriter()
            layout.write(into: &out) { out in
                if builtInContent { write(&out) } else { out.raw(theme.render(name, context())) }
            }
            return out.bytes
        }
        let content: String
        if builtInContent {
            var out = HTMLWriter()
            write(&out)
            content = String(decoding: out.bytes, as: UTF8.self)
        } else {
            content = theme.render(name, context())
        }
        return Array(theme.render("layout", layout.context(content: content)).utf8)
    }

    func siteTitle(_ document: PublishDocument) -> String { settings.title ?? document.version.controller.name }

    func versionOf(_ presenter: Presenter, _ date: CalendarDate) -> String {
        presenter.text("publish.version-of", presenter.date(date))
    }

    /// The words of a link to the change page of the version of `date`: in the future tense while that version is
    /// upcoming on the publishing day, in the past once it has taken effect.
    func changesText(_ presenter: Presenter, _ date: CalendarDate, status: VersionStatus) -> String {
        presenter.text(
            status == .upcoming ? "publish.changes-link.future" : "publish.changes-link.past",
            presenter.date(date))
    }

    /// How many blocks of a body come before the version's status: up to and including the first `h1`, none when
    /// the body has no `h1`.
    static func lead(of blocks: [BlockModel]) -> Int {
        guard let first = blocks.firstIndex(where: { $0.html.hasPrefix("<h1") }) else { return 0 }
        return first + 1
    }

    // MARK: Version page

    func versionPage(_ path: String, policy: String, language: String, date: CalendarDate, stable: Bool) -> [UInt8] {
        let document = self.document(policy, language, date)
        let version = document.version
        let timeline = timelines[policy]!
        let presenter = Presenter(language: language)
        let root = SitePaths.root(of: path)
        let (previous, next) = timeline.neighbours(of: date, in: language)
        let status = timeline.status(date)
        let (body, toc) = self.body(document, presenter: presenter)
        let lead = Self.lead(of: body)

        let banner = self.banner(
            status: status, policy: policy, language: language, date: date, previous: previous, next: next,
            timeline: timeline, presenter: presenter, root: root)
        let effectiveText: String
        switch status {
        case .archived:
            effectiveText = presenter.text(
                "publish.status.archived.since", presenter.date(date), presenter.date(next ?? date))
        case .current: effectiveText = presenter.text("publish.status.current.since", presenter.date(date))
        case .upcoming: effectiveText = presenter.text("publish.status.upcoming.from", presenter.date(date))
        }
        let model = VersionPageModel(
            banner: banner,
            toc: toc + [
                TocEntry(id: "policyc-overview", text: presenter.text("publish.ui.overview"), level: 2),
                TocEntry(id: "policyc-contact", text: presenter.text("publish.ui.contact"), level: 2),
            ],
            lead: Array(body[..<lead]),
            blocks: Array(body[lead...]),
            overview: presenter.dataOverview(version),
            coversHeading: presenter.text("publish.overview.covers"),
            commitmentsHeading: presenter.text("publish.overview.commitments"),
            notStatedHeading: presenter.text("publish.overview.not-stated.heading"),
            parties: contactParties(version, presenter: presenter),
            effectiveText: effectiveText,
            announcedText: version.announced.map { presenter.text("publish.announced-on", presenter.date($0)) },
            changesHref: previous.map { _ in root + SitePaths.changes(policy, language, date) },
            changesText: changesText(presenter, date, status: status),
            previous: previous.map {
                LinkModel(
                    href: root + SitePaths.version(policy, language, $0),
                    text: presenter.text("publish.previous", presenter.date($0)))
            },
            next: next.map {
                LinkModel(
                    href: root + SitePaths.version(policy, language, $0),
                    text: presenter.text("publish.next", presenter.date($0)))
            },
            versionsHref: root + SitePaths.versions(policy, language),
            modelHref: root + SitePaths.model(policy, language, date),
            tiltHref: root + SitePaths.tilt(policy, language, date),
            feed: root + SitePaths.feed(policy, language),
            t: ui(language))
        let alternates = timeline.languages(at: date).map { lang in
            (
                lang,
                stable && timeline.stableDate(in: lang) == date
                    ? SitePaths.stable(policy, lang) : SitePaths.version(policy, lang, date)
            )
        }
        let title =
            stable ? version.title : presenter.text("publish.title.version", version.title, presenter.date(date))
        return page(
            layout(
                path: path, language: language, title: title, siteTitle: siteTitle(document),
                alternates: alternates, feed: SitePaths.feed(policy, language)),
            template: "version", partials: ["banner", "factbox", "overview", "contact"],
            write: { model.write(into: &$0) }, context: { model.context })
    }

    /// The banner of a version page: archived (with the version that replaced it), upcoming, or in force with a
    /// successor announced; nil for the version in force with none.
    func banner(
        status: VersionStatus, policy: String, language: String, date: CalendarDate, previous: CalendarDate?,
        next: CalendarDate?, timeline: Timeline, presenter: Presenter, root: String
    ) -> BannerModel? {
        switch status {
        case .archived:
            if let next {
                return BannerModel(
                    kind: "archived", label: presenter.text("publish.banner.archived.label"),
                    text: presenter.text("publish.banner.archived", presenter.date(next)),
                    href: root + SitePaths.version(policy, language, next), linkText: versionOf(presenter, next),
                    changesHref: root + SitePaths.changes(policy, language, next),
                    changesText: changesText(presenter, next, status: timeline.status(next)))
            }
        case .upcoming:
            return BannerModel(
                kind: "upcoming", label: presenter.text("publish.banner.upcoming.label"),
                text: presenter.text("publish.banner.upcoming", presenter.date(date)),
                href: timeline.current.flatMap { current in
                    timeline.infos[current]?[language] != nil
                        ? root + SitePaths.version(policy, language, current) : nil
                },
                linkText: presenter.text("publish.banner.upcoming.link"),
                changesHref: previous.map { _ in root + SitePaths.changes(policy, language, date) },
                changesText: changesText(presenter, date, status: status))
        case .current:
            if let next {
                return BannerModel(
                    kind: "announced", label: presenter.text("publish.banner.announced.label"),
                    text: presenter.text("publish.banner.announced", presenter.date(next)),
                    href: root + SitePaths.version(policy, language, next), linkText: versionOf(presenter, next),
                    changesHref: root + SitePaths.changes(policy, language, next),
                    changesText: changesText(presenter, next, status: timeline.status(next)))
            }
        }
        return nil
    }

    /// Who is responsible, whom to ask and where to complain, from the front matter, by the schemas' field names.
    /// Only http(s) addresses become links, and e-mail addresses `mailto:` links; every text is escaped by the template.
    func contactParties(_ version: PolicyVersion, presenter: Presenter) -> [PartyModel] {
        func row(_ schema: FactSchema, _ key: String, _ value: FactValue?) -> ContactRowModel? {
            guard let value else { return nil }
            let words: String
            if case .text(let raw) = value, key == "address" {
                words = raw
            } else {
                words = presenter.value(value, of: schema.field(key), labels: Presenter.labels(version))
            }
            var href: String?
            if case .text(let raw) = value {
                let lower = raw.lowercased()
                if key == "website" || key == "list-url", lower.hasPrefix("https://") || lower.hasPrefix("http://") {
                    href = raw
                }
                if key == "email" { href = "mailto:" + raw }
            }
            let name = presenter.fieldName(schema.name, key)
            return ContactRowModel(term: name.prefix(1).uppercased() + name.dropFirst(), value: words, href: href)
        }
        func rows(_ record: some SchemaRecord, skip: Set<String> = []) -> [ContactRowModel] {
            type(of: record).schema.fields.filter { !skip.contains($0.key) && $0.change != .identity }.compactMap {
                row(type(of: record).schema, $0.key, record.value($0.key))
            }
        }
        var parties: [PartyModel] = []
        for controller in version.controllers {
            let heading = presenter.text("publish.ui.controller") + (controller.region.map { " (\($0))" } ?? "")
            parties.append(PartyModel(heading: heading, rows: rows(controller, skip: ["region", "privacy-contact"])))
            if let contact = controller.privacyContact {
                parties.append(PartyModel(heading: presenter.text("publish.ui.privacy-contact"), rows: rows(contact)))
            }
        }
        if let contact = version.privacyContact {
            parties.append(PartyModel(heading: presenter.text("publish.ui.privacy-contact"), rows: rows(contact)))
        }
        for authority in version.supervisoryAuthorities {
            parties.append(PartyModel(heading: presenter.text("publish.ui.authority"), rows: rows(authority)))
        }
        return parties.filter { !$0.rows.isEmpty }
    }

    /// The body's blocks (cmark's safe HTML, headings with their section ids, fact blocks as boxes) and the table of
    /// contents. Headings map to the model's sections in order: the compiler makes one section a heading.
    func body(_ document: PublishDocument, presenter: Presenter) -> (blocks: [BlockModel], toc: [TocEntry]) {
        let version = document.version
        let labels = Presenter.labels(version)
        let labelSet = boxes.id(of: labels)
        let headed = version.sections.filter { $0.level > 0 }
        var headingIndex = 0
        var current: Section? = version.sections.first { $0.level == 0 }
        var cursor = 0
        var blocks: [BlockModel] = []
        var toc: [TocEntry] = []
        // How often each box title has been used on this page: boxes are landmarks, which a screen reader lists by
        // name, so a second box of the same name (two cookies both called "Analytics") is numbered.
        var titles: [String: Int] = [:]
        for block in document.body {
            switch block {
            case .heading(let level, let html):
                guard headingIndex < headed.count else { continue }
                let section = headed[headingIndex]
                headingIndex += 1
                current = section
                cursor = 0
                blocks.append(.html(HTML.heading(html, level: level, id: section.id)))
                if level >= 2 { toc.append(TocEntry(id: section.id, text: section.heading, level: level)) }
            case .prose(let html):
                blocks.append(.html(HTML.prose(html)))
            case .facts(let count):
                guard let section = current else { continue }
                let keys = section.facts.dropFirst(cursor).prefix(count)
                cursor += count
                for key in keys {
                    guard let fact = version.fact(key),
                        let box = boxes.box(
                            BoxMemo.Key(
                                language: presenter.language, labels: labelSet, factKey: key,
                                fact: AnyHashable([AnyHashable(fact), AnyHashable(version.scopes[key])])),
                            make: {
                                presenter.factBox(key, in: version, fact: fact, labels: labels)
                            })
                    else { continue }
                    // `kind/id` → `fact-kind-id`, byte by byte (Foundation's `replacingOccurrences` cost 1.5% of a
                    // publish here, splitting and joining 1.6%).
                    blocks.append(
                        .box(
                            id: "fact-" + String(decoding: key.utf8.map { $0 == 0x2F ? 0x2D : $0 }, as: UTF8.self),
                            title: Self.numbered(box.title, &titles), rows: box.rows))
                }
            }
        }
        return (blocks, toc)
    }

    /// `title`, or "title (2)" from its second use on a page.
    static func numbered(_ title: String, _ used: inout [String: Int]) -> String {
        let count = (used[title] ?? 0) + 1
        used[title] = count
        return count == 1 ? title : "\(title) (\(count))"
    }

    // MARK: Change page

    func changesPage(_ path: String, policy: String, language: String, from: CalendarDate, date: CalendarDate)
        -> [UInt8]
    {
        let old = document(policy, language, from)
        let new = document(policy, language, date)
        let presenter = Presenter(language: language)
        let root = SitePaths.root(of: path)
        let timeline = timelines[policy]!
        let diff = self.diff(old, new)
        let names = presenter.sectionNames(diff.sections)
        let groups = Impact.allCases.compactMap { impact -> ImpactGroupModel? in
            let records = diff.changes.filter { $0.impact == impact }
            guard !records.isEmpty else { return nil }
            let (title, explanation) = presenter.impact(impact)
            return ImpactGroupModel(
                impact: impact.rawValue, title: title, explanation: explanation,
                items: records.map { presenter.changeOnRecord(presenter.naming($0, names), labels: diff.labels) })
        }
        let sections = diff.sections.map { section in
            RedlineSectionModel(
                id: section.id,
                heading: section.heading.isEmpty
                    ? presenter.text("publish.section.opening") : names[section.id] ?? section.heading,
                status: presenter.text("publish.section.\(section.status.rawValue)"),
                paragraphs: Self.paragraphs(section.redline))
        }
        var banner: BannerModel?
        if timeline.status(date) == .upcoming {
            banner = BannerModel(
                kind: "upcoming", label: presenter.text("publish.banner.upcoming.label"),
                text: presenter.text("publish.banner.upcoming", presenter.date(date)),
                // The link follows the banner's sentence ("Takes effect on …."): a sentence of its own.
                href: root + SitePaths.version(policy, language, date),
                linkText: Sentences.capitalised(versionOf(presenter, date)), changesHref: nil)
        }
        let model = ChangesPageModel(
            banner: banner,
            heading: presenter.text(
                timeline.status(date) == .upcoming ? "publish.changes.heading" : "publish.changes.heading.past",
                presenter.date(date)),
            fromHref: root + SitePaths.version(policy, language, from), fromText: versionOf(presenter, from),
            toHref: root + SitePaths.version(policy, language, date), toText: versionOf(presenter, date),
            summary: new.version.summary,
            notAnnounced: Presenter.notAnnounced(diff) ? presenter.text("report.not-announced") : nil, groups: groups,
            sections: sections, t: ui(language))
        let alternates = timeline.languages(at: date).filter { timeline.infos[from]?[$0] != nil }.map {
            ($0, SitePaths.changes(policy, $0, date))
        }
        return page(
            layout(
                path: path, language: language,
                title: presenter.text("publish.title.changes", new.version.title, presenter.date(date)),
                siteTitle: siteTitle(new), alternates: alternates, feed: SitePaths.feed(policy, language)),
            template: "changes", partials: ["banner"], write: { model.write(into: &$0) }, context: { model.context })
    }

    /// Redline segments as paragraphs of runs; a `\n\n` segment starts a new paragraph.
    static func paragraphs(_ redline: [RedlineSegment]) -> [[RunModel]] {
        var paragraphs: [[RunModel]] = [[]]
        for segment in redline {
            if segment.text == "\n\n" {
                paragraphs.append([])
                continue
            }
            paragraphs[paragraphs.count - 1].append(
                RunModel(sep: !paragraphs[paragraphs.count - 1].isEmpty, text: segment.text, op: segment.op))
        }
        return paragraphs.filter { !$0.isEmpty }
    }

    // MARK: Lists, feed, index, versions.json

    func versionsPage(_ path: String, policy: String, language: String) -> [UInt8] {
        let timeline = timelines[policy]!
        let presenter = Presenter(language: language)
        let root = SitePaths.root(of: path)
        let dates = timeline.dates(in: language)
        let newest = timeline.infos[dates.last!]![language]!
        let rows = dates.reversed().map { date -> VersionRowModel in
            let info = timeline.infos[date]![language]!
            return VersionRowModel(
                href: root + SitePaths.version(policy, language, date), effectiveText: presenter.date(date),
                status: presenter.text("publish.status.\(timeline.status(date).rawValue)"),
                announcedText: info.announced.map { presenter.date($0) } ?? "",
                changesHref: date == dates.first ? nil : root + SitePaths.changes(policy, language, date),
                changesText: changesText(presenter, date, status: timeline.status(date)))
        }
        let model = VersionsPageModel(
            heading: presenter.text("publish.versions.heading", newest.title),
            caption: presenter.text("publish.versions.caption"),
            rows: rows, feed: root + SitePaths.feed(policy, language), t: ui(language))
        let alternates = timeline.languages.map { ($0, SitePaths.versions(policy, $0)) }
        return page(
            layout(
                path: path, language: language, title: presenter.text("publish.versions.heading", newest.title),
                siteTitle: settings.title ?? newest.controller, alternates: alternates,
                feed: SitePaths.feed(policy, language)),
            template: "versions", write: { model.write(into: &$0) }, context: { model.context })
    }

    func feed(_ path: String, policy: String, language: String) -> String {
        let timeline = timelines[policy]!
        let presenter = Presenter(language: language)
        let dates = timeline.dates(in: language)
        let newest = timeline.infos[dates.last!]![language]!
        let folder = SitePaths.languageRoot(policy, language)
        // Without a base URL, links are relative to the feed (RFC 4287 resolves them against the document).
        func link(_ target: String) -> String {
            settings.baseURL != nil ? url(target) : String(target.dropFirst(folder.count))
        }
        func id(_ target: String, _ date: CalendarDate?) -> String {
            settings.baseURL != nil ? url(target) : "urn:policyc:\(policy):\(language)" + (date.map { ":\($0)" } ?? "")
        }
        func stamp(_ date: CalendarDate) -> String { "\(date)T00:00:00Z" }
        let entries = dates.reversed().map { date -> AtomFeed.Entry in
            let info = timeline.infos[date]![language]!
            let target =
                date == dates.first
                ? SitePaths.version(policy, language, date) : SitePaths.changes(policy, language, date)
            return AtomFeed.Entry(
                id: id(SitePaths.version(policy, language, date), date), title: versionOf(presenter, date),
                updated: stamp(info.announced ?? date), href: link(target),
                summary: info.summary ?? presenter.text("publish.feed.no-summary"))
        }
        let updated = dates.map { timeline.infos[$0]![language]!.announced ?? $0 }.max()!
        return AtomFeed(
            id: id(path, nil), language: language, title: newest.title, updated: stamp(updated),
            selfHref: link(path), alternateHref: link(SitePaths.stable(policy, language)),
            author: settings.title ?? newest.controller, entries: entries
        ).xml
    }

    /// The one index page: by Mustache, built-in template or not (one page a site is not worth a second renderer).
    func indexPage(_ path: String) -> [UInt8] {
        let policies = timelines.keys.sorted()
        let language = policies.first.map { timelines[$0]!.languages.first ?? "en" } ?? "en"
        let presenter = Presenter(language: language)
        let policyContexts = policies.map { policy -> [String: Any] in
            let timeline = timelines[policy]!
            let languages = timeline.languages.map { lang -> [String: Any] in
                let shown = timeline.stableDate(in: lang)!
                let info = timeline.infos[shown]![lang]!
                return [
                    "hreflang": lang, "href": SitePaths.stable(policy, lang), "name": languageName(lang),
                    "title": info.title,
                    "versionsHref": SitePaths.versions(policy, lang),
                    "allVersions": Presenter(language: lang).text("publish.ui.all-versions"),
                ]
            }
            let first = timeline.languages.first!
            let title = timeline.infos[timeline.stableDate(in: first)!]![first]!.title
            return ["id": policy, "title": title, "languages": languages]
        }
        let siteTitle = settings.title ?? infos.first?.controller ?? presenter.text("publish.ui.privacy")
        let context: [String: Any] = ["siteTitle": siteTitle, "policies": policyContexts, "t": ui(language)]
        return page(
            layout(path: path, language: language, title: siteTitle, siteTitle: siteTitle, alternates: [], feed: nil),
            template: "index", write: { $0.raw(theme.render("index", context)) }, context: { context })
    }

    struct VersionsDocument {
        var format = "policyc-versions/1"
        var today: CalendarDate
        var baseURL: String?
        var versions: [Entry]

        struct Entry {
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
    func versionsJSON() -> [UInt8] {
        let entries = infos.sorted { ($0.policy, $0.language, $0.effective) < ($1.policy, $1.language, $1.effective) }
            .map { info in
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
        return StableJSON.file(document)
    }
}

/// Fact boxes by what they are made from. Safe to use from several threads.
final class BoxMemo: @unchecked Sendable {
    struct Key: Hashable {
        var language: String
        /// Which set of fact titles the box may name (`id(of:)`).
        var labels: Int
        /// `kind/id`: with the others, all that is hashed. Hashing the whole fact (every text of it) cost more than
        /// the boxes it saved; the few versions of one fact under one key are told apart by `==`.
        var factKey: String
        var fact: AnyHashable

        func hash(into hasher: inout Hasher) {
            hasher.combine(labels)
            hasher.combine(factKey)
            hasher.combine(language)
        }

        static func == (a: Key, b: Key) -> Bool {
            a.labels == b.labels && a.factKey == b.factKey && a.language == b.language && a.fact == b.fact
        }
    }

    private let lock = NSLock()
    private var labelSets: [[String: String]] = []
    private var made: [Key: FactBox?] = [:]

    /// A number for a set of fact titles: the same for equal sets (versions of a policy mostly share theirs).
    func id(of labels: [String: String]) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if let index = labelSets.firstIndex(of: labels) { return index }
        labelSets.append(labels)
        return labelSets.count - 1
    }

    func box(_ key: Key, make: () -> FactBox?) -> FactBox? {
        lock.lock()
        if let known = made[key] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let box = make()
        lock.lock()
        made[key] = box
        lock.unlock()
        return box
    }
}

/// versions.json, written directly (a publish with nothing to do renders it to compare it with the one on disk; through
/// `Encodable` it was the slowest page of that run). A test holds it to `StableJSON.encode` of the `Encodable`
/// reference in Tests/PolicyPublishTests.
extension RenderContext.VersionsDocument: StableJSONWritable {
    func writeStableJSON(_ writer: inout StableJSONWriter) {
        writer.beginObject()
        if let baseURL { writer.field("baseURL", baseURL) }
        writer.field("format", format)
        writer.field("today", today.description)
        writer.key("versions")
        writer.beginArray()
        for entry in versions {
            writer.beginObject()
            if let announced = entry.announced { writer.field("announced", announced.description) }
            if let changes = entry.changes { writer.field("changes", changes) }
            writer.field("contentHash", entry.contentHash)
            writer.field("effective", entry.effective.description)
            writer.field("language", entry.language)
            writer.field("model", entry.model)
            writer.field("page", entry.page)
            writer.field("policy", entry.policy)
            writer.field("status", entry.status.rawValue)
            writer.field("tilt", entry.tilt)
            writer.field("title", entry.title)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }
}
