import PolicyBase
import Testing

/// What every stage shares: how a diagnostic reads, in what order, and how values in it are shown.
@Suite struct DiagnosticTests {
    static let here = SourceLocation(file: "Policies/shop/2027-01-01.nl.md", line: 12, column: 5)

    @Test func formatsAsFileLineColumnWithNotes() {
        let note = DiagnosticNote(
            "first declared here", at: SourceLocation(file: "Policies/shop/2027-01-01.nl.md", line: 3, column: 1))
        let diagnostic = Diagnostic.error("duplicate id 'email'", rule: .duplicateID, at: Self.here, notes: [note])
        #expect(
            diagnostic.formatted == """
                Policies/shop/2027-01-01.nl.md:12:5: error: duplicate id 'email' (duplicate-id)
                Policies/shop/2027-01-01.nl.md:3:1: note: first declared here
                """)
    }

    /// A file name or value cannot start a line of its own or reach the terminal as a control sequence.
    @Test func escapesWhatAFileOrValueHolds() {
        let location = SourceLocation(file: "Policies/a\nb\u{1B}[2J.md", line: 1, column: 1)
        let diagnostic = Diagnostic.warning("value 'x\u{202E}y'", rule: .invalidValue, at: location)
        #expect(diagnostic.formatted == "Policies/a\\nb\\x1B[2J.md:1:1: warning: value 'x<U+202E>y' (invalid-value)")
    }

    @Test func sortsInReadingOrderErrorsFirst() {
        let a = Diagnostic.warning("w", rule: .invalidValue, at: Self.here)
        let b = Diagnostic.error("e", rule: .invalidValue, at: Self.here)
        let c = Diagnostic.error(
            "earlier", rule: .invalidValue, at: SourceLocation(file: Self.here.file, line: 2, column: 9))
        #expect(Diagnostic.sorted([a, b, c]).map(\.message) == ["earlier", "e", "w"])
    }

    @Test func cutsLongQuotedValues() {
        let long = String(repeating: "x", count: 100)
        let message = Diagnostic.error("unknown id '\(long)'", rule: .invalidValue, at: Self.here).message
        #expect(message == "unknown id '\(String(repeating: "x", count: 48))…'")
        // An apostrophe inside a word is text, not a quote.
        #expect(EchoedValue.abbreviatingQuotes(in: "foto's " + long) == "foto's " + long)
    }

    @Test(
        arguments: [
            ("paymnet", ["payment", "email"], "payment"),
            ("EMIAL", ["payment", "email"], "email"),
            ("zzzzzz", ["payment", "email"], nil),
        ] as [(String, [String], String?)])
    func suggestsTheClosestWord(_ word: String, _ candidates: [String], _ expected: String?) {
        #expect(Suggestion.closest(to: word, in: candidates) == expected)
    }

    @Test func hintIsEmptyForAnExactWord() {
        #expect(Suggestion.hint(for: "email", in: ["email"]) == "")
        #expect(Suggestion.hint(for: "emal", in: ["email"]) == "; did you mean 'email'?")
    }
}

/// The ordered parallel map keeps input order whatever the scheduling, so output stays deterministic.
@Suite struct ConcurrencyTests {
    @Test func concurrentMapKeepsOrder() {
        let input = Array(0..<10_000)
        #expect(input.concurrentMap { $0 * 2 } == input.map { $0 * 2 })
        #expect([Int]().concurrentMap { $0 } == [])
    }

    @Test func concurrentlyReturnsBoth() {
        let (a, b) = concurrently({ (1...100).reduce(0, +) }, { "done" })
        #expect(a == 5050 && b == "done")
    }
}

/// The rule catalogue: every id once, and each entry complete.
@Suite struct RuleTests {
    @Test func idsAreUniqueAndKebabCase() {
        let ids = Rule.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        for id in ids { #expect(id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(id)") }
    }

    @Test func everyEntryIsExplained() {
        for rule in Rule.all {
            #expect(!rule.summary.isEmpty && !rule.explanation.isEmpty, "\(rule.id)")
            #expect(Rule.named(rule.id) === rule)
        }
    }
}
