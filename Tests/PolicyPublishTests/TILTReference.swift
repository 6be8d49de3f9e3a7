import PolicyBase
import PolicyDiff
import PolicyModel
import PolicyPresent

@testable import PolicyPublish

// The reference the TILT writer (Sources/PolicyPublish/TILT.swift) is held to: the same document built as a tree of
// `JSONValue`s and written with sorted keys. Only tests use it; the product has the one writer.

extension TILT {
    /// The definition of `document`, built as a tree of `JSONValue`s and written with sorted keys: kept as the
    /// reference the direct writer is tested against.
    static func referenceDocument(
        for document: PublishDocument, next: PublishDocument?, diff: VersionDiff? = nil, status: VersionStatus,
        url: String, nextURL: String?
    ) -> [UInt8] {
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
            "representative": .object([
                "name": .string(version.controller.representative ?? version.controller.name),
                "email": .string(controllerEmail),
            ]),
        ])
        root["dataProtectionOfficer"] = .object([
            "name": .string(version.privacyContact?.name ?? version.controller.name),
            "address": .string(version.controller.address ?? ""),
            "country": .string(country),
            "email": .string(version.privacyContact?.email ?? controllerEmail),
        ])
        root["dataDisclosed"] = .array(version.categories.map { dataDisclosed($0, in: version, presenter: presenter) })
        root["thirdCountryTransfers"] = .array(referenceTransfers(version, presenter: presenter))
        let rights = Dictionary(version.rights.map { ($0.right, $0) }, uniquingKeysWith: { a, _ in a })
        func right(_ kinds: [RightKind]) -> JSONObject {
            let found = kinds.compactMap { rights[$0] }
            var object: JSONObject = ["available": .bool(!found.isEmpty)]
            if !found.isEmpty {
                object["description"] = .string(found.map { $0.how ?? $0.label }.joined(separator: " "))
            }
            let email = version.privacyContact?.email ?? controllerEmail
            let byEmail = found.contains { $0.channels.contains(.email) || $0.channels.contains(.privacyContact) }
            if byEmail && !email.isEmpty {
                object["email"] = .string(email)
            }
            return object
        }
        root["accessAndDataPortability"] = .object(right([.access, .portability]))
        root["sources"] = .array(
            version.categories.compactMap { category in
                guard let source = category.source else { return nil }
                return .object([
                    "_id": .string(category.id), "dataCategory": .string(category.label),
                    "sources": .array([
                        .object(["description": .string(source), "url": .string(""), "publiclyAvailable": .bool(false)])
                    ]),
                ])
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
        root["automatedDecisionMaking"] = .object(
            decisions.isEmpty
                ? ["inUse": .bool(false)]
                : [
                    "inUse": .bool(true),
                    "logicInvolved": .string(decisions.map(\.logic).joined(separator: " ")),
                    "scopeAndIntendedEffects": .string(
                        decisions.map { $0.consequences ?? $0.label }.joined(separator: " ")),
                ])
        root["changesOfPurpose"] = .array(
            changesOfPurpose(
                from: version, to: next?.version, diff: diff, presenter: presenter, nextURL: nextURL,
                categoryLabel: categoryLabel))
        return JSONValue.object(root).stableFile
    }

    /// The changes to purposes between this version and the next one, from the diff: what the next version does
    /// with data for another purpose, on which day, and where to read it (GDPR Art. 13(3)).
    static func changesOfPurpose(
        from version: PolicyVersion, to next: PolicyVersion?, diff: VersionDiff?, presenter: Presenter,
        nextURL: String?,
        categoryLabel: (String) -> String
    ) -> [JSONValue] {
        guard let next else { return [] }
        let diff = diff ?? VersionDiff.compare(version, next)
        let labels = diff.labels
        let purposeKinds: Set<String> = [
            "purpose-added", "purpose-removed", "purpose-categories-added", "purpose-categories-removed",
            "legal-basis-changed", "legitimate-interest-changed", "legal-basis-added", "legal-basis-removed",
            "purpose-reference-changed", "recipient-purposes-added",
            "recipient-purposes-removed", "recipient-own-purposes-changed",
        ]
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
        let bases = referenceLegalBases(purposes, presenter: presenter)
        let interests = purposes.compactMap(\.interest)
        let interestValues: [JSONValue] =
            interests.isEmpty
            ? [.object(["exists": .bool(false), "reasoning": .string("")])]
            : interests.map { .object(["exists": .bool(true), "reasoning": .string($0)]) }
        let purposeValues: [JSONValue] = purposes.map {
            .object(["purpose": .string($0.label), "description": .string($0.interest ?? $0.label)])
        }
        let recipientValues: [JSONValue] = recipients.map { recipient in
            var object: JSONObject = [
                "name": .string(recipient.name),
                "category": .string(recipient.role.map { presenter.term($0) } ?? recipient.name),
            ]
            if let country = recipient.country { object["country"] = .string(country) }
            return .object(object)
        }
        let storage: [JSONValue] = retention.map { rule in
            var object: JSONObject = ["aggregationFunction": .string("max")]
            if let duration = rule.duration, let period = rule.period {
                object["temporal"] = .array([
                    .object(["description": .string(presenter.period(period)), "ttl": .string(duration.description)])
                ])
            }
            if let until = rule.until { object["purposeConditional"] = .array([.string(presenter.term(until))]) }
            if rule.indefinitely == true {
                object["purposeConditional"] = .array([.string(presenter.period("indefinitely"))])
            }
            if let criteria = rule.criteria { object["purposeConditional"] = .array([.string(criteria)]) }
            // TILT's `legalBasisConditional` holds codes such as `SGB-100-42`; a statute in words goes with the period.
            if let statute = rule.statute, case .array(var temporal)? = object["temporal"],
                case .object(var first)? = temporal.first,
                case .string(let description)? = first["description"]
            {
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
            "legalBases": .array(bases), "legitimateInterests": .array(interestValues),
            "recipients": .array(recipientValues),
            "storage": .array(storage), "nonDisclosure": nonDisclosure,
        ])
    }

    /// Transfers outside the EEA: by a recipient, or by the controller itself (issue 8), each with its grounds.
    static func referenceTransfers(_ version: PolicyVersion, presenter: Presenter) -> [JSONValue] {
        var transfers: [JSONValue] = []
        for controller in version.controllers {
            if let country = controller.country, !Countries.eea.contains(country) {
                transfers.append(
                    transfer(
                        name: controller.name, country: country, grounds: controller.transferGrounds,
                        presenter: presenter))
            }
        }
        // A recipient transfers to each country outside the EEA it is in, stores the data in or reaches it from.
        for recipient in version.recipients {
            let places = recipient.countries + recipient.storedIn + recipient.accessedFrom
            var seen: Set<String> = []
            for country in places where country.count == 2 && !Countries.eea.contains(country) {
                guard seen.insert(country).inserted else { continue }
                transfers.append(
                    transfer(
                        name: recipient.name, country: country, grounds: recipient.transferGrounds, presenter: presenter
                    ))
            }
        }
        return transfers
    }

    /// Each Art. 6(1) basis once (a legal obligation or public task with its statutes), then the Art. 9(2) conditions.
    static func referenceLegalBases(_ purposes: [Purpose], presenter: Presenter) -> [JSONValue] {
        var bases: [JSONValue] = []
        for basis in Set(purposes.flatMap(\.bases)).sorted(by: { $0.rawValue < $1.rawValue }) {
            // A legal obligation or public task names the statutes it rests on (Art. 6(3)).
            let statutes =
                basis == .legalObligation || basis == .publicTask
                ? purposes.filter { $0.bases.contains(basis) }.compactMap(\.statute) : []
            let unique = statutes.enumerated().filter { !statutes[..<$0.offset].contains($0.element) }.map(\.element)
            let words = presenter.term(basis) + (unique.isEmpty ? "" : " (" + unique.joined(separator: "; ") + ")")
            bases.append(.object(["reference": .string(gdprReference(basis)), "description": .string(words)]))
        }
        let letters = Dictionary(
            uniqueKeysWithValues: zip(SpecialCategoryCondition.allCases, "abcdefghij").map { ($0, $1) })
        // In the order of Art. 9(2).
        for condition in SpecialCategoryCondition.allCases
        where purposes.contains(where: { $0.specialCategoryCondition == condition }) {
            bases.append(
                .object([
                    "reference": .string("GDPR-9-2-\(letters[condition]!)"),
                    "description": .string(presenter.term(condition)),
                ]))
        }
        return bases
    }

    /// One transfer outside the EEA with its grounds in words: adequacy (Art. 45), an appropriate safeguard
    /// (Art. 46, 47; standard clauses also as TILT's `standardDataProtectionClause`), or none of these (a derogation
    /// of Art. 49, or nothing stated).
    static func transfer(name: String, country: String, grounds: [TransferGround], presenter: Presenter) -> JSONValue {
        func flag(_ matching: [TransferGround]) -> JSONValue {
            .object([
                "available": .bool(!matching.isEmpty),
                "description": .string(matching.map { presenter.term($0) }.joined(separator: "; ")),
            ])
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
}

/// The members of a JSON object, in the order they were set; written with sorted keys. A short array, not a
/// dictionary: a TILT document has a few hundred small objects, and hashing their keys cost more than finding a key
/// among a handful.
struct JSONObject: ExpressibleByDictionaryLiteral, Sendable {
    typealias Key = String
    typealias Value = JSONValue

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
indirect enum JSONValue: Encodable, Sendable {
    case string(String)
    case number(Int)
    case bool(Bool)
    case array([JSONValue])
    case object(JSONObject)

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value):
            try container.encode(Dictionary(uniqueKeysWithValues: value.members.map { ($0.key, $0.value) }))
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
