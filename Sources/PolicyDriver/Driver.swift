import Foundation
import PolicyBase
import PolicyDiff
import PolicyModel
import PolicyPresent
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

/// A reason for a command to stop early, with what it prints and its exit status: thrown by the phases of a command
/// so that each can stop the run in one line.
struct CommandStop: Error {
    var output: CommandOutput
    init(_ message: String, _ status: Int32) { output = CommandOutput(stderr: "error: \(message)\n", status: status) }
    init(output: CommandOutput) { self.output = output }
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
    /// GitHub Actions workflow commands, one annotation a diagnostic.
    case github
    /// SARIF 2.1.0, for code-scanning services.
    case sarif
}

/// Finds policy files and compiles them: the I/O edge in front of the pure stages.
public enum Workspace {
    /// What a search for policy files found: the files, in order, and what it has to say about the rest.
    public struct Discovery: Sendable {
        public var files: [String]
        /// Errors for what could not be read (named, with the reason) and warnings for names that almost follow
        /// the layout, so that nothing is skipped without a word.
        public var diagnostics: [Diagnostic]
    }

    /// Largest policy file read, in bytes. A real policy is a few hundred kilobytes; the limit keeps the time
    /// and memory of a check bounded on any input (docs/format.md, "Which files are read").
    /// The limit keeps a diff of two such files within the memory bound of docs/format.md (docs/performance.md,
    /// "Choices", has the measurement that chose it).
    public static let maximumFileSize = 6 * 1024 * 1024

    /// Policy files below each path (or the path itself when it is a file), sorted folder by folder. `check` and
    /// `diff` both find their files here, so they read the same ones.
    ///
    /// Read: files ending in `.md`, at any depth, following symbolic links; a file named on the command line
    /// whatever its name. Skipped without a word: names starting with a dot, `README.md` in any case, files
    /// with other endings. Warned about: near misses of the layout (`.MD`, `.markdown`, a folder named like a
    /// policy file). Errors: a folder or `.md` file that cannot be read (with the reason), a symbolic link loop,
    /// a name that is not UTF-8. The same file reached twice (`a.md ./a.md`, or through a link) is read once.
    /// Throws a `UsageError` for a command-line path that does not exist.
    public static func search(_ paths: [String]) throws -> Discovery {
        var walk = Walk()
        for path in paths {
            switch FileSystem.status(path) {
            case .failure(let error) where error.code == ENOENT && !FileSystem.isSymbolicLink(path):
                throw UsageError("no such file or directory: \(TerminalText.escape(path))")
            case .failure(let error):
                walk.problem(
                    error.reason == "no such file or directory" ? "symbolic link to nothing" : error.reason, path)
            case .success(let status):
                switch status.kind {
                case .directory: walk.folder(path, status.identity)
                case .regular: walk.file(path, status.identity)
                case .other: walk.problem("not a regular file", path)
                }
            }
        }
        return Discovery(files: walk.files, diagnostics: walk.diagnostics)
    }

    /// The files of `search`, without its diagnostics: kept so that callers written before it still build. A
    /// command should call `search` and report its diagnostics, or it skips unreadable files without a word.
    public static func discover(_ paths: [String]) throws -> [String] {
        try search(paths).files
    }

    /// The recursive search behind `search`.
    struct Walk {
        var files: [String] = []
        var diagnostics: [Diagnostic] = []
        var seenFiles = Set<FileSystem.Identity>()
        var seenFolders = Set<FileSystem.Identity>()
        /// Folders from the path argument down to the current one, to tell a loop from a folder reached twice.
        var stack: [(path: String, identity: FileSystem.Identity)] = []

        mutating func problem(_ reason: String, _ path: String) {
            let message: String
            switch reason {
            case "symlink loop": message = "symlink loop; it leads back to itself, so nothing below it is read"
            default: message = "cannot read: \(reason)"
            }
            diagnostics.append(.error(message, rule: .ioError, at: SourceLocation(file: path, line: 1, column: 1)))
        }

        mutating func file(_ path: String, _ identity: FileSystem.Identity) {
            if seenFiles.insert(identity).inserted { files.append(path) }
        }

        mutating func folder(_ path: String, _ identity: FileSystem.Identity) {
            if let ancestor = stack.first(where: { $0.identity == identity }) {
                diagnostics.append(
                    .error(
                        "symlink loop; it leads back to '\(ancestor.path)', so it is not read again", rule: .ioError,
                        at: SourceLocation(file: path, line: 1, column: 1)))
                return
            }
            guard seenFolders.insert(identity).inserted else { return }
            let names: [[UInt8]]
            switch FileSystem.names(in: path) {
            case .failure(let error):
                problem(error.reason, path)
                return
            case .success(let found): names = found
            }
            stack.append((path, identity))
            defer { stack.removeLast() }
            let base = path.hasSuffix("/") ? path : path + "/"
            var entries: [(name: String, full: String)] = []
            for raw in names {
                guard raw.first != 46 else { continue }  // dot files: editor and system files
                guard let name = String(validating: raw, as: UTF8.self) else {
                    // Cannot be named faithfully as a String, so cannot be opened; only policy-like names matter.
                    diagnostics.append(
                        .error(
                            "cannot read: the name is not UTF-8; rename it", rule: .ioError,
                            at: SourceLocation(file: base + Self.shownName(raw), line: 1, column: 1)))
                    continue
                }
                entries.append((name, base + name))
            }
            for (name, full) in entries.sorted(by: { $0.name < $1.name }) {
                let lowered = name.lowercased()
                switch FileSystem.status(full) {
                case .failure(let error):
                    // Only what looks like a policy file or a folder (no dot) is worth an error.
                    if lowered.hasSuffix(".md") || !name.contains(".") || error.code == ELOOP {
                        problem(error.code == ENOENT ? "symbolic link to nothing" : error.reason, full)
                    }
                case .success(let status):
                    switch status.kind {
                    case .directory:
                        if lowered.hasSuffix(".md") || lowered.hasSuffix(".markdown") {
                            diagnostics.append(
                                .warning(
                                    "a folder named like a policy file is not a version; a version is one file, \(Self.layout)",
                                    rule: .fileNameLayout, at: SourceLocation(file: full, line: 1, column: 1)))
                        }
                        folder(full, status.identity)
                    case .regular:
                        if name.hasSuffix(".md") {
                            if lowered != "readme.md" { file(full, status.identity) }
                        } else if let fixed = Self.nearMiss(name) {
                            diagnostics.append(
                                .warning(
                                    "file is not read: only names ending in '.md' are; rename it to '\(fixed)'",
                                    rule: .fileNameLayout, at: SourceLocation(file: full, line: 1, column: 1)))
                        }
                    case .other:
                        if lowered.hasSuffix(".md") { problem("not a regular file", full) }
                    }
                }
            }
        }

        static let layout = "<effective-date>.<language>.md in the policy's folder"

        /// The name a near miss of the layout should have (`2018-04-30.nl.MD` → `2018-04-30.nl.md`), or nil.
        static func nearMiss(_ name: String) -> String? {
            let lowered = name.lowercased()
            guard lowered != "readme.md", lowered != "readme.markdown" else { return nil }
            for ending in [".md", ".markdown", ".mdown", ".mkd", ".md.txt"] where lowered.hasSuffix(ending) {
                return String(name.dropLast(ending.count)) + ".md"
            }
            return nil
        }

        /// A raw name for a message: UTF-8 runs kept, other bytes as `\xNN`.
        static func shownName(_ raw: [UInt8]) -> String {
            var result = ""
            var parser = Unicode.UTF8.ForwardParser()
            var iterator = raw.makeIterator()
            var offset = 0
            while true {
                switch parser.parseScalar(from: &iterator) {
                case .valid(let encoded):
                    result.unicodeScalars.append(UTF8.decode(encoded))
                    offset += encoded.count
                case .error(let length):
                    for byte in raw[offset..<(offset + length)] {
                        result += "\\x" + String(byte, radix: 16, uppercase: true)
                    }
                    offset += length
                case .emptyInput:
                    return result
                }
            }
        }
    }

    /// Reads and compiles every file (in parallel: cmark and libyaml keep no shared state), then checks the
    /// translations of each version against each other. The result is in the order of `files`.
    public static func compile(files: [String]) -> [CompiledDocument] {
        var documents = files.concurrentMap { file -> CompiledDocument in
            switch FileSystem.read(file, limit: maximumFileSize) {
            case .success(let bytes):
                return Compiler.compile(bytes: bytes, path: file)
            case .failure(let error):
                let location = SourceLocation(file: file, line: 1, column: 1)
                let message =
                    error.tooLarge
                    ? "file is larger than \(maximumFileSize / 1024 / 1024) MB, the limit for a policy file; shorten it or split off what customers need not read"
                    : "cannot read: \(error.reason)"
                return CompiledDocument(
                    path: file, version: nil, sourceMap: SourceMap(path: file),
                    diagnostics: [.error(message, rule: error.tooLarge ? .fileTooLarge : .ioError, at: location)])
            }
        }
        let translationProblems = TranslationCheck.check(documents) + LanguageCheck.check(documents)
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
    /// `config` is the project settings file: `policyc.yaml` in the folder `check` runs in, the repository root
    /// that holds `Policies`, as for `publish` without a path. Its errors are reported with the policies' own.
    public static func check(
        paths: [String], format: DiagnosticFormat, today: CalendarDate? = nil,
        environment: [String: String]? = nil,
        config: String = ProjectConfig.fileName
    ) -> CommandOutput {
        let discovery: Workspace.Discovery
        let day: CalendarDate
        let roots = paths.isEmpty ? ["Policies"] : paths
        do {
            discovery = try Workspace.search(roots)
            day = try Today.resolve(option: today, environment: environment)
        } catch {
            return CommandOutput(
                stderr: "error: \(TerminalText.escape(String(describing: error)))\n", status: ExitStatus.usage)
        }
        let files = discovery.files
        let documents = Workspace.compile(files: files)
        var diagnostics = discovery.diagnostics + documents.flatMap(\.diagnostics)
        // A check that read nothing must not pass: the gate would be open without looking.
        if files.isEmpty {
            diagnostics.append(
                .error(
                    "no policy file found; name each version <policy-id>/<effective-date>.<language>.md, such as 'kaviaarshop/2018-04-30.nl.md'",
                    rule: .noPolicyFiles, at: SourceLocation(file: roots[0], line: 1, column: 1)))
        }
        // Version-to-version rules need every file of a policy to compile.
        let broken = Set(
            documents.filter(\.hasErrors).compactMap { $0.version?.policy ?? Compiler.fileNameParts($0.path)?.policy })
        let healthy = documents.filter { doc in doc.version.map { !broken.contains($0.policy) } ?? false }
        // The project's settings; settings with errors are not used (the errors are reported instead).
        let configBytes = FileManager.default.contents(atPath: config).map { [UInt8]($0) }
        let (settings, configProblems) = ProjectConfig.read(bytes: configBytes, path: config)
        let usable = !configProblems.contains(where: { $0.severity == .error })
        diagnostics += NoticeGuard.check(healthy, adopted: usable ? settings.adopted : nil)
        diagnostics += AnnouncementCheck.check(healthy, today: day)
        diagnostics += PublishedLedger.check(files: files)
        if !usable {
            diagnostics += configProblems
        } else {
            diagnostics = settings.rules.apply(diagnostics) + configProblems
        }
        diagnostics = Diagnostic.sorted(diagnostics)
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        let notes = diagnostics.count - errors - warnings
        let status = errors > 0 ? ExitStatus.failure : ExitStatus.success
        let waived = documents.flatMap(\.waived)
        switch format {
        case .json:
            return CommandOutput(
                stdout: DiagnosticReport.json(diagnostics, files: files.count, waived: waived), status: status)
        case .github:
            return CommandOutput(stdout: GitHubAnnotations.format(diagnostics), status: status)
        case .sarif:
            let columns = ColumnConverter()
            let sarif = SARIFReport.format(diagnostics, waived: waived, column: columns.codePointColumn)
            return CommandOutput(stdout: sarif, status: status)
        case .text:
            // Tens of thousands of lines on a large tree: formatted on all cores, joined in order.
            var text = diagnostics.concurrentMap { $0.formatted + "\n" }.joined()
            text += "checked \(plural(files.count, "file")): \(plural(errors, "error")), \(plural(warnings, "warning"))"
            if notes > 0 { text += ", \(plural(notes, "note"))" }
            text += waived.isEmpty ? "\n" : ", \(waived.count) waived\n"
            return CommandOutput(stderr: text, status: status)
        }
    }

    public static func dump(file: String) -> CommandOutput {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return CommandOutput(
                stderr: "error: no such file: \(TerminalText.escape(file))\n", status: ExitStatus.usage)
        }
        let document = Workspace.compile(files: [file])[0]
        let errors = document.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, let version = document.version else {
            return CommandOutput(stderr: errors.map { $0.formatted + "\n" }.joined(), status: ExitStatus.failure)
        }
        return CommandOutput(
            stdout: String(decoding: StableJSON.file(version), as: UTF8.self), status: ExitStatus.success)
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
        /// Notes on the record (versions from before the shop adopted policyc); absent when there are none.
        var notes: Int?
        var diagnostics: [Diagnostic]
        /// Warnings the policies silenced with `not-stated`, with their reasons; absent when there are none.
        var waived: [WaivedDiagnostic]?
    }

    public static func json(_ diagnostics: [Diagnostic], files: Int, waived: [WaivedDiagnostic] = []) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        let notes = diagnostics.count - errors - warnings
        return ModelJSON.encode(
            Report(
                files: files, errors: errors, warnings: warnings, notes: notes > 0 ? notes : nil,
                diagnostics: diagnostics,
                waived: waived.isEmpty ? nil : waived))
    }
}
