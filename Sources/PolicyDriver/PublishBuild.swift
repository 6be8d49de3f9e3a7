import Foundation
import PolicyBase
import PolicyModel
import PolicyPublish

extension Publishing {
    /// Policy by policy: compile, render and write what changed, link what did not, then drop the compiled
    /// documents, so memory holds a policy a core at a time. Policies run side by side, one a core, each on its own
    /// (a policy's files depend only on its versions). The site is written aside and swapped in whole at the end; an
    /// error in any policy abandons it, and the previous site stays as it was. Without `writing` (errors were found
    /// before the lock) the changed policies are still compiled, to report their errors too.
    func build(_ read: PublishSources, _ cache: PublishCache, publisher: Publisher, writing: PublishWriting?)
        -> CommandOutput
    {
        var writing = writing
        var staging: SiteWriter.Staging?
        if let current = writing {
            writing!.notes += current.writer.removeLeftovers().map { "warning: \($0); remove it by hand\n" }.joined()
            do { staging = try current.writer.begin() } catch {
                return stopped(writing!, staging: nil, FileFault.reason(of: error))
            }
        }
        let results = renderPolicies(read, cache, publisher: publisher, writer: writing?.writer, staging: staging)
        if let failure = results.compactMap(\.failure).first, let writing {
            return stopped(writing, staging: staging, failure)
        }
        if let output = reportErrors(read, cache, results: results, staging: staging, writer: writing?.writer) {
            return output
        }
        guard let staging, let writing else { return failure([], "nothing published") }
        return finishSite(results, staging: staging, publisher: publisher, writing: writing)
    }

    /// Removes the new site aside and says what was not published.
    func stopped(_ writing: PublishWriting, staging: SiteWriter.Staging?, _ reason: String) -> CommandOutput {
        if let staging { writing.writer.abandon(staging) }
        return CommandOutput(
            stderr: writing.notes + "error: \(reason)\nerror: nothing was published: \(writing.siteBefore)\n",
            status: ExitStatus.failure)
    }

    /// Compiles (where needed), renders and writes each policy's files, on all cores.
    func renderPolicies(
        _ read: PublishSources, _ cache: PublishCache, publisher: Publisher, writer: SiteWriter?,
        staging: SiteWriter.Staging?
    ) -> [PolicyOutcome] {
        let precompileErrors = read.hasErrors
        // Set at the first error anywhere: from then on no policy renders or writes (but every one whose sources
        // changed is still compiled, so the errors reported do not depend on timing).
        let stop = StopFlag()
        if precompileErrors { stop.set() }
        let previousKeys = cache.oldSite?.keys
        let adopted = adoptedDay()
        return read.policies.concurrentMap { policy -> PolicyOutcome in
            var outcome = PolicyOutcome()
            var documents: [PublishDocument] = []
            if cache.changed.contains(policy) || (cache.stale.contains(policy) && !precompileErrors) {
                let indices = read.filesByPolicy[policy]!.filter { read.sources[$0].bytes != nil }
                let compiled = Self.compile(
                    indices.map {
                        (read.sources[$0].path, read.sources[$0].bytes!, read.fingerprints[$0]?.contentHash)
                    },
                    adopted: adopted)
                // Publish reports errors only (`check` shows warnings): the others are dropped here, on the policy's
                // core, instead of being gathered and freed one by one after all policies.
                outcome.diagnostics = compiled.diagnostics.filter { $0.severity == .error }
                outcome.notice = compiled.notice.filter { $0.severity == .error }
                if !outcome.diagnostics.isEmpty || !outcome.notice.isEmpty {
                    stop.set()
                    return outcome
                }
                documents = compiled.documents
                outcome.infos = documents.map(\.info)
            } else {
                outcome.infos = cache.cachedInfos[policy] ?? []
            }
            guard let writer, let staging, !stop.isSet else { return outcome }
            // Compiled versions are planned from what the compiler says now; the others from the last publish's infos.
            let pages =
                documents.isEmpty
                ? cache.plans[policy] ?? publisher.policyPlan(outcome.infos) : publisher.policyPlan(outcome.infos)
            let fresh = pages.map { previousKeys?[$0.path] != $0.key }
            let renderer = publisher.renderer(
                infos: outcome.infos, documents: documents, pages: zip(pages, fresh).filter(\.1).map(\.0))
            do {
                outcome.written = try writer.write(pages.map(\.path), into: staging) { index in
                    fresh[index] ? .bytes(renderer.render(pages[index])) : .unchanged
                }
            } catch {
                outcome.failure = FileFault.reason(of: error)
                stop.set()
            }
            outcome.pages = pages
            return outcome
        }
    }

    /// The errors, as one batch, as `check` would report them: those of the policies whose sources changed (with the
    /// notice-period guard only when they compile: its findings would be noise beside errors); only when these have
    /// none, the errors of a policy whose sources did not change, found because a new day or setting made it render
    /// again. Nil when there is no error.
    func reportErrors(
        _ read: PublishSources, _ cache: PublishCache, results: [PolicyOutcome], staging: SiteWriter.Staging?,
        writer: SiteWriter?
    ) -> CommandOutput? {
        func batch(_ outcomes: [PolicyOutcome]) -> [Diagnostic] {
            let diagnostics = outcomes.flatMap(\.diagnostics)
            return diagnostics + (diagnostics.contains { $0.severity == .error } ? [] : outcomes.flatMap(\.notice))
        }
        let paired = zip(read.policies, results)
        let problems = read.problems + batch(paired.filter { cache.changed.contains($0.0) }.map(\.1))
        if problems.contains(where: { $0.severity == .error }) {
            if let staging { writer?.abandon(staging) }
            return failure(
                problems.filter { $0.severity == .error },
                "nothing published: fix the errors above (policyc check shows them with warnings)")
        }
        let late = batch(paired.filter { !cache.changed.contains($0.0) }.map(\.1))
        if late.contains(where: { $0.severity == .error }) {
            if let staging { writer?.abandon(staging) }
            return failure(late.filter { $0.severity == .error }, "nothing published: fix the errors above")
        }
        return nil
    }

    /// The site-wide files (they list every version), then the state, then the reveal.
    func finishSite(
        _ results: [PolicyOutcome], staging: SiteWriter.Staging, publisher: Publisher, writing: PublishWriting
    ) -> CommandOutput {
        let infos = results.flatMap(\.infos)
        let sitePages = publisher.sitePlan(infos)
        let siteRenderer = publisher.renderer(infos: infos, documents: [], pages: [])
        let pages = sitePages + results.flatMap(\.pages)
        let state = StableJSON.file(publisher.state(infos: infos, pages: pages))
        var written = results.map(\.written).reduce(0, +)
        do {
            written +=
                try writing.writer.write(sitePages.map(\.path) + [SiteState.fileName], into: staging) { index in
                    .bytes(index < sitePages.count ? siteRenderer.render(sitePages[index]) : state)
                } - 1
        } catch {
            return stopped(writing, staging: staging, FileFault.reason(of: error))
        }
        let summary =
            "published \(place.out): \(pages.count) files, \(written) written, \(pages.count - written) unchanged"
        return reveal(staging, writing: writing, summary: summary)
    }
}
