import PolicyBase
import Testing

@testable import PolicyDiff
@testable import PolicyModel

@Suite struct WordingTests {
    @Test(
        "typography is not a change: case, white space, quotes, dashes, hyphens in words, trailing punctuation",
        arguments: [
            ("e-mail", "email"), ("Personal Data", "personal data"), ("Mollie B.V", "Mollie B.V."),
            ("uw\u{00A0}e-mailadres", "uw  emailadres"), ("“Premium” service", "\"premium\" service"),
            ("e\u{2011}mail", "E-Mail"), ("security – fraud", "security - fraud"), ("Naam, adres:", "naam, adres"),
        ])
    func sameWords(_ pair: (String, String)) {
        #expect(Wording.normalised(pair.0) == Wording.normalised(pair.1))
    }

    @Test(
        "words, numbers and dashes between digits still count",
        arguments: [
            ("1–2 jaar", "12 jaar"), ("security", "security and fraud prevention"), ("Mollie B.V.", "Molly B.V."),
            ("no sale", "no resale"),
        ])
    func differentWords(_ pair: (String, String)) {
        #expect(Wording.normalised(pair.0) != Wording.normalised(pair.1))
    }

    @Test("the normal form, exactly")
    func normalForm() {
        #expect(
            Wording.normalised("  Onze\u{00A0}E-mail–nieuwsbrief ‘Extra’ B.V.  ") == "onze emailnieuwsbrief extra b.v")
        #expect(Wording.normalised("1 – 2 jaar") == "1 - 2 jaar")
        #expect(Wording.normalised("1–2 jaar") == "1-2 jaar")
    }

    @Test("typography in a promise, a recipient's name, the controller's name is editorial, with no review flag")
    func typographyIsEditorial() {
        let records = factChanges(
            old: {
                $0.commitments[id: "no-sale"].label = "Wij verkopen uw Personal Data en e-mail nooit"
                $0.recipients[id: "sisow"].name = "Sisow B.V"
                $0.securityMeasures[id: "ssl"].label = "Beveiligde SSL-verbinding"
            },
            new: {
                $0.commitments[id: "no-sale"].label = "Wij verkopen uw personal data en email nooit."
                $0.recipients[id: "sisow"].name = "Sisow B.V."
                $0.securityMeasures[id: "ssl"].label = "beveiligde SSL-Verbinding"
                $0.controller.name = "KAVIAARSHOP"
            })
        #expect(
            records.map(\.key) == [
                Key(
                    kind: "controller-text-changed", element: "controller", field: "name",
                    before: .text("Kaviaarshop"), after: .text("KAVIAARSHOP"), impact: .editorial, rule: "wording"),
                Key(
                    kind: "recipient-text-changed", element: "recipient/sisow", field: "name",
                    before: .text("Sisow B.V"), after: .text("Sisow B.V."), impact: .editorial, rule: "wording"),
                Key(
                    kind: "security-measure-text-changed", element: "security-measure/ssl", field: "label",
                    before: .text("Beveiligde SSL-verbinding"), after: .text("beveiligde SSL-Verbinding"),
                    impact: .editorial, rule: "wording"),
                Key(
                    kind: "commitment-changed", element: "commitment/no-sale", field: "label",
                    before: .text("Wij verkopen uw Personal Data en e-mail nooit"),
                    after: .text("Wij verkopen uw personal data en email nooit."), impact: .editorial, rule: "wording"),
            ])
        #expect(records.allSatisfy { $0.review == nil })
    }

    @Test("a reworded purpose label asks whether the purpose widened; typography does not")
    func purposeLabel() {
        let widened = factChanges { $0.purposes[id: "payment"].label = "Betalingen en fraudepreventie" }
        #expect(widened.map(\.impact) == [.editorial])
        #expect(widened.first?.review == Review(.purposeLabelChanged, facts: ["purpose/payment"]))
        let typography = factChanges { $0.purposes[id: "payment"].label = "Het afhandelen van Betalingen." }
        #expect(typography.map(\.impact) == [.editorial])
        #expect(typography.first?.review == nil)
    }

    func declared(_ kind: ChangeDeclaration.Kind, _ element: String, change: (inout PolicyVersion) -> Void)
        -> (records: [ChangeRecord], problems: [Int: Declarations.Problem])
    {
        let before = baseVersion()
        var after = before
        change(&after)
        after.changes = [ChangeDeclaration(kind: kind, element: element, reason: "de reden")]
        return FactDiff.classify(before, after)
    }

    @Test("declared substance makes a widened purpose notify for the data held; declared wording drops the flag")
    func purposeDeclared() {
        let widen: (inout PolicyVersion) -> Void = {
            $0.purposes[id: "payment"].label = "Betalingen en fraudepreventie"
        }
        let substance = declared(.substance, "purpose/payment", change: widen)
        #expect(substance.problems.isEmpty)
        #expect(
            substance.records.map(\.key) == [
                Key(
                    kind: "purpose-text-changed", element: "purpose/payment", field: "label",
                    before: .text("Het afhandelen van betalingen"), after: .text("Betalingen en fraudepreventie"),
                    categories: ["name-address", "payment"], impact: .notify, rule: "declared-substance")
            ])
        #expect(substance.records[0].declared == DeclaredChange(kind: .substance, reason: "de reden"))
        #expect(substance.records[0].review == nil)
        let wording = declared(.wording, "purpose/payment", change: widen)
        #expect(wording.records.map(\.impact) == [.editorial])
        #expect(wording.records[0].rule == "declared-wording")
        #expect(wording.records[0].review == nil)
    }

    @Test("a recipient renamed and declared wording is editorial, with the reason on the record")
    func renameDeclared() {
        let result = declared(.wording, "recipient/sisow") { $0.recipients[id: "sisow"].name = "Sisow Payments" }
        #expect(result.problems.isEmpty)
        #expect(result.records.map(\.impact) == [.editorial])
        #expect(result.records[0].categories == [])
        #expect(result.records[0].declared?.reason == "de reden")
    }

    @Test("a new purpose for data held, declared from now on, is future; without the declaration, notify")
    func fromNowOn() {
        let add: (inout PolicyVersion) -> Void = {
            $0.purposes.append(
                Purpose(id: "bug-reports", label: "Foutmeldingen", basis: .legitimateInterests, categories: ["email"]))
        }
        #expect(factChanges(new: add).map(\.impact) == [.notify])
        let result = declared(.fromNowOn, "purpose/bug-reports", change: add)
        #expect(result.problems.isEmpty)
        #expect(result.records.map(\.impact) == [.future])
        #expect(result.records[0].rule == "declared-new-data")
    }

    @Test("a declaration that matches no change, or a change of another sort, is a problem")
    func problems() {
        let nothing = declared(.wording, "recipient/mailchimp") { $0.recipients[id: "sisow"].name = "Sisow Payments" }
        #expect(nothing.problems == [0: .matchesNothing])
        #expect(nothing.records.map(\.impact) == [.notify])
        let basis = declared(.wording, "purpose/payment") { $0.purposes[id: "payment"].basis = .legitimateInterests }
        #expect(basis.problems == [0: .otherSort])
        #expect(basis.records.map(\.impact) == [.notify])
        let notNew = declared(.fromNowOn, "recipient/sisow") { $0.recipients[id: "sisow"].name = "Sisow Payments" }
        #expect(notNew.problems == [0: .otherSort])
    }
}
