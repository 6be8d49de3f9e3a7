// The rule catalogue, continued: the rules on keys and values of the front matter and the fact blocks.

extension Rule {
    public static let missingKey = Rule(
        "missing-key", .error,
        summary: "A required key is absent or has no value.",
        source: "docs/format.md: Front matter; Fact kinds",
        explanation: """
            Each front matter key and fact kind has required keys (docs/format.md lists them). Also reported: empty \
            front matter; a privacy contact with no `name`, `email` or `phone`; one of several controllers without \
            `id`; `basis: legitimate-interests` without `interest` (GDPR Art. 13(1)(d)); a retention fact with no \
            period, or with `from` but no `duration`; `consent-for` without `consent: true`.
            """,
        bad: """
            ```purpose
            id: fraud-prevention
            label: Fraude voorkomen
            basis: legitimate-interests
            categories: [order, payment]
            ```
            """,
        good: """
            ```purpose
            id: fraud-prevention
            label: Fraude voorkomen
            basis: legitimate-interests
            interest: Wij willen niet betaald worden met gestolen betaalgegevens.
            categories: [order, payment]
            ```
            """)

    public static let unknownKey = Rule(
        "unknown-key", .error,
        summary: "A key the mapping does not accept.",
        source: "docs/format.md: Front matter; Fact kinds",
        explanation: """
            A misspelt key would be ignored and what it says left out of the published policy, so every key must be \
            one the mapping accepts. The message suggests the closest key, and the new name of a renamed one.
            """,
        bad: """
            ```recipient
            id: sisow
            name: Sisow
            categories: [payment]
            contry: NL
            ```
            """,
        good: """
            ```recipient
            id: sisow
            name: Sisow
            categories: [payment]
            country: NL
            ```
            """)

    public static let typeMismatch = Rule(
        "type-mismatch", .error,
        summary: "A value has the wrong shape.",
        source: "docs/format.md: Value types",
        explanation: """
            A list or mapping where text is expected, `yes` where `true` or `false` is expected, a quoted number, a \
            fact block or list item that is not a mapping, a list item that is empty or not a word. YAML's loose \
            typing (`yes`, `no`, `on`) is refused so that a value means what it looks like.
            """,
        bad: """
            ```category
            id: email
            label: E-mailadres
            required: yes
            ```
            """,
        good: """
            ```category
            id: email
            label: E-mailadres
            required: true
            ```
            """)

    public static let emptyValue = Rule(
        "empty-value", .error,
        summary: "Text that is empty after trimming, an empty list item or list, or an empty fact block.",
        source: "docs/format.md: Value types",
        explanation: """
            An empty value states nothing: a purpose with `categories: []` processes no data, an empty label \
            publishes an empty line. Write the value, or remove the key when it is optional.
            """,
        bad: """
            ```purpose
            id: newsletter
            label: Nieuwsbrief
            categories: []
            ```
            """,
        good: """
            ```purpose
            id: newsletter
            label: Nieuwsbrief
            categories: [email]
            ```
            """)

    public static let valueOutOfRange = Rule(
        "value-out-of-range", .error,
        summary: "`notice-period-days` is outside 0–365.",
        source: "docs/format.md: Front matter",
        explanation: """
            The notice period is the number of days between announcing a version and its effective date for changes \
            customers must be told about (WP260 para 29–31). More than a year is a typing error, a negative number \
            meaningless.
            """,
        bad: """
            notice-period-days: 3000
            """,
        good: """
            notice-period-days: 30
            """)

    public static let invalidValue = Rule(
        "invalid-value", .error,
        summary: "A value outside its vocabulary or form.",
        source: "docs/format.md: Vocabularies",
        explanation: """
            A word not in its vocabulary (basis, role, transfer ground, `from`, `until`, ground, right id, channel), \
            a bare `derogation`, an invalid language tag, e-mail address or country code (`UK` suggests `GB`), \
            `translation-of` equal to the file's own language, `indefinitely: false`, a category group listing a \
            group, a `not-stated` rule that is not a completeness warning, or an element not written `kind/id`.
            """,
        bad: """
            ```purpose
            id: orders
            label: Bestellingen afhandelen
            basis: contract-performance
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
            """)

    public static let invalidDate = Rule(
        "invalid-date", .error,
        summary: "A date that is not a real `YYYY-MM-DD` day.",
        source: "docs/format.md: Dates",
        explanation: """
            Dates decide which version is in force and when customers must be told; a day that does not exist, or \
            one written another way, cannot be compared.
            """,
        bad: """
            effective: 2027-02-30
            """,
        good: """
            effective: 2027-03-01
            """)

    public static let invalidDuration = Rule(
        "invalid-duration", .error,
        summary: "A duration that is not ISO 8601, or a cookie lifetime that is neither a duration nor a word.",
        source: "docs/format.md: Durations",
        explanation: """
            Retention periods and response times are ISO 8601 durations (`P30D`, `P7Y`), so that a change can be \
            classified as longer or shorter. A cookie `lifetime` is such a duration, `session` or `persistent`.
            """,
        bad: """
            ```retention
            id: invoices
            categories: [invoices]
            duration: 7 jaar
            ```
            """,
        good: """
            ```retention
            id: invoices
            categories: [invoices]
            duration: P7Y
            ```
            """)

    public static let invalidID = Rule(
        "invalid-id", .error,
        summary: "An id (or the `policy` key) that is not lowercase letters, digits and single hyphens.",
        source: "docs/format.md: Ids",
        explanation: """
            Ids name facts across versions and translations and become parts of URLs; the message suggests one in \
            the right form. A fact with an invalid id is not checked further.
            """,
        bad: """
            ```category
            id: E-mail Adres
            label: E-mailadres
            ```
            """,
        good: """
            ```category
            id: e-mail-adres
            label: E-mailadres
            ```
            """)

    public static let duplicateID = Rule(
        "duplicate-id", .error,
        summary: "Two facts of one kind, or two controllers, share an id.",
        source: "docs/format.md: Ids",
        explanation: """
            An id names one fact: references and the version-to-version diff follow it. Also reported: a category \
            group with a category's id. A note points at the first declaration.
            """,
        bad: """
            ```category
            - id: email
              label: E-mailadres
            - id: email
              label: E-mailadres voor de nieuwsbrief
            ```
            """,
        good: """
            ```category
            - id: email
              label: E-mailadres
            - id: newsletter-email
              label: E-mailadres voor de nieuwsbrief
            ```
            """)

    public static let conflictingKeys = Rule(
        "conflicting-keys", .error,
        summary: "Two keys that exclude each other are both given.",
        source: "docs/format.md: retention; supervisory-authority",
        explanation: """
            A retention fact states one period: `duration`, `until` or `indefinitely`, not two. A supervisory \
            authority is either one named authority (`country`) or the customer's own (`residence: true`).
            """,
        bad: """
            ```retention
            id: orders
            categories: [order]
            duration: P2Y
            indefinitely: true
            ```
            """,
        good: """
            ```retention
            id: orders
            categories: [order]
            duration: P2Y
            ```
            """)

    public static let undeclaredReference = Rule(
        "undeclared-reference", .error,
        summary: "A reference to a category, group, purpose or recipient the file does not declare.",
        source: "GDPR Art. 13(1)(c), (e); docs/format.md: References",
        explanation: """
            Purposes, recipients, retention and cookies name the data they concern by id; an id with no fact behind \
            it would publish a promise about nothing. Also reported: a `not-stated` element that names no fact.
            """,
        bad: """
            ```recipient
            id: postnl
            name: PostNL
            categories: [adress]
            ```
            """,
        good: """
            ```recipient
            id: postnl
            name: PostNL
            categories: [name-address]
            ```
            """)

    public static let interestUnneeded = Rule(
        "interest-unneeded", .error,
        summary: "A purpose states an `interest` but its basis is not legitimate interests.",
        source: "GDPR Art. 13(1)(d)",
        explanation: """
            Only a purpose based on legitimate interests (Art. 6(1)(f)) states the interest pursued. An `interest` \
            beside another basis is left over from an earlier basis and would be published as the interest of a \
            purpose that has none. A note points at the basis.
            """,
        bad: """
            ```purpose
            id: newsletter
            label: Nieuwsbrief
            basis: consent
            interest: Klanten op de hoogte houden
            categories: [email]
            ```
            """,
        good: """
            ```purpose
            id: newsletter
            label: Nieuwsbrief
            basis: consent
            categories: [email]
            ```
            """)

    public static let fileNameMismatch = Rule(
        "file-name-mismatch", .error,
        summary: "The file name or folder does not match `effective`, `language` or `policy`.",
        source: "docs/format.md: One file per version",
        explanation: """
            A version is found by its path, `<policy>/<effective-date>.<language>.md`, and described by its front \
            matter; when they disagree, a reader of either is misled.
            """,
        bad: """
            Policies/kaviaarshop/2018-04-30.nl.md:
            ---
            effective: 2018-05-25
            """,
        good: """
            Policies/kaviaarshop/2018-05-25.nl.md:
            ---
            effective: 2018-05-25
            """)

    public static let announcedAfterEffective = Rule(
        "announced-after-effective", .error,
        summary: "`announced` is later than `effective`.",
        source: "GDPR Art. 13(3); WP260 para 29–31",
        explanation: """
            Customers are told about a change before it takes effect, not after. A note points at the effective \
            date.
            """,
        bad: """
            effective: 2027-01-01
            announced: 2027-01-15
            """,
        good: """
            effective: 2027-01-01
            announced: 2026-11-25
            """)

    public static let retentionOverlap = Rule(
        "retention-overlap", .error,
        summary: "A category has two retention periods counted from the same event.",
        source: "GDPR Art. 13(2)(a)",
        explanation: """
            A customer must be able to tell how long their data is kept. Two periods from the same event contradict \
            each other; state one, or count them from different events with `from`. A note points at the first.
            """,
        bad: """
            ```retention
            - id: orders
              categories: [order]
              duration: P2Y
            - id: tax
              categories: [order]
              duration: P7Y
            ```
            """,
        good: """
            ```retention
            - id: orders
              categories: [order]
              duration: P2Y
              from: last-order
            - id: tax
              categories: [order]
              duration: P7Y
              from: end-of-financial-year
            ```
            """)

    public static let transferGroundsUnneeded = Rule(
        "transfer-grounds-unneeded", .warning,
        summary: "A recipient or controller in the EEA states transfer grounds.",
        source: "GDPR Art. 13(1)(f), 44–49",
        explanation: """
            Transfer grounds (adequacy, safeguards, derogations) are needed only for a transfer outside the EEA. On \
            a party in the EEA they suggest a transfer that does not happen, or a wrong `country`.
            """,
        bad: """
            ```recipient
            id: postnl
            name: PostNL
            categories: [name-address]
            country: NL
            transfer-grounds: [standard-contractual-clauses]
            ```
            """,
        good: """
            ```recipient
            id: postnl
            name: PostNL
            categories: [name-address]
            country: NL
            ```
            """)

    public static let waiverUnused = Rule(
        "waiver-unused", .warning,
        summary: "A `not-stated` entry silences no warning.",
        source: "GDPR Art. 5(2); docs/format.md: not-stated",
        explanation: """
            A waiver explains a gap the policy leaves on purpose. When the policy now states what the entry says it \
            does not, or the entry names the wrong rule or element, the explanation must not outlive the gap: remove \
            the entry.
            """,
        bad: """
            not-stated:
              - rule: retention-missing
                element: category/email
                reason: Bewaard zolang het account bestaat.
            # … and a retention fact for category 'email' below
            """,
        good: """
            # no not-stated entry: the retention fact for 'email' states the period
            """)
}
