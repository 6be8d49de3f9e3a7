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
        // Groups are independent: compare them on all cores, in a fixed order.
        let ordered = groups.keys.sorted().map { groups[$0]! }
        return ordered.concurrentMap(checkGroup).flatMap { $0 }
    }

    /// The files of one version: one a language, the translations stating the original's facts.
    static func checkGroup(_ files: [(version: PolicyVersion, map: SourceMap)]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        // Of two files of one version and language, the one named `<effective>.<language>.md` is the first: the other
        // is the one to rename.
        func misnamed(_ file: (version: PolicyVersion, map: SourceMap)) -> Int {
            file.map.path.hasSuffix("/\(file.version.effective).\(file.version.language).md")
                || file.map.path == "\(file.version.effective).\(file.version.language).md" ? 0 : 1
        }
        let group = files.sorted {
            ($0.version.language, misnamed($0), $0.map.path) < ($1.version.language, misnamed($1), $1.map.path)
        }
        var languages: [String: SourceMap] = [:]
        for member in group {
            if let first = languages[member.version.language] {
                diagnostics.append(
                    .error(
                        "second \(member.version.language) file of version \(member.version.effective), besides '\(first.path)'; rename this file to its own version and language, or remove it",
                        rule: .duplicateVersion, at: member.map.best("front/language"),
                        notes: [DiagnosticNote("the first file", at: first.best("front/language"))]))
            }
            languages[member.version.language] = member.map
        }
        let originals = group.filter { $0.version.translationOf == nil }
        guard let reference = originals.count == 1 ? originals[0] : group.first else { return diagnostics }
        for member in group where member.version.language != reference.version.language {
            if let of = member.version.translationOf, of != reference.version.language {
                diagnostics.append(
                    .error(
                        "translation-of '\(of)' names no file of this version; use '\(reference.version.language)'",
                        rule: .translationMismatch, at: member.map.best("front/translation-of")))
            }
            diagnostics += compare(member, against: reference)
        }
        return diagnostics
    }

    static func compare(
        _ translation: (version: PolicyVersion, map: SourceMap),
        against original: (version: PolicyVersion, map: SourceMap)
    ) -> [Diagnostic] {
        let here = invariants(translation.version)
        let there = invariants(original.version)
        let other = original.version.language
        var diagnostics: [Diagnostic] = []
        // Nearly every key agrees: find the few that do not before splitting or sorting any. Elements (`kind/id`) that
        // only one side declares, and fields whose values differ (or that only one side has).
        var missingElements = Set<String>()
        var differingFields: [String] = []
        for (key, mine) in here {
            if isElement(key) {
                if there[key] == nil { missingElements.insert(key) }
            } else if there[key] != mine {
                differingFields.append(key)
            }
        }
        for key in there.keys where here[key] == nil {
            if isElement(key) { missingElements.insert(key) } else { differingFields.append(key) }
        }
        diagnostics += missing(missingElements, in: translation, against: original, declaredHere: here)
        for key in differingFields.sorted() {
            let parts = key.split(separator: "/")
            let element = parts.prefix(2).joined(separator: "/")
            if missingElements.contains(element) { continue }
            let mine = here[key]
            let theirs = there[key]
            if key.hasPrefix("front/not-stated/") {
                // A waiver is a fact the translations share: the policy leaves the same thing out in every language.
                let what =
                    "the 'not-stated' entry for '\(parts[2])'\(parts[3] == "all" ? "" : " on \(parts[3...].joined(separator: "/"))")"
                diagnostics.append(
                    .error(
                        "\(what) is \(mine == nil ? "missing here" : "only here"); translations must leave out the same facts",
                        rule: .translationMismatch, at: translation.map.best("front/language"),
                        notes: [DiagnosticNote("\(other) version", at: original.map.best("front/language"))]))
                continue
            }
            if key.hasPrefix("front/changes/") {
                // A declaration decides a change's class, which must not depend on the language a customer reads.
                let what = "the 'changes' entry '\(parts[2]): \(parts[3...].joined(separator: "/"))'"
                diagnostics.append(
                    .error(
                        "\(what) is \(mine == nil ? "missing here" : "only here"); translations must declare the same changes",
                        rule: .translationMismatch, at: translation.map.best("front/changes", "front/language"),
                        notes: [
                            DiagnosticNote("\(other) version", at: original.map.best("front/changes", "front/language"))
                        ]))
                continue
            }
            let field = parts.dropFirst(2).joined(separator: "/")
            let subject =
                element.hasPrefix("front/")
                ? "'\(parts.dropFirst().joined(separator: "/"))'" : "'\(field)' of \(describe(element))"
            diagnostics.append(
                .error(
                    "\(subject) is \(mine.map { "'\($0)'" } ?? "absent") here but \(theirs.map { "'\($0)'" } ?? "absent") in the \(other) version; translations must state the same facts",
                    rule: .translationMismatch, at: translation.map.best(key, element, "front/language"),
                    notes: [DiagnosticNote("\(other) version", at: original.map.best(key, element, "front/language"))]))
        }
        return diagnostics
    }

    /// Elements only one side declares: missing here (pointing at the original's declaration), or only here.
    static func missing(
        _ elements: Set<String>, in translation: (version: PolicyVersion, map: SourceMap),
        against original: (version: PolicyVersion, map: SourceMap), declaredHere here: [String: String]
    ) -> [Diagnostic] {
        let other = original.version.language
        var diagnostics: [Diagnostic] = []
        for key in elements.sorted() {
            let name = describe(key)
            if here[key] == nil {
                diagnostics.append(
                    .error(
                        "\(name) is missing from this translation; the \(other) version declares it",
                        rule: .translationMismatch,
                        at: translation.map.best("front/language"),
                        notes: [DiagnosticNote("declared here", at: original.map.best(key))]))
            } else {
                diagnostics.append(
                    .error(
                        "\(name) is not in the \(other) version; declare it there or remove it here",
                        rule: .translationMismatch,
                        at: translation.map.best(key),
                        notes: [DiagnosticNote("\(other) version", at: original.map.best("front/language"))]))
            }
        }
        return diagnostics
    }

    /// Whether a key names an element (`kind/id`) rather than a field or the front matter: two parts between
    /// slashes, as `split` counts them (empty parts left out). Keys are ASCII but for values a waiver names; those
    /// take the character-wise definition.
    static func isElement(_ key: String) -> Bool {
        let counted =
            key.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
                var parts = 0
                var inPart = false
                for byte in bytes {
                    guard byte < 0x80 else { return nil }
                    if byte == 47 {
                        inPart = false
                    } else if !inPart {
                        inPart = true
                        parts += 1
                    }
                }
                return parts == 2 && !bytes.starts(with: "front/".utf8)
            } ?? nil
        return counted ?? (!key.hasPrefix("front/") && key.split(separator: "/").count == 2)
    }

    static func describe(_ key: String) -> String {
        let parts = key.split(separator: "/")
        return parts.count >= 2 ? "\(parts[0]) '\(parts[1])'" : key
    }

    /// The facts that translations must share, as `kind/id[/field]` → canonical text: every field its schema marks
    /// `agrees`. Order carries no meaning in lists (the diff ignores it too), so lists are compared sorted.
    static func invariants(_ v: PolicyVersion) -> [String: String] {
        var facts: [String: String] = [:]
        func put(_ key: String, _ value: FactValue?) {
            guard let value else { return }
            if case .list(let items) = value {
                facts[key] = items.sorted().joined(separator: ", ")
            } else {
                facts[key] = value.description
            }
        }
        func record<R: SchemaRecord>(_ record: R, at base: String) {
            let prefix = base + "/"
            for key in R.schema.agreeingKeys { put(prefix + key, record.value(key)) }
        }
        func elements<F: Fact>(_ items: [F]) {
            let prefix = F.kind.rawValue + "/"
            for fact in items {
                let element = prefix + fact.id
                facts[element] = ""
                record(fact, at: element)
            }
        }
        put("front/notice-period-days", .number(v.noticePeriodDays))
        put("front/announced", v.announced.map { .text($0.description) })
        for (index, controller) in v.controllers.enumerated() {
            let base =
                v.controllers.count > 1 ? "front/controller/\(controller.id ?? String(index + 1))" : "front/controller"
            record(controller, at: base)
            if let contact = controller.privacyContact { record(contact, at: "\(base)/privacy-contact") }
        }
        if let contact = v.privacyContact { record(contact, at: "front/privacy-contact") }
        let authorities = v.supervisoryAuthorities
        for (index, authority) in authorities.enumerated() {
            record(
                authority,
                at: authorities.count > 1 ? "front/supervisory-authority/\(index + 1)" : "front/supervisory-authority")
        }
        for waiver in v.notStated { put("front/not-stated/\(waiver.rule)/\(waiver.element ?? "all")", .text("stated")) }
        for declaration in v.changes {
            put("front/changes/\(declaration.kind.rawValue)/\(declaration.element)", .text("declared"))
        }
        // Every kind, as in `PolicyVersion.facts` (a test holds the two together).
        elements(v.categories)
        elements(v.categoryGroups)
        elements(v.purposes)
        elements(v.recipients)
        elements(v.retention)
        elements(v.rights)
        elements(v.cookies)
        elements(v.automatedDecisions)
        elements(v.securityMeasures)
        elements(v.commitments)
        // What the policy covers and where its facts apply: ids and regions, never translated (Scope.swift).
        for item in v.scope {
            facts["scope/\(item.id)"] = ""
            record(item, at: "scope/\(item.id)")
        }
        for (key, applies) in v.scopes { put("\(key)/applies-to", .list(applies.items)) }
        return facts
    }
}
