import PolicyBase
import PolicySource
import Testing

@testable import PolicyModel

@Suite struct ValueTests {
    @Test func durationsParseAndBound() throws {
        let seven = try #require(ISODuration("P7Y"))
        #expect(seven.dayBounds == 2555...2562)
        #expect(ISODuration("P1Y6M")?.description == "P1Y6M")
        #expect(ISODuration("PT12H")?.hours == 12)
        #expect(ISODuration("P1W3D")?.dayBounds == 10...10)
        for bad in ["P", "PT", "P1YT", "p30d", "P1.5Y", "30 days", "P-1D", "P1D2Y", "P1234567D"] {
            #expect(ISODuration(bad) == nil, "\(bad) should be rejected")
        }
        // A year of months and a year overlap: neither is provably shorter.
        let months = try #require(ISODuration("P12M"))
        #expect(months.dayBounds.lowerBound < seven.dayBounds.lowerBound)
        #expect(months.dayBounds.overlaps(try #require(ISODuration("P1Y")).dayBounds))
    }

    @Test func calendarDatesAreValidatedAndCountDays() throws {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("1900-02-29") == nil)
        #expect(CalendarDate("2000-02-29") != nil)
        #expect(CalendarDate("2018-4-30") == nil)
        #expect(CalendarDate("30/04/2018") == nil)
        let date = try #require(CalendarDate("2027-01-01"))
        #expect(date.adding(days: -37).description == "2026-11-25")
        #expect(CalendarDate(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(CalendarDate(daysSinceEpoch: date.daysSinceEpoch) == date)
    }

    @Test func slugsAreStableIds() {
        #expect(Fields.slug("Recht op beperking van de verwerking") == "recht-op-beperking-van-de-verwerking")
        #expect(Fields.slug("Cookies van derde partijen") == "cookies-van-derde-partijen")
        #expect(Fields.slug("Contactpersoon voor privacy zaken") == "contactpersoon-voor-privacy-zaken")
        #expect(Fields.slug("Cliënt & privé") == "client-prive")
        #expect(Fields.slug("!!!") == "section")
    }

    @Test func suggestionsFindNearMisses() {
        #expect(Suggestion.closest(to: "paymnet", in: ["payment", "email"]) == "payment")
        #expect(Suggestion.closest(to: "contry", in: ["country", "categories"]) == "country")
        #expect(Suggestion.closest(to: "xyz", in: ["payment", "email"]) == nil)
        #expect(Suggestion.editDistance("ab", "ba") == 1)
    }

    @Test func countriesKnowTheEEA() {
        #expect(
            Countries.isInEEA("NL") && Countries.isInEEA("NO") && !Countries.isInEEA("US") && !Countries.isInEEA("GB"))
        #expect(Countries.all.count == 249)
    }

    @Test func headingsGetUniqueSectionIds() {
        let text = """
            ---
            policy: shop
            title: T
            language: nl
            effective: 2020-01-01
            controller:
              name: Winkel
            ---

            Inleiding zonder kop.

            # Preamble

            # Cookies

            # Cookies

            # Cookies 1
            """
        let document = Compiler.compile(bytes: Array(text.utf8), path: "shop/2020-01-01.nl.md")
        #expect(
            document.version?.sections.map(\.id) == ["preamble", "preamble-1", "cookies", "cookies-1", "cookies-1-1"])
    }
}
