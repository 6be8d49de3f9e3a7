import PolicyModel

/// The decision about the countries where a controller or recipient processes the data, one or several.
enum CountryRules {
    /// Data newly leaving the EEA, or going to one more country outside it beside the countries it went to, is a
    /// transfer introduced; data now staying in the EEA is a transfer ended; any other change of countries (another
    /// country instead of one, or none stated any more) cannot be shown harmless. Nil when the countries are the same.
    static func change(before: [String], after: [String]) -> (ChangeKind, ImpactRule)? {
        guard Set(before) != Set(after) else { return nil }
        let wasOutside = before.contains { !Countries.isInEEA($0) }
        let isOutside = after.contains { !Countries.isInEEA($0) }
        let addedOutside = after.contains { !before.contains($0) && !Countries.isInEEA($0) }
        if (isOutside && !wasOutside) || (Set(before).isSubset(of: after) && addedOutside) {
            return (.transferIntroduced, ImpactRules.transferIntroduced)
        }
        if wasOutside && !isOutside && !after.isEmpty { return (.transferEnded, ImpactRules.transferEnded) }
        return (.countryChanged, ImpactRules.countryChanged)
    }

    /// One country is written as a word, as the source writes it; several as a list.
    static func value(_ countries: [String]) -> FactValue? {
        countries.isEmpty ? nil : countries.count == 1 ? .text(countries[0]) : .list(countries)
    }
}
