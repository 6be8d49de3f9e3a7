import Foundation
import PolicyBase
import PolicyDiff
import PolicyModel
import PolicyPresent

/// One language file of one version, compiled without errors, with its body as the page shows it.
public struct PublishDocument: Sendable {
    public var path: String
    public var version: PolicyVersion
    public var body: [BodyBlock]
    /// `sha256:…` of the source file's bytes.
    public var contentHash: String

    public init(path: String, version: PolicyVersion, body: [BodyBlock], contentHash: String) {
        self.path = path
        self.version = version
        self.body = body
        self.contentHash = contentHash
    }

    public var info: VersionInfo {
        VersionInfo(
            policy: version.policy, language: version.language, effective: version.effective,
            announced: version.announced,
            title: version.title, summary: version.summary, controller: version.controller.name,
            translationOf: version.translationOf, contentHash: contentHash)
    }
}

/// What the site-wide files (index, versions.json, feeds, version lists) need of a version. Kept in the site's state
/// file, so a re-publish can write them without compiling sources that did not change.
public struct VersionInfo: Decodable, Sendable, Hashable {
    public var policy: String
    public var language: String
    public var effective: CalendarDate
    public var announced: CalendarDate?
    public var title: String
    public var summary: String?
    public var controller: String
    public var translationOf: String?
    public var contentHash: String

    public init(
        policy: String, language: String, effective: CalendarDate, announced: CalendarDate?, title: String,
        summary: String?,
        controller: String, translationOf: String?, contentHash: String
    ) {
        self.policy = policy
        self.language = language
        self.effective = effective
        self.announced = announced
        self.title = title
        self.summary = summary
        self.controller = controller
        self.translationOf = translationOf
        self.contentHash = contentHash
    }
}

/// Where a version stands on the publishing day.
public enum VersionStatus: String, Codable, Sendable, Hashable {
    /// Superseded by a later version that is in force.
    case archived
    /// In force: the latest version whose effective date has come.
    case current
    /// Published ahead of its effective date.
    case upcoming
}

/// What the publisher remembers between runs, in `.policyc-state.json` at the site's root: the key of every file's
/// inputs (sources, settings, templates, statuses) and what each version's info was. Publishing again renders only
/// files whose key changed and copies the rest from the previous site.
public struct SiteState: Decodable, Sendable, Hashable {
    public static let fileName = ".policyc-state.json"
    public var format = "policyc-site-state/1"
    public var keys: [String: String]
    public var versions: [VersionInfo]

    public init(keys: [String: String] = [:], versions: [VersionInfo] = []) {
        self.keys = keys
        self.versions = versions
    }
}

/// A file of the site: new bytes, or the previous site's file, unchanged.
public enum SiteContent: Sendable, Hashable {
    case bytes([UInt8])
    case unchanged
}

public struct SiteFile: Sendable, Hashable {
    public var path: String
    public var content: SiteContent

    public init(path: String, content: SiteContent) {
        self.path = path
        self.content = content
    }
}

/// A file the site will have, the key of what it is made from, and what it shows.
public struct PagePlan: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case index, versionsJSON
        case version(policy: String, language: String, date: CalendarDate)
        /// The stable address of the version in force: `kaviaarshop/nl/`.
        case stable(policy: String, language: String, date: CalendarDate)
        /// The change page of the version at `date` against the one before it.
        case changes(policy: String, language: String, from: CalendarDate, date: CalendarDate)
        case versions(policy: String, language: String)
        case feed(policy: String, language: String)
        case model(policy: String, language: String, date: CalendarDate)
        case tilt(policy: String, language: String, date: CalendarDate, next: CalendarDate?)
    }

    public var path: String
    public var key: String
    public var kind: Kind

    /// The policy whose compiled documents rendering this file needs; nil when the infos suffice.
    public var needsDocuments: String? {
        switch kind {
        case .version(let policy, _, _), .stable(let policy, _, _), .changes(let policy, _, _, _),
            .model(let policy, _, _),
            .tilt(let policy, _, _, _):
            policy
        case .index, .versionsJSON, .versions, .feed:
            nil
        }
    }
}

/// The versions of one policy on the publishing day.
struct Timeline {
    let policy: String
    /// Effective dates, ascending.
    let dates: [CalendarDate]
    let infos: [CalendarDate: [String: VersionInfo]]
    let current: CalendarDate?
    /// The languages of the policy, in order: the original's first, then the others by tag.
    let languages: [String]

    init(policy: String, infos list: [VersionInfo], today: CalendarDate) {
        self.policy = policy
        var infos: [CalendarDate: [String: VersionInfo]] = [:]
        for info in list { infos[info.effective, default: [:]][info.language] = info }
        self.infos = infos
        self.dates = infos.keys.sorted()
        self.current = dates.last { $0 <= today }
        // Computed once: the plan asks for them for every file of every version.
        let all = Set(infos.values.flatMap(\.keys))
        let newest = dates.last.flatMap { infos[$0] } ?? [:]
        let original = newest.values.first { $0.translationOf == nil }?.language
        self.languages = all.sorted { a, b in
            if a == original { return b != original }
            if b == original { return false }
            return a < b
        }
    }

    func status(_ date: CalendarDate) -> VersionStatus {
        guard let current else { return .upcoming }
        return date < current ? .archived : date == current ? .current : .upcoming
    }

    func dates(in language: String) -> [CalendarDate] { dates.filter { infos[$0]?[language] != nil } }

    func languages(at date: CalendarDate) -> [String] { languages.filter { infos[date]?[$0] != nil } }

    /// The version the stable address shows: the one in force, or the first upcoming one before any is in force.
    func stableDate(in language: String) -> CalendarDate? {
        let available = dates(in: language)
        return available.last { $0 <= (current ?? .init(daysSinceEpoch: Int.min / 2)) } ?? available.first
    }

    func neighbours(of date: CalendarDate, in language: String) -> (previous: CalendarDate?, next: CalendarDate?) {
        let available = dates(in: language)
        guard let index = available.firstIndex(of: date) else { return (nil, nil) }
        return (index > 0 ? available[index - 1] : nil, index + 1 < available.count ? available[index + 1] : nil)
    }
}

/// Site paths, all relative to the site's root. Every link in a page is the root-relative path behind the page's
/// `root` prefix (`../../`), and names `index.html` itself, so the site works from the file system as well as from
/// a web server.
public enum SitePaths {
    public static func languageRoot(_ policy: String, _ language: String) -> String { "\(policy)/\(language)/" }
    public static func stable(_ policy: String, _ language: String) -> String {
        languageRoot(policy, language) + "index.html"
    }
    public static func versionFolder(_ policy: String, _ language: String, _ date: CalendarDate) -> String {
        languageRoot(policy, language) + "\(date)/"
    }
    public static func version(_ policy: String, _ language: String, _ date: CalendarDate) -> String {
        versionFolder(policy, language, date) + "index.html"
    }
    public static func changes(_ policy: String, _ language: String, _ date: CalendarDate) -> String {
        versionFolder(policy, language, date) + "changes/index.html"
    }
    public static func model(_ policy: String, _ language: String, _ date: CalendarDate) -> String {
        versionFolder(policy, language, date) + "model.json"
    }
    public static func tilt(_ policy: String, _ language: String, _ date: CalendarDate) -> String {
        versionFolder(policy, language, date) + "tilt.json"
    }
    public static func versions(_ policy: String, _ language: String) -> String {
        languageRoot(policy, language) + "versions/index.html"
    }
    public static func feed(_ policy: String, _ language: String) -> String {
        languageRoot(policy, language) + "feed.xml"
    }
    public static let index = "index.html"
    public static let versionsJSON = "versions.json"

    /// Where a planned file lives.
    static func path(of kind: PagePlan.Kind) -> String {
        switch kind {
        case .index: return index
        case .versionsJSON: return versionsJSON
        case .version(let policy, let language, let date): return version(policy, language, date)
        case .stable(let policy, let language, _): return stable(policy, language)
        case .changes(let policy, let language, _, let date): return changes(policy, language, date)
        case .versions(let policy, let language): return versions(policy, language)
        case .feed(let policy, let language): return feed(policy, language)
        case .model(let policy, let language, let date): return model(policy, language, date)
        case .tilt(let policy, let language, let date, _): return tilt(policy, language, date)
        }
    }

    /// `../` once for every folder the path is in.
    static func root(of path: String) -> String {
        String(repeating: "../", count: path.split(separator: "/").count - 1)
    }

    /// The address a web server gives the file: its folder for an `index.html`.
    static func address(_ path: String) -> String {
        path.hasSuffix("/index.html") ? String(path.dropLast("index.html".count)) : path == "index.html" ? "" : path
    }
}

extension VersionInfo: StableJSONWritable {
    /// Pretty JSON with sorted keys, as `StableJSON.encode` writes it (a test holds it to the `Encodable` reference in
    /// Tests/PolicyPublishTests): the site state lists every version, and a publish with nothing to do writes that
    /// state too, to compare it with the one on disk.
    public func writeStableJSON(_ writer: inout StableJSONWriter) {
        writer.beginObject()
        if let announced { writer.field("announced", announced.description) }
        writer.field("contentHash", contentHash)
        writer.field("controller", controller)
        writer.field("effective", effective.description)
        writer.field("language", language)
        writer.field("policy", policy)
        if let summary { writer.field("summary", summary) }
        writer.field("title", title)
        if let translationOf { writer.field("translationOf", translationOf) }
        writer.endObject()
    }
}

extension SiteState: StableJSONWritable {
    /// As `StableJSON.encode` writes it (a test holds it to the `Encodable` reference in Tests/PolicyPublishTests);
    /// through `Encodable`, the state of a large site was a large part of a publish with nothing to do.
    public func writeStableJSON(_ writer: inout StableJSONWriter) {
        writer.beginObject()
        writer.field("format", format)
        writer.key("keys")
        writer.beginObject()
        for path in keys.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            writer.field(path, keys[path]!)
        }
        writer.endObject()
        writer.key("versions")
        writer.beginArray()
        for version in versions { version.writeStableJSON(&writer) }
        writer.endArray()
        writer.endObject()
    }
}
