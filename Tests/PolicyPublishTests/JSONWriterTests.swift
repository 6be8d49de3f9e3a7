import Foundation
import PolicyBase
import PolicyDiff
import PolicyModel
import Testing

@testable import PolicyPublish

/// The site's JSON is written by byte writers into `StableJSONWriter`; the `Encodable` references
/// (EncodableReference.swift) and the TILT tree (TILTReference.swift) live here, in the tests, and each writer must
/// give the bytes `StableJSON.encode` gives for its reference (the golden files cover real documents).
@Suite struct JSONWriterTests {
    /// The TILT reference tree's own writer against `StableJSON.encode` of the same tree.
    @Test func directWriterMatchesTheEncoder() throws {
        let text = "quote \" backslash \\ slash / newline \n tab \t bell \u{07} unit \u{1F} del \u{7F} é 😀"
        let value = JSONValue.object([
            "b": .number(-42), "a": .string(text), "B": .bool(true), "aa": .array([]), "_id": .object([:]),
            "nested": .array([
                .object(["z": .bool(false), "y": .array([.string(""), .number(0)])]), .array([.array([])]),
            ]),
            "ä": .string("last: sorted by UTF-8 bytes"),
        ])
        #expect(String(decoding: value.stableFile, as: UTF8.self) == (try StableJSON.encode(value)) + "\n")
        #expect(
            String(decoding: JSONValue.array([]).stableFile, as: UTF8.self)
                == (try StableJSON.encode(JSONValue.array([]))) + "\n")
        #expect(
            String(decoding: JSONValue.string(text).stableFile, as: UTF8.self)
                == (try StableJSON.encode(JSONValue.string(text))) + "\n")
    }

    /// An object's members behave as a dictionary's: setting a key again replaces its value, nil removes it.
    @Test func objectMembersBehaveAsADictionary() throws {
        var object: JSONObject = ["b": .number(1), "a": .number(2)]
        object["b"] = .string("x")
        object["c"] = .bool(true)
        object["a"] = nil
        object["none"] = nil
        #expect(object.members.map(\.key) == ["b", "c"])
        #expect(object["b"].map { String(decoding: $0.stableFile, as: UTF8.self) } == "\"x\"\n")
        #expect(object["a"] == nil)
        let expected = try StableJSON.encode(["b": JSONValue.string("x"), "c": .bool(true)]) + "\n"
        #expect(String(decoding: JSONValue.object(object).stableFile, as: UTF8.self) == expected)
    }

    /// The site state is written by `SiteState.writeStableJSON`: the same bytes as through `Encodable`, with and
    /// without every optional member, keys that sort differently as bytes and as text, and escapes.
    @Test func siteStateWriterMatchesTheEncoder() throws {
        let date = try #require(CalendarDate("2027-01-01"))
        let full = VersionInfo(
            policy: "p", language: "nl", effective: date, announced: CalendarDate("2026-11-01"), title: "T \"q\" \\ é",
            summary: "line\nbreak", controller: "C", translationOf: "en", contentHash: "sha256:ab")
        let bare = VersionInfo(
            policy: "p", language: "en", effective: date, announced: nil, title: "T", summary: nil, controller: "C",
            translationOf: nil, contentHash: "sha256:cd")
        for state in [
            SiteState(),
            SiteState(
                keys: ["b/index.html": "k1", "a/model.json": "k2", "B/x": "k3", "ä": "k4", "a-b": "k5", "a/b": "k6"],
                versions: [full, bare]),
        ] {
            #expect(String(decoding: StableJSON.file(state), as: UTF8.self) == (try StableJSON.encode(state)) + "\n")
        }
    }

    /// TILT documents are written straight into bytes; `referenceDocument` builds the same one as a tree first. Both
    /// must give the same bytes: on the sample (with and without a next version), and on versions that take every
    /// branch (transfers by controllers and recipients, every kind of retention, automated decisions, sources, an
    /// authority without a name, rights with and without `how`).
    @Test func tiltWriterMatchesTheReference() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Policies/kaviaarshop")
        func document(_ name: String) throws -> PublishDocument {
            let path = "kaviaarshop/\(name).md"
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent("\(name).md")))
            let version = try #require(Compiler.compile(bytes: bytes, path: path).version)
            return PublishDocument(path: path, version: version, body: [], contentHash: "sha256:0123")
        }
        var pairs: [(PublishDocument, PublishDocument?)] = []
        for language in ["nl", "en"] {
            let old = try document("2018-04-30.\(language)")
            let new = try document("2027-01-01.\(language)")
            pairs += [(old, new), (new, nil)]
            var rich = new.version
            rich.controllers.append(
                Controller(
                    id: "us", name: "Shop US", country: "US",
                    transferGrounds: [.standardContractualClauses, .derogationConsent]))
            rich.recipients.append(
                Recipient(
                    id: "cloud", name: "Cloud \"Inc\"", role: .processor, categories: [rich.categories[0].id],
                    country: "US",
                    transferGrounds: [.adequacy, .bindingCorporateRules, .derogationContract, .derogationLegalClaims]))
            rich.recipients.append(
                Recipient(id: "plain", name: "Plain", categories: [rich.categories[0].id], country: "NL"))
            var stored = Recipient(id: "stored", name: "Stored", categories: [rich.categories[0].id], country: "US")
            stored.storedIn = ["eea", "US", "CH"]
            stored.accessedFrom = ["IN", "outside-eea", "CH", "DE"]
            rich.recipients.append(stored)
            rich.purposes += [
                Purpose(
                    id: "tax", label: "Tax", bases: [.legalObligation, .contract], categories: [rich.categories[0].id],
                    statute: "AWR"),
                Purpose(
                    id: "tax2", label: "Tax 2", basis: .legalObligation, categories: [rich.categories[0].id],
                    statute: "AWR"),
                Purpose(
                    id: "care", label: "Care", basis: .publicTask, categories: [rich.categories[0].id],
                    statute: "Wgbo", specialCategoryCondition: .healthCare),
                Purpose(
                    id: "claims", label: "Claims", basis: .legitimateInterests, categories: [rich.categories[0].id],
                    statute: "BW", specialCategoryCondition: .legalClaims),
            ]
            let first = rich.categories[0].id
            rich.retention += [
                Retention(
                    id: "a", categories: [first], duration: ISODuration("P7Y"), from: nil, until: .statutoryTerm,
                    statute: "art. 52 AWR"),
                Retention(id: "b", categories: [first], until: .endOfRelationship, statute: "BW 7:1"),
                Retention(id: "c", categories: [first], indefinitely: true),
                Retention(id: "d", categories: [first], until: .consentWithdrawn, criteria: "as long as you wish"),
                Retention(id: "e", categories: [first], duration: ISODuration("P30D")),
            ]
            rich.categories[0].source = "the credit agency"
            rich.categories[0].required = true
            rich.categories[0].consequence = "no delivery"
            rich.automatedDecisions.append(
                AutomatedDecision(id: "score", label: "Score", logic: "rules", consequences: nil, categories: [first]))
            rich.automatedDecisions.append(
                AutomatedDecision(id: "fraud", label: "Fraud", logic: "model", consequences: "refusal", categories: []))
            rich.supervisoryAuthority = Authority(
                name: nil, country: nil, website: "https://example.org/?a=1&b=2", residence: true)
            rich.rights = rich.rights.enumerated().map { index, right in
                var right = right
                right.how = index % 2 == 0 ? nil : "by mail"
                right.channels = index % 3 == 0 ? [.email, .webForm] : [.account]
                return right
            }
            var document = new
            document.version = rich
            pairs += [(document, nil), (old, document)]
        }
        for (index, (document, next)) in pairs.enumerated() {
            for status in [VersionStatus.current, .archived, .upcoming] {
                let url = "https://example.com/" + document.version.language + "/"
                let nextURL = next.map { _ in "https://example.com/next/" }
                let direct = TILT.document(for: document, next: next, status: status, url: url, nextURL: nextURL)
                let reference = TILT.referenceDocument(
                    for: document, next: next, status: status, url: url, nextURL: nextURL)
                #expect(
                    String(decoding: direct, as: UTF8.self) == String(decoding: reference, as: UTF8.self),
                    "pair \(index), \(status)")
            }
        }
    }

    /// versions.json is written by `VersionsDocument.writeStableJSON`: the same bytes as through `Encodable`.
    @Test func versionsWriterMatchesTheEncoder() throws {
        let date = try #require(CalendarDate("2027-01-01"))
        typealias Entry = RenderContext.VersionsDocument.Entry
        let entries = [
            Entry(
                policy: "p", language: "nl", effective: date, announced: CalendarDate("2026-11-01"), status: .upcoming,
                contentHash: "sha256:ab",
                title: "T \"q\" é", page: "p/nl/2027-01-01/", changes: "p/nl/2027-01-01/changes/", model: "m", tilt: "t"
            ),
            Entry(
                policy: "p", language: "en", effective: date, announced: nil, status: .archived,
                contentHash: "sha256:cd",
                title: "T", page: "p/en/2027-01-01/", changes: nil, model: "m", tilt: "t"),
        ]
        for document in [
            RenderContext.VersionsDocument(today: date, baseURL: "https://example.com/", versions: entries),
            RenderContext.VersionsDocument(today: date, baseURL: nil, versions: []),
        ] {
            #expect(
                String(decoding: StableJSON.file(document), as: UTF8.self) == (try StableJSON.encode(document)) + "\n")
        }
    }
}
