import PolicyBase
import Testing

@testable import PolicySource

/// Positions are exact everywhere: a byte that stops the read is reported at its own line and column (UTF-8 bytes
/// from 1), wherever it is in the line, in the front matter, the prose or a fact block.
@Suite struct PositionTests {
    static func located(_ text: String) -> String {
        switch SourceText.decode(Array(text.utf8), path: "p.md") {
        case .success: return "accepted"
        case .failure(let diagnostic):
            return "\(diagnostic.location.line):\(diagnostic.location.column) \(diagnostic.message)"
        }
    }

    @Test(arguments: [
        ("ab\u{0}cd\n", "1:3 NUL byte in text"),
        ("---\npolicy: x\ntitle: ab\u{0}cd\n---\n", "3:10 NUL byte in text"),
        ("first\n\tzé\u{0}\n", "2:5 NUL byte in text"),
        ("line\r\nnext x\u{0}\n", "2:7 NUL byte in text"),
        ("one\rtwo\u{0}", "2:4 NUL byte in text"),
        ("```yaml policy:category\nid: a\u{0}b\n```\n", "2:6 NUL byte in text"),
    ])
    func nulIsReportedAtItsOwnColumn(_ text: String, _ expected: String) {
        #expect(Self.located(text) == expected)
    }

    @Test func invalidUTF8IsReportedAtItsOwnColumn() {
        let bytes = Array("title: ok\nname: ab".utf8) + [0xFF] + Array("cd\n".utf8)
        guard case .failure(let diagnostic) = SourceText.decode(bytes, path: "p.md") else {
            Issue.record("accepted")
            return
        }
        #expect("\(diagnostic.location.line):\(diagnostic.location.column)" == "2:9")
    }
}
