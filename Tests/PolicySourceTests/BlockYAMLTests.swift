import Foundation
import PolicyBase
import Testing

@_spi(Fuzzing) @testable import PolicySource

/// The plain block reader (BlockYAML.swift), the fast path of `YAMLReader.parse`: the shapes it reads and those it
/// leaves to the core. That it reads what the core reads is `YAMLDifferentialTests`.
@Suite struct BlockYAMLTests {
    static func expectSameReading(
        _ yaml: String, prefix: Int = 2,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> Bool {
        YAMLDifferentialTests.expectSameReading(yaml, prefix: prefix, sourceLocation: sourceLocation)
    }

    /// The shapes policies are written in: read here, the same as the core.
    @Test(arguments: [
        "id: a\nlabel: B c\n",
        "- id: a\n  label: x\n- id: b\n  label: y\n",
        "categories: [a, b c, d]\n",
        "categories: []\n",
        "categories: [ ]\n",
        "categories: [ a ,b  ]\n",
        "controller:\n  name: K\n  email: a@b.example\n",
        "list:\n  - a\n  - b\nnext: c\n",
        "url: https://x.example/a?b=c#frag\n",
        "label: café — ok, zoë\n",
        "a: x\n\n\nb: y\n   \n",
        "  id: a\n  label: b\n",
        "label: foto's en \"quotes\" inside\n",
        "x: a, b {c} [d] - e ? f\n",
        "n: ~\nm: null\no: 30\np: true\n",
        "k: v   \n",
        "k: v",
        "a:\n  b:\n    c:\n      - d\n      - e: f\n        g: [h]\n",
        "- a\n- [b, c]\n- d: e\n",
        "key.with_under-score: 1\n",
        "2018: year\n",
        "label: a:b and c:d\n",
        "a: x" + String(repeating: "[", count: YAMLReader.depthLimit) + "\n",
        "q: why? because\n",
        "a: |\n  x\n", "a: |-\n  x\n  y\nb: c\n", "a: |\n    x\n      y: z # not a comment\n    'w'\n",
        "controller:\n  name: K\n  address: |-\n    Vareseweg 121\n    3047 AT Rotterdam\n  email: a@b.example\n",
        "a:\n  b: |\n   x\n  c: d\n", "a: |-\n  x",
        "s: >-\n  From 1 January,\n  Mollie: x # y\nt: u\n", "s: >\n  a\n  b\n",
    ])
    func readsThePlainBlockShapes(_ yaml: String) {
        #expect(Self.expectSameReading(yaml), "not read: \(yaml.debugDescription)")
    }

    /// What libyaml reads differently, rejects, or what only the core words well: left to the core.
    @Test(arguments: [
        "label: 'quoted'\n", "label: \"q\"\n", "a: >+\n  x\n",
        "a: >\n  x\n    y\n  z\n", "a: &x 1\n", "a: *x\n", "a: !tag x\n",
        "# comment\na: b\n", "a: b # comment\n", "a:\tb\n", "a: b\r\n", "a:\n", "a:\nb: c\n", "a: b\n  c\n",
        "a: b\na: c\n",
        "a: b: c\n", "a: b:\n", "a: [a, b,]\n", "a: [a, [b]]\n", "a: [a:b]\n", "a: [a\n", "a: [a] b\n", "---\na: b\n",
        "a: b\n...\n", "categories:\n- a\n", "- - a\n", "-\n  a\n", "- \n", "a: 😀\n", "\u{FEFF}a: b\n", "a: b\u{85}c\n",
        "a: b\u{2028}c\n", "text only\n", "", "\n\n", "a: -1\n", "a: {x: 1}\n", "a: %x\n", "a: @x\n", "a: `x`\n",
        "key:value\n", "a : b\n", "\"a\": b\n", "a: ? b\n", "a: [?b]\n", "- a\n  b\n", "a:\n  b: c\n d: e\n",
        "a: \u{7F}\n", "a: \u{9F}\n", "a: \u{E000}\n", "<<: x\n",
        // Literal block scalars the fast path leaves: other indicators, blank or trailing spaces, odd indentation.
        "a: |+\n  x\n", "a: |2\n  x\n", "a: | # c\n  x\n", "a: |\n  x\n\n  y\n", "a: |\n  x \n", "a: |\n  x",
        "a: |\n\n  x\n", "a: |\n  x\n   \n", "- |\n  x\n", "a: |\nb: c\n", "a: |\n    x\n  y\n", "a: |\n  x\n\nb: c\n",
        // More opening brackets than `parse`'s nesting check allows, though text here: that check decides.
        "a: x" + String(repeating: "[", count: YAMLReader.depthLimit + 1) + "\n",
        "a: ? b\n- ? c\n",
    ])
    func leavesTheRestToTheCore(_ yaml: String) {
        let map = YAMLPositionMap(
            path: "p.md", firstLine: 2, lines: SourceText.lines(of: yaml).map { (text: $0, prefixBytes: 0) })
        #expect(YAMLReader.parseBlock(yaml, map: map) == nil, "read: \(yaml.debugDescription)")
    }

    /// Nodes are counted as the core counts them: past the limit, the document goes there (and is refused).
    @Test func countsNodesLikeTheCore() {
        let words = (0...YAMLReader.nodeLimit).map { "w\($0)" }.joined(separator: ", ")
        for yaml in ["k: [\(words)]\n", (0...YAMLReader.nodeLimit).map { "- w\($0)\n" }.joined()] {
            let map = YAMLPositionMap(
                path: "p.md", firstLine: 1, lines: SourceText.lines(of: yaml).map { (text: $0, prefixBytes: 0) })
            #expect(YAMLReader.parseBlock(yaml, map: map) == nil)
            guard case .failure(let diagnostic) = YAMLReader.parseCore(yaml, map: map) else {
                Issue.record("the core read more than \(YAMLReader.nodeLimit) nodes")
                continue
            }
            #expect(diagnostic.message.contains("more than \(YAMLReader.nodeLimit) values"))
        }
        let within = (0..<(YAMLReader.nodeLimit - 2)).map { "w\($0)" }.joined(separator: ", ")
        #expect(Self.expectSameReading("k: [\(within)]\n"))
    }

    /// The sample's front matter and fact blocks are all in the plain block shape (the front matter with a literal
    /// block scalar, `|-`, for the address).
    @Test func readsTheSampleYAML() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Policies/kaviaarshop")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }
            .sorted()
        #expect(files.count >= 4)
        var texts = 0
        var read = 0
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(file)))
            for (yaml, map) in YAMLDifferentialTests.yamlTexts(of: bytes, path: file) {
                texts += 1
                if YAMLDifferentialTests.expectSameReading(yaml, map: map) { read += 1 }
            }
        }
        #expect(texts > 50 && read == texts, "\(read) of \(texts) YAML texts read by the block reader")
    }
}
