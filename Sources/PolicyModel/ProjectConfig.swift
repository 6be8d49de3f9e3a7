import PolicyBase
import PolicySource

/// The project settings of a policy repository, read from `policyc.yaml` at its root (docs/config.md). Validated
/// like the policies: unknown keys, wrong types and bad values are diagnostics with file, line and column.
///
/// Each command's settings are a section of their own (`site` for publish, `notify` for notify), read by that
/// section's type; this type only reads the top level and hands each section its mapping.
public struct ProjectConfig: Sendable, Hashable {
    public static let fileName = "policyc.yaml"

    public var site: SiteSettings
    public var notify: NotifySettings
    /// Severities of rules for `check`: `rules` for every policy, `policies.<id>.rules` for one.
    public var rules: RuleSettings
    /// The day the shop adopted policyc: versions that took effect before it are history, and what the notice guard
    /// would ask of them is a note on the record (docs/config.md).
    public var adopted: CalendarDate?

    public init(
        site: SiteSettings = SiteSettings(), notify: NotifySettings = NotifySettings(),
        rules: RuleSettings = RuleSettings()
    ) {
        self.site = site
        self.notify = notify
        self.rules = rules
    }

    static let topLevelKeys = ["adopted", "site", "notify", "rules", "policies"]

    /// Reads the settings file's bytes. A missing file is not an error (every setting has a default); pass nil.
    /// Returns the settings (defaults where the file says nothing) and the problems found; with any error the
    /// settings must not be used.
    public static func read(bytes: [UInt8]?, path: String) -> (config: ProjectConfig, diagnostics: [Diagnostic]) {
        guard let bytes else { return (ProjectConfig(), []) }
        let text: SourceText
        switch SourceText.decode(bytes, path: path) {
        case .success(let decoded): text = decoded
        case .failure(let diagnostic): return (ProjectConfig(), [diagnostic])
        }
        let map = YAMLPositionMap(path: path, firstLine: 1, lines: text.lines.map { (text: $0, prefixBytes: 0) })
        let root: YAMLNode?
        switch YAMLReader.parse(text.text, map: map) {
        case .success(let node): root = node
        case .failure(let diagnostic): return (ProjectConfig(), [diagnostic])
        }
        guard let root else { return (ProjectConfig(), []) }
        let sink = DiagnosticSink()
        var config = ProjectConfig()
        if let fields = Fields(root, what: "the project settings", allowed: topLevelKeys, sink: sink) {
            config.adopted = fields.date("adopted")?.value
            if let site = fields.mapping("site", what: "the site settings", allowed: SiteSettings.keys) {
                config.site = SiteSettings.read(site)
            }
            if let notify = fields.mapping("notify", what: "the notify settings", allowed: NotifySettings.keys) {
                config.notify = NotifySettings.read(notify)
            }
            if let rules = fields.value("rules", required: false) {
                config.rules.project = RuleSettings.readLevels(rules, what: "the rule settings", sink: sink)
            }
            if let policies = fields.value("policies", required: false) {
                config.rules.policies = RuleSettings.readPolicies(policies, sink: sink)
            }
        }
        return (config, Diagnostic.sorted(sink.diagnostics))
    }
}
