import Foundation
import PolicyBase
import PolicyModel

/// The day that date-dependent answers use: `--today`, else SOURCE_DATE_EPOCH (reproducible builds), else the
/// system clock, always in UTC so the answer does not depend on the machine's time zone.
public enum Today {
    /// `environment` replaces the process environment (for tests); nil reads SOURCE_DATE_EPOCH from the process.
    public static func resolve(option: CalendarDate?, environment: [String: String]? = nil) throws -> CalendarDate {
        if let option { return option }
        let variable =
            environment.map { $0["SOURCE_DATE_EPOCH"] } ?? getenv("SOURCE_DATE_EPOCH").map { String(cString: $0) }
        if let epoch = variable, !epoch.isEmpty {
            guard let seconds = Int(epoch) else {
                throw UsageError("invalid SOURCE_DATE_EPOCH '\(epoch)'; it must be whole seconds since 1970")
            }
            return CalendarDate(daysSinceEpoch: Int((Double(seconds) / 86400).rounded(.down)))
        }
        return CalendarDate(daysSinceEpoch: Int((Date().timeIntervalSince1970 / 86400).rounded(.down)))
    }
}
