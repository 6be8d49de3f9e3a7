import Foundation
import PolicyBase
import Testing

@testable import PolicyModel
@testable import PolicyPublish

/// The facts TILT has a place for, where they go: a recipient's storage and access countries outside the EEA as
/// third-country transfers, a legal obligation's statute with its basis, an Art. 9(2) condition as a legal basis, and
/// the e-mail address of a right exercised by e-mail or through the privacy contact. (docs/publish.md lists the facts
/// TILT has no place for.)
@Suite struct TILTPlacesTests {
    static func bytes(_ version: PolicyVersion) -> [UInt8] {
        let document = PublishDocument(
            path: "p.md", version: version, body: [], contentHash: "sha256:" + String(repeating: "0a", count: 32))
        return TILT.document(for: document, next: nil, status: .current, url: "u", nextURL: nil)
    }

    static func tilt(_ version: PolicyVersion) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes(version))) as? [String: Any])
    }

    static var version: PolicyVersion {
        var recipient = Recipient(id: "cloud", name: "Cloud", categories: ["health"], country: "NL")
        recipient.storedIn = ["eea", "CH"]
        recipient.accessedFrom = ["US", "outside-eea", "CH", "DE"]
        return PolicyVersion(
            policy: "p", title: "Privacy", language: "en", effective: CalendarDate("2027-01-01")!,
            translationOf: nil, announced: nil, summary: nil,
            controllers: [Controller(name: "Shop", email: "shop@example.com")],
            privacyContact: Contact(email: "privacy@example.com"), supervisoryAuthority: nil, noticePeriodDays: 30,
            notStated: [], categories: [DataCategory(id: "health", label: "Health")], categoryGroups: [],
            purposes: [
                Purpose(
                    id: "records", label: "Records", bases: [.legalObligation, .contract], categories: ["health"],
                    statute: "Wgbo", specialCategoryCondition: .healthCare),
                Purpose(
                    id: "claims", label: "Claims", basis: .legitimateInterests, categories: ["health"],
                    statute: "BW", specialCategoryCondition: .legalClaims),
            ],
            recipients: [recipient], retention: [],
            rights: [
                Right(id: .access, label: "Access", channels: [.email, .account]),
                Right(id: .erasure, label: "Erasure", channels: [.webForm]),
                Right(id: .portability, label: "Portability", channels: [.privacyContact]),
            ],
            cookies: [], automatedDecisions: [], securityMeasures: [], commitments: [], sections: [])
    }

    @Test func storageAndAccessOutsideTheEEAAreTransfers() throws {
        let transfers = try #require(try Self.tilt(Self.version)["thirdCountryTransfers"] as? [[String: Any]])
        #expect(transfers.map { $0["country"] as? String } == ["CH", "US"])
        #expect(transfers.map { $0["recipient"] as? String } == ["Cloud", "Cloud"])
    }

    @Test func statutesAndSpecialCategoryConditionsAreLegalBases() throws {
        let disclosed = try #require(try Self.tilt(Self.version)["dataDisclosed"] as? [[String: Any]])
        let bases = try #require(disclosed.first?["legalBases"] as? [[String: String]])
        #expect(
            bases.map { "\($0["reference"]!): \($0["description"]!)" } == [
                "GDPR-6-1-b: the performance of a contract with you",
                "GDPR-6-1-c: a legal obligation (Wgbo)",
                "GDPR-6-1-f: legitimate interests",
                "GDPR-9-2-f: establishing, exercising or defending legal claims",
                "GDPR-9-2-h: medicine, medical diagnosis, or health or social care",
            ])
    }

    @Test func aRightExercisedByEmailGivesTheAddress() throws {
        let document = try Self.tilt(Self.version)
        let information = try #require(document["rightToInformation"] as? [String: Any])
        #expect(information["email"] as? String == "privacy@example.com")
        let deletion = try #require(document["rightToRectificationOrDeletion"] as? [String: Any])
        #expect(deletion["email"] == nil)
        let portability = try #require(document["rightToDataPortability"] as? [String: Any])
        #expect(portability["email"] as? String == "privacy@example.com")
    }

    /// The document with every new place filled still validates against the TILT schema (as the published sample does
    /// in PublishBrowserTests).
    @Test func theDocumentValidatesAgainstTheSchema() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/tilt")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tilt-places-\(UUID().uuidString).json")
        try Data(Self.bytes(Self.version)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import json, sys
            import jsonschema
            validator = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
            errors = [list(e.absolute_path) for e in validator.iter_errors(json.load(open(sys.argv[2])))]
            print(errors); sys.exit(1 if errors else 0)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", script, fixtures.appendingPathComponent("tilt-schema.json").path, file.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0 && printed == "[]\n", "\(printed)")
    }
}
