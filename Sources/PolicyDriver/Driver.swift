import PolicyBase
import Foundation
import PolicyDiff
import PolicyModel
import PolicySource

/// What a command produced: text for standard output and standard error, and the exit status.
public struct CommandOutput: Sendable, Equatable {
    public var stdout: String
    public var stderr: String
    public var status: Int32

    public init(stdout: String = "", stderr: String = "", status: Int32 = 0) {
        self.stdout = stdout
        self.stderr = stderr
        self.status = status
    }
}

/// Exit statuses, as in sysexits(3) where one fits.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// Problems in the policies (or, with `diff --exit-code`, changes to tell customers about).
    public static let failure: Int32 = 1
    /// The command line was wrong: an unknown path, option or value.
    public static let usage: Int32 = 64
}

/// A command-line mistake, reported with exit status 64.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

public enum DiagnosticFormat: String, CaseIterable, Sendable {
    case text
    case json
}

/// Finds policy files and compiles them: the I/O edge in front of the pure stages.
public enum Workspace {
    /// `*.md` files below each path (or the path itself when it is a file), sorted, README files skipped.
    public static func discover(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw UsageError("no such file or directory: \(path)")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            guard let enumerator = manager.enumerator(atPath: path) else { throw UsageError("cannot read directory: \(path)") }
            var found: [String] = []
            for case let relative as String in enumerator {
                let name = (relative as NSString).lastPathComponent
                guard name.hasSuffix(".md"), name.lowercased() != "readme.md", !name.hasPrefix(".") else { continue }
                let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
                var isDir: ObjCBool = false
                if manager.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue { found.append(full) }
            }
            files += found.sorted()
        }
        var seen = Set<String>()
        return files.filter { seen.insert($0).inserted }
    }

    /// Reads and compiles every file (in parallel: cmark and libyaml keep no shared state), then checks the
    /// translations of each version against each other. The result is in the order of `files`.
    public static func compile(files: [String]) -> [CompiledDocument] {
        var documents = files.concurrentMap { file -> CompiledDocument in
            guard let data = FileManager.default.contents(atPath: file) else {
                let location = SourceLocation(file: file, line: 1, column: 1)
                return CompiledDocument(path: file, version: nil, sourceMap: SourceMap(path: file),
                                        diagnostics: [.error("cannot read file", rule: "io-error", at: location)])
            }
            return Compiler.compile(bytes: [UInt8](data), path: file)
        }
        let translationProblems = TranslationCheck.check(documents)
        for problem in translationProblems {
            if let index = documents.firstIndex(where: { $0.path == problem.location.file }) {
                documents[index].diagnostics.append(problem)
            }
        }
        return documents
    }
}

/// The `check` and `dump` commands, as functions from arguments to output.
public enum Commands {
    public static func check(paths: [String], format: DiagnosticFormat, today: String? = nil,
                             environment: [String: String]? = nil) -> CommandOutput {
        let files: [String]
        let day: CalendarDate
        do {
            files = try Workspace.discover(paths.isEmpty ? ["Policies"] : paths)
            day = try Today.resolve(option: today, environment: environment)
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", status: ExitStatus.usage)
        }
        let documents = Workspace.compile(files: files)
        var diagnostics = documents.flatMap(\.diagnostics)
        // Version-to-version rules need every file of a policy to compile.
        let broken = Set(documents.filter(\.hasErrors).compactMap { $0.version?.policy ?? Compiler.fileNameParts($0.path)?.policy })
        let healthy = documents.filter { doc in doc.version.map { !broken.contains($0.policy) } ?? false }
        diagnostics += NoticeGuard.check(healthy)
        diagnostics += AnnouncementCheck.check(healthy, today: day)
        diagnostics = Diagnostic.sorted(diagnostics)
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        let status = errors > 0 ? ExitStatus.failure : ExitStatus.success
        let waived = documents.flatMap(\.waived)
        switch format {
        case .json:
            return CommandOutput(stdout: DiagnosticReport.json(diagnostics, files: files.count, waived: waived), status: status)
        case .text:
            var text = diagnostics.map { $0.formatted + "\n" }.joined()
            text += "checked \(plural(files.count, "file")): \(plural(errors, "error")), \(plural(warnings, "warning"))"
            text += waived.isEmpty ? "\n" : ", \(waived.count) waived\n"
            return CommandOutput(stderr: text, status: status)
        }
    }

    public static func dump(file: String) -> CommandOutput {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return CommandOutput(stderr: "error: no such file: \(file)\n", status: ExitStatus.usage)
        }
        let document = Workspace.compile(files: [file])[0]
        let errors = document.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, let version = document.version else {
            return CommandOutput(stderr: errors.map { $0.formatted + "\n" }.joined(), status: ExitStatus.failure)
        }
        return CommandOutput(stdout: ModelJSON.encode(version), status: ExitStatus.success)
    }

    static func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}

public enum ModelJSON {
    /// Pretty JSON with sorted keys: byte-identical for the same model on every run and machine.
    public static func encode<T: Encodable>(_ value: T) -> String {
        guard let text = try? StableJSON.encode(value) else { return "{}\n" }
        return text + "\n"
    }
}

public enum DiagnosticReport {
    struct Report: Encodable {
        var files: Int
        var errors: Int
        var warnings: Int
        var diagnostics: [Diagnostic]
        /// Warnings the policies silenced with `not-stated`, with their reasons; absent when there are none.
        var waived: [WaivedDiagnostic]?
    }

    public static func json(_ diagnostics: [Diagnostic], files: Int, waived: [WaivedDiagnostic] = []) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        return ModelJSON.encode(Report(files: files, errors: errors, warnings: diagnostics.count - errors, diagnostics: diagnostics,
                                       waived: waived.isEmpty ? nil : waived))
    }
}
