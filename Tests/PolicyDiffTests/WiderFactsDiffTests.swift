import PolicyBase
import PolicySource
import PolicyTestSupport
import Testing

@testable import PolicyDiff
@testable import PolicyModel

// The classes of changes to a right's channels, a purpose's set of legal bases and its legal reference, diffed from
// the policy's text in both languages (docs/changes.md, "Kinds" and "Rules").

/// The records of the change from `widerPolicy(language)` to the same policy a year later with `edits` applied (and
/// `before` applied to the older version first).
private func changes(
    _ language: String, before: [(String, String)] = [], _ edits: [(String, String)], extra: String = "",
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> [Key] {
    var old = widerPolicy(language) + extra
    for (from, to) in before { old = edit(old, replacing: from, with: to, sourceLocation: sourceLocation) }
    var new = edit(
        old, replacing: "effective: 2024-01-01", with: "effective: 2025-01-01", sourceLocation: sourceLocation)
    for (from, to) in edits { new = edit(new, replacing: from, with: to, sourceLocation: sourceLocation) }
    let older = try #require(compiled(old, path: widerPolicyPath(language)).version, sourceLocation: sourceLocation)
    let newer = try #require(
        compiled(new, path: widerPolicyPath(language, effective: "2025-01-01")).version, sourceLocation: sourceLocation)
    return FactDiff.compare(older, newer).map(\.key)
}

private let channels = "channels: [email, unsubscribe-link, preference-centre, browser-add-on]"
private let allChannels: FactValue = .list(["email", "unsubscribe-link", "preference-centre", "browser-add-on"])
private let careBases = "basis: [contract, legitimate-interests]"

@Suite("Channels, legal bases and legal references, diffed")
struct WiderFactsDiffTests {
    @Test("a right's channel removed is notify, for all data held", arguments: ["en", "nl"])
    func channelRemoved(language: String) throws {
        let records = try changes(language, [(channels, "channels: [email, preference-centre, browser-add-on]")])
        #expect(
            records == [
                Key(
                    kind: "right-channels-changed", element: "right/objection", field: "channels",
                    before: allChannels, after: .list(["email", "preference-centre", "browser-add-on"]),
                    categories: ["email", "health", "usage"], impact: .notify, rule: "right-weakened")
            ])
    }

    @Test("a right's channel added is favourable", arguments: ["en", "nl"])
    func channelAdded(language: String) throws {
        let records = try changes(
            language, before: [(channels, "channels: [email, unsubscribe-link]")],
            [("channels: [email, unsubscribe-link]", "channels: [email, unsubscribe-link, account]")])
        #expect(
            records == [
                Key(
                    kind: "right-channels-changed", element: "right/objection", field: "channels",
                    before: .list(["email", "unsubscribe-link"]),
                    after: .list(["email", "unsubscribe-link", "account"]),
                    categories: [], impact: .favourable, rule: "right-improved")
            ])
    }

    @Test("a basis added beside the others is notify for the data held", arguments: ["en", "nl"])
    func basisAdded(language: String) throws {
        let records = try changes(language, [(careBases, "basis: [contract, legitimate-interests, consent]")])
        #expect(
            records == [
                Key(
                    kind: "legal-basis-added", element: "purpose/care", field: "basis",
                    before: .list(["contract", "legitimate-interests"]),
                    after: .list(["contract", "legitimate-interests", "consent"]), categories: ["health"],
                    impact: .notify, rule: "legal-basis-added")
            ])
    }

    @Test("a basis removed while another remains is notify", arguments: ["en", "nl"])
    func basisRemoved(language: String) throws {
        let records = try changes(language, [(careBases, "basis: legitimate-interests")])
        #expect(
            records == [
                Key(
                    kind: "legal-basis-removed", element: "purpose/care", field: "basis",
                    before: .list(["contract", "legitimate-interests"]), after: .text("legitimate-interests"),
                    categories: ["health"], impact: .notify, rule: "legal-basis-removed")
            ])
    }

    @Test("the other bases removed, consent alone remains: favourable", arguments: ["en", "nl"])
    func narrowedToConsent(language: String) throws {
        let records = try changes(
            language, before: [("basis: consent\n", "basis: [contract, consent]\n")],
            [("basis: [contract, consent]\n", "basis: [consent]\n")])
        #expect(
            records == [
                Key(
                    kind: "legal-basis-removed", element: "purpose/newsletter", field: "basis",
                    before: .list(["contract", "consent"]), after: .text("consent"), categories: ["email"],
                    impact: .favourable, rule: "legal-basis-narrowed-to-consent")
            ])
    }

    @Test("a basis replaced by another is a changed basis, as before", arguments: ["en", "nl"])
    func basisReplaced(language: String) throws {
        let single = try changes(language, [("basis: consent\n", "basis: contract\n")])
        #expect(
            single == [
                Key(
                    kind: "legal-basis-changed", element: "purpose/newsletter", field: "basis",
                    before: .text("consent"),
                    after: .text("contract"), categories: ["email"], impact: .notify, rule: "legal-basis-changed")
            ])
        let listed = try changes(language, [(careBases, "basis: [legal-obligation, legitimate-interests]")])
        #expect(listed.map(\.kind) == ["legal-basis-changed"])
        #expect(listed.map(\.impact) == [.notify])
    }

    @Test("the order of the bases is no change", arguments: ["en", "nl"])
    func basesReordered(language: String) throws {
        #expect(try changes(language, [(careBases, "basis: [legitimate-interests, contract]")]) == [])
    }

    @Test("a purpose's statute or Art. 9(2) condition changed is substance", arguments: ["en", "nl"])
    func legalReferenceChanged(language: String) throws {
        let statute = language == "en" ? "Medical Devices Act" : "Wet medische hulpmiddelen"
        let renamed = language == "en" ? "Medical Devices Regulation" : "Verordening medische hulpmiddelen"
        let records = try changes(
            language,
            [
                ("statute: \(statute)", "statute: \(renamed)"),
                ("special-category-condition: health-care\n", ""),
            ])
        #expect(
            records == [
                Key(
                    kind: "purpose-reference-changed", element: "purpose/care", field: "statute",
                    before: .text(statute), after: .text(renamed), categories: ["health"], impact: .notify,
                    rule: "legal-reference-changed"),
                Key(
                    kind: "purpose-reference-changed", element: "purpose/care", field: "special-category-condition",
                    before: .text("health-care"), after: nil, categories: ["health"], impact: .notify,
                    rule: "legal-reference-changed"),
            ])
    }

    @Test func basisDecisions() {
        #expect(PurposeRules.bases(before: [.contract], after: [.contract]) == nil)
        #expect(PurposeRules.bases(before: [], after: [.contract])?.rule.id == "legal-basis-changed")
        #expect(PurposeRules.bases(before: [.contract], after: [])?.rule.id == "legal-basis-changed")
        #expect(
            PurposeRules.bases(before: [.contract, .consent], after: [.consent, .legalObligation])?.rule.id
                == "legal-basis-changed")
        #expect(PurposeRules.bases(before: [.consent], after: [.consent, .contract])?.rule.id == "legal-basis-added")
        #expect(
            PurposeRules.bases(before: [.consent, .contract], after: [.contract])?.rule.id == "legal-basis-removed")
        #expect(
            PurposeRules.bases(before: [.legitimateInterests, .contract, .consent], after: [.consent])?.rule.id
                == "legal-basis-narrowed-to-consent")
    }

    @Test("a provider no longer named concerns only the data its cookie collects", arguments: ["en", "nl"])
    func cookieProviderRemoved(language: String) throws {
        let records = try changes(language, [("  provider: tracker\n", "")])
        #expect(
            records == [
                Key(
                    kind: "cookie-changed", element: "cookie/tracker", field: "provider", before: .list(["tracker"]),
                    after: nil, categories: ["usage"], impact: .notify, rule: "statement-removed")
            ])
    }

    @Test("a cookie moved into the necessary category is notify", arguments: ["en", "nl"])
    func cookieNowNecessary(language: String) throws {
        let records = try changes(
            language,
            [
                ("  consent: true\n  consent-category: marketing", "  consent: false\n  consent-category: necessary")
            ])
        #expect(
            records == [
                Key(
                    kind: "cookie-changed", element: "cookie/tracker", field: "consent", before: .flag(true),
                    after: .flag(false), categories: ["usage"], impact: .notify, rule: "statement-removed"),
                Key(
                    kind: "cookie-changed", element: "cookie/tracker", field: "consent-category",
                    before: .text("marketing"), after: .text("necessary"), categories: ["usage"], impact: .notify,
                    rule: "cookie-now-necessary"),
            ])
    }

    @Test("a cookie's category, purposes, data and party changed otherwise", arguments: ["en", "nl"])
    func cookieChangedForVisitsFromNowOn(language: String) throws {
        let records = try changes(
            language,
            [
                ("consent-category: marketing", "consent-category: statistics"),
                ("purpose: [analytics, newsletter]", "purpose: analytics"),
                ("  first-party: true\n", "  first-party: false\n"),
            ])
        #expect(
            records == [
                Key(
                    kind: "cookie-changed", element: "cookie/visits", field: "purpose",
                    before: .list(["analytics", "newsletter"]), after: .text("analytics"), categories: ["usage"],
                    impact: .future, rule: "cookie-added"),
                Key(
                    kind: "cookie-changed", element: "cookie/visits", field: "first-party", before: .flag(true),
                    after: .flag(false), categories: ["usage"], impact: .future, rule: "cookie-added"),
                Key(
                    kind: "cookie-changed", element: "cookie/tracker", field: "consent-category",
                    before: .text("marketing"), after: .text("statistics"), categories: ["usage"], impact: .future,
                    rule: "cookie-added"),
            ])
    }

    @Test func cookieDecisions() {
        #expect(CookieRules.consentCategory(before: .marketing, after: .necessary).id == "cookie-now-necessary")
        #expect(CookieRules.consentCategory(before: .marketing, after: nil).id == "cookie-now-necessary")
        #expect(CookieRules.consentCategory(before: .necessary, after: .statistics).id == "removed")
        #expect(CookieRules.consentCategory(before: nil, after: .statistics).id == "cookie-added")
        #expect(CookieRules.collected(before: ["usage", "email"], after: ["usage"]).id == "removed")
        #expect(CookieRules.collected(before: ["usage"], after: ["usage", "email"]).id == "cookie-added")
        #expect(CookieRules.collected(before: ["usage"], after: []).id == "statement-removed")
    }

    @Test("a wider storage area is a weaker promise: notify", arguments: ["en", "nl"])
    func storageWidened(language: String) throws {
        let records = try changes(language, [("stored-in: [eea]", "stored-in: [worldwide]")])
        #expect(
            records == [
                Key(
                    kind: "recipient-area-changed", element: "recipient/tracker", field: "stored-in",
                    before: .list(["eea"]), after: .list(["worldwide"]), categories: ["usage"], impact: .notify,
                    rule: "storage-area-widened")
            ])
        let another = try changes(language, [("stored-in: [eea]", "stored-in: [eea, US]")])
        #expect(another.map(\.rule) == ["storage-area-widened"])
        let dropped = try changes(language, [("stored-in: [eea]\n", "")])
        #expect(dropped.map(\.impact) == [.notify])
        let accessed = try changes(
            language, [("stored-in: [eea]\n", "stored-in: [eea]\naccessed-from: [US]\n")])
        #expect(
            accessed == [
                Key(
                    kind: "recipient-area-changed", element: "recipient/tracker", field: "accessed-from", before: nil,
                    after: .list(["US"]), categories: ["usage"], impact: .notify, rule: "storage-area-widened")
            ])
    }

    @Test(
        "a narrower storage area is favourable; the same places written otherwise are wording", arguments: ["en", "nl"])
    func storageNarrowed(language: String) throws {
        let records = try changes(language, [("stored-in: [eea]", "stored-in: [NL]")])
        #expect(
            records == [
                Key(
                    kind: "recipient-area-changed", element: "recipient/tracker", field: "stored-in",
                    before: .list(["eea"]), after: .list(["NL"]), categories: ["usage"], impact: .favourable,
                    rule: "storage-area-narrowed")
            ])
        let same = try changes(
            language, before: [("stored-in: [eea]", "stored-in: [worldwide]")],
            [("stored-in: [worldwide]", "stored-in: [eea, outside-eea]")])
        #expect(same.map(\.impact) == [.editorial])
        #expect(same.map(\.categories) == [[]])
    }

    @Test func areaDecisions() {
        #expect(AreaRules.change("stored-in", before: ["NL"], after: ["eea"])?.id == "storage-area-widened")
        #expect(AreaRules.change("stored-in", before: ["eea"], after: ["DE", "NL"])?.id == "storage-area-narrowed")
        #expect(AreaRules.change("stored-in", before: ["DE"], after: ["FR"])?.id == "storage-area-widened")
        #expect(AreaRules.change("stored-in", before: [], after: ["eea"])?.id == "storage-area-narrowed")
        #expect(AreaRules.change("accessed-from", before: [], after: ["NL"])?.id == "storage-area-widened")
        #expect(AreaRules.change("stored-in", before: ["worldwide"], after: ["eea", "outside-eea"]) == nil)
        #expect(
            AreaRules.change("accessed-from", before: ["US", "IN"], after: ["outside-eea"])?.id
                == "storage-area-widened")
        #expect(
            AreaRules.change("accessed-from", before: ["outside-eea"], after: ["US"])?.id == "storage-area-narrowed")
    }

    @Test("backups kept longer after deletion are notify, shorter favourable", arguments: ["en", "nl"])
    func backupsOutliveDeletion(language: String) throws {
        let profile = "until: end-of-relationship\n"
        let stated = [(profile, profile + "backups: P30D\n")]
        let longer = try changes(language, before: stated, [("backups: P30D", "backups: P3M")])
        #expect(
            longer == [
                Key(
                    kind: "retention-backups-changed", element: "retention/profile", field: "backups",
                    before: .text("P30D"), after: .text("P3M"), categories: ["email", "health"], impact: .notify,
                    rule: "retention-not-shorter")
            ])
        let shorter = try changes(language, before: stated, [("backups: P30D", "backups: P1W")])
        #expect(shorter.map(\.rule) == ["retention-shortened"])
        #expect(shorter.map(\.impact) == [.favourable])
        let newly = try changes(language, [(profile, profile + "backups: P30D\n")])
        #expect(newly.map(\.impact) == [.notify])
        let dropped = try changes(language, before: stated, [("backups: P30D\n", "")])
        #expect(dropped.map(\.rule) == ["statement-removed"])
    }

    @Test("a recipient's own opt-out link added is favourable, taken away notify", arguments: ["en", "nl"])
    func optOutLink(language: String) throws {
        let link = "opt-out-url: https://tracker.example/opt-out\n"
        let added = try changes(language, [("stored-in: [eea]\n", "stored-in: [eea]\n" + link)])
        #expect(
            added == [
                Key(
                    kind: "recipient-opt-out-changed", element: "recipient/tracker", field: "opt-out-url", before: nil,
                    after: .text("https://tracker.example/opt-out"), categories: [], impact: .favourable,
                    rule: "recipient-opt-out-added")
            ])
        let removed = try changes(language, before: [("stored-in: [eea]\n", "stored-in: [eea]\n" + link)], [(link, "")])
        #expect(removed.map(\.rule) == ["statement-removed"])
        #expect(removed.map(\.categories) == [["usage"]])
    }

    @Test("a Californian right: its opt-out channel removed and its law changed are notify", arguments: ["en", "nl"])
    func rightsUnderAnotherLaw(language: String) throws {
        let rights = californianRights(language)
        let channel = try changes(
            language, [("channels: [web-form, browser-add-on]", "channels: [web-form]")], extra: rights)
        #expect(
            channel == [
                Key(
                    kind: "right-channels-changed", element: "right/opt-out-of-sale-or-sharing", field: "channels",
                    before: .list(["web-form", "browser-add-on"]), after: .list(["web-form"]),
                    categories: ["email", "health", "usage"], impact: .notify, rule: "right-weakened")
            ])
        let law = try changes(
            language, [("  law: ccpa\n  channels: [web-form, phone]", "  channels: [web-form, phone]")], extra: rights)
        #expect(
            law == [
                Key(
                    kind: "right-law-changed", element: "right/know", field: "law", before: .text("ccpa"),
                    after: .text("gdpr"), categories: ["email", "health", "usage"], impact: .notify,
                    rule: "right-weakened")
            ])
        // An explicit 'law: gdpr' is the default, not a change.
        let response = "response: P30D\n"
        #expect(try changes(language, [(response, response + "law: gdpr\n")]) == [])
    }
}
