import PolicyBase
import PolicySource

/// The `site` section of `policyc.yaml`: settings of `policyc publish` (docs/config.md).
///
/// ```yaml
/// site:
///   base-url: https://www.kaviaarshop.nl/privacy/
///   title: Kaviaarshop
///   theme: theme
/// ```
public struct SiteSettings: Sendable, Hashable, Codable {
    /// The address the site is served from, ending in `/`. Absolute links (canonical links, the Atom feed, the TILT
    /// documents' `url`) are built on it; without it the site uses relative links only and the feed's ids are URNs.
    public var baseURL: String?
    /// The site's name in every page's header and title; default: the controller's name of each policy.
    public var title: String?
    /// A folder, relative to the repository root, whose `*.mustache` files and `style.css` replace the built-in
    /// theme's files of the same name.
    public var theme: String?

    public init(baseURL: String? = nil, title: String? = nil, theme: String? = nil) {
        self.baseURL = baseURL
        self.title = title
        self.theme = theme
    }

    static let keys = ["base-url", "title", "theme"]

    static func read(_ fields: Fields) -> SiteSettings {
        var settings = SiteSettings()
        if let url = fields.text("base-url") {
            if let normalized = normalizedBaseURL(url.value) {
                settings.baseURL = normalized
            } else {
                fields.sink.error(
                    "invalid base-url '\(url.value)'; write an absolute http or https address such as 'https://www.example.com/privacy/'",
                    .invalidValue, at: url.location)
            }
        }
        settings.title = fields.text("title")?.value
        if let theme = fields.text("theme") {
            // The theme is a folder inside the repository: an absolute path or one that climbs out would make the
            // site depend on the machine it is published on.
            let parts = theme.value.split(separator: "/", omittingEmptySubsequences: false)
            if theme.value.hasPrefix("/") || parts.contains("..") || theme.value.contains("\\") {
                fields.sink.error(
                    "invalid theme '\(theme.value)'; name a folder inside the repository, such as 'theme'",
                    .invalidValue, at: theme.location)
            } else {
                settings.theme = theme.value
            }
        }
        return settings
    }

    /// `https://host/path/` with a trailing slash, or nil when the text is not an absolute http(s) address without
    /// spaces, query or fragment (they would break every link built on it).
    static func normalizedBaseURL(_ text: String) -> String? {
        let lower = text.lowercased()
        let scheme = lower.hasPrefix("https://") ? 8 : lower.hasPrefix("http://") ? 7 : 0
        guard scheme > 0 else { return nil }
        let rest = text.dropFirst(scheme)
        guard let host = rest.split(separator: "/", omittingEmptySubsequences: false).first, !host.isEmpty,
            !text.unicodeScalars.contains(where: {
                $0.properties.isWhitespace || $0 == "?" || $0 == "#" || $0 == "\"" || $0 == "<" || $0 == ">"
                    || $0.value < 0x20
            })
        else { return nil }
        return text.hasSuffix("/") ? text : text + "/"
    }
}
