/// One rule a diagnostic reports under: its stable id and what a reader needs to act on it. Every diagnostic names
/// its rule by one of the entries in `Rule.all` (RuleCatalogue.swift), so an id is written once in the sources and
/// `policyc explain`, docs/rules.md, SARIF output and `policyc.yaml` all read the same table. Described as SwiftLint
/// and swift-format describe a rule: a summary, why it exists, and an example that breaks it beside one that keeps it.
///
/// A class: schemas hold rules in their field specifications, which the compiler copies for every fact; a reference
/// is one retain where a struct of eight strings was eight.
public final class Rule: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Kebab-case, stable: printed in parentheses after each message and used in `not-stated` and `policyc.yaml`.
    public let id: String
    /// The severity the code reports it with. `invisible-character` is also a warning in prose; its entry says so.
    public let severity: Severity
    /// One line, for lists.
    public let summary: String
    /// The legal source the rule serves (a GDPR article, recital or WP260 paragraph), or the format rule it enforces.
    public let source: String
    public let explanation: String
    /// Policy source (or, for the ledger, ledger lines) that the rule reports.
    public let bad: String
    /// The same, fixed.
    public let good: String
    /// Whether a `not-stated` entry in a policy may silence it: the completeness warnings, which name what GDPR
    /// Art. 13 asks a policy to state; a policy may leave one out for a reason it gives.
    public let waivable: Bool

    init(
        _ id: String, _ severity: Severity, summary: String, source: String, explanation: String, bad: String,
        good: String, waivable: Bool = false
    ) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.source = source
        self.explanation = explanation
        self.bad = bad
        self.good = good
        self.waivable = waivable
    }

    /// Whether `policyc.yaml` may set the rule to `warning`, `error` or `off`. Only warnings can: an error blocks
    /// `publish`, so a `check` that let one pass would open the gate `publish` then shuts. The published-version guard
    /// and the syntax errors are errors, so they stay errors.
    public var isAdjustable: Bool { severity == .warning }

    /// Why `policyc.yaml` cannot lower the rule, for messages and `policyc explain`; nil when it can.
    public var fixedBecause: String? {
        guard !isAdjustable else { return nil }
        switch self {
        case .publishedVersionChanged, .publishedVersionMissing, .ledgerSyntax:
            return "it guards published versions, and a published version must never change or disappear"
        default:
            return "an error stops publish, so check may not let it pass"
        }
    }

    /// Rules are the same when their ids are: the id is the rule's identity everywhere it is written.
    public static func == (a: Rule, b: Rule) -> Bool { a.id == b.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
    public static func < (a: Rule, b: Rule) -> Bool { a.id < b.id }
    public var description: String { id }

    /// The entry with this id, or nil.
    public static func named(_ id: String) -> Rule? { byID[id] }

    static let byID: [String: Rule] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// Every id, in catalogue order, for "did you mean" hints.
    public static var ids: [String] { all.map(\.id) }
}
