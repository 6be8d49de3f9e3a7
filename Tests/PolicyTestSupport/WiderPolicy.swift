/// A small policy, in Dutch or English, with the facts real policies state beyond the first format: a right with
/// the channels of a preference centre, an unsubscribe link and a browser add-on; a purpose with several legal
/// bases, a statute and an Art. 9(2) condition; a first-party cookie with two purposes and a provider's cookie, each
/// in a consent category and naming the data it collects; a recipient that promises to store data in the EEA. The two languages state the same facts. Its path is
/// `shop/<effective>.<language>.md`.
public func widerPolicy(_ language: String, effective: String = "2024-01-01") -> String {
    let english = language == "en"
    return """
        ---
        policy: shop
        title: \(english ? "Privacy policy" : "Privacybeleid")
        language: \(language)
        effective: \(effective)
        controller:
          name: Shop
          email: privacy@shop.example
        supervisory-authority:
          name: \(english ? "Dutch Data Protection Authority" : "Autoriteit Persoonsgegevens")
          country: NL
        ---

        # \(english ? "Privacy policy" : "Privacybeleid")

        ```category
        - id: email
          label: \(english ? "Email address" : "E-mailadres")
          required: true
        - id: health
          label: \(english ? "Health details" : "Gezondheidsgegevens")
          required: false
        ```

        ```purpose
        id: newsletter
        label: \(english ? "Newsletter" : "Nieuwsbrief")
        basis: consent
        categories: [email]
        ```

        ```purpose
        id: care
        label: \(english ? "Care advice" : "Zorgadvies")
        basis: [contract, legitimate-interests]
        interest: \(english ? "Safe use of our products" : "Veilig gebruik van onze producten")
        statute: \(english ? "Medical Devices Act" : "Wet medische hulpmiddelen")
        special-category-condition: health-care
        categories: [health]
        ```

        ```retention
        id: profile
        categories: [email, health]
        until: end-of-relationship
        ```

        ```right
        id: objection
        label: \(english ? "Right to object" : "Recht van bezwaar")
        channels: [email, unsubscribe-link, preference-centre, browser-add-on]
        response: P30D
        ```

        ```right
        id: withdraw-consent
        label: \(english ? "Withdrawing consent" : "Toestemming intrekken")
        channels: [unsubscribe-link, preference-centre]
        ```

        ```category
        id: usage
        label: \(english ? "How you use our site" : "Hoe u onze site gebruikt")
        required: false
        ```

        ```purpose
        id: analytics
        label: \(english ? "Site statistics" : "Statistieken van de site")
        basis: [consent]
        categories: [usage]
        ```

        ```recipient
        id: tracker
        name: Tracker B.V.
        role: processor
        categories: [usage]
        purposes: [analytics]
        country: NL
        stored-in: [eea]
        ```

        ```retention
        id: usage
        categories: [usage]
        duration: P1Y
        ```

        ```cookie
        - id: visits
          name: _shop_visits
          first-party: true
          purpose: [analytics, newsletter]
          consent: true
          consent-category: statistics
          categories: [usage]
          lifetime: P1Y
        - id: tracker
          name: Tracker
          provider: tracker
          purpose: analytics
          consent: true
          consent-category: marketing
          categories: [usage]
          lifetime: P2Y
        ```

        """
}

/// Rights under the California Consumer Privacy Act, in both languages: a block to append to `widerPolicy`.
public func californianRights(_ language: String) -> String {
    let english = language == "en"
    return """

        ```right
        - id: know
          label: \(english ? "Right to know" : "Recht om te weten")
          law: ccpa
          channels: [web-form, phone]
          response: P45D
        - id: opt-out-of-sale-or-sharing
          label: \(english ? "Do Not Sell or Share My Personal Information" : "Verkoop of deel mijn gegevens niet")
          law: ccpa
          channels: [web-form, browser-add-on]
          response: P15D
        - id: non-discrimination
          label: \(english ? "No discrimination" : "Geen benadeling")
          law: ccpa
        ```

        """
}

/// The path of `widerPolicy(language, effective:)`.
public func widerPolicyPath(_ language: String, effective: String = "2024-01-01") -> String {
    "shop/\(effective).\(language).md"
}
