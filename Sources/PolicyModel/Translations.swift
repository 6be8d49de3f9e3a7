import PolicyBase
import PolicySource

/// Checks that the translations of one version state the same facts. Labels and prose are translated; ids,
/// legal bases, countries, periods, lists of references and yes/no answers must agree.
public enum TranslationCheck {
    public static func check(_ documents: [CompiledDocument]) -> [Diagnostic] {
        var groups: [String: [(version: PolicyVersion, map: SourceMap)]] = [:]
        for document in documents {
            guard let version = document.version else { continue }
            groups["\(version.policy)/\(version.effective)", default: []].append((version, document.sourceMap))
        }
        var diagnostics: [Diagnostic] = []
        for key in groups.keys.sorted() {
            let group = groups[key]!.sorted { $0.version.language < $1.version.language }
            var languages: [String: SourceMap] = [:]
            for member in group {
                if let first = languages[member.version.language] {
                    diagnostics.append(.error("second \(member.version.language) file for \(member.version.effective)", rule: "duplicate-version",
                                              at: member.map.best("front/language"), notes: [DiagnosticNote("first file", at: first.best("front/language"))]))
                }
                languages[member.version.language] = member.map
            }
            let originals = group.filter { $0.version.translationOf == nil }
            guard let reference = originals.count == 1 ? originals[0] : group.first else { continue }
            for member in group where member.version.language != reference.version.language {
                if let of = member.version.translationOf, of != reference.version.language {
                    diagnostics.append(.error("translation-of '\(of)' names no file of this version; use '\(reference.version.language)'",
                                              rule: "translation-mismatch", at: member.map.best("front/translation-of")))
                }
                diagnostics += compare(member, against: reference)
            }
        }
        return diagnostics
    }

    static func compare(_ translation: (version: PolicyVersion, map: SourceMap), against original: (version: PolicyVersion, map: SourceMap)) -> [Diagnostic] {
        let here = invariants(translation.version), there = invariants(original.version)
        let other = original.version.language
        var diagnostics: [Diagnostic] = []
        func isElement(_ key: String) -> Bool { !key.hasPrefix("front/") && key.split(separator: "/").count == 2 }
        let elementKeys = Set(here.keys.filter(isElement)).union(there.keys.filter(isElement))
        let missingElements = Set(elementKeys.filter { (here[$0] == nil) != (there[$0] == nil) })
        for key in elementKeys.sorted() where missingElements.contains(key) {
            let name = describe(key)
            if here[key] == nil {
                diagnostics.append(.error("\(name) is missing from this translation; the \(other) version declares it", rule: "translation-mismatch",
                                          at: translation.map.best("front/language"),
                                          notes: [DiagnosticNote("declared here", at: original.map.best(key))]))
            } else {
                diagnostics.append(.error("\(name) is not in the \(other) version; declare it there or remove it here", rule: "translation-mismatch",
                                          at: translation.map.best(key),
                                          notes: [DiagnosticNote("\(other) version", at: original.map.best("front/language"))]))
            }
        }
        let fieldKeys = Set(here.keys).union(there.keys).filter { !isElement($0) }
        for key in fieldKeys.sorted() {
            let parts = key.split(separator: "/")
            let element = parts.prefix(2).joined(separator: "/")
            if missingElements.contains(element) { continue }
            let mine = here[key], theirs = there[key]
            guard mine != theirs else { continue }
            let field = parts.dropFirst(2).joined(separator: "/")
            let subject = element.hasPrefix("front/") ? "'\(parts.dropFirst().joined(separator: "/"))'" : "'\(field)' of \(describe(element))"
            diagnostics.append(.error("\(subject) is \(mine.map { "'\($0)'" } ?? "absent") here but \(theirs.map { "'\($0)'" } ?? "absent") in the \(other) version; translations must state the same facts",
                                      rule: "translation-mismatch", at: translation.map.best(key, element, "front/language"),
                                      notes: [DiagnosticNote("\(other) version", at: original.map.best(key, element, "front/language"))]))
        }
        return diagnostics
    }

    static func describe(_ key: String) -> String {
        let parts = key.split(separator: "/")
        return parts.count >= 2 ? "\(parts[0]) '\(parts[1])'" : key
    }

    /// The facts that translations must share, as `kind/id[/field]` → canonical text.
    static func invariants(_ v: PolicyVersion) -> [String: String] {
        var facts: [String: String] = [:]
        func put(_ key: String, _ value: String?) { if let value { facts[key] = value } }
        // Order carries no meaning in these lists (the diff ignores it too), so compare them sorted.
        func list(_ items: [String]) -> String { items.sorted().joined(separator: ", ") }
        put("front/notice-period-days", String(v.noticePeriodDays))
        put("front/announced", v.announced?.description)
        put("front/controller/name", v.controller.name)
        put("front/controller/email", v.controller.email)
        put("front/controller/phone", v.controller.phone)
        put("front/controller/website", v.controller.website)
        put("front/controller/representative", v.controller.representative)
        put("front/privacy-contact/dpo", v.privacyContact?.dpo.map(String.init))
        put("front/privacy-contact/email", v.privacyContact?.email)
        put("front/privacy-contact/phone", v.privacyContact?.phone)
        put("front/privacy-contact/name", v.privacyContact?.name)
        put("front/supervisory-authority/country", v.supervisoryAuthority?.country)
        put("front/supervisory-authority/website", v.supervisoryAuthority?.website)
        for c in v.categories {
            put("category/\(c.id)", "")
            put("category/\(c.id)/required", c.required.map(String.init))
        }
        for p in v.purposes {
            put("purpose/\(p.id)", "")
            put("purpose/\(p.id)/basis", p.basis?.rawValue)
            put("purpose/\(p.id)/categories", list(p.categories))
        }
        for r in v.recipients {
            put("recipient/\(r.id)", "")
            put("recipient/\(r.id)/role", r.role?.rawValue)
            put("recipient/\(r.id)/categories", list(r.categories))
            put("recipient/\(r.id)/purposes", list(r.purposes))
            put("recipient/\(r.id)/country", r.country)
            put("recipient/\(r.id)/safeguard", r.safeguard?.rawValue)
            put("recipient/\(r.id)/own-purposes", r.ownPurposes.map(String.init))
        }
        for r in v.retention {
            put("retention/\(r.id)", "")
            put("retention/\(r.id)/categories", list(r.categories))
            put("retention/\(r.id)/duration", r.duration?.description)
            put("retention/\(r.id)/from", r.from?.rawValue)
            put("retention/\(r.id)/until", r.until?.rawValue)
        }
        for r in v.rights {
            put("right/\(r.id.rawValue)", "")
            put("right/\(r.id.rawValue)/channels", list(r.channels.map(\.rawValue)))
            put("right/\(r.id.rawValue)/response", r.response?.description)
        }
        for c in v.cookies {
            put("cookie/\(c.id)", "")
            put("cookie/\(c.id)/name", c.name)
            put("cookie/\(c.id)/provider", c.provider)
            put("cookie/\(c.id)/purpose", c.purpose)
            put("cookie/\(c.id)/consent", c.consent.map(String.init))
            put("cookie/\(c.id)/lifetime", c.lifetime?.description)
            put("cookie/\(c.id)/country", c.country)
        }
        for a in v.automatedDecisions {
            put("automated-decision/\(a.id)", "")
            put("automated-decision/\(a.id)/ground", a.ground?.rawValue)
            put("automated-decision/\(a.id)/categories", list(a.categories))
            put("automated-decision/\(a.id)/profiling", String(a.profiling))
        }
        for s in v.securityMeasures {
            put("security-measure/\(s.id)", "")
            put("security-measure/\(s.id)/recipients", list(s.recipients))
        }
        return facts
    }
}
