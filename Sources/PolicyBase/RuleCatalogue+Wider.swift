// Rules of the facts real policies state beyond the first format (issue 17).

extension Rule {
    public static let transferWithoutCountry = Rule(
        "transfer-without-country", .warning,
        summary: "A recipient states transfer grounds but no `country`.",
        source: "GDPR Art. 13(1)(f), 44–49",
        explanation: """
            Transfer grounds say that data leaves the EEA, but without the country the customer cannot tell where \
            it goes, and policyc cannot check whether the grounds are needed or tell a later move to another \
            country. Name the country the recipient processes the data in.
            """,
        bad: """
            ```recipient
            id: mailer
            name: Mailer Inc.
            categories: [name-address]
            transfer-grounds: [standard-contractual-clauses]
            ```
            """,
        good: """
            ```recipient
            id: mailer
            name: Mailer Inc.
            categories: [name-address]
            country: US
            transfer-grounds: [standard-contractual-clauses]
            ```
            """)
}
