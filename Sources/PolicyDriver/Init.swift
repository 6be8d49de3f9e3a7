import Foundation
import PolicyBase
import PolicyModel

/// `policyc init`: a minimal, complete policy for a new shop, in Dutch or English, that `check` passes with no
/// warning, and a `policyc.yaml` that records the day the shop adopted policyc.
public enum InitLanguage: String, CaseIterable, Sendable {
    case nl
    case en
}

extension Commands {
    public static func initialise(
        language: InitLanguage, policy: String = "privacy", today: CalendarDate? = nil,
        environment: [String: String]? = nil, policiesDirectory: String = "Policies",
        config: String = ProjectConfig.fileName
    ) -> CommandOutput {
        let day: CalendarDate
        do {
            try Arguments.validate(policy: policy)
            day = try Today.resolve(option: today, environment: environment)
        } catch {
            return CommandOutput(
                stderr: "error: \(TerminalText.escape(String(describing: error)))\n", status: ExitStatus.usage)
        }
        let folder = (policiesDirectory as NSString).appendingPathComponent(policy)
        let file = (folder as NSString).appendingPathComponent("\(day).\(language.rawValue).md")
        let policyText = StarterPolicy.text(language).replacingOccurrences(of: "{policy}", with: policy)
            .replacingOccurrences(of: "{effective}", with: day.description)
        let settings = "# Project settings of this policy repository (docs/config.md).\nadopted: \(day)\n"
        for path in [config, file] where FileManager.default.fileExists(atPath: path) {
            return CommandOutput(
                stderr: "error: \(path) exists; policyc init never overwrites a file\n", status: ExitStatus.failure)
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Durable.createExclusive(config, with: Array(settings.utf8))
            try Durable.createExclusive(file, with: Array(policyText.utf8))
        } catch {
            return CommandOutput(stderr: "error: \(FileFault.reason(of: error))\n", status: ExitStatus.failure)
        }
        return CommandOutput(
            stderr:
                "created \(config)\ncreated \(file)\nreplace the shop's name, address and data; then run 'policyc check'\n"
        )
    }
}

/// The starter policies: every right, a supervisory authority, one purpose, one recipient and a retention period for
/// each category, so that the completeness rules have nothing to warn about. `{policy}` and `{effective}` are filled in.
enum StarterPolicy {
    static func text(_ language: InitLanguage) -> String {
        switch language {
        case .nl: dutch
        case .en: english
        }
    }

    static let english = """
        ---
        policy: {policy}
        title: Privacy Policy
        language: en
        effective: {effective}
        controller:
          name: Our shop
          address: Street 1, 1234 AB Town, Netherlands
          email: privacy@example.com
          country: NL
        supervisory-authority:
          name: Autoriteit Persoonsgegevens
          country: NL
        ---

        # Privacy Policy

        Our shop sells through its website. This policy says which personal data we process, why, and what your rights are.

        ## Your data and why we use it

        To deliver your order and take payment, we need your name, address, email address and payment details.

        ```category
        - id: order
          label: Name, address and email address
          required: true
          consequence: Without them we cannot deliver your order.
        - id: payment
          label: Payment details
          required: true
          consequence: Without them we cannot take your payment.
        ```

        ```purpose
        id: orders
        label: Delivering your order and taking payment
        basis: contract
        categories: [order, payment]
        ```

        ## Who receives your data

        Our payment service provider receives your payment details to take the payment.

        ```recipient
        id: payment-provider
        name: Payment provider
        role: processor
        country: NL
        categories: [payment]
        purposes: [orders]
        ```

        ## How long we keep it

        We keep your order data as long as you are our customer, and invoices seven years, as tax law requires.

        ```retention
        - id: orders
          categories: [order]
          until: end-of-relationship
        - id: payment
          categories: [payment]
          duration: P7Y
          statute: Dutch tax law (Algemene wet inzake rijksbelastingen, art. 52)
        ```

        ## Your rights

        You may ask to see, correct or delete your data, to restrict or object to its use, and to receive it in a common
        format. Write to privacy@example.com; we answer within a month. You may complain to the Autoriteit Persoonsgegevens.

        ```right
        - id: access
          label: Seeing your data
          channels: [email]
          response: P1M
        - id: rectification
          label: Correcting your data
          channels: [email]
          response: P1M
        - id: erasure
          label: Deleting your data
          channels: [email]
          response: P1M
        - id: restriction
          label: Restricting the use of your data
          channels: [email]
          response: P1M
        - id: portability
          label: Receiving your data
          channels: [email]
          response: P1M
        - id: objection
          label: Objecting to the use of your data
          channels: [email]
          response: P1M
        - id: complaint
          label: Complaining to the supervisory authority
          channels: [supervisory-authority]
        ```

        """

    static let dutch = """
        ---
        policy: {policy}
        title: Privacybeleid
        language: nl
        effective: {effective}
        controller:
          name: Onze winkel
          address: Straat 1, 1234 AB Plaats, Nederland
          email: privacy@example.com
          country: NL
        supervisory-authority:
          name: Autoriteit Persoonsgegevens
          country: NL
        ---

        # Privacybeleid

        Onze winkel verkoopt via de website. Dit beleid zegt welke persoonsgegevens wij verwerken, waarom, en welke rechten u
        heeft.

        ## Uw gegevens en waarvoor wij ze gebruiken

        Om uw bestelling te bezorgen en de betaling te ontvangen, hebben wij uw naam, adres, e-mailadres en betaalgegevens
        nodig.

        ```category
        - id: order
          label: Naam, adres en e-mailadres
          required: true
          consequence: Zonder deze gegevens kunnen wij uw bestelling niet bezorgen.
        - id: payment
          label: Betaalgegevens
          required: true
          consequence: Zonder deze gegevens kunnen wij uw betaling niet ontvangen.
        ```

        ```purpose
        id: orders
        label: Uw bestelling bezorgen en de betaling ontvangen
        basis: contract
        categories: [order, payment]
        ```

        ## Wie uw gegevens ontvangt

        Onze betaaldienst ontvangt uw betaalgegevens om de betaling te verwerken.

        ```recipient
        id: payment-provider
        name: Betaaldienst
        role: processor
        country: NL
        categories: [payment]
        purposes: [orders]
        ```

        ## Hoe lang wij ze bewaren

        Uw bestelgegevens bewaren wij zolang u klant bij ons bent, en facturen zeven jaar, zoals de belastingwet voorschrijft.

        ```retention
        - id: orders
          categories: [order]
          until: end-of-relationship
        - id: payment
          categories: [payment]
          duration: P7Y
          statute: Algemene wet inzake rijksbelastingen, art. 52
        ```

        ## Uw rechten

        U kunt ons vragen uw gegevens in te zien, te verbeteren of te verwijderen, het gebruik ervan te beperken of er bezwaar
        tegen te maken, en ze in een gangbaar formaat te ontvangen. Schrijf naar privacy@example.com; wij antwoorden binnen
        een maand. U kunt een klacht indienen bij de Autoriteit Persoonsgegevens.

        ```right
        - id: access
          label: Uw gegevens inzien
          channels: [email]
          response: P1M
        - id: rectification
          label: Uw gegevens verbeteren
          channels: [email]
          response: P1M
        - id: erasure
          label: Uw gegevens laten verwijderen
          channels: [email]
          response: P1M
        - id: restriction
          label: Het gebruik van uw gegevens beperken
          channels: [email]
          response: P1M
        - id: portability
          label: Uw gegevens ontvangen
          channels: [email]
          response: P1M
        - id: objection
          label: Bezwaar maken tegen het gebruik van uw gegevens
          channels: [email]
          response: P1M
        - id: complaint
          label: Een klacht indienen bij de toezichthouder
          channels: [supervisory-authority]
        ```

        """
}
