import PolicyBase
import PolicySource

/// The severities a project gives rules in `policyc.yaml` (docs/config.md, "rules"): a top-level `rules:` mapping for
/// every policy, and `policies: { <id>: { rules: … } }` for one. `check` applies them to what it reports.
///
/// Only warnings can be changed (`Rule.isAdjustable`): an error stops `publish`, so a `check` that lowered one would
/// pass what `publish` then refuses. Syntax errors and the published-version guard are errors, so they stay errors.
public struct RuleSettings: Sendable, Hashable {
    public enum Level: String, CaseIterable, Sendable {
        case error, warning, off
    }

    /// Rule id to level, for every policy.
    public var project: [String: Level] = [:]
    /// Policy id to its own settings, which win over the project's.
    public var policies: [String: [String: Level]] = [:]

    public init(project: [String: Level] = [:], policies: [String: [String: Level]] = [:]) {
        self.project = project
        self.policies = policies
    }

    public var isEmpty: Bool { project.isEmpty && policies.isEmpty }

    public func level(of rule: String, policy: String?) -> Level? {
        policy.flatMap { policies[$0]?[rule] } ?? project[rule]
    }

    /// The diagnostics with the settings applied: `off` drops one, `error` and `warning` set its severity. A
    /// diagnostic's policy is the folder its file is in (`Policies/<policy>/…`, `published.lock` included).
    public func apply(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        guard !isEmpty else { return diagnostics }
        return diagnostics.compactMap { diagnostic in
            let folders = diagnostic.location.file.split(separator: "/").dropLast()
            switch level(of: diagnostic.rule, policy: folders.last.map(String.init)) {
            case nil: return diagnostic
            case .off?: return nil
            case .error?:
                var changed = diagnostic
                changed.severity = .error
                return changed
            case .warning?:
                var changed = diagnostic
                changed.severity = .warning
                return changed
            }
        }
    }

    /// Reads one `rules:` mapping: rule id to `error`, `warning` or `off`.
    static func readLevels(_ node: YAMLNode, what: String, sink: DiagnosticSink) -> [String: Level] {
        guard case .mapping(let pairs) = node.content else {
            sink.error(
                "expected a mapping of rule ids to error, warning or off for \(what), "
                    + "found \(node.shortDescription)", .typeMismatch, at: node.location)
            return [:]
        }
        var levels: [String: Level] = [:]
        for pair in pairs {
            guard let rule = Rule.named(pair.key) else {
                let hint = Suggestion.hint(for: pair.key, in: Rule.ids)
                let help = hint.isEmpty ? "; 'policyc explain' lists the rules" : hint
                sink.error(
                    "unknown rule '\(Fields.echo(pair.key))' in \(what)\(help)", .unknownKey,
                    at: pair.keyLocation)
                continue
            }
            guard case .scalar(let text, _) = pair.value.content, let level = Level(rawValue: text) else {
                let found = pair.value.isNull ? "nothing" : pair.value.shortDescription
                sink.error(
                    "expected error, warning or off for rule '\(rule.id)', found \(found)", .invalidValue,
                    at: pair.value.isNull ? pair.keyLocation : pair.value.location)
                continue
            }
            if let reason = rule.fixedBecause, level != .error {
                sink.error(
                    "rule '\(rule.id)' is always an error and cannot be set to \(level.rawValue): \(reason)",
                    .invalidValue, at: pair.value.location)
                continue
            }
            levels[rule.id] = level
        }
        return levels
    }

    /// Reads the `policies:` mapping: policy id to a mapping that holds the policy's own `rules:`.
    static func readPolicies(_ node: YAMLNode, sink: DiagnosticSink) -> [String: [String: Level]] {
        guard case .mapping(let pairs) = node.content else {
            sink.error(
                "expected a mapping of policy ids for 'policies', found \(node.shortDescription)", .typeMismatch,
                at: node.location)
            return [:]
        }
        var policies: [String: [String: Level]] = [:]
        for pair in pairs {
            guard Identifiers.isIdentifier(pair.key) else {
                sink.error(
                    "invalid policy id '\(Fields.echo(pair.key))' in 'policies'; "
                        + "use the name of its folder in Policies", .invalidID, at: pair.keyLocation)
                continue
            }
            let what = "the settings of policy '\(pair.key)'"
            guard let fields = Fields(pair.value, what: what, allowed: ["rules"], sink: sink) else { continue }
            if let rules = fields.value("rules", required: false) {
                policies[pair.key] = readLevels(rules, what: "the rule settings of policy '\(pair.key)'", sink: sink)
            }
        }
        return policies
    }
}
