import PolicyBase
import PolicySource

/// A recipient in several countries: `country:` as one code or a list of them, each stated once.
extension CompileState {
    func checkedCountries(_ fields: Fields, _ element: String) -> [String] {
        guard case .sequence(_)? = fields.value("country", required: false)?.content else {
            return checkedCountry(fields.text("country")).map { [$0] } ?? []
        }
        var countries: [Located<String>] = []
        for item in fields.list("country") {
            guard let code = checkedCountry(item) else { continue }
            if let first = countries.first(where: { $0.value == code }) {
                sink.error(
                    "country '\(code)' is listed twice in \(element); list each country once", .invalidValue,
                    at: item.location, notes: [DiagnosticNote("first listed here", at: first.location)])
                continue
            }
            countries.append(Located(value: code, location: item.location))
        }
        return countries.map(\.value)
    }
}
