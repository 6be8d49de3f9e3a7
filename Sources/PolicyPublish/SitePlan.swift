import PolicyBase

/// Which files the site has: the product's rule, in one place (docs/publish.md, "The site").
///
/// For each language of a policy, and each version in that language:
/// - the version's page, its model JSON and its TILT document (GDPR Art. 12(7): machine-readable);
/// - a change page against the version before it, when there is one;
/// then, per language, the stable address of the version in force (or the first upcoming one before any is in
/// force), the list of versions and its Atom feed. Site-wide: the index and `versions.json`.
///
/// Paths and keys (what each file is made from, so unchanged files are not rendered again) are `Publisher`'s.
enum SitePlan {
    static func siteWide() -> [PagePlan.Kind] { [.index, .versionsJSON] }

    static func pages(of timeline: Timeline) -> [PagePlan.Kind] {
        let policy = timeline.policy
        var pages: [PagePlan.Kind] = []
        for language in timeline.languages {
            for date in timeline.dates(in: language) {
                let (previous, next) = timeline.neighbours(of: date, in: language)
                pages.append(.version(policy: policy, language: language, date: date))
                if let previous {
                    pages.append(.changes(policy: policy, language: language, from: previous, date: date))
                }
                pages.append(.model(policy: policy, language: language, date: date))
                pages.append(.tilt(policy: policy, language: language, date: date, next: next))
            }
            if let shown = timeline.stableDate(in: language) {
                pages.append(.stable(policy: policy, language: language, date: shown))
            }
            pages.append(.versions(policy: policy, language: language))
            pages.append(.feed(policy: policy, language: language))
        }
        return pages
    }
}
