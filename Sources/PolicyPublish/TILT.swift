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
    /// Written straight into bytes, keys in sorted order (debug builds check it): building the document as a tree of
    /// `JSONValue`s first, as `referenceDocument` does, cost twice as much (7% of a publish). A test holds the two
    /// together on the sample and on versions that take every branch below.
    public static func document(for document: PublishDocument, next: PublishDocument?, diff: VersionDiff? = nil, status: VersionStatus,
                                url: String, nextURL: String?) -> [UInt8] {
        let version = document.version
        let presenter = Presenter(language: version.language)
        let country = version.controller.country ?? version.supervisoryAuthority?.country ?? "ZZ"
        let controllerEmail = version.controller.email ?? version.privacyContact?.email ?? ""
        let rights = Dictionary(version.rights.map { ($0.right, $0) }, uniquingKeysWith: { a, _ in a })
        var w = StableJSONWriter(capacity: 16 * 1024)
        func right(_ kinds: [RightKind], then more: (inout StableJSONWriter) -> Void = { _ in }) {
            let found = kinds.compactMap { rights[$0] }
            w.beginObject()
            w.key("available"); w.bool(!found.isEmpty)
            if !found.isEmpty { w.field("description", found.map { $0.how ?? $0.label }.joined(separator: " ")) }
            more(&w)
            w.endObject()
        }
        w.beginObject()
        w.key("accessAndDataPortability"); right([.access, .portability])
        w.key("automatedDecisionMaking")
        w.beginObject()
        let decisions = version.automatedDecisions
        w.key("inUse"); w.bool(!decisions.isEmpty)
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
        w.key("dataDisclosed")
        w.beginArray()
        for category in version.categories { writeDataDisclosed(category, in: version, presenter: presenter, into: &w) }
        w.endArray()
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
        w.key("version"); w.int(version.effective.year * 10000 + version.effective.month * 100 + version.effective.day)
        w.endObject()
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
        w.key("rightToDataPortability"); right([.portability])
        w.key("rightToInformation"); right([.access])
        w.key("rightToRectificationOrDeletion"); right([.rectification, .erasure])
        w.key("rightToWithdrawConsent"); right([.withdrawConsent])
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
            w.key("publiclyAvailable"); w.bool(false)
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
                writeTransfer(name: controller.name, country: country, grounds: controller.transferGrounds, presenter: presenter, into: &w)
            }
        }
        for recipient in version.recipients {
            if let country = recipient.country, !Countries.eea.contains(country) {
                writeTransfer(name: recipient.name, country: country, grounds: recipient.transferGrounds, presenter: presenter, into: &w)
            }
        }
        w.endArray()
        w.endObject()
        return w.finished()
    }

    /// The changes to purposes from this version to the next, in words, with the names of the categories they
    /// concern and the day they take effect: `changesOfPurpose`.
    static func purposeChanges(from version: PolicyVersion, to next: PolicyVersion?, diff: VersionDiff?, presenter: Presenter)
        -> [(description: String, categories: [String], date: String)] {
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

    static let purposeKinds: Set<String> = ["purpose-added", "purpose-removed", "purpose-categories-added", "purpose-categories-removed",
                                            "legal-basis-changed", "legitimate-interest-changed", "recipient-purposes-added",
                                            "recipient-purposes-removed", "recipient-own-purposes-changed"]

    static func writeDataDisclosed(_ category: DataCategory, in version: PolicyVersion, presenter: Presenter, into w: inout StableJSONWriter) {
        let purposes = version.purposes.filter { $0.categories.contains(category.id) }
        let recipients = version.recipients.filter { $0.categories.contains(category.id) }
        let retention = version.retention.filter { $0.categories.contains(category.id) }
        w.beginObject()
        w.field("_id", category.id)
        w.field("category", category.label)
        w.key("legalBases")
        w.beginArray()
        for basis in Set(purposes.compactMap(\.basis)).sorted(by: { $0.rawValue < $1.rawValue }) {
            w.beginObject()
            w.field("description", presenter.term(basis))
            w.field("reference", gdprReference(basis))
            w.endObject()
        }
        w.endArray()
        w.key("legitimateInterests")
        w.beginArray()
        let interests = purposes.compactMap(\.interest)
        for interest in interests.isEmpty ? [nil] : interests.map(Optional.some) {
            w.beginObject()
            w.key("exists"); w.bool(interest != nil)
            w.field("reasoning", interest ?? "")
            w.endObject()
        }
        w.endArray()
        w.key("nonDisclosure")
        w.beginObject()
        w.field("consequences", category.consequence ?? "")
        w.key("contractualRegulation"); w.bool(category.required == true)
        w.key("legalRequirement"); w.bool(false)
        w.key("obligationToProvide"); w.bool(category.required == true)
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
        w.key("storage")
        w.beginArray()
        for rule in retention {
            // As in `referenceDocument`: each of these replaces the condition before it; a statute goes with the
            // period when there is one, else it is the condition.
            var temporal: (description: String, ttl: String)?
            if let duration = rule.duration, let period = rule.period { temporal = (presenter.period(period), duration.description) }
            var condition: String?
            if let until = rule.until { condition = presenter.term(until) }
            if rule.indefinitely == true { condition = presenter.period("indefinitely") }
            if let criteria = rule.criteria { condition = criteria }
            if let statute = rule.statute {
                if let period = temporal { temporal = ("\(period.description) (\(statute))", period.ttl) } else { condition = statute }
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
        w.endObject()
    }

    static func writeTransfer(name: String, country: String, grounds: [TransferGround], presenter: Presenter, into w: inout StableJSONWriter) {
        func flag(_ key: String, _ matching: [TransferGround]) {
            w.key(key)
            w.beginObject()
            w.key("available"); w.bool(!matching.isEmpty)
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

    /// The definition of `document`, built as a tree of `JSONValue`s and written with sorted keys: kept as the
    /// reference the direct writer is tested against.
    static func referenceDocument(for document: PublishDocument, next: PublishDocument?, diff: VersionDiff? = nil, status: VersionStatus,
                                  url: String, nextURL: String?) -> [UInt8] {
        let version = document.version
        let presenter = Presenter(language: version.language)
        let hex = String(document.contentHash.dropFirst("sha256:".count))
        // The controller's country; else the supervisory authority's (the authority of its establishment); `ZZ`
        // (ISO 3166 "unknown") when neither is stated.
        let country = version.controller.country ?? version.supervisoryAuthority?.country ?? "ZZ"
        let controllerEmail = version.controller.email ?? version.privacyContact?.email ?? ""
        let categoryLabel = { (id: String) in version.categories.first { $0.id == id }?.label ?? id }

        var root: JSONObject = [:]
        root["meta"] = .object([
            "_id": .string("\(version.policy)/\(version.language)/\(version.effective)"),
            "name": .string(version.title),
            "created": .string(version.effective.description),
            "modified": .string(version.effective.description),
            "version": .number(version.effective.year * 10000 + version.effective.month * 100 + version.effective.day),
            "language": .string(String(version.language.prefix(2))),
            "status": .string(status == .current ? "active" : "inactive"),
            "url": .string(url),
            "_hash": .string(hex),
        ])
        root["controller"] = .object([
            "name": .string(version.controller.name),
            "address": .string(version.controller.address ?? ""),
            "country": .string(country),
            // TILT asks for a representative; without one in the Union the controller answers itself.
            "representative": .object(["name": .string(version.controller.representative ?? version.controller.name), "email": .string(controllerEmail)]),
        ])
        root["dataProtectionOfficer"] = .object([
            "name": .string(version.privacyContact?.name ?? version.controller.name),
            "address": .string(version.controller.address ?? ""),
            "country": .string(country),
            "email": .string(version.privacyContact?.email ?? controllerEmail),
        ])
        root["dataDisclosed"] = .array(version.categories.map { dataDisclosed($0, in: version, presenter: presenter) })
        // Transfers outside the EEA: by a recipient, or by the controller itself (issue 8), each with its grounds.
        var transfers: [JSONValue] = []
        for controller in version.controllers {
            if let country = controller.country, !Countries.eea.contains(country) {
                transfers.append(transfer(name: controller.name, country: country, grounds: controller.transferGrounds, presenter: presenter))
            }
        }
        for recipient in version.recipients {
            if let country = recipient.country, !Countries.eea.contains(country) {
                transfers.append(transfer(name: recipient.name, country: country, grounds: recipient.transferGrounds, presenter: presenter))
            }
        }
        root["thirdCountryTransfers"] = .array(transfers)
        let rights = Dictionary(version.rights.map { ($0.right, $0) }, uniquingKeysWith: { a, _ in a })
        func right(_ kinds: [RightKind]) -> JSONObject {
            let found = kinds.compactMap { rights[$0] }
            var object: JSONObject = ["available": .bool(!found.isEmpty)]
            if !found.isEmpty { object["description"] = .string(found.map { $0.how ?? $0.label }.joined(separator: " ")) }
            return object
        }
        root["accessAndDataPortability"] = .object(right([.access, .portability]))
        root["sources"] = .array(version.categories.compactMap { category in
            guard let source = category.source else { return nil }
            return .object(["_id": .string(category.id), "dataCategory": .string(category.label),
                            "sources": .array([.object(["description": .string(source), "url": .string(""), "publiclyAvailable": .bool(false)])])])
        })
        root["rightToInformation"] = .object(right([.access]))
        root["rightToRectificationOrDeletion"] = .object(right([.rectification, .erasure]))
        root["rightToDataPortability"] = .object(right([.portability]))
        root["rightToWithdrawConsent"] = .object(right([.withdrawConsent]))
        var complain = right([.complaint])
        if let authority = version.supervisoryAuthority {
            var object: JSONObject = ["name": .string(authority.name ?? presenter.text("publish.ui.authority"))]
            if let country = authority.country { object["country"] = .string(country) }
            complain["supervisoryAuthority"] = .object(object)
            if let website = authority.website { complain["url"] = .string(website) }
        }
        root["rightToComplain"] = .object(complain)
        let decisions = version.automatedDecisions
        root["automatedDecisionMaking"] = .object(decisions.isEmpty ? ["inUse": .bool(false)] : [
            "inUse": .bool(true),
            "logicInvolved": .string(decisions.map(\.logic).joined(separator: " ")),
            "scopeAndIntendedEffects": .string(decisions.map { $0.consequences ?? $0.label }.joined(separator: " ")),
        ])
        root["changesOfPurpose"] = .array(changesOfPurpose(from: version, to: next?.version, diff: diff, presenter: presenter, nextURL: nextURL,
                                                           categoryLabel: categoryLabel))
        return JSONValue.object(root).stableFile
    }

    /// The changes to purposes between this version and the next one, from the diff: what the next version does
    /// with data for another purpose, on which day, and where to read it (GDPR Art. 13(3)).
    static func changesOfPurpose(from version: PolicyVersion, to next: PolicyVersion?, diff: VersionDiff?, presenter: Presenter, nextURL: String?,
                                 categoryLabel: (String) -> String) -> [JSONValue] {
        guard let next else { return [] }
        let diff = diff ?? VersionDiff.compare(version, next)
        let labels = diff.labels
        let purposeKinds: Set<String> = ["purpose-added", "purpose-removed", "purpose-categories-added", "purpose-categories-removed",
                                         "legal-basis-changed", "legitimate-interest-changed", "recipient-purposes-added",
                                         "recipient-purposes-removed", "recipient-own-purposes-changed"]
        func categoryName(_ id: String) -> String { next.categories.first { $0.id == id }?.label ?? categoryLabel(id) }
        return diff.changes.filter { purposeKinds.contains($0.kind.rawValue) }.map { record in
            var object: JSONObject = [
                "description": .string(presenter.change(record, labels: labels)),
                "affectedDataCategories": .array(record.categories.map { .string(categoryName($0)) }),
                "plannedDateOfChange": .string(next.effective.description),
            ]
            if let nextURL { object["urlOfNewVersion"] = .string(nextURL) }
            return .object(object)
        }
    }

    static func dataDisclosed(_ category: DataCategory, in version: PolicyVersion, presenter: Presenter) -> JSONValue {
        let purposes = version.purposes.filter { $0.categories.contains(category.id) }
        let recipients = version.recipients.filter { $0.categories.contains(category.id) }
        let retention = version.retention.filter { $0.categories.contains(category.id) }
        var bases: [JSONValue] = []
        for basis in Set(purposes.compactMap(\.basis)).sorted(by: { $0.rawValue < $1.rawValue }) {
            bases.append(.object(["reference": .string(gdprReference(basis)), "description": .string(presenter.term(basis))]))
        }
        let interests = purposes.compactMap(\.interest)
        let interestValues: [JSONValue] = interests.isEmpty
            ? [.object(["exists": .bool(false), "reasoning": .string("")])]
            : interests.map { .object(["exists": .bool(true), "reasoning": .string($0)]) }
        let purposeValues: [JSONValue] = purposes.map { .object(["purpose": .string($0.label), "description": .string($0.interest ?? $0.label)]) }
        let recipientValues: [JSONValue] = recipients.map { recipient in
            var object: JSONObject = ["name": .string(recipient.name),
                                               "category": .string(recipient.role.map { presenter.term($0) } ?? recipient.name)]
            if let country = recipient.country { object["country"] = .string(country) }
            return .object(object)
        }
        let storage: [JSONValue] = retention.map { rule in
            var object: JSONObject = ["aggregationFunction": .string("max")]
            if let duration = rule.duration, let period = rule.period {
                object["temporal"] = .array([.object(["description": .string(presenter.period(period)), "ttl": .string(duration.description)])])
            }
            if let until = rule.until { object["purposeConditional"] = .array([.string(presenter.term(until))]) }
            if rule.indefinitely == true { object["purposeConditional"] = .array([.string(presenter.period("indefinitely"))]) }
            if let criteria = rule.criteria { object["purposeConditional"] = .array([.string(criteria)]) }
            // TILT's `legalBasisConditional` holds codes such as `SGB-100-42`; a statute in words goes with the period.
            if let statute = rule.statute, case .array(var temporal)? = object["temporal"], case .object(var first)? = temporal.first,
               case .string(let description)? = first["description"] {
                first["description"] = .string("\(description) (\(statute))")
                temporal[0] = .object(first)
                object["temporal"] = .array(temporal)
            } else if let statute = rule.statute {
                object["purposeConditional"] = .array([.string(statute)])
            }
            return .object(object)
        }
        let nonDisclosure: JSONValue = .object([
            "legalRequirement": .bool(false),
            "contractualRegulation": .bool(category.required == true),
            "obligationToProvide": .bool(category.required == true),
            "consequences": .string(category.consequence ?? ""),
        ])
        return .object([
            "_id": .string(category.id), "category": .string(category.label), "purposes": .array(purposeValues),
            "legalBases": .array(bases), "legitimateInterests": .array(interestValues), "recipients": .array(recipientValues),
            "storage": .array(storage), "nonDisclosure": nonDisclosure,
        ])
    }

    /// One transfer outside the EEA with its grounds in words: adequacy (Art. 45), an appropriate safeguard
    /// (Art. 46, 47; standard clauses also as TILT's `standardDataProtectionClause`), or none of these (a derogation
    /// of Art. 49, or nothing stated).
    static func transfer(name: String, country: String, grounds: [TransferGround], presenter: Presenter) -> JSONValue {
        func flag(_ matching: [TransferGround]) -> JSONValue {
            .object(["available": .bool(!matching.isEmpty), "description": .string(matching.map { presenter.term($0) }.joined(separator: "; "))])
        }
        return .object([
            "recipient": .string(name),
            "country": .string(country),
            "adequacyDecision": flag(grounds.filter { $0 == .adequacy }),
            "appropriateGuarantees": flag(grounds.filter(\.isSafeguard)),
            "standardDataProtectionClause": flag(grounds.filter { $0 == .standardContractualClauses }),
            "presenceOfEnforceableRightsAndEffectiveRemedies": flag([]),
            "derogations": .array(grounds.filter(\.isDerogation).map { .string(presenter.term($0)) }),
        ])
    }

    /// `GDPR-6-1-a` … `GDPR-6-1-f`, the reference form TILT's example uses.
    static func gdprReference(_ basis: LegalBasis) -> String {
        "GDPR-" + basis.dpv.dropFirst()
    }
}

/// The members of a JSON object, in the order they were set; written with sorted keys. A short array, not a
/// dictionary: a TILT document has a few hundred small objects, and hashing their keys cost more than finding a key
/// among a handful.
struct JSONObject: ExpressibleByDictionaryLiteral {
    var members: [(key: String, value: JSONValue)]

    init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { (key: $0.0, value: $0.1) }
        assert(Set(members.map(\.key)).count == members.count, "a key given twice")
    }

    subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            let index = members.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append((key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    var isEmpty: Bool { members.isEmpty }
}

/// A JSON value built by hand, written with sorted keys like StableJSON.
indirect enum JSONValue: Encodable {
    case string(String), number(Int), bool(Bool), array([JSONValue]), object(JSONObject)

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(Dictionary(uniqueKeysWithValues: value.members.map { ($0.key, $0.value) }))
        }
    }

    /// The bytes `StableJSON.encode(self)` gives (pretty, keys sorted by their UTF-8 bytes) and a final newline,
    /// written directly: through `Encodable` every value became a node of a second tree (measured: 4% of a publish).
    var stableFile: [UInt8] {
        var writer = StableJSONWriter()
        write(&writer)
        return writer.finished()
    }

    func write(_ writer: inout StableJSONWriter) {
        switch self {
        case .string(let value): writer.string(value)
        case .number(let value): writer.int(value)
        case .bool(let value): writer.bool(value)
        case .array(let values):
            writer.beginArray()
            for value in values { value.write(&writer) }
            writer.endArray()
        case .object(let object):
            writer.beginObject()
            for member in object.members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                writer.key(member.key)
                member.value.write(&writer)
            }
            writer.endObject()
        }
    }
}
