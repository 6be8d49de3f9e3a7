import Testing

@testable import PolicyDiff
@testable import PolicyModel

// One test (or a few) per row of the rule table in docs/domain.md §3, each a minimal pair: the base version and
// the same with exactly one change. Each asserts the complete list of fact records, so an extra record fails too.

@Suite("Rule table, docs/domain.md §3")
struct RuleTableTests {
    @Test("identical versions give no records")
    func identical() {
        #expect(FactDiff.compare(baseVersion(), baseVersion()).isEmpty)
        let diff = VersionDiff.compare(baseVersion(), baseVersion())
        #expect(diff.changes.isEmpty)
        #expect(diff.sections.isEmpty)
        #expect(!diff.hasNotify)
    }

    // MARK: notify

    @Test("new purpose that uses a data category already collected: notify")
    func newPurposeOnExistingData() {
        let records = factChanges {
            $0.purposes.append(
                Purpose(id: "newsletter", label: "Nieuwsbrief", basis: .consent, interest: nil, categories: ["email"]))
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "purpose-added", element: "purpose/newsletter", after: .list(["email"]),
                    categories: ["email"],
                    impact: .notify, rule: "purpose-on-existing-data")
            ])
        #expect(records.first?.label == "Nieuwsbrief")
    }

    @Test("an existing purpose now uses a category already collected: notify")
    func existingPurposeGetsExistingData() {
        let records = factChanges { $0.purposes[id: "correspondence"].categories = ["email", "name-address"] }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "purpose-categories-added", element: "purpose/correspondence", field: "categories",
                    before: .list(["email"]), after: .list(["email", "name-address"]), categories: ["name-address"],
                    impact: .notify, rule: "purpose-on-existing-data")
            ])
    }

    @Test("legal basis of an existing purpose changed: notify")
    func legalBasisChanged() {
        let records = factChanges { $0.purposes[id: "payment"].basis = .legalObligation }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "legal-basis-changed", element: "purpose/payment", field: "basis", before: .text("contract"),
                    after: .text("legal-obligation"), categories: ["name-address", "payment"], impact: .notify,
                    rule: "legal-basis-changed")
            ])
    }

    @Test("legal basis newly stated on an existing purpose: notify")
    func legalBasisStated() {
        let records = factChanges(
            old: { $0.purposes[id: "payment"].basis = nil },
            new: {
                $0.purposes[id: "payment"].basis = .contract
            })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "legal-basis-changed", element: "purpose/payment", field: "basis", before: nil,
                    after: .text("contract"),
                    categories: ["name-address", "payment"], impact: .notify, rule: "legal-basis-changed")
            ])
    }

    @Test("legitimate interest of an existing purpose changed: notify")
    func interestChanged() {
        let records = factChanges(
            old: {
                $0.purposes[id: "correspondence"].basis = .legitimateInterests
                $0.purposes[id: "correspondence"].interest = "Klantenservice"
            }, new: { $0.purposes[id: "correspondence"].interest = "Klantenservice en marketing" })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "legitimate-interest-changed", element: "purpose/correspondence", field: "interest",
                    before: .text("Klantenservice"),
                    after: .text("Klantenservice en marketing"), categories: ["email"], impact: .notify,
                    rule: "legitimate-interest-changed")
            ])
    }

    @Test("a new recipient receives a category already collected: notify")
    func newRecipientExistingData() {
        let records = factChanges {
            $0.recipients.append(
                Recipient(
                    id: "postnl", name: "PostNL", role: .processor, categories: ["name-address"], purposes: ["payment"],
                    country: "NL", ownPurposes: false))
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "recipient-added", element: "recipient/postnl", after: .list(["name-address"]),
                    categories: ["name-address"],
                    impact: .notify, rule: "recipient-new-existing-data")
            ])
        #expect(records.first?.label == "PostNL")
    }

    @Test("an existing recipient receives a category already collected it did not receive before: notify")
    func existingRecipientExistingData() {
        let records = factChanges { $0.recipients[id: "sisow"].categories.append("email") }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "recipient-categories-added", element: "recipient/sisow", field: "categories",
                    before: .list(["name-address", "payment"]), after: .list(["name-address", "payment", "email"]),
                    categories: ["email"],
                    impact: .notify, rule: "recipient-new-existing-data")
            ])
    }

    @Test("an existing recipient processes data for a purpose it did not before: notify")
    func recipientPurposesAdded() {
        let records = factChanges { $0.recipients[id: "sisow"].purposes.append("later-contact") }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "recipient-purposes-added", element: "recipient/sisow", field: "purposes",
                    before: .list(["payment"]),
                    after: .list(["payment", "later-contact"]), categories: ["name-address", "payment"],
                    impact: .notify, rule: "recipient-purposes-added")
            ])
    }

    @Test("a recipient's role changed: notify")
    func recipientRoleChanged() {
        let records = factChanges { $0.recipients[id: "sisow"].role = .independentController }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "recipient-role-changed", element: "recipient/sisow", field: "role",
                    before: .text("processor"),
                    after: .text("independent-controller"), categories: ["name-address", "payment"], impact: .notify,
                    rule: "recipient-role-changed")
            ])
    }

    @Test("a recipient moves to another country inside the EEA: notify")
    func recipientMovesCountry() {
        let records = factChanges { $0.recipients[id: "sisow"].country = "DE" }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "country-changed", element: "recipient/sisow", field: "country", before: .text("NL"),
                    after: .text("DE"),
                    categories: ["name-address", "payment"], impact: .notify, rule: "country-changed")
            ])
    }

    @Test("a recipient moves from one third country to another: notify")
    func recipientMovesBetweenThirdCountries() {
        let records = factChanges { $0.recipients[id: "mailchimp"].country = "IN" }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "country-changed", element: "recipient/mailchimp", field: "country", before: .text("US"),
                    after: .text("IN"),
                    categories: ["email"], impact: .notify, rule: "country-changed")
            ])
    }

    @Test("a transfer outside the EEA appears: notify")
    func transferIntroduced() {
        let records = factChanges { $0.recipients[id: "sisow"].country = "US" }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "transfer-introduced", element: "recipient/sisow", field: "country", before: .text("NL"),
                    after: .text("US"),
                    categories: ["name-address", "payment"], impact: .notify, rule: "transfer-introduced")
            ])
    }

    @Test("a transfer's safeguard is replaced by a derogation: notify")
    func safeguardWeakened() {
        let records = factChanges { $0.recipients[id: "mailchimp"].transferGrounds = [.derogationContract] }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "transfer-grounds-changed", element: "recipient/mailchimp", field: "transfer-grounds",
                    before: .list(["standard-contractual-clauses"]),
                    after: .list(["derogation-contract"]), categories: ["email"], impact: .notify,
                    rule: "transfer-grounds-changed")
            ])
    }

    @Test("a transfer's safeguard is removed: notify")
    func safeguardRemoved() {
        let records = factChanges { $0.recipients[id: "mailchimp"].transferGrounds = [] }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "transfer-grounds-changed", element: "recipient/mailchimp", field: "transfer-grounds",
                    before: .list(["standard-contractual-clauses"]),
                    after: .list([]), categories: ["email"], impact: .notify, rule: "transfer-grounds-changed")
            ])
    }

    @Test("a recipient may now use the data for its own purposes: notify")
    func ownPurposesAllowed() {
        let records = factChanges { $0.recipients[id: "sisow"].ownPurposes = true }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "recipient-own-purposes-changed", element: "recipient/sisow", field: "own-purposes",
                    before: .flag(false), after: .flag(true),
                    categories: ["name-address", "payment"], impact: .notify, rule: "recipient-own-purposes")
            ])
    }

    @Test("retention of an existing category lengthened: notify")
    func retentionLengthened() {
        let records = factChanges { $0.retention[id: "payment"].duration = duration("P10Y") }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "retention-lengthened", element: "retention/payment", field: "period",
                    before: .text("P7Y from end-of-financial-year"),
                    after: .text("P10Y from end-of-financial-year"), categories: ["payment"], impact: .notify,
                    rule: "retention-not-shorter")
            ])
    }

    @Test("retention of an existing category made open-ended: notify")
    func retentionOpenEnded() {
        let records = factChanges {
            $0.retention[id: "payment"].duration = nil
            $0.retention[id: "payment"].from = nil
            $0.retention[id: "payment"].until = .erasureRequest
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "retention-changed", element: "retention/payment", field: "period",
                    before: .text("P7Y from end-of-financial-year"),
                    after: .text("until erasure-request"), categories: ["payment"], impact: .notify,
                    rule: "retention-not-shorter")
            ])
    }

    @Test("retention changed in a way not provably shorter (shorter, but counted from another event): notify")
    func retentionNotProvablyShorter() {
        let records = factChanges {
            $0.retention[id: "payment"].duration = duration("P5Y")
            $0.retention[id: "payment"].from = .lastOrder
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "retention-changed", element: "retention/payment", field: "period",
                    before: .text("P7Y from end-of-financial-year"),
                    after: .text("P5Y from last-order"), categories: ["payment"], impact: .notify,
                    rule: "retention-not-shorter")
            ])
    }

    @Test("controller identity changed: notify, touching every category held")
    func controllerNameChanged() {
        let records = factChanges { $0.controller.name = "Kaviaarshop B.V." }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "controller-changed", element: "controller", field: "name", before: .text("Kaviaarshop"),
                    after: .text("Kaviaarshop B.V."),
                    categories: allHeld, impact: .notify, rule: "controller-changed")
            ])
    }

    @Test("controller contact details changed: notify")
    func controllerContactChanged() {
        let cases: [(field: String, before: String, after: String, change: (inout PolicyVersion) -> Void)] = [
            (
                "email", "info@kaviaarshop.nl", "privacy@kaviaarshop.nl",
                { $0.controller.email = "privacy@kaviaarshop.nl" }
            ),
            (
                "address", "Vareseweg 121\n3047 AT Rotterdam", "Coolsingel 1\n3011 AD Rotterdam",
                { $0.controller.address = "Coolsingel 1\n3011 AD Rotterdam" }
            ),
            ("phone", "(6) 48152148", "010 1234567", { $0.controller.phone = "010 1234567" }),
            (
                "website", "https://www.kaviaarshop.nl", "https://kaviaarshop.nl",
                { $0.controller.website = "https://kaviaarshop.nl" }
            ),
        ]
        for item in cases {
            #expect(
                factChanges(new: item.change).map(\.key) == [
                    Key(
                        kind: "controller-changed", element: "controller", field: item.field,
                        before: .text(item.before), after: .text(item.after),
                        categories: allHeld, impact: .notify, rule: "controller-changed")
                ])
        }
    }

    @Test("privacy contact changed: notify")
    func privacyContactChanged() {
        let records = factChanges { $0.privacyContact?.email = "privacy@kaviaarshop.nl" }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "privacy-contact-changed", element: "privacy-contact", field: "email", before: nil,
                    after: .text("privacy@kaviaarshop.nl"),
                    categories: allHeld, impact: .notify, rule: "controller-changed")
            ])
    }

    @Test("a right removed: notify")
    func rightRemoved() {
        let records = factChanges { $0.rights.remove(id: "erasure") }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "right-removed", element: "right/erasure", categories: allHeld, impact: .notify,
                    rule: "right-weakened")
            ])
    }

    @Test("a right's response time lengthened: notify")
    func rightResponseLengthened() {
        let records = factChanges { $0.rights[id: "access"].response = duration("P2M") }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "right-response-changed", element: "right/access", field: "response", before: .text("P30D"),
                    after: .text("P2M"),
                    categories: allHeld, impact: .notify, rule: "right-weakened")
            ])
    }

    @Test("the way to exercise a right changed: notify")
    func rightChannelsChanged() {
        let records = factChanges { $0.rights[id: "access"].channels = [.post] }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "right-channels-changed", element: "right/access", field: "channels",
                    before: .list(["privacy-contact", "email"]),
                    after: .list(["post"]), categories: allHeld, impact: .notify, rule: "right-weakened")
            ])
    }

    @Test("where to complain changed (the supervisory authority): notify")
    func supervisoryAuthorityChanged() {
        let records = factChanges { $0.supervisoryAuthority?.country = "BE" }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "supervisory-authority-changed", element: "supervisory-authority", field: "country",
                    before: .text("NL"), after: .text("BE"),
                    categories: allHeld, impact: .notify, rule: "right-weakened")
            ])
    }

    @Test("automated decision-making introduced on existing data: notify")
    func automatedDecisionOnExistingData() {
        let records = factChanges {
            $0.automatedDecisions.append(
                AutomatedDecision(
                    id: "fraud-check", label: "Fraudecontrole", logic: "Score op betaalgedrag",
                    consequences: nil, ground: .contract, categories: ["payment", "name-address"], profiling: true))
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "automated-decision-added", element: "automated-decision/fraud-check",
                    after: .list(["payment", "name-address"]),
                    categories: ["name-address", "payment"], impact: .notify, rule: "automated-decision-existing-data")
            ])
    }

    @Test("profiling introduced on an existing automated decision: notify")
    func profilingIntroduced() {
        let decision = AutomatedDecision(
            id: "fraud-check", label: "Fraudecontrole", logic: "Score op betaalgedrag", consequences: nil,
            ground: .contract, categories: ["payment"], profiling: false)
        let records = factChanges(
            old: { $0.automatedDecisions = [decision] },
            new: {
                $0.automatedDecisions[id: "fraud-check"].profiling = true
            })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "automated-decision-changed", element: "automated-decision/fraud-check", field: "profiling",
                    before: .flag(false),
                    after: .flag(true), categories: ["payment"], impact: .notify,
                    rule: "automated-decision-existing-data")
            ])
    }

    @Test("a security measure protecting data held removed: notify")
    func securityMeasureRemoved() {
        let records = factChanges { $0.securityMeasures.remove(id: "ssl") }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "security-measure-removed", element: "security-measure/ssl", categories: allHeld,
                    impact: .notify, rule: "security-measure-removed")
            ])
    }

    // MARK: future

    @Test("new data category collected from now on: future")
    func newCategory() {
        let records = factChanges {
            $0.categories.append(
                DataCategory(id: "phone", label: "Telefoonnummer", required: false, consequence: nil, source: nil))
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "category-added", element: "category/phone", after: .text("Telefoonnummer"),
                    categories: ["phone"], impact: .future, rule: "category-added")
            ])
    }

    @Test("new cookie: future")
    func newCookie() {
        let records = factChanges {
            $0.cookies.append(
                Cookie(
                    id: "analytics", name: "_ga", purpose: nil, consent: true, lifetime: .duration(duration("P2Y")),
                    country: "US"))
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "cookie-added", element: "cookie/analytics", categories: [], impact: .future,
                    rule: "cookie-added")
            ])
        #expect(records.first?.label == "_ga")
    }

    @Test("a changed cookie: future")
    func cookieChanged() {
        let records = factChanges { $0.cookies[id: "session"].lifetime = .duration(duration("P1D")) }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "cookie-changed", element: "cookie/session", field: "lifetime", before: .text("session"),
                    after: .text("P1D"),
                    categories: [], impact: .future, rule: "cookie-added")
            ])
    }

    @Test("data that now must be provided: future; that no longer must: favourable; no longer said: notify")
    func categoryProvisionChanged() {
        let required = factChanges(
            old: { $0.categories[id: "email"].required = false },
            new: {
                $0.categories[id: "email"].required = true
            })
        #expect(
            required.map(\.key) == [
                Key(
                    kind: "category-provision-changed", element: "category/email", field: "required",
                    before: .flag(false), after: .flag(true),
                    categories: ["email"], impact: .future, rule: "category-collection-changed")
            ])
        let optional = factChanges { $0.categories[id: "email"].required = false }
        #expect(
            optional.map(\.key) == [
                Key(
                    kind: "category-provision-changed", element: "category/email", field: "required",
                    before: .flag(true), after: .flag(false),
                    categories: ["email"], impact: .favourable, rule: "removed")
            ])
        // A removal is never `future`: the statement is gone, and that cannot be shown harmless.
        let unstated = factChanges { $0.categories[id: "email"].required = nil }
        #expect(
            unstated.map(\.key) == [
                Key(
                    kind: "category-provision-changed", element: "category/email", field: "required",
                    before: .flag(true), after: nil,
                    categories: ["email"], impact: .notify, rule: "statement-removed")
            ])
    }

    // MARK: favourable

    @Test("recipient removed: favourable")
    func recipientRemoved() {
        let records = factChanges { $0.recipients.remove(id: "mailchimp") }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "recipient-removed", element: "recipient/mailchimp", before: .list(["email"]),
                    categories: ["email"], impact: .favourable, rule: "removed")
            ])
        #expect(records.first?.label == "Mailchimp")
    }

    @Test("a recipient receives fewer categories: favourable")
    func recipientCategoriesRemoved() {
        let records = factChanges { $0.recipients[id: "sisow"].categories = ["payment"] }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "recipient-categories-removed", element: "recipient/sisow", field: "categories",
                    before: .list(["name-address", "payment"]),
                    after: .list(["payment"]), categories: ["name-address"], impact: .favourable, rule: "removed")
            ])
    }

    @Test("retention shortened: favourable")
    func retentionShortened() {
        let records = factChanges { $0.retention[id: "payment"].duration = duration("P5Y") }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "retention-shortened", element: "retention/payment", field: "period",
                    before: .text("P7Y from end-of-financial-year"),
                    after: .text("P5Y from end-of-financial-year"), categories: ["payment"], impact: .favourable,
                    rule: "retention-shortened")
            ])
    }

    @Test("purpose dropped: favourable")
    func purposeDropped() {
        let records = factChanges { $0.purposes.remove(id: "later-contact") }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "purpose-removed", element: "purpose/later-contact", before: .list(["email"]),
                    categories: ["email"], impact: .favourable, rule: "removed")
            ])
    }

    @Test("right added: favourable")
    func rightAdded() {
        let records = factChanges {
            $0.rights.append(
                Right(
                    id: .portability, label: "Recht op overdraagbaarheid", channels: [.email],
                    response: duration("P30D"), how: nil))
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "right-added", element: "right/portability", categories: [], impact: .favourable,
                    rule: "right-improved")
            ])
    }

    @Test("a right's response time shortened: favourable")
    func rightResponseShortened() {
        let records = factChanges { $0.rights[id: "erasure"].response = duration("P14D") }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "right-response-changed", element: "right/erasure", field: "response", before: .text("P1M"),
                    after: .text("P14D"),
                    categories: [], impact: .favourable, rule: "right-improved")
            ])
    }

    @Test("category no longer collected: favourable")
    func categoryRemoved() {
        // The category goes with everything that used it, its retention period included: that removal has a record
        // of its own, so the prose about the retention fact is not flagged as unchanged facts.
        let records = factChanges {
            $0.categories.remove(id: "email")
            $0.purposes.remove(id: "correspondence")
            $0.purposes.remove(id: "later-contact")
            $0.recipients.remove(id: "mailchimp")
            $0.retention[id: "customer-profile"].categories = ["name-address"]
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "category-removed", element: "category/email", before: .text("E-mailadres"),
                    categories: ["email"], impact: .favourable, rule: "removed"),
                Key(
                    kind: "purpose-removed", element: "purpose/correspondence", before: .list(["email"]),
                    categories: ["email"], impact: .favourable, rule: "removed"),
                Key(
                    kind: "purpose-removed", element: "purpose/later-contact", before: .list(["email"]),
                    categories: ["email"], impact: .favourable, rule: "removed"),
                Key(
                    kind: "recipient-removed", element: "recipient/mailchimp", before: .list(["email"]),
                    categories: ["email"], impact: .favourable, rule: "removed"),
                Key(
                    kind: "retention-removed", element: "retention/customer-profile", field: "period",
                    before: .text("until end-of-relationship"),
                    categories: ["email"], impact: .favourable, rule: "removed"),
            ])
    }

    @Test("cookie removed, security measure added, notice period lengthened: favourable")
    func otherFavourable() {
        #expect(
            factChanges { $0.cookies.remove(id: "session") }.map(\.key) == [
                Key(kind: "cookie-removed", element: "cookie/session", impact: .favourable, rule: "removed")
            ])
        #expect(
            factChanges {
                $0.securityMeasures.append(SecurityMeasure(id: "2fa", label: "Tweestapsverificatie", recipients: []))
            }.map(\.key) == [
                Key(
                    kind: "security-measure-added", element: "security-measure/2fa", impact: .favourable,
                    rule: "security-measure-added")
            ])
        #expect(
            factChanges { $0.noticePeriodDays = 60 }.map(\.key) == [
                Key(
                    kind: "notice-period-changed", element: "policy", field: "notice-period-days", before: .number(30),
                    after: .number(60),
                    impact: .favourable, rule: "notice-period-lengthened")
            ])
    }

    @Test("notice period shortened: notify, touching every category held")
    func noticePeriodShortened() {
        // A notify record reaches the customers whose data is in its categories (domain.md §3, "Who is told"):
        // a shorter notice period concerns every customer, so it must list every category held, not none.
        let records = factChanges { $0.noticePeriodDays = 14 }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "notice-period-changed", element: "policy", field: "notice-period-days", before: .number(30),
                    after: .number(14),
                    categories: allHeld, impact: .notify, rule: "notice-period-shortened")
            ])
    }

    // MARK: editorial

    @Test("prose changed, facts unchanged: editorial")
    func proseChanged() {
        var new = baseVersion()
        new.sections[id: "betalingen"].paragraphs = [
            "Wij gebruiken uw betaalgegevens uitsluitend om uw bestelling af te rekenen."
        ]
        let diff = VersionDiff.compare(baseVersion(), new)
        #expect(FactDiff.compare(baseVersion(), new).isEmpty)
        #expect(
            diff.changes.map(\.key) == [
                Key(kind: "section-changed", element: "section/betalingen", impact: .editorial, rule: "wording")
            ])
        #expect(!diff.hasNotify)
        #expect(diff.counts == ["notify": 0, "future": 0, "favourable": 0, "editorial": 1, "review": 1])
    }

    @Test("labels and titles reworded: editorial")
    func labelsReworded() {
        let records = factChanges {
            $0.title = "Privacyverklaring Kaviaarshop"
            $0.categories[id: "email"].label = "Uw e-mailadres"
            $0.purposes[id: "payment"].label = "Betalingen afhandelen"
            $0.rights[id: "access"].how = "Per e-mail"
            $0.retention[id: "payment"].statute = "Art. 52 Algemene wet inzake rijksbelastingen"
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "policy-text-changed", element: "policy", field: "title",
                    before: .text("Privacybeleid Kaviaarshop"),
                    after: .text("Privacyverklaring Kaviaarshop"), impact: .editorial, rule: "wording"),
                Key(
                    kind: "category-text-changed", element: "category/email", field: "label",
                    before: .text("E-mailadres"), after: .text("Uw e-mailadres"),
                    categories: ["email"], impact: .editorial, rule: "wording"),
                Key(
                    kind: "purpose-text-changed", element: "purpose/payment", field: "label",
                    before: .text("Het afhandelen van betalingen"),
                    after: .text("Betalingen afhandelen"), categories: ["name-address", "payment"], impact: .editorial,
                    rule: "wording"),
                Key(
                    kind: "retention-text-changed", element: "retention/payment", field: "statute",
                    before: .text("Art. 52 AWR"),
                    after: .text("Art. 52 Algemene wet inzake rijksbelastingen"), categories: ["payment"],
                    impact: .editorial, rule: "wording"),
                Key(
                    kind: "right-text-changed", element: "right/access", field: "how", before: nil,
                    after: .text("Per e-mail"),
                    impact: .editorial, rule: "wording"),
            ])
    }

    @Test("retention regrouped under other ids with the same periods: no record")
    func retentionRegrouped() {
        let records = factChanges {
            $0.retention = [
                Retention(
                    id: "name-address", categories: ["name-address"], duration: nil, from: nil,
                    until: .endOfRelationship, statute: nil),
                Retention(
                    id: "email", categories: ["email"], duration: nil, from: nil, until: .endOfRelationship,
                    statute: nil),
                Retention(
                    id: "payment", categories: ["payment"], duration: duration("P7Y"), from: .endOfFinancialYear,
                    until: nil, statute: "Art. 52 AWR"),
            ]
        }
        #expect(records.isEmpty)
    }

    @Test("every record's impact is the impact of the rule it names")
    func recordsFollowTheirRules() {
        var new = baseVersion()
        new.controller.email = "privacy@kaviaarshop.nl"
        new.categories.append(
            DataCategory(id: "phone", label: "Telefoonnummer", required: false, consequence: nil, source: nil))
        new.purposes.append(
            Purpose(id: "delivery", label: "Bezorging", basis: .contract, interest: nil, categories: ["phone"]))
        new.purposes.remove(id: "later-contact")
        new.recipients[id: "sisow"].ownPurposes = true
        new.recipients[id: "mailchimp"].transferGrounds = [.adequacy]
        new.retention[id: "payment"].duration = duration("P5Y")
        new.rights[id: "access"].response = duration("P2M")
        new.categories[id: "email"].label = "Uw e-mailadres"
        let records = FactDiff.compare(baseVersion(), new)
        let rules = Dictionary(uniqueKeysWithValues: ImpactRules.all.map { ($0.id, $0) })
        #expect(records.count == 9)
        for record in records {
            #expect(rules[record.rule]?.impact == record.impact, "\(record.key)")
            #expect(record.categories == record.categories.sorted())
        }
    }

    @Test("every rule of the table has a distinct id and the impact its id implies")
    func ruleTable() {
        let ids = ImpactRules.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ImpactRules.all.filter { $0.impact == .editorial }.map(\.id) == ["wording", "declared-wording"])
        #expect(Impact.allCases.sorted() == [.notify, .future, .favourable, .editorial])
    }
}
