import PolicyBase
import PolicyDiff
import PolicyModel
import PolicyPresent

/// A TILT document (Transparency Information Language, schema in Tests/PolicyPublishTests/Fixtures/tilt) for one
/// version in one language. Texts are in the version's language, values in words (legal bases as GDPR references).
///
/// Reads the current model types in this one file; with the declared schema of issue 8 it reads that instead.
/// Where TILT requires a field the model does not hold yet, the nearest fact fills it, as said beside each.
public enum TILT {
    /// `diff` is the diff from this version to `next`, when the caller has it (the change page of `next` shows the same
    /// one); else it is computed here.
    ///
    /// Written straight into bytes, keys in sorted order (debug builds check it): building the document as a tree
    /// first cost twice as much. The tree is the tests' reference (Tests/PolicyPublishTests/TILTReference.swift),
    /// held together with this writer on the sample and on versions that take every branch below.
    public static func document(
        for document: PublishDocument, next: PublishDocument?, diff: VersionDiff? = nil, status: VersionStatus,
        url: String, nextURL: String?
    ) -> [UInt8] {
        let version = document.version
        let presenter = Presenter(language: version.language)
        let country = version.controller.country ?? version.supervisoryAuthority?.country ?? "ZZ"
        let controllerEmail = version.controller.email ?? version.privacyContact?.email ?? ""
        let rights = Dictionary(version.rights.map { ($0.right, $0) }, uniquingKeysWith: { a, _ in a })
        var w = StableJSONWriter(capacity: 16 * 1024)
        // A right exercised by e-mail or through the privacy contact is exercised at the privacy contact's address,
        // else the controller's.
        let rightsEmail = version.privacyContact?.email ?? controllerEmail
        func right(_ kinds: [RightKind], then more: (inout StableJSONWriter) -> Void = { _ in }) {
            let found = kinds.compactMap { rights[$0] }
            w.beginObject()
            w.key("available")
            w.bool(!found.isEmpty)
            if !found.isEmpty { w.field("description", found.map { $0.how ?? $0.label }.joined(separator: " ")) }
            let byEmail = found.contains { $0.channels.contains(.email) || $0.channels.contains(.privacyContact) }
            if byEmail && !rightsEmail.isEmpty {
                w.field("email", rightsEmail)
            }
            more(&w)
            w.endObject()
        }
        w.beginObject()
        w.key("accessAndDataPortability")
        right([.access, .portability])
        w.key("automatedDecisionMaking")
        w.beginObject()
        let decisions = version.automatedDecisions
        w.key("inUse")
        w.bool(!decisions.isEmpty)
        if !decisions.isEmpty {
            w.field("logicInvolved", decisions.map(\.logic).joined(separator: " "))
            w.field("scopeAndIntendedEffects", decisions.map { $0.consequences ?? $0.label }.joined(separator: " "))
        }
        w.endObject()
        w.key("changesOfPurpose")
        w.beginArray()
        for change in purposeChanges(from: version, to: next?.version, diff: diff, presenter: presenter) {
            w.beginObject()
            w.field("affectedDataCategories", change.categories)
            w.field("description", change.description)
            w.field("plannedDateOfChange", change.date)
            if let nextURL { w.field("urlOfNewVersion", nextURL) }
            w.endObject()
        }
        w.endArray()
        writeController(version, country: country, email: controllerEmail, into: &w)
        w.key("dataDisclosed")
        w.beginArray()
        for category in version.categories { writeDataDisclosed(category, in: version, presenter: presenter, into: &w) }
        w.endArray()
        writeOfficerAndMeta(document, country: country, email: controllerEmail, status: status, url: url, into: &w)
        w.key("rightToComplain")
        right([.complaint]) { w in
            guard let authority = version.supervisoryAuthority else { return }
            w.key("supervisoryAuthority")
            w.beginObject()
            if let country = authority.country { w.field("country", country) }
            w.field("name", authority.name ?? presenter.text("publish.ui.authority"))
            w.endObject()
            if let website = authority.website { w.field("url", website) }
        }
        w.key("rightToDataPortability")
        right([.portability])
        w.key("rightToInformation")
        right([.access])
        w.key("rightToRectificationOrDeletion")
        right([.rectification, .erasure])
        w.key("rightToWithdrawConsent")
        right([.withdrawConsent])
        writeSourcesAndTransfers(version, presenter: presenter, into: &w)
        w.endObject()
        return w.finished()
    }

    /// `controller`: who is responsible, and who represents them.
    static func writeController(
        _ version: PolicyVersion, country: String, email controllerEmail: String,
        into w: inout StableJSONWriter
    ) {
        w.key("controller")
        w.beginObject()
        w.field("address", version.controller.address ?? "")
        w.field("country", country)
        w.field("name", version.controller.name)
        w.key("representative")
        w.beginObject()
        w.field("email", controllerEmail)
        w.field("name", version.controller.representative ?? version.controller.name)
        w.endObject()
        w.endObject()
    }

    /// `dataProtectionOfficer` (the privacy contact, else the controller) and `meta`.
    static func writeOfficerAndMeta(
        _ document: PublishDocument, country: String, email controllerEmail: String,
        status: VersionStatus, url: String, into w: inout StableJSONWriter
    ) {
        let version = document.version
        w.key("dataProtectionOfficer")
        w.beginObject()
        w.field("address", version.controller.address ?? "")
        w.field("country", country)
        w.field("email", version.privacyContact?.email ?? controllerEmail)
        w.field("name", version.privacyContact?.name ?? version.controller.name)
        w.endObject()
        w.key("meta")
        w.beginObject()
        w.field("_hash", String(document.contentHash.dropFirst("sha256:".count)))
        w.field("_id", version.policy + "/" + version.language + "/" + version.effective.description)
        w.field("created", version.effective.description)
        w.field("language", String(version.language.prefix(2)))
        w.field("modified", version.effective.description)
        w.field("name", version.title)
        w.field("status", status == .current ? "active" : "inactive")
        w.field("url", url)
        w.key("version")
        w.int(version.effective.year * 10000 + version.effective.month * 100 + version.effective.day)
        w.endObject()
    }

    /// `sources` (Art. 14(2)(f): where data that does not come from the customer comes from) and
    /// `thirdCountryTransfers` (by the controller itself, or by a recipient, outside the EEA).
    static func writeSourcesAndTransfers(_ version: PolicyVersion, presenter: Presenter, into w: inout StableJSONWriter)
    {
        w.key("sources")
        w.beginArray()
        for category in version.categories {
            guard let source = category.source else { continue }
            w.beginObject()
            w.field("_id", category.id)
            w.field("dataCategory", category.label)
            w.key("sources")
            w.beginArray()
            w.beginObject()
            w.field("description", source)
            w.key("publiclyAvailable")
            w.bool(false)
            w.field("url", "")
            w.endObject()
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.key("thirdCountryTransfers")
        w.beginArray()
        for controller in version.controllers {
            if let country = controller.country, !Countries.eea.contains(country) {
                writeTransfer(
                    name: controller.name, country: country, grounds: controller.transferGrounds, presenter: presenter,
                    into: &w)
            }
        }
        for recipient in version.recipients {
            for country in thirdCountries(recipient) {
                writeTransfer(
                    name: recipient.name, country: country, grounds: recipient.transferGrounds, presenter: presenter,
                    into: &w)
            }
        }
        w.endArray()
    }

    /// The countries outside the EEA a recipient is in (all of them), stores the data in or reaches it from, each once in the order
    /// first named. A region ("countries outside the EEA") names no country, which TILT's `country` needs.
    static func thirdCountries(_ recipient: Recipient) -> [String] {
        var countries: [String] = []
        for place in recipient.countries + recipient.storedIn + recipient.accessedFrom
        where Countries.all.contains(place) && !Countries.eea.contains(place) && !countries.contains(place) {
            countries.append(place)
        }
        return countries
    }

    /// The changes to purposes from this version to the next, in words, with the names of the categories they
    /// concern and the day they take effect: `changesOfPurpose`.
    static func purposeChanges(
        from version: PolicyVersion, to next: PolicyVersion?, diff: VersionDiff?, presenter: Presenter
    )
        -> [(description: String, categories: [String], date: String)]
    {
        guard let next else { return [] }
        let diff = diff ?? VersionDiff.compare(version, next)
        let labels = diff.labels
        func categoryName(_ id: String) -> String {
            next.categories.first { $0.id == id }?.label ?? version.categories.first { $0.id == id }?.label ?? id
        }
        return diff.changes.filter { purposeKinds.contains($0.kind.rawValue) }.map { record in
            (presenter.change(record, labels: labels), record.categories.map(categoryName), next.effective.description)
        }
    }

    static let purposeKinds: Set<String> = [
        "purpose-added", "purpose-removed", "purpose-categories-added", "purpose-categories-removed",
        "legal-basis-changed", "legitimate-interest-changed", "legal-basis-added", "legal-basis-removed",
        "purpose-reference-changed", "recipient-purposes-added",
        "recipient-purposes-removed", "recipient-own-purposes-changed",
    ]

    static func writeDataDisclosed(
        _ category: DataCategory, in version: PolicyVersion, presenter: Presenter, into w: inout StableJSONWriter
    ) {
        let purposes = version.purposes.filter { $0.categories.contains(category.id) }
        let recipients = version.recipients.filter { $0.categories.contains(category.id) }
        let retention = version.retention.filter { $0.categories.contains(category.id) }
        w.beginObject()
        w.field("_id", category.id)
        w.field("category", category.label)
        w.key("legalBases")
        w.beginArray()
        for basis in legalBases(purposes, presenter: presenter) {
            w.beginObject()
            w.field("description", basis.description)
            w.field("reference", basis.reference)
            w.endObject()
        }
        w.endArray()
        w.key("legitimateInterests")
        w.beginArray()
        let interests = purposes.compactMap(\.interest)
        for interest in interests.isEmpty ? [nil] : interests.map(Optional.some) {
            w.beginObject()
            w.key("exists")
            w.bool(interest != nil)
            w.field("reasoning", interest ?? "")
            w.endObject()
        }
        w.endArray()
        w.key("nonDisclosure")
        w.beginObject()
        w.field("consequences", category.consequence ?? "")
        w.key("contractualRegulation")
        w.bool(category.required == true)
        w.key("legalRequirement")
        w.bool(false)
        w.key("obligationToProvide")
        w.bool(category.required == true)
        w.endObject()
        w.key("purposes")
        w.beginArray()
        for purpose in purposes {
            w.beginObject()
            w.field("description", purpose.interest ?? purpose.label)
            w.field("purpose", purpose.label)
            w.endObject()
        }
        w.endArray()
        w.key("recipients")
        w.beginArray()
        for recipient in recipients {
            w.beginObject()
            w.field("category", recipient.role.map { presenter.term($0) } ?? recipient.name)
            if let country = recipient.country { w.field("country", country) }
            w.field("name", recipient.name)
            w.endObject()
        }
        w.endArray()
        writeStorage(retention, presenter: presenter, into: &w)
        w.endObject()
    }

    /// `storage`: each retention rule as TILT's temporal period or condition.
    static func writeStorage(_ retention: [Retention], presenter: Presenter, into w: inout StableJSONWriter) {
        w.key("storage")
        w.beginArray()
        for rule in retention {
            // Each of these replaces the condition before it; a statute goes with the
            // period when there is one, else it is the condition.
            var temporal: (description: String, ttl: String)?
            if let duration = rule.duration, let period = rule.period {
                temporal = (presenter.period(period), duration.description)
            }
            var condition: String?
            if !rule.ends.isEmpty {
                // Several end events read as one condition: whichever comes first.
                condition = presenter.period("until " + rule.ends.map(\.rawValue).sorted().joined(separator: " or "))
            }
            if rule.indefinitely == true { condition = presenter.period("indefinitely") }
            if let criteria = rule.criteria { condition = criteria }
            if let statute = rule.statute {
                if let period = temporal {
                    temporal = ("\(period.description) (\(statute))", period.ttl)
                } else {
                    condition = statute
                }
            }
            w.beginObject()
            w.field("aggregationFunction", "max")
            if let condition { w.field("purposeConditional", [condition]) }
            if let temporal {
                w.key("temporal")
                w.beginArray()
                w.beginObject()
                w.field("description", temporal.description)
                w.field("ttl", temporal.ttl)
                w.endObject()
                w.endArray()
            }
            w.endObject()
        }
        w.endArray()
    }

    static func writeTransfer(
        name: String, country: String, grounds: [TransferGround], presenter: Presenter, into w: inout StableJSONWriter
    ) {
        func flag(_ key: String, _ matching: [TransferGround]) {
            w.key(key)
            w.beginObject()
            w.key("available")
            w.bool(!matching.isEmpty)
            w.field("description", matching.map { presenter.term($0) }.joined(separator: "; "))
            w.endObject()
        }
        w.beginObject()
        flag("adequacyDecision", grounds.filter { $0 == .adequacy })
        flag("appropriateGuarantees", grounds.filter(\.isSafeguard))
        w.field("country", country)
        w.field("derogations", grounds.filter(\.isDerogation).map { presenter.term($0) })
        flag("presenceOfEnforceableRightsAndEffectiveRemedies", [])
        w.field("recipient", name)
        flag("standardDataProtectionClause", grounds.filter { $0 == .standardContractualClauses })
        w.endObject()
    }

    /// The legal bases of the purposes for one category, each once: the Art. 6(1) bases, a legal obligation or
    /// public task with the statutes it rests on (Art. 6(3)), then the Art. 9(2) conditions for special categories.
    static func legalBases(_ purposes: [Purpose], presenter: Presenter) -> [(reference: String, description: String)] {
        let bases = Set(purposes.flatMap(\.bases)).sorted { $0.rawValue < $1.rawValue }.map { basis in
            var statutes: [String] = []
            for purpose in purposes
            where purpose.bases.contains(basis) && [.legalObligation, .publicTask].contains(basis) {
                if let statute = purpose.statute, !statutes.contains(statute) { statutes.append(statute) }
            }
            let words = presenter.term(basis)
            return (
                gdprReference(basis),
                statutes.isEmpty ? words : "\(words) (\(statutes.joined(separator: "; ")))"
            )
        }
        let stated = Set(purposes.compactMap(\.specialCategoryCondition))
        let conditions = SpecialCategoryCondition.allCases.filter(stated.contains)
        return bases + conditions.map { (gdprReference($0), presenter.term($0)) }
    }

    /// `GDPR-9-2-a` … `GDPR-9-2-j` for the Art. 9(2) conditions, as the bases below.
    static func gdprReference(_ condition: SpecialCategoryCondition) -> String {
        // "Art. 9(2)(h)": the point is the letter before the last parenthesis.
        "GDPR-9-2-" + String(condition.article.dropLast().suffix(1))
    }

    /// `GDPR-6-1-a` … `GDPR-6-1-f`, the reference form TILT's example uses.
    static func gdprReference(_ basis: LegalBasis) -> String {
        "GDPR-" + basis.dpv.dropFirst()
    }
}
