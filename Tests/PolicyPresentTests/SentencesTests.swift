import PolicyDiff
import PolicyModel
import Testing

@testable import PolicyPresent

/// Sentences as a person writes them, in both languages: labels in lower case inside a sentence (names keep their
/// capitals), a capital at the start, lists joined as the language joins them.
@Suite("Sentences")
struct SentencesTests {
    @Test func aLabelInsideASentenceIsInLowerCaseButWordsInCapitalsStay() {
        #expect(Sentences.inline("Facturen met uw (persoons)gegevens") == "facturen met uw (persoons)gegevens")
        #expect(Sentences.inline("Invoices containing your personal data") == "invoices containing your personal data")
        #expect(Sentences.inline("(Technische) ondersteuning") == "(technische) ondersteuning")
        #expect(Sentences.inline("E-mailadres") == "e-mailadres")
        #expect(Sentences.inline("SSL-verbinding") == "SSL-verbinding")
        #expect(Sentences.inline("IP-adres") == "IP-adres")
        #expect(Sentences.inline("B2B-klanten") == "B2B-klanten")
        #expect(Sentences.inline("onze nieuwsbrief") == "onze nieuwsbrief")
        #expect(Sentences.inline("") == "")
        #expect(Sentences.inline("2FA") == "2FA")
    }

    @Test func aSentenceStartsWithACapital() {
        #expect(Sentences.capitalised("de versie van 1 januari 2027") == "De versie van 1 januari 2027")
        #expect(Sentences.capitalised("the version of 1 January 2027") == "The version of 1 January 2027")
        #expect(Sentences.capitalised("“onze nieuwsbrief” is nieuw") == "“Onze nieuwsbrief” is nieuw")
        #expect(Sentences.capitalised("Mollie B.V. krijgt") == "Mollie B.V. krijgt")
        #expect(Sentences.capitalised("ésta") == "Ésta")
        #expect(Sentences.capitalised("") == "")
    }

    @Test func listsJoinAsTheLanguageDoes() {
        let nl = Presenter(language: "nl")
        let en = Presenter(language: "en")
        #expect(nl.list([]) == "geen")
        #expect(en.list([]) == "none")
        #expect(nl.list(["e-mailadres"]) == "e-mailadres")
        #expect(nl.list(["e-mailadres", "telefoonnummer"]) == "e-mailadres en telefoonnummer")
        #expect(en.list(["email address", "phone number"]) == "email address and phone number")
        #expect(nl.list(["a", "b", "c"]) == "a, b en c")
        #expect(en.list(["a", "b", "c"]) == "a, b and c")
    }

    /// "naam, adres en woonplaats en betaalgegevens" would read as four items: semicolons keep the labels apart.
    @Test func labelsWithTheirOwnConjunctionOrCommaAreKeptApartBySemicolons() {
        let nl = Presenter(language: "nl")
        let en = Presenter(language: "en")
        #expect(
            nl.list(["naam, adres en woonplaats", "betaalgegevens"]) == "naam, adres en woonplaats; en betaalgegevens")
        #expect(nl.list(["in- en verkoop", "e-mailadres", "telefoon"]) == "in- en verkoop; e-mailadres; en telefoon")
        #expect(
            en.list(["name, address and town", "email address", "payment details"])
                == "name, address and town; email address; and payment details")
        #expect(en.list(["terms and conditions", "orders"]) == "terms and conditions; and orders")
        // "en" inside a word is no conjunction.
        #expect(nl.list(["bestellingen", "facturen"]) == "bestellingen en facturen")
        #expect(en.list(["brand", "sandals"]) == "brand and sandals")
    }

    static let labels = [
        "category/invoices": "Facturen met uw (persoons)gegevens", "category/email": "E-mailadres",
        "category/name-address": "Naam, adres en woonplaats", "purpose/newsletter": "Onze nieuwsbrief",
        "recipient/mollie": "Mollie B.V.",
    ]

    @Test func changeSentencesWriteLabelsInLowerCaseAndNamesAsThey() {
        let retention = ChangeRecord(
            kind: .retentionLengthened, element: "retention/invoices", label: "invoices", field: "period",
            before: .text("until statutory-term"), after: .text("P7Y"), categories: ["invoices"],
            rule: ImpactRules.retentionLonger)
        #expect(
            Presenter(language: "nl").change(retention, labels: Self.labels)
                == "Wij bewaren facturen met uw (persoons)gegevens 7 jaar in plaats van zolang de wet voorschrijft")
        #expect(
            Presenter(language: "en").change(retention, labels: Self.labels)
                == "We keep facturen met uw (persoons)gegevens 7 years instead of for the period the law requires")
        let recipient = ChangeRecord(
            kind: .recipientAdded, element: "recipient/mollie", label: "Mollie B.V.",
            categories: ["name-address", "email"], rule: ImpactRules.recipientGetsExistingData)
        #expect(
            Presenter(language: "nl").change(recipient, labels: Self.labels)
                == "Een nieuwe ontvanger, Mollie B.V., krijgt gegevens die wij al van u hebben (e-mailadres; en naam, adres en woonplaats)"
        )
        let purpose = ChangeRecord(
            kind: .purposeAdded, element: "purpose/newsletter", label: "Onze nieuwsbrief", categories: ["email"],
            rule: ImpactRules.newPurposeOnExistingData)
        #expect(
            Presenter(language: "nl").change(purpose, labels: Self.labels)
                == "Gegevens die wij al van u hebben (e-mailadres) gebruiken wij voor een nieuw doel: onze nieuwsbrief")
        #expect(
            Presenter(language: "en").change(purpose, labels: Self.labels)
                == "Data we already hold (e-mailadres) is used for a new purpose: onze nieuwsbrief")
    }

    /// A sentence whose key starts with a label still starts with a capital.
    @Test func aChangeSentenceStartsWithACapital() {
        let removed = ChangeRecord(
            kind: .recipientRemoved, element: "recipient/sisow", label: "sisow B.V.", categories: [],
            rule: ImpactRules.removed)
        #expect(Presenter(language: "nl").change(removed).first == "S")
        #expect(Presenter(language: "en").change(removed) == "Sisow B.V. no longer receives your data")
    }

    /// German writes nouns with a capital: a label stays as it is inside a German sentence.
    @Test func germanNounsKeepTheirCapitals() {
        #expect(Presenter.nounsCapitalised == ["de"])
        #expect(Presenter(language: "nl").inline("Facturen") == "facturen")
        #expect(Presenter(language: "en").inline("Invoices") == "invoices")
    }
}
