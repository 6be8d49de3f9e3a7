import PolicyBase
import PolicyDiff
import PolicyModel
import PolicySource

/// The one check that depends on today's date: a version that is not yet in effect but whose announcement
/// date has passed may be published later than the day customers were supposedly told.
public enum AnnouncementCheck {
    public static func check(_ documents: [CompiledDocument], today: CalendarDate) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (_, versions) in PolicyHistory.versions(of: documents) {
            for version in versions {
                guard let model = version.original.version, let announced = model.announced,
                    announced < today, today < model.effective
                else { continue }
                diagnostics.append(
                    .warning(
                        "announcement date \(announced) has passed (today is \(today)); if customers were not told on that day, move 'announced' and 'effective' so that \(model.noticePeriodDays) days of notice remain",
                        rule: .announcementPassed, at: version.original.sourceMap.best("front/announced")))
            }
        }
        return diagnostics
    }
}
