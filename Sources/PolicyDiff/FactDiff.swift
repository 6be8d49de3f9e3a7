import PolicyBase
import PolicyModel

/// Compares two versions' facts element by element, keyed by stable ids, and classifies every difference.
/// Pure: the same two versions always give the same records in the same order.
public enum FactDiff {
    public static func compare(_ old: PolicyVersion, _ new: PolicyVersion) -> [ChangeRecord] {
        var diff = Differ(old: old, new: new)
        diff.controller()
        diff.categories()
        diff.purposes()
        diff.recipients()
        diff.retention()
        diff.rights()
        diff.cookies()
        diff.automatedDecisions()
        diff.securityMeasures()
        return diff.records
    }
}

/// Pairs of elements with the same id, plus those only in one version, in the newer version's order.
struct Pairing<Element> {
    var both: [(old: Element, new: Element)] = []
    var added: [Element] = []
    var removed: [Element] = []

    init(_ old: [Element], _ new: [Element], id: (Element) -> String) {
        let olds = Dictionary(old.map { (id($0), $0) }, uniquingKeysWith: { first, _ in first })
        let newIDs = Set(new.map(id))
        for element in new {
            if let before = olds[id(element)] { both.append((before, element)) } else { added.append(element) }
        }
        removed = old.filter { !newIDs.contains(id($0)) }
    }
}

struct Differ {
    let old: PolicyVersion
    let new: PolicyVersion
    var records: [ChangeRecord] = []
    /// Categories the shop already holds data in: those of the older version.
    let existing: Set<String>

    init(old: PolicyVersion, new: PolicyVersion) {
        self.old = old
        self.new = new
        self.existing = Set(old.categories.map(\.id))
    }

    mutating func add(_ kind: String, _ element: String, _ label: String, field: String? = nil, before: FactValue? = nil,
                      after: FactValue? = nil, categories: [String], rule: ImpactRule, _ summary: String) {
        records.append(ChangeRecord(kind: kind, element: element, label: label, field: field, before: before, after: after,
                                    categories: categories, impact: rule.impact, rule: rule, summary: summary))
    }

    func text(_ value: String?) -> FactValue? { value.map(FactValue.text) }
    func flag(_ value: Bool?) -> FactValue? { value.map(FactValue.flag) }

    /// A text field (label, name of a section) whose change is wording only.
    mutating func wording(_ kind: String, _ element: String, _ label: String, field: String, _ before: String?, _ after: String?, categories: [String]) {
        guard before != after else { return }
        add("\(kind)-text-changed", element, label, field: field, before: text(before), after: text(after), categories: categories,
            rule: ImpactRules.wording, "The \(field) of \(element) was reworded")
    }

    // MARK: Controller and contacts

    mutating func controller() {
        let fields: [(String, String?, String?)] = [
            ("name", old.controller.name, new.controller.name),
            ("address", old.controller.address, new.controller.address),
            ("email", old.controller.email, new.controller.email),
            ("phone", old.controller.phone, new.controller.phone),
            ("website", old.controller.website, new.controller.website),
            ("representative", old.controller.representative, new.controller.representative),
        ]
        let all = Array(existing)
        for (field, before, after) in fields where before != after {
            add("controller-changed", "controller", new.controller.name, field: field, before: text(before), after: text(after),
                categories: all, rule: ImpactRules.controllerChanged, "The controller's \(field) changed")
        }
        let contact: [(String, String?, String?)] = [
            ("name", old.privacyContact?.name, new.privacyContact?.name),
            ("email", old.privacyContact?.email, new.privacyContact?.email),
            ("phone", old.privacyContact?.phone, new.privacyContact?.phone),
            ("dpo", old.privacyContact?.dpo.map { $0 ? "yes" : "no" }, new.privacyContact?.dpo.map { $0 ? "yes" : "no" }),
        ]
        for (field, before, after) in contact where before != after {
            add("privacy-contact-changed", "privacy-contact", new.privacyContact?.name ?? old.privacyContact?.name ?? "privacy contact",
                field: field, before: text(before), after: text(after), categories: all, rule: ImpactRules.controllerChanged,
                "The privacy contact's \(field) changed")
        }
        let authority: [(String, String?, String?)] = [
            ("name", old.supervisoryAuthority?.name, new.supervisoryAuthority?.name),
            ("country", old.supervisoryAuthority?.country, new.supervisoryAuthority?.country),
            ("website", old.supervisoryAuthority?.website, new.supervisoryAuthority?.website),
        ]
        for (field, before, after) in authority where before != after {
            add("supervisory-authority-changed", "supervisory-authority", new.supervisoryAuthority?.name ?? old.supervisoryAuthority?.name ?? "supervisory authority",
                field: field, before: text(before), after: text(after), categories: all, rule: ImpactRules.rightRemoved,
                "Where to complain changed: the supervisory authority's \(field)")
        }
        if old.noticePeriodDays != new.noticePeriodDays {
            let shorter = new.noticePeriodDays < old.noticePeriodDays
            add("notice-period-changed", "policy", new.title, field: "notice-period-days", before: .text(String(old.noticePeriodDays)),
                after: .text(String(new.noticePeriodDays)), categories: shorter ? Array(existing) : [], rule: shorter ? ImpactRules.noticePeriodShortened : ImpactRules.noticePeriodLengthened,
                "The notice period for material changes went from \(old.noticePeriodDays) to \(new.noticePeriodDays) days")
        }
        wording("policy", "policy", new.title, field: "title", old.title, new.title, categories: [])
    }

    // MARK: Categories

    mutating func categories() {
        let pairs = Pairing(old.categories, new.categories, id: \.id)
        for category in pairs.added {
            add("category-added", "category/\(category.id)", category.label, after: text(category.label), categories: [category.id],
                rule: ImpactRules.newCategory, "A new data category is collected from now on: \(category.label)")
        }
        for category in pairs.removed {
            add("category-removed", "category/\(category.id)", category.label, before: text(category.label), categories: [category.id],
                rule: ImpactRules.removed, "A data category is no longer collected: \(category.label)")
        }
        for (before, after) in pairs.both {
            let element = "category/\(after.id)"
            if before.required != after.required {
                add("category-provision-changed", element, after.label, field: "required", before: flag(before.required), after: flag(after.required),
                    categories: [after.id], rule: ImpactRules.categoryCollectionChanged, "Whether “\(after.label)” must be provided changed")
            }
            if before.source != after.source {
                add("category-source-changed", element, after.label, field: "source", before: text(before.source), after: text(after.source),
                    categories: [after.id], rule: ImpactRules.categoryCollectionChanged, "Where “\(after.label)” comes from changed")
            }
            wording("category", element, after.label, field: "label", before.label, after.label, categories: [after.id])
            wording("category", element, after.label, field: "consequence", before.consequence, after.consequence, categories: [after.id])
        }
    }

    // MARK: Purposes

    mutating func purposes() {
        let pairs = Pairing(old.purposes, new.purposes, id: \.id)
        for purpose in pairs.added {
            let held = purpose.categories.filter(existing.contains)
            let rule = held.isEmpty ? ImpactRules.newPurposeOnNewData : ImpactRules.newPurposeOnExistingData
            add("purpose-added", "purpose/\(purpose.id)", purpose.label, after: .list(purpose.categories), categories: purpose.categories, rule: rule,
                held.isEmpty ? "A new purpose for data collected from now on: \(purpose.label)"
                             : "A new purpose for data already held (\(held.joined(separator: ", "))): \(purpose.label)")
        }
        for purpose in pairs.removed {
            add("purpose-removed", "purpose/\(purpose.id)", purpose.label, before: .list(purpose.categories), categories: purpose.categories,
                rule: ImpactRules.removed, "Data is no longer processed for: \(purpose.label)")
        }
        for (before, after) in pairs.both {
            let element = "purpose/\(after.id)"
            if before.basis != after.basis {
                add("legal-basis-changed", element, after.label, field: "basis", before: text(before.basis?.rawValue), after: text(after.basis?.rawValue),
                    categories: after.categories, rule: ImpactRules.legalBasisChanged,
                    "The legal basis of “\(after.label)” changed from \(before.basis?.article ?? "unstated") to \(after.basis?.article ?? "unstated")")
            }
            if before.interest != after.interest {
                add("legitimate-interest-changed", element, after.label, field: "interest", before: text(before.interest), after: text(after.interest),
                    categories: after.categories, rule: ImpactRules.interestChanged, "The legitimate interest of “\(after.label)” changed")
            }
            categoryLists(element: element, label: after.label, before: before.categories, after: after.categories,
                          addedKind: "purpose-categories-added", removedKind: "purpose-categories-removed",
                          existingRule: ImpactRules.newPurposeOnExistingData, newRule: ImpactRules.newPurposeOnNewData, what: "is used for “\(after.label)”")
            wording("purpose", element, after.label, field: "label", before.label, after.label, categories: after.categories)
        }
    }

    /// Categories added to or removed from an element's list: added existing data is `existingRule`, added new data
    /// `newRule`, removed data favourable.
    mutating func categoryLists(element: String, label: String, before: [String], after: [String], addedKind: String, removedKind: String,
                                existingRule: ImpactRule, newRule: ImpactRule, what: String) {
        let added = after.filter { !before.contains($0) }
        let removed = before.filter { !after.contains($0) }
        let addedHeld = added.filter(existing.contains), addedNew = added.filter { !existing.contains($0) }
        if !addedHeld.isEmpty {
            add(addedKind, element, label, field: "categories", before: .list(before), after: .list(after), categories: addedHeld, rule: existingRule,
                "Data already held (\(addedHeld.joined(separator: ", "))) now \(what)")
        }
        if !addedNew.isEmpty {
            add(addedKind, element, label, field: "categories", before: .list(before), after: .list(after), categories: addedNew, rule: newRule,
                "Data collected from now on (\(addedNew.joined(separator: ", "))) \(what)")
        }
        if !removed.isEmpty {
            add(removedKind, element, label, field: "categories", before: .list(before), after: .list(after), categories: removed, rule: ImpactRules.removed,
                "Fewer categories (\(removed.joined(separator: ", "))) \(what)")
        }
    }

    // MARK: Recipients

    mutating func recipients() {
        let pairs = Pairing(old.recipients, new.recipients, id: \.id)
        for recipient in pairs.added {
            let held = recipient.categories.filter(existing.contains)
            add("recipient-added", "recipient/\(recipient.id)", recipient.name, after: .list(recipient.categories), categories: recipient.categories,
                rule: held.isEmpty ? ImpactRules.recipientGetsNewData : ImpactRules.recipientGetsExistingData,
                held.isEmpty ? "A new recipient, \(recipient.name), receives data collected from now on"
                             : "A new recipient, \(recipient.name), receives data already held (\(held.joined(separator: ", ")))")
            if let country = recipient.country, !Countries.isInEEA(country), !held.isEmpty {
                add("transfer-introduced", "recipient/\(recipient.id)", recipient.name, field: "country", after: .text(country), categories: held,
                    rule: ImpactRules.transferIntroduced, "Data already held is transferred outside the EEA, to \(recipient.name) in \(country)")
            }
        }
        for recipient in pairs.removed {
            add("recipient-removed", "recipient/\(recipient.id)", recipient.name, before: .list(recipient.categories), categories: recipient.categories,
                rule: ImpactRules.removed, "\(recipient.name) no longer receives data")
        }
        for (before, after) in pairs.both {
            let element = "recipient/\(after.id)"
            let touched = Array(Set(before.categories).union(after.categories))
            if before.name != after.name {
                add("recipient-renamed", element, after.name, field: "name", before: .text(before.name), after: .text(after.name), categories: touched,
                    rule: ImpactRules.recipientRenamed, "The recipient \(before.name) is now named \(after.name)")
            }
            if before.role != after.role {
                add("recipient-role-changed", element, after.name, field: "role", before: text(before.role?.rawValue), after: text(after.role?.rawValue),
                    categories: touched, rule: ImpactRules.recipientRoleChanged, "The role of \(after.name) changed")
            }
            categoryLists(element: element, label: after.name, before: before.categories, after: after.categories,
                          addedKind: "recipient-categories-added", removedKind: "recipient-categories-removed",
                          existingRule: ImpactRules.recipientGetsExistingData, newRule: ImpactRules.recipientGetsNewData, what: "go to \(after.name)")
            let purposesAdded = after.purposes.filter { !before.purposes.contains($0) }
            let purposesRemoved = before.purposes.filter { !after.purposes.contains($0) }
            if !purposesAdded.isEmpty {
                add("recipient-purposes-added", element, after.name, field: "purposes", before: .list(before.purposes), after: .list(after.purposes),
                    categories: after.categories, rule: ImpactRules.recipientPurposesAdded,
                    "\(after.name) processes data for more purposes (\(purposesAdded.joined(separator: ", ")))")
            }
            if !purposesRemoved.isEmpty {
                add("recipient-purposes-removed", element, after.name, field: "purposes", before: .list(before.purposes), after: .list(after.purposes),
                    categories: after.categories, rule: ImpactRules.removed, "\(after.name) processes data for fewer purposes")
            }
            transfer(element: element, before: before, after: after)
            if before.ownPurposes != after.ownPurposes {
                let allowed = after.ownPurposes == true || (after.ownPurposes == nil && before.ownPurposes == false)
                add("recipient-own-purposes-changed", element, after.name, field: "own-purposes", before: flag(before.ownPurposes),
                    after: flag(after.ownPurposes), categories: after.categories,
                    rule: allowed ? ImpactRules.ownPurposesAllowed : ImpactRules.ownPurposesEnded,
                    allowed ? "\(after.name) may now use the data for its own purposes" : "\(after.name) may no longer use the data for its own purposes")
            }
        }
    }

    mutating func transfer(element: String, before: Recipient, after: Recipient) {
        let categories = after.categories
        if before.country != after.country {
            let wasOutside = before.country.map { !Countries.isInEEA($0) } ?? false
            let isOutside = after.country.map { !Countries.isInEEA($0) } ?? false
            let kind: String
            let rule: ImpactRule
            if isOutside && !wasOutside {
                (kind, rule) = ("transfer-introduced", ImpactRules.transferIntroduced)
            } else if wasOutside && !isOutside && after.country != nil {
                (kind, rule) = ("transfer-ended", ImpactRules.safeguardStrengthened)
            } else {
                (kind, rule) = ("recipient-country-changed", ImpactRules.countryChanged)
            }
            add(kind, element, after.name, field: "country", before: text(before.country), after: text(after.country), categories: categories, rule: rule,
                "\(after.name) processes the data in \(after.country ?? "an unstated country") instead of \(before.country ?? "an unstated country")")
        }
        // A recipient that only now leaves the EEA has no earlier safeguard to compare with: its transfer is new.
        let leftEEA = after.country.map { !Countries.isInEEA($0) } ?? false
        let wasInEEA = before.country.map(Countries.isInEEA) ?? false
        if before.safeguard != after.safeguard && !(leftEEA && wasInEEA && before.safeguard == nil) {
            let outside = after.country.map { !Countries.isInEEA($0) } ?? true
            let weaker = (after.safeguard?.strength ?? 0) < (before.safeguard?.strength ?? 0)
            let rule: ImpactRule
            if !outside { rule = ImpactRules.wording }
            else if weaker || (after.safeguard != nil && before.safeguard != nil && after.safeguard!.strength == before.safeguard!.strength) { rule = ImpactRules.safeguardWeakened }
            else { rule = ImpactRules.safeguardStrengthened }
            add("safeguard-changed", element, after.name, field: "safeguard", before: text(before.safeguard?.rawValue), after: text(after.safeguard?.rawValue),
                categories: categories, rule: rule, "The transfer safeguard for \(after.name) changed")
        }
    }

    // MARK: Retention

    /// Retention is compared per category: ids of retention elements may be regrouped freely.
    mutating func retention() {
        func periods(_ version: PolicyVersion) -> [String: Retention] {
            var map: [String: Retention] = [:]
            for item in version.retention { for category in item.categories where map[category] == nil { map[category] = item } }
            return map
        }
        let before = periods(old), after = periods(new)
        let newCategories = Set(new.categories.map(\.id))
        // Group categories by (old period, new period) so one record covers all categories that changed alike.
        var groups: [String: (before: Retention?, after: Retention?, categories: [String])] = [:]
        var order: [String] = []
        let ordered = new.categories.map(\.id) + old.categories.map(\.id).filter { !newCategories.contains($0) }
        for category in ordered {
            let b = before[category], a = after[category]
            guard Self.period(b) != Self.period(a) else { continue }
            let key = "\(Self.period(b) ?? "-")→\(Self.period(a) ?? "-")"
            if groups[key] == nil { order.append(key); groups[key] = (b, a, []) }
            groups[key]!.categories.append(category)
        }
        for key in order {
            let (b, a, categories) = groups[key]!
            let held = categories.filter(existing.contains)
            let element = "retention/\((a ?? b)!.id)"
            let beforeText = Self.period(b).map(FactValue.text), afterText = Self.period(a).map(FactValue.text)
            if held.isEmpty {
                add("retention-added", element, (a ?? b)!.id, field: "period", before: beforeText, after: afterText, categories: categories,
                    rule: a == nil ? ImpactRules.removed : ImpactRules.retentionNewData, "A retention period for data collected from now on: \(Self.period(a) ?? "none")")
                continue
            }
            if a == nil && !categories.contains(where: newCategories.contains) {
                // The categories themselves are gone: their removal is reported with the category.
                continue
            }
            let shorter = Self.provablyShorter(b, a)
            let kind = a == nil ? "retention-removed" : b == nil ? "retention-stated" : shorter ? "retention-shortened"
                : Self.provablyLonger(b, a) ? "retention-lengthened" : "retention-changed"
            add(kind, element, (a ?? b)!.id, field: "period", before: beforeText, after: afterText, categories: categories,
                rule: shorter ? ImpactRules.retentionShorter : ImpactRules.retentionLonger,
                "Data in \(categories.joined(separator: ", ")) is kept \(Self.period(a) ?? "for an unstated period") instead of \(Self.period(b) ?? "an unstated period")")
        }
        // Statutes are reasons, not periods: a changed citation with the same period is wording.
        for (category, a) in after.sorted(by: { $0.key < $1.key }) {
            guard let b = before[category], Self.period(a) == Self.period(b), a.statute != b.statute else { continue }
            if records.contains(where: { $0.kind == "retention-text-changed" && $0.element == "retention/\(a.id)" }) { continue }
            wording("retention", "retention/\(a.id)", a.id, field: "statute", b.statute, a.statute, categories: a.categories)
        }
    }

    /// A canonical text of a storage period: `P7Y from last-order`, `until end-of-relationship`.
    static func period(_ retention: Retention?) -> String? {
        guard let retention else { return nil }
        if let duration = retention.duration {
            let from = retention.from == .collection ? nil : retention.from
            return "\(duration)" + (from.map { " from \($0.rawValue)" } ?? "")
        }
        return retention.until.map { "until \($0.rawValue)" }
    }

    static func start(_ retention: Retention) -> RetentionStart { retention.from ?? .collection }

    /// True only when every possible length of the new period is below every possible length of the old one.
    static func provablyShorter(_ before: Retention?, _ after: Retention?) -> Bool {
        guard let before, let after, let b = before.duration, let a = after.duration, start(before) == start(after) else {
            // Counting from a different event, or ending at an event, cannot be proven shorter.
            return false
        }
        return a.dayBounds.upperBound < b.dayBounds.lowerBound
    }

    static func provablyLonger(_ before: Retention?, _ after: Retention?) -> Bool {
        guard let before, let after, let b = before.duration, let a = after.duration, start(before) == start(after) else { return false }
        return a.dayBounds.lowerBound > b.dayBounds.upperBound
    }

    // MARK: Rights

    mutating func rights() {
        let all = Array(existing)
        let pairs = Pairing(old.rights, new.rights, id: \.id.rawValue)
        for right in pairs.added {
            add("right-added", "right/\(right.id.rawValue)", right.label, categories: [], rule: ImpactRules.rightImproved, "A right is now stated: \(right.label)")
        }
        for right in pairs.removed {
            add("right-removed", "right/\(right.id.rawValue)", right.label, categories: all, rule: ImpactRules.rightRemoved, "A right is no longer stated: \(right.label)")
        }
        for (before, after) in pairs.both {
            let element = "right/\(after.id.rawValue)"
            if before.response != after.response {
                let shorter: Bool
                if let b = before.response, let a = after.response { shorter = a.dayBounds.upperBound < b.dayBounds.lowerBound } else { shorter = false }
                add("right-response-changed", element, after.label, field: "response", before: text(before.response?.description),
                    after: text(after.response?.description), categories: shorter ? [] : all,
                    rule: shorter ? ImpactRules.rightImproved : ImpactRules.rightRemoved,
                    "The response time for \(after.label) is \(after.response?.description ?? "no longer stated") instead of \(before.response?.description ?? "unstated")")
            }
            if Set(before.channels) != Set(after.channels) {
                let onlyAdded = Set(before.channels).isSubset(of: Set(after.channels))
                add("right-channels-changed", element, after.label, field: "channels", before: .list(before.channels.map(\.rawValue)),
                    after: .list(after.channels.map(\.rawValue)), categories: onlyAdded ? [] : all,
                    rule: onlyAdded ? ImpactRules.rightImproved : ImpactRules.rightRemoved, "The way to exercise \(after.label) changed")
            }
            wording("right", element, after.label, field: "label", before.label, after.label, categories: [])
            wording("right", element, after.label, field: "how", before.how, after.how, categories: [])
        }
    }

    // MARK: Cookies, automated decisions, security

    mutating func cookies() {
        let pairs = Pairing(old.cookies, new.cookies, id: \.id)
        for cookie in pairs.added {
            add("cookie-added", "cookie/\(cookie.id)", cookie.name, categories: [], rule: ImpactRules.newCookie, "A new cookie: \(cookie.name)")
        }
        for cookie in pairs.removed {
            add("cookie-removed", "cookie/\(cookie.id)", cookie.name, categories: [], rule: ImpactRules.removed, "The cookie \(cookie.name) is no longer set")
        }
        for (before, after) in pairs.both {
            let fields: [(String, String?, String?)] = [
                ("name", before.name, after.name), ("provider", before.provider, after.provider), ("purpose", before.purpose, after.purpose),
                ("consent", before.consent.map { $0 ? "yes" : "no" }, after.consent.map { $0 ? "yes" : "no" }),
                ("lifetime", before.lifetime?.description, after.lifetime?.description), ("country", before.country, after.country),
            ]
            for (field, b, a) in fields where b != a {
                add("cookie-changed", "cookie/\(after.id)", after.name, field: field, before: text(b), after: text(a), categories: [],
                    rule: ImpactRules.newCookie, "The cookie \(after.name) changed: \(field)")
            }
        }
    }

    mutating func automatedDecisions() {
        let pairs = Pairing(old.automatedDecisions, new.automatedDecisions, id: \.id)
        for decision in pairs.added {
            let held = decision.categories.filter(existing.contains)
            add("automated-decision-added", "automated-decision/\(decision.id)", decision.label, after: .list(decision.categories),
                categories: decision.categories, rule: held.isEmpty ? ImpactRules.automatedOnNewData : ImpactRules.automatedOnExistingData,
                "Automated decision-making is introduced: \(decision.label)")
        }
        for decision in pairs.removed {
            add("automated-decision-removed", "automated-decision/\(decision.id)", decision.label, categories: decision.categories,
                rule: ImpactRules.removed, "Automated decision-making ended: \(decision.label)")
        }
        for (before, after) in pairs.both {
            let element = "automated-decision/\(after.id)"
            let fields: [(String, String?, String?)] = [
                ("logic", before.logic, after.logic), ("consequences", before.consequences, after.consequences),
                ("ground", before.ground?.rawValue, after.ground?.rawValue), ("profiling", String(before.profiling), String(after.profiling)),
            ]
            for (field, b, a) in fields where b != a {
                let favourable = field == "profiling" && a == "false"
                add("automated-decision-changed", element, after.label, field: field, before: text(b), after: text(a), categories: after.categories,
                    rule: favourable ? ImpactRules.removed : ImpactRules.automatedOnExistingData, "The automated decision \(after.label) changed: \(field)")
            }
            categoryLists(element: element, label: after.label, before: before.categories, after: after.categories,
                          addedKind: "automated-decision-categories-added", removedKind: "automated-decision-categories-removed",
                          existingRule: ImpactRules.automatedOnExistingData, newRule: ImpactRules.automatedOnNewData, what: "feed \(after.label)")
            wording("automated-decision", element, after.label, field: "label", before.label, after.label, categories: after.categories)
        }
    }

    mutating func securityMeasures() {
        let pairs = Pairing(old.securityMeasures, new.securityMeasures, id: \.id)
        for measure in pairs.added {
            add("security-measure-added", "security-measure/\(measure.id)", measure.label, categories: [], rule: ImpactRules.securityAdded,
                "A security measure was added: \(measure.label)")
        }
        let newRecipients = Set(new.recipients.map(\.id))
        for measure in pairs.removed {
            // A measure that belonged only to recipients that are gone goes with them.
            let orphaned = !measure.recipients.isEmpty && measure.recipients.allSatisfy { !newRecipients.contains($0) }
            add("security-measure-removed", "security-measure/\(measure.id)", measure.label, categories: orphaned ? [] : Array(existing),
                rule: orphaned ? ImpactRules.removed : ImpactRules.securityWeakened, "A security measure was removed: \(measure.label)")
        }
        for (before, after) in pairs.both {
            if before.recipients != after.recipients {
                let removed = before.recipients.filter { !after.recipients.contains($0) && newRecipients.contains($0) }
                add("security-measure-changed", "security-measure/\(after.id)", after.label, field: "recipients", before: .list(before.recipients),
                    after: .list(after.recipients), categories: removed.isEmpty ? [] : Array(existing),
                    rule: removed.isEmpty ? ImpactRules.securityAdded : ImpactRules.securityWeakened, "The security measure \(after.label) covers other recipients")
            }
            wording("security-measure", "security-measure/\(after.id)", after.label, field: "label", before.label, after.label, categories: [])
        }
    }
}
