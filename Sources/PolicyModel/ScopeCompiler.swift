import PolicyBase
import PolicySource

/// Reading what a policy covers (`scope:` in the front matter) and where its facts and controllers apply
/// (`applies-to:`), beside the compiler's other readers.
extension CompileState {
    /// `scope:`: a list of mappings, each a service, product, website, brand, group company or processing the shop
    /// does for another company.
    mutating func readScope(_ front: Fields) {
        scopeRead = true
        guard let node = front.value("scope", required: false) else { return }
        guard case .sequence(let items) = node.content else {
            sink.error(
                "expected a list for 'scope', found \(node.shortDescription); write one '- id: …' item a service or brand",
                .typeMismatch, at: node.location)
            return
        }
        for item in items {
            guard let fields = Fields(item, what: "a 'scope' entry", allowed: Schemas.scope.keys, sink: sink),
                let id = fields.identifier()
            else { continue }
            let label = fields.text("label", required: true)
            let kind = fields.choice("kind", ScopeKind.self)
            let onBehalfOf = fields.text("on-behalf-of")
            if kind?.value == .processing && onBehalfOf == nil {
                sink.error(
                    "scope '\(id.value)' is processing for another company but does not name it; add 'on-behalf-of:'",
                    .missingKey, at: kind!.location)
            }
            if let onBehalfOf, kind?.value != .processing {
                sink.error(
                    "'on-behalf-of' in scope '\(id.value)' names the company the shop processes data for; add 'kind: processing' or remove it",
                    .conflictingKeys, at: onBehalfOf.location)
            }
            let key = "scope/\(id.value)"
            if let first = map.locations[key] {
                sink.error(
                    "duplicate scope id '\(id.value)'; give each service or brand its own id", .duplicateID,
                    at: id.location, notes: [DiagnosticNote("first declared here", at: first)])
                continue
            }
            map.locations[key] = id.location
            for field in Schemas.scope.keys where fields.has(field) {
                map.locations["\(key)/\(field)"] = fields.location(of: field)
            }
            guard let label else { continue }
            scope.append(ScopeItem(id: id.value, label: label.value, kind: kind?.value, onBehalfOf: onBehalfOf?.value))
        }
    }

    /// An `applies-to` list: each item a declared scope id or a region. Nil when it names something else (reported).
    func appliesTo(_ fields: Fields, element: String) -> AppliesTo? {
        let items = fields.list("applies-to")
        guard !items.isEmpty else { return nil }
        let declared = Set(scope.map(\.id))
        var valid = true
        for item in items where !declared.contains(item.value) && !Regions.isRegion(item.value) {
            valid = false
            // Without a readable front matter the scope ids are unknown: the front matter's own error says why.
            guard scopeRead else { continue }
            let upper = item.value.uppercased()
            let fix =
                Regions.isRegion(upper)
                ? "; write the region as '\(upper)'"
                : Suggestion.closest(to: item.value, in: Array(declared)).map { "; did you mean '\($0)'?" }
                    ?? "; declare it under 'scope:' in the front matter, or write a region such as 'NL', 'US-CA' or 'EEA'"
            sink.error(
                "\(element) applies to undeclared scope '\(Fields.echo(item.value))'\(fix)", .undeclaredReference,
                at: item.location)
        }
        return valid ? AppliesTo(items.map(\.value), declared: declared) : nil
    }

    /// A fact's `applies-to`, recorded by its key when it narrows the fact.
    mutating func readAppliesTo(_ kind: FactKind, _ id: String, _ fields: Fields) {
        if let applies = appliesTo(fields, element: "\(kind.rawValue) '\(id)'") {
            scopes["\(kind.rawValue)/\(id)"] = applies
        }
    }

    /// A controller's coverage and joint arrangement, once every controller is read: joint controllers state the
    /// essence of their arrangement (Art. 26(2)).
    mutating func readControllerScope(_ fields: Fields, what: String, into controller: inout Controller) {
        controller.appliesTo = appliesTo(fields, element: what)?.items ?? []
        let joint = fields.bool("joint")
        controller.joint = joint?.value
        controller.arrangement = fields.text("arrangement")?.value
        if let joint, joint.value, controller.arrangement == nil {
            warnUnlessWaived(
                "\(what) is a joint controller but states no arrangement; add 'arrangement:' with its essence (GDPR Art. 26(2))",
                .jointArrangementMissing, element: nil, at: joint.location)
        }
    }
}
