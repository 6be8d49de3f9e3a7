import PolicyBase
import PolicySource

/// Several supervisory authorities: a lead authority and the customer's own, as a list in the front matter. One
/// authority is still written as a mapping.
extension CompileState {
    mutating func readAuthorities(_ front: Fields) -> [Authority] {
        let keys = Schemas.supervisoryAuthority.keys
        guard case .sequence(let items)? = front.value("supervisory-authority", required: false)?.content else {
            let fields = front.mapping("supervisory-authority", what: "the supervisory authority", allowed: keys)
            return fields.flatMap { readAuthority($0, base: "front/supervisory-authority") }.map { [$0] } ?? []
        }
        var authorities: [Authority] = []
        var seen: [String: SourceLocation] = [:]
        for (index, item) in items.enumerated() {
            let what = "supervisory authority \(index + 1)"
            guard let fields = Fields(item, what: what, allowed: keys, sink: sink),
                let authority = readAuthority(fields, base: "front/supervisory-authority/\(index + 1)")
            else { continue }
            if let first = seen[authority.identity] {
                sink.error(
                    "\(what) names the same authority as one before it; list each authority once", .invalidValue,
                    at: item.location, notes: [DiagnosticNote("first listed here", at: first)])
                continue
            }
            seen[authority.identity] = item.location
            authorities.append(authority)
        }
        return authorities
    }
}
