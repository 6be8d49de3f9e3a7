import Foundation
import PolicyDriver
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Faults are inputs: publish and notify stopped at every step, with read-only folders, a full disk and a second run
/// at once. After each, what is visible is exactly the old or the new state, every version a site shows is in its
/// ledger, a ledger record has complete output behind it, no hidden folder holds a partial file of customer data, and
/// the next run completes and cleans up (docs/publish.md, docs/notify.md).
extension PublishEndToEnd {
    @Suite struct TransactionFaultTests {
        // MARK: publish

        /// A repository whose site shows only the 2018 version, with the 2027 version added since: the next publish
        /// adds two versions to the ledger and changes the site.
        static func publishedBefore2027(_ name: String) throws -> ScratchRepo {
            let repo = try ScratchRepo(name)
            let policy = repo.url.appendingPathComponent("Policies/kaviaarshop")
            let aside = repo.url.appendingPathComponent("aside")
            try FileManager.default.createDirectory(at: aside, withIntermediateDirectories: true)
            for language in ["en", "nl"] {
                try FileManager.default.moveItem(
                    at: policy.appendingPathComponent("2027-01-01.\(language).md"),
                    to: aside.appendingPathComponent("2027-01-01.\(language).md"))
            }
            try FileManager.default.removeItem(at: policy.appendingPathComponent("published.lock"))
            #expect(try repo.publish().status == 0)
            for language in ["en", "nl"] {
                try FileManager.default.moveItem(
                    at: aside.appendingPathComponent("2027-01-01.\(language).md"),
                    to: policy.appendingPathComponent("2027-01-01.\(language).md"))
            }
            return repo
        }

        struct PublishState: Equatable {
            var site: [String: Data]
            var ledger: String?
            init(_ repo: ScratchRepo) {
                site = ScratchRepo.snapshot(repo.site)
                ledger = try? repo.read("Policies/kaviaarshop/published.lock")
            }
        }

        /// What a publish left beside the site and the ledger.
        static func publishLeftovers(_ repo: ScratchRepo) -> [String] {
            let output = (try? FileManager.default.contentsOfDirectory(atPath: repo.path + "/Output")) ?? []
            let policy =
                (try? FileManager.default.contentsOfDirectory(atPath: repo.path + "/Policies/kaviaarshop")) ?? []
            return output.filter { $0.hasPrefix(".site.new-") || $0.hasPrefix(".site.old-") }
                + policy.filter { $0.contains(".tmp-") }
        }

        @Test(arguments: FaultPoint.allCases.filter { $0.rawValue.hasPrefix("publish-") })
        func publishKilledAtEveryStep(_ step: FaultPoint) throws {
            let repo = try Self.publishedBefore2027("kill-\(step.rawValue)")
            defer { repo.remove() }
            let old = PublishState(repo)
            // The state a finished run gives, from a copy.
            let reference = try Self.publishedBefore2027("kill-reference-\(step.rawValue)")
            defer { reference.remove() }
            #expect(try reference.publish().status == 0)
            let new = PublishState(reference)
            #expect(old != new && new.ledger!.contains("2027-01-01 nl"))

            let killed = try repo.publish(environment: ["POLICYC_KILL_AT": step.rawValue])
            #expect(killed.status == SIGKILL, "the run was not stopped at \(step.rawValue): \(killed.stderr)")
            let now = PublishState(repo)
            #expect(now.site == old.site || now.site == new.site, "a kill at \(step.rawValue) left a mix of sites")
            // Every version a site shows is in the ledger.
            if now.site == new.site {
                #expect(now.ledger == new.ledger, "the new site is visible without its ledger entries")
            }
            #expect(now.ledger == old.ledger || now.ledger == new.ledger)

            // A version the ledger records cannot be edited, visible yet or not.
            if now.ledger == new.ledger {
                let file = "Policies/kaviaarshop/2027-01-01.nl.md"
                let original = try repo.read(file)
                try repo.write(file, original + "\nEen zin meer.\n")
                let check = try runPolicyc(["check", "Policies", "--today", "2026-11-25"], in: repo.url)
                #expect(check.status == 1 && check.stderr.contains("(published-version-changed)"), "\(check.stderr)")
                try repo.write(file, original)
            }

            // The next run completes the publish and leaves nothing aside.
            let next = try repo.publish()
            #expect(next.status == 0, "\(next.stderr)")
            #expect(PublishState(repo) == new)
            #expect(Self.publishLeftovers(repo).isEmpty, "\(Self.publishLeftovers(repo))")
            if step == .publishRecorded {
                #expect(
                    next.stderr.contains(
                        "note: version 2027-01-01 (en) of 'kaviaarshop' is in published.lock but not yet on this site"),
                    "\(next.stderr)")
            }
            if step == .publishLedgerWriting {
                #expect(
                    next.stderr.contains("note: removed Policies/kaviaarshop/published.lock.tmp-"), "\(next.stderr)")
            }
        }

        @Test func readOnlyPoliciesPublishesNothing() throws {
            let repo = try Self.publishedBefore2027("ro-policies")
            defer { repo.remove() }
            let old = PublishState(repo)
            let result = try ReadOnlyFolder.with(repo.path + "/Policies") { try repo.publish() }
            guard let result else { return }
            #expect(result.status == 1)
            #expect(result.stdout == "")
            #expect(
                result.stderr == """
                    error: cannot write Policies/kaviaarshop/published.lock: \(ReadOnlyFolder.reason)
                    error: nothing was published: the previous site in Output/site is unchanged; no ledger changed

                    """)
            #expect(PublishState(repo) == old)
            #expect(Self.publishLeftovers(repo).isEmpty)
            // Writable again: the publish goes through.
            #expect(try repo.publish().status == 0)
        }

        @Test func firstPublishToReadOnlyPoliciesSaysNoSiteWasWritten() throws {
            let repo = try ScratchRepo("ro-first")
            defer { repo.remove() }
            try FileManager.default.removeItem(atPath: repo.path + "/Policies/kaviaarshop/published.lock")
            let result = try ReadOnlyFolder.with(repo.path + "/Policies") { try repo.publish() }
            guard let result else { return }
            #expect(result.status == 1)
            #expect(
                result.stderr.hasSuffix("error: nothing was published: no site was written; no ledger changed\n"),
                "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: repo.site.path))
        }

        /// A lock file that cannot be opened is a fault (exit 1), not another publisher (75): a script that retries
        /// on 75 would loop for ever.
        @Test func unusableLockFileIsNotBusy() throws {
            let repo = try ScratchRepo("lock-fault")
            defer { repo.remove() }
            try FileManager.default.createDirectory(
                atPath: repo.path + "/Output/.site.lock", withIntermediateDirectories: true)
            let result = try repo.publish()
            #expect(result.status == 1)
            #expect(
                result.stderr
                    == "error: cannot open the lock file Output/.site.lock: Is a directory\nerror: nothing was published\n"
            )
        }

        @Test func readOnlyOutputPublishesNothing() throws {
            let repo = try Self.publishedBefore2027("ro-output")
            defer { repo.remove() }
            let old = PublishState(repo)
            let result = try ReadOnlyFolder.with(repo.path + "/Output") { try repo.publish() }
            guard let result else { return }
            #expect(result.status == 1)
            #expect(
                result.stderr
                    == "error: cannot open the lock file Output/.site.lock: \(ReadOnlyFolder.reason)\nerror: nothing was published\n"
            )
            #expect(PublishState(repo) == old)
        }

        @Test func heldLockIsBusy() throws {
            let repo = try ScratchRepo("lock-held")
            defer { repo.remove() }
            try FileManager.default.createDirectory(atPath: repo.path + "/Output", withIntermediateDirectories: true)
            let descriptor = open(repo.path + "/Output/.site.lock", O_CREAT | O_RDWR, 0o644)
            #expect(flock(descriptor, LOCK_EX) == 0)
            let result = try repo.publish()
            close(descriptor)
            #expect(result.status == 75)
            #expect(
                result.stderr
                    == "error: another policyc publish is writing Output/site (it holds Output/.site.lock); nothing was written: wait until it has finished, then publish again\n"
            )
        }

        /// A ledger that is there but cannot be read stops check and publish: without it the guard would pass any edit.
        @Test func unreadableLedgerIsAnError() throws {
            let repo = try ScratchRepo("ledger-unreadable")
            defer { repo.remove() }
            let ledger = repo.path + "/Policies/kaviaarshop/published.lock"
            try FileManager.default.removeItem(atPath: ledger)
            try FileManager.default.createDirectory(atPath: ledger, withIntermediateDirectories: false)
            let expected =
                "Policies/kaviaarshop/published.lock:1:1: error: cannot read the ledger of published versions: is a folder, not a file; without it no published version can be checked (io-error)\n"
            let check = try runPolicyc(["check", "Policies", "--today", "2026-11-25"], in: repo.url)
            #expect(check.status == 1)
            #expect(check.stderr.contains(expected), "\(check.stderr)")
            let publish = try repo.publish()
            #expect(publish.status == 1)
            #expect(publish.stderr.hasPrefix(expected), "\(publish.stderr)")
            #expect(!FileManager.default.fileExists(atPath: repo.site.path))
        }

        @Test func ledgerKeepsItsFileMode() throws {
            let repo = try Self.publishedBefore2027("ledger-mode")
            defer { repo.remove() }
            let ledger = repo.path + "/Policies/kaviaarshop/published.lock"
            chmod(ledger, 0o444)
            #expect(try repo.publish().status == 0)
            var info = stat()
            #expect(stat(ledger, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o444)
            #expect(try repo.read("Policies/kaviaarshop/published.lock").contains("2027-01-01 nl"))
        }

        /// The previous site cannot be removed (a read-only folder in it): the new site is published, and the run
        /// says what is left and where.
        @Test func unremovablePreviousSiteIsReported() throws {
            let repo = try Self.publishedBefore2027("unremovable")
            defer { repo.remove() }
            let folder = "kaviaarshop/nl/2018-04-30"
            guard geteuid() == 0 else { return }  // chattr needs root; as another user the mode test below is the same
            guard try Tool.run("/usr/bin/chattr", ["+i", repo.site.path + "/" + folder]).status == 0 else {
                print("skipped: chattr +i is not possible here")
                return
            }
            let result = try repo.publish()
            let left = Self.publishLeftovers(repo)
            for name in left { _ = try Tool.run("/usr/bin/chattr", ["-i", repo.path + "/Output/\(name)/" + folder]) }
            _ = try Tool.run("/usr/bin/chattr", ["-i", repo.site.path + "/" + folder])
            #expect(result.status == 0)
            #expect(left.count == 1)
            #expect(
                result.stderr == """
                    warning: the new site is published, but the previous one could not be removed: cannot remove Output/\(left.first ?? ""): \
                    Output/\(left.first ?? "")/\(folder)/model.json: Operation not permitted; remove it by hand

                    """)
            // Removable again, the next run removes it and says nothing more.
            let next = try repo.publish()
            #expect(next.status == 0 && next.stderr == "", "\(next.stderr)")
            #expect(Self.publishLeftovers(repo).isEmpty)
        }

        @Test func fullDiskPublishesNothing() throws {
            let repo = try Self.publishedBefore2027("full-disk")
            defer { repo.remove() }
            let old = PublishState(repo)
            let output = repo.path + "/Output"
            // The site as it was, on a file system with room for it and little more.
            try FileManager.default.moveItem(atPath: output, toPath: repo.path + "/Output-before")
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            guard let mount = SmallDisk(output, kilobytes: 1_024) else { return }
            defer { mount.unmount() }
            _ = try Tool.run("/bin/cp", ["-a", repo.path + "/Output-before/.", output])
            try mount.fill(leaving: 16)
            let result = try repo.publish()
            #expect(result.status == 1)
            #expect(result.stderr.contains("No space left on device"), "\(result.stderr)")
            #expect(
                result.stderr.hasSuffix("error: nothing was published: the previous site in Output/site is unchanged\n")
            )
            #expect(PublishState(repo) == old)
            #expect(Self.publishLeftovers(repo).isEmpty)
            try FileManager.default.removeItem(atPath: output + "/.filler")
        }
    }
}

/// A folder made read-only for the time of `body`: a read-only bind mount as root (root writes through file modes),
/// or `chattr +i` for a folder whose entries must not be removed (`immutable`), else its mode. Returns nil, with a
/// message, where neither can be done.
enum ReadOnlyFolder {
    static var reason: String { geteuid() == 0 ? "Read-only file system" : "Permission denied" }

    static func with<T>(_ path: String, immutable: Bool = false, _ body: () throws -> T) throws -> T? {
        if geteuid() != 0 {
            chmod(path, 0o555)
            defer { chmod(path, 0o755) }
            return try body()
        }
        if immutable {
            guard (try? Tool.run("/usr/bin/chattr", ["+i", path]))?.status == 0 else {
                print("skipped: chattr +i is not possible on \(path)")
                return nil
            }
            defer { _ = try? Tool.run("/usr/bin/chattr", ["-i", path]) }
            return try body()
        }
        guard (try? Tool.run("/bin/mount", ["--bind", path, path]))?.status == 0 else {
            print("skipped: a read-only bind mount is not allowed here")
            return nil
        }
        defer { _ = try? Tool.run("/bin/umount", [path]) }
        guard (try? Tool.run("/bin/mount", ["-o", "remount,bind,ro", path]))?.status == 0 else {
            print("skipped: a read-only remount is not allowed here")
            return nil
        }
        return try body()
    }
}

/// A small tmpfs mounted on a folder, to fill; nil, with a message, where mounting is not allowed.
struct SmallDisk {
    let path: String

    init?(_ path: String, kilobytes: Int) {
        guard geteuid() == 0,
            (try? Tool.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path]))?.status == 0
        else {
            print("skipped: cannot mount a small tmpfs on \(path) to fill it (needs root and mount permission)")
            return nil
        }
        self.path = path
    }

    func unmount() { _ = try? Tool.run("/bin/umount", [path]) }

    /// Fills the disk but for `kilobytes`.
    func fill(leaving kilobytes: Int) throws {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return }
        let free = Int(info.f_bavail) * Int(info.f_bsize) - kilobytes * 1024
        guard free > 0 else { return }
        try Data(count: free).write(to: URL(fileURLWithPath: path + "/.filler"))
    }
}

/// notify as a transaction: stopped at every step, refused by read-only folders and full disks, run twice at once.
@Suite(.serialized) struct NotifyTransactionTests {
    /// A repository notified once for 2027-01-01 from a generated export, whose export has grown since, so the next
    /// run (with --force) writes other files and a second record.
    static func notifiedOnce(_ name: String) throws -> ScratchRepo {
        let repo = try ScratchRepo(name)
        try repo.write(
            "policyc.yaml", "notify:\n  customers: customers.csv\n  from: Kaviaarshop <info@kaviaarshop.nl>\n")
        let python = try Tool.require("python3")
        let generator = Repo.root.appendingPathComponent(".ci/gen-customers").path
        let export = try Tool.run("/bin/sh", ["-c", "'\(python)' '\(generator)' 20000 > customers.csv"], in: repo.url)
        #expect(export.status == 0, "\(export.stderr)")
        try FileManager.default.createDirectory(atPath: repo.path + "/tmp", withIntermediateDirectories: true)
        let first = try notify(repo)
        #expect(first.status == 0, "\(first.stderr)")
        let handle = try FileHandle(forWritingTo: repo.url.appendingPathComponent("customers.csv"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("late.addition@example.nl,Laat Toegevoegd,nl,2020-02-02,order,active\n".utf8))
        try handle.close()
        return repo
    }

    static func notify(_ repo: ScratchRepo, _ extra: [String] = [], environment: [String: String] = [:]) throws
        -> ProcessResult
    {
        try runPolicyc(
            ["notify", "kaviaarshop", "--today", "2026-11-25"] + extra, in: repo.url,
            environment: environment.merging(["TMPDIR": repo.path + "/tmp"]) { $1 })
    }

    struct NotifyState: Equatable {
        var output: [String: Data]
        var ledger: String?
        init(_ repo: ScratchRepo) {
            output = ScratchRepo.snapshot(repo.url.appendingPathComponent("Output/notify/kaviaarshop/2027-01-01"))
            ledger = try? repo.read("Policies/kaviaarshop/notified.lock")
        }
    }

    static func hiddenFolders(_ repo: ScratchRepo) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: repo.path + "/Output/notify/kaviaarshop")) ?? []).filter
        { $0.hasPrefix(".") }
    }

    @Test(arguments: FaultPoint.allCases.filter { $0.rawValue.hasPrefix("notify-") })
    func notifyKilledAtEveryStep(_ step: FaultPoint) throws {
        let repo = try Self.notifiedOnce("notify-kill-\(step.rawValue)")
        defer { repo.remove() }
        let old = NotifyState(repo)
        let reference = try Self.notifiedOnce("notify-reference-\(step.rawValue)")
        defer { reference.remove() }
        #expect(try Self.notify(reference, ["--force"]).status == 0)
        let new = NotifyState(reference)
        #expect(old.output != new.output && old.ledger != new.ledger)

        let killed = try Self.notify(repo, ["--force"], environment: ["POLICYC_KILL_AT": step.rawValue])
        #expect(killed.status == SIGKILL, "the run was not stopped at \(step.rawValue): \(killed.stderr)")
        try Self.expectOldOrNew(repo, old: old, new: new, after: step.rawValue)
        let next = try Self.notify(repo, ["--force"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(NotifyState(repo) == new)
        #expect(Self.hiddenFolders(repo).isEmpty, "\(Self.hiddenFolders(repo))")
        let left = try FileManager.default.contentsOfDirectory(atPath: repo.path + "/Policies/kaviaarshop").filter {
            $0.contains(".tmp-")
        }
        #expect(left.isEmpty, "\(left)")
        if [.notifyWritten, .notifyStaged, .notifyRecorded].contains(step) {
            #expect(next.stderr.contains("note: removed Output/notify/kaviaarshop/.2027-01-01."), "\(next.stderr)")
            #expect(next.stderr.contains("left by a notify run that was stopped (it held customer data)"))
        }
    }

    /// What a stopped run may leave: the old or the new output and ledger, a record only with its output, and no
    /// partial file of customer data anywhere (a hidden folder holds complete files of a run, or nothing).
    static func expectOldOrNew(_ repo: ScratchRepo, old: NotifyState, new: NotifyState, after: String) throws {
        let now = NotifyState(repo)
        #expect(now.output == old.output || now.output == new.output, "a kill at \(after) left a mix of outputs")
        #expect(now.ledger == old.ledger || now.ledger == new.ledger)
        if now.ledger == new.ledger { #expect(now.output == new.output, "a record without its output after \(after)") }
        let folder = repo.path + "/Output/notify/kaviaarshop/"
        for hidden in hiddenFolders(repo) {
            for (path, bytes) in ScratchRepo.snapshot(URL(fileURLWithPath: folder + hidden)) {
                #expect(bytes == new.output[path] || bytes == old.output[path], "\(hidden)/\(path) is a partial file")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: repo.path + "/tmp").isEmpty)
    }

    /// Kills at moments the steps do not name, as an operator's `kill -9` would land.
    @Test func notifyKilledAtRandomMoments() throws {
        let repo = try Self.notifiedOnce("notify-random-kill")
        defer { repo.remove() }
        let old = NotifyState(repo)
        let reference = try Self.notifiedOnce("notify-random-reference")
        defer { reference.remove() }
        #expect(try Self.notify(reference, ["--force"]).status == 0)
        let new = NotifyState(reference)
        var killed = 0
        for delay in [20, 80, 160, 300, 450, 650, 900, 1_300] {
            if try killedPolicyc(
                ["notify", "kaviaarshop", "--today", "2026-11-25", "--force"], in: repo.url, after: delay,
                environment: ["TMPDIR": repo.path + "/tmp"])
            {
                killed += 1
            }
            try Self.expectOldOrNew(repo, old: old, new: new, after: "\(delay) ms")
            if NotifyState(repo) == new { break }
        }
        #expect(killed > 0, "no run was killed part way")
        #expect(try Self.notify(repo, ["--force"]).status == 0)
        #expect(NotifyState(repo) == new)
        #expect(Self.hiddenFolders(repo).isEmpty)
    }

    @Test func secondRunAtOnceExits75() throws {
        let repo = try Self.notifiedOnce("notify-busy")
        defer { repo.remove() }
        let old = NotifyState(repo)
        let descriptor = open(repo.path + "/Policies/kaviaarshop", O_RDONLY | O_DIRECTORY)
        #expect(flock(descriptor, LOCK_EX) == 0)
        let result = try Self.notify(repo, ["--force"])
        close(descriptor)
        #expect(result.status == 75)
        #expect(
            result.stderr
                == "error: another policyc notify for 'kaviaarshop' is running (it holds the lock on Policies/kaviaarshop); nothing was written: wait until it has finished, then run again\n"
        )
        #expect(NotifyState(repo) == old)
    }

    /// Two runs started together: one writes and records, the other waits its turn or is refused with 75; never two
    /// unforced records, never a missing file.
    @Test func twoRunsAtOnce() throws {
        let repo = try Self.notifiedOnce("notify-race")
        defer { repo.remove() }
        try FileManager.default.removeItem(atPath: repo.path + "/Policies/kaviaarshop/notified.lock")
        try FileManager.default.removeItem(atPath: repo.path + "/Output")
        let reference = try Self.notifiedOnce("notify-race-reference")
        defer { reference.remove() }
        try FileManager.default.removeItem(atPath: reference.path + "/Policies/kaviaarshop/notified.lock")
        #expect(try Self.notify(reference).status == 0)
        let expected = NotifyState(reference)
        for _ in 0..<4 {
            let runs = [0, 1].concurrentMapForTests { _ in try? Self.notify(repo) }
            let statuses = runs.map { $0?.status ?? -1 }.sorted()
            #expect(statuses == [0, 0] || statuses == [0, 75], "\(statuses) \(runs.map { $0?.stderr ?? "" })")
            #expect(NotifyState(repo) == expected)
            #expect(Self.hiddenFolders(repo).isEmpty)
        }
    }

    @Test func readOnlyPoliciesWritesNothing() throws {
        let repo = try Self.notifiedOnce("notify-ro")
        defer { repo.remove() }
        let old = NotifyState(repo)
        let result = try ReadOnlyFolder.with(repo.path + "/Policies") { try Self.notify(repo, ["--force"]) }
        guard let result else { return }
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "error: cannot write the ledger Policies/kaviaarshop/notified.lock: \(ReadOnlyFolder.reason)\nerror: nothing was written\n"
        )
        #expect(NotifyState(repo) == old)
    }

    @Test func readOnlyOutputWritesNothing() throws {
        let repo = try Self.notifiedOnce("notify-ro-output")
        defer { repo.remove() }
        let old = NotifyState(repo)
        let result = try ReadOnlyFolder.with(repo.path + "/Output") { try Self.notify(repo, ["--force"]) }
        guard let result else { return }
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "error: cannot write into Output/notify/kaviaarshop: \(ReadOnlyFolder.reason)\nerror: nothing was written\n"
        )
        #expect(NotifyState(repo) == old)
    }

    /// The ledger cannot take the record (its disk is full): the previous files go back in place, the ledger is as
    /// it was (not emptied), and the run says so.
    @Test func fullLedgerDiskPutsThePreviousFilesBack() throws {
        let repo = try Self.notifiedOnce("notify-full-ledger")
        defer { repo.remove() }
        let old = NotifyState(repo)
        let policies = repo.path + "/Policies"
        try FileManager.default.moveItem(atPath: policies, toPath: repo.path + "/Policies-before")
        try FileManager.default.createDirectory(atPath: policies, withIntermediateDirectories: true)
        guard let disk = SmallDisk(policies, kilobytes: 512) else { return }
        defer { disk.unmount() }
        _ = try Tool.run("/bin/cp", ["-a", repo.path + "/Policies-before/.", policies])
        try disk.fill(leaving: 0)
        let result = try Self.notify(repo, ["--force"])
        #expect(result.status == 1)
        #expect(
            result.stderr.hasSuffix(
                """
                error: cannot write Policies/kaviaarshop/notified.lock: No space left on device
                error: nothing was recorded or written: the previous files in Output/notify/kaviaarshop/2027-01-01 are back in place

                """), "\(result.stderr)")
        #expect(NotifyState(repo) == old)
        #expect(Self.hiddenFolders(repo).isEmpty)
        try FileManager.default.removeItem(atPath: policies + "/.filler")
        #expect(try Self.notify(repo, ["--force"]).status == 0)
    }

    @Test func fullOutputDiskWritesNothing() throws {
        let repo = try Self.notifiedOnce("notify-full-output")
        defer { repo.remove() }
        let old = NotifyState(repo)
        let output = repo.path + "/Output"
        try FileManager.default.moveItem(atPath: output, toPath: repo.path + "/Output-before")
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        guard let disk = SmallDisk(output, kilobytes: 8_192) else { return }
        defer { disk.unmount() }
        _ = try Tool.run("/bin/cp", ["-a", repo.path + "/Output-before/.", output])
        try disk.fill(leaving: 64)
        let result = try Self.notify(repo, ["--force"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(": No space left on device\n"), "\(result.stderr)")
        #expect(
            result.stderr.hasSuffix(
                "error: nothing was written; the previous files in Output/notify/kaviaarshop/2027-01-01 are unchanged\n"
            ))
        #expect(NotifyState(repo) == old)
        #expect(Self.hiddenFolders(repo).isEmpty)
    }

    @Test func unreadableLedgerWritesNothing() throws {
        let repo = try Self.notifiedOnce("notify-unreadable")
        defer { repo.remove() }
        let ledger = repo.path + "/Policies/kaviaarshop/notified.lock"
        try FileManager.default.removeItem(atPath: ledger)
        try FileManager.default.createDirectory(atPath: ledger, withIntermediateDirectories: false)
        let old = NotifyState(repo)
        let result = try Self.notify(repo, ["--force"])
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "error: cannot read the ledger Policies/kaviaarshop/notified.lock: is a folder, not a file\nerror: nothing was written\n"
        )
        #expect(NotifyState(repo) == old)
    }

    /// `policyc sent` stopped while it replaces the ledger leaves the ledger as it was, never empty or cut; the next
    /// `sent` removes what the stopped one left and records once.
    @Test func sentKilledWhileWritingTheLedger() throws {
        let repo = try Self.notifiedOnce("sent-kill")
        defer { repo.remove() }
        let before = try repo.read("Policies/kaviaarshop/notified.lock")
        let arguments = ["sent", "kaviaarshop", "2027-01-01", "--count", "1", "--today", "2026-11-26"]
        let killed = try runPolicyc(
            arguments, in: repo.url, environment: ["POLICYC_KILL_AT": FaultPoint.sentLedgerWriting.rawValue])
        #expect(killed.status == SIGKILL, "\(killed.stderr)")
        #expect(try repo.read("Policies/kaviaarshop/notified.lock") == before)
        let next = try runPolicyc(arguments, in: repo.url)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.hasPrefix("note: removed Policies/kaviaarshop/notified.lock.tmp-"), "\(next.stderr)")
        let after = try repo.read("Policies/kaviaarshop/notified.lock")
        #expect(after.hasPrefix(before))
        #expect(after.dropFirst(before.count).split(separator: "\n").map { $0.contains(#""event":"sent""#) } == [true])
    }

    /// A file the user put beside the mail-merge files (the server settings the docs ask for) survives a new run.
    @Test func userFilesAreKept() throws {
        let repo = try Self.notifiedOnce("notify-keep")
        defer { repo.remove() }
        try repo.write(
            "Output/notify/kaviaarshop/2027-01-01/nl/mailmerge_server.conf", "[smtp_server]\nhost = localhost\n")
        let result = try Self.notify(repo, ["--force"])
        #expect(result.status == 0)
        #expect(
            result.stderr.hasPrefix(
                "note: kaviaarshop 2027-01-01 was prepared on 2026-11-25 and not sent; prepared again, as it differs in: "
            ),
            "\(result.stderr)")
        #expect(result.stderr.contains("note: kept nl/mailmerge_server.conf from the previous run's files\n"))
        #expect(
            try repo.read("Output/notify/kaviaarshop/2027-01-01/nl/mailmerge_server.conf")
                == "[smtp_server]\nhost = localhost\n")
    }
}

extension Array where Element: Sendable {
    /// Runs `body` for every element at once, each on its own thread.
    func concurrentMapForTests<T: Sendable>(_ body: @escaping @Sendable (Element) -> T) -> [T] {
        let results = LockedResults<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in results.set(index, body(self[index])) }
        return results.values.map { $0! }
    }
}

final class LockedResults<T>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [T?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: T) { lock.withLock { values[index] = value } }
}

/// Runs the built `policyc` and sends it SIGKILL after `milliseconds`, as an operator's `kill -9` would; whether the
/// signal stopped it (it may have finished first).
func killedPolicyc(
    _ arguments: [String], in directory: URL, after milliseconds: Int,
    environment: [String: String] = [:]
) throws -> Bool {
    let process = Process()
    process.executableURL = Repo.binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    usleep(useconds_t(milliseconds * 1000))
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return process.terminationReason == .uncaughtSignal
}

/// The limits of docs/notify.md, said when they are met.
@Suite struct NotifyLimitTests {
    @Test func aNameCutToTheLimitIsCounted() throws {
        let repo = try ScratchRepo("notify-long-name")
        defer { repo.remove() }
        try repo.write(
            "policyc.yaml", "notify:\n  customers: customers.csv\n  from: Kaviaarshop <info@kaviaarshop.nl>\n")
        let long = String(repeating: "Ø", count: 150)  // 300 bytes
        try repo.write(
            "customers.csv",
            """
            email,name,language,collected,categories,status
            a@example.nl,\(long),nl,2020-01-01,order,active
            b@example.nl,Bea,nl,2020-01-01,order,active

            """)
        let result = try runPolicyc(["notify", "kaviaarshop", "--today", "2026-11-25"], in: repo.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains("\n  1 name was longer than 200 bytes and cut to that (docs/notify.md, Limits)\n"),
            "\(result.stderr)")
        let recipients = try repo.read("Output/notify/kaviaarshop/2027-01-01/recipients.csv")
        #expect(recipients.contains("\"a@example.nl\",\"\(String(repeating: "Ø", count: 100))\","))
    }
}
