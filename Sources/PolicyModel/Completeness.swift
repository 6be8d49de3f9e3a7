import PolicyBase
import PolicySource

/// Warnings for what GDPR Art. 13 asks a policy to state and this one does not. They are warnings, not errors:
/// the compiler reports what is missing instead of inventing it. A policy that deliberately leaves something out
/// says so in `not-stated`, which silences the warning and records the reason.
extension CompileState {
    mutating func checkCompleteness(controllers: [Controller], contact: Contact?, authority: Authority?, front: Fields)
    {
        checkControllers(controllers)
        if authority == nil {
            warnUnlessWaived(
                "no supervisory authority; add 'supervisory-authority' so customers know where to complain (GDPR Art. 13(2)(d))",
                .authorityMissing, element: nil, at: document.frontMatterLocation)
        }
        checkRetentionOverlap()
        warnForSchemaFields()
        checkCategoriesHeldAndUsed()
        checkTransfers()
        checkRights()
    }

    /// Art. 13(1)(a) and (f), Art. 27: each controller's contact details, and for one outside the EEA its transfer
    /// grounds and representative.
    mutating func checkControllers(_ controllers: [Controller]) {
        for (index, controller) in controllers.enumerated() {
            let base =
                controllers.count > 1 ? "front/controller/\(controller.id ?? String(index + 1))" : "front/controller"
            let name = controllers.count > 1 ? "controller '\(controller.id ?? String(index + 1))'" : "the controller"
            if controller.email == nil, controller.phone == nil, controller.address == nil {
                warnUnlessWaived(
                    "\(name) has no address, email or phone; add contact details (GDPR Art. 13(1)(a))",
                    .controllerContactMissing,
                    element: nil, at: map.best(base))
            }
            if let country = controller.country, !Countries.isInEEA(country) {
                if controller.transferGrounds.isEmpty && !written("\(base)/transfer-grounds") {
                    warnUnlessWaived(
                        "\(name) is outside the EEA (\(country)) with no transfer grounds; add 'transfer-grounds:' (GDPR Art. 13(1)(f))",
                        .transferGroundsMissing, element: nil, at: map.best("\(base)/country", base))
                }
                if controller.representative == nil {
                    warnUnlessWaived(
                        "\(name) is outside the EEA (\(country)) and names no representative in the Union; add 'representative:' (GDPR Art. 27, 13(1)(a))",
                        .representativeMissing, element: nil, at: map.best("\(base)/country", base))
                }
            }
            if let country = controller.country, Countries.isInEEA(country), !controller.transferGrounds.isEmpty {
                sink.warning(
                    "\(name) is in the EEA (\(country)); transfer grounds are not needed", .transferGroundsUnneeded,
                    at: map.best("\(base)/transfer-grounds", base))
            }
        }
    }

    /// Art. 13(2)(a): every category has a retention period; every category serves a purpose.
    mutating func checkCategoriesHeldAndUsed() {
        let usedByPurposes = Set(purposes.flatMap(\.categories))
        var retained = Set(retention.flatMap(\.categories))
        for item in retention where item.period == nil {
            for category in item.categories { retained.remove(category) }
        }
        for category in categories {
            let at = map.best("category/\(category.id)")
            if !retained.contains(category.id) {
                warnUnlessWaived(
                    "category '\(category.id)' has no retention period; add a retention block (GDPR Art. 13(2)(a))",
                    .retentionMissing,
                    element: "category/\(category.id)", at: at)
            }
            if !usedByPurposes.contains(category.id) {
                warnUnlessWaived(
                    "category '\(category.id)' is used by no purpose; list it in a purpose or remove it",
                    .categoryUnused,
                    element: "category/\(category.id)", at: at)
            }
        }
    }

    /// Art. 13(1)(f): a recipient outside the EEA needs transfer grounds; one inside needs none.
    mutating func checkTransfers() {
        for recipient in recipients { checkAreas(recipient) }
        for recipient in recipients {
            let element = "recipient/\(recipient.id)"
            guard !recipient.countries.isEmpty else {
                if !recipient.transferGrounds.isEmpty {
                    sink.warning(
                        "recipient '\(recipient.id)' states transfer grounds but no country; add 'country:' so customers know where the data goes (GDPR Art. 13(1)(f))",
                        .transferWithoutCountry, at: map.best("\(element)/transfer-grounds", element))
                }
                continue
            }
            // Each country outside the EEA is a transfer that needs its grounds.
            for country in recipient.countries
            where !Countries.isInEEA(country) && recipient.transferGrounds.isEmpty
                && !written("\(element)/transfer-grounds")
            {
                warnUnlessWaived(
                    "recipient '\(recipient.id)' is outside the EEA (\(country)) with no transfer grounds; add 'transfer-grounds:' (GDPR Art. 13(1)(f))",
                    .transferGroundsMissing, element: element, at: map.best("\(element)/country", element))
            }
            if recipient.countries.allSatisfy(Countries.isInEEA), !recipient.transferGrounds.isEmpty {
                sink.warning(
                    "recipient '\(recipient.id)' is in the EEA (\(recipient.countries.joined(separator: ", "))); transfer grounds are not needed",
                    .transferGroundsUnneeded,
                    at: map.best("\(element)/transfer-grounds", element))
            }
        }
    }

    /// Data stored or accessed outside the EEA is transferred there (Art. 44), whatever the recipient's country.
    mutating func checkAreas(_ recipient: Recipient) {
        let element = "recipient/\(recipient.id)"
        guard recipient.transferGrounds.isEmpty, !written("\(element)/transfer-grounds"),
            recipient.countries.allSatisfy(Countries.isInEEA)
        else { return }
        for key in ["stored-in", "accessed-from"] {
            guard let place = recipient.value(key)?.list?.first(where: Areas.leavesEEA) else { continue }
            warnUnlessWaived(
                "recipient '\(recipient.id)' has '\(key): \(place)', outside the EEA, with no transfer grounds; add 'transfer-grounds:' (GDPR Art. 13(1)(f))",
                .transferGroundsMissing, element: element, at: map.best("\(element)/\(key)", element))
            return
        }
    }

    /// Art. 13(2)(b)-(d), Art. 12(3): the rights a policy must state, withdrawal of consent where consent is
    /// relied on, and a response time for each right a customer exercises.
    mutating func checkRights() {
        let stated = Set(rights.map(\.right))
        let missing = [RightKind.access, .rectification, .erasure, .restriction, .portability, .objection, .complaint]
            .filter { !stated.contains($0) }
        let rightsAt = rights.first.map { map.best("right/\($0.id)") } ?? document.frontMatterLocation
        // One warning for all the missing rights; a `not-stated` entry may take one right out of it.
        let unwaived = missing.filter { right in
            !waive(
                "right '\(right.rawValue)' (\(right.article)) not stated; add a right block with id '\(right.rawValue)' (GDPR Art. 13(2)(b), (d))",
                .rightMissing, element: "right/\(right.rawValue)", at: rightsAt)
        }
        if !unwaived.isEmpty {
            let names = unwaived.map { "'\($0.rawValue)' (\($0.article))" }.joined(separator: ", ")
            sink.warning(
                "\(unwaived.count == 1 ? "right" : "rights") \(names) not stated; add a right block for each (GDPR Art. 13(2)(b), (d))",
                .rightMissing, at: rightsAt)
        }
        if !stated.contains(.withdrawConsent) {
            if let purpose = purposes.first(where: { $0.bases.contains(.consent) }) {
                warnUnlessWaived(
                    "purpose '\(purpose.id)' relies on consent but the right 'withdraw-consent' is not stated; add a right block with id 'withdraw-consent' (GDPR Art. 13(2)(c))",
                    .rightMissing, element: "right/withdraw-consent",
                    at: map.best("purpose/\(purpose.id)/basis", "purpose/\(purpose.id)"))
            } else if let cookie = cookies.first(where: { $0.consent == true }) {
                warnUnlessWaived(
                    "cookie '\(cookie.id)' is set with consent but the right 'withdraw-consent' is not stated; add a right block with id 'withdraw-consent' (GDPR Art. 7(3))",
                    .rightMissing, element: "right/withdraw-consent",
                    at: map.best("cookie/\(cookie.id)/consent", "cookie/\(cookie.id)"))
            }
        }
        for right in rights
        where right.response == nil
            && ![.complaint, .withdrawConsent, .automatedDecision, .nonDiscrimination].contains(right.right)
            && !written("right/\(right.id)/response")
        {
            warnUnlessWaived(
                "right '\(right.id)' states no response time; add 'response:' such as P30D (GDPR Art. 12(3))",
                .responseTimeMissing,
                element: "right/\(right.id)", at: map.best("right/\(right.id)"))
        }
    }

    /// Whether the key was written at all: a rejected value already has its error, and is not warned about again.
    func written(_ key: String) -> Bool { map[key] != nil }

    /// The `warned` fields of every schema: a fact that leaves one out gets that field's warning.
    mutating func warnForSchemaFields() {
        for kind in FactKind.allCases {
            let warned = kind.schema.fields.compactMap { field -> (key: String, rule: Rule, message: String)? in
                if case .warned(let rule, let message) = field.requirement { return (field.key, rule, message) }
                return nil
            }
            guard !warned.isEmpty else { continue }
            for fact in factsOf(kind) {
                let element = "\(kind.rawValue)/\(fact.id)"
                for field in warned where fact.value(field.key) == nil && !written("\(element)/\(field.key)") {
                    warnUnlessWaived(
                        "\(kind.rawValue) '\(fact.id)' \(field.message)", field.rule, element: element,
                        at: map.best(element))
                }
            }
        }
    }

    func factsOf(_ kind: FactKind) -> [any Fact] {
        switch kind {
        case .category: categories
        case .categoryGroup: categoryGroups
        case .purpose: purposes
        case .recipient: recipients
        case .retention: retention
        case .right: rights
        case .cookie: cookies
        case .automatedDecision: automatedDecisions
        case .securityMeasure: securityMeasures
        case .commitment: commitments
        }
    }

    /// A category may have several periods only when they describe different things: counted from different
    /// events (kept 30 days after you delete it; all of it until the end of the relationship), ending at different
    /// events (until the relationship ends; until you withdraw consent), or decided by different criteria.
    func checkRetentionOverlap() {
        for (index, item) in retention.enumerated() {
            let here = map.best("retention/\(item.id)/categories", "retention/\(item.id)")
            for category in item.categories {
                guard
                    let first = retention[..<index].first(where: {
                        $0.categories.contains(category) && Self.overlap($0, item)
                    })
                else { continue }
                sink.error(
                    "category '\(category)' has a second retention period in retention '\(item.id)'; state one period a category, or count them from different events with 'from'",
                    .retentionOverlap, at: here,
                    notes: [
                        DiagnosticNote(
                            "first period given here",
                            at: map.best("retention/\(first.id)/categories", "retention/\(first.id)"))
                    ])
            }
        }
    }

    /// Whether two periods of one category say how long the same data is kept: durations from the same event; an
    /// indefinite period beside any period that is not a duration; an end event in common; the same criteria.
    /// Periods of different holders (the shop's and a recipient's) never overlap: each says how long one keeps it.
    static func overlap(_ a: Retention, _ b: Retention) -> Bool {
        if a.holder != b.holder { return false }
        if a.duration != nil || b.duration != nil {
            return a.duration != nil && b.duration != nil && (a.from ?? .collection) == (b.from ?? .collection)
        }
        if a.indefinitely == true || b.indefinitely == true { return true }
        if !a.ends.isEmpty || !b.ends.isEmpty { return !Set(a.ends).isDisjoint(with: b.ends) }
        return a.criteria == b.criteria
    }
}
