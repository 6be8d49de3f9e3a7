import Foundation
import PolicyBase

public enum ExplainFormat: String, CaseIterable, Sendable {
    case text
    case markdown
}

extension Commands {
    /// `policyc explain [RULE]`: one rule's catalogue entry, or the list of all rules. An unknown id is a usage
    /// error (64) with the closest id, as for every other misspelt word.
    public static func explain(rule id: String?, format: ExplainFormat = .text) -> CommandOutput {
        guard let id else {
            return CommandOutput(stdout: format == .markdown ? RuleReference.document() : RuleReference.list())
        }
        guard let rule = Rule.named(id) else {
            let hint = Suggestion.hint(for: id, in: Rule.ids)
            let shown = TerminalText.escape(EchoedValue.abbreviate(id))
            let help = hint.isEmpty ? "; 'policyc explain' lists them all" : hint
            return CommandOutput(stderr: "error: unknown rule '\(shown)'\(help)\n", status: ExitStatus.usage)
        }
        return CommandOutput(stdout: format == .markdown ? RuleReference.markdown(rule) : RuleReference.text(rule))
    }
}

/// The catalogue as text for people: a terminal (`policyc explain`) and docs/rules.md.
public enum RuleReference {
    /// The reference, relative to the repository root, for links from SARIF rules (`docs/rules.md#id`).
    public static let documentPath = "docs/rules.md"
    public static let regenerate = "policyc explain --format markdown > docs/rules.md"

    /// What `policyc.yaml` may do with the rule.
    static func configuration(_ rule: Rule) -> String {
        if rule.severity == .note {
            return "no, it stays a note: it is on the record, and every version from 'adopted' on is held to the rules"
        }
        return rule.fixedBecause.map { "no, it stays an error: \($0)" } ?? "yes, error, warning or off in policyc.yaml"
    }

    /// `id  severity  summary`, one rule a line, ids padded to one column.
    public static func list() -> String {
        let width = Rule.all.map(\.id.count).max() ?? 0
        func row(_ id: String, _ severity: String, _ summary: String) -> String {
            id.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                + severity.padding(toLength: 10, withPad: " ", startingAt: 0) + summary
        }
        let rows = [row("RULE", "SEVERITY", "SUMMARY")] + Rule.all.map { row($0.id, $0.severity.rawValue, $0.summary) }
        return rows.joined(separator: "\n") + "\n"
    }

    /// One entry for a terminal: the facts first, then the explanation and the two examples, indented.
    public static func text(_ rule: Rule) -> String {
        var lines = ["\(rule.id) (\(rule.severity.rawValue))", rule.summary, ""]
        lines.append("Source: \(rule.source)")
        lines.append("Waivable with not-stated: \(rule.waivable ? "yes" : "no")")
        lines.append("Configurable: \(configuration(rule))")
        lines.append("")
        lines += wrap(rule.explanation, width: 100)
        lines.append("")
        lines.append("Bad:")
        lines += indented(rule.bad)
        lines.append("")
        lines.append("Good:")
        lines += indented(rule.good)
        return lines.joined(separator: "\n") + "\n"
    }

    /// An example's lines, indented four spaces like a code block (blank lines stay blank).
    static func indented(_ example: String) -> [String] {
        example.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }
    }

    /// One entry as a section of docs/rules.md; its heading is the id, so `rules.md#id` links to it.
    public static func markdown(_ rule: Rule) -> String {
        var lines = ["## \(rule.id)", "", rule.summary, ""]
        lines.append("- Severity: \(rule.severity.rawValue)")
        lines.append("- Configurable: \(configuration(rule))")
        lines.append("- Source: \(rule.source)")
        lines.append("- Waivable with `not-stated`: \(rule.waivable ? "yes" : "no")")
        lines.append("")
        lines += wrap(rule.explanation, width: 120)
        for (title, example) in [("Bad", rule.bad), ("Good", rule.good)] {
            // Four backticks: the examples hold fact blocks, which are fenced with three.
            lines += ["", "\(title):", "", "````text", example, "````"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// docs/rules.md: a table of every rule, then each entry.
    public static func document() -> String {
        var text = """
            # Rules

            <!-- Generated from the rule catalogue (Sources/PolicyBase/RuleCatalogue*.swift) by
                 `\(regenerate)`; do not edit by hand: a test compares the two. -->

            Every diagnostic policyc reports names one of these rules in parentheses after its message
            ([docs/format.md, Diagnostics](format.md#9-diagnostics)). `policyc explain RULE` prints an entry in a
            terminal. Warnings can be set to `error`, `warning` or `off` for a project or one policy in `policyc.yaml`
            ([docs/config.md](config.md#rules)); errors always stay errors, since an error stops `publish`.
            Completeness warnings can also be waived in a policy, for a reason it gives, with
            [`not-stated`](format.md#not-stated).

            | Rule | Severity | Summary |
            | --- | --- | --- |

            """
        for rule in Rule.all {
            text += "| [`\(rule.id)`](#\(rule.id)) | \(rule.severity.rawValue) | \(rule.summary) |\n"
        }
        for rule in Rule.all { text += "\n" + markdown(rule) }
        return text
    }

    /// Greedy word wrap; a word longer than the width stands on a line of its own.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
