/// The categories of a consent banner a cookie belongs to (the four most banners use). Only `necessary` cookies are
/// set without the visitor's consent (ePrivacy Directive Art. 5(3)).
public enum CookieCategory: String, Codable, Hashable, Sendable, CaseIterable {
    case necessary
    case preferences
    case statistics
    case marketing
}
