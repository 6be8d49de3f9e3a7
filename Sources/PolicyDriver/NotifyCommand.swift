import CustomersCSV
import Foundation
import PolicyBase
import PolicyDiff
import PolicyModel
import PolicyNotify
import PolicyPresent
import PolicySource

public enum NotifyFormat: String, CaseIterable, Sendable {
    case csv
    case jsonl
}


/// A file sink for the rendered output: written straight to the disk (`O_DIRECT`) where the file system allows it.
///
/// A run for millions of customers writes about a gigabyte of files. Through the page cache that costs about 2 s of
/// system time a gigabyte on the project's machine (`dd … bs=1M`), more than any part of the selection; written
/// directly, 0.1 s. So bytes are staged in a 1 MB buffer aligned for direct I/O and written a megabyte at a time;
/// the last, partial megabyte goes through the page cache (direct writes must be whole blocks). Where the file
/// system refuses direct I/O (tmpfs, some network file systems), the file is written the ordinary way.
final class FileSink: ByteSink {
    static let stagingSize = 1 << 20
    let path: String
    private var descriptor: Int32
    private var direct: Bool
    private let staging: UnsafeMutableRawPointer
    private var staged = 0

    init(path: String) throws {
        self.path = path
        var descriptor: Int32 = -1
        if let flag = DirectIO.flag {
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | flag, 0o644)
        }
        direct = descriptor >= 0
        if descriptor < 0 { descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        guard descriptor >= 0 else { throw UsageError("cannot write \(path): \(String(cString: strerror(errno)))") }
        self.descriptor = descriptor
        staging = UnsafeMutableRawPointer.allocate(byteCount: Self.stagingSize, alignment: 4096)
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { source in
            var at = 0
            while at < source.count {
                let count = min(Self.stagingSize - staged, source.count - at)
                (staging + staged).copyMemory(from: source.baseAddress! + at, byteCount: count)
                staged += count
                at += count
                if staged == Self.stagingSize { try writeStaged() }
            }
        }
    }

    func close() throws {
        guard descriptor >= 0 else { return }
        if staged > 0 {
            // Not a whole number of blocks: this part goes through the page cache.
            if direct { stopDirect() }
            try writeStaged()
        }
        let result = Foundation.close(descriptor)
        descriptor = -1
        guard result == 0 else { throw UsageError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    private func stopDirect() {
        direct = false
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~(DirectIO.flag ?? 0))
    }

    private func writeStaged() throws {
        var done = 0
        while done < staged {
            let count = Foundation.write(descriptor, staging + done, staged - done)
            if count < 0 && errno == EINTR { continue }
            if count < 0 && errno == EINVAL && direct {
                stopDirect()   // the file system took the open but not the write
                continue
            }
            guard count > 0 else { throw UsageError("cannot write \(path): \(String(cString: strerror(errno)))") }
            done += count
        }
        staged = 0
    }

    deinit {
        if descriptor >= 0 { _ = Foundation.close(descriptor) }
        staging.deallocate()
    }
}

extension Commands {
    /// Exit status of `notify` when the policy's sources have errors, as for `diff`.
    public static let notifyInputError: Int32 = 2

    /// `policyc notify POLICY [VERSION] --customers FILE`.
    ///
    /// `root` is the project root: `policyc.yaml`, the policies folder, the customer export (when relative) and
    /// `Output/` are found from it. `progress` gets (bytes read, file size) while the export is read.
    public static func notify(policy: String, version: String?, customers: String?, format: NotifyFormat = .csv,
                              force: Bool = false, today: String? = nil, root: String = ".",
                              policiesDirectory: String = "Policies", environment: [String: String]? = nil,
                              progress: (@Sendable (Int, Int) -> Void)? = nil) -> CommandOutput {
        // The policy id and version name files; checked before any file is touched, as in every command.
        do { try Arguments.validate(policy: policy, versions: [version]) } catch {
            return CommandOutput(stderr: "error: \(error)\n", status: ExitStatus.usage)
        }
        func under(_ path: String) -> String { path.hasPrefix("/") || root == "." ? path : (root as NSString).appendingPathComponent(path) }
        let day: CalendarDate
        do { day = try Today.resolve(option: today, environment: environment) } catch {
            return CommandOutput(stderr: "error: \(error)\n", status: ExitStatus.usage)
        }

        // Settings.
        let configPath = under(ProjectConfig.fileName)
        let configBytes = FileManager.default.contents(atPath: configPath).map { [UInt8]($0) }
        let (config, configProblems) = ProjectConfig.read(bytes: configBytes, path: ProjectConfig.fileName)
        if configProblems.contains(where: { $0.severity == .error }) {
            return CommandOutput(stderr: configProblems.map { $0.formatted + "\n" }.joined(), status: ExitStatus.failure)
        }
        let settings = config.notify
        guard let customersName = customers ?? settings.customers else {
            return CommandOutput(stderr: "error: no customer export; give --customers FILE or set 'customers' in the notify section of policyc.yaml\n", status: ExitStatus.usage)
        }
        let customersPath = under(customersName)
        guard FileManager.default.isReadableFile(atPath: customersPath) else {
            return CommandOutput(stderr: "error: cannot read the customer export \(customersName)\n", status: ExitStatus.usage)
        }
        guard let from = settings.from else {
            return CommandOutput(stderr: "error: the messages need a sender; set 'from' in the notify section of policyc.yaml\n", status: ExitStatus.usage)
        }

        // The policy's versions.
        let folder = (under(policiesDirectory) as NSString).appendingPathComponent(policy)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            return CommandOutput(stderr: "error: no policy '\(policy)' in \(policiesDirectory)\n", status: ExitStatus.usage)
        }
        let files = names.filter { $0.hasSuffix(".md") && $0.lowercased() != "readme.md" && !$0.hasPrefix(".") }
            .sorted().map { (folder as NSString).appendingPathComponent($0) }
        let documents = Workspace.compile(files: files)
        let errors = Diagnostic.sorted(documents.flatMap(\.diagnostics).filter { $0.severity == .error })
        if !errors.isEmpty {
            return CommandOutput(stderr: errors.map { $0.formatted + "\n" }.joined()
                                 + "error: cannot notify for '\(policy)' while its sources have errors; run 'policyc check'\n",
                                 status: notifyInputError)
        }
        guard let history = PolicyHistory.versions(of: documents).first(where: { $0.policy == policy })?.versions, !history.isEmpty else {
            return CommandOutput(stderr: "error: policy '\(policy)' has no versions\n", status: ExitStatus.usage)
        }
        func notifyChanges(_ index: Int) -> [ChangeRecord] {
            guard index > 0 else { return [] }
            return VersionDiff.compare(history[index - 1].original.version!, history[index].original.version!).changes.filter { $0.impact == .notify }
        }
        let index: Int
        if let version {
            guard let found = history.firstIndex(where: { $0.effective.description == version }) else {
                return CommandOutput(stderr: "error: no version \(version); versions are \(history.map(\.effective.description).joined(separator: ", "))\n", status: ExitStatus.usage)
            }
            guard found > 0 else {
                return CommandOutput(stderr: "error: \(version) is the first version of '\(policy)'; there is no change to tell anyone about\n", status: ExitStatus.usage)
            }
            guard !notifyChanges(found).isEmpty else {
                return CommandOutput(stderr: "error: version \(version) has no changes customers must be told about (policyc diff \(policy) shows its changes)\n", status: ExitStatus.failure)
            }
            index = found
        } else {
            guard let found = history.indices.reversed().first(where: { !notifyChanges($0).isEmpty }) else {
                return CommandOutput(stderr: "error: no version of '\(policy)' has changes customers must be told about\n", status: ExitStatus.failure)
            }
            index = found
        }
        let newer = history[index], older = history[index - 1]
        let newModel = newer.original.version!, oldModel = older.original.version!
        let versionName = newer.effective.description
        let diff = VersionDiff.compare(oldModel, newModel)

        // What selection decides with: the older version's categories, then the newer's new ones; the languages of
        // the newer version.
        var categoryIds = oldModel.categories.map(\.id)
        for category in newModel.categories where !categoryIds.contains(category.id) { categoryIds.append(category.id) }
        guard categoryIds.count <= 64 else {
            return CommandOutput(stderr: "error: policy '\(policy)' declares more than 64 data categories; notify supports 64\n", status: ExitStatus.failure)
        }
        let languages = newer.all.compactMap { $0.version?.language }.sorted()
        let vocabulary = Vocabulary(categories: categoryIds, languages: languages)
        let plan = NotifyPlan(changes: diff.changes, effective: newer.effective, vocabulary: vocabulary)

        // The notice in each language, from the diff in that language (labels are the language's).
        // notify's own base URL, else the published site's (the `site` section): the messages link to its pages.
        let siteBase = config.site.baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let baseURL = settings.baseURL ?? siteBase
        let contact = newModel.privacyContact?.email ?? newModel.controller.email ?? from
        var notices: [String: NoticeText] = [:]
        for language in languages {
            guard let model = newer.document(language: language)?.version else { continue }
            let localized = older.document(language: language)?.version.map { VersionDiff.compare($0, model).changes } ?? []
            let records = diff.changes.filter { $0.impact == .notify }.map { record in localized.first { $0.id == record.id } ?? record }
            let links = baseURL.map { NoticeLinks.urls(base: $0, policy: policy, language: language, version: versionName) }
            notices[language] = Presenter(language: language).notice(version: model, changes: records, versionURL: links?.version,
                                                                     changesURL: links?.changes, contact: contact)
        }

        let ledgerPath = (folder as NSString).appendingPathComponent("notified.lock")
        let ledgerName = "\(policiesDirectory)/\(policy)/notified.lock"
        var earlier: [LedgerRecord] = []
        if let text = try? String(contentsOfFile: ledgerPath, encoding: .utf8) {
            switch LedgerRecord.parse(text, path: ledgerName) {
            case .success(let records): earlier = records.filter { $0.version == versionName }
            case .failure(let problem):
                return CommandOutput(stderr: "error: \(problem.message)\nerror: nothing was written\n", status: ExitStatus.failure)
            }
        }
        // Phase times on standard error with POLICYC_NOTIFY_TIMING=1 (for docs/performance.md).
        let timing = getenv("POLICYC_NOTIFY_TIMING") != nil
        var clock = Date()
        func lap(_ phase: String) {
            guard timing else { return }
            // VmHWM: the peak resident memory so far (Linux).
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.map { $0.dropFirst(6).trimmingCharacters(in: .whitespaces) } ?? "?"
            FileHandle.standardError.write(Data(String(format: "timing: %@ %.2f s, peak memory so far %@\n", phase, Date().timeIntervalSince(clock), peak).utf8))
            clock = Date()
        }
        lap("policies, diff and notices")
        // Select. Nothing is written before this has read every row.
        var source = CSVCustomerSource(path: customersPath, settings: settings)
        source.progress = progress
        let selection: Selection
        do {
            selection = try Notify.select(plan: plan, source: source)
        } catch let error as SourceError {
            return CommandOutput(stderr: "error: \(error.message)\nerror: nothing was written\n", status: ExitStatus.failure)
        } catch {
            return CommandOutput(stderr: "error: \(error)\nerror: nothing was written\n", status: ExitStatus.failure)
        }
        precondition(selection.counts.outcomes == selection.counts.rows, "every row has exactly one outcome")
        lap("read, select and sort")

        // Write into a fresh folder beside the final one, then swap it in.
        let run = NoticeRun(policy: policy, version: versionName, previous: older.effective.description,
                            originalLanguage: newModel.language, notices: notices,
                            headers: MailMerge.Headers(from: from, replyTo: settings.replyTo), jsonLines: format == .jsonl,
                            source: customersName)
        let outputParent = (under("Output/notify") as NSString).appendingPathComponent(policy)
        let finalFolder = (outputParent as NSString).appendingPathComponent(versionName)
        let partial = (outputParent as NSString).appendingPathComponent(".\(versionName).partial")
        let manager = FileManager.default
        let written: Written
        do {
            try? manager.removeItem(atPath: partial)
            for language in languages {
                try manager.createDirectory(atPath: (partial as NSString).appendingPathComponent(language), withIntermediateDirectories: true)
            }
            try manager.createDirectory(atPath: partial, withIntermediateDirectories: true)
            written = try Notify.write(selection, run: run) { name in try FileSink(path: (partial as NSString).appendingPathComponent(name)) }
        } catch {
            try? manager.removeItem(atPath: partial)
            return CommandOutput(stderr: "error: cannot write the notification files: \(error)\n", status: ExitStatus.failure)
        }

        lap("write")
        let record = LedgerRecord(version: versionName, date: day.description, counts: selection.counts,
                                  recipientsSHA256: written.recipientsHash, templatesSHA256: written.templateHashes(languages),
                                  forced: force && !earlier.isEmpty)
        var notes = ""
        var append = true
        if let last = earlier.last {
            let differences = record.differences(from: last)
            if differences.isEmpty {
                notes = "note: \(policy) \(versionName) was already notified on \(last.date) (\(ledgerName)); nothing differs, so no new ledger record\(force ? " (--force has nothing to record)" : "")\n"
                append = false
            } else if !force {
                try? manager.removeItem(atPath: partial)
                return CommandOutput(stderr: "error: \(policy) \(versionName) was already notified on \(last.date) (\(ledgerName)); this run differs in: \(differences.joined(separator: "; "))\n"
                                     + "error: nothing was written; run again with --force to notify again and record it\n", status: ExitStatus.failure)
            } else {
                notes = "note: \(policy) \(versionName) was already notified on \(last.date); --force: notifying again, differs in: \(differences.joined(separator: "; "))\n"
            }
        }
        do {
            if manager.fileExists(atPath: finalFolder) { try manager.removeItem(atPath: finalFolder) }
            try manager.moveItem(atPath: partial, toPath: finalFolder)
            if append {
                let line = record.line + "\n"
                if let handle = FileHandle(forWritingAtPath: ledgerPath) {
                    defer { try? handle.close() }
                    try handle.seekToEnd()
                    try handle.write(contentsOf: Data(line.utf8))
                } else {
                    let header = "# The notification ledger of policyc notify (docs/notify.md): one record a run, no addresses. Commit it.\n"
                    try Data((header + line).utf8).write(to: URL(fileURLWithPath: ledgerPath))
                }
            }
        } catch {
            return CommandOutput(stderr: "error: cannot write the notification files: \(error)\n", status: ExitStatus.failure)
        }
        let shown = "Output/notify/\(policy)/\(versionName)"
        return CommandOutput(stderr: notes + Notify.summary(selection, run: run, folder: shown), status: ExitStatus.success)
    }
}

/// The published addresses a notice links to. The site's layout is publish's (docs/publish.md): a version at
/// `<base>/<policy>/<language>/<version>/`, its change page at `…/<version>/changes/`.
public enum NoticeLinks {
    public static func urls(base: String, policy: String, language: String, version: String) -> (version: String, changes: String) {
        let page = "\(base)/\(policy)/\(language)/\(version)/"
        return (page, page + "changes/")
    }
}
