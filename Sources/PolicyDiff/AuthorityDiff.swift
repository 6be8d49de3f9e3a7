import PolicyModel

/// The decision about a supervisory authority named or no longer named, beside others: one more place to complain
/// is favourable; one taken away makes the right to complain harder to exercise.
enum AuthorityRules {
    static func rule(added: Bool) -> ImpactRule { added ? ImpactRules.rightImproved : ImpactRules.rightRemoved }
}

extension Differ {
    /// One authority beside one is compared field by field, whatever its identity (a new country is where to
    /// complain changing). Several are paired by identity: the customer's own, else by country, else by name.
    mutating func authorities() {
        let (before, after) = (old.supervisoryAuthorities, new.supervisoryAuthorities)
        guard before.count > 1 || after.count > 1 else {
            authorityFields(old.supervisoryAuthority, new.supervisoryAuthority, element: "supervisory-authority")
            return
        }
        let pairs = Pairing(before, after, id: \.identity)
        for authority in pairs.added {
            add(
                .supervisoryAuthorityAdded, "supervisory-authority/\(authority.identity)", authority.name ?? "",
                categories: [], rule: AuthorityRules.rule(added: true))
        }
        for authority in pairs.removed {
            add(
                .supervisoryAuthorityRemoved, "supervisory-authority/\(authority.identity)", authority.name ?? "",
                categories: all, rule: AuthorityRules.rule(added: false))
        }
        for (b, a) in pairs.both {
            authorityFields(b, a, element: "supervisory-authority/\(a.identity)")
        }
    }

    mutating func authorityFields(_ before: Authority?, _ after: Authority?, element: String) {
        let label = after?.name ?? before?.name ?? ""
        for field in Schemas.supervisoryAuthority.keys {
            let b = before?.value(field)
            let a = after?.value(field)
            guard b != a else { continue }
            let typography = field == "name" && Wording.sameWords(b, a)
            add(
                .supervisoryAuthorityChanged, element, label, field: field, before: b, after: a,
                categories: typography ? [] : all, rule: typography ? ImpactRules.wording : ImpactRules.rightRemoved)
        }
    }
}
