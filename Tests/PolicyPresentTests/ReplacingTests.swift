import Testing

@testable import PolicyPresent

/// `Presenter.replacing` works on bytes where they decide; it must replace exactly what the walk by characters does.
@Suite struct ReplacingTests {
    @Test func bytesReplaceWhatCharactersDo() {
        let pieces = [
            "{0}", "{1}", "{", "}", "0", "a", " ", "\u{301}", "é", "e\u{301}", "\u{600}", "\r", "\n", "\r\n", "😀",
            "{0}\u{301}", "x{0",
        ]
        var state: UInt64 = 3
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for placeholder in ["{0}", "{1}", "{10}", "\r\n", "é"] {
            for _ in 0..<5_000 {
                let text = (0..<next(8)).map { _ in pieces[next(pieces.count)] }.joined()
                let replacement = ["", "X", "{1}", "\u{301}", "€"][next(5)]
                // The definition: the walk by characters, where the bytes hold the placeholder.
                let bytes = Array(text.utf8)
                let found = bytes.indices.contains { bytes[$0...].starts(with: placeholder.utf8) }
                let expected = found ? Presenter.replacingCharacters(placeholder, in: text, with: replacement) : text
                #expect(
                    Array(Presenter.replacing(placeholder, in: text, with: replacement).unicodeScalars)
                        == Array(expected.unicodeScalars),
                    "\(Array(text.unicodeScalars)) \(placeholder)")
            }
        }
    }
}
