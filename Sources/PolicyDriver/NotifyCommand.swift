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

extension Commands {
    /// Exit status of `notify` when the policy's sources have errors, as for `diff`.
    public static let notifyInputError: Int32 = 2
    /// Exit status of `notify` when customers can no longer be told in time: the version is in force, or its notice
    /// period began before today (docs/notify.md, "Dates"). `--late` sends a late notice on purpose.
    public static let notifyTooLate: Int32 = 3

    /// `policyc notify POLICY [VERSION] --customers FILE`.
    ///
    /// `root` is the project root: `policyc.yaml`, the policies folder, the customer export (when relative) and
    /// `Output/` are found from it. `progress` gets (bytes read, file size) while the export is read.
    public static func notify(
        policy: String, version: String?, customers: String?, format: NotifyFormat = .csv,
        force: Bool = false, late: Bool = false, today: CalendarDate? = nil, root: String = ".",
        policiesDirectory: String = "Policies", environment: [String: String]? = nil,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> CommandOutput {
        // The policy id and version name files; checked before any file is touched, as in every command.
        let day: CalendarDate
        do {
            try Arguments.validate(policy: policy, versions: [version])
            day = try Today.resolve(option: today, environment: environment)
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", status: ExitStatus.usage)
        }
        let request = NotifyRequest(policy: policy, root: root, policiesDirectory: policiesDirectory)
        let settings: NotifyRequest.Settings
        let chosen: NotifyRequest.Chosen
        do {
            settings = try request.settings(customers: customers)
            chosen = try request.version(version)
            try request.checkTiming(chosen, today: day, late: late)
        } catch {
            return error.output
        }
        let run = NoticeRun(
            policy: policy, version: chosen.name, previous: chosen.older.effective.description,
            originalLanguage: chosen.newModel.language,
            notices: request.notices(chosen, config: settings.config, from: settings.from, late: late),
            headers: MailMerge.Headers(from: settings.from, replyTo: settings.config.notify.replyTo),
            jsonLines: format == .jsonl, source: settings.customersName)
        var source = CSVCustomerSource(path: settings.customersPath, settings: settings.config.notify)
        source.progress = progress
        let job = NotifyJob(
            policy: policy, version: chosen.name, policyFolder: request.folder,
            ledgerName: "\(policiesDirectory)/\(policy)/notified.lock",
            output: NotifyOutput(
                parent: (request.under("Output/notify") as NSString).appendingPathComponent(policy),
                version: chosen.name),
            shown: "Output/notify/\(policy)/\(chosen.name)", languages: chosen.languages, day: day, force: force,
            late: late, smtp: settings.config.notify.smtp)
        return job.run(plan: chosen.plan, source: source, notice: run)
    }
}

/// What a `notify` run is asked for, worked out before any file is written: the settings and the export, the
/// version and its plan, and the notice in each language.
struct NotifyRequest {
    let policy: String
    let root: String
    let policiesDirectory: String

    typealias Stop = CommandStop

    func under(_ path: String) -> String {
        path.hasPrefix("/") || root == "." ? path : (root as NSString).appendingPathComponent(path)
    }

    var folder: String { (under(policiesDirectory) as NSString).appendingPathComponent(policy) }

    struct Settings {
        var config: ProjectConfig
        var customersName: String
        var customersPath: String
        var from: String
    }

    func settings(customers: String?) throws(Stop) -> Settings {
        let configBytes = FileManager.default.contents(atPath: under(ProjectConfig.fileName)).map { [UInt8]($0) }
        let (config, problems) = ProjectConfig.read(bytes: configBytes, path: ProjectConfig.fileName)
        if problems.contains(where: { $0.severity == .error }) {
            throw Stop(
                output: CommandOutput(stderr: problems.map { $0.formatted + "\n" }.joined(), status: ExitStatus.failure)
            )
        }
        guard let customersName = customers ?? config.notify.customers else {
            throw Stop(
                "no customer export; give --customers FILE or set 'customers' in the notify section of policyc.yaml",
                ExitStatus.usage)
        }
        let customersPath = under(customersName)
        guard FileManager.default.isReadableFile(atPath: customersPath) else {
            throw Stop("cannot read the customer export \(customersName)", ExitStatus.usage)
        }
        guard let from = config.notify.from else {
            throw Stop("the messages need a sender; set 'from' in the notify section of policyc.yaml", ExitStatus.usage)
        }
        return Settings(config: config, customersName: customersName, customersPath: customersPath, from: from)
    }

    /// The version to notify for, the one before it, and the plan selection decides with.
    struct Chosen {
        var newer: PolicyHistory.Version
        var older: PolicyHistory.Version
        var diff: VersionDiff
        var plan: NotifyPlan
        var languages: [String]
        var name: String { newer.effective.description }
        var newModel: PolicyVersion { newer.original.version! }
    }

    func version(_ version: String?) throws(Stop) -> Chosen {
        let history = try self.history()
        func notifyChanges(_ index: Int) -> [ChangeRecord] {
            guard index > 0 else { return [] }
            return VersionDiff.compare(history[index - 1].original.version!, history[index].original.version!).changes
                .filter { $0.impact == .notify }
        }
        let index: Int
        if let version {
            guard let found = history.firstIndex(where: { $0.effective.description == version }) else {
                throw Stop(
                    "no version \(version); versions are \(history.map(\.effective.description).joined(separator: ", "))",
                    ExitStatus.usage)
            }
            guard found > 0 else {
                throw Stop(
                    "\(version) is the first version of '\(policy)'; there is no change to tell anyone about",
                    ExitStatus.usage)
            }
            guard !notifyChanges(found).isEmpty else {
                throw Stop(
                    "version \(version) has no changes customers must be told about (policyc diff \(policy) shows its changes)",
                    ExitStatus.failure)
            }
            index = found
        } else {
            guard let found = history.indices.reversed().first(where: { !notifyChanges($0).isEmpty }) else {
                throw Stop("no version of '\(policy)' has changes customers must be told about", ExitStatus.failure)
            }
            index = found
        }
        return try plan(newer: history[index], older: history[index - 1])
    }

    /// Customers told today must be told before the version takes effect, with its notice period ahead; a notice
    /// that cannot be is sent only on purpose (`--late`), and `--late` only for such a notice.
    func checkTiming(_ chosen: Chosen, today: CalendarDate, late: Bool) throws(Stop) {
        let days = NoticeTiming.days(previous: chosen.older.original.version!, version: chosen.newModel)
        let what = "version \(chosen.name) of '\(policy)'"
        func tooLate(_ message: String, _ advice: String) -> Stop {
            Stop(
                output: CommandOutput(
                    stderr: "error: \(what) \(message)\nerror: nothing was written; \(advice)\n",
                    status: Commands.notifyTooLate))
        }
        switch NoticeTiming.of(effective: chosen.newer.effective, days: days, today: today) {
        case .inTime where late:
            throw Stop(
                "--late is for a notice that can no longer be given in time, and \(what) can still be: customers told by \(chosen.newer.effective.adding(days: -days)) have its \(days) days of notice; run without --late",
                ExitStatus.usage)
        case .inTime: return
        case _ where late: return
        case .inForce:
            throw tooLate(
                "took effect on \(chosen.name), and today is \(today): customers can no longer be told before it applies",
                "to tell them now that it is in force and what they can do, run again with --late")
        case .periodMissed(let deadline, let days):
            throw tooLate(
                "needs \(days) days of notice: customers had to be told by \(deadline), and today is \(today)",
                "to give the full notice, set 'effective' to \(today.adding(days: days)) or later in a version not yet published, or make the change in a new version; to send this notice late on purpose, run again with --late"
            )
        }
    }

    /// The policy's versions, compiled; a source error stops the run (exit 2).
    func history() throws(Stop) -> [PolicyHistory.Version] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw Stop("no policy '\(policy)' in \(policiesDirectory)", ExitStatus.usage)
        }
        let files = names.filter { $0.hasSuffix(".md") && $0.lowercased() != "readme.md" && !$0.hasPrefix(".") }
            .sorted().map { (folder as NSString).appendingPathComponent($0) }
        let documents = Workspace.compile(files: files)
        let errors = Diagnostic.sorted(documents.flatMap(\.diagnostics).filter { $0.severity == .error })
        if !errors.isEmpty {
            throw Stop(
                output: CommandOutput(
                    stderr: errors.map { $0.formatted + "\n" }.joined()
                        + "error: cannot notify for '\(policy)' while its sources have errors; run 'policyc check'\n",
                    status: Commands.notifyInputError))
        }
        guard let history = PolicyHistory.versions(of: documents).first(where: { $0.policy == policy })?.versions,
            !history.isEmpty
        else {
            throw Stop("policy '\(policy)' has no versions", ExitStatus.usage)
        }
        return history
    }

    /// What selection decides with: the older version's categories, then the newer's new ones; the languages of the
    /// newer version.
    func plan(newer: PolicyHistory.Version, older: PolicyHistory.Version) throws(Stop) -> Chosen {
        let newModel = newer.original.version!
        let oldModel = older.original.version!
        let diff = VersionDiff.compare(oldModel, newModel)
        var categoryIds = oldModel.categories.map(\.id)
        for category in newModel.categories where !categoryIds.contains(category.id) { categoryIds.append(category.id) }
        guard categoryIds.count <= 64 else {
            throw Stop(
                "policy '\(policy)' declares more than 64 data categories; notify supports 64", ExitStatus.failure)
        }
        let languages = newer.all.compactMap { $0.version?.language }.sorted()
        // A customer's services and region are read against both versions' scope items and named regions.
        var services = oldModel.scope.map(\.id)
        for item in newModel.scope where !services.contains(item.id) { services.append(item.id) }
        var regions = oldModel.regionsNamed
        for region in newModel.regionsNamed where !regions.contains(region) { regions.append(region) }
        guard services.count <= 64, regions.count <= 64 else {
            throw Stop(
                "policy '\(policy)' declares more than 64 services or names more than 64 regions; notify supports 64 of each",
                ExitStatus.failure)
        }
        let plan = NotifyPlan(
            changes: diff.changes, effective: newer.effective,
            vocabulary: Vocabulary(
                categories: categoryIds, languages: languages, services: services, regions: regions))
        return Chosen(newer: newer, older: older, diff: diff, plan: plan, languages: languages)
    }

    /// The notice in each language, from the diff in that language (labels are the language's). It links to
    /// notify's own base URL, else the published site's (the `site` section).
    func notices(_ chosen: Chosen, config: ProjectConfig, from: String, late: Bool) -> [String: NoticeText] {
        let siteBase = config.site.baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let baseURL = config.notify.baseURL ?? siteBase
        let contact = chosen.newModel.privacyContact?.email ?? chosen.newModel.controller.email ?? from
        var notices: [String: NoticeText] = [:]
        for language in chosen.languages {
            guard let model = chosen.newer.document(language: language)?.version else { continue }
            let older = chosen.older.document(language: language)?.version
            let localized = older.map { VersionDiff.compare($0, model).changes } ?? []
            let records = chosen.diff.changes.filter { $0.impact == .notify }.map { record in
                localized.first { $0.id == record.id } ?? record
            }
            let links = baseURL.map {
                NoticeLinks.urls(base: $0, policy: policy, language: language, version: chosen.name)
            }
            notices[language] = Presenter(language: language).notice(
                version: model, previous: older, changes: records, versionURL: links?.version,
                changesURL: links?.changes, contact: contact, late: late)
        }
        return notices
    }
}

/// Exit status of `notify` when another run for the same policy holds its lock (sysexits EX_TEMPFAIL, as publish).
extension Commands {
    public static let notifyBusy: Int32 = 75
}

/// The part of one `notify` run that touches files: under the policy's lock, the leftovers of stopped runs removed,
/// the customers selected, the output written aside and swapped in, then the ledger record.
struct NotifyJob {
    let policy: String
    let version: String
    /// `Policies/<policy>`: locked for the run, and home of the ledger.
    let policyFolder: String
    /// The ledger's path as messages show it.
    let ledgerName: String
    let output: NotifyOutput
    /// The output folder as messages show it.
    let shown: String
    let languages: [String]
    let day: CalendarDate
    let force: Bool
    let late: Bool
    /// Written as each language's `mailmerge_server.conf`, unless the user put one there.
    let smtp: NotifySettings.SMTP?

    var ledgerPath: String { (policyFolder as NSString).appendingPathComponent("notified.lock") }

    func failure(_ notes: String, _ message: String, _ closing: String = "nothing was written") -> CommandOutput {
        CommandOutput(stderr: notes + "error: \(message)\nerror: \(closing)\n", status: ExitStatus.failure)
    }

    func run(plan: NotifyPlan, source: CSVCustomerSource, notice: NoticeRun) -> CommandOutput {
        let lock: FileLock
        switch FileLock.acquire(policyFolder, folder: true) {
        case .success(let held): lock = held
        case .failure(.busy):
            return CommandOutput(
                stderr:
                    "error: another policyc notify for '\(policy)' is running (it holds the lock on \(policyFolder)); nothing was written: wait until it has finished, then run again\n",
                status: Commands.notifyBusy)
        case .failure(.fault(let fault)):
            return failure("", fault.description)
        }
        defer { lock.release() }
        FaultPoint.notifyLocked.reach()
        var notes = Durable.removeStaleTemporaries(of: ledgerPath).map {
            "note: removed \($0), left by a notify run that was stopped\n"
        }.joined()
        let (removed, faults) = NotifyOutput.removeLeftovers(in: output.parent)
        notes += removed.map { "note: removed \($0), left by a notify run that was stopped (it held customer data)\n" }
            .joined()
        if let fault = faults.first {
            return failure(
                notes,
                "\(fault); it was left by a notify run that was stopped and holds customer data: remove it by hand")
        }
        // The ledger and the output folder must be writable before hours of work, not after.
        if access(policyFolder, W_OK) != 0 {
            return failure(notes, FileFault("write the ledger", ledgerName, errno: errno).description)
        }
        do { try output.checkWritable() } catch { return failure(notes, FileFault.reason(of: error)) }
        let earlier: NotifyLedger.VersionState
        switch NotifyLedger.read(ledgerPath, shown: ledgerName) {
        case .success(let entries): earlier = NotifyLedger.VersionState(entries, version: version)
        case .failure(let problem): return failure(notes, problem.message)
        }
        let timing = NotifyTiming()
        timing.lap("policies, diff and notices")
        // Select. Nothing is written before this has read every row.
        let selection: Selection
        do {
            selection = try Notify.select(plan: plan, source: source)
        } catch let error as SourceError {
            return failure(notes, error.message)
        } catch {
            return failure(notes, FileFault.reason(of: error))
        }
        precondition(selection.counts.outcomes == selection.counts.rows, "every row has exactly one outcome")
        timing.lap("read, select and sort")
        FaultPoint.notifySelected.reach()
        return write(selection, notice: notice, earlier: earlier, notes: notes, timing: timing)
    }

    /// Writes the files aside, compares the run with the ledger, swaps the output in and records it.
    func write(
        _ selection: Selection, notice: NoticeRun, earlier: NotifyLedger.VersionState, notes: String,
        timing: NotifyTiming
    )
        -> CommandOutput
    {
        var notes = notes
        let written: Written
        var sinks: [FileSink] = []
        do {
            try output.begin(languages: languages)
            written = try Notify.write(selection, run: notice) { name in
                let sink = try FileSink(path: output.staging + "/" + name)
                sinks.append(sink)
                return sink
            }
            if let smtp {
                for language in languages {
                    let sink = try FileSink(path: output.staging + "/\(language)/mailmerge_server.conf")
                    sinks.append(sink)
                    try sink.write(Array(MailMerge.serverSettings(smtp).utf8))
                    try sink.close()
                }
            }
        } catch {
            sinks.removeAll()
            SiteWriter.removeTree(output.staging)
            return failure(notes, FileFault.reason(of: error), "nothing was written; \(previousState)")
        }
        timing.lap("write")
        FaultPoint.notifyWritten.reach()
        let record = LedgerRecord(
            version: version, date: day.description, counts: selection.counts,
            recipientsSHA256: written.recipientsHash, templatesSHA256: written.templateHashes(languages),
            forced: force && earlier.wasSent, late: late)
        var append = true
        switch Rerun.of(record, earlier: earlier) {
        case .first: break
        case .same(let last):
            notes +=
                "note: \(policy) \(version) was already \(Rerun.history(last, sent: earlier)) (\(ledgerName)); nothing differs, so no new ledger record\(force ? " (--force has nothing to record)" : "")\n"
            append = false
        case .beforeSending(let last, let differences):
            notes +=
                "note: \(policy) \(version) was prepared on \(last.date) and not sent; prepared again, as it differs in: \(differences.joined(separator: "; "))\n"
        case .afterSending(let last, let differences) where !force:
            sinks.removeAll()
            SiteWriter.removeTree(output.staging)
            return failure(
                notes,
                "\(policy) \(version) was already \(Rerun.history(last, sent: earlier)) (\(ledgerName)); this run differs in: \(differences.joined(separator: "; "))",
                "nothing was written; run again with --force to prepare a second notification for the version and record it"
            )
        case .afterSending(let last, let differences):
            notes +=
                "note: \(policy) \(version) was already \(Rerun.history(last, sent: earlier)); --force: preparing a second notification, it differs in: \(differences.joined(separator: "; "))\n"
        }
        return reveal(selection, notice: notice, sinks: sinks, record: append ? record : nil, notes: notes)
    }

    var previousState: String {
        FileManager.default.fileExists(atPath: output.final)
            ? "the previous files in \(shown) are unchanged" : "there were no previous files"
    }

    /// Names the files, swaps them in, then records the run; on a failure the previous output is put back.
    func reveal(_ selection: Selection, notice: NoticeRun, sinks: [FileSink], record: LedgerRecord?, notes: String)
        -> CommandOutput
    {
        var notes = notes
        let displaced: Bool
        do {
            let kept = try output.complete(sinks)
            notes += kept.map { "note: kept \($0) from the previous run's files\n" }.joined()
            FaultPoint.notifyStaged.reach()
            displaced = try output.swapIn()
        } catch {
            SiteWriter.removeTree(output.staging)
            return failure(notes, FileFault.reason(of: error), "nothing was written; \(previousState)")
        }
        FaultPoint.notifySwapped.reach()
        if let record {
            do { try NotifyOutput.append(record.line, toLedger: ledgerPath, step: .notifyLedgerWriting) } catch {
                let undone = output.swapBack(displacedPrevious: displaced)
                let state =
                    !undone.isEmpty
                    ? "and the previous files could not be put back: \(undone.map(\.description).joined(separator: "; "))"
                    : displaced ? "the previous files in \(shown) are back in place" : "no files were left in \(shown)"
                return failure(notes, FileFault.reason(of: error), "nothing was recorded or written: \(state)")
            }
        }
        FaultPoint.notifyRecorded.reach()
        if displaced, let fault = SiteWriter.removeTree(output.displaced) {
            notes +=
                "warning: the previous run's files, which hold customer data, could not be removed: \(fault); remove them by hand\n"
        }
        return CommandOutput(
            stderr: notes + Notify.summary(selection, run: notice, folder: shown), status: ExitStatus.success)
    }
}

/// Phase times on standard error with POLICYC_NOTIFY_TIMING=1 (for docs/performance.md).
final class NotifyTiming {
    let enabled = getenv("POLICYC_NOTIFY_TIMING") != nil
    var clock = Date()

    func lap(_ phase: String) {
        guard enabled else { return }
        // VmHWM: the peak resident memory so far (Linux).
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let peak =
            status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.map {
                $0.dropFirst(6).trimmingCharacters(in: .whitespaces)
            } ?? "?"
        FileHandle.standardError.write(
            Data(
                String(
                    format: "timing: %@ %.2f s, peak memory so far %@\n", phase, Date().timeIntervalSince(clock), peak
                ).utf8))
        clock = Date()
    }
}

/// The published addresses a notice links to. The site's layout is publish's (docs/publish.md): a version at
/// `<base>/<policy>/<language>/<version>/`, its change page at `…/<version>/changes/`.
public enum NoticeLinks {
    public static func urls(base: String, policy: String, language: String, version: String) -> (
        version: String, changes: String
    ) {
        let page = "\(base)/\(policy)/\(language)/\(version)/"
        return (page, page + "changes/")
    }
}
