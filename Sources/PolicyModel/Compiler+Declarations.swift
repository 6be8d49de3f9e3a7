import PolicyBase
import PolicySource

extension CompileState {
    /// The front matter's `changes` list: one entry a declaration, `wording:`, `substance:` or `from-now-on:` naming
    /// the element the change is about, with a `reason:`. Each entry's place is kept as `front/changes/<n>` (from 1)
    /// for the diagnostics of the diff's check, which alone knows whether it matches a change.
    mutating func readDeclarations(_ front: Fields) -> [ChangeDeclaration] {
        guard let node = front.value("changes", required: false) else { return [] }
        guard case .sequence(let items) = node.content else {
            sink.error(
                "expected a list for 'changes', found \(node.shortDescription); write one '- wording: kind/id' item a declared change, with a 'reason'",
                .typeMismatch, at: node.location)
            return []
        }
        var declarations: [ChangeDeclaration] = []
        let kinds = ChangeDeclaration.Kind.allCases.map(\.rawValue)
        for item in items {
            guard
                let fields = Fields(
                    item, what: "a 'changes' entry", allowed: Schemas.changeDeclaration.keys, sink: sink)
            else { continue }
            let given = kinds.filter(fields.has)
            guard given.count == 1, let kind = ChangeDeclaration.Kind(rawValue: given[0]) else {
                sink.error(
                    given.isEmpty
                        ? "a 'changes' entry declares nothing; write 'wording:', 'substance:' or 'from-now-on:' with the element, such as 'recipient/mollie'"
                        : "a 'changes' entry declares \(given.map { "'\($0)'" }.joined(separator: " and ")); write one declaration an entry",
                    .invalidValue, at: item.location)
                continue
            }
            let reason = fields.text("reason", required: true)
            guard let element = fields.text(kind.rawValue, required: true) else { continue }
            guard Self.isDeclarable(element.value) else {
                sink.error(
                    "invalid element '\(Fields.echo(element.value))' in 'changes'; write it as kind/id, such as 'recipient/mollie', or 'controller'",
                    .invalidValue, at: element.location)
                continue
            }
            guard let reason else { continue }
            declarations.append(ChangeDeclaration(kind: kind, element: element.value, reason: reason.value))
            map.locations["front/changes/\(declarations.count)"] = element.location
        }
        return declarations
    }

    /// `kind/id` of a fact, or one of the front matter's elements.
    static func isDeclarable(_ element: String) -> Bool {
        if ["controller", "privacy-contact", "supervisory-authority"].contains(element) { return true }
        let parts = element.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else { return false }
        return parts[0] == "controller" || FactKind(rawValue: String(parts[0])) != nil
    }
}
