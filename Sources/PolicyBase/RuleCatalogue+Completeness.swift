// The rule catalogue, continued: what GDPR Art. 13 asks a policy to state (waivable with `not-stated`), then the
// checks across translations, versions and the publishing ledger.

extension Rule {
    public static let controllerContactMissing = Rule(
        "controller-contact-missing", .warning,
        summary: "The controller has no `address`, `email` or `phone`.",
        source: "GDPR Art. 13(1)(a)",
        explanation: """
            The policy must give the identity and the contact details of the controller. A name alone does not let \
            a customer reach it.
            """,
        bad: """
            controller:
              name: Kaviaarshop B.V.
            """,
        good: """
            controller:
              name: Kaviaarshop B.V.
              address: Keizersgracht 1, 1015 CJ Amsterdam
              email: info@kaviaarshop.nl
            """,
        waivable: true)

    public static let authorityMissing = Rule(
        "authority-missing", .warning,
        summary: "No `supervisory-authority` in the front matter.",
        source: "GDPR Art. 13(2)(d), 77",
        explanation: """
            The policy must tell customers they may lodge a complaint with a supervisory authority. Name it, or say \
            that it is the authority of the customer's residence.
            """,
        bad: """
            ---
            policy: kaviaarshop
            # no supervisory-authority
            ---
            """,
        good: """
            ---
            policy: kaviaarshop
            supervisory-authority:
              name: Autoriteit Persoonsgegevens
              country: NL
            ---
            """,
        waivable: true)

    public static let provisionMissing = Rule(
        "provision-missing", .warning,
        summary: "A category does not say whether providing it is required.",
        source: "GDPR Art. 13(2)(e)",
        explanation: """
            For each category of data the policy must say whether providing it is a statutory or contractual \
            requirement, and what happens when a customer does not provide it (`consequence`).
            """,
        bad: """
            ```category
            id: phone
            label: Telefoonnummer
            ```
            """,
        good: """
            ```category
            id: phone
            label: Telefoonnummer
            required: false
            consequence: Wij kunnen u dan niet bellen over uw bestelling.
            ```
            """,
        waivable: true)

    public static let retentionMissing = Rule(
        "retention-missing", .warning,
        summary: "A category is in no retention fact.",
        source: "GDPR Art. 13(2)(a)",
        explanation: """
            The policy must state how long each category of data is kept, or the criteria that set the period.
            """,
        bad: """
            ```category
            id: email
            label: E-mailadres
            ```
            """,
        good: """
            ```category
            id: email
            label: E-mailadres
            ```

            ```retention
            id: account
            categories: [email]
            until: end-of-relationship
            ```
            """,
        waivable: true)

    public static let categoryUnused = Rule(
        "category-unused", .warning,
        summary: "A category is listed by no purpose.",
        source: "GDPR Art. 5(1)(b), 13(1)(c)",
        explanation: """
            Data is processed for a purpose; a category that no purpose uses is either collected without one or \
            left over from an earlier version. List it in a purpose or remove it.
            """,
        bad: """
            ```category
            id: birthday
            label: Geboortedatum
            ```
            """,
        good: """
            ```purpose
            id: birthday-discount
            label: Verjaardagskorting
            basis: consent
            categories: [birthday]
            ```
            """,
        waivable: true)

    public static let legalBasisMissing = Rule(
        "legal-basis-missing", .warning,
        summary: "A purpose has no `basis`.",
        source: "GDPR Art. 13(1)(c), 6(1)",
        explanation: """
            The policy must give the legal basis of each purpose; it also decides which rights apply (withdrawing \
            consent, objection) and how a change is classified.
            """,
        bad: """
            ```purpose
            id: orders
            label: Bestellingen afhandelen
            categories: [order]
            ```
            """,
        good: """
            ```purpose
            id: orders
            label: Bestellingen afhandelen
            basis: contract
            categories: [order]
            ```
            """,
        waivable: true)

    public static let recipientRoleMissing = Rule(
        "recipient-role-missing", .warning,
        summary: "A recipient has no `role`.",
        source: "GDPR Art. 13(1)(e), 26, 28",
        explanation: """
            Whether a recipient is a processor, a joint or independent controller or a public authority tells the \
            customer who answers for their data there, and decides how a change to the recipient is classified.
            """,
        bad: """
            ```recipient
            id: postnl
            name: PostNL
            categories: [name-address]
            ```
            """,
        good: """
            ```recipient
            id: postnl
            name: PostNL
            role: independent-controller
            categories: [name-address]
            ```
            """,
        waivable: true)

    public static let recipientCountryMissing = Rule(
        "recipient-country-missing", .warning,
        summary: "A recipient has no `country`.",
        source: "GDPR Art. 13(1)(f)",
        explanation: """
            The policy must say whether data is transferred to a third country. Without a country, policyc cannot \
            tell whether the recipient needs transfer grounds.
            """,
        bad: """
            ```recipient
            id: google
            name: Google
            categories: [website-usage]
            ```
            """,
        good: """
            ```recipient
            id: google
            name: Google
            categories: [website-usage]
            country: US
            transfer-grounds: [adequacy]
            ```
            """,
        waivable: true)

    public static let transferGroundsMissing = Rule(
        "transfer-grounds-missing", .warning,
        summary: "A recipient or controller outside the EEA has no `transfer-grounds`.",
        source: "GDPR Art. 13(1)(f), 44–49",
        explanation: """
            A transfer outside the EEA needs an adequacy decision, appropriate safeguards or a derogation, and the \
            policy must name which.
            """,
        bad: """
            ```recipient
            id: google
            name: Google
            categories: [website-usage]
            country: US
            ```
            """,
        good: """
            ```recipient
            id: google
            name: Google
            categories: [website-usage]
            country: US
            transfer-grounds: [standard-contractual-clauses]
            ```
            """,
        waivable: true)

    public static let representativeMissing = Rule(
        "representative-missing", .warning,
        summary: "A controller outside the EEA names no representative in the Union.",
        source: "GDPR Art. 27, 13(1)(a)",
        explanation: """
            A controller established outside the Union that offers goods or services to people in it designates a \
            representative in the Union, and the policy gives the representative's identity and contact details.
            """,
        bad: """
            controller:
              name: Kaviaar Inc.
              country: US
              email: privacy@kaviaar.example
            """,
        good: """
            controller:
              name: Kaviaar Inc.
              country: US
              email: privacy@kaviaar.example
              transfer-grounds: [standard-contractual-clauses]
              representative: Kaviaar EU B.V., Keizersgracht 1, Amsterdam
            """,
        waivable: true)

    public static let jointArrangementMissing = Rule(
        "joint-arrangement-missing", .warning,
        summary: "A joint controller states no essence of the arrangement.",
        source: "GDPR Art. 26(1), 26(2)",
        explanation: """
            Joint controllers determine their respective responsibilities in an arrangement, and its essence is made \
            available to the people whose data they process: the policy states it beside the controllers.
            """,
        bad: """
            controller:
              - id: shop
                name: Kaviaar B.V.
                email: privacy@kaviaar.example
                joint: true
              - id: platform
                name: Markt B.V.
                email: privacy@markt.example
                joint: true
                arrangement: Markt answers every request about the marketplace; Kaviaar those about its orders.
            """,
        good: """
            controller:
              - id: shop
                name: Kaviaar B.V.
                email: privacy@kaviaar.example
                joint: true
                arrangement: Kaviaar answers every request about its orders; Markt those about the marketplace.
              - id: platform
                name: Markt B.V.
                email: privacy@markt.example
                joint: true
                arrangement: Markt answers every request about the marketplace; Kaviaar those about its orders.
            """,
        waivable: true)

    public static let rightMissing = Rule(
        "right-missing", .warning,
        summary: "An expected right has no right fact.",
        source: "GDPR Art. 13(2)(b)–(d), 7(3)",
        explanation: """
            The policy must name the rights of access, rectification, erasure, restriction, portability, objection \
            and complaint (one warning lists the missing ones), and the right to withdraw consent when a purpose or \
            cookie relies on consent. A `not-stated` entry may take one right out with `element: right/<id>`.
            """,
        bad: """
            ```purpose
            id: newsletter
            label: Nieuwsbrief
            basis: consent
            categories: [email]
            ```
            """,
        good: """
            ```right
            id: withdraw-consent
            label: U kunt uw toestemming altijd intrekken.
            channels: [email, account]
            ```
            """,
        waivable: true)

    public static let responseTimeMissing = Rule(
        "response-time-missing", .warning,
        summary: "A right has no `response` time.",
        source: "GDPR Art. 12(3)",
        explanation: """
            A request to exercise a right is answered without undue delay and within one month; the policy says \
            when customers can expect an answer. Not asked of `complaint`, `withdraw-consent` and \
            `automated-decision`.
            """,
        bad: """
            ```right
            id: access
            label: Inzage in uw gegevens
            ```
            """,
        good: """
            ```right
            id: access
            label: Inzage in uw gegevens
            response: P30D
            ```
            """,
        waivable: true)

    public static let cookieConsentMissing = Rule(
        "cookie-consent-missing", .warning,
        summary: "A cookie does not say whether consent is asked.",
        source: "ePrivacy Directive Art. 5(3); GDPR Recital 30",
        explanation: """
            Storing a cookie that is not strictly necessary needs the visitor's consent; the policy says for each \
            cookie whether it is asked.
            """,
        bad: """
            ```cookie
            id: analytics
            name: _ga
            lifetime: P2Y
            ```
            """,
        good: """
            ```cookie
            id: analytics
            name: _ga
            lifetime: P2Y
            consent: true
            ```
            """,
        waivable: true)

    public static let cookieLifetimeMissing = Rule(
        "cookie-lifetime-missing", .warning,
        summary: "A cookie has no `lifetime`.",
        source: "GDPR Art. 13(2)(a)",
        explanation: """
            A cookie identifier is personal data (Recital 30), and how long it is kept is a storage period the \
            policy states: an ISO 8601 duration, `session` or `persistent`.
            """,
        bad: """
            ```cookie
            id: cart
            name: cart_id
            consent: false
            ```
            """,
        good: """
            ```cookie
            id: cart
            name: cart_id
            consent: false
            lifetime: session
            ```
            """,
        waivable: true)

    // MARK: Translations, versions and the ledger

    public static let languageUnsupported = Rule(
        "language-unsupported", .error,
        summary: "The policy is written in a language policyc has no words for.",
        source: "GDPR Art. 12(1), 13(3); docs/format.md: Languages",
        explanation: """
            Everything policyc writes for a version (its pages, the mails that announce its changes, the reports of \
            `policyc diff`) is in the version's own language: dates, periods, legal bases, countries and every \
            sentence around the shop's labels. Art. 12(1) asks for clear and plain language, which a page or a \
            notice that mixes two languages is not. policyc has words for Dutch (nl), English (en), French (fr) and \
            German (de); a regional tag uses its language's (fr-BE, de-AT). The error points at the `language` value \
            of each file written in another language, and nothing of the policy is published or announced until \
            it is fixed.
            """,
        bad: """
            ---
            policy: kaviaarshop
            language: es
            """,
        good: """
            ---
            policy: kaviaarshop
            language: fr
            """)

    public static let translationMismatch = Rule(
        "translation-mismatch", .error,
        summary: "A translation's facts differ from its original's.",
        source: "GDPR Art. 12(1); docs/format.md: Translations",
        explanation: """
            Every language must tell customers the same facts. A translation declares a fact the original does not, \
            or the reverse, or a field that must agree (ids, bases, countries, durations, references) differs, or \
            `translation-of` names no file of the version. A note points at the original.
            """,
        bad: """
            2018-04-30.nl.md:  ```recipient  id: sisow  country: NL
            2018-04-30.en.md:  ```recipient  id: sisow  country: DE
            """,
        good: """
            2018-04-30.nl.md:  ```recipient  id: sisow  country: NL
            2018-04-30.en.md:  ```recipient  id: sisow  country: NL
            """)

    public static let duplicateVersion = Rule(
        "duplicate-version", .error,
        summary: "Two files of one policy have the same effective date and language.",
        source: "docs/format.md: One file per version",
        explanation: """
            Customers were shown one text a day in each language; two files for it leave open which. A note points \
            at the first.
            """,
        bad: """
            Policies/kaviaarshop/2018-04-30.nl.md
            Policies/kaviaarshop/old/2018-04-30.nl.md
            """,
        good: """
            Policies/kaviaarshop/2018-04-30.nl.md
            """)

    public static let noticePeriod = Rule(
        "notice-period", .error,
        summary: "Changes customers must be told about are announced too late, or not at all.",
        source: "GDPR Art. 13(3); WP260 para 29–31",
        explanation: """
            A change that affects data already held must be communicated well in advance of taking effect. The \
            version needs `announced` at least `notice-period-days` (default 30) before `effective`. Reported in the \
            original; a note names the first such change.
            """,
        bad: """
            effective: 2027-01-01
            announced: 2026-12-20
            """,
        good: """
            effective: 2027-01-01
            announced: 2026-11-25
            """)

    public static let changeSummaryMissing = Rule(
        "change-summary-missing", .error,
        summary: "A version with changes customers must be told about has no `summary`.",
        source: "GDPR Art. 12(1), 13(3); WP260 para 29–31",
        explanation: """
            The communication of a change must explain it in clear and plain language; each language file states \
            it in `summary`, which the notification and the published change page show.
            """,
        bad: """
            effective: 2027-01-01
            announced: 2026-11-25
            """,
        good: """
            effective: 2027-01-01
            announced: 2026-11-25
            summary: Wij sturen u voortaan een nieuwsbrief als u daarvoor kiest.
            """)

    public static let announcementPassed = Rule(
        "announcement-passed", .warning,
        summary: "The announcement day has passed and the version is not yet in force.",
        source: "GDPR Art. 13(3); WP260 para 29–31",
        explanation: """
            `announced` is before today and `effective` after it: check that customers were told on that day \
            (`policyc notify`). Depends on `--today`.
            """,
        bad: """
            # today: 2026-12-01, and no one was notified
            announced: 2026-11-25
            effective: 2027-01-01
            """,
        good: """
            # today: 2026-12-01, policyc notify ran on 2026-11-25
            announced: 2026-11-25
            effective: 2027-01-01
            """)

    public static let ledgerSyntax = Rule(
        "ledger-syntax", .error,
        summary: "A line of `published.lock` is malformed, or a version is listed twice.",
        source: "docs/publish.md: published.lock",
        explanation: """
            `policyc publish` records every published version in `Policies/<policy>/published.lock`, one line \
            `EFFECTIVE-DATE LANGUAGE sha256:HASH PUBLISHED-DATE` each. The ledger guards published versions, so it \
            must be read whole.
            """,
        bad: """
            2018-04-30 nl 2018-05-01
            """,
        good: """
            2018-04-30 nl sha256:3f2a…(64 hex digits) 2018-05-01
            """)

    public static let publishedVersionChanged = Rule(
        "published-version-changed", .error,
        summary: "A version was published and its source has changed since.",
        source: "GDPR Art. 5(2), 13(3)",
        explanation: """
            What customers were shown on a day must stay what they were shown: the controller must be able to \
            demonstrate it. Undo the edit, and make the change in a new version with a later effective date. A note \
            points at the ledger entry.
            """,
        bad: """
            $ git diff Policies/kaviaarshop/2018-04-30.nl.md   # a published version
            -  duration: P2Y
            +  duration: P1Y
            """,
        good: """
            $ git status --short
            A  Policies/kaviaarshop/2027-01-01.nl.md           # the change, as a new version
            """)

    public static let publishedVersionMissing = Rule(
        "published-version-missing", .error,
        summary: "A version was published and its source is gone.",
        source: "GDPR Art. 5(2), 13(3)",
        explanation: """
            A published version stays available, so that anyone can read what they agreed to on a day. Restore the \
            file the ledger entry names.
            """,
        bad: """
            $ git rm Policies/kaviaarshop/2018-04-30.en.md     # listed in published.lock
            """,
        good: """
            $ git restore --staged --worktree Policies/kaviaarshop/2018-04-30.en.md
            """)
}
