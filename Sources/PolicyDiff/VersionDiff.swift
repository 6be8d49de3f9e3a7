import PolicyBase
import PolicyModel

/// Everything that changed between two versions of one policy in one language.
public struct VersionDiff: Codable, Hashable, Sendable {
    /// The format of this JSON document; bumped only on incompatible changes (docs/changes.md).
    public var format = "policyc-changes/2"
    public var policy: String
    /// The newer version's title, to name the policy for people.
    public var title: String
    public var language: String
    public var from: CalendarDate
    public var to: CalendarDate
    public var announced: CalendarDate?
    /// The number of records in each impact class, and how many need review.
    public var counts: [String: Int]
    public var changes: [ChangeRecord]
    public var sections: [SectionChange]
    /// The name or label of every fact of either version, by `kind/id` (the newer version's where both have it),
    /// so that the records can be put into words without the models.
    public var labels: [String: String]

    public var hasNotify: Bool { changes.contains { $0.impact == .notify } }

    /// Fact records first, in model order, then one record a changed section. Pure.
    public static func compare(_ old: PolicyVersion, _ new: PolicyVersion) -> VersionDiff {
        var changes = FactDiff.compare(old, new)
        let sections = WordDiff.sections(old.sections, new.sections)
        // Facts whose values changed (wording of their labels does not count).
        let changedFacts = Set(changes.filter { $0.rule != ImpactRules.wording.id }.map(\.element))
        for section in sections {
            let proseChanged = section.wordsInserted > 0 || section.wordsDeleted > 0
            var review: Review?
            if proseChanged, section.status != .added, section.status != .removed, !section.facts.isEmpty,
                section.facts.allSatisfy({ !changedFacts.contains($0) })
            {
                review = Review(.proseWithoutFactChange, facts: section.facts)
            }
            let kind: ChangeKind
            switch section.status {
            case .added: kind = .sectionAdded
            case .removed: kind = .sectionRemoved
            case .renamed: kind = .sectionRenamed
            case .moved: kind = .sectionMoved
            case .changed: kind = .sectionChanged
            }
            changes.append(
                ChangeRecord(
                    kind: kind, element: "section/\(section.id)", label: section.heading,
                    before: section.previousHeading.map(FactValue.text),
                    after: section.previousHeading == nil ? nil : .text(section.heading),
                    categories: [], rule: ImpactRules.wording, review: review))
        }
        var counts: [String: Int] = [:]
        for impact in Impact.allCases { counts[impact.rawValue] = changes.filter { $0.impact == impact }.count }
        counts["review"] = changes.filter { $0.review != nil }.count
        // The newer version's title wins where both have the fact.
        var labels = old.factTitles.merging(new.factTitles) { _, newer in newer }
        for item in old.scope + new.scope { labels["scope/\(item.id)"] = item.label }
        return VersionDiff(
            policy: new.policy, title: new.title, language: new.language, from: old.effective, to: new.effective,
            announced: new.announced,
            counts: counts, changes: changes, sections: sections, labels: labels)
    }
}

/// The notice-period guard of `policyc check`: a version with changes customers must be told about states when
/// they are told (at least the notice period before it takes effect) and what changed, in every language; and every
/// declaration in a version's `changes` matches a change of its sort. Depends only on the sources (and the day the
/// shop adopted policyc), so it gives the same answer on any day.
public enum NoticeGuard {
    /// `adopted`: the day the shop adopted policyc (policyc.yaml). A version that took effect before it was not held
    /// to the guard then: what it lacks is a note on the record, not an error.
    public static func check(_ documents: [CompiledDocument], adopted: CalendarDate? = nil) -> [Diagnostic] {
        // Policies are independent: compare their versions on all cores, and keep the policies' order.
        PolicyHistory.versions(of: documents).concurrentMap { check(versions: $0.versions, adopted: adopted) }
            .flatMap { $0 }
    }

    /// The notice and declaration rules of one policy's versions, in date order.
    static func check(versions: [PolicyHistory.Version], adopted: CalendarDate? = nil) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for index in versions.indices {
            let previous = index > 0 ? versions[index - 1] : nil
            diagnostics += declarations(previous, versions[index])
            guard let previous else { continue }
            diagnostics += notice(previous, versions[index], adopted: adopted)
        }
        return diagnostics
    }

    /// Whether a version is held to the guard: every version from the day the shop adopted policyc on.
    public static func isGuarded(_ effective: CalendarDate, adopted: CalendarDate?) -> Bool {
        adopted.map { effective >= $0 } ?? true
    }

    static func notice(_ previous: PolicyHistory.Version, _ current: PolicyHistory.Version, adopted: CalendarDate?)
        -> [Diagnostic]
    {
        // Only fact records can be `notify` (a section record is always editorial), so the guard compares facts and
        // never computes a redline: `check` stays fast however much prose changed.
        let notify = FactDiff.compare(previous.original.version!, current.original.version!).filter {
            $0.impact == .notify
        }
        guard let first = notify.first else { return [] }
        let version = current.original.version!
        let map = current.original.sourceMap
        let why =
            "\(notify.count) change\(notify.count == 1 ? "" : "s") customers must be told about, such as \(first.element) (\(first.kind.rawValue))"
        // The notice the previous version promised holds for this change: a version cannot shorten the notice of
        // its own changes.
        let days = NoticeTiming.days(previous: previous.original.version!, version: version)
        var found: [Diagnostic] = []
        if let announced = version.announced {
            let latest = version.effective.adding(days: -days)
            if announced > latest {
                found.append(
                    .error(
                        "announced \(announced), less than \(days) days before it takes effect on \(version.effective); announce by \(latest) or move the effective date",
                        rule: .noticePeriod, at: map.best("front/announced"),
                        notes: [DiagnosticNote("the version has \(why)", at: map.best("front/effective"))]))
            }
        } else {
            found.append(
                .error(
                    "version has \(why) but no 'announced' date; add the day customers are told, at least \(days) days before \(version.effective)",
                    rule: .noticePeriod, at: map.best("front/effective")))
        }
        for document in current.all where document.version?.summary == nil {
            found.append(
                .error(
                    "version has changes customers must be told about but no 'summary' in \(document.version!.language); add a short summary for customers",
                    rule: .changeSummaryMissing, at: document.sourceMap.best("front/language")))
        }
        guard let adopted, !isGuarded(version.effective, adopted: adopted) else { return found }
        return found.map { history($0, adopted: adopted) }
    }

    /// A guard error of a version from before the shop adopted policyc, as the note it is on the record.
    static func history(_ error: Diagnostic, adopted: CalendarDate) -> Diagnostic {
        let lacks =
            error.rule == Rule.changeSummaryMissing.id ? "has no customer summary" : "was not announced in advance"
        return Diagnostic(
            .note,
            "version took effect before the shop adopted policyc on \(adopted) and \(lacks): \(error.message)",
            rule: .notAnnouncedBeforeAdoption, at: error.location, notes: error.notes)
    }

    /// Each file's declarations against the change from the previous version in its language.
    static func declarations(_ previous: PolicyHistory.Version?, _ current: PolicyHistory.Version) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for document in current.all {
            guard let version = document.version, !version.changes.isEmpty else { continue }
            let before = previous.flatMap { $0.document(language: version.language) ?? $0.original }?.version
            let problems: [Int: Declarations.Problem] =
                before.map { FactDiff.classify($0, version).problems }
                ?? Dictionary(uniqueKeysWithValues: version.changes.indices.map { ($0, .matchesNothing) })
            for (index, problem) in problems.sorted(by: { $0.key < $1.key }) {
                let declaration = version.changes[index]
                let at = document.sourceMap.best("front/changes/\(index + 1)", "front/changes")
                found.append(Self.problem(problem, declaration, since: before?.effective, at: at))
            }
        }
        return found
    }

    static func problem(
        _ problem: Declarations.Problem, _ declaration: ChangeDeclaration, since: CalendarDate?, at: SourceLocation
    ) -> Diagnostic {
        let named = "'\(declaration.kind.rawValue): \(declaration.element)'"
        switch problem {
        case .matchesNothing:
            let why = since.map { "\(declaration.element) did not change since \($0)" } ?? "this is the first version"
            return .error(
                "\(named) in 'changes' matches no change: \(why); remove the entry or name the element that changed",
                rule: .declarationUnmatched, at: at)
        case .otherSort:
            let sort =
                declaration.kind == .fromNowOn
                ? "a new purpose or recipient for data already held" : "a reworded label or name"
            return .error(
                "\(named) in 'changes' names a change that is not \(sort); \(declaration.element) changed otherwise, and the rule table classes that: remove the entry",
                rule: .declarationMismatch, at: at)
        }
    }
}

/// The versions of each policy in date order, each with its original and its translations.
public enum PolicyHistory {
    public struct Version: Sendable {
        /// The file that is not a translation (or the first language when none says so).
        public var original: CompiledDocument
        public var all: [CompiledDocument]
        public var effective: CalendarDate { original.version!.effective }

        public func document(language: String) -> CompiledDocument? { all.first { $0.version?.language == language } }
    }

    /// Compiled versions grouped by policy id, sorted by effective date. Documents without a model are skipped.
    public static func versions(of documents: [CompiledDocument]) -> [(policy: String, versions: [Version])] {
        var byPolicy: [String: [CalendarDate: [CompiledDocument]]] = [:]
        for document in documents {
            guard let version = document.version else { continue }
            byPolicy[version.policy, default: [:]][version.effective, default: []].append(document)
        }
        return byPolicy.keys.sorted().map { policy in
            let dates = byPolicy[policy]!.keys.sorted()
            let versions = dates.map { date -> Version in
                let files = byPolicy[policy]![date]!.sorted { $0.version!.language < $1.version!.language }
                let originals = files.filter { $0.version!.translationOf == nil }
                return Version(original: originals.count == 1 ? originals[0] : files[0], all: files)
            }
            return (policy, versions)
        }
    }
}
