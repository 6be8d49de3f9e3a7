import ArgumentParser
import Foundation
import PolicyDriver

@main
struct PolicyCommand: ParsableCommand {
    /// Runs the command. Help and version print as usual; a usage error prints as every policyc error does,
    /// `error: …` on standard error, and exits 64.
    static func main() {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            guard exitCode(for: error) != .success else { exit(withError: error) }
            var text = "error: \(message(for: error))\n"
            // The parser's own messages (a missing argument, an unknown option) are followed by the usage line.
            if !text.hasPrefix("error: invalid ") {
                text += fullMessage(for: error).split(separator: "\n").dropFirst().map { $0 + "\n" }.joined()
            }
            FileHandle.standardError.write(Data(text.utf8))
            Foundation.exit(exitCode(for: error).rawValue)
        }
        do { try command.run() } catch { exit(withError: error) }
    }

    static let configuration = CommandConfiguration(
        commandName: "policyc",
        abstract: "Compile, diff and publish a privacy policy kept as Markdown with YAML front matter.",
        discussion: """
            Policies live in Policies/<policy-id>/<effective-date>.<language>.md; see docs/format.md. \
            Exit status: 0 success, 1 problems found, 64 usage error.
            """,
        version: "0.1.0",
        subcommands: [
            Check.self, Dump.self, Diff.self, Publish.self, Notify.self, Sent.self, Explain.self, New.self, Init.self,
        ]
    )
}

extension DiagnosticFormat: ExpressibleByArgument {}
extension DiffFormat: ExpressibleByArgument {}
extension NotifyFormat: ExpressibleByArgument {}
extension ExplainFormat: ExpressibleByArgument {}
extension InitLanguage: ExpressibleByArgument {}

/// Writes a command's output and exits with its status; diagnostics keep their `file:line:col:` prefix.
func finish(_ output: CommandOutput) throws {
    if !output.stdout.isEmpty { FileHandle.standardOutput.write(Data(output.stdout.utf8)) }
    if !output.stderr.isEmpty { FileHandle.standardError.write(Data(output.stderr.utf8)) }
    if output.status != 0 { throw ExitCode(output.status) }
}

struct Check: ParsableCommand {
    // Command names are given, not derived from the type names: deriving them demangles type metadata at
    // start-up, a share of a short command's time (docs/performance.md, "Choices").
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compile every policy version and report problems.",
        discussion: """
            Diagnostics read file:line:col: error|warning: message (rule-id), with note: lines for related places \
            ('policyc explain RULE' explains a rule). Reads policyc.yaml in the current folder: its 'rules' section \
            sets the severity of warnings (docs/config.md); an error in it fails the check.
            """)

    @Argument(help: "Policy files or folders (default: Policies).")
    var paths: [String] = []

    @OptionGroup var output: FormatOption<DiagnosticFormat>
    @OptionGroup var day: DayOption

    func run() throws {
        try finish(Commands.check(paths: paths, format: output.format, today: day.day))
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a rule: its severity, legal source, and an example that breaks it beside one that keeps it.",
        discussion: "Without a rule, lists every rule. docs/rules.md is `policyc explain --format markdown`.")

    @Argument(help: "A rule id, as printed in parentheses after a diagnostic (default: list every rule).")
    var rule: String?

    @OptionGroup var output: FormatOption<ExplainFormat>

    func run() throws {
        try finish(Commands.explain(rule: rule, format: output.format))
    }
}

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump", abstract: "Print the compiled model of one policy file as JSON.")

    @Argument(help: "A policy file.")
    var file: String

    func run() throws {
        try finish(Commands.dump(file: file))
    }
}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two versions of a policy by facts and by words, and classify every change.",
        discussion: """
            Impact classes: notify (affects data already held: customers must be told before it takes effect), \
            future (data collected from now on), favourable, editorial. Exit status: 0, or 1 with --exit-code when \
            a change must be notified; 2 when the sources have errors or 'policyc check' fails the newer version; \
            64 usage error.
            """)

    @Argument(help: "The policy id (its folder under the policies folder).")
    var policy: String

    @Argument(help: "The older version's effective date (default: the second newest).")
    var from: String?

    @Argument(help: "The newer version's effective date (default: the one after FROM, or the newest).")
    var to: String?

    @OptionGroup var output: FormatOption<DiffFormat>

    @Option(help: "The language to compare (default: the original's).")
    var language: String?

    @OptionGroup var policies: PoliciesOption

    @Flag(help: "Exit with 1 when a change must be notified to customers, like git diff --exit-code.")
    var exitCode = false

    func run() throws {
        // getenv, not ProcessInfo.environment: that builds a dictionary of the whole environment first.
        let color = isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil
        try finish(
            Commands.diff(
                policy: policy, from: from, to: to, language: language, format: output.format,
                exitCode: exitCode, policiesDirectory: policies.folder, color: color))
    }
}

struct Publish: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract:
            "Publish every policy version as a static site: pages, change pages, JSON, TILT, versions.json and Atom feeds.",
        discussion: """
            PATH is the policy repository (holding Policies/ and policyc.yaml) or its Policies folder; default: the \
            current folder. Published versions are recorded in Policies/<policy>/published.lock and may not change. \
            Exit status: 0 published; 1 errors in the sources, settings or theme, or a file that cannot be written \
            (nothing published); 64 usage error; 75 another publish is writing the same site. See docs/publish.md.
            """)

    @Argument(help: "The policy repository or its Policies folder (default: the current folder).")
    var path: String?

    @Option(help: ArgumentHelp("The folder the site is written to (default: Output/site).", valueName: "dir"))
    var out: String?

    @OptionGroup var day: DayOption

    func run() throws {
        try finish(Commands.publish(path: path, out: out, today: day.day))
    }
}

struct Notify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "List the customers a version's notify changes concern, and write mail-merge files to tell them.",
        discussion: """
            Reads the customer export (CSV), selects who must be told, and writes Output/notify/POLICY/VERSION/: \
            per language a mailmerge_template.txt and mailmerge_database.csv, recipients.csv, rejects.csv and \
            report.json; then records in Policies/POLICY/notified.lock that the notification was prepared (policyc \
            sent records that it was sent). See docs/notify.md. Exit status: 0; 1 when the export or settings have \
            errors, a file cannot be written, or the run differs from one already sent (use --force); 2 when the \
            policy's sources have errors; 3 when customers can no longer be told in time: the version is in force \
            or its notice period began before today (use --late); 64 usage error; 75 another notify for the policy \
            is running.
            """)

    @Argument(help: "The policy id (its folder under the policies folder).")
    var policy: String

    @Argument(
        help: "The version's effective date (default: the newest version with changes customers must be told about).")
    var version: String?

    @Option(
        help: ArgumentHelp(
            "The customer export (default: 'customers' in the notify section of policyc.yaml).", valueName: "file"))
    var customers: String?

    @OptionGroup var output: FormatOption<NotifyFormat>

    @Flag(help: "Prepare again although the ledger records this version's notification as sent, and record it.")
    var force = false

    @Flag(
        help:
            "Send a late notice on purpose: the version is in force, or its notice period can no longer be met from today."
    )
    var late = false

    @OptionGroup var day: DayOption
    @OptionGroup var policies: PoliciesOption

    func run() throws {
        // Progress only for a person watching, and only when the export is large.
        let progress: (@Sendable (Int, Int) -> Void)? = isatty(STDERR_FILENO) == 1 ? showProgress : nil
        try finish(
            Commands.notify(
                policy: policy, version: version, customers: customers, format: output.format,
                force: force, late: late, today: day.day, policiesDirectory: policies.folder, progress: progress))
    }
}

struct Sent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sent",
        abstract: "Record that a version's prepared notification was sent, with the count the mail tool reported.",
        discussion: """
            Appends a 'sent' record to Policies/POLICY/notified.lock for the version's last notification that \
            policyc notify prepared, with the number of messages sent; warns when it differs from the recipients \
            prepared. See docs/notify.md. Exit status: 0 recorded; 1 nothing prepared to record, already recorded as \
            sent, or the ledger cannot be read or written; 64 usage error; 75 another notify or sent for the policy \
            is running.
            """)

    @Argument(help: "The policy id (its folder under the policies folder).")
    var policy: String

    @Argument(help: "The version's effective date.")
    var version: String

    @Option(help: ArgumentHelp("The number of messages the mail tool reported sent.", valueName: "n"))
    var count: Int

    @OptionGroup var day: DayOption
    @OptionGroup var policies: PoliciesOption

    func run() throws {
        try finish(
            Commands.sent(
                policy: policy, version: version, count: count, today: day.day, policiesDirectory: policies.folder))
    }
}

/// `reading customers: 42%` on one terminal line, for exports of 64 MB and more.
@Sendable func showProgress(_ done: Int, _ total: Int) {
    guard total >= 64 << 20 else { return }
    let percent = done * 100 / max(total, 1)
    let line = "\rreading customers: \(percent)%" + (done >= total ? "\n" : "")
    FileHandle.standardError.write(Data(line.utf8))
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start a policy's next version: its files for every language, copied from the newest version.",
        discussion: """
            Sets 'effective' and leaves 'announced' and 'summary' empty for the editor, so 'policyc check' names them \
            until they are filled in. Refuses a date not after the newest version, and never overwrites a file. \
            Exit status: 0; 1 a file exists or cannot be written; 64 usage error.
            """)

    @Argument(help: "The policy id (its folder under the policies folder).")
    var policy: String

    @Option(help: ArgumentHelp("The day the new version takes effect, as YYYY-MM-DD.", valueName: "date"))
    var effective: String

    @OptionGroup var policies: PoliciesOption

    func run() throws {
        try finish(Commands.new(policy: policy, effective: effective, policiesDirectory: policies.folder))
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a policy repository: a minimal, complete policy and policyc.yaml, in Dutch or English.",
        discussion: """
            Writes Policies/POLICY/<today>.<language>.md, which 'policyc check' passes with no warning, and \
            policyc.yaml with 'adopted' set to today. Never overwrites a file. Exit status: 0; 1 a file exists or \
            cannot be written; 64 usage error.
            """)

    @Option(help: "The language of the policy: nl or en.")
    var language: InitLanguage = .nl

    @Option(help: "The policy id, the name of its folder.")
    var policy: String = "privacy"

    @OptionGroup var day: DayOption

    @OptionGroup var policies: PoliciesOption

    func run() throws {
        try finish(
            Commands.initialise(
                language: language, policy: policy, today: day.day, policiesDirectory: policies.folder))
    }
}
