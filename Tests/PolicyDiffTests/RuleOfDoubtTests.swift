import PolicySource
import PolicyTestSupport
import Testing

@testable import PolicyDiff
@testable import PolicyModel

// "Rule of doubt: a fact change that cannot be shown to be harmless is `notify`" (docs/domain.md §3), case by case.

@Suite("Rule of doubt")
struct RuleOfDoubtTests {
    // MARK: Retention

    @Test("retention from 'until end-of-relationship' to 'P2Y from last-order' is notify")
    func untilEventToDuration() {
        let records = factChanges {
            $0.retention[id: "customer-profile"].until = nil
            $0.retention[id: "customer-profile"].duration = duration("P2Y")
            $0.retention[id: "customer-profile"].from = .lastOrder
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "retention-changed", element: "retention/customer-profile", field: "period",
                    before: .text("until end-of-relationship"),
                    after: .text("P2Y from last-order"), categories: ["email", "name-address"], impact: .notify,
                    rule: "retention-not-shorter")
            ])
    }

    @Test("P1Y and P12M overlap: neither direction is favourable", arguments: [("P1Y", "P12M"), ("P12M", "P1Y")])
    func overlappingBounds(before: String, after: String) {
        let records = factChanges(
            old: { $0.retention[id: "payment"].duration = duration(before) },
            new: {
                $0.retention[id: "payment"].duration = duration(after)
            })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "retention-changed", element: "retention/payment", field: "period",
                    before: .text("\(before) from end-of-financial-year"),
                    after: .text("\(after) from end-of-financial-year"), categories: ["payment"], impact: .notify,
                    rule: "retention-not-shorter")
            ])
    }

    @Test("P2Y to P1Y is favourable")
    func provablyShorter() {
        let records = factChanges(
            old: { $0.retention[id: "payment"].duration = duration("P2Y") },
            new: {
                $0.retention[id: "payment"].duration = duration("P1Y")
            })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "retention-shortened", element: "retention/payment", field: "period",
                    before: .text("P2Y from end-of-financial-year"),
                    after: .text("P1Y from end-of-financial-year"), categories: ["payment"], impact: .favourable,
                    rule: "retention-shortened")
            ])
    }

    @Test("P2M to P59D is favourable only when provable: P2M is at least 56 days")
    func monthBounds() {
        // P2M spans 56–62 days: P55D is provably shorter, P59D is not.
        let shorter = factChanges(
            old: { $0.retention[id: "payment"].duration = duration("P2M") },
            new: {
                $0.retention[id: "payment"].duration = duration("P55D")
            })
        #expect(shorter.map(\.impact) == [.favourable])
        let overlapping = factChanges(
            old: { $0.retention[id: "payment"].duration = duration("P2M") },
            new: {
                $0.retention[id: "payment"].duration = duration("P59D")
            })
        #expect(
            overlapping.map(\.key) == [
                Key(
                    kind: "retention-changed", element: "retention/payment", field: "period",
                    before: .text("P2M from end-of-financial-year"),
                    after: .text("P59D from end-of-financial-year"), categories: ["payment"], impact: .notify,
                    rule: "retention-not-shorter")
            ])
    }

    @Test("a duration changed to 'until' an event is notify")
    func durationToEvent() {
        let records = factChanges {
            $0.retention[id: "payment"].duration = nil
            $0.retention[id: "payment"].from = nil
            $0.retention[id: "payment"].until = .statutoryTerm
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "retention-changed", element: "retention/payment", field: "period",
                    before: .text("P7Y from end-of-financial-year"),
                    after: .text("until statutory-term"), categories: ["payment"], impact: .notify,
                    rule: "retention-not-shorter")
            ])
    }

    @Test("retention of a category still collected no longer stated is notify")
    func retentionNoLongerStated() {
        let records = factChanges { $0.retention.remove(id: "payment") }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "retention-removed", element: "retention/payment", field: "period",
                    before: .text("P7Y from end-of-financial-year"),
                    after: nil, categories: ["payment"], impact: .notify, rule: "retention-not-shorter")
            ])
    }

    @Test("a retention stated where none was is notify")
    func retentionNewlyStated() {
        let records = factChanges(
            old: { $0.retention.remove(id: "payment") },
            new: {
                $0.retention.append(
                    Retention(
                        id: "payment", categories: ["payment"], duration: duration("P7Y"), from: .endOfFinancialYear,
                        until: nil, statute: nil))
            })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "retention-stated", element: "retention/payment", field: "period", before: nil,
                    after: .text("P7Y from end-of-financial-year"), categories: ["payment"], impact: .notify,
                    rule: "retention-not-shorter")
            ])
    }

    @Test("retention of a new category: future")
    func retentionOfNewCategory() {
        let records = factChanges {
            $0.categories.append(
                DataCategory(id: "phone", label: "Telefoonnummer", required: false, consequence: nil, source: nil))
            $0.retention.append(
                Retention(
                    id: "phone", categories: ["phone"], duration: duration("P1Y"), from: nil, until: nil, statute: nil))
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "category-added", element: "category/phone", after: .text("Telefoonnummer"),
                    categories: ["phone"], impact: .future, rule: "category-added"),
                Key(
                    kind: "retention-added", element: "retention/phone", field: "period", after: .text("P1Y"),
                    categories: ["phone"],
                    impact: .future, rule: "retention-new-data"),
            ])
    }

    /// Fact records between two compiled versions whose `customer-profile` retention is `old` and `new` (YAML lines).
    private func compiledRetention(_ old: String, _ new: String) throws -> [ChangeRecord] {
        let before = compile(
            edit(markdown(), replacing: "until: end-of-relationship", with: old), path: "kaviaarshop/2018-04-30.nl.md")
        let after = compile(
            edit(markdown(effective: "2019-01-01"), replacing: "until: end-of-relationship", with: new),
            path: "kaviaarshop/2019-01-01.nl.md")
        #expect(
            !before.hasErrors && !after.hasErrors,
            "\(before.diagnostics.map(\.formatted) + after.diagnostics.map(\.formatted))")
        return FactDiff.compare(try #require(before.version), try #require(after.version))
    }

    @Test("'from: collection' is the default: P2Y to 'P1Y from collection' is favourable")
    func explicitDefaultStartShorter() throws {
        // Model.swift: `from` is "what the duration is counted from (default: collection)"; the compiler stores it as nil.
        let records = try compiledRetention("duration: P2Y", "duration: P1Y\nfrom: collection")
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "retention-shortened", element: "retention/customer-profile", field: "period",
                    before: .text("P2Y"), after: .text("P1Y"),
                    categories: ["name-address", "payment"], impact: .favourable, rule: "retention-shortened")
            ])
    }

    @Test("writing out the default 'from: collection' is no change")
    func explicitDefaultStartSame() throws {
        #expect(try compiledRetention("duration: P2Y", "duration: P2Y\nfrom: collection").isEmpty)
        #expect(try compiledRetention("duration: P2Y\nfrom: collection", "duration: P2Y").isEmpty)
    }

    // MARK: Recipients

    @Test("a recipient whose country becomes stated (in the EEA) is notify")
    func countryStated() {
        let records = factChanges(
            old: { $0.recipients[id: "sisow"].country = nil },
            new: {
                $0.recipients[id: "sisow"].country = "NL"
            })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "country-changed", element: "recipient/sisow", field: "country", before: nil,
                    after: .text("NL"),
                    categories: ["name-address", "payment"], impact: .notify, rule: "country-changed")
            ])
    }

    @Test("a recipient whose country becomes stated outside the EEA: a transfer appears, notify")
    func countryStatedOutside() {
        let records = factChanges(
            old: { $0.recipients[id: "sisow"].country = nil },
            new: {
                $0.recipients[id: "sisow"].country = "US"
            })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "transfer-introduced", element: "recipient/sisow", field: "country", before: nil,
                    after: .text("US"),
                    categories: ["name-address", "payment"], impact: .notify, rule: "transfer-introduced")
            ])
    }

    @Test("a recipient whose country becomes unstated is notify", arguments: ["sisow", "mailchimp"])
    func countryUnstated(recipient: String) {
        // sisow was in NL; mailchimp in the US: an unstated country is not proof the transfer ended.
        let before = baseVersion().recipients[id: recipient]
        let records = factChanges { $0.recipients[id: recipient].country = nil }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "country-changed", element: "recipient/\(recipient)", field: "country",
                    before: .text(before.country!), after: nil,
                    categories: before.categories, impact: .notify, rule: "country-changed")
            ])
    }

    @Test("a recipient renamed under the same id is notify")
    func recipientRenamed() {
        let records = factChanges { $0.recipients[id: "sisow"].name = "Sisow B.V." }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "recipient-renamed", element: "recipient/sisow", field: "name", before: .text("Sisow"),
                    after: .text("Sisow B.V."),
                    categories: ["name-address", "payment"], impact: .notify, rule: "recipient-renamed")
            ])
        #expect(records.first?.label == "Sisow B.V.")
    }

    @Test("a renamed id is not a free pass: the new recipient is notify, the removed one favourable")
    func recipientReplacedUnderNewID() {
        let records = factChanges {
            $0.recipients.remove(id: "sisow")
            $0.recipients.insert(
                Recipient(
                    id: "mollie", name: "Mollie", role: .processor, categories: ["name-address", "payment"],
                    purposes: ["payment"], country: "NL", ownPurposes: false), at: 0)
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "recipient-added", element: "recipient/mollie", after: .list(["name-address", "payment"]),
                    categories: ["name-address", "payment"],
                    impact: .notify, rule: "recipient-new-existing-data"),
                Key(
                    kind: "recipient-removed", element: "recipient/sisow", before: .list(["name-address", "payment"]),
                    categories: ["name-address", "payment"],
                    impact: .favourable, rule: "removed"),
            ])
    }

    @Test("a new recipient on only new categories is future")
    func newRecipientNewData() {
        let records = factChanges {
            $0.categories.append(
                DataCategory(id: "phone", label: "Telefoonnummer", required: false, consequence: nil, source: nil))
            $0.recipients.append(
                Recipient(
                    id: "messagebird", name: "MessageBird", role: .processor, categories: ["phone"], purposes: [],
                    country: "NL", ownPurposes: false))
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "category-added", element: "category/phone", after: .text("Telefoonnummer"),
                    categories: ["phone"], impact: .future, rule: "category-added"),
                Key(
                    kind: "recipient-added", element: "recipient/messagebird", after: .list(["phone"]),
                    categories: ["phone"],
                    impact: .future, rule: "recipient-new-data-only"),
            ])
    }

    @Test("an existing recipient receiving only a new category is future")
    func existingRecipientNewData() {
        let records = factChanges {
            $0.categories.append(
                DataCategory(id: "phone", label: "Telefoonnummer", required: false, consequence: nil, source: nil))
            $0.recipients[id: "sisow"].categories.append("phone")
        }
        #expect(
            records.map(\.key).last
                == Key(
                    kind: "recipient-categories-added", element: "recipient/sisow", field: "categories",
                    before: .list(["name-address", "payment"]), after: .list(["name-address", "payment", "phone"]),
                    categories: ["phone"], impact: .future, rule: "recipient-new-data-only"))
        #expect(records.count == 2)
    }

    @Test("a transfer outside the EEA introduced by a new recipient of data held")
    func transferByNewRecipient() {
        let records = factChanges {
            $0.recipients.append(
                Recipient(
                    id: "mailgun", name: "Mailgun", role: .processor, categories: ["email"],
                    purposes: ["correspondence"],
                    country: "US", transferGrounds: [.standardContractualClauses], ownPurposes: false))
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "recipient-added", element: "recipient/mailgun", after: .list(["email"]),
                    categories: ["email"],
                    impact: .notify, rule: "recipient-new-existing-data"),
                Key(
                    kind: "transfer-introduced", element: "recipient/mailgun", field: "country", after: .text("US"),
                    categories: ["email"],
                    impact: .notify, rule: "transfer-introduced"),
            ])
    }

    @Test("a new recipient outside the EEA of new data only: future, no transfer of data held")
    func transferByNewRecipientOfNewData() {
        let records = factChanges {
            $0.categories.append(
                DataCategory(id: "phone", label: "Telefoonnummer", required: false, consequence: nil, source: nil))
            $0.recipients.append(
                Recipient(
                    id: "twilio", name: "Twilio", role: .processor, categories: ["phone"], purposes: [],
                    country: "US", transferGrounds: [.standardContractualClauses], ownPurposes: false))
        }
        #expect(records.map(\.impact) == [.future, .future])
        #expect(records.map(\.kind.rawValue) == ["category-added", "recipient-added"])
    }

    @Test("a transfer outside the EEA introduced by a recipient that moved")
    func transferByMovedRecipient() {
        let records = factChanges {
            $0.recipients[id: "sisow"].country = "US"
            $0.recipients[id: "sisow"].transferGrounds = [.standardContractualClauses]
        }
        #expect(
            records.contains {
                $0.key
                    == Key(
                        kind: "transfer-introduced", element: "recipient/sisow", field: "country", before: .text("NL"),
                        after: .text("US"), categories: ["name-address", "payment"], impact: .notify,
                        rule: "transfer-introduced")
            })
        #expect(records.allSatisfy { $0.element == "recipient/sisow" })
        #expect(records.first?.impact == .notify)
    }

    @Test("a recipient moving out of the EEA with a safeguard: the new safeguard is not a favourable change")
    func movedOutWithSafeguard() {
        // There was no transfer before, so nothing was strengthened: a new recipient in the US gets only
        // recipient-added and transfer-introduced; a moved one must not get a favourable record beside its transfer.
        let records = factChanges {
            $0.recipients[id: "sisow"].country = "US"
            $0.recipients[id: "sisow"].transferGrounds = [.standardContractualClauses]
        }
        #expect(records.first?.kind.rawValue == "transfer-introduced")
        #expect(!records.contains { $0.impact == .favourable }, "records: \(records.map(\.key))")
    }

    @Test("a recipient moving back into the EEA ends a transfer: favourable")
    func transferEnded() {
        let records = factChanges {
            $0.recipients[id: "mailchimp"].country = "IE"
            $0.recipients[id: "mailchimp"].transferGrounds = []
        }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "transfer-ended", element: "recipient/mailchimp", field: "country", before: .text("US"),
                    after: .text("IE"),
                    categories: ["email"], impact: .favourable, rule: "transfer-ended"),
                Key(
                    kind: "transfer-grounds-changed", element: "recipient/mailchimp", field: "transfer-grounds",
                    before: .list(["standard-contractual-clauses"]),
                    after: .list([]), categories: [], impact: .editorial, rule: "wording"),
            ])
    }

    // MARK: Transfer grounds

    /// The grounds of `mailchimp` (US, email) changed from `before` to `after`: the single record's impact and rule.
    func grounds(_ before: [TransferGround], _ after: [TransferGround]) -> [String] {
        factChanges(old: { $0.recipients[id: "mailchimp"].transferGrounds = before }) {
            $0.recipients[id: "mailchimp"].transferGrounds = after
        }
        .map { "\($0.impact.rawValue) \($0.rule) \($0.categories)" }
    }

    @Test("clauses to adequacy is notify: adequacy decisions have been annulled, and the clauses gave customers rights")
    func clausesToAdequacy() {
        #expect(grounds([.standardContractualClauses], [.adequacy]) == [#"notify transfer-grounds-changed ["email"]"#])
    }

    @Test("adequacy to clauses, clauses to binding corporate rules, a safeguard to a derogation: notify")
    func otherGroundChangesNotify() {
        #expect(grounds([.adequacy], [.standardContractualClauses]) == [#"notify transfer-grounds-changed ["email"]"#])
        #expect(
            grounds([.standardContractualClauses], [.bindingCorporateRules]) == [
                #"notify transfer-grounds-changed ["email"]"#
            ])
        #expect(
            grounds([.standardContractualClauses], [.derogationContract]) == [
                #"notify transfer-grounds-changed ["email"]"#
            ])
        #expect(grounds([.standardContractualClauses], []) == [#"notify transfer-grounds-changed ["email"]"#])
        #expect(grounds([.derogationContract], [.derogationConsent]) == [#"notify transfer-grounds-changed ["email"]"#])
        // A derogation is not a safeguard: stating one where none was is not the favourable "none → a safeguard".
        #expect(grounds([], [.derogationContract]) == [#"notify transfer-grounds-changed ["email"]"#])
        // Adding a safeguard beside a derogation kept is still a change of the grounds the rule of doubt covers.
        #expect(
            grounds([.derogationContract], [.derogationContract, .standardContractualClauses]) == [
                #"notify transfer-grounds-changed ["email"]"#
            ])
    }

    @Test("none to a safeguard (adequacy or Art. 46/47), and derogations to Art. 46/47 safeguards: favourable")
    func groundsStrengthened() {
        #expect(grounds([], [.standardContractualClauses]) == [#"favourable transfer-grounds-strengthened ["email"]"#])

        #expect(
            grounds([.derogationContract], [.standardContractualClauses]) == [
                #"favourable transfer-grounds-strengthened ["email"]"#
            ])
        #expect(
            grounds([.derogationContract, .derogationConsent], [.bindingCorporateRules, .standardContractualClauses])
                == [#"favourable transfer-grounds-strengthened ["email"]"#])
    }

    @Test("the same grounds in another order is no change")
    func groundsReordered() {
        #expect(
            grounds(
                [.standardContractualClauses, .derogationContract], [.derogationContract, .standardContractualClauses])
                == [])
    }

    @Test("transfer grounds on a recipient inside the EEA are wording only")
    func groundsInsideEEA() {
        let records = factChanges { $0.recipients[id: "sisow"].transferGrounds = [.standardContractualClauses] }
        #expect(records.map(\.impact) == [.editorial])
    }

    @Test("a controller that moves outside the EEA introduces a transfer of all data held")
    func controllerMovesOut() {
        let records = factChanges(
            old: { $0.controller.country = "NL" },
            new: {
                $0.controller.country = "US"
                $0.controller.transferGrounds = [.standardContractualClauses]
            })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "transfer-introduced", element: "controller", field: "country", before: .text("NL"),
                    after: .text("US"),
                    categories: allHeld, impact: .notify, rule: "transfer-introduced")
            ])
    }

    // MARK: Own purposes

    @Test("own purposes from unstated to allowed is notify")
    func ownPurposesNilToTrue() {
        let records = factChanges(
            old: { $0.recipients[id: "sisow"].ownPurposes = nil },
            new: {
                $0.recipients[id: "sisow"].ownPurposes = true
            })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "recipient-own-purposes-changed", element: "recipient/sisow", field: "own-purposes",
                    before: nil, after: .flag(true),
                    categories: ["name-address", "payment"], impact: .notify, rule: "recipient-own-purposes")
            ])
    }

    @Test("own purposes from 'no' to unstated is notify; from 'yes' to 'no' favourable")
    func ownPurposesOtherDirections() {
        let unstated = factChanges { $0.recipients[id: "sisow"].ownPurposes = nil }
        #expect(unstated.map(\.impact) == [.notify])
        #expect(unstated.map(\.rule) == ["recipient-own-purposes"])
        let ended = factChanges(
            old: { $0.recipients[id: "sisow"].ownPurposes = true },
            new: {
                $0.recipients[id: "sisow"].ownPurposes = false
            })
        #expect(
            ended.map(\.key) == [
                Key(
                    kind: "recipient-own-purposes-changed", element: "recipient/sisow", field: "own-purposes",
                    before: .flag(true), after: .flag(false),
                    categories: ["name-address", "payment"], impact: .favourable, rule: "recipient-own-purposes-ended")
            ])
    }

    // MARK: Purposes

    @Test("a new purpose on only new categories is future; on an existing category notify")
    func newPurposeNewOrExistingData() {
        let phone = DataCategory(id: "phone", label: "Telefoonnummer", required: false, consequence: nil, source: nil)
        let onNew = factChanges {
            $0.categories.append(phone)
            $0.purposes.append(
                Purpose(id: "delivery", label: "Bezorging", basis: .contract, interest: nil, categories: ["phone"]))
        }
        #expect(
            onNew.map(\.key) == [
                Key(
                    kind: "category-added", element: "category/phone", after: .text("Telefoonnummer"),
                    categories: ["phone"], impact: .future, rule: "category-added"),
                Key(
                    kind: "purpose-added", element: "purpose/delivery", after: .list(["phone"]), categories: ["phone"],
                    impact: .future, rule: "purpose-on-new-data"),
            ])
        let onMixed = factChanges {
            $0.categories.append(phone)
            $0.purposes.append(
                Purpose(
                    id: "delivery", label: "Bezorging", basis: .contract, interest: nil,
                    categories: ["phone", "name-address"]))
        }
        // A notify record lists only the data already held: its customers are the ones to tell.
        #expect(
            onMixed.map(\.key).last
                == Key(
                    kind: "purpose-added", element: "purpose/delivery", after: .list(["phone", "name-address"]),
                    categories: ["name-address"], impact: .notify, rule: "purpose-on-existing-data"))
    }

    // MARK: Rights

    @Test("a response time stated where none was is notify")
    func responseStated() {
        let records = factChanges(
            old: { $0.rights[id: "access"].response = nil },
            new: {
                $0.rights[id: "access"].response = duration("P30D")
            })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "right-response-changed", element: "right/access", field: "response", before: nil,
                    after: .text("P30D"),
                    categories: allHeld, impact: .notify, rule: "right-weakened")
            ])
    }

    @Test("a response time no longer stated is notify")
    func responseUnstated() {
        let records = factChanges { $0.rights[id: "access"].response = nil }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "right-response-changed", element: "right/access", field: "response", before: .text("P30D"),
                    after: nil,
                    categories: allHeld, impact: .notify, rule: "right-weakened")
            ])
    }

    @Test("P1M to P30D overlaps (28–31 days): not favourable")
    func responseOverlapping() {
        let records = factChanges { $0.rights[id: "erasure"].response = duration("P30D") }
        #expect(records.map(\.impact) == [.notify])
    }

    @Test("a right's channels only extended is favourable")
    func channelsExtended() {
        let records = factChanges { $0.rights[id: "access"].channels.append(.webForm) }
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "right-channels-changed", element: "right/access", field: "channels",
                    before: .list(["privacy-contact", "email"]),
                    after: .list(["privacy-contact", "email", "web-form"]), categories: [], impact: .favourable,
                    rule: "right-improved")
            ])
    }

    @Test("a right's channel removed is notify, even when another is added")
    func channelRemoved() {
        let removed = factChanges { $0.rights[id: "access"].channels = [.privacyContact] }
        #expect(
            removed.map(\.key) == [
                Key(
                    kind: "right-channels-changed", element: "right/access", field: "channels",
                    before: .list(["privacy-contact", "email"]),
                    after: .list(["privacy-contact"]), categories: allHeld, impact: .notify, rule: "right-weakened")
            ])
        let swapped = factChanges { $0.rights[id: "access"].channels = [.privacyContact, .webForm] }
        #expect(swapped.map(\.impact) == [.notify])
    }

    @Test("a right's channels only reordered: no fact changed, so no record")
    func channelsReordered() {
        let records = factChanges { $0.rights[id: "access"].channels = [.email, .privacyContact] }
        #expect(records.isEmpty, "records: \(records.map(\.key))")
    }
}
