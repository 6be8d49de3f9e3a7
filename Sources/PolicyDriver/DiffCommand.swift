import Foundation
import PolicyBase
import PolicyDiff
import PolicyModel
import PolicySource

public enum DiffFormat: String, CaseIterable, Sendable {
    case text
    case json
    case markdown
}

extension Commands {
    /// Exit status of `diff` when the policy's sources have errors (like `git diff`, above 1 is trouble).
    public static let diffInputError: Int32 = 2

    /// `policyc diff POLICY [FROM] [TO]`: the default compares the last two versions.
    public static func diff(
        policy: String, from: String?, to: String?, language: String?, format: DiffFormat, exitCode: Bool,
        policiesDirectory: String = "Policies", color: Bool = false, config: String = ProjectConfig.fileName
    ) -> CommandOutput {
        // Before any file is touched: POLICY names a folder and FROM, TO and --language name files, so none may be
        // a path (`diff ..`, `diff ../outside`).
        do {
            try Arguments.validate(policy: policy, languages: [language], versions: [from, to])
        } catch {
            return CommandOutput(
                stderr: "error: \(TerminalText.escape(String(describing: error)))\n", status: ExitStatus.usage)
        }
        let request = DiffRequest(
            policy: policy, from: from, to: to, language: language, policiesDirectory: policiesDirectory)
        let diff: VersionDiff
        var warnings: String
        let failures: [Diagnostic]
        let configBytes = FileManager.default.contents(atPath: config).map { [UInt8]($0) }
        let adopted = ProjectConfig.read(bytes: configBytes, path: config).config.adopted
        do {
            (diff, warnings, failures) = try request.compare(adopted: adopted)
        } catch {
            return error.output
        }
        // `check` and `diff` agree: a newer version that `check` fails is reported as such, with exit status 2, though
        // its changes are still shown for review.
        if !failures.isEmpty {
            warnings +=
                failures.map { $0.formatted + "\n" }.joined()
                + "error: version \(diff.to) of '\(policy)' does not pass 'policyc check'; its changes are shown for review only\n"
        }
        let output: String
        switch format {
        case .json: output = ModelJSON.encode(diff)
        case .markdown: output = DiffReport.markdown(diff)
        // The report quotes the policy's headings and values: a control sequence in them is shown, not obeyed.
        case .text: output = TerminalText.escapeLines(DiffReport.text(diff, color: color), keepingColors: color)
        }
        return CommandOutput(
            stdout: output, stderr: warnings,
            status: !failures.isEmpty
                ? Commands.diffInputError : exitCode && diff.hasNotify ? ExitStatus.failure : ExitStatus.success)
    }

    /// Whether the file's front matter has a `translation-of` key: a look at its lines, not a compile.
    static func declaresTranslation(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        var bytes = [UInt8]((try? handle.read(upToCount: 16_384)) ?? Data())
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map {
            $0.last == 13 ? $0.dropLast() : $0
        }
        guard lines.first.map({ Array($0) == Array("---".utf8) }) == true else { return false }
        let key = Array("translation-of:".utf8)
        for line in lines.dropFirst() {
            if Array(line) == Array("---".utf8) || Array(line) == Array("...".utf8) { return false }
            if line.starts(with: key) { return true }
        }
        return false
    }

    static func unknownVersion(_ date: String, _ dates: [String]) -> CommandOutput {
        CommandOutput(
            stderr: "error: no version \(date); versions are \(dates.joined(separator: ", "))\n",
            status: ExitStatus.usage)
    }
}

/// The two versions `diff` compares, found and compiled: only the two files compared are compiled (dates and
/// languages come from the file names).
struct DiffRequest {
    let policy: String
    let from: String?
    let to: String?
    let language: String?
    let policiesDirectory: String

    /// The comparison, the warnings of finding the files, and the errors `check` reports for the newer version.
    func compare(adopted: CalendarDate? = nil) throws(CommandStop) -> (VersionDiff, String, [Diagnostic]) {
        let (files, warnings) = try findFiles()
        let named = files.map { file in
            let parts = Compiler.fileNameParts(file)
            return (file: file, parts: parts, date: parts.flatMap { CalendarDate($0.date) })
        }
        let allDates = Array(Set(named.compactMap(\.date))).sorted()
        var wanted = Set<CalendarDate>()
        switch (from.flatMap(CalendarDate.init), to.flatMap(CalendarDate.init)) {
        case (let f?, let t?): wanted = [f, t]
        case (let f?, nil):
            wanted = [f]
            if let next = allDates.first(where: { $0 > f }) { wanted.insert(next) }
        default: wanted = Set(allDates.suffix(2))
        }
        var lang = language
        if lang == nil, let newest = wanted.max() {
            // The original's language: the file of the newer version whose front matter has no translation-of.
            let candidates = named.filter { $0.date == newest }.sorted {
                ($0.parts?.language ?? "") < ($1.parts?.language ?? "")
            }
            lang = (candidates.first { !Commands.declaresTranslation($0.file) } ?? candidates.first)?.parts?.language
        }
        for date in wanted.sorted() where allDates.contains(date) {
            if let lang, !named.contains(where: { $0.date == date && $0.parts?.language == lang }) {
                throw CommandStop("version \(date) has no '\(lang)' file", ExitStatus.usage)
            }
        }
        // A file whose name is not a version's is compiled too, so its error is reported rather than skipped.
        let compared = named.filter { entry in
            guard let date = entry.date else { return true }
            return wanted.contains(date) && (lang == nil || entry.parts?.language == lang)
        }.map(\.file)
        // What `check` reads to judge the newer version: every file of it and of the version before it.
        let newest = wanted.filter(allDates.contains).max()
        let before = newest.flatMap { date in allDates.last { $0 < date } }
        let judged = named.filter { $0.date != nil && ($0.date == newest || $0.date == before) }.map(\.file)
        let documents = Workspace.compile(files: Array(Set(compared + judged)).sorted())
        let history = try compile(documents.filter { compared.contains($0.path) })
        let (old, new) = try pair(history, dates: allDates.map(\.description))
        let chosen = lang ?? new.original.version!.language
        guard let before = old.document(language: chosen)?.version, let after = new.document(language: chosen)?.version
        else {
            let missing = old.document(language: chosen) == nil ? old.effective : new.effective
            throw CommandStop("version \(missing) has no '\(chosen)' file", ExitStatus.usage)
        }
        let judging = documents.filter { judged.contains($0.path) }
        return (
            VersionDiff.compare(before, after), warnings, Self.checkErrors(judging, of: new.effective, adopted: adopted)
        )
    }

    /// The errors `check` reports for the version of `date`, from the files of it and the version before it: its
    /// files' own, its translations', and the notice and declaration rules against the version before it.
    static func checkErrors(_ documents: [CompiledDocument], of date: CalendarDate, adopted: CalendarDate?)
        -> [Diagnostic]
    {
        let mine = Set(documents.filter { Compiler.fileNameParts($0.path)?.date == date.description }.map(\.path))
        // The version-to-version rules need both versions to compile, as in `check`.
        let found =
            documents.contains(where: \.hasErrors)
            ? documents.flatMap(\.diagnostics) : NoticeGuard.check(documents, adopted: adopted)
        return Diagnostic.sorted(found.filter { $0.severity == .error && mine.contains($0.location.file) })
    }

    /// A policy's versions are the files `check` reads below its folder: the same search, the same warnings.
    func findFiles() throws(CommandStop) -> ([String], String) {
        let folder = (policiesDirectory as NSString).appendingPathComponent(policy)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandStop("no policy '\(policy)' in \(TerminalText.escape(policiesDirectory))", ExitStatus.usage)
        }
        let discovery: Workspace.Discovery
        do {
            discovery = try Workspace.search([folder])
        } catch {
            throw CommandStop(TerminalText.escape(String(describing: error)), ExitStatus.usage)
        }
        let text = discovery.diagnostics.map { $0.formatted + "\n" }.joined()
        if discovery.diagnostics.contains(where: { $0.severity == .error }) {
            throw CommandStop(
                output: CommandOutput(
                    stderr: text + "error: cannot diff '\(policy)' while its files cannot be read\n",
                    status: Commands.diffInputError))
        }
        return (discovery.files, text)
    }

    func compile(_ documents: [CompiledDocument]) throws(CommandStop) -> [PolicyHistory.Version] {
        let errors = Diagnostic.sorted(documents.flatMap(\.diagnostics).filter { $0.severity == .error })
        if !errors.isEmpty {
            let text =
                errors.map { $0.formatted + "\n" }.joined()
                + "error: cannot diff '\(policy)' while its sources have errors; run 'policyc check'\n"
            throw CommandStop(output: CommandOutput(stderr: text, status: Commands.diffInputError))
        }
        guard let history = PolicyHistory.versions(of: documents).first(where: { $0.policy == policy })?.versions,
            !history.isEmpty
        else {
            throw CommandStop("policy '\(policy)' has no versions", ExitStatus.usage)
        }
        return history
    }

    /// The older and the newer version, from FROM and TO: by default the last two.
    func pair(_ history: [PolicyHistory.Version], dates: [String]) throws(CommandStop) -> (
        PolicyHistory.Version, PolicyHistory.Version
    ) {
        func find(_ date: String) throws(CommandStop) -> PolicyHistory.Version {
            guard let found = history.first(where: { $0.effective.description == date }) else {
                throw CommandStop(output: Commands.unknownVersion(date, dates))
            }
            return found
        }
        switch (from, to) {
        case (nil, nil):
            guard history.count >= 2 else {
                throw CommandStop(
                    "policy '\(policy)' has only one version (\(dates[0])); nothing to compare", ExitStatus.usage)
            }
            return (history[history.count - 2], history[history.count - 1])
        case (let f?, nil):
            let old = try find(f)
            guard let index = history.firstIndex(where: { $0.effective == old.effective }), index + 1 < history.count
            else {
                throw CommandStop("\(f) is the latest version; name a later one to compare with", ExitStatus.usage)
            }
            return (old, history[index + 1])
        case (let f?, let t?):
            let old = try find(f)
            let new = try find(t)
            guard old.effective < new.effective else {
                throw CommandStop("FROM (\(f)) must be an earlier version than TO (\(t))", ExitStatus.usage)
            }
            return (old, new)
        case (nil, _?):
            throw CommandStop("give FROM before TO", ExitStatus.usage)
        }
    }
}
