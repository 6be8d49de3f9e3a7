import Foundation
import PolicyBase
import Testing

@testable import PolicySource

/// The byte-wise fast paths of the compile must give what their character-wise definitions give, on every input.
/// Random strings from pieces chosen to meet the edges: combining marks after a trimmed byte, prepended marks before
/// one, CR LF, non-ASCII letters, empty strings.
@Suite struct FastPathTests {
    static let pieces = [
        " ", "\t", "\n", "\r", "\r\n", "a", "Z", "-", "'", "\"", "#", "\u{301}", " \u{301}", "\u{200D}", "\u{600}",
        "\u{AD}", "é", "e\u{301}", "😀", "\u{1F1F3}\u{1F1F1}", "\u{85}", "\u{2028}", "\u{FEFF}", "\u{0}", "x y",
    ]

    /// A deterministic generator, so a failure names its input.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        mutating func string() -> String {
            (0..<next(7)).map { _ in FastPathTests.pieces[next(FastPathTests.pieces.count)] }.joined()
        }
    }

    /// The definition of `trimming`: whole characters, from both ends.
    static func reference(_ text: String, _ set: String) -> String {
        let characters = Set(set)
        var view = Substring(text)
        while let first = view.first, characters.contains(first) { view = view.dropFirst() }
        while let last = view.last, characters.contains(last) { view = view.dropLast() }
        return String(view)
    }

    @Test func trimmingMatchesCharacterWiseTrimming() {
        var generator = Generator(state: 42)
        for set in [" \t\n", "\n ", " ", "\"'", " \t", "\r\n", "é ", ""] {
            for _ in 0..<20_000 {
                let text = generator.string()
                let trimmed = text.trimming(set)
                #expect(
                    Array(trimmed.unicodeScalars) == Array(FastPathTests.reference(text, set).unicodeScalars),
                    "\(Array(text.unicodeScalars)) trimmed of \(Array(set.unicodeScalars))")
            }
        }
    }
}
