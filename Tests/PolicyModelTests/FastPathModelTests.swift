import Testing
@testable import PolicyModel

/// The byte-wise fast paths of the model must give what their Unicode definitions give.
@Suite struct FastPathModelTests {
    @Test func asciiSlugMatchesTheDefinition() {
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        let ascii = (0..<128).map { Character(Unicode.Scalar(UInt8($0))) }
        for length in 0..<40 {
            for _ in 0..<500 {
                let text = String((0..<length).map { _ in next(4) == 0 ? ascii[next(128)] : Array("aZ9 -_.,?")[next(9)] })
                #expect(Fields.asciiSlug(text) == Fields.unicodeSlug(text), "\(Array(text.utf8))")
            }
        }
        #expect(Fields.asciiSlug("Één") == nil)
        #expect(Fields.slug("Één keer") == Fields.unicodeSlug("Één keer"))
    }
}
