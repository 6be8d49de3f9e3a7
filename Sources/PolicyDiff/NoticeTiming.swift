import PolicyModel

/// Whether customers told on a given day are told in time (docs/notify.md, "Dates"): before the version takes
/// effect, and at least its notice period before, as `policyc check` requires of `announced` (`NoticeGuard`).
public enum NoticeTiming: Sendable, Hashable {
    /// The whole notice period is still ahead.
    case inTime
    /// The version takes effect today or took effect before: nobody can be told before it applies.
    case inForce
    /// The version is not in force yet, but the notice period began before today: customers had to be told by
    /// `deadline` to have `days` days.
    case periodMissed(deadline: CalendarDate, days: Int)

    /// The notice a version's changes need: its own notice period, or the previous version's when that was longer
    /// (a version cannot shorten the notice of its own changes).
    public static func days(previous: PolicyVersion, version: PolicyVersion) -> Int {
        max(version.noticePeriodDays, previous.noticePeriodDays)
    }

    public static func of(effective: CalendarDate, days: Int, today: CalendarDate) -> NoticeTiming {
        if today >= effective { return .inForce }
        let deadline = effective.adding(days: -days)
        return today > deadline ? .periodMissed(deadline: deadline, days: days) : .inTime
    }
}
