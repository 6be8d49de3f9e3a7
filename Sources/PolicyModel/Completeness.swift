import PolicyBase
import PolicySource

/// Warnings for what GDPR Art. 13 asks a policy to state and this one does not. They are warnings, not errors:
/// the compiler reports what is missing instead of inventing it.
extension CompileState {
    func checkCompleteness(controller: Controller?, contact: Contact?, authority: Authority?, front: Fields) {
        if let controller, controller.email == nil, controller.phone == nil, controller.address == nil {
            sink.warning("the controller has no address, email or phone; add contact details (GDPR Art. 13(1)(a))", "controller-contact-missing",
                         at: map.best("front/controller"))
        }
        if authority == nil {
            sink.warning("no supervisory authority; add 'supervisory-authority' so customers know where to complain (GDPR Art. 13(2)(d))",
                         "authority-missing", at: document.frontMatterLocation)
        }

        var retained: [String: SourceLocation] = [:]
        for item in retention {
            for category in item.categories {
                let here = map.best("retention/\(item.id)/categories", "retention/\(item.id)")
                if let first = retained[category] {
                    sink.error("category '\(category)' has a second retention period in retention '\(item.id)'; state one period a category",
                               "retention-overlap", at: here, notes: [DiagnosticNote("first period given here", at: first)])
                } else {
                    retained[category] = here
                }
            }
        }
        let usedByPurposes = Set(purposes.flatMap(\.categories))
        for category in categories {
            let at = map.best("category/\(category.id)")
            if category.required == nil {
                sink.warning("category '\(category.id)' does not say whether providing it is required; add 'required: true' or 'false' (GDPR Art. 13(2)(e))",
                             "provision-missing", at: at)
            }
            if retained[category.id] == nil {
                sink.warning("category '\(category.id)' has no retention period; add a retention block (GDPR Art. 13(2)(a))", "retention-missing", at: at)
            }
            if !usedByPurposes.contains(category.id) {
                sink.warning("category '\(category.id)' is used by no purpose; list it in a purpose or remove it", "category-unused", at: at)
            }
        }
        /// Whether the key was written at all: a rejected value already has its error.
        func written(_ key: String) -> Bool { map.locations[key] != nil }
        for purpose in purposes where purpose.basis == nil && !written("purpose/\(purpose.id)/basis") {
            sink.warning("purpose '\(purpose.id)' states no legal basis; add 'basis:' (GDPR Art. 13(1)(c))", "legal-basis-missing",
                         at: map.best("purpose/\(purpose.id)"))
        }
        for recipient in recipients {
            let at = map.best("recipient/\(recipient.id)")
            if recipient.role == nil && !written("recipient/\(recipient.id)/role") {
                sink.warning("recipient '\(recipient.id)' states no role; add 'role:' processor, joint-controller, independent-controller or public-authority",
                             "recipient-role-missing", at: at)
            }
            if let country = recipient.country {
                if !Countries.isInEEA(country), recipient.safeguard == nil {
                    sink.warning("recipient '\(recipient.id)' is outside the EEA (\(country)) with no transfer safeguard; add 'safeguard:' (GDPR Art. 13(1)(f))",
                                 "transfer-safeguard-missing", at: map.best("recipient/\(recipient.id)/country", "recipient/\(recipient.id)"))
                }
            } else if !written("recipient/\(recipient.id)/country") {
                sink.warning("recipient '\(recipient.id)' states no country; add 'country:' (GDPR Art. 13(1)(f))", "recipient-country-missing", at: at)
            }
        }

        let stated = Set(rights.map(\.id))
        let missing = [RightKind.access, .rectification, .erasure, .restriction, .portability, .objection, .complaint].filter { !stated.contains($0) }
        if !missing.isEmpty {
            let at = rights.first.map { map.best("right/\($0.id.rawValue)") } ?? document.frontMatterLocation
            let names = missing.map { "'\($0.rawValue)' (\($0.article))" }.joined(separator: ", ")
            sink.warning("\(missing.count == 1 ? "right" : "rights") \(names) not stated; add a right block for each (GDPR Art. 13(2)(b), (d))",
                         "right-missing", at: at)
        }
        if !stated.contains(.withdrawConsent), let purpose = purposes.first(where: { $0.basis == .consent }) {
            sink.warning("purpose '\(purpose.id)' relies on consent but the right 'withdraw-consent' is not stated; add a right block with id 'withdraw-consent' (GDPR Art. 13(2)(c))",
                         "right-missing", at: map.best("purpose/\(purpose.id)/basis", "purpose/\(purpose.id)"))
        }
        for right in rights where right.response == nil && ![.complaint, .withdrawConsent, .automatedDecision].contains(right.id) {
            sink.warning("right '\(right.id.rawValue)' states no response time; add 'response:' such as P30D (GDPR Art. 12(3))", "response-time-missing",
                         at: map.best("right/\(right.id.rawValue)"))
        }
        for cookie in cookies {
            let at = map.best("cookie/\(cookie.id)")
            if cookie.consent == nil {
                sink.warning("cookie '\(cookie.id)' does not say whether consent is asked; add 'consent: true' or 'false'", "cookie-consent-missing", at: at)
            }
            if cookie.lifetime == nil {
                sink.warning("cookie '\(cookie.id)' states no lifetime; add 'lifetime:' such as P2Y or 'session'", "cookie-lifetime-missing", at: at)
            }
        }
    }
}
