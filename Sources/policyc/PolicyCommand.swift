import ArgumentParser
import Foundation
import PolicyDriver

@main
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policyc",
        abstract: "Compile, diff and publish a privacy policy kept as Markdown with YAML front matter.",
        discussion: """
            Policies live in Policies/<policy-id>/<effective-date>.<language>.md; see docs/format.md.
            Exit status: 0 success, 1 problems found, 64 usage error.
            """,
        version: "0.1.0",
        subcommands: [Check.self, Dump.self]
    )
}

extension DiagnosticFormat: ExpressibleByArgument {}

/// Writes a command's output and exits with its status; diagnostics keep their `file:line:col:` prefix.
func finish(_ output: CommandOutput) throws {
    if !output.stdout.isEmpty { FileHandle.standardOutput.write(Data(output.stdout.utf8)) }
    if !output.stderr.isEmpty { FileHandle.standardError.write(Data(output.stderr.utf8)) }
    if output.status != 0 { throw ExitCode(output.status) }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile every policy version and report problems.",
        discussion: "Diagnostics read file:line:col: error|warning: message (rule-id), with note: lines for related places.")

    @Argument(help: "Policy files or folders (default: Policies).")
    var paths: [String] = []

    @Option(help: "Diagnostic format: text (standard error) or json (standard output).")
    var format: DiagnosticFormat = .text

    func run() throws {
        try finish(Commands.check(paths: paths, format: format))
    }
}

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the compiled model of one policy file as JSON.")

    @Argument(help: "A policy file.")
    var file: String

    func run() throws {
        try finish(Commands.dump(file: file))
    }
}
