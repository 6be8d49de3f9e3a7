import Foundation
import Testing

/// Done-when of issue 17's "who is told, by scope", through the built binary: a controller takes over the app while
/// the shop's own company keeps the web shop (and the address). Only the app's customers, and those whose services
/// the export does not give, are told; a web shop customer is not. The fixture policy is
/// Fixtures/scope/Policies/shop (two versions, English).
@Suite struct NotifyScopeTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/scope")

    /// A scratch copy of the fixture with an export that names each customer's services.
    static func project() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scope-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: fixture, to: folder)
        try Data(
            """
            email,collected,categories,services,region
            web@example.com,2025-02-01,email,webshop,NL
            app@example.com,2025-02-01,email,app,NL
            both@example.com,2025-02-01,email,webshop|app,
            unknown@example.com,2025-02-01,email,,US-CA
            late@example.com,2026-07-01,email,app,NL

            """.utf8
        ).write(to: folder.appendingPathComponent("customers.csv"))
        try Data(
            "notify:\n  from: Kaviaar <privacy@kaviaar.example>\n  base-url: https://kaviaar.example/privacy\n".utf8
        )
        .write(to: folder.appendingPathComponent("policyc.yaml"))
        return folder
    }

    @Test func aControllerTakingOverOneServiceNotifiesOnlyThatServicesCustomers() throws {
        let folder = try Self.project()
        defer { try? FileManager.default.removeItem(at: folder) }
        let diff = try runPolicyc(["diff", "shop"], in: folder)
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(
            diff.stdout.contains(
                """
                CHANGES THAT AFFECT DATA WE ALREADY HOLD (2): we tell you before they take effect
                  A controller is added: Kaviaar Apps B.V.
                    data: Email address
                    only for customers of The Kaviaar app
                  Kaviaar B.V. is now responsible for The web shop (was: all customers)
                    data: Email address
                    only for customers of The Kaviaar app
                """), "\(diff.stdout)")
        let notify = try runPolicyc(
            ["notify", "shop", "2026-06-01", "--customers", "customers.csv", "--today", "2026-04-01"], in: folder)
        #expect(notify.status == 0, "\(notify.stderr)")
        let recipients = try String(
            contentsOf: folder.appendingPathComponent("Output/notify/shop/2026-06-01/recipients.csv"), encoding: .utf8)
        #expect(
            recipients == """
                "email","name","language","changes"\r
                "app@example.com","","en","controller-added:controller/apps controller-coverage-changed:controller/shop:applies-to"\r
                "both@example.com","","en","controller-added:controller/apps controller-coverage-changed:controller/shop:applies-to"\r
                "unknown@example.com","","en","controller-added:controller/apps controller-coverage-changed:controller/shop:applies-to"\r

                """)
        // The web shop's customer holds email too, but no change in their scope concerns it.
        #expect(
            notify.stderr.contains(
                "  3 notified\n  1 not affected (no category a change concerns)\n  1 collected on or after 2026-06-01\n"
            ),
            "\(notify.stderr)")
    }

    @Test func aServiceTheExportNamesThatThePolicyDoesNotDeclareStopsTheRun() throws {
        let folder = try Self.project()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("email,services\nx@example.com,kiosk\n".utf8).write(to: folder.appendingPathComponent("bad.csv"))
        let notify = try runPolicyc(
            ["notify", "shop", "2026-06-01", "--customers", "bad.csv", "--today", "2026-04-01"], in: folder)
        #expect(notify.status == 1)
        #expect(
            notify.stderr.hasPrefix(
                "error: bad.csv: row 2, column 2 ('services'): a service the policy does not declare under 'scope:'; write its scope ids separated by '|' (or leave the cell empty when not known)"
            ), "\(notify.stderr)")
    }
}
