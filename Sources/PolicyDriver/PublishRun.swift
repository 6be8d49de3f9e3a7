import Foundation
import PolicyBase
import PolicyModel
import PolicyPresent
import PolicyPublish

/// What one publish read: the sources with their fingerprints, and what the last publish left.
struct PublishSources {
    var files: [String] = []
    var sources: [(path: String, bytes: [UInt8]?, problem: Diagnostic?)] = []
    var fingerprints: [SourceFingerprint?] = []
    /// The state file of the site the last publish wrote, if any.
    var previous: SiteState?
    /// Every problem found so far; an error stops the run before anything is written.
    var problems: [Diagnostic] = []
    /// Each policy's files, as indices into `files`.
    var filesByPolicy: [String: [Int]] = [:]

    var policies: [String] { filesByPolicy.keys.sorted() }
    var hasErrors: Bool { problems.contains { $0.severity == .error } }
}

/// Which policies must be compiled, and what the last publish knows of the others.
struct PublishCache {
    /// The versions of each policy whose sources did not change since the last publish.
    var cachedInfos: [String: [VersionInfo]] = [:]
    /// Policies with a source that is new or changed.
    var changed = Set<String>()
    /// Each unchanged policy's files, planned from its cached versions.
    var plans: [String: [PagePlan]] = [:]
    /// Unchanged policies with a file whose inputs changed (settings, templates, a day that moved a version).
    var stale = Set<String>()
    /// The keys of the previous site's files that are still there.
    var oldSite: SiteState?
}

/// The moment of a run that writes: the lock held, the site writer, the ledgers to record, and what to say.
struct PublishWriting {
    let writer: SiteWriter
    let recorder: LedgerRecorder
    var notes = ""
    /// What a failure leaves of the site, in words.
    let siteBefore: String
}

extension Publishing {
    /// Settings, theme, sources, the ledger guard, what the last publish left, then: nothing to do, or compile,
    /// render and write policy by policy, and reveal. Every phase is its own function below.
    func run() -> CommandOutput {
        let publisher: Publisher
        switch settingsAndTheme() {
        case .success(let made): publisher = made
        case .failure(let output): return output.output
        }
        var read: PublishSources
        switch readSources() {
        case .success(let sources): read = sources
        case .failure(let output): return output.output
        }
        let recorder = guardLedgers(&read)
        let cache = cacheState(read, publisher: publisher)
        var writing: PublishWriting?
        var lock: FileLock?
        defer { lock?.release() }
        if !read.hasErrors {
            switch lockSite(recorder: recorder, previous: read.previous) {
            case .success(let (held, locked)): (lock, writing) = (held, locked)
            case .failure(let output): return output.output
            }
            if let writing, let output = unchangedSite(read, cache, publisher: publisher, writing: writing) {
                return output
            }
        }
        return build(read, cache, publisher: publisher, writing: writing)
    }

    struct Stop: Error {
        var output: CommandOutput
    }

    /// The day the shop adopted policyc (policyc.yaml): versions from before it were not held to the notice guard,
    /// so `publish`, like `check`, does not refuse them for it. Read after `settingsAndTheme` found the file sound.
    func adoptedDay() -> CalendarDate? {
        let configPath =
            place.root == "."
            ? ProjectConfig.fileName : (place.root as NSString).appendingPathComponent(ProjectConfig.fileName)
        return ProjectConfig.read(bytes: manager.contents(atPath: configPath).map { [UInt8]($0) }, path: configPath)
            .config.adopted
    }

    /// Settings and theme first: a mistake there stops the run before anything is compiled or written.
    func settingsAndTheme() -> Result<Publisher, Stop> {
        let configPath =
            place.root == "."
            ? ProjectConfig.fileName : (place.root as NSString).appendingPathComponent(ProjectConfig.fileName)
        let (config, configProblems) = ProjectConfig.read(
            bytes: manager.contents(atPath: configPath).map { [UInt8]($0) }, path: configPath)
        if configProblems.contains(where: { $0.severity == .error }) {
            return .failure(Stop(output: failure(configProblems, "nothing published: fix \(configPath)")))
        }
        switch loadTheme(config.site) {
        case .success(let theme): return .success(Publisher(settings: config.site, theme: theme, today: place.today))
        case .failure(let message):
            return .failure(
                Stop(
                    output: CommandOutput(
                        stderr: "error: \(message)\nerror: nothing published\n", status: ExitStatus.failure)))
        }
    }

    /// Finds and reads the sources (with the same size limit as check; an unreadable file stops the run like any
    /// other error), and meanwhile what the last publish left: a publish with nothing to do spends much of its time
    /// reading that.
    func readSources() -> Result<PublishSources, Stop> {
        let discovery: Workspace.Discovery
        do { discovery = try Workspace.search([place.policies]) } catch {
            return .failure(Stop(output: CommandOutput(stderr: "error: \(error)\n", status: ExitStatus.usage)))
        }
        var read = PublishSources(files: discovery.files)
        let files = read.files
        ((read.sources, read.fingerprints), read.previous) = concurrently(
            {
                let sources = files.concurrentMap { file -> (path: String, bytes: [UInt8]?, problem: Diagnostic?) in
                    switch FileSystem.read(file, limit: Workspace.maximumFileSize) {
                    case .success(let bytes): return (file, bytes, nil)
                    case .failure(let error):
                        let message =
                            error.tooLarge
                            ? "file is larger than \(Workspace.maximumFileSize / 1024 / 1024) MB, the limit for a policy file"
                            : "cannot read: \(error.reason)"
                        let location = SourceLocation(file: file, line: 1, column: 1)
                        return (
                            file, nil, .error(message, rule: error.tooLarge ? .fileTooLarge : .ioError, at: location)
                        )
                    }
                }
                return (
                    sources,
                    sources.concurrentMap { source in
                        source.bytes.flatMap { PublishedLedger.fingerprint(source.path, bytes: $0) }
                    }
                )
            }, { readState() })
        read.problems = discovery.diagnostics + read.sources.compactMap(\.problem)
        if files.isEmpty {
            read.problems.append(
                .error(
                    "no policy file found; name each version <policy-id>/<effective-date>.<language>.md, such as 'kaviaarshop/2018-04-30.nl.md'",
                    rule: .noPolicyFiles, at: SourceLocation(file: place.policies, line: 1, column: 1)))
        }
        for index in files.indices {
            read.filesByPolicy[Compiler.fileNameParts(files[index])?.policy ?? files[index], default: []].append(index)
        }
        return .success(read)
    }

    /// The guard: no published version may change, none may disappear. Returns what records this run's versions.
    func guardLedgers(_ read: inout PublishSources) -> LedgerRecorder {
        var folders: [String: [SourceFingerprint]] = [:]
        for (index, file) in read.files.enumerated() {
            folders[(file as NSString).deletingLastPathComponent, default: []] +=
                read.fingerprints[index].map { [$0] } ?? []
        }
        var ledgers: [String: (ledger: Ledger, path: String)] = [:]
        let ledgerFolders = folders.keys.sorted()
        for (folder, (ledger, path, problems)) in zip(
            ledgerFolders, ledgerFolders.concurrentMap { PublishedLedger.read(folder: $0) })
        {
            read.problems += problems
            ledgers[folder] = (ledger ?? Ledger(), path)
            guard let ledger else { continue }
            read.problems += PublishedGuard.check(
                policy: (folder as NSString).lastPathComponent, ledger: ledger, ledgerPath: path,
                sources: folders[folder]!, sourcePath: { PublishedLedger.sourcePath(folder, $0, $1) },
                exists: { manager.fileExists(atPath: $0) })
        }
        return LedgerRecorder(folders: folders, ledgers: ledgers, today: place.today)
    }

    /// Versions whose source did not change need no compiling for the site-wide files; a policy whose sources did
    /// not change still needs compiling when one of its files' inputs changed.
    func cacheState(_ read: PublishSources, publisher: Publisher) -> PublishCache {
        var cache = PublishCache()
        var known: [String: VersionInfo] = [:]
        for info in read.previous?.versions ?? [] {
            known["\(info.policy)/\(info.language)/\(info.effective)/\(info.contentHash)"] = info
        }
        for (policy, indices) in read.filesByPolicy {
            let found = indices.compactMap { index in
                read.fingerprints[index].flatMap { known["\(policy)/\($0.language)/\($0.effective)/\($0.contentHash)"] }
            }
            if found.count == indices.count { cache.cachedInfos[policy] = found } else { cache.changed.insert(policy) }
        }
        // The previous site's files that are still there (looked up on all cores: one `stat` a file).
        cache.oldSite = read.previous.map { state -> SiteState in
            let paths = Array(state.keys.keys)
            let out = place.out
            let present = paths.concurrentMap { FileManager.default.fileExists(atPath: out + "/" + $0) }
            var keys: [String: String] = [:]
            for (path, here) in zip(paths, present) where here { keys[path] = state.keys[path] }
            return SiteState(keys: keys, versions: state.versions)
        }
        let unchanged = cache.cachedInfos.keys.sorted()
        let oldKeys = cache.oldSite?.keys
        for (policy, plan) in zip(
            unchanged, unchanged.map { cache.cachedInfos[$0]! }.concurrentMap { publisher.policyPlan($0) })
        {
            cache.plans[policy] = plan
            if plan.contains(where: { oldKeys?[$0.path] != $0.key }) { cache.stale.insert(policy) }
        }
        return cache
    }

    /// Takes the site's lock: from here on the site and the ledgers are read and written by one publisher at a time.
    /// Removes what a stopped run left beside the ledgers, and says what an earlier run recorded but did not reveal.
    func lockSite(recorder: LedgerRecorder, previous: SiteState?) -> Result<(FileLock, PublishWriting), Stop> {
        let writer = SiteWriter(out: place.out)
        let lock: FileLock
        switch writer.lock() {
        case .success(let held): lock = held
        case .failure(.busy):
            let message =
                "error: another policyc publish is writing \(place.out) (it holds \(writer.lockPath)); nothing was written: wait until it has finished, then publish again\n"
            return .failure(Stop(output: CommandOutput(stderr: message, status: Commands.publishBusy)))
        case .failure(.fault(let fault)):
            return .failure(
                Stop(
                    output: CommandOutput(
                        stderr: "error: \(fault)\nerror: nothing was published\n", status: ExitStatus.failure)))
        }
        let siteBefore = previous == nil ? "no site was written" : "the previous site in \(place.out) is unchanged"
        var writing = PublishWriting(writer: writer, recorder: recorder, siteBefore: siteBefore)
        writing.notes += recorder.removeStaleTemporaries().map {
            "note: removed \($0), left by an interrupted publish\n"
        }.joined()
        writing.notes += recorder.unfinished(previous: previous).map {
            "note: \($0) is in published.lock but not yet on this site (a publish stopped after recording it, or the ledger came from elsewhere); publishing it now\n"
        }.joined()
        FaultPoint.publishLocked.reach()
        return .success((lock, writing))
    }

    /// Nothing to compile, and the few files always rendered (index, versions.json, the state) are byte-identical:
    /// the site stays as it is (building a tree of hard links and swapping it in would cost a publish of nothing
    /// changed most of its time). Nil when something must be written.
    func unchangedSite(_ read: PublishSources, _ cache: PublishCache, publisher: Publisher, writing: PublishWriting)
        -> CommandOutput?
    {
        guard cache.changed.isEmpty, cache.stale.isEmpty, let oldSite = cache.oldSite else { return nil }
        let policies = read.policies
        let allInfos = policies.flatMap { cache.cachedInfos[$0]! }
        let sitePages = publisher.sitePlan(allInfos)
        let pages = sitePages + policies.flatMap { cache.plans[$0]! }
        guard oldSite.keys.count == pages.count else { return nil }
        let renderer = publisher.renderer(infos: allInfos, documents: [], pages: [])
        let out = place.out
        // The state and each site-wide file compared on all cores.
        let same = ([nil] + sitePages.map(Optional.some)).concurrentMap { page -> Bool in
            guard let page else {
                let state = StableJSON.file(publisher.state(infos: allInfos, pages: pages))
                return FileManager.default.contents(atPath: out + "/" + SiteState.fileName).map { [UInt8]($0) == state }
                    == true
            }
            return FileManager.default.contents(atPath: out + "/" + page.path).map {
                [UInt8]($0) == renderer.render(page)
            } ?? false
        }
        guard same.allSatisfy({ $0 }) else { return nil }
        let leftovers = writing.writer.removeLeftovers()
        // The site already shows these versions: a ledger that lacks them (written by an older policyc, or restored
        // from version control) is brought up to date.
        let added: Int
        do { added = try writing.recorder.record() } catch {
            return CommandOutput(
                stderr: writing.notes
                    + "error: \(FileFault.reason(of: error))\nerror: the site in \(place.out) is unchanged; published.lock could not be brought up to date\n",
                status: ExitStatus.failure)
        }
        return CommandOutput(
            stdout:
                "published \(place.out): \(pages.count) files, 0 written, \(pages.count) unchanged; \(LedgerRecorder.summary(added))\n",
            stderr: writing.notes + leftovers.map { "warning: \($0); remove it by hand\n" }.joined())
    }
}
