import PolicyBase
import Foundation
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
    public static func diff(policy: String, from: String?, to: String?, language: String?, format: DiffFormat, exitCode: Bool,
                            policiesDirectory: String = "Policies", color: Bool = false) -> CommandOutput {
        // Before any file is touched: POLICY names a folder and FROM, TO and --language name files, so none may be
        // a path (`diff ..`, `diff ../outside`).
        do {
            try Arguments.validate(policy: policy, languages: [language], versions: [from, to])
        } catch {
            return CommandOutput(stderr: "error: \(TerminalText.escape(String(describing: error)))\n", status: ExitStatus.usage)
        }
        let folder = (policiesDirectory as NSString).appendingPathComponent(policy)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return CommandOutput(stderr: "error: no policy '\(policy)' in \(TerminalText.escape(policiesDirectory))\n", status: ExitStatus.usage)
        }
        // A policy's versions are the files `check` reads below its folder: the same search, the same warnings.
        let discovery: Workspace.Discovery
        do {
            discovery = try Workspace.search([folder])
        } catch {
            return CommandOutput(stderr: "error: \(TerminalText.escape(String(describing: error)))\n", status: ExitStatus.usage)
        }
        if discovery.diagnostics.contains(where: { $0.severity == .error }) {
            let text = discovery.diagnostics.map { $0.formatted + "\n" }.joined()
                + "error: cannot diff '\(policy)' while its files cannot be read\n"
            return CommandOutput(stderr: text, status: diffInputError)
        }
        let discoveryWarnings = discovery.diagnostics.map { $0.formatted + "\n" }.joined()
        let files = discovery.files
        // Only the two files compared are compiled: dates and languages come from the file names. A file whose
        // name is not a version's is compiled too, so its error is reported rather than skipped.
        let named = files.map { file in
            let parts = Compiler.fileNameParts(file)
            return (file: file, parts: parts, date: parts.flatMap { CalendarDate($0.date) })
        }
        let allDates = Array(Set(named.compactMap(\.date))).sorted()
        var wanted = Set<CalendarDate>()
        switch (from.flatMap(CalendarDate.init), to.flatMap(CalendarDate.init)) {
        case (let f?, let t?): wanted = [f, t]
        case (let f?, nil): wanted = [f] ; if let next = allDates.first(where: { $0 > f }) { wanted.insert(next) }
        default: wanted = Set(allDates.suffix(2))
        }
        var lang = language
        if lang == nil, let newest = wanted.max() {
            // The original's language: the file of the newer version whose front matter has no translation-of.
            let candidates = named.filter { $0.date == newest }.sorted { ($0.parts?.language ?? "") < ($1.parts?.language ?? "") }
            lang = (candidates.first { !Self.declaresTranslation($0.file) } ?? candidates.first)?.parts?.language
        }
        for date in wanted.sorted() where allDates.contains(date) {
            if let lang, !named.contains(where: { $0.date == date && $0.parts?.language == lang }) {
                return CommandOutput(stderr: "error: version \(date) has no '\(lang)' file\n", status: ExitStatus.usage)
            }
        }
        let documents = Workspace.compile(files: named.filter { entry in
            guard let date = entry.date else { return true }
            return wanted.contains(date) && (lang == nil || entry.parts?.language == lang)
        }.map(\.file))
        let errors = Diagnostic.sorted(documents.flatMap(\.diagnostics).filter { $0.severity == .error })
        if !errors.isEmpty {
            let text = errors.map { $0.formatted + "\n" }.joined() + "error: cannot diff '\(policy)' while its sources have errors; run 'policyc check'\n"
            return CommandOutput(stderr: text, status: diffInputError)
        }
        guard let history = PolicyHistory.versions(of: documents).first(where: { $0.policy == policy })?.versions, !history.isEmpty else {
            return CommandOutput(stderr: "error: policy '\(policy)' has no versions\n", status: ExitStatus.usage)
        }
        let dates = allDates.map(\.description)
        func find(_ date: String) -> PolicyHistory.Version? { history.first { $0.effective.description == date } }
        let old: PolicyHistory.Version, new: PolicyHistory.Version
        switch (from, to) {
        case (nil, nil):
            guard history.count >= 2 else {
                return CommandOutput(stderr: "error: policy '\(policy)' has only one version (\(dates[0])); nothing to compare\n", status: ExitStatus.usage)
            }
            (old, new) = (history[history.count - 2], history[history.count - 1])
        case (let f?, nil):
            guard let o = find(f) else { return unknownVersion(f, dates) }
            guard let index = history.firstIndex(where: { $0.effective == o.effective }), index + 1 < history.count else {
                return CommandOutput(stderr: "error: \(f) is the latest version; name a later one to compare with\n", status: ExitStatus.usage)
            }
            (old, new) = (o, history[index + 1])
        case (let f?, let t?):
            guard let o = find(f) else { return unknownVersion(f, dates) }
            guard let n = find(t) else { return unknownVersion(t, dates) }
            guard o.effective < n.effective else {
                return CommandOutput(stderr: "error: FROM (\(f)) must be an earlier version than TO (\(t))\n", status: ExitStatus.usage)
            }
            (old, new) = (o, n)
        case (nil, _?):
            return CommandOutput(stderr: "error: give FROM before TO\n", status: ExitStatus.usage)
        }
        let chosen = lang ?? new.original.version!.language
        guard let before = old.document(language: chosen)?.version, let after = new.document(language: chosen)?.version else {
            let missing = old.document(language: chosen) == nil ? old.effective : new.effective
            return CommandOutput(stderr: "error: version \(missing) has no '\(chosen)' file\n", status: ExitStatus.usage)
        }
        let diff = VersionDiff.compare(before, after)
        let output: String
        switch format {
        case .json: output = ModelJSON.encode(diff)
        case .markdown: output = DiffReport.markdown(diff)
        // The report quotes the policy's headings and values: a control sequence in them is shown, not obeyed.
        case .text: output = TerminalText.escapeLines(DiffReport.text(diff, color: color), keepingColors: color)
        }
        return CommandOutput(stdout: output, stderr: discoveryWarnings, status: exitCode && diff.hasNotify ? ExitStatus.failure : ExitStatus.success)
    }

    /// Whether the file's front matter has a `translation-of` key: a look at its lines, not a compile.
    static func declaresTranslation(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        var bytes = [UInt8]((try? handle.read(upToCount: 16_384)) ?? Data())
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { $0.last == 13 ? $0.dropLast() : $0 }
        guard lines.first.map({ Array($0) == Array("---".utf8) }) == true else { return false }
        let key = Array("translation-of:".utf8)
        for line in lines.dropFirst() {
            if Array(line) == Array("---".utf8) || Array(line) == Array("...".utf8) { return false }
            if line.starts(with: key) { return true }
        }
        return false
    }

    static func unknownVersion(_ date: String, _ dates: [String]) -> CommandOutput {
        CommandOutput(stderr: "error: no version \(date); versions are \(dates.joined(separator: ", "))\n", status: ExitStatus.usage)
    }
}
