import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension PublishEndToEnd {
    /// A publish killed by a signal part way leaves the previous site or the new one, never a mix; the next publish
    /// cleans up what the killed one left aside.
    @Suite struct PublishKillTests {
        @Test func killedPublishLeavesOldOrNewSite() throws {
            let python = try Tool.require("python3")
            let repo = try ScratchRepo("kill", copySample: false)
            defer { repo.remove() }
            // A larger corpus than the sample, so a publish takes long enough to be killed in the middle.
            let generated = try Tool.run(
                python, [Repo.root.appendingPathComponent(".ci/generate-corpus").path, repo.path, "12", "4"])
            #expect(generated.status == 0, "\(generated.stderr)")
            #expect(try repo.publish().status == 0)
            let old = ScratchRepo.snapshot(repo.site)
            // New settings change every page; the complete new site, published elsewhere, is what a finished run gives.
            try repo.write("policyc.yaml", "site:\n  title: Another title\n")
            #expect(try repo.publish(["--today", "2026-11-25", "--out", "Output/expected"]).status == 0)
            let new = ScratchRepo.snapshot(repo.url.appendingPathComponent("Output/expected"))
            #expect(old != new && old.count == new.count)

            var killed = 0
            var sawOld = 0
            for delay in [5, 30, 80, 150, 250, 400, 600, 900] {
                if try killedPolicyc(["publish", "--today", "2026-11-25"], in: repo.url, after: delay) { killed += 1 }
                let now = ScratchRepo.snapshot(repo.site)
                #expect(now == old || now == new, "after a kill at \(delay) ms the site is a mix of old and new")
                if now == old { sawOld += 1 } else { break }
            }
            #expect(
                killed > 0 && sawOld > 0, "no publish was killed part way (killed \(killed)); make the corpus larger")
            // The next run finishes the job and leaves nothing aside.
            #expect(try repo.publish().status == 0)
            #expect(ScratchRepo.snapshot(repo.site) == new)
            let leftovers = try FileManager.default.contentsOfDirectory(
                atPath: repo.url.appendingPathComponent("Output").path
            )
            .filter { $0.hasPrefix(".site.new-") || $0.hasPrefix(".site.old-") }
            #expect(leftovers.isEmpty, "\(leftovers)")
        }

        /// A kill while the swapped-out site is being removed leaves a site that is already the new one: the next
        /// publish has nothing to write, and must still remove what was left (found when publishing got faster and
        /// the kill test's kill landed there).
        @Test func publishWithNothingToWriteRemovesLeftovers() throws {
            let repo = try ScratchRepo("leftovers")
            defer { repo.remove() }
            #expect(try repo.publish().status == 0)
            let output = repo.url.appendingPathComponent("Output")
            for leftover in [".site.new-999999", ".site.old-999998"] {
                try FileManager.default.createDirectory(
                    at: output.appendingPathComponent(leftover + "/kaviaarshop"), withIntermediateDirectories: true)
                try Data("old".utf8).write(to: output.appendingPathComponent(leftover + "/kaviaarshop/index.html"))
            }
            let before = ScratchRepo.snapshot(repo.site)
            let again = try repo.publish()
            #expect(again.status == 0)
            #expect(again.stdout.contains(" 0 written"), "\(again.stdout)")
            #expect(ScratchRepo.snapshot(repo.site) == before)
            let left = try FileManager.default.contentsOfDirectory(atPath: output.path).filter {
                $0.hasPrefix(".site.new-") || $0.hasPrefix(".site.old-")
            }
            #expect(left.isEmpty, "\(left)")
        }
    }
}
