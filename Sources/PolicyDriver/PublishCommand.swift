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
    static func validatePublishArguments(path: String?, out: String?, today: CalendarDate?, environment: [String: String]?) throws -> PublishPlace {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let given = path ?? "."
        guard manager.fileExists(atPath: given, isDirectory: &isDirectory) else { throw UsageError("no such directory: \(given)") }
        guard isDirectory.boolValue else { throw UsageError("\(given) is a file; give the policy repository or its Policies folder") }
        // The repository root (with Policies/ inside), or the policies folder itself (its parent is the root).
        let root: String, policies: String
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
        let outFull = Self.absolute(out), policiesFull = Self.absolute(policies), rootFull = Self.absolute(root)
        for protected in [policiesFull, rootFull] where outFull == protected || protected.hasPrefix(outFull + "/") {
            throw UsageError("--out \(out) would replace the policy sources; choose a folder of its own, such as \(Publish.defaultOutput)")
        }
        if outFull.hasPrefix(policiesFull + "/") {
            throw UsageError("--out \(out) is inside the policies folder \(policies); choose a folder outside it, such as \(Publish.defaultOutput)")
        }
        if manager.fileExists(atPath: out, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw UsageError("--out \(out) is a file; name a folder") }
            let contents = (try? manager.contentsOfDirectory(atPath: out)) ?? []
            if !contents.isEmpty && !contents.contains(SiteState.fileName) {
                throw UsageError("--out \(out) holds files policyc did not publish; publish replaces the folder, so choose an empty or new one")
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
    public static func publish(path: String?, out: String?, today: CalendarDate?, environment: [String: String]? = nil) -> CommandOutput {
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

    func run() -> CommandOutput {
        // Settings and theme first: a mistake there stops the run before anything is compiled or written.
        let configPath = place.root == "." ? ProjectConfig.fileName : (place.root as NSString).appendingPathComponent(ProjectConfig.fileName)
        let (config, configProblems) = ProjectConfig.read(bytes: manager.contents(atPath: configPath).map { [UInt8]($0) }, path: configPath)
        if configProblems.contains(where: { $0.severity == .error }) {
            return failure(configProblems, "nothing published: fix \(configPath)")
        }
        let theme: Theme
        switch loadTheme(config.site) {
        case .success(let loaded): theme = loaded
        case .failure(let message): return CommandOutput(stderr: "error: \(message)\nerror: nothing published\n", status: ExitStatus.failure)
        }

        let discovery: Workspace.Discovery
        do { discovery = try Workspace.search([place.policies]) } catch {
            return CommandOutput(stderr: "error: \(error)\n", status: ExitStatus.usage)
        }
        let files = discovery.files
        // Read with the same size limit as check; an unreadable file stops the run like any other error. What the last
        // publish left is read meanwhile: a publish with nothing to do spent a sixth of its time on that alone.
        let ((sources, fingerprints), previous) = concurrently({
            let sources = files.concurrentMap { file -> (path: String, bytes: [UInt8]?, problem: Diagnostic?) in
                switch FileSystem.read(file, limit: Workspace.maximumFileSize) {
                case .success(let bytes): return (file, bytes, nil)
                case .failure(let error):
                    let message = error.tooLarge ? "file is larger than \(Workspace.maximumFileSize / 1024 / 1024) MB, the limit for a policy file" : "cannot read: \(error.reason)"
                    return (file, nil, .error(message, rule: error.tooLarge ? .fileTooLarge : .ioError, at: SourceLocation(file: file, line: 1, column: 1)))
                }
            }
            return (sources, sources.concurrentMap { source in source.bytes.flatMap { PublishedLedger.fingerprint(source.path, bytes: $0) } })
        }, { readState() })
        var problems = discovery.diagnostics + sources.compactMap(\.problem)
        if files.isEmpty {
            problems.append(.error("no policy file found; name each version <policy-id>/<effective-date>.<language>.md, such as 'kaviaarshop/2018-04-30.nl.md'",
                                   rule: .noPolicyFiles, at: SourceLocation(file: place.policies, line: 1, column: 1)))
        }

        // The guard: no published version may change, none may disappear.
        var folders: [String: [SourceFingerprint]] = [:]
        for (index, file) in files.enumerated() {
            let folder = (file as NSString).deletingLastPathComponent
            folders[folder, default: []] += fingerprints[index].map { [$0] } ?? []
        }
        var ledgers: [String: (ledger: Ledger, path: String)] = [:]
        let ledgerFolders = folders.keys.sorted()
        for (folder, (ledger, path, ledgerProblems)) in zip(ledgerFolders, ledgerFolders.concurrentMap { PublishedLedger.read(folder: $0) }) {
            problems += ledgerProblems
            ledgers[folder] = (ledger ?? Ledger(), path)
            if let ledger {
                problems += PublishedGuard.check(policy: (folder as NSString).lastPathComponent, ledger: ledger, ledgerPath: path,
                                                 sources: folders[folder]!, sourcePath: { PublishedLedger.sourcePath(folder, $0, $1) },
                                                 exists: { manager.fileExists(atPath: $0) })
            }
        }

        // What the last publish left (read above): versions whose source did not change need no compiling for the
        // site-wide files.
        var cached: [String: VersionInfo] = [:]
        for info in previous?.versions ?? [] { cached["\(info.policy)/\(info.language)/\(info.effective)/\(info.contentHash)"] = info }
        func policyOf(_ file: String) -> String { Compiler.fileNameParts(file)?.policy ?? file }
        var filesByPolicy: [String: [Int]] = [:]
        for index in files.indices { filesByPolicy[policyOf(files[index]), default: []].append(index) }
        let policies = filesByPolicy.keys.sorted()
        var cachedInfos: [String: [VersionInfo]] = [:]
        var changedSources = Set<String>()
        for (policy, indices) in filesByPolicy {
            var found: [VersionInfo] = []
            for index in indices {
                if let print = fingerprints[index], let info = cached["\(policy)/\(print.language)/\(print.effective)/\(print.contentHash)"] {
                    found.append(info)
                } else {
                    changedSources.insert(policy)
                }
            }
            if !changedSources.contains(policy) { cachedInfos[policy] = found }
        }

        let publisher = Publisher(settings: config.site, theme: theme, today: place.today)
        // The previous site's files that are still there (looked up on all cores: one `stat` a file).
        let oldSite = previous.map { state -> SiteState in
            let paths = Array(state.keys.keys), out = place.out
            let present = paths.concurrentMap { FileManager.default.fileExists(atPath: out + "/" + $0) }
            var keys: [String: String] = [:]
            for (path, here) in zip(paths, present) where here { keys[path] = state.keys[path] }
            return SiteState(keys: keys, versions: state.versions)
        }
        func changed(_ page: PagePlan) -> Bool { oldSite?.keys[page.path] != page.key }
        // A policy whose sources did not change still needs compiling when one of its files' inputs changed (new
        // settings, templates, or a day that moved a version from upcoming to current).
        var plans: [String: [PagePlan]] = [:]
        var stale = Set<String>()
        let unchangedPolicies = cachedInfos.keys.sorted()
        for (policy, plan) in zip(unchangedPolicies, unchangedPolicies.map { cachedInfos[$0]! }.concurrentMap { publisher.policyPlan($0) }) {
            plans[policy] = plan
            if plan.contains(where: changed) { stale.insert(policy) }
        }
        let stateBytes: @Sendable (_ infos: [VersionInfo], _ pages: [PagePlan]) -> [UInt8] = { infos, pages in
            StableJSON.file(publisher.state(infos: infos, pages: pages))
        }
        let recorder = LedgerRecorder(folders: folders, ledgers: ledgers, today: place.today)

        // Under the lock from here on: the site and the ledgers are read and written by one publisher at a time.
        let writer = SiteWriter(out: place.out)
        var lock: FileLock?
        defer { lock?.release() }
        var notes = ""
        if !problems.contains(where: { $0.severity == .error }) {
            switch writer.lock() {
            case .success(let held): lock = held
            case .failure(.busy):
                return CommandOutput(stderr: "error: another policyc publish is writing \(place.out) (it holds \(writer.lockPath)); nothing was written: wait until it has finished, then publish again\n", status: Commands.publishBusy)
            case .failure(.fault(let fault)):
                return CommandOutput(stderr: "error: \(fault)\nerror: nothing was published\n", status: ExitStatus.failure)
            }
            notes += recorder.removeStaleTemporaries().map { "note: removed \($0), left by an interrupted publish\n" }.joined()
            notes += recorder.unfinished(previous: previous).map {
                "note: \($0) is in published.lock but not yet on this site (a publish stopped after recording it, or the ledger came from elsewhere); publishing it now\n"
            }.joined()
            FaultPoint.publishLocked.reach()
        }
        let siteBefore = previous == nil ? "no site was written" : "the previous site in \(place.out) is unchanged"

        // Nothing to compile, and the few files always rendered (index, versions.json, the state) are byte-identical:
        // the site stays as it is. Building a tree of hard links and swapping it in costs a publish of nothing changed
        // most of its time, all of it in the file system.
        if lock != nil, changedSources.isEmpty, stale.isEmpty, let oldSite {
            let allInfos = policies.flatMap { cachedInfos[$0]! }
            let sitePages = publisher.sitePlan(allInfos)
            let pages = sitePages + policies.flatMap { plans[$0]! }
            let renderer = publisher.renderer(infos: allInfos, documents: [], pages: [])
            // The state and each site-wide file compared on all cores.
            let out = place.out
            if oldSite.keys.count == pages.count,
               ([nil] + sitePages.map(Optional.some)).concurrentMap({ page -> Bool in
                   guard let page else {
                       return FileManager.default.contents(atPath: out + "/" + SiteState.fileName).map { [UInt8]($0) == stateBytes(allInfos, pages) } == true
                   }
                   return FileManager.default.contents(atPath: out + "/" + page.path).map { [UInt8]($0) == renderer.render(page) } ?? false
               }).allSatisfy({ $0 }) {
                let leftovers = writer.removeLeftovers()
                // The site already shows these versions: a ledger that lacks them (written by an older policyc, or
                // restored from version control) is brought up to date.
                let added: Int
                do { added = try recorder.record() } catch {
                    return CommandOutput(stderr: notes + "error: \(FileFault.reason(of: error))\nerror: the site in \(place.out) is unchanged; published.lock could not be brought up to date\n", status: ExitStatus.failure)
                }
                return CommandOutput(stdout: "published \(place.out): \(pages.count) files, 0 written, \(pages.count) unchanged; \(LedgerRecorder.summary(added))\n",
                                     stderr: notes + leftovers.map { "warning: \($0); remove it by hand\n" }.joined())
            }
        }

        // Policy by policy: compile, render and write what changed, link what did not, then drop the compiled
        // documents, so memory holds a policy a core at a time (holding them all took 390 MB for 2,000 versions).
        // Policies run side by side, one a core, each on its own (a policy's files depend only on its versions); with
        // fewer policies than cores, the work inside a policy is spread instead (nested `concurrentMap`s run on the
        // calling thread once the outer one fills the cores). The site is written aside and swapped in whole at the
        // end; an error in any policy abandons it, and the previous site stays as it was.
        var staging: SiteWriter.Staging?
        if lock != nil {
            let leftovers = writer.removeLeftovers()
            notes += leftovers.map { "warning: \($0); remove it by hand\n" }.joined()
            do { staging = try writer.begin() } catch {
                return CommandOutput(stderr: notes + "error: \(FileFault.reason(of: error))\nerror: nothing was published: \(siteBefore)\n", status: ExitStatus.failure)
            }
        }
        let open = staging
        let precompileErrors = problems.contains { $0.severity == .error }
        // Set at the first error anywhere: from then on no policy renders or writes (but every one whose sources
        // changed is still compiled, so the errors reported do not depend on timing).
        let stop = StopFlag()
        if precompileErrors { stop.set() }
        let cachedPlans = plans, stalePolicies = stale, changedPolicies = changedSources, previousKeys = oldSite?.keys
        let filesOfPolicy = filesByPolicy, cachedInfosOfPolicy = cachedInfos
        let results = policies.concurrentMap { policy -> PolicyOutcome in
            var outcome = PolicyOutcome()
            var documents: [PublishDocument] = []
            if changedPolicies.contains(policy) || (stalePolicies.contains(policy) && !precompileErrors) {
                let indices = filesOfPolicy[policy]!.filter { sources[$0].bytes != nil }
                let compiled = Self.compile(indices.map { (sources[$0].path, sources[$0].bytes!, fingerprints[$0]?.contentHash) })
                // Publish reports errors only (`check` shows warnings): the others are dropped here, on the policy's
                // core, instead of being gathered and freed one by one after all policies (a corpus with 40 warnings a
                // file spent the last 7% of a publish on one core doing that).
                outcome.diagnostics = compiled.diagnostics.filter { $0.severity == .error }
                outcome.notice = compiled.notice.filter { $0.severity == .error }
                if (compiled.diagnostics + compiled.notice).contains(where: { $0.severity == .error }) {
                    stop.set()
                    return outcome
                }
                documents = compiled.documents
                outcome.infos = documents.map(\.info)
            } else {
                outcome.infos = cachedInfosOfPolicy[policy] ?? []
            }
            guard let open, !stop.isSet else { return outcome }
            // Compiled versions are planned from what the compiler says now; the others from the previous publish's infos.
            let pages = documents.isEmpty ? cachedPlans[policy] ?? publisher.policyPlan(outcome.infos) : publisher.policyPlan(outcome.infos)
            let fresh = pages.map { previousKeys?[$0.path] != $0.key }
            let renderer = publisher.renderer(infos: outcome.infos, documents: documents, pages: zip(pages, fresh).filter(\.1).map(\.0))
            do {
                outcome.written = try writer.write(pages.map(\.path), into: open) { index in
                    fresh[index] ? .bytes(renderer.render(pages[index])) : .unchanged
                }
            } catch {
                outcome.failure = "\(error)"
                stop.set()
            }
            outcome.pages = pages
            return outcome
        }
        if let failure = results.compactMap(\.failure).first {
            if let staging { writer.abandon(staging) }
            return CommandOutput(stderr: notes + "error: \(failure)\nerror: nothing was published: \(siteBefore)\n", status: ExitStatus.failure)
        }
        // As one batch, as `check` would: the policies whose sources changed (with the notice-period guard only when
        // they compile: its findings would be noise beside errors). Only when these have no error, the errors of a
        // policy whose sources did not change, found because a new day or setting made it render again.
        func batch(_ outcomes: [PolicyOutcome]) -> [Diagnostic] {
            let diagnostics = outcomes.flatMap(\.diagnostics)
            return diagnostics + (diagnostics.contains { $0.severity == .error } ? [] : outcomes.flatMap(\.notice))
        }
        problems += batch(zip(policies, results).filter { changedPolicies.contains($0.0) }.map(\.1))
        if problems.contains(where: { $0.severity == .error }) {
            if let staging { writer.abandon(staging) }
            return failure(problems.filter { $0.severity == .error }, "nothing published: fix the errors above (policyc check shows them with warnings)")
        }
        let late = batch(zip(policies, results).filter { !changedPolicies.contains($0.0) }.map(\.1))
        if late.contains(where: { $0.severity == .error }) {
            if let staging { writer.abandon(staging) }
            return failure(late.filter { $0.severity == .error }, "nothing published: fix the errors above")
        }
        guard let staging else { return failure([], "nothing published") }
        let infos = results.flatMap(\.infos)
        var pages = results.flatMap(\.pages)
        var written = results.map(\.written).reduce(0, +)

        // The site-wide files list every version; then the state, and the swap.
        let sitePages = publisher.sitePlan(infos)
        let siteRenderer = publisher.renderer(infos: infos, documents: [], pages: [])
        pages = sitePages + pages
        let state = stateBytes(infos, pages)
        do {
            written += try writer.write(sitePages.map(\.path) + [SiteState.fileName], into: staging) { index in
                .bytes(index < sitePages.count ? siteRenderer.render(sitePages[index]) : state)
            } - 1
        } catch {
            writer.abandon(staging)
            return CommandOutput(stderr: notes + "error: \(FileFault.reason(of: error))\nerror: nothing was published: \(siteBefore)\n", status: ExitStatus.failure)
        }
        let summary = "published \(place.out): \(pages.count) files, \(written) written, \(pages.count - written) unchanged"
        return reveal(staging, writer: writer, recorder: recorder, summary: summary, notes: notes, siteBefore: siteBefore)
    }

    /// Records, then reveals: the ledgers are made durable before the new site becomes visible, so whatever moment a
    /// run is stopped at, every version a site shows is in its policy's ledger. A ledger that cannot be written
    /// stops the run before the swap; a swap that fails puts the ledgers back as they were.
    func reveal(_ staging: SiteWriter.Staging, writer: SiteWriter, recorder: LedgerRecorder, summary: String,
                notes: String, siteBefore: String) -> CommandOutput {
        FaultPoint.publishStaged.reach()
        let added: Int
        do { added = try recorder.record() } catch {
            writer.abandon(staging)
            return CommandOutput(stderr: notes + "error: \(FileFault.reason(of: error))\nerror: nothing was published: \(siteBefore); no ledger changed\n", status: ExitStatus.failure)
        }
        FaultPoint.publishRecorded.reach()
        let previousSite: String?
        do { previousSite = try writer.finish(staging) } catch {
            writer.abandon(staging)
            let restored = recorder.restore()
            let ledgers = restored.isEmpty ? "the ledgers are as they were" : restored.map { "\($0)" }.joined(separator: "; ")
            return CommandOutput(stderr: notes + "error: \(FileFault.reason(of: error))\nerror: nothing was published: \(siteBefore); \(ledgers)\n", status: ExitStatus.failure)
        }
        FaultPoint.publishSwapped.reach()
        var warnings = ""
        if let previousSite, let fault = SiteWriter.removeTree(previousSite) {
            warnings = "warning: the new site is published, but the previous one could not be removed: \(fault); remove it by hand\n"
        }
        return CommandOutput(stdout: summary + "; \(LedgerRecorder.summary(added))\n", stderr: notes + warnings)
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
            do { return .success(try Theme()) } catch { return .failure(ThemeLoadError(description: error.description)) }
        }
        let folder = place.root == "." ? name : (place.root as NSString).appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .failure(ThemeLoadError(description: "theme folder \(folder) (site.theme in policyc.yaml) does not exist"))
        }
        var overrides: [String: String] = [:]
        for file in ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).sorted() where !file.hasPrefix(".") {
            guard let data = manager.contents(atPath: folder + "/" + file), let text = String(data: data, encoding: .utf8) else {
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
    static func compile(_ files: [(path: String, bytes: [UInt8], hash: String?)]) -> (documents: [PublishDocument], diagnostics: [Diagnostic], notice: [Diagnostic]) {
        let kinds = Set(FactKind.allCases.map(\.rawValue))
        let results = files.map { CompileInput(path: $0.path, bytes: $0.bytes, hash: $0.hash) }.concurrentMap { file -> (CompiledDocument, [BodyBlock], String) in
            let source = SourceReader.read(bytes: file.bytes, path: file.path, factKinds: kinds, renderHTML: true)
            return (Compiler.compile(source), body(source), file.hash ?? ContentHash.of(file.bytes))
        }
        var compiled = results.map(\.0)
        for problem in TranslationCheck.check(compiled) {
            if let index = compiled.firstIndex(where: { $0.path == problem.location.file }) { compiled[index].diagnostics.append(problem) }
        }
        let diagnostics = compiled.flatMap(\.diagnostics)
        let notice = compiled.contains(where: \.hasErrors) ? [] : NoticeGuard.check(compiled)
        let documents = zip(compiled, results).compactMap { document, result -> PublishDocument? in
            document.version.map { PublishDocument(path: document.path, version: $0, body: result.1, contentHash: result.2) }
        }
        return (documents, diagnostics, notice)
    }

    struct CompileInput: Sendable {
        var path: String
        var bytes: [UInt8]
        var hash: String?
    }

    /// The body as the page shows it: cmark's safe HTML of each block, fact blocks as the number of facts they
    /// declare, raw HTML blocks left out.
    static func body(_ source: SourceDocument) -> [BodyBlock] {
        source.blocks.compactMap { block in
            switch block.markdown.kind {
            case .heading(let level): return .heading(level: level, html: block.markdown.html)
            case .prose: return .prose(html: block.markdown.html)
            case .html: return nil
            case .fact(let fact):
                guard fact.topLevel, let node = block.facts else { return .facts(count: 0) }
                switch node.content {
                case .sequence(let items): return .facts(count: items.count)
                case .mapping: return .facts(count: 1)
                default: return .facts(count: 0)
                }
            }
        }
    }
}
