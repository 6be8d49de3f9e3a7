import Foundation
import PolicyBase
import PolicyDiff
import PolicyModel
import PolicyPresent

/// The site as a pure function: from the versions (their infos, and the compiled documents of the policies whose
/// files must be rendered) to paths and bytes. The driver reads the sources and writes the files.
public struct Publisher: Sendable {
    /// Changes whenever what this code writes changes, so a new policyc re-renders every page.
    public static let generation = "policyc-publish/1"

    public let settings: SiteSettings
    public let theme: Theme
    public let today: CalendarDate
    /// The hash of everything every page depends on besides its data: generation, settings, templates.
    public let siteKey: String
    /// The Content-Security-Policy of every page. Nothing may load or run: no scripts, frames, fonts, images or
    /// connections; only the page's own stylesheet, by hash (computed once here, not for every page).
    /// (`frame-ancestors` has no effect in a meta element; a server header must set it.)
    let csp: String

    public init(settings: SiteSettings, theme: Theme, today: CalendarDate) {
        self.settings = settings
        self.theme = theme
        self.today = today
        let themeParts = theme.sources.keys.sorted().flatMap { [$0, theme.sources[$0]!] }
        self.siteKey = ContentHash.of(
            parts: [Self.generation, settings.baseURL ?? "", settings.title ?? "", settings.theme ?? ""] + themeParts)
        self.csp =
            "default-src 'none'; style-src 'sha256-\(ContentHash.cspBase64(theme.stylesheet))'; img-src 'none'; base-uri 'none'; form-action 'none'"
    }

    // MARK: Plan

    /// Every file of the site with the key of its inputs. Needs only the infos, so it runs before anything is compiled.
    public func plan(_ infos: [VersionInfo]) -> [PagePlan] {
        let byPolicy = Dictionary(grouping: infos, by: \.policy)
        return sitePlan(infos) + byPolicy.keys.sorted().flatMap { policyPlan(byPolicy[$0]!) }
    }

    /// The site-wide files, which list every version: they are cheap and always written.
    public func sitePlan(_ infos: [VersionInfo]) -> [PagePlan] {
        let sorted = infos.sorted { ($0.policy, $0.language, $0.effective) < ($1.policy, $1.language, $1.effective) }
        let everything = ContentHash.of(
            parts: [siteKey, today.description]
                + sorted.flatMap {
                    [$0.policy, $0.language, $0.effective.description, $0.contentHash]
                })
        return SitePlan.siteWide().map { PagePlan(path: SitePaths.path(of: $0), key: everything, kind: $0) }
    }

    /// The files of one policy (`infos` are all of its versions and none other), each with its path and key: each
    /// depends only on that policy's versions, so the site can be made policy by policy. Which files exist is
    /// `SitePlan`'s rule.
    public func policyPlan(_ infos: [VersionInfo]) -> [PagePlan] {
        guard let policy = infos.first?.policy else { return [] }
        let keys = PlanKeys(timeline: Timeline(policy: policy, infos: infos, today: today), siteKey: siteKey)
        return SitePlan.pages(of: keys.timeline).map {
            PagePlan(path: SitePaths.path(of: $0), key: keys.key(of: $0), kind: $0)
        }
    }

    // MARK: Build

    /// The site: every planned file, rendered when its key differs from `previous`'s, else `.unchanged`. `documents`
    /// must hold every policy whose changed files need them (`PagePlan.needsDocuments`). Pages render in parallel;
    /// the result is in plan order, so the output does not depend on scheduling.
    public func build(infos: [VersionInfo], documents: [PublishDocument], previous: SiteState?) -> (
        files: [SiteFile], state: SiteState
    ) {
        let site = prepare(infos: infos, documents: documents, previous: previous)
        return (
            site.pages.indices.map { $0 }.concurrentMap {
                SiteFile(path: site.pages[$0].path, content: site.content($0))
            }, site.state
        )
    }

    /// The site, rendered file by file on demand, so a writer can write each file as it is made instead of holding
    /// the whole site in memory (measured: 200 MB of pages for 2,000 versions).
    public func prepare(infos: [VersionInfo], documents: [PublishDocument], previous: SiteState?) -> SiteBuild {
        let pages = plan(infos)
        return SiteBuild(
            pages: pages, state: state(infos: infos, pages: pages), previous: previous,
            renderer: renderer(
                infos: infos, documents: documents, pages: pages.filter { previous?.keys[$0.path] != $0.key }))
    }

    /// What the site's state file records for these infos and planned files.
    public func state(infos: [VersionInfo], pages: [PagePlan]) -> SiteState {
        var keys: [String: String] = [:]
        for page in pages { keys[page.path] = page.key }
        let sortedInfos = infos.sorted {
            ($0.policy, $0.language, $0.effective) < ($1.policy, $1.language, $1.effective)
        }
        return SiteState(keys: keys, versions: sortedInfos)
    }

    /// A renderer of planned files. `infos` are every version the files show (one policy's, for its files; all, for
    /// the site-wide ones), `documents` the compiled versions that `pages`, the files about to be rendered, need.
    /// The diff of each pair of versions those pages show is computed here, once, on all cores: a change page and the
    /// TILT document of the version before it show the same diff.
    public func renderer(infos: [VersionInfo], documents: [PublishDocument], pages: [PagePlan]) -> PageRenderer {
        var seen = Set<String>()
        var pairs: [(old: PublishDocument, new: PublishDocument)] = []
        let byKey = Dictionary(
            documents.map { (RenderContext.key($0.version.policy, $0.version.language, $0.version.effective), $0) },
            uniquingKeysWith: { _, last in last })
        func pair(_ policy: String, _ language: String, _ from: CalendarDate, _ to: CalendarDate) {
            let key = RenderContext.key(policy, language, to)
            guard !seen.contains(key), let old = byKey[RenderContext.key(policy, language, from)], let new = byKey[key]
            else { return }
            seen.insert(key)
            pairs.append((old, new))
        }
        for page in pages {
            switch page.kind {
            case .changes(let policy, let language, let from, let date): pair(policy, language, from, date)
            case .tilt(let policy, let language, let date, let next?): pair(policy, language, date, next)
            default: break
            }
        }
        let diffs = pairs.map { PairBox(old: $0.old, new: $0.new) }.concurrentMap {
            VersionDiff.compare($0.old.version, $0.new.version)
        }
        var byTarget: [String: VersionDiff] = [:]
        for (pair, diff) in zip(pairs, diffs) {
            byTarget[
                RenderContext.key(pair.new.version.policy, pair.new.version.language, pair.new.version.effective)] =
                diff
        }
        return PageRenderer(
            context: RenderContext(publisher: self, infos: infos, documents: documents, diffs: byTarget))
    }
}

/// What each file of a policy is made from, as a hash: its version and neighbours as the file shows them (date,
/// status, content hash, languages), and everything every page depends on (`siteKey`).
struct PlanKeys {
    let timeline: Timeline
    let siteKey: String
    /// What each version's files show of it, per language, worked out once a version rather than for every key.
    private let described: [String: [CalendarDate: [String]]]

    init(timeline: Timeline, siteKey: String) {
        self.timeline = timeline
        self.siteKey = siteKey
        var described: [String: [CalendarDate: [String]]] = [:]
        for language in timeline.languages {
            for date in timeline.dates(in: language) {
                described[language, default: [:]][date] = [
                    date.description, timeline.status(date).rawValue, Self.hash(timeline, date, language),
                    timeline.languages(at: date).joined(separator: ","),
                ]
            }
        }
        self.described = described
    }

    static func hash(_ timeline: Timeline, _ date: CalendarDate?, _ language: String) -> String {
        date.flatMap { timeline.infos[$0]?[language]?.contentHash } ?? "-"
    }

    func describe(_ date: CalendarDate?, _ language: String) -> [String] {
        date.flatMap { described[language]?[$0] } ?? ["-"]
    }

    func key(of kind: PagePlan.Kind) -> String {
        switch kind {
        case .index, .versionsJSON:
            preconditionFailure("site-wide files are keyed by Publisher.sitePlan")
        case .version(_, let language, let date):
            let (previous, next) = timeline.neighbours(of: date, in: language)
            return ContentHash.of(
                parts: ["version", siteKey] + describe(date, language) + describe(previous, language)
                    + describe(next, language))
        case .changes(_, let language, let previous, let date):
            return ContentHash.of(
                parts: ["changes", siteKey] + describe(date, language) + describe(previous, language))
        case .model(_, let language, let date):
            return ContentHash.of(parts: ["model", Publisher.generation, Self.hash(timeline, date, language)])
        case .tilt(_, let language, let date, let next):
            return ContentHash.of(parts: ["tilt", siteKey] + describe(date, language) + describe(next, language))
        case .stable(_, let language, let shown):
            let (previous, next) = timeline.neighbours(of: shown, in: language)
            return ContentHash.of(
                parts: ["stable", siteKey] + describe(shown, language) + describe(previous, language)
                    + describe(next, language))
        case .versions(_, let language):
            return "versions:" + listKey(language)
        case .feed(_, let language):
            return "feed:" + listKey(language)
        }
    }

    private func listKey(_ language: String) -> String {
        ContentHash.of(
            parts: [siteKey] + timeline.languages
                + timeline.dates(in: language).flatMap { date -> [String] in
                    let info = timeline.infos[date]![language]!
                    return describe(date, language) + [
                        info.announced?.description ?? "-", info.summary ?? "-", info.title,
                    ]
                })
    }
}

private struct PairBox: Sendable {
    let old: PublishDocument
    let new: PublishDocument
}

/// Renders planned files to their bytes. Pure, and safe to call from several threads.
public struct PageRenderer: Sendable {
    let context: RenderContext

    public func render(_ page: PagePlan) -> [UInt8] { context.render(page) }
}

/// The planned site with its renderer: `content(i)` is the i-th file's bytes, or `.unchanged` when its key equals
/// the previous publish's. Pure, and safe to call from several threads.
public struct SiteBuild: Sendable {
    public let pages: [PagePlan]
    public let state: SiteState
    let previous: SiteState?
    let renderer: PageRenderer

    /// Whether the i-th file must be rendered (its key changed, or it is one of the files always written).
    public func changed(_ index: Int) -> Bool {
        let page = pages[index]
        guard let previous, previous.keys[page.path] == page.key else { return true }
        return page.kind == .index || page.kind == .versionsJSON
    }

    public func content(_ index: Int) -> SiteContent {
        changed(index) ? .bytes(renderer.render(pages[index])) : .unchanged
    }
}
