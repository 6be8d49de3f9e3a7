import Foundation
import PolicyModel
import PolicyPresent
import Testing

@testable import PolicyPublish

/// Every fact box is a landmark named by its own fact, so no two boxes of a page have the same name (axe's
/// landmark-unique), also where two facts share a title.
@Suite struct FactBoxNameTests {
    @Test func aRepeatedTitleIsNumberedFromItsSecondUse() {
        var used: [String: Int] = [:]
        let titles = ["In short: Analytics, cookie", "In short: Mollie, recipient", "In short: Analytics, cookie"]
        #expect(
            titles.map { RenderContext.numbered($0, &used) } == [
                "In short: Analytics, cookie", "In short: Mollie, recipient", "In short: Analytics, cookie (2)",
            ])
    }

    @Test func everyBoxOfEveryVersionPageHasANameOfItsOwn() throws {
        let documents = try BuiltInPagesTests.documents().filter { $0.version.policy == "kaviaarshop" }
        let publisher = Publisher(settings: SiteSettings(), theme: try Theme(), today: CalendarDate("2027-01-01")!)
        let files = publisher.build(infos: documents.map(\.info), documents: documents, previous: nil).files
        let pages = files.filter { $0.path.hasSuffix("/index.html") && !$0.path.contains("changes") }
        #expect(pages.count >= 4)
        for page in pages {
            guard case .bytes(let bytes) = page.content else { continue }
            let html = String(decoding: bytes, as: UTF8.self)
            let names = html.components(separatedBy: "<p class=\"facts-title\" id=\"").dropFirst().map {
                part -> String in
                String(part.split(separator: ">", maxSplits: 1)[1].prefix { $0 != "<" })
            }
            #expect(Set(names).count == names.count, "\(page.path): a box name is used twice")
            #expect(!names.contains { $0.contains("customer-profile") }, "\(page.path): a box named by an id")
        }
    }
}
