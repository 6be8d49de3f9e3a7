// The rule catalogue: every rule a diagnostic can report, one entry each, in the order docs/rules.md lists them.
// The id is written here and nowhere else in Sources (a test scans for string ids); `policyc explain --format
// markdown > docs/rules.md` regenerates the reference from this table.

extension Rule {
    /// Every rule, in documentation order: reading and syntax, keys and values, completeness, translations,
    /// versions, the publishing ledger.
    public static let all: [Rule] = [
        // Reading and syntax.
        ioError, invalidUTF8, fileTooLarge, frontMatterMissing, frontMatterUnterminated, yamlSyntax, duplicateKey,
        yamlAlias, controlCharacter, invisibleCharacter, rawHTML, factBlockUnterminated, factBlockNested,
        factBlockOnPage, unknownFactKind, markdownLimit, noPolicyFiles, fileNameLayout,
        // Keys and values.
        missingKey, unknownKey, typeMismatch, emptyValue, valueOutOfRange, invalidValue, invalidDate, invalidDuration,
        invalidID, duplicateID, conflictingKeys, undeclaredReference, interestUnneeded, fileNameMismatch,
        announcedAfterEffective, retentionOverlap, transferGroundsUnneeded, transferWithoutCountry,
        waiverUnused,
        // Completeness (GDPR Art. 13), waivable with `not-stated`.
        controllerContactMissing, authorityMissing, provisionMissing, retentionMissing, categoryUnused,
        legalBasisMissing, recipientRoleMissing, recipientCountryMissing, transferGroundsMissing,
        representativeMissing, jointArrangementMissing, rightMissing, responseTimeMissing, cookieConsentMissing,
        cookieLifetimeMissing,
        // Translations and versions.
        languageUnsupported, translationMismatch, duplicateVersion, noticePeriod, changeSummaryMissing,
        announcementPassed, declarationUnmatched, declarationMismatch, notAnnouncedBeforeAdoption,
        // The publishing ledger.
        ledgerSyntax, publishedVersionChanged, publishedVersionMissing,
    ]

    // MARK: Reading and syntax

    public static let ioError = Rule(
        "io-error", .error,
        summary: "A policy file or folder could not be read.",
        source: "docs/format.md: Which files are read",
        explanation: """
            policyc names every file or folder below the checked paths that it could not read, with the system's \
            reason (permission denied, a symbolic link to nothing or in a loop, a name that is not UTF-8), so that \
            nothing is skipped without a word. Nothing else in that file is checked.
            """,
        bad: """
            $ ls -l Policies/kaviaarshop
            ---------- 1 anna staff 48213 Apr 30 2018 2018-04-30.nl.md
            """,
        good: """
            $ chmod 644 Policies/kaviaarshop/2018-04-30.nl.md
            -rw-r--r-- 1 anna staff 48213 Apr 30 2018 2018-04-30.nl.md
            """)

    public static let invalidUTF8 = Rule(
        "invalid-utf8", .error,
        summary: "The file is not valid UTF-8, or holds a NUL byte.",
        source: "docs/format.md: Encoding",
        explanation: """
            A policy file is UTF-8 text (a byte-order mark is allowed). A byte that is not UTF-8, usually from a \
            file saved as Windows-1252 or Latin-1, would show customers a replacement character; the error points \
            at the first such byte. Nothing else in the file is checked.
            """,
        bad: """
            ---
            title: Privacyverklaring        # saved as Windows-1252: "ï" is the byte 0xEF
            """,
        good: """
            ---
            title: Privacyverklaring        # saved as UTF-8
            """)

    public static let fileTooLarge = Rule(
        "file-too-large", .error,
        summary: "The file is larger than 6 MB or has more than 200,000 lines.",
        source: "docs/format.md: Which files are read",
        explanation: """
            The limits keep the time and memory of a check bounded on any input; a real policy is a few hundred \
            kilobytes. Nothing else in the file is checked. A policy is text for customers: shorten it, or move \
            what customers need not read (such as a full cookie inventory) to its own page.
            """,
        bad: """
            Policies/kaviaarshop/2027-01-01.nl.md   7.4 MB, an exported cookie inventory pasted in
            """,
        good: """
            Policies/kaviaarshop/2027-01-01.nl.md   84 KB, the cookies as cookie fact blocks
            """)

    public static let frontMatterMissing = Rule(
        "front-matter-missing", .error,
        summary: "The first line of the file is not `---`.",
        source: "docs/format.md: Front matter",
        explanation: """
            Every policy file starts with YAML front matter between two `---` lines: the policy id, title, language, \
            effective date and controller. Without it the file cannot be a version of a policy, so nothing else in it \
            is checked.
            """,
        bad: """
            # Privacyverklaring Kaviaarshop
            """,
        good: """
            ---
            policy: kaviaarshop
            title: Privacyverklaring
            language: nl
            effective: 2018-04-30
            controller:
              name: Kaviaarshop B.V.
            ---
            # Privacyverklaring Kaviaarshop
            """)

    public static let frontMatterUnterminated = Rule(
        "front-matter-unterminated", .error,
        summary: "No line `---` or `...` closes the front matter.",
        source: "docs/format.md: Front matter",
        explanation: """
            The front matter runs from the first line `---` to the next line `---` (or `...`). Without the closing \
            line there is no telling metadata from text, so nothing else in the file is checked.
            """,
        bad: """
            ---
            policy: kaviaarshop
            title: Privacyverklaring

            # Privacyverklaring Kaviaarshop
            """,
        good: """
            ---
            policy: kaviaarshop
            title: Privacyverklaring
            ---
            # Privacyverklaring Kaviaarshop
            """)

    public static let yamlSyntax = Rule(
        "yaml-syntax", .error,
        summary: "The front matter or a fact block is not valid YAML, or exceeds a YAML limit.",
        source: "docs/format.md: Fact blocks; YAML 1.2",
        explanation: """
            The front matter and every fact block are YAML. Also reported: a mapping key that is not a plain word, \
            an explicit key (`? `), more than 64 nested levels and more than 20,000 values in one block. A note may \
            point where the construct began. When the front matter is unreadable, no model is produced and no \
            completeness warnings are given for the file.
            """,
        bad: """
            ```purpose
            id: newsletter
            label: Nieuwsbrief: aanbiedingen per e-mail
            ```
            """,
        good: """
            ```purpose
            id: newsletter
            label: "Nieuwsbrief: aanbiedingen per e-mail"
            ```
            """)

    public static let duplicateKey = Rule(
        "duplicate-key", .error,
        summary: "A key appears twice in one mapping.",
        source: "docs/format.md: Fact blocks; YAML 1.2 (keys are unique)",
        explanation: """
            YAML libraries disagree on a repeated key: some keep the first value, some the last. policyc refuses it \
            at the repetition, with a note at the first, so that the policy means one thing.
            """,
        bad: """
            ```category
            id: email
            label: E-mailadres
            label: Uw e-mailadres
            ```
            """,
        good: """
            ```category
            id: email
            label: Uw e-mailadres
            ```
            """)

    public static let yamlAlias = Rule(
        "yaml-alias", .error,
        summary: "A YAML alias (`*name`) or anchor is used.",
        source: "docs/format.md: Fact blocks",
        explanation: """
            Aliases let one value stand in many places, which hides what a fact says from a reviewer and lets a few \
            lines expand into millions of values. Write each value out.
            """,
        bad: """
            ```purpose
            - id: orders
              label: Bestellingen afhandelen
              categories: &shop [name-address, email, order]
            - id: support
              label: Klantenservice
              categories: *shop
            ```
            """,
        good: """
            ```purpose
            - id: orders
              label: Bestellingen afhandelen
              categories: [name-address, email, order]
            - id: support
              label: Klantenservice
              categories: [name-address, email, order]
            ```
            """)

    public static let controlCharacter = Rule(
        "control-character", .error,
        summary: "A text value holds a control character written as a YAML escape.",
        source: "docs/format.md: Value types",
        explanation: """
            A double-quoted YAML value can hold any character through an escape such as `"\\e"` or `"\\0"`. A control \
            character would reach terminals, published pages and e-mails as a raw control code; the message names \
            it by code point.
            """,
        bad: """
            controller:
              name: "Kaviaarshop\\e[31m B.V."
            """,
        good: """
            controller:
              name: Kaviaarshop B.V.
            """)

    public static let invisibleCharacter = Rule(
        "invisible-character", .error,
        summary: "A character that cannot be seen: an error in YAML, a warning for direction controls in prose.",
        source: "docs/format.md: Encoding; CVE-2021-42574 (Trojan Source)",
        explanation: """
            Zero-width spaces, joiners and bidirectional controls make a value differ from what a reviewer reads: \
            an id with a zero-width space is another id, and a right-to-left override reorders the text shown. In \
            the front matter or a fact block it is an error; in prose, a direction control is a warning. The message \
            names the character by code point and Unicode name.
            """,
        bad: """
            ```recipient
            id: google           # followed by an invisible U+200B ZERO WIDTH SPACE
            name: Google
            ```
            """,
        good: """
            ```recipient
            id: google
            name: Google
            ```
            """)

    public static let rawHTML = Rule(
        "raw-html", .warning,
        summary: "A block contains raw HTML, which is not published.",
        source: "docs/format.md: Raw HTML",
        explanation: """
            Published pages render Markdown with raw HTML left out, so that a policy cannot inject scripts or styles \
            into the site. What the HTML says would silently be missing from the page; write it in Markdown. \
            Reported once a block.
            """,
        bad: """
            <p>Vragen? Mail <b>privacy@kaviaarshop.nl</b>.</p>
            """,
        good: """
            Vragen? Mail **privacy@kaviaarshop.nl**.
            """)

    public static let factBlockUnterminated = Rule(
        "fact-block-unterminated", .error,
        summary: "A fact block has no closing fence.",
        source: "docs/format.md: Fact blocks",
        explanation: """
            A fenced block with no closing fence runs to the end of the file, and a block whose content holds \
            another opening fence lost its own closing fence (a note points at the next fence). The block's keys are \
            not checked.
            """,
        bad: """
            ```category
            id: email
            label: E-mailadres

            ```purpose
            id: newsletter
            label: Nieuwsbrief
            categories: [email]
            ```
            """,
        good: """
            ```category
            id: email
            label: E-mailadres
            ```

            ```purpose
            id: newsletter
            label: Nieuwsbrief
            categories: [email]
            ```
            """)

    public static let factBlockNested = Rule(
        "fact-block-nested", .error,
        summary: "A fact block stands inside a block quote.",
        source: "docs/format.md: Fact blocks",
        explanation: """
            Fact blocks stand at the top level or in a list item. A quote is someone else's words, so a fact in it \
            is not read; move the block out of the quote.
            """,
        bad: """
            > ```purpose
            > id: newsletter
            > ```
            """,
        good: """
            ```purpose
            id: newsletter
            label: Nieuwsbrief
            categories: [email]
            ```
            """)

    public static let factBlockOnPage = Rule(
        "fact-block-on-page", .error,
        summary: "`publish` would show a fact block's YAML on a page instead of its fact box.",
        source: "GDPR Art. 12(1); docs/publish.md: Version pages",
        explanation: """
            A reader sees each fact as an "in short" box in words, never as YAML, ids or codes: concise, \
            intelligible, in clear and plain language. `publish` turns every fact block into its box, at the top \
            level and in a list item alike, then checks the HTML of every block of the body before anything is \
            written: code of a fact block still there (the Markdown renderer and the fact reader disagree on where \
            a block stands) stops the publish, reported at the block. Move the fact block to the top level or to a \
            list item of its own. The examples are the HTML of a page, which the rule reads.
            """,
        bad: """
            <li>Inzage:
            <pre><code class="language-right">id: access
            label: Inzagerecht
            </code></pre>
            </li>
            """,
        good: """
            <li>Inzage:
            <aside class="facts" id="fact-right-access" aria-labelledby="fact-right-access-title">
            <p class="facts-title" id="fact-right-access-title">In het kort: Inzagerecht, recht</p>
            </aside>
            </li>
            """)

    public static let unknownFactKind = Rule(
        "unknown-fact-kind", .error,
        summary: "A fenced code block's info string is not a fact kind.",
        source: "docs/format.md: Fact blocks",
        explanation: """
            Every fenced block with an info string is read as a fact of that kind, so a misspelt kind would drop the \
            fact silently. To show literal code, use an indented code block or a fence without an info string.
            """,
        bad: """
            ```categroy
            id: email
            ```
            """,
        good: """
            ```category
            id: email
            label: E-mailadres
            ```
            """)

    public static let markdownLimit = Rule(
        "markdown-limit", .error,
        summary: "The file exceeds a Markdown limit; the rest is not read.",
        source: "docs/format.md: Which files are read",
        explanation: """
            A paragraph may hold at most 100 images (`![`), and a file at most 10,000 blocks, 1,000 fact blocks and \
            200,000 lines and marks of Markdown. The limits keep a check fast on any input; past them the rest of \
            the file (or the paragraph) is not read.
            """,
        bad: """
            ![](a.png) ![](b.png) … 140 images in one paragraph
            """,
        good: """
            ![](a.png) ![](b.png)

            ![](c.png) ![](d.png)
            """)

    public static let noPolicyFiles = Rule(
        "no-policy-files", .error,
        summary: "No policy file was found below the checked paths.",
        source: "docs/format.md: Layout",
        explanation: """
            A check that read nothing must not pass: a CI gate would be open without looking. Each version is a file \
            `<policy-id>/<effective-date>.<language>.md`.
            """,
        bad: """
            Policies/kaviaarshop/privacy.markdown
            """,
        good: """
            Policies/kaviaarshop/2018-04-30.nl.md
            """)

    public static let fileNameLayout = Rule(
        "file-name-layout", .warning,
        summary: "A file or folder is not read because its name almost follows the layout.",
        source: "docs/format.md: Which files are read",
        explanation: """
            Only files ending in `.md` are read. A name that nearly follows the layout (`.MD`, `.markdown`, a folder \
            named like a policy file) is most likely a policy that would otherwise be skipped without a word; the \
            message gives the name to use.
            """,
        bad: """
            Policies/kaviaarshop/2018-04-30.nl.MD
            """,
        good: """
            Policies/kaviaarshop/2018-04-30.nl.md
            """)
}
