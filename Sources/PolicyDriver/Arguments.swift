import PolicyBase
import PolicyModel

/// The one check of every command-line argument that names a policy, a language or a version. Every command calls
/// it before it touches a file (diff and notify read and write files named after these values), so
/// that no argument can name a path: `diff ..` or `diff ../outside` is a usage error (exit 64), not a compile of files
/// outside the policies.
public enum Arguments {
    /// Throws a `UsageError` for the first value that is not of its form:
    /// - a policy id: lowercase ASCII letters, digits and single hyphens, not starting or ending with a hyphen,
    ///   at most 64 characters (as the `policy` key, docs/format.md section 5);
    /// - a language tag: two or three lowercase letters, optionally `-` and two uppercase letters;
    /// - a version: a real calendar day written `YYYY-MM-DD`.
    public static func validate(policy: String? = nil, languages: [String?] = [], versions: [String?] = []) throws {
        if let policy, !Identifiers.isIdentifier(policy) {
            throw UsageError(
                "invalid policy id '\(shown(policy))'; a policy id is lowercase letters, digits and single hyphens, the name of its folder in Policies, such as 'kaviaarshop'"
            )
        }
        for case let language? in languages where !Identifiers.isLanguageTag(language) {
            throw UsageError(
                "invalid language '\(shown(language))'; write a language tag such as 'nl', 'en' or 'pt-BR'")
        }
        for case let version? in versions where CalendarDate(version) == nil {
            throw UsageError("invalid version '\(shown(version))'; name a version by its effective date, YYYY-MM-DD")
        }
    }

    /// A value as echoed in a message: cut to a readable length, safe for a terminal.
    static func shown(_ value: String) -> String {
        TerminalText.escape(EchoedValue.abbreviate(value))
    }
}
