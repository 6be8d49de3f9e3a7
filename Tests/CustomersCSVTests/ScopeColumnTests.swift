import Foundation
import PolicyModel
import PolicyNotify
import Testing

@testable import CustomersCSV

/// The services and region columns: a customer's scope as bit sets over the vocabulary, unknown when empty, and the
/// exact errors for what the policy does not declare (never repeating the cell).
@Suite struct ScopeColumnTests {
    static let vocabulary = Vocabulary(
        categories: ["email"], languages: ["en"], services: ["webshop", "app"], regions: ["EEA", "NL", "US-CA", "US"])

    static func read(_ text: String) throws -> [(services: UInt64, regions: UInt64)] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scope-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var read: [(UInt64, UInt64)] = []
        try CSVCustomerSource(path: url.path, settings: NotifySettings()).read(
            vocabulary: vocabulary, prepare: { $0 },
            consume: { batch in for entry in batch.entries { read.append((entry.services, entry.regions)) } })
        return read
    }

    static func failure(_ text: String) -> String? {
        do {
            _ = try read(text)
            return nil
        } catch let error as SourceError {
            return error.message.replacingOccurrences(
                of: #"^.*scope-[0-9A-F-]+\.csv"#, with: "FILE", options: .regularExpression)
        } catch { return "\(error)" }
    }

    @Test func servicesAndRegionsBecomeBitSets() throws {
        let rows = try Self.read(
            "email,services,region\na@example.com,webshop,nl\nb@example.com, app | webshop ,US-CA\nc@example.com,,\nd@example.com,app,us-ny\n"
        )
        #expect(rows.map(\.services) == [0b01, 0b11, CustomerScope.unknown, 0b10])
        // NL lies in EEA and NL; US-CA in US-CA and US; US-NY only in US.
        #expect(rows.map(\.regions) == [0b0011, 0b1100, CustomerScope.unknown, 0b1000])
    }

    @Test func withoutTheColumnsTheScopeIsUnknown() throws {
        let rows = try Self.read("email\na@example.com\n")
        #expect(rows.map(\.services) == [CustomerScope.unknown])
        #expect(rows.map(\.regions) == [CustomerScope.unknown])
    }

    @Test func whatThePolicyDoesNotDeclareStopsTheRun() {
        #expect(
            Self.failure("email,services\na@example.com,webshop|kiosk\n")
                == "FILE: row 2, column 2 ('services'): a service the policy does not declare under 'scope:'; write its scope ids separated by '|' (or leave the cell empty when not known)"
        )
        #expect(
            Self.failure("email,region\na@example.com,Nederland\n")
                == "FILE: row 2, column 2 ('region'): not a country code such as NL or a region such as US-CA; leave the cell empty when it is not known"
        )
        #expect(
            Self.failure("email,region\na@example.com,EEA\n")
                == "FILE: row 2, column 2 ('region'): not a country code such as NL or a region such as US-CA; leave the cell empty when it is not known"
        )
    }
}
