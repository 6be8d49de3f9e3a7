import PolicyBase
import PolicyModel

/// Compares two versions' facts element by element, keyed by stable ids, and classifies every difference.
/// Pure: the same two versions always give the same records in the same order. Emits data, never prose.
public enum FactDiff {
    public static func compare(_ old: PolicyVersion, _ new: PolicyVersion) -> [ChangeRecord] {
        classify(old, new).records
    }

    /// The records with the newer version's declarations applied, and the declarations (by index in
    /// `new.changes`) that could not be.
    public static func classify(_ old: PolicyVersion, _ new: PolicyVersion) -> (
        records: [ChangeRecord], problems: [Int: Declarations.Problem]
    ) {
        var diff = Differ(old: old, new: new)
        diff.controllers()
        diff.categories()
        diff.purposes()
        diff.recipients()
        diff.retention()
        diff.rights()
        diff.cookies()
        diff.automatedDecisions()
        diff.securityMeasures()
        diff.commitments()
        diff.categoryGroups()
        diff.scopeItems()
        diff.factScopes()
        diff.scopeRecords()
        return Declarations.apply(new.changes, to: diff.records, held: diff.held)
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
    /// Categories the shop already holds data in: those of the older version, and those the newer one lists for
    /// the first time with `held-before: true`.
    let held: Set<String>
    /// Every held category, sorted: what a change that concerns all data touches.
    let all: [String]
    /// Categories that are new in the newer version and not marked as held before.
    let fresh: Set<String>

    init(old: PolicyVersion, new: PolicyVersion) {
        self.old = old
        self.new = new
        let before = Set(old.categories.map(\.id))
        self.held = before.union(new.categories.filter { $0.heldBefore == true }.map(\.id))
        self.all = held.sorted()
        self.fresh = Set(new.categories.map(\.id)).subtracting(held)
    }

    mutating func add(
        _ kind: ChangeKind, _ element: String, _ label: String, field: String? = nil, before: FactValue? = nil,
        after: FactValue? = nil, categories: [String], rule: ImpactRule, review: Review? = nil
    ) {
        records.append(
            ChangeRecord(
                kind: kind, element: element, label: label, field: field, before: before, after: after,
                categories: categories, rule: rule, review: review))
    }

    func text(_ value: String?) -> FactValue? { value.map(FactValue.text) }
    func flag(_ value: Bool?) -> FactValue? { value.map(FactValue.flag) }

    /// The categories of `list` the shop already holds; all held categories when the element names none.
    func heldOf(_ list: [String]) -> [String] { list.isEmpty ? all : list.filter(held.contains) }

    /// Records for the fields whose schema gives them a plain meaning (wording, wording to review, substance).
    /// Fields marked `custom` are compared by each kind's own code.
    mutating func schemaFields<F: Fact>(_ before: F, _ after: F) {
        let element = after.key
        for field in F.schema.fields {
            let b = before.value(field.key)
            let a = after.value(field.key)
            guard b != a else { continue }
            switch field.change {
            case .wording, .wordingToReview:
                add(
                    .textChanged(F.kind), element, after.title, field: field.key, before: b, after: a,
                    categories: after.categoryIDs, rule: ImpactRules.wording,
                    review: WordingReview.review(kind: F.kind, field: field, before: b, after: a, element: element))
            case .substance where Wording.sameWords(b, a):
                add(
                    .textChanged(F.kind), element, after.title, field: field.key, before: b, after: a,
                    categories: after.categoryIDs, rule: ImpactRules.wording)
            case .substance:
                // Substance written as text: a purpose's legitimate interest; an automated decision's logic,
                // consequences and ground (the only `substance` fields of the schemas).
                let (kind, rule) =
                    F.kind == .purpose
                    ? (ChangeKind.legitimateInterestChanged, ImpactRules.interestChanged)
                    : (ChangeKind.automatedDecisionChanged, ImpactRules.automatedOnExistingData)
                let touched = heldOf(after.categoryIDs)
                add(
                    kind, element, after.title, field: field.key, before: b, after: a,
                    categories: touched.isEmpty ? after.categoryIDs : touched,
                    rule: touched.isEmpty ? ImpactRules.automatedOnNewData : rule)
            case .custom, .identity:
                continue
            }
        }
    }

    // MARK: Controllers and contacts

    mutating func controllers() {
        let pairs = controllerPairing()
        func element(_ c: Controller) -> String { c.id.map { "controller/\($0)" } ?? "controller" }
        for controller in pairs.added {
            add(
                .controllerAdded, element(controller), controller.name, after: .text(controller.name), categories: all,
                rule: ImpactRules.controllerChanged)
        }
        for controller in pairs.removed {
            add(
                .controllerRemoved, element(controller), controller.name, before: .text(controller.name),
                categories: all, rule: ImpactRules.controllerChanged)
        }
        for (before, after) in pairs.both {
            let name = element(after)
            for field in ["name", "address", "email", "phone", "website", "representative", "joint", "arrangement"] {
                let b = before.value(field)
                let a = after.value(field)
                guard b != a else { continue }
                if field == "name", Wording.sameWords(b, a) {
                    add(
                        .controllerTextChanged, name, after.name, field: field, before: b, after: a, categories: [],
                        rule: ImpactRules.wording)
                    continue
                }
                add(
                    .controllerChanged, name, after.name, field: field, before: b, after: a, categories: all,
                    rule: ImpactRules.controllerChanged)
            }
            controllerCoverage(before, after, element: name)
            if before.region != after.region {
                add(
                    .controllerTextChanged, name, after.name, field: "region", before: text(before.region),
                    after: text(after.region),
                    categories: [], rule: ImpactRules.wording)
            }
            transfer(
                element: name, label: after.name, before: (before.country.map { [$0] } ?? [], before.transferGrounds),
                after: (after.country.map { [$0] } ?? [], after.transferGrounds),
                categories: all)
            contact(element: "\(name)/privacy-contact", before.privacyContact, after.privacyContact)
        }
        contact(element: "privacy-contact", old.privacyContact, new.privacyContact)
        authorities()
        if old.noticePeriodDays != new.noticePeriodDays {
            let shorter = new.noticePeriodDays < old.noticePeriodDays
            add(
                .noticePeriodChanged, "policy", new.title, field: "notice-period-days",
                before: .number(old.noticePeriodDays),
                after: .number(new.noticePeriodDays), categories: shorter ? all : [],
                rule: shorter ? ImpactRules.noticePeriodShortened : ImpactRules.noticePeriodLengthened)
        }
        if old.title != new.title {
            add(
                .policyTextChanged, "policy", new.title, field: "title", before: .text(old.title),
                after: .text(new.title), categories: [], rule: ImpactRules.wording)
        }
    }

    mutating func contact(element: String, _ before: Contact?, _ after: Contact?) {
        let label = after?.name ?? before?.name ?? after?.email ?? before?.email ?? element
        for field in Schemas.privacyContact.keys {
            let b = before?.value(field)
            let a = after?.value(field)
            guard b != a else { continue }
            let typography = field == "name" && Wording.sameWords(b, a)
            add(
                .privacyContactChanged, element, label, field: field, before: b, after: a,
                categories: typography ? [] : all,
                rule: typography ? ImpactRules.wording : ImpactRules.controllerChanged)
        }
    }

    /// Country and transfer grounds of the controller or a recipient.
    mutating func transfer(
        element: String, label: String, before: (countries: [String], grounds: [TransferGround]),
        after: (countries: [String], grounds: [TransferGround]), categories: [String]
    ) {
        let wasOutside = before.countries.contains { !Countries.isInEEA($0) }
        let isOutside = after.countries.contains { !Countries.isInEEA($0) }
        if let (kind, rule) = CountryRules.change(before: before.countries, after: after.countries) {
            add(
                kind, element, label, field: "country", before: CountryRules.value(before.countries),
                after: CountryRules.value(after.countries), categories: categories, rule: rule)
        }
        guard Set(before.grounds) != Set(after.grounds) else { return }
        // A transfer that only now leaves the EEA is new as a whole: its grounds have nothing earlier to compare with.
        if isOutside && !wasOutside { return }
        let rule: ImpactRule
        if !isOutside {
            rule = ImpactRules.wording
        } else if (before.grounds.isEmpty && !after.grounds.isEmpty && !after.grounds.contains(where: \.isDerogation))
            || (before.grounds.allSatisfy(\.isDerogation) && !after.grounds.isEmpty
                && after.grounds.allSatisfy(\.isSafeguard))
        {
            // The two favourable cases: none → a safeguard (an adequacy decision or Art. 46/47), and derogations → Art.
            // 46/47 safeguards. A derogation is not a safeguard: none → a derogation falls to the rule of doubt.
            rule = ImpactRules.transferGroundsStrengthened
        } else {
            rule = ImpactRules.transferGroundsChanged
        }
        add(
            .transferGroundsChanged, element, label, field: "transfer-grounds",
            before: .list(before.grounds.map(\.rawValue)),
            after: .list(after.grounds.map(\.rawValue)), categories: rule.impact == .editorial ? [] : categories,
            rule: rule)
    }

    // MARK: Categories

    mutating func categories() {
        let pairs = Pairing(old.categories, new.categories, id: \.id)
        for category in pairs.added {
            if category.heldBefore == true {
                add(
                    .categoryDisclosed, category.key, category.label, after: text(category.label),
                    categories: [category.id], rule: ImpactRules.categoryDisclosed)
            } else {
                add(
                    .categoryAdded, category.key, category.label, after: text(category.label),
                    categories: [category.id], rule: ImpactRules.newCategory)
            }
        }
        for category in pairs.removed {
            add(
                .categoryRemoved, category.key, category.label, before: text(category.label), categories: [category.id],
                rule: ImpactRules.removed)
        }
        for (before, after) in pairs.both {
            if before.required != after.required {
                // Less data required is better; a statement dropped is less transparent; anything else applies to
                // data collected from now on.
                let rule =
                    after.required == nil
                    ? ImpactRules.statementRemoved
                    : (before.required == true && after.required == false)
                        ? ImpactRules.removed : ImpactRules.categoryCollectionChanged
                add(
                    .categoryProvisionChanged, after.key, after.label, field: "required", before: flag(before.required),
                    after: flag(after.required),
                    categories: [after.id], rule: rule)
            }
            if before.source != after.source {
                add(
                    .categorySourceChanged, after.key, after.label, field: "source", before: text(before.source),
                    after: text(after.source),
                    categories: [after.id],
                    rule: after.source == nil ? ImpactRules.statementRemoved : ImpactRules.categoryCollectionChanged)
            }
            schemaFields(before, after)
        }
    }

    mutating func categoryGroups() {
        for (before, after) in Pairing(old.categoryGroups, new.categoryGroups, id: \.id).both {
            schemaFields(before, after)
        }
    }

    // MARK: Purposes

    mutating func purposes() {
        let pairs = Pairing(old.purposes, new.purposes, id: \.id)
        for purpose in pairs.added {
            let heldHere = purpose.categories.filter(held.contains)
            add(
                .purposeAdded, purpose.key, purpose.label, after: .list(purpose.categories),
                categories: heldHere.isEmpty ? purpose.categories : heldHere,
                rule: heldHere.isEmpty ? ImpactRules.newPurposeOnNewData : ImpactRules.newPurposeOnExistingData)
        }
        for purpose in pairs.removed {
            add(
                .purposeRemoved, purpose.key, purpose.label, before: .list(purpose.categories),
                categories: purpose.categories, rule: ImpactRules.removed)
        }
        for (before, after) in pairs.both {
            if let change = PurposeRules.bases(before: before.bases, after: after.bases) {
                let touched = heldOf(after.categories)
                // Favourable for every customer; otherwise it concerns the data held, or only new data.
                let (categories, impact) =
                    change.rule.impact == .favourable
                    ? (after.categories, change.rule)
                    : touched.isEmpty
                        ? (after.categories, ImpactRules.newPurposeOnNewData) : (touched, change.rule)
                add(
                    change.kind, after.key, after.label, field: "basis", before: before.value("basis"),
                    after: after.value("basis"), categories: categories, rule: impact)
            }
            legalReference(before, after)
            categoryLists(
                element: after.key, label: after.label, before: before.categories, after: after.categories,
                added: .purposeCategoriesAdded, removed: .purposeCategoriesRemoved,
                existingRule: ImpactRules.newPurposeOnExistingData, newRule: ImpactRules.newPurposeOnNewData,
                reviewFresh: true)
            schemaFields(before, after)
        }
    }

    /// The statute or the Art. 9(2) condition a purpose relies on: substance, like its basis.
    mutating func legalReference(_ before: Purpose, _ after: Purpose) {
        for field in ["statute", "special-category-condition"] where before.value(field) != after.value(field) {
            let touched = heldOf(after.categories)
            add(
                .purposeReferenceChanged, after.key, after.label, field: field, before: before.value(field),
                after: after.value(field), categories: touched.isEmpty ? after.categories : touched,
                rule: touched.isEmpty ? ImpactRules.newPurposeOnNewData : ImpactRules.legalReferenceChanged)
        }
    }

    /// Categories added to or removed from an element's list: added held data is `existingRule`, added new data
    /// `newRule` (flagged for review when the element already existed, since the author may have meant data already
    /// held), removed data favourable.
    mutating func categoryLists(
        element: String, label: String, before: [String], after: [String], added addedKind: ChangeKind,
        removed removedKind: ChangeKind,
        existingRule: ImpactRule, newRule: ImpactRule, reviewFresh: Bool = false
    ) {
        let added = after.filter { !before.contains($0) }
        let removed = before.filter { !after.contains($0) }
        let addedHeld = added.filter(held.contains)
        let addedNew = added.filter { !held.contains($0) }
        if !addedHeld.isEmpty {
            add(
                addedKind, element, label, field: "categories", before: .list(before), after: .list(after),
                categories: addedHeld, rule: existingRule)
        }
        if !addedNew.isEmpty {
            let ask =
                reviewFresh
                ? Review(.newCategoryOnExistingPurpose, facts: addedNew.filter(fresh.contains).map { "category/\($0)" })
                : nil
            add(
                addedKind, element, label, field: "categories", before: .list(before), after: .list(after),
                categories: addedNew, rule: newRule,
                review: ask?.facts.isEmpty == false ? ask : nil)
        }
        if !removed.isEmpty {
            add(
                removedKind, element, label, field: "categories", before: .list(before), after: .list(after),
                categories: removed, rule: ImpactRules.removed)
        }
    }

    // MARK: Recipients

    mutating func recipients() {
        let pairs = Pairing(old.recipients, new.recipients, id: \.id)
        for recipient in pairs.added {
            let heldHere = recipient.categories.filter(held.contains)
            add(
                .recipientAdded, recipient.key, recipient.name, after: .list(recipient.categories),
                categories: heldHere.isEmpty ? recipient.categories : heldHere,
                rule: heldHere.isEmpty ? ImpactRules.recipientGetsNewData : ImpactRules.recipientGetsExistingData)
            if let country = recipient.country, !Countries.isInEEA(country), !heldHere.isEmpty {
                add(
                    .transferIntroduced, recipient.key, recipient.name, field: "country", after: .text(country),
                    categories: heldHere,
                    rule: ImpactRules.transferIntroduced)
            }
        }
        for recipient in pairs.removed {
            add(
                .recipientRemoved, recipient.key, recipient.name, before: .list(recipient.categories),
                categories: recipient.categories, rule: ImpactRules.removed)
        }
        for (before, after) in pairs.both {
            let element = after.key
            // What the recipient held before and still receives: the data its changes concern.
            let touched = after.categories.filter { held.contains($0) }
            func notifyOrFuture(_ rule: ImpactRule) -> (categories: [String], rule: ImpactRule) {
                touched.isEmpty ? (after.categories, ImpactRules.recipientGetsNewData) : (touched, rule)
            }
            if before.name != after.name, Wording.sameWords(before.name, after.name) {
                add(
                    .recipientTextChanged, element, after.name, field: "name", before: .text(before.name),
                    after: .text(after.name), categories: [], rule: ImpactRules.wording)
            } else if before.name != after.name {
                let (categories, rule) = notifyOrFuture(ImpactRules.recipientRenamed)
                add(
                    .recipientRenamed, element, after.name, field: "name", before: .text(before.name),
                    after: .text(after.name), categories: categories, rule: rule)
            }
            if before.role != after.role {
                let (categories, rule) = notifyOrFuture(ImpactRules.recipientRoleChanged)
                add(
                    .recipientRoleChanged, element, after.name, field: "role", before: text(before.role?.rawValue),
                    after: text(after.role?.rawValue),
                    categories: categories, rule: rule)
            }
            categoryLists(
                element: element, label: after.name, before: before.categories, after: after.categories,
                added: .recipientCategoriesAdded, removed: .recipientCategoriesRemoved,
                existingRule: ImpactRules.recipientGetsExistingData, newRule: ImpactRules.recipientGetsNewData)
            recipientPurposes(before, after)
            recipientAreas(before, after, touched: touched)
            if before.optOutURL != after.optOutURL {
                let rule = OptOutRules.change(before: before.optOutURL, after: after.optOutURL)
                add(
                    .recipientOptOutChanged, element, after.name, field: "opt-out-url", before: text(before.optOutURL),
                    after: text(after.optOutURL),
                    categories: rule.impact == .notify ? (touched.isEmpty ? all : touched) : [], rule: rule)
            }
            transfer(
                element: element, label: after.name, before: (before.countries, before.transferGrounds),
                after: (after.countries, after.transferGrounds),
                categories: touched.isEmpty ? after.categories : touched)
            if before.ownPurposes != after.ownPurposes {
                let allowed = after.ownPurposes == true || (after.ownPurposes == nil && before.ownPurposes == false)
                let (categories, rule) =
                    allowed
                    ? notifyOrFuture(ImpactRules.ownPurposesAllowed) : (after.categories, ImpactRules.ownPurposesEnded)
                add(
                    .recipientOwnPurposesChanged, element, after.name, field: "own-purposes",
                    before: flag(before.ownPurposes),
                    after: flag(after.ownPurposes), categories: categories, rule: rule)
            }
            schemaFields(before, after)
        }
    }

    /// Where a recipient stores the data and accesses it from: a wider area is a weaker promise, for the data it
    /// holds already (or, for new data only, `future`).
    mutating func recipientAreas(_ before: Recipient, _ after: Recipient, touched: [String]) {
        for key in ["stored-in", "accessed-from"] {
            let was = before.value(key)?.list ?? []
            let now = after.value(key)?.list ?? []
            guard was != now else { continue }
            let rule = AreaRules.change(key, before: was, after: now) ?? ImpactRules.wording
            let (categories, impact) =
                rule.impact != .notify
                ? (rule.impact == .editorial ? [] : after.categories, rule)
                : touched.isEmpty ? (after.categories, ImpactRules.recipientGetsNewData) : (touched, rule)
            add(
                .recipientAreaChanged, after.key, after.name, field: key, before: before.value(key),
                after: after.value(key), categories: categories, rule: impact)
        }
    }

    /// A recipient's purposes: a new one concerns the data that purpose uses and the recipient receives; a removed
    /// one is favourable.
    mutating func recipientPurposes(_ before: Recipient, _ after: Recipient) {
        let element = after.key
        let purposesAdded = after.purposes.filter { !before.purposes.contains($0) }
        let purposesRemoved = before.purposes.filter { !after.purposes.contains($0) }
        if !purposesAdded.isEmpty {
            // A new purpose concerns the data that purpose uses and the recipient receives, not all it receives.
            let used = Set(new.purposes.filter { purposesAdded.contains($0.id) }.flatMap(\.categories))
            // When the purpose names none of the data the recipient receives, what it processes for it cannot be
            // told apart: all the recipient receives is concerned (rule of doubt).
            let named = after.categories.filter(used.contains)
            let concerned = named.isEmpty ? after.categories : named
            let heldHere = concerned.filter(held.contains)
            add(
                .recipientPurposesAdded, element, after.name, field: "purposes", before: .list(before.purposes),
                after: .list(after.purposes),
                categories: heldHere.isEmpty ? concerned : heldHere,
                rule: heldHere.isEmpty
                    ? ImpactRules.recipientPurposesAddedNewData : ImpactRules.recipientPurposesAdded)
        }
        if !purposesRemoved.isEmpty {
            add(
                .recipientPurposesRemoved, element, after.name, field: "purposes", before: .list(before.purposes),
                after: .list(after.purposes),
                categories: after.categories, rule: ImpactRules.removed)
        }
    }

    // MARK: Retention

    /// Retention is compared per category: ids of retention elements may be regrouped freely. A category's periods
    /// (one, or several counted from different events) are compared as one canonical text.
    mutating func retention() {
        let before = Self.periods(old)
        let after = Self.periods(new)
        let canonical = { (items: [Retention]?) in Self.canonical(items, names: [:]) }
        let newCategories = Set(new.categories.map(\.id))
        let oldCategories = Set(old.categories.map(\.id))
        // Group categories by (old period, new period) so one record covers all categories that changed alike.
        var groups: [String: (before: [Retention]?, after: [Retention]?, categories: [String])] = [:]
        var order: [String] = []
        let ordered = new.categories.map(\.id) + old.categories.map(\.id).filter { !newCategories.contains($0) }
        for category in ordered {
            let b = before[category]
            let a = after[category]
            guard canonical(b) != canonical(a) else { continue }
            let key = "\(canonical(b) ?? "-")→\(canonical(a) ?? "-")"
            if groups[key] == nil {
                order.append(key)
                groups[key] = (b, a, [])
            }
            groups[key]!.categories.append(category)
        }
        let (oldNames, newNames) = (Self.names(old), Self.names(new))
        for key in order {
            let (b, a, categories) = groups[key]!
            let element = "retention/\((a?.first ?? b?.first)!.id)"
            let label = (a?.first ?? b?.first)!.id
            // Compared by the holders' ids, shown by their names.
            let beforeText = Self.canonical(b, names: oldNames).map(FactValue.text)
            let afterText = Self.canonical(a, names: newNames).map(FactValue.text)
            let heldHere = categories.filter(held.contains)
            if heldHere.isEmpty {
                add(
                    .retentionAdded, element, label, field: "period", before: beforeText, after: afterText,
                    categories: categories,
                    rule: a == nil ? ImpactRules.removed : ImpactRules.retentionNewData)
                continue
            }
            if a == nil && categories.allSatisfy({ oldCategories.contains($0) && !newCategories.contains($0) }) {
                // The categories themselves are gone, and their periods with them.
                add(
                    .retentionRemoved, element, label, field: "period", before: beforeText, categories: categories,
                    rule: ImpactRules.removed)
                continue
            }
            let shorter = Self.provablyShorter(b, a)
            let kind: ChangeKind =
                a == nil
                ? .retentionRemoved
                : b == nil
                    ? .retentionStated
                    : shorter
                        ? .retentionShortened
                        : Self.provablyLonger(b, a) ? .retentionLengthened : .retentionChanged
            let precision = Self.single(b, a).flatMap { RetentionRules.precision(before: $0.0, after: $0.1) }
            add(
                precision == nil ? kind : .retentionChanged, element, label, field: "period", before: beforeText,
                after: afterText, categories: heldHere,
                rule: precision ?? (shorter ? ImpactRules.retentionShorter : ImpactRules.retentionLonger))
        }
        retentionBackups()
        // Statutes, and criteria beside a stated period, are reasons, not periods: a changed citation is wording.
        let oldByID = Dictionary(old.retention.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for item in new.retention {
            guard let previous = oldByID[item.id], previous.period == item.period else { continue }
            for field in ["statute", "criteria"] where previous.value(field) != item.value(field) {
                add(
                    .retentionTextChanged, item.key, item.id, field: field, before: previous.value(field),
                    after: item.value(field),
                    categories: item.categories, rule: ImpactRules.wording)
            }
        }
    }

    /// How long backups outlive deletion, for a period that stays (by id): it concerns the data held, or only new data.
    mutating func retentionBackups() {
        for (before, after) in Pairing(old.retention, new.retention, id: \.id).both
        where before.backups != after.backups {
            let rule = RetentionRules.backups(before: before.backups, after: after.backups)
            let heldHere = after.categories.filter(held.contains)
            let (categories, impact) =
                rule.impact == .notify && heldHere.isEmpty
                ? (after.categories, ImpactRules.retentionNewData)
                : (rule.impact == .notify ? heldHere : after.categories, rule)
            add(
                .retentionBackupsChanged, after.key, after.id, field: "backups", before: before.value("backups"),
                after: after.value("backups"), categories: categories, rule: impact)
        }
    }

    static func start(_ retention: Retention) -> RetentionStart { retention.from ?? .collection }

    /// Each category's periods, the shop's and its recipients'.
    static func periods(_ version: PolicyVersion) -> [String: [Retention]] {
        var map: [String: [Retention]] = [:]
        for item in version.retention {
            for category in item.categories { map[category, default: []].append(item) }
        }
        return map
    }

    /// A category's periods as one text, `P1Y + P2Y held by tracker`: a recipient's period is told apart by its
    /// holder, named by `names` (recipient id to name) where given.
    static func canonical(_ items: [Retention]?, names: [String: String]) -> String? {
        guard let items, !items.isEmpty else { return nil }
        let texts = items.compactMap { item in
            item.period.map { period in item.holder.map { "\(period) held by \(names[$0] ?? $0)" } ?? period }
        }
        return texts.isEmpty ? nil : texts.sorted().joined(separator: " + ")
    }

    static func names(_ version: PolicyVersion) -> [String: String] {
        Dictionary(version.recipients.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// The one period of a category before and after, where it has one in each version.
    static func single(_ before: [Retention]?, _ after: [Retention]?) -> (Retention, Retention)? {
        guard let before, let after, before.count == 1, after.count == 1 else { return nil }
        return (before[0], after[0])
    }

    /// True only when every possible length of the new period is below every possible length of the old one. An
    /// indefinite period is longer than any other.
    static func provablyShorter(_ before: [Retention]?, _ after: [Retention]?) -> Bool {
        guard let (b, a) = single(before, after), b.holder == a.holder else { return false }
        if !b.ends.isEmpty && !a.ends.isEmpty { return RetentionRules.endsSooner(before: b.ends, after: a.ends) }
        if b.indefinitely == true { return a.indefinitely != true && a.period != nil && a.criteria == nil }
        guard let bd = b.duration, let ad = a.duration, start(b) == start(a) else {
            // Counting from a different event, or ending at an event, cannot be proven shorter.
            return false
        }
        return ad.dayBounds.upperBound < bd.dayBounds.lowerBound
    }

    static func provablyLonger(_ before: [Retention]?, _ after: [Retention]?) -> Bool {
        guard let (b, a) = single(before, after), b.holder == a.holder else { return false }
        if !b.ends.isEmpty && !a.ends.isEmpty { return RetentionRules.endsSooner(before: a.ends, after: b.ends) }
        if a.indefinitely == true { return b.indefinitely != true }
        guard let bd = b.duration, let ad = a.duration, start(b) == start(a) else { return false }
        return ad.dayBounds.lowerBound > bd.dayBounds.upperBound
    }

    // MARK: Rights

    mutating func rights() {
        let pairs = Pairing(old.rights, new.rights, id: \.id)
        for right in pairs.added {
            add(.rightAdded, right.key, right.label, categories: [], rule: ImpactRules.rightImproved)
        }
        for right in pairs.removed {
            add(.rightRemoved, right.key, right.label, categories: all, rule: ImpactRules.rightRemoved)
        }
        for (before, after) in pairs.both {
            if before.response != after.response {
                let shorter: Bool
                if let b = before.response, let a = after.response {
                    shorter = a.dayBounds.upperBound < b.dayBounds.lowerBound
                } else {
                    shorter = false
                }
                add(
                    .rightResponseChanged, after.key, after.label, field: "response", before: before.value("response"),
                    after: after.value("response"), categories: shorter ? [] : all,
                    rule: shorter ? ImpactRules.rightImproved : ImpactRules.rightRemoved)
            }
            if Set(before.channels) != Set(after.channels) {
                let onlyAdded = Set(before.channels).isSubset(of: Set(after.channels))
                add(
                    .rightChannelsChanged, after.key, after.label, field: "channels", before: before.value("channels"),
                    after: after.value("channels"), categories: onlyAdded ? [] : all,
                    rule: onlyAdded ? ImpactRules.rightImproved : ImpactRules.rightRemoved)
            }
            let (lawBefore, lawAfter) = (before.law ?? .gdpr, after.law ?? .gdpr)
            if lawBefore != lawAfter {
                // Another law gives the right on other terms and to other people: it cannot be shown harmless.
                add(
                    .rightLawChanged, after.key, after.label, field: "law", before: .text(lawBefore.rawValue),
                    after: .text(lawAfter.rawValue), categories: all, rule: ImpactRules.rightRemoved)
            }
            schemaFields(before, after)
        }
    }

    // MARK: Cookies, automated decisions, security, commitments

    mutating func cookies() {
        let pairs = Pairing(old.cookies, new.cookies, id: \.id)
        for cookie in pairs.added {
            add(.cookieAdded, cookie.key, cookie.name, categories: cookie.categories, rule: ImpactRules.newCookie)
        }
        for cookie in pairs.removed {
            add(.cookieRemoved, cookie.key, cookie.name, categories: cookie.categories, rule: ImpactRules.removed)
        }
        for (before, after) in pairs.both {
            for field in Schemas.cookie.fields where field.change != .identity {
                let b = before.value(field.key)
                let a = after.value(field.key)
                guard b != a else { continue }
                let rule: ImpactRule
                switch field.key {
                case "consent":
                    // Asking consent is better; no longer asking (or no longer saying) cannot be shown harmless.
                    rule =
                        after.consent == true
                        ? ImpactRules.removed
                        : before.consent == true || a == nil ? ImpactRules.statementRemoved : ImpactRules.newCookie
                case "lifetime":
                    rule =
                        a == nil
                        ? ImpactRules.statementRemoved
                        : Self.cookieShorter(before.lifetime, after.lifetime)
                            ? ImpactRules.removed : ImpactRules.newCookie
                case "consent-category":
                    rule = CookieRules.consentCategory(before: before.consentCategory, after: after.consentCategory)
                case "categories":
                    rule = CookieRules.collected(before: before.categories, after: after.categories)
                case "provider":
                    let removed = Set(b?.list ?? []).subtracting(a?.list ?? [])
                    rule =
                        a == nil
                        ? ImpactRules.statementRemoved : removed.isEmpty ? ImpactRules.newCookie : ImpactRules.removed
                default:
                    // A value taken away is never `future`: it only takes something away, and cannot be shown harmless.
                    rule = a == nil ? ImpactRules.statementRemoved : ImpactRules.newCookie
                }
                // A cookie's change concerns the data it collects, when the policy says which (else all data held).
                add(
                    .cookieChanged, after.key, after.name, field: field.key, before: b, after: a,
                    categories: rule.impact == .notify ? heldOf(after.categories) : after.categories, rule: rule)
            }
        }
    }

    static func cookieShorter(_ before: CookieLifetime?, _ after: CookieLifetime?) -> Bool {
        switch (before, after) {
        case (.persistent?, .session?), (.duration?, .session?): return true
        case (.duration(let b)?, .duration(let a)?): return a.dayBounds.upperBound < b.dayBounds.lowerBound
        default: return false
        }
    }

    mutating func automatedDecisions() {
        let pairs = Pairing(old.automatedDecisions, new.automatedDecisions, id: \.id)
        for decision in pairs.added {
            let heldHere = decision.categories.filter(held.contains)
            add(
                .automatedDecisionAdded, decision.key, decision.label, after: .list(decision.categories),
                categories: heldHere.isEmpty ? decision.categories : heldHere,
                rule: heldHere.isEmpty ? ImpactRules.automatedOnNewData : ImpactRules.automatedOnExistingData)
        }
        for decision in pairs.removed {
            add(
                .automatedDecisionRemoved, decision.key, decision.label, categories: decision.categories,
                rule: ImpactRules.removed)
        }
        for (before, after) in pairs.both {
            if before.profiling != after.profiling {
                let touched = heldOf(after.categories)
                add(
                    .automatedDecisionChanged, after.key, after.label, field: "profiling",
                    before: .flag(before.profiling), after: .flag(after.profiling),
                    categories: after.profiling ? touched : after.categories,
                    rule: !after.profiling
                        ? ImpactRules.removed
                        : touched.isEmpty ? ImpactRules.automatedOnNewData : ImpactRules.automatedOnExistingData)
            }
            categoryLists(
                element: after.key, label: after.label, before: before.categories, after: after.categories,
                added: .automatedDecisionCategoriesAdded, removed: .automatedDecisionCategoriesRemoved,
                existingRule: ImpactRules.automatedOnExistingData, newRule: ImpactRules.automatedOnNewData)
            schemaFields(before, after)
        }
    }

    mutating func securityMeasures() {
        let pairs = Pairing(old.securityMeasures, new.securityMeasures, id: \.id)
        for measure in pairs.added {
            add(.securityMeasureAdded, measure.key, measure.label, categories: [], rule: ImpactRules.securityAdded)
        }
        let newRecipients = Set(new.recipients.map(\.id))
        for measure in pairs.removed {
            // A measure that belonged only to recipients that are gone goes with them.
            let orphaned = !measure.recipients.isEmpty && measure.recipients.allSatisfy { !newRecipients.contains($0) }
            add(
                .securityMeasureRemoved, measure.key, measure.label, categories: orphaned ? [] : all,
                rule: orphaned ? ImpactRules.removed : ImpactRules.securityWeakened)
        }
        for (before, after) in pairs.both {
            if before.recipients != after.recipients {
                let removed = before.recipients.filter { !after.recipients.contains($0) && newRecipients.contains($0) }
                add(
                    .securityMeasureChanged, after.key, after.label, field: "recipients",
                    before: .list(before.recipients),
                    after: .list(after.recipients), categories: removed.isEmpty ? [] : all,
                    rule: removed.isEmpty ? ImpactRules.securityAdded : ImpactRules.securityWeakened)
            }
            schemaFields(before, after)
        }
    }

    /// A promise removed, reworded or narrowed is told to the customers whose data it covered; a new or wider one is
    /// favourable. Its label is the promise itself, so rewording it counts as changing it.
    mutating func commitments() {
        let pairs = Pairing(old.commitments, new.commitments, id: \.id)
        for commitment in pairs.added {
            add(
                .commitmentAdded, commitment.key, commitment.label, after: .text(commitment.label), categories: [],
                rule: ImpactRules.commitmentAdded)
        }
        for commitment in pairs.removed {
            add(
                .commitmentRemoved, commitment.key, commitment.label, before: .text(commitment.label),
                categories: heldOf(commitment.categories),
                rule: ImpactRules.commitmentWeakened)
        }
        for (before, after) in pairs.both {
            if before.label != after.label {
                let typography = Wording.sameWords(before.label, after.label)
                add(
                    .commitmentChanged, after.key, after.label, field: "label", before: .text(before.label),
                    after: .text(after.label),
                    categories: typography ? [] : heldOf(before.categories),
                    rule: typography ? ImpactRules.wording : ImpactRules.commitmentWeakened)
            }
            guard Set(before.categories) != Set(after.categories) else { continue }
            // An empty list covers all data: going from it to a list narrows the promise.
            let was = Set(before.categories.isEmpty ? all : before.categories)
            let now = Set(after.categories.isEmpty ? all + Array(fresh) : after.categories)
            let lost = was.subtracting(now).filter(held.contains).sorted()
            add(
                lost.isEmpty ? .commitmentCategoriesAdded : .commitmentCategoriesRemoved, after.key, after.label,
                field: "categories",
                before: .list(before.categories), after: .list(after.categories), categories: lost,
                rule: lost.isEmpty ? ImpactRules.commitmentAdded : ImpactRules.commitmentWeakened)
        }
    }
}
