import PolicyBase

/// Retention as policies word it: several end events (whichever comes first), an approximate duration, and a
/// recipient that keeps the data for a period of its own.
extension CompileState {
    /// `until:` as one event or, where the period ends at whichever of several events comes first, a list; each
    /// stated once.
    func readEnds(_ fields: Fields, _ element: String) -> [Located<RetentionEvent>] {
        guard case .sequence(_)? = fields.value("until", required: false)?.content else {
            return fields.choice("until", RetentionEvent.self).map { [$0] } ?? []
        }
        var ends: [Located<RetentionEvent>] = []
        for item in fields.list("until") {
            guard let end = Fields.choice(item, RetentionEvent.self, key: "until", what: element, sink: sink) else {
                continue
            }
            if let first = ends.first(where: { $0.value == end.value }) {
                sink.error(
                    "until '\(end.value.rawValue)' is listed twice in \(element); list each event once",
                    .invalidValue, at: end.location, notes: [DiagnosticNote("first listed here", at: first.location)])
                continue
            }
            ends.append(end)
        }
        return ends
    }

    /// `approximate:` qualifies a duration, and only a duration; `holder:` names the recipient that keeps the data.
    mutating func readRetentionWording(
        _ fields: Fields, _ element: String, hasDuration: Bool, into item: inout Retention
    ) {
        let approximate = fields.bool("approximate")
        if let approximate, !hasDuration {
            sink.error(
                "'approximate' in \(element) needs a 'duration' to qualify", .missingKey, at: approximate.location)
        }
        // `approximate: false` is the default, stored as nil so that writing it out is not a change.
        item.approximate = approximate?.value == true ? true : nil
        if let holder = fields.text("holder") {
            refer([holder], to: .recipient, from: element)
            item.holder = holder.value
        }
    }
}
