import Foundation
import PolicyBase
import PolicyDiff
import PolicyModel
import PolicyPresent
import PolicyPublish
import PolicySource

#if canImport(Glibc)
    import Glibc
#endif

/// Where `publish` reads and writes, resolved from its arguments before any file is touched.
public struct PublishPlace: Sendable, Equatable {
    /// The policy repository's root: `policyc.yaml` and the theme folder are here.
    public var root: String
    /// The folder of policy folders.
    public var policies: String
    /// The site folder.
    public var out: String
    public var today: CalendarDate
}

extension Commands {
    /// Exit status when another publish holds the site's lock (sysexits EX_TEMPFAIL: try again later).
    public static let publishBusy: Int32 = 75

    /// Checks `publish`'s arguments, and only them: no file is created, read or changed here. Usage errors exit 64.
    static func validatePublishArguments(
        path: String?, out: String?, today: CalendarDate?, environment: [String: String]?
    ) throws -> PublishPlace {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let given = path ?? "."
        guard manager.fileExists(atPath: given, isDirectory: &isDirectory) else {
            throw UsageError("no such directory: \(given)")
        }
        guard isDirectory.boolValue else {
            throw UsageError("\(given) is a file; give the policy repository or its Policies folder")
        }
        // The repository root (with Policies/ inside), or the policies folder itself (its parent is the root).
        let root: String
        let policies: String
        let inner = (given as NSString).appendingPathComponent("Policies")
        if manager.fileExists(atPath: inner, isDirectory: &isDirectory), isDirectory.boolValue {
            (root, policies) = (given, given == "." ? "Policies" : inner)
        } else if path == nil {
            throw UsageError("no Policies folder here; give the policy repository or its Policies folder")
        } else {
            let parent = (given as NSString).deletingLastPathComponent
            (root, policies) = (parent.isEmpty ? "." : parent, given)
        }
        let out = out ?? Publish.defaultOutput
        guard !out.isEmpty else { throw UsageError("--out is empty; name the folder the site is written to") }
        // The site folder is replaced as a whole: it must not hold or lie inside the sources.
        let outFull = Self.absolute(out)
        let policiesFull = Self.absolute(policies)
        let rootFull = Self.absolute(root)
        for protected in [policiesFull, rootFull] where outFull == protected || protected.hasPrefix(outFull + "/") {
            throw UsageError(
                "--out \(out) would replace the policy sources; choose a folder of its own, such as \(Publish.defaultOutput)"
            )
        }
        if outFull.hasPrefix(policiesFull + "/") {
            throw UsageError(
                "--out \(out) is inside the policies folder \(policies); choose a folder outside it, such as \(Publish.defaultOutput)"
            )
        }
        if manager.fileExists(atPath: out, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw UsageError("--out \(out) is a file; name a folder") }
            let contents = (try? manager.contentsOfDirectory(atPath: out)) ?? []
            if !contents.isEmpty && !contents.contains(SiteState.fileName) {
                throw UsageError(
                    "--out \(out) holds files policyc did not publish; publish replaces the folder, so choose an empty or new one"
                )
            }
        }
        let day = try Today.resolve(option: today, environment: environment)
        return PublishPlace(root: root, policies: policies, out: out, today: day)
    }

    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (full as NSString).standardizingPath
    }

    /// `policyc publish [PATH] [--out DIR]`: compiles the policies and writes the site (docs/publish.md).
    public static func publish(path: String?, out: String?, today: CalendarDate?, environment: [String: String]? = nil)
        -> CommandOutput
    {
        let place: PublishPlace
        do {
            place = try validatePublishArguments(path: path, out: out, today: today, environment: environment)
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", status: ExitStatus.usage)
        }
        return Publishing(place: place).run()
    }
}

/// One run of `publish`: settings and theme, sources and their hashes, the ledger guard, compiling what changed,
/// the pure site map, then the write aside and the swap.
struct Publishing {
    let place: PublishPlace
    let manager = FileManager.default

    func failure(_ diagnostics: [Diagnostic], _ closing: String) -> CommandOutput {
        let text = Diagnostic.sorted(diagnostics).map { $0.formatted + "\n" }.joined() + "error: \(closing)\n"
        return CommandOutput(stderr: text, status: ExitStatus.failure)
    }

    /// Records, then reveals: the ledgers are made durable before the new site becomes visible, so whatever moment a
    /// run is stopped at, every version a site shows is in its policy's ledger. A ledger that cannot be written
    /// stops the run before the swap; a swap that fails puts the ledgers back as they were.
    func reveal(_ staging: SiteWriter.Staging, writing: PublishWriting, summary: String) -> CommandOutput {
        FaultPoint.publishStaged.reach()
        let added: Int
        do { added = try writing.recorder.record() } catch {
            writing.writer.abandon(staging)
            return CommandOutput(
                stderr: writing.notes
                    + "error: \(FileFault.reason(of: error))\nerror: nothing was published: \(writing.siteBefore); no ledger changed\n",
                status: ExitStatus.failure)
        }
        FaultPoint.publishRecorded.reach()
        let previousSite: String?
        do { previousSite = try writing.writer.finish(staging) } catch {
            writing.writer.abandon(staging)
            let restored = writing.recorder.restore()
            let ledgers =
                restored.isEmpty ? "the ledgers are as they were" : restored.map { "\($0)" }.joined(separator: "; ")
            return CommandOutput(
                stderr: writing.notes
                    + "error: \(FileFault.reason(of: error))\nerror: nothing was published: \(writing.siteBefore); \(ledgers)\n",
                status: ExitStatus.failure)
        }
        FaultPoint.publishSwapped.reach()
        var warnings = ""
        if let previousSite, let fault = SiteWriter.removeTree(previousSite) {
            warnings =
                "warning: the new site is published, but the previous one could not be removed: \(fault); remove it by hand\n"
        }
        return CommandOutput(stdout: summary + "; \(LedgerRecorder.summary(added))\n", stderr: writing.notes + warnings)
    }

    /// What processing one policy gave: its versions, its problems, and the files written for it.
    struct PolicyOutcome: Sendable {
        var infos: [VersionInfo] = []
        /// The errors of compiling the policy's sources, and of its notice-period guard (warnings are not kept).
        var diagnostics: [Diagnostic] = []
        var notice: [Diagnostic] = []
        var pages: [PagePlan] = []
        var written = 0
        var failure: String?
    }

    /// Set once, read by every policy's task.
    final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() {
            lock.lock()
            value = true
            lock.unlock()
        }
        var isSet: Bool {
            lock.lock()
            defer { lock.unlock() }
            return value
        }
    }

    func readState() -> SiteState? {
        guard let data = manager.contents(atPath: place.out + "/" + SiteState.fileName) else { return nil }
        return try? JSONDecoder().decode(SiteState.self, from: data)
    }

    func loadTheme(_ settings: SiteSettings) -> Result<Theme, ThemeLoadError> {
        guard let name = settings.theme else {
            do { return .success(try Theme()) } catch {
                return .failure(ThemeLoadError(description: error.description))
            }
        }
        let folder = place.root == "." ? name : (place.root as NSString).appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .failure(
                ThemeLoadError(description: "theme folder \(folder) (site.theme in policyc.yaml) does not exist"))
        }
        var overrides: [String: String] = [:]
        for file in ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).sorted() where !file.hasPrefix(".") {
            guard let data = manager.contents(atPath: folder + "/" + file),
                let text = String(data: data, encoding: .utf8)
            else {
                return .failure(ThemeLoadError(description: "\(folder)/\(file): cannot read it as UTF-8 text"))
            }
            overrides[file] = text
        }
        do { return .success(try Theme(overrides: overrides, folder: folder)) } catch {
            return .failure(ThemeLoadError(description: error.description))
        }
    }

    struct ThemeLoadError: Error, CustomStringConvertible { var description: String }

    /// Compiles files with the HTML of their blocks, checks translations and the notice period, and returns the
    /// documents to publish and every problem: the notice period's apart, as it is reported only when nothing else is
    /// wrong. `hash` is the file's content hash when already computed.
    static func compile(_ files: [(path: String, bytes: [UInt8], hash: String?)], adopted: CalendarDate? = nil) -> (
        documents: [PublishDocument], diagnostics: [Diagnostic], notice: [Diagnostic]
    ) {
        let kinds = Set(FactKind.allCases.map(\.rawValue))
        let results = files.map { CompileInput(path: $0.path, bytes: $0.bytes, hash: $0.hash) }.concurrentMap {
            file -> (CompiledDocument, [BodyBlock], String) in
            let source = SourceReader.read(bytes: file.bytes, path: file.path, factKinds: kinds, renderHTML: true)
            var compiled = Compiler.compile(source)
            let body = PublishBody.blocks(source)
            compiled.diagnostics += body.diagnostics
            return (compiled, body.blocks, file.hash ?? ContentHash.of(file.bytes))
        }
        var compiled = results.map(\.0)
        for problem in TranslationCheck.check(compiled) + LanguageCheck.check(compiled) {
            if let index = compiled.firstIndex(where: { $0.path == problem.location.file }) {
                compiled[index].diagnostics.append(problem)
            }
        }
        let diagnostics = compiled.flatMap(\.diagnostics)
        let notice = compiled.contains(where: \.hasErrors) ? [] : NoticeGuard.check(compiled, adopted: adopted)
        let documents = zip(compiled, results).compactMap { document, result -> PublishDocument? in
            document.version.map {
                PublishDocument(path: document.path, version: $0, body: result.1, contentHash: result.2)
            }
        }
        return (documents, diagnostics, notice)
    }

    struct CompileInput: Sendable {
        var path: String
        var bytes: [UInt8]
        var hash: String?
    }
}
