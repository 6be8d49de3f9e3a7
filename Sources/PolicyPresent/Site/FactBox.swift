import PolicyBase
import PolicyModel

/// The "in short" box a fact block becomes on a page: a definition list in the page's language. Fact blocks never
/// appear as YAML to a reader.
///
/// One function a fact kind, reading the current model types. When the model's declared field schema lands
/// (issue 8), `rows` iterates the schema's fields and labels instead; nothing else here depends on the kinds.
public struct FactBox: Sendable, Hashable {
    /// `kind/id`, as in `Section.facts`; the box's `id` attribute is derived from it.
    public var key: String
    /// "In het kort: ontvanger".
    public var title: String
    public var rows: [Row]

    public struct Row: Sendable, Hashable {
        public var term: String
        public var value: String
    }
}

extension Presenter {
    /// The box for one declared fact (`recipient/sisow`), or nil when the version has no such fact.
    public func factBox(_ key: String, in version: PolicyVersion) -> FactBox? {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let (kind, id) = (parts[0], parts[1])
        var rows: [FactBox.Row] = []
        func add(_ term: String, _ value: String?) {
            if let value, !value.isEmpty { rows.append(.init(term: text("publish.field.\(term)"), value: value)) }
        }
        switch kind {
        case "category":
            guard let category = version.categories.first(where: { $0.id == id }) else { return nil }
            add("data", category.label)
            add("required", category.required.map(flag))
            add("consequence", category.consequence)
            add("source", category.source)
        case "purpose":
            guard let purpose = version.purposes.first(where: { $0.id == id }) else { return nil }
            add("purpose", purpose.label)
            add("basis", purpose.basis.map { term($0) })
            add("interest", purpose.interest)
            add("data", categoryLabels(purpose.categories, in: version))
        case "recipient":
            guard let recipient = version.recipients.first(where: { $0.id == id }) else { return nil }
            add("recipient", recipient.name)
            add("role", recipient.role.map { term($0) })
            add("country", recipient.country.map(country))
            add("safeguard", recipient.safeguard.map { term($0) })
            add("data", categoryLabels(recipient.categories, in: version))
            add("for", purposeLabels(recipient.purposes, in: version))
            add("own-purposes", recipient.ownPurposes.map(flag))
        case "retention":
            guard let retention = version.retention.first(where: { $0.id == id }) else { return nil }
            add("data", categoryLabels(retention.categories, in: version))
            add("period", period(retention))
            add("statute", retention.statute)
        case "right":
            guard let right = version.rights.first(where: { $0.id.rawValue == id }) else { return nil }
            add("right", term(right.id))
            add("description", right.label)
            add("channels", right.channels.isEmpty ? nil : list(right.channels.map { term($0) }))
            add("response", right.response.map(duration))
            add("how", right.how)
        case "cookie":
            guard let cookie = version.cookies.first(where: { $0.id == id }) else { return nil }
            add("cookie", cookie.name)
            add("provider", cookie.provider.map { recipientName($0, in: version) })
            add("for", cookie.purpose.map { purposeLabels([$0], in: version) })
            add("consent", cookie.consent.map(flag))
            add("lifetime", cookie.lifetime.map(lifetime))
            add("country", cookie.country.map(country))
        case "automated-decision":
            guard let decision = version.automatedDecisions.first(where: { $0.id == id }) else { return nil }
            add("decision", decision.label)
            add("logic", decision.logic)
            add("consequences", decision.consequences)
            add("ground", decision.ground.map { term($0) })
            add("data", categoryLabels(decision.categories, in: version))
            add("profiling", flag(decision.profiling))
        case "security-measure":
            guard let measure = version.securityMeasures.first(where: { $0.id == id }) else { return nil }
            add("measure", measure.label)
            add("applies-to", measure.recipients.isEmpty ? text("publish.value.ourselves")
                                                         : list(measure.recipients.map { recipientName($0, in: version) }))
        default:
            return nil
        }
        return FactBox(key: key, title: text("publish.box.title", text("publish.kind.\(kind)")), rows: rows)
    }

    // MARK: Words for ids

    /// Category ids as the version's labels, in the order given.
    public func categoryLabels(_ ids: [String], in version: PolicyVersion) -> String {
        list(ids.map { id in version.categories.first { $0.id == id }?.label ?? id })
    }

    public func purposeLabels(_ ids: [String], in version: PolicyVersion) -> String {
        list(ids.map { id in version.purposes.first { $0.id == id }?.label ?? id })
    }

    public func recipientName(_ id: String, in version: PolicyVersion) -> String {
        version.recipients.first { $0.id == id }?.name ?? id
    }

    /// "7 jaar vanaf het verzamelen (Artikel 52 …)" / "tot het einde van de klantrelatie".
    public func period(_ retention: Retention) -> String {
        var parts: [String] = []
        if let duration = retention.duration {
            parts.append(duration == ISODuration("P0D") ? text("publish.value.not-kept") : self.duration(duration))
            if let from = retention.from { parts.append(term(from)) }
        }
        if let until = retention.until {
            parts.append(parts.isEmpty ? term(until) : text("publish.value.or") + " " + term(until))
        }
        return parts.isEmpty ? text("publish.value.not-stated") : parts.joined(separator: " ")
    }

    public func lifetime(_ lifetime: CookieLifetime) -> String {
        switch lifetime {
        case .session: text("publish.value.session")
        case .duration(let value): duration(value)
        }
    }
}
