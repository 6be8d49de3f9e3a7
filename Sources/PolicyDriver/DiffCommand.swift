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
        let folder = (policiesDirectory as NSString).appendingPathComponent(policy)
        let files: [String]
        do {
            files = try Workspace.discover([folder])
        } catch {
            return CommandOutput(stderr: "error: no policy '\(policy)' in \(policiesDirectory)\n", status: ExitStatus.usage)
        }
        // Only the two versions compared are compiled: their dates come from the file names. A file whose name
        // is not a version's is compiled too, so its error is reported rather than skipped.
        let dated = files.map { file in (file, Compiler.fileNameParts(file).flatMap { CalendarDate($0.date) }) }
        let allDates = Array(Set(dated.compactMap(\.1))).sorted()
        var wanted = Set<CalendarDate>()
        switch (from.flatMap(CalendarDate.init), to.flatMap(CalendarDate.init)) {
        case (let f?, let t?): wanted = [f, t]
        case (let f?, nil): wanted = [f] ; if let next = allDates.first(where: { $0 > f }) { wanted.insert(next) }
        default: wanted = Set(allDates.suffix(2))
        }
        let documents = Workspace.compile(files: dated.filter { $0.1.map(wanted.contains) ?? true }.map(\.0))
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
            (old, new) = (o, n)
        case (nil, _?):
            return CommandOutput(stderr: "error: give FROM before TO\n", status: ExitStatus.usage)
        }
        let lang = language ?? new.original.version!.language
        guard let before = old.document(language: lang)?.version, let after = new.document(language: lang)?.version else {
            let missing = old.document(language: lang) == nil ? old.effective : new.effective
            return CommandOutput(stderr: "error: version \(missing) has no '\(lang)' file\n", status: ExitStatus.usage)
        }
        let diff = VersionDiff.compare(before, after)
        let output: String
        switch format {
        case .json: output = ModelJSON.encode(diff)
        case .markdown: output = DiffReport.markdown(diff)
        case .text: output = DiffReport.text(diff, color: color)
        }
        return CommandOutput(stdout: output, status: exitCode && diff.hasNotify ? ExitStatus.failure : ExitStatus.success)
    }

    static func unknownVersion(_ date: String, _ dates: [String]) -> CommandOutput {
        CommandOutput(stderr: "error: no version \(date); versions are \(dates.joined(separator: ", "))\n", status: ExitStatus.usage)
    }
}
