import ArgumentParser
import PolicyBase
import PolicyDriver
import PolicyModel

/// `--today`, declared once for every command whose answer depends on the day. The date is parsed here, in
/// `validate()`, so the commands receive a `CalendarDate` and a malformed one is a usage error before any file is
/// touched.
struct DayOption: ParsableArguments {
    @Option(
        name: .customLong("today"),
        help: ArgumentHelp(
            "The day the command takes as today, as YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else the clock, in UTC).",
            valueName: "date"))
    var text: String?

    /// The parsed day; nil when `--today` is not given.
    var day: CalendarDate? { text.flatMap(CalendarDate.init) }

    func validate() throws {
        if let text, CalendarDate(text) == nil {
            throw ValidationError("invalid --today '\(TerminalText.escape(text))'; write it as YYYY-MM-DD")
        }
    }
}

/// `--policies`, for the commands that name a policy by its id.
struct PoliciesOption: ParsableArguments {
    @Option(name: .customLong("policies"), help: ArgumentHelp("The folder that holds the policies.", valueName: "dir"))
    var folder: String = "Policies"
}

/// An output format of one command: its values, its default and what each means.
protocol CommandFormat: ExpressibleByArgument, CaseIterable {
    static var standard: Self { get }
    static var help: String { get }
}

/// `--format`, declared once; each command names its own formats.
struct FormatOption<Format: CommandFormat>: ParsableArguments {
    @Option(help: ArgumentHelp(Format.help))
    var format: Format = Format.standard
}

extension DiagnosticFormat: CommandFormat {
    static var standard: DiagnosticFormat { .text }
    static var help: String {
        "text (standard error); json, github (workflow commands) or sarif (SARIF 2.1.0) on standard output."
    }
}

extension DiffFormat: CommandFormat {
    static var standard: DiffFormat { .text }
    static var help: String { "text (terminal), json (change records) or markdown (a pull-request comment)." }
}

extension NotifyFormat: CommandFormat {
    static var standard: NotifyFormat { .csv }
    static var help: String { "csv: recipients.csv; jsonl: recipients.jsonl as well." }
}

extension ExplainFormat: CommandFormat {
    static var standard: ExplainFormat { .text }
    static var help: String { "text (terminal) or markdown (docs/rules.md, or one section of it)." }
}
