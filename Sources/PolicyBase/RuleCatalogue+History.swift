// Rules about declared changes and the history a shop brings when it adopts policyc (docs/format.md, "Declaring
// what a change is" and docs/config.md, `adopted`).

extension Rule {
    public static let declarationUnmatched = Rule(
        "declaration-unmatched", .error,
        summary: "A declaration in `changes` names an element that did not change in this version.",
        source: "GDPR Art. 5(2); docs/changes.md: Wording and substance",
        explanation: """
            A declaration decides the class of a change, and its reason is shown on the change page. One that \
            matches no change decides nothing: it is a mistaken id, or a change that was undone. Remove it, or name \
            the element that changed.
            """,
        bad: """
            changes:
              - wording: recipient/mollie
                reason: corrects the company's legal name
            # recipient/mollie is the same in both versions
            """,
        good: """
            changes:
              - wording: recipient/sisow
                reason: corrects the company's legal name
            # recipient/sisow was renamed 'Sisow B.V' → 'Sisow B.V.'
            """)

    public static let declarationMismatch = Rule(
        "declaration-mismatch", .error,
        summary: "A declaration in `changes` names a change of another sort than it declares.",
        source: "GDPR Art. 5(2), 13(3); docs/changes.md: Wording and substance",
        explanation: """
            `wording` and `substance` are about a reworded label or name; `from-now-on` is about a new purpose or \
            recipient for data already held. A declaration on an element that changed in another way (its legal \
            basis, its categories) would put a reason on the record that decided nothing, so it is refused: the \
            rule table classes that change.
            """,
        bad: """
            changes:
              - wording: purpose/payment
                reason: clearer wording
            # purpose/payment changed its legal basis, not its label
            """,
        good: """
            changes:
              - wording: purpose/payment
                reason: clearer wording
            # purpose/payment's label was reworded
            """)

    public static let notAnnouncedBeforeAdoption = Rule(
        "history-not-announced", .note,
        summary: "A version from before the shop adopted policyc was not announced in advance.",
        source: "GDPR Art. 13(3); docs/config.md: adopted",
        explanation: """
            A shop that adopts policyc brings its earlier versions, often changed without notice. For a version \
            that took effect before `adopted` in policyc.yaml, a missing or late announcement or a missing summary \
            is put on the record as a note, not an error, and its change page says it was not announced in advance. \
            Every version from `adopted` on must pass `notice-period` and `change-summary-missing`.
            """,
        bad: """
            # policyc.yaml: adopted: 2026-01-15
            effective: 2026-03-01
            # changes customers must be told about, no announced
            """,
        good: """
            # policyc.yaml: adopted: 2026-01-15
            effective: 2024-05-01
            # changes customers must be told about, no announced: a note on the record
            """)
}
