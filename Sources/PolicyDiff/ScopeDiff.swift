import PolicyBase
import PolicyModel

/// The customers a change concerns, by scope: those of some services (scope item ids) and/or those living in some
/// regions. A record without one (`ChangeRecord.scope == nil`) concerns every customer.
public struct ChangeScope: Codable, Hashable, Sendable {
    public var services: [String]
    public var regions: [String]

    public init(services: [String] = [], regions: [String] = []) {
        self.services = services
        self.regions = regions
    }

    /// The scope of a fact or controller as written; nil when it applies everywhere.
    public init?(_ applies: AppliesTo) {
        guard !applies.isEverywhere else { return nil }
        self.init(services: applies.services, regions: applies.regions)
    }

    public var appliesTo: AppliesTo { AppliesTo(services: services, regions: regions) }
}

/// How a change of where a fact applies is classified: one pure decision (docs/changes.md, "Scope").
public enum ScopeRules {
    /// What a fact of a kind does to customers: a burden (data used, shared, kept, decided on, collected) or a
    /// protection (a right, a promise, a security measure).
    public static func isProtection(_ kind: FactKind) -> Bool {
        kind == .right || kind == .commitment || kind == .securityMeasure
    }

    /// A fact that now applies to more customers (`widened`) or to fewer. A burden reaching customers already
    /// served concerns their data held: notify, or future when it concerns only data collected from now on (a
    /// category, or a fact on new categories only); a burden lifted is favourable. A protection reaching more
    /// customers is favourable; one taken from some is notify for them.
    public static func rule(kind: FactKind, widened: Bool, concernsHeldData: Bool) -> ImpactRule {
        switch (isProtection(kind), widened) {
        case (true, true): ImpactRules.scopeProtectionWidened
        case (true, false): ImpactRules.scopeProtectionNarrowed
        case (false, false): ImpactRules.scopeBurdenNarrowed
        case (false, true):
            kind == .category || kind == .categoryGroup || !concernsHeldData
                ? ImpactRules.scopeBurdenWidenedNewData : ImpactRules.scopeBurdenWidened
        }
    }
}

extension ImpactRules {
    public static let scopeAdded = ImpactRule(
        id: "scope-added", impact: .future,
        description:
            "A service, product, website, brand or group company is brought under the policy: its customers are informed when their data is collected (GDPR Art. 13(1)); nobody else's data is concerned"
    )
    public static let scopeRemoved = ImpactRule(
        id: "scope-removed", impact: .notify,
        description:
            "A service or brand is no longer covered by the policy: its customers' data held loses the policy's statements (GDPR Art. 13(3); rule of doubt)"
    )
    public static let scopeChanged = ImpactRule(
        id: "scope-changed", impact: .notify,
        description:
            "The company the shop processes a service's data for, as its processor, changed (GDPR Art. 13(1)(a), 28; rule of doubt)"
    )
    public static let scopeBurdenWidened = ImpactRule(
        id: "applies-to-widened", impact: .notify,
        description:
            "A purpose, recipient, retention period, cookie or automated decision now applies to customers of more services or regions, whose data is already held: notify them (GDPR Art. 13(3); WP260 para. 29)"
    )
    public static let scopeBurdenWidenedNewData = ImpactRule(
        id: "applies-to-widened-new-data", impact: .future,
        description:
            "A category, or a fact on data collected from now on only, now applies to customers of more services or regions (GDPR Art. 13(1))"
    )
    public static let scopeBurdenNarrowed = ImpactRule(
        id: "applies-to-narrowed", impact: .favourable,
        description:
            "A purpose, recipient, retention period, cookie, category or automated decision now applies to customers of fewer services or regions"
    )
    public static let scopeProtectionWidened = ImpactRule(
        id: "protection-widened", impact: .favourable,
        description: "A right, promise or security measure now applies to customers of more services or regions")
    public static let scopeProtectionNarrowed = ImpactRule(
        id: "protection-narrowed", impact: .notify,
        description:
            "A right, promise or security measure no longer applies to customers of some services or regions: notify them (GDPR Art. 12, 13(2)(b); WP260 para. 29)"
    )
    public static let controllerCoverageChanged = ImpactRule(
        id: "controller-coverage-changed", impact: .notify,
        description:
            "A controller takes over or gives up some services or regions: the customers of those, and only those, have another controller (GDPR Art. 13(1)(a); WP260 para. 29)"
    )
}

extension Differ {
    /// Controllers are paired by their id; a sole controller written without one is the same as the controller with
    /// the same name (else the same email or address) in the other version, so writing it into a list is no change
    /// of controller and a real change of its address still shows.
    func controllerPairing() -> Pairing<Controller> {
        var pairs = Pairing(old.controllers, new.controllers, id: { $0.id ?? "" })
        for removed in pairs.removed {
            guard
                let index = pairs.added.firstIndex(where: { added in
                    (removed.id == nil || added.id == nil)
                        && (added.name == removed.name
                            || (added.email != nil && added.email == removed.email)
                            || (added.address != nil && added.address == removed.address))
                })
            else { continue }
            pairs.both.append((removed, pairs.added.remove(at: index)))
            pairs.removed.removeAll { $0 == removed }
        }
        return pairs
    }

    /// The customers of the services and regions a controller took over or gave up: they, and only they, have
    /// another controller. From (or to) all services, the others are the declared ones it does not keep; a change of
    /// its regions to or from everywhere cannot be bounded and concerns everyone.
    mutating func controllerCoverage(_ before: Controller, _ after: Controller, element: String) {
        guard before.appliesTo != after.appliesTo else { return }
        let declared = Set((old.scope + new.scope).map(\.id))
        let was = AppliesTo(before.appliesTo, declared: declared)
        let now = AppliesTo(after.appliesTo, declared: declared)
        let everyService = (old.scope + new.scope).map(\.id).reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        func services(_ applies: AppliesTo) -> [String] { applies.services.isEmpty ? everyService : applies.services }
        let moved = symmetricDifference(services(was), services(now))
        let regionsMoved = Set(was.regions) != Set(now.regions)
        let scope: ChangeScope? =
            regionsMoved && (was.regions.isEmpty || now.regions.isEmpty)
            ? nil
            : ChangeScope(
                services: moved.isEmpty && regionsMoved ? now.services : moved,
                regions: regionsMoved ? symmetricDifference(was.regions, now.regions) : now.regions)
        add(
            .controllerCoverageChanged, element, after.name, field: "applies-to", before: .list(before.appliesTo),
            after: .list(after.appliesTo), categories: all, rule: ImpactRules.controllerCoverageChanged)
        records[records.count - 1].scope = scope.flatMap { $0.services.isEmpty && $0.regions.isEmpty ? nil : $0 }
    }

    func symmetricDifference(_ a: [String], _ b: [String]) -> [String] {
        a.filter { !b.contains($0) } + b.filter { !a.contains($0) }
    }

    /// The front matter's scope items: one brought under the policy is future for its own customers; one taken out
    /// is notify for them; a relabelled one is wording.
    mutating func scopeItems() {
        let pairs = Pairing(old.scope, new.scope, id: \.id)
        func add(
            _ kind: ChangeKind, _ item: ScopeItem, _ rule: ImpactRule, field: String? = nil, before: FactValue?,
            after: FactValue?, categories: [String]
        ) {
            self.add(
                kind, "scope/\(item.id)", item.label, field: field, before: before, after: after,
                categories: categories, rule: rule)
            records[records.count - 1].scope = ChangeScope(services: [item.id])
        }
        for item in pairs.added {
            add(.scopeAdded, item, ImpactRules.scopeAdded, before: nil, after: .text(item.label), categories: [])
        }
        for item in pairs.removed {
            add(.scopeRemoved, item, ImpactRules.scopeRemoved, before: .text(item.label), after: nil, categories: all)
        }
        for (before, after) in pairs.both {
            if before.label != after.label || before.kind != after.kind {
                let field = before.label != after.label ? "label" : "kind"
                add(
                    .scopeTextChanged, after, ImpactRules.wording, field: field, before: before.value(field),
                    after: after.value(field), categories: [])
            }
            if before.onBehalfOf != after.onBehalfOf {
                add(
                    .scopeChanged, after, ImpactRules.scopeChanged, field: "on-behalf-of",
                    before: before.value("on-behalf-of"), after: after.value("on-behalf-of"), categories: all)
            }
        }
    }

    /// Facts whose `applies-to` changed: the customers newly reached or no longer reached, classified by
    /// `ScopeRules`.
    mutating func factScopes() {
        let keys = Set(old.scopes.keys).union(new.scopes.keys).sorted()
        for key in keys {
            guard let fact = new.fact(key), old.fact(key) != nil else { continue }
            let was = old.appliesTo(key)
            let now = new.appliesTo(key)
            let kind = type(of: fact).kind
            let held = heldOf(fact.categoryIDs)
            let concernsHeld = !(fact.categoryIDs.isEmpty ? all : fact.categoryIDs).filter(self.held.contains).isEmpty
            for (mine, other) in [(\AppliesTo.services, \AppliesTo.regions), (\.regions, \.services)] {
                let before = was[keyPath: mine]
                let after = now[keyPath: mine]
                guard Set(before) != Set(after) else { continue }
                // From everywhere to some is narrowing; from some to everywhere widening; else both may happen.
                let gained = before.isEmpty ? [] : after.isEmpty ? nil : after.filter { !before.contains($0) }
                let lost = after.isEmpty ? [] : before.isEmpty ? nil : before.filter { !after.contains($0) }
                for (items, widened) in [(gained, true), (lost, false)] {
                    guard items.map({ !$0.isEmpty }) ?? true else { continue }
                    let rule = ScopeRules.rule(kind: kind, widened: widened, concernsHeldData: concernsHeld)
                    add(
                        widened ? .appliesToWidened : .appliesToNarrowed, key, fact.title, field: "applies-to",
                        before: .list(was.items), after: .list(now.items),
                        categories: rule.impact == .notify ? held : fact.categoryIDs, rule: rule)
                    var scope = AppliesTo()
                    scope[keyPath: mine] = items ?? []
                    scope[keyPath: other] = now[keyPath: other]
                    records[records.count - 1].scope = items == nil ? nil : ChangeScope(scope)
                }
            }
        }
    }

    /// Every other record of a fact or controller that applies to some customers only concerns those customers: the
    /// scope of the older and the newer version together (everyone when either applies everywhere).
    mutating func scopeRecords() {
        for index in records.indices where records[index].scope == nil {
            let element = records[index].element
            let before = applies(element, in: old)
            let after = applies(element, in: new)
            guard let was = before ?? after, let now = after ?? before else { continue }
            if was.isEverywhere || now.isEverywhere { continue }
            let services = was.services.isEmpty || now.services.isEmpty ? [] : union(was.services, now.services)
            let regions = was.regions.isEmpty || now.regions.isEmpty ? [] : union(was.regions, now.regions)
            records[index].scope = ChangeScope(AppliesTo(services: services, regions: regions))
        }
    }

    func union(_ a: [String], _ b: [String]) -> [String] { a + b.filter { !a.contains($0) } }

    /// Where `element` applies in `version`: a fact's or a controller's `applies-to`; nil for an element that
    /// is not there (added or removed: the other version's scope decides) and for elements that have no scope.
    func applies(_ element: String, in version: PolicyVersion) -> AppliesTo? {
        let parts = element.split(separator: "/").map(String.init)
        if parts.first == "controller" {
            let id = parts.count > 1 && parts[1] != "privacy-contact" ? parts[1] : nil
            guard let controller = version.controllers.first(where: { $0.id == id }) else { return nil }
            return AppliesTo(controller.appliesTo, declared: Set(version.scope.map(\.id)))
        }
        guard let head = parts.first, FactKind(rawValue: head) != nil else { return nil }
        return version.fact(element) == nil ? nil : version.appliesTo(element)
    }
}
