import Foundation
import Testing

@testable import PolicyDiff
@testable import PolicyModel

// Each miss found by writing Basecamp's and GitHub's real policies in the format (issue 8): a change that matters
// and came out `editorial`, or a `notify` record that named data never held. Every test shows the class now.

@Suite("Changes of substance in real policies are classified by who must be told")
struct SubstantiveChangeTests {
    // MARK: Transfers by the controller itself (Basecamp, July → December 2020)

    @Test("Basecamp: Privacy Shield to clauses plus an Art. 49(1)(b) derogation, data stored in the US, is notify")
    func basecampTransfer() {
        let records = factChanges(
            old: {
                $0.controller.country = "US"
                $0.controller.transferGrounds = [.adequacy]
            },
            new: {
                $0.controller.transferGrounds = [.standardContractualClauses, .derogationContract]
            })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "transfer-grounds-changed", element: "controller", field: "transfer-grounds",
                    before: .list(["adequacy"]),
                    after: .list(["standard-contractual-clauses", "derogation-contract"]), categories: allHeld,
                    impact: .notify, rule: "transfer-grounds-changed")
            ])
    }

    // MARK: Promises

    @Test("a promise removed is notify for all data held when it names none, for its own categories when it does")
    func commitmentRemoved() {
        let all = factChanges { $0.commitments.remove(id: "no-sale") }
        #expect(
            all.map(\.key) == [
                Key(
                    kind: "commitment-removed", element: "commitment/no-sale",
                    before: .text("Wij verkopen uw gegevens nooit"), categories: allHeld,
                    impact: .notify, rule: "commitment-weakened")
            ])
        let payment = factChanges { $0.commitments.remove(id: "no-payment-sharing") }
        #expect(payment.map(\.categories) == [["payment"]])
        #expect(payment.map(\.impact) == [.notify])
    }

    @Test("a promise reworded is notify: the label is the promise, so the outcome does not depend on how it was edited")
    func commitmentReworded() {
        let reworded = factChanges {
            $0.commitments[id: "no-sale"].label = "Wij verkopen uw gegevens nooit, behalve aan partners"
        }
        #expect(
            reworded.map(\.key) == [
                Key(
                    kind: "commitment-changed", element: "commitment/no-sale", field: "label",
                    before: .text("Wij verkopen uw gegevens nooit"),
                    after: .text("Wij verkopen uw gegevens nooit, behalve aan partners"), categories: allHeld,
                    impact: .notify, rule: "commitment-weakened")
            ])
        let replaced = factChanges {
            $0.commitments.remove(id: "no-sale")
            $0.commitments.append(
                Commitment(id: "no-sale-except-partners", label: "Wij verkopen uw gegevens nooit, behalve aan partners")
            )
        }
        #expect(replaced.map(\.impact) == [.favourable, .notify])
        #expect(replaced.contains { $0.impact == .notify && $0.categories == allHeld })
    }

    @Test("a promise narrowed is notify for the data it no longer covers; widened or new, favourable")
    func commitmentScope() {
        let narrowed = factChanges { $0.commitments[id: "no-sale"].categories = ["payment"] }
        #expect(
            narrowed.map(\.key) == [
                Key(
                    kind: "commitment-categories-removed", element: "commitment/no-sale", field: "categories",
                    before: .list([]), after: .list(["payment"]),
                    categories: ["email", "name-address"], impact: .notify, rule: "commitment-weakened")
            ])
        let widened = factChanges { $0.commitments[id: "no-payment-sharing"].categories = [] }
        #expect(widened.map(\.impact) == [.favourable])
        #expect(widened.map(\.rule) == ["commitment-added"])
        let added = factChanges {
            $0.commitments.append(Commitment(id: "no-children", label: "Geen kinderen onder de 16"))
        }
        #expect(
            added.map(\.key) == [
                Key(
                    kind: "commitment-added", element: "commitment/no-children",
                    after: .text("Geen kinderen onder de 16"), impact: .favourable, rule: "commitment-added")
            ])
    }

    // MARK: Data held before it was disclosed (Basecamp's December version)

    @Test("a category held before, listed for the first time, is notify, and so is a purpose or recipient using it")
    func heldBefore() {
        let records = factChanges {
            $0.categories.append(
                DataCategory(id: "job-applications", label: "Sollicitaties", required: false, heldBefore: true))
            $0.purposes.append(
                Purpose(id: "hiring", label: "Werving", basis: .contract, categories: ["job-applications"]))
            $0.recipients.append(
                Recipient(
                    id: "ats", name: "Werving B.V.", role: .processor, categories: ["job-applications"], country: "NL"))
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "category-disclosed", element: "category/job-applications", after: .text("Sollicitaties"),
                    categories: ["job-applications"],
                    impact: .notify, rule: "category-disclosed"),
                Key(
                    kind: "purpose-added", element: "purpose/hiring", after: .list(["job-applications"]),
                    categories: ["job-applications"],
                    impact: .notify, rule: "purpose-on-existing-data"),
                Key(
                    kind: "recipient-added", element: "recipient/ats", after: .list(["job-applications"]),
                    categories: ["job-applications"],
                    impact: .notify, rule: "recipient-new-existing-data"),
            ])
    }

    @Test("a new category used by a purpose that already existed asks the author whether it was held before")
    func newCategoryOnExistingPurpose() {
        let records = factChanges {
            $0.categories.append(DataCategory(id: "orders", label: "Bestellingen", required: true))
            $0.purposes[id: "payment"].categories.append("orders")
        }
        #expect(records.map(\.kind.rawValue) == ["category-added", "purpose-categories-added"])
        #expect(records.map(\.impact) == [.future, .future])
        #expect(records.last?.review == Review(.newCategoryOnExistingPurpose, facts: ["category/orders"]))
        // Marked as held before, the same edit is notify and needs no question.
        let marked = factChanges {
            $0.categories.append(DataCategory(id: "orders", label: "Bestellingen", required: true, heldBefore: true))
            $0.purposes[id: "payment"].categories.append("orders")
        }
        #expect(marked.map(\.impact) == [.notify, .notify])
        #expect(marked.allSatisfy { $0.review == nil })
    }

    // MARK: Labels with substance

    @Test("a security measure relabelled is editorial, flagged for review; deleting it is notify")
    func securityMeasureRelabelled() {
        let relabelled = factChanges {
            $0.securityMeasures[id: "ssl"].label = "Beveiligde SSL-verbinding, behalve bij storingen"
        }
        #expect(
            relabelled.map(\.key) == [
                Key(
                    kind: "security-measure-text-changed", element: "security-measure/ssl", field: "label",
                    before: .text("Beveiligde SSL-verbinding"),
                    after: .text("Beveiligde SSL-verbinding, behalve bij storingen"), impact: .editorial,
                    rule: "wording")
            ])
        #expect(relabelled.first?.review == Review(.labelMayCarrySubstance, facts: ["security-measure/ssl"]))
        #expect(factChanges { $0.securityMeasures.remove(id: "ssl") }.map(\.impact) == [.notify])
    }

    // MARK: Removals are never future

    @Test("a cookie whose purpose is no longer stated is notify, not future")
    func cookiePurposeRemoved() {
        let records = factChanges { $0.cookies[id: "session"].purpose = nil }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "cookie-changed", element: "cookie/session", field: "purpose", before: .text("payment"),
                    categories: allHeld,
                    impact: .notify, rule: "statement-removed")
            ])
    }

    @Test("cookie changes that only take away are favourable; no longer asking consent is notify")
    func cookieDirections() {
        #expect(factChanges { $0.cookies[id: "session"].consent = true }.map(\.rule) == ["removed"])
        #expect(
            factChanges(old: { $0.cookies[id: "session"].consent = true }) { $0.cookies[id: "session"].consent = false }
                .map(\.rule) == ["statement-removed"])
        #expect(
            factChanges(old: { $0.cookies[id: "session"].lifetime = .duration(duration("P2Y")) }) {
                $0.cookies[id: "session"].lifetime = .duration(duration("P1M"))
            }.map(\.rule) == ["removed"])
        #expect(
            factChanges(old: { $0.cookies[id: "session"].lifetime = .persistent }) {
                $0.cookies[id: "session"].lifetime = .session
            }.map(\.rule) == ["removed"])
        #expect(factChanges { $0.cookies[id: "session"].lifetime = .persistent }.map(\.rule) == ["cookie-added"])
        #expect(factChanges { $0.cookies[id: "session"].providers = ["sisow"] }.map(\.rule) == ["cookie-added"])
        #expect(
            factChanges(old: { $0.cookies[id: "session"].providers = ["sisow", "mailchimp"] }) {
                $0.cookies[id: "session"].providers = ["sisow"]
            }
            .map(\.rule) == ["removed"])
    }

    @Test("no fact change is ever classed future when its new value is absent")
    func removalsNeverFuture() {
        var old = baseVersion()
        old.categories[id: "email"].source = "Van uw werkgever"
        old.cookies[id: "session"].providers = ["sisow"]
        old.cookies[id: "session"].consentFor = "Bezoekers uit de EER"
        old.cookies[id: "session"].consent = true
        var new = old
        new.categories[id: "email"].source = nil
        new.categories[id: "email"].required = nil
        new.cookies[id: "session"] = Cookie(id: "session", name: "PHPSESSID")
        let records = FactDiff.compare(old, new)
        #expect(records.count == 8)
        for record in records where record.after == nil {
            #expect(record.impact != .future, "\(record.key)")
        }
    }

    // MARK: Notify categories that were never held

    @Test("a recipient that gains a purpose affects the data that purpose uses, not all it receives")
    func recipientGainsPurpose() {
        let records = factChanges {
            $0.categories.append(DataCategory(id: "phone", label: "Telefoonnummer", required: true))
            $0.recipients[id: "sisow"].categories += ["phone", "email"]
            $0.purposes.append(Purpose(id: "newsletter", label: "Nieuwsbrief", basis: .consent, categories: ["email"]))
            $0.recipients[id: "sisow"].purposes.append("newsletter")
        }
        let purposes = records.first(where: { $0.kind == .recipientPurposesAdded })
        #expect(purposes != nil)
        #expect(purposes?.categories == ["email"])
        #expect(purposes?.impact == .notify)
        for record in records where record.impact == .notify {
            #expect(Set(record.categories).isSubset(of: Set(allHeld)) && !record.categories.isEmpty, "\(record.key)")
        }
    }

    // MARK: Retention of a removed category, retention forms

    @Test("a retention period that becomes indefinite is notify; an indefinite one that becomes a period is favourable")
    func indefiniteRetention() {
        let longer = factChanges {
            $0.retention[id: "payment"] = Retention(id: "payment", categories: ["payment"], indefinitely: true)
        }
        #expect(longer.map(\.kind.rawValue) == ["retention-lengthened"])
        #expect(longer.map(\.impact) == [.notify])
        let shorter = factChanges(
            old: {
                $0.retention[id: "payment"] = Retention(id: "payment", categories: ["payment"], indefinitely: true)
            },
            new: {
                $0.retention[id: "payment"] = Retention(
                    id: "payment", categories: ["payment"], duration: duration("P7Y"))
            })
        #expect(shorter.map(\.kind.rawValue) == ["retention-shortened"])
        #expect(shorter.map(\.impact) == [.favourable])
        let criteria = factChanges {
            $0.retention[id: "payment"] = Retention(id: "payment", categories: ["payment"], criteria: "Zolang nodig")
        }
        #expect(criteria.map(\.impact) == [.notify])
    }

    @Test("a second period counted from deletion is a change of the category's retention: notify")
    func secondPeriod() {
        let records = factChanges {
            $0.retention.append(
                Retention(id: "trash", categories: ["email"], duration: duration("P30D"), from: .deletion))
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "retention-changed", element: "retention/customer-profile", field: "period",
                    before: .text("until end-of-relationship"),
                    after: .text("P30D from deletion + until end-of-relationship"), categories: ["email"],
                    impact: .notify, rule: "retention-not-shorter")
            ])
    }

    // MARK: Headings

    @Test("a heading changed only in capitals is wording, not a rename")
    func headingCapitals() {
        var new = baseVersion()
        new.sections[id: "betalingen"].heading = "BETALINGEN"
        let diff = VersionDiff.compare(baseVersion(), new)
        #expect(diff.changes.map(\.kind.rawValue) == ["section-changed"])
        #expect(diff.sections.first?.status == .changed)
        #expect(diff.sections.first?.previousHeading == "Betalingen")
        new.sections[id: "betalingen"].heading = "Betaling"
        new.sections[id: "betalingen"].id = "betaling"
        #expect(VersionDiff.compare(baseVersion(), new).changes.map(\.kind.rawValue) == ["section-renamed"])
    }

    // MARK: One JSON type for yes/no

    @Test("every yes/no in the change records is a JSON boolean")
    func booleansAreBooleans() throws {
        var new = baseVersion()
        new.privacyContact?.dpo = true
        new.cookies[id: "session"].consent = true
        new.recipients[id: "sisow"].ownPurposes = true
        new.categories[id: "email"].required = false
        let json = String(decoding: try JSONEncoder().encode(FactDiff.compare(baseVersion(), new)), as: UTF8.self)
        #expect(json.contains(#""after":true"#))
        #expect(
            !json.contains(#""yes""#) && !json.contains(#""no""#) && !json.contains(#""true""#)
                && !json.contains(#""false""#))
    }

    // MARK: The other new values, one diff each

    @Test("a second controller is notify for all data held; a controller's region reworded is editorial")
    func severalControllers() {
        let added = factChanges(
            old: { $0.controllers[0].id = "eu" },
            new: {
                $0.controllers.append(
                    Controller(
                        id: "us", name: "Kaviaarshop Inc.", region: "Buiten de EER", country: "US",
                        transferGrounds: [.standardContractualClauses]))
            })
        #expect(
            added.map(\.key) == [
                Key(
                    kind: "controller-added", element: "controller/us", after: .text("Kaviaarshop Inc."),
                    categories: allHeld, impact: .notify, rule: "controller-changed")
            ])
        let region = factChanges(
            old: {
                $0.controllers[0].id = "eu"
                $0.controllers[0].region = "EER"
            }, new: { $0.controllers[0].region = "De EER" })
        #expect(
            region.map(\.key) == [
                Key(
                    kind: "controller-text-changed", element: "controller/eu", field: "region", before: .text("EER"),
                    after: .text("De EER"),
                    impact: .editorial, rule: "wording")
            ])
        let contact = factChanges(
            old: { $0.controllers[0].privacyContact = Contact(email: "privacy@kaviaarshop.nl") },
            new: {
                $0.controllers[0].privacyContact = Contact(email: "dpo@kaviaarshop.nl", dpo: true)
            })
        #expect(contact.map(\.kind.rawValue) == ["privacy-contact-changed", "privacy-contact-changed"])
        #expect(contact.map(\.element) == ["controller/privacy-contact", "controller/privacy-contact"])
        #expect(contact.last?.after == .flag(true))
    }

    @Test("complaints to the authority where the customer lives instead of a named one: notify")
    func authorityOfResidence() {
        let records = factChanges { $0.supervisoryAuthority = Authority(residence: true) }
        #expect(records.map(\.field) == ["name", "country", "residence"])
        #expect(records.allSatisfy { $0.impact == .notify && $0.categories == allHeld })
    }

    @Test("a sub-processor list moved is editorial, for review")
    func listURL() {
        let records = factChanges(
            old: { $0.recipients[id: "mailchimp"].listURL = "https://example.com/a" },
            new: {
                $0.recipients[id: "mailchimp"].listURL = "https://example.com/b"
            })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "recipient-text-changed", element: "recipient/mailchimp", field: "list-url",
                    before: .text("https://example.com/a"),
                    after: .text("https://example.com/b"), categories: ["email"], impact: .editorial, rule: "wording")
            ])
        #expect(records.first?.review?.reason == .labelMayCarrySubstance)
    }

    @Test("consent asked of other visitors: future; no longer saying of whom: notify")
    func consentFor() {
        let old: (inout PolicyVersion) -> Void = {
            $0.cookies[id: "session"].consent = true
            $0.cookies[id: "session"].consentFor = "Bezoekers uit de EER"
        }
        #expect(
            factChanges(old: old) { $0.cookies[id: "session"].consentFor = "Alle bezoekers" }.map(\.rule) == [
                "cookie-added"
            ])
        #expect(
            factChanges(old: old) { $0.cookies[id: "session"].consentFor = nil }.map(\.rule) == ["statement-removed"])
    }

    @Test("a category group reworded is editorial")
    func categoryGroups() {
        let group = CategoryGroup(id: "account", label: "Uw account", categories: ["name-address", "email"])
        #expect(
            factChanges(old: { $0.categoryGroups = [group] }) { $0.categoryGroups[0].label = "Uw accountgegevens" }.map(
                \.key) == [
                    Key(
                        kind: "category-group-text-changed", element: "category-group/account", field: "label",
                        before: .text("Uw account"),
                        after: .text("Uw accountgegevens"), categories: ["email", "name-address"], impact: .editorial,
                        rule: "wording")
                ])
    }
}
