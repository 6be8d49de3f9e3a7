import Foundation
import PolicyBase
import PolicyModel
import PolicyNotify

#if canImport(Glibc)
    import Glibc
#endif

extension NotifyLedger {
    /// The ledger's entries; none when there is no ledger yet.
    static func read(_ path: String, shown: String) -> Result<[Entry], SourceError> {
        switch FileSystem.read(path, limit: Workspace.maximumFileSize) {
        case .success(let bytes): parse(String(decoding: bytes, as: UTF8.self), path: shown)
        case .failure(let error) where error.code == ENOENT: .success([])
        case .failure(let error): .failure(SourceError("cannot read the ledger \(shown): \(error.reason)"))
        }
    }
}

/// What a `notify` run is to the ledger, against what the ledger says of the version: the first preparation; the
/// same files again; a different preparation before the last was sent (no `--force` needed: nobody was told yet);
/// or one after it was sent (only with `--force`: that is a second notification).
enum Rerun {
    case first
    case same(LedgerRecord)
    case beforeSending(LedgerRecord, differences: [String])
    case afterSending(LedgerRecord, differences: [String])

    static func of(_ record: LedgerRecord, earlier: NotifyLedger.VersionState) -> Rerun {
        guard let last = earlier.prepared else { return .first }
        let differences = record.differences(from: last)
        if differences.isEmpty { return .same(last) }
        return earlier.wasSent
            ? .afterSending(last, differences: differences) : .beforeSending(last, differences: differences)
    }

    /// What happened to the version's last preparation, in words: "prepared on …, not sent", "prepared on … and
    /// sent on … (N messages)", or, for a record of the first format, "notified on …".
    static func history(_ last: LedgerRecord, sent state: NotifyLedger.VersionState) -> String {
        if let sent = state.sent {
            return
                "prepared on \(last.date) and sent on \(sent.date) (\(sent.count) message\(sent.count == 1 ? "" : "s"))"
        }
        return state.wasSent ? "notified on \(last.date)" : "prepared on \(last.date) and not sent"
    }
}

extension Commands {
    /// Exit status of `sent` when another `notify` or `sent` for the policy holds its lock.
    public static let sentBusy: Int32 = 75

    /// `policyc sent POLICY VERSION --count N`: records in the ledger that the version's last prepared notification
    /// was sent, with the number of messages the mail tool reported (docs/notify.md, "Sending").
    public static func sent(
        policy: String, version: String, count: Int, today: CalendarDate? = nil, root: String = ".",
        policiesDirectory: String = "Policies", environment: [String: String]? = nil
    ) -> CommandOutput {
        let day: CalendarDate
        do {
            try Arguments.validate(policy: policy, versions: [version])
            guard count >= 0 else { throw UsageError("invalid --count \(count); give the number of messages sent") }
            day = try Today.resolve(option: today, environment: environment)
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", status: ExitStatus.usage)
        }
        let request = NotifyRequest(policy: policy, root: root, policiesDirectory: policiesDirectory)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: request.folder, isDirectory: &isFolder), isFolder.boolValue else {
            return CommandOutput(
                stderr: "error: no policy '\(policy)' in \(policiesDirectory)\n", status: ExitStatus.usage)
        }
        let shown = "\(policiesDirectory)/\(policy)/notified.lock"
        let lock: FileLock
        switch FileLock.acquire(request.folder, folder: true) {
        case .success(let held): lock = held
        case .failure(.busy):
            return CommandOutput(
                stderr:
                    "error: another policyc notify or sent for '\(policy)' is running (it holds the lock on \(request.folder)); nothing was recorded: wait until it has finished, then run again\n",
                status: Commands.sentBusy)
        case .failure(.fault(let fault)):
            return CommandOutput(stderr: "error: \(fault)\nerror: nothing was recorded\n", status: ExitStatus.failure)
        }
        defer { lock.release() }
        let path = (request.folder as NSString).appendingPathComponent("notified.lock")
        let notes = Durable.removeStaleTemporaries(of: path).map {
            "note: removed \($0), left by a run that was stopped\n"
        }.joined()
        var output = recordSent(
            SentRequest(policy: policy, version: version, count: count, day: day), ledger: path, shown: shown)
        output.stderr = notes + output.stderr
        return output
    }

    struct SentRequest {
        var policy: String
        var version: String
        var count: Int
        var day: CalendarDate
    }

    static func recordSent(_ request: SentRequest, ledger path: String, shown: String) -> CommandOutput {
        func refused(_ message: String) -> CommandOutput {
            CommandOutput(stderr: "error: \(message)\nerror: nothing was recorded\n", status: ExitStatus.failure)
        }
        let entries: [NotifyLedger.Entry]
        switch NotifyLedger.read(path, shown: shown) {
        case .success(let read): entries = read
        case .failure(let problem): return refused(problem.message)
        }
        let state = NotifyLedger.VersionState(entries, version: request.version)
        let name = "\(request.policy) \(request.version)"
        guard let prepared = state.prepared else {
            return refused(
                "\(shown) records no prepared notification of \(name); run 'policyc notify \(request.policy) \(request.version)', send its messages, then record them"
            )
        }
        if state.wasSent {
            return refused(
                "\(name) was already \(Rerun.history(prepared, sent: state)) (\(shown)); to send a second notification, prepare it with 'policyc notify --force' first"
            )
        }
        let record = SentRecord(
            version: request.version, date: request.day.description, count: request.count,
            prepared: prepared.counts.notified, recipientsSHA256: prepared.recipientsSHA256)
        do { try NotifyOutput.append(record.line, toLedger: path, step: .sentLedgerWriting) } catch {
            return refused(FileFault.reason(of: error))
        }
        let messages = "\(request.count) message\(request.count == 1 ? "" : "s")"
        var text = "recorded in \(shown): \(name), prepared on \(prepared.date), sent on \(request.day) (\(messages))\n"
        let listed = prepared.counts.notified
        if request.count < listed {
            text +=
                "warning: \(messages) sent, but the preparation lists \(listed): \(listed - request.count) customer\(listed - request.count == 1 ? " was" : "s were") not told; find whom in the mail tool's log and send them their message\n"
        } else if request.count > listed {
            text +=
                "warning: \(messages) sent, but the preparation lists \(listed): \(request.count - listed) more than there are recipients; check the mail tool's log for messages sent twice\n"
        }
        return CommandOutput(stderr: text, status: ExitStatus.success)
    }
}
