import Foundation
import PolicyBase
import PolicySource
import PolicyTestSupport
import Testing

@testable import PolicyDiff
@testable import PolicyModel

// Shared fixtures for the diff tests: a small base version built with memberwise initialisers, helpers that diff it
// against a copy with one change, and a comparable projection of `ChangeRecord`.

/// A duration literal; the tests only use valid ones.
func duration(_ text: String) -> ISODuration {
    guard let value = ISODuration(text) else { fatalError("bad duration literal \(text)") }
    return value
}

func date(_ text: String) -> CalendarDate {
    guard let value = CalendarDate(text) else { fatalError("bad date literal \(text)") }
    return value
}

/// A small but complete policy version. What the tests rely on:
///
/// - categories `name-address`, `email`, `payment` (all "already held" when this is the older version);
/// - purposes `payment` (contract: name-address, payment), `correspondence` (contract: email) and
///   `later-contact` (consent: email; used by no recipient, so it can be dropped on its own);
/// - recipients `sisow` (NL processor: name-address, payment; purposes payment; own-purposes false) and
///   `mailchimp` (US processor with standard contractual clauses: email; purposes correspondence);
/// - retention `customer-profile` (name-address, email: until end-of-relationship) and `payment`
///   (payment: P7Y from end-of-financial-year, with a statute);
/// - rights `access` (privacy-contact, email; P30D), `erasure` (email; P1M), `complaint` (supervisory-authority);
/// - cookie `session` (session lifetime); security measure `ssl`; no automated decisions;
/// - commitments `no-sale` (all data) and `no-payment-sharing` (payment);
/// - sections: the title, `betalingen` (declares purpose/payment only) and `sisow` (declares recipient/sisow only).
func baseVersion() -> PolicyVersion {
    PolicyVersion(
        policy: "kaviaarshop", title: "Privacybeleid Kaviaarshop", language: "nl", effective: date("2018-04-30"),
        translationOf: nil, announced: nil, summary: nil,
        controllers: [
            Controller(
                name: "Kaviaarshop", address: "Vareseweg 121\n3047 AT Rotterdam", email: "info@kaviaarshop.nl",
                phone: "(6) 48152148", website: "https://www.kaviaarshop.nl", representative: nil)
        ],
        privacyContact: Contact(name: "John Simoskie", email: nil, phone: nil, dpo: nil),
        supervisoryAuthority: Authority(name: "Autoriteit Persoonsgegevens", country: "NL", website: nil),
        noticePeriodDays: 30,
        notStated: [],
        categories: [
            DataCategory(
                id: "name-address", label: "Naam, adres en woonplaats", required: true, consequence: nil, source: nil),
            DataCategory(id: "email", label: "E-mailadres", required: true, consequence: nil, source: nil),
            DataCategory(id: "payment", label: "Betaalgegevens", required: true, consequence: nil, source: nil),
        ],
        categoryGroups: [],
        purposes: [
            Purpose(
                id: "payment", label: "Het afhandelen van betalingen", basis: .contract, interest: nil,
                categories: ["name-address", "payment"]),
            Purpose(
                id: "correspondence", label: "Ons e-mailverkeer", basis: .contract, interest: nil, categories: ["email"]
            ),
            Purpose(
                id: "later-contact", label: "Later contact met u opnemen", basis: .consent, interest: nil,
                categories: ["email"]),
        ],
        recipients: [
            Recipient(
                id: "sisow", name: "Sisow", role: .processor, categories: ["name-address", "payment"],
                purposes: ["payment"],
                country: "NL", ownPurposes: false),
            Recipient(
                id: "mailchimp", name: "Mailchimp", role: .processor, categories: ["email"],
                purposes: ["correspondence"],
                country: "US", transferGrounds: [.standardContractualClauses], ownPurposes: false),
        ],
        retention: [
            Retention(
                id: "customer-profile", categories: ["name-address", "email"], duration: nil, from: nil,
                until: .endOfRelationship, statute: nil),
            Retention(
                id: "payment", categories: ["payment"], duration: duration("P7Y"), from: .endOfFinancialYear,
                until: nil,
                statute: "Art. 52 AWR"),
        ],
        rights: [
            Right(
                id: .access, label: "Inzagerecht", channels: [.privacyContact, .email], response: duration("P30D"),
                how: nil),
            Right(id: .erasure, label: "Vergeetverzoek", channels: [.email], response: duration("P1M"), how: nil),
            Right(id: .complaint, label: "Klacht indienen", channels: [.supervisoryAuthority], response: nil, how: nil),
        ],
        cookies: [
            Cookie(
                id: "session", name: "PHPSESSID", purpose: "payment", consent: false, lifetime: .session, country: "NL")
        ],
        automatedDecisions: [],
        securityMeasures: [
            SecurityMeasure(id: "ssl", label: "Beveiligde SSL-verbinding", recipients: [])
        ],
        commitments: [
            Commitment(id: "no-sale", label: "Wij verkopen uw gegevens nooit"),
            Commitment(
                id: "no-payment-sharing", label: "Wij delen uw betaalgegevens met niemand buiten Sisow",
                categories: ["payment"]),
        ],
        sections: [
            Section(
                id: "privacybeleid-kaviaarshop", heading: "Privacybeleid Kaviaarshop", level: 1, facts: [],
                paragraphs: []),
            Section(
                id: "betalingen", heading: "Betalingen", level: 2, facts: ["purpose/payment"],
                paragraphs: ["Wij gebruiken uw betaalgegevens alleen om uw bestelling af te rekenen."]),
            Section(
                id: "sisow", heading: "Sisow", level: 3, facts: ["recipient/sisow"],
                paragraphs: ["Voor het afhandelen van betalingen maken wij gebruik van het platform van Sisow."]),
        ])
}

/// All category ids of the base version, sorted: what a change touching "all data held" lists.
let allHeld = ["email", "name-address", "payment"]

/// The fact records between the base version (optionally changed first by `old`) and a copy changed by `new`.
func factChanges(old: (inout PolicyVersion) -> Void = { _ in }, new: (inout PolicyVersion) -> Void) -> [ChangeRecord] {
    var before = baseVersion()
    old(&before)
    var after = before
    new(&after)
    return FactDiff.compare(before, after)
}

/// The parts of a change record a test asserts: everything but the free-text summary and label.
struct Key: Equatable, CustomStringConvertible {
    var kind: String
    var element: String
    var field: String? = nil
    var before: FactValue? = nil
    var after: FactValue? = nil
    var categories: [String] = []
    var impact: Impact
    var rule: String

    var description: String {
        "\(kind) \(element)\(field.map { ".\($0)" } ?? "") [\(before.map { "\($0)" } ?? "nil") → \(after.map { "\($0)" } ?? "nil")] "
            + "categories \(categories) \(impact.rawValue) (\(rule))"
    }
}

extension ChangeRecord {
    var key: Key {
        Key(
            kind: kind.rawValue, element: element, field: field, before: before, after: after, categories: categories,
            impact: impact, rule: rule)
    }
}

/// Element lookup by id inside the model's arrays, so a test can write `$0.recipients[id: "sisow"].country = "DE"`.
protocol Identified { var identifier: String { get } }
extension DataCategory: Identified { var identifier: String { id } }
extension Purpose: Identified { var identifier: String { id } }
extension Recipient: Identified { var identifier: String { id } }
extension Retention: Identified { var identifier: String { id } }
extension Right: Identified { var identifier: String { id } }
extension Commitment: Identified { var identifier: String { id } }
extension CategoryGroup: Identified { var identifier: String { id } }
extension Cookie: Identified { var identifier: String { id } }
extension AutomatedDecision: Identified { var identifier: String { id } }
extension SecurityMeasure: Identified { var identifier: String { id } }
extension Section: Identified { var identifier: String { id } }

extension Array where Element: Identified {
    subscript(id id: String) -> Element {
        get {
            guard let element = first(where: { $0.identifier == id }) else { fatalError("no element '\(id)'") }
            return element
        }
        set {
            guard let index = firstIndex(where: { $0.identifier == id }) else { fatalError("no element '\(id)'") }
            self[index] = newValue
        }
    }

    mutating func remove(id: String) {
        let count = self.count
        removeAll { $0.identifier == id }
        precondition(self.count == count - 1, "no element '\(id)' to remove")
    }
}

// MARK: Markdown sources, for the notice guard and the review flag

/// Compiles a policy written as Markdown; `path` decides policy folder, date and language as in `Policies/`.
func compile(_ text: String, path: String) -> CompiledDocument { compiled(text, path: path) }

/// A small valid policy whose sisow section declares exactly one fact (`recipient/sisow`). `FRONT` is replaced by
/// extra front matter lines. Line numbers the notice-guard tests rely on:
///
///     1 ---
///     2 policy: kaviaarshop
///     3 title: Privacybeleid Kaviaarshop
///     4 language: nl                 (value at column 11)
///     5 effective: 2018-04-30        (value at column 12)
///     6 the first extra line, e.g. `announced: 2018-12-15` (value at column 12); else `controller:`
let markdownBase = """
    ---
    policy: kaviaarshop
    title: Privacybeleid Kaviaarshop
    language: nl
    effective: 2018-04-30
    FRONT
    controller:
      name: Kaviaarshop
      email: info@kaviaarshop.nl
    supervisory-authority:
      name: Autoriteit Persoonsgegevens
      country: NL
    ---

    # Privacybeleid Kaviaarshop

    ## Gegevens

    ```category
    - id: name-address
      label: Naam, adres en woonplaats
      required: true
    - id: payment
      label: Betaalgegevens
      required: true
    ```

    ```purpose
    id: payment
    label: Het afhandelen van betalingen in onze webwinkel
    basis: contract
    categories: [name-address, payment]
    ```

    ```retention
    id: customer-profile
    categories: [name-address, payment]
    until: end-of-relationship
    ```

    ## Sisow

    Voor het afhandelen van betalingen maken wij gebruik van het platform van Sisow.

    ```recipient
    id: sisow
    name: Sisow
    role: processor
    categories: [name-address, payment]
    purposes: [payment]
    country: NL
    ```

    """

/// `markdownBase` with `front` (lines of front matter, or nothing) in place of `FRONT`.
func markdown(front: String = "", effective: String = "2018-04-30") -> String {
    var text = markdownBase.replacingOccurrences(of: "effective: 2018-04-30", with: "effective: \(effective)")
    text = text.replacingOccurrences(of: "FRONT\n", with: front.isEmpty ? "" : front + "\n")
    return text
}
