/// Regions a policy names where it does not name countries.
public enum Region: String, Codable, Hashable, Sendable, CaseIterable {
    /// The European Economic Area.
    case eea
    /// Every country outside the EEA ("countries outside the EEA").
    case outsideEEA = "outside-eea"
    case worldwide
}

/// Places where data is stored or accessed from: country codes (ISO 3166-1 alpha-2) and regions, and which places
/// an area covers, so that a wider storage area can be told from a narrower one.
public enum Areas {
    /// Whether `place` (a country code or a region's raw value) lies outside the EEA, in part or in whole.
    public static func leavesEEA(_ place: String) -> Bool {
        switch Region(rawValue: place) {
        case .eea?: false
        case .outsideEEA?, .worldwide?: true
        case nil: !Countries.isInEEA(place)
        }
    }

    /// Whether the area `area` (a list of places) covers the place `place` entirely.
    public static func covers(_ area: [String], _ place: String) -> Bool {
        if area.contains(place) || area.contains(Region.worldwide.rawValue) { return true }
        let eea = area.contains(Region.eea.rawValue)
        let outside = area.contains(Region.outsideEEA.rawValue)
        switch Region(rawValue: place) {
        case .worldwide?: return eea && outside
        case .eea?, .outsideEEA?: return false
        case nil: return Countries.isInEEA(place) ? eea : outside
        }
    }

    /// Whether `area` covers every place of `other`.
    public static func covers(_ area: [String], all other: [String]) -> Bool {
        other.allSatisfy { covers(area, $0) }
    }
}
