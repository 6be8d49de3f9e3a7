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
        self.siteKey = ContentHash.of(parts: [Self.generation, settings.baseURL ?? "", settings.title ?? "", settings.theme ?? ""] + themeParts)
        self.csp = "default-src 'none'; style-src 'sha256-\(ContentHash.cspBase64(theme.stylesheet))'; img-src 'none'; base-uri 'none'; form-action 'none'"
    }

    // MARK: Plan

    /// Every file of the site with the key of its inputs. Needs only the infos, so it runs before anything is compiled.
    public func plan(_ infos: [VersionInfo]) -> [PagePlan] {
        let byPolicy = Dictionary(grouping: infos, by: \.policy)
        return sitePlan(infos) + byPolicy.keys.sorted().flatMap { policyPlan(byPolicy[$0]!) }
    }

    /// The site-wide files, which list every version: they are cheap and always written.
    public func sitePlan(_ infos: [VersionInfo]) -> [PagePlan] {
        let everything = ContentHash.of(parts: [siteKey, today.description] + infos.sorted { ($0.policy, $0.language, $0.effective) < ($1.policy, $1.language, $1.effective) }
            .flatMap { [$0.policy, $0.language, $0.effective.description, $0.contentHash] })
        return [PagePlan(path: SitePaths.index, key: everything, kind: .index),
                PagePlan(path: SitePaths.versionsJSON, key: everything, kind: .versionsJSON)]
    }

    /// The files of one policy (`infos` are all of its versions and none other): each depends only on that policy's
    /// versions, so the site can be made policy by policy.
    public func policyPlan(_ infos: [VersionInfo]) -> [PagePlan] {
        guard let policy = infos.first?.policy else { return [] }
        var pages: [PagePlan] = []
        let timeline = Timeline(policy: policy, infos: infos, today: today)
        for language in timeline.languages {
            let dates = timeline.dates(in: language)
            func hash(_ date: CalendarDate?) -> String { date.flatMap { timeline.infos[$0]?[language]?.contentHash } ?? "-" }
            // What each version's files show of it, worked out once a version rather than for every key.
            var described: [CalendarDate: [String]] = [:]
            for date in dates {
                described[date] = [date.description, timeline.status(date).rawValue, hash(date), timeline.languages(at: date).joined(separator: ",")]
            }
            func describe(_ date: CalendarDate?) -> [String] { date.flatMap { described[$0] } ?? ["-"] }
            for date in dates {
                let (previous, next) = timeline.neighbours(of: date, in: language)
                let versionKey = ContentHash.of(parts: ["version", siteKey] + describe(date) + describe(previous) + describe(next))
                pages.append(PagePlan(path: SitePaths.version(policy, language, date), key: versionKey, kind: .version(policy: policy, language: language, date: date)))
                if let previous {
                    pages.append(PagePlan(path: SitePaths.changes(policy, language, date),
                                          key: ContentHash.of(parts: ["changes", siteKey] + describe(date) + describe(previous)),
                                          kind: .changes(policy: policy, language: language, from: previous, date: date)))
                }
                pages.append(PagePlan(path: SitePaths.model(policy, language, date), key: ContentHash.of(parts: ["model", Self.generation, hash(date)]),
                                      kind: .model(policy: policy, language: language, date: date)))
                pages.append(PagePlan(path: SitePaths.tilt(policy, language, date),
                                      key: ContentHash.of(parts: ["tilt", siteKey] + describe(date) + describe(next)),
                                      kind: .tilt(policy: policy, language: language, date: date, next: next)))
            }
            if let shown = timeline.stableDate(in: language) {
                let (previous, next) = timeline.neighbours(of: shown, in: language)
                pages.append(PagePlan(path: SitePaths.stable(policy, language),
                                      key: ContentHash.of(parts: ["stable", siteKey] + describe(shown) + describe(previous) + describe(next)),
                                      kind: .stable(policy: policy, language: language, date: shown)))
            }
            let listKey = ContentHash.of(parts: [siteKey] + timeline.languages + dates.flatMap { date -> [String] in
                let info = timeline.infos[date]![language]!
                return describe(date) + [info.announced?.description ?? "-", info.summary ?? "-", info.title]
            })
            pages.append(PagePlan(path: SitePaths.versions(policy, language), key: "versions:" + listKey, kind: .versions(policy: policy, language: language)))
            pages.append(PagePlan(path: SitePaths.feed(policy, language), key: "feed:" + listKey, kind: .feed(policy: policy, language: language)))
        }
        return pages
    }

    // MARK: Build

    /// The site: every planned file, rendered when its key differs from `previous`'s, else `.unchanged`. `documents`
    /// must hold every policy whose changed files need them (`PagePlan.needsDocuments`). Pages render in parallel;
    /// the result is in plan order, so the output does not depend on scheduling.
    public func build(infos: [VersionInfo], documents: [PublishDocument], previous: SiteState?) -> (files: [SiteFile], state: SiteState) {
        let site = prepare(infos: infos, documents: documents, previous: previous)
        return (site.pages.indices.map { $0 }.concurrentMap { SiteFile(path: site.pages[$0].path, content: site.content($0)) }, site.state)
    }

    /// The site, rendered file by file on demand, so a writer can write each file as it is made instead of holding
    /// the whole site in memory (measured: 200 MB of pages for 2,000 versions).
    public func prepare(infos: [VersionInfo], documents: [PublishDocument], previous: SiteState?) -> SiteBuild {
        let pages = plan(infos)
        return SiteBuild(pages: pages, state: state(infos: infos, pages: pages), previous: previous,
                         renderer: renderer(infos: infos, documents: documents, pages: pages.filter { previous?.keys[$0.path] != $0.key }))
    }

    /// What the site's state file records for these infos and planned files.
    public func state(infos: [VersionInfo], pages: [PagePlan]) -> SiteState {
        var keys: [String: String] = [:]
        for page in pages { keys[page.path] = page.key }
        let sortedInfos = infos.sorted { ($0.policy, $0.language, $0.effective) < ($1.policy, $1.language, $1.effective) }
        return SiteState(keys: keys, versions: sortedInfos)
    }

    /// A renderer of planned files. `infos` are every version the files show (one policy's, for its files; all, for
    /// the site-wide ones), `documents` the compiled versions that `pages`, the files about to be rendered, need.
    /// The diff of each pair of versions those pages show is computed here, once, on all cores: a change page and the
    /// TILT document of the version before it show the same diff.
    public func renderer(infos: [VersionInfo], documents: [PublishDocument], pages: [PagePlan]) -> PageRenderer {
        var seen = Set<String>()
        var pairs: [(old: PublishDocument, new: PublishDocument)] = []
        let byKey = Dictionary(documents.map { (RenderContext.key($0.version.policy, $0.version.language, $0.version.effective), $0) },
                               uniquingKeysWith: { _, last in last })
        func pair(_ policy: String, _ language: String, _ from: CalendarDate, _ to: CalendarDate) {
            let key = RenderContext.key(policy, language, to)
            guard !seen.contains(key), let old = byKey[RenderContext.key(policy, language, from)], let new = byKey[key] else { return }
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
        let diffs = pairs.map { PairBox(old: $0.old, new: $0.new) }.concurrentMap { VersionDiff.compare($0.old.version, $0.new.version) }
        var byTarget: [String: VersionDiff] = [:]
        for (pair, diff) in zip(pairs, diffs) {
            byTarget[RenderContext.key(pair.new.version.policy, pair.new.version.language, pair.new.version.effective)] = diff
        }
        return PageRenderer(context: RenderContext(publisher: self, infos: infos, documents: documents, diffs: byTarget))
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
