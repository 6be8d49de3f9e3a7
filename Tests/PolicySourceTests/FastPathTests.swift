import Foundation
import PolicyBase
import Testing
@_spi(Fuzzing) @testable import PolicySource

/// The byte-wise fast paths of the compile must give what their character-wise definitions give, on every input.
/// Random strings from pieces chosen to meet the edges: combining marks after a trimmed byte, prepended marks before
/// one, CR LF, non-ASCII letters, empty strings.
@Suite struct FastPathTests {
    static let pieces = [" ", "\t", "\n", "\r", "\r\n", "a", "Z", "-", "'", "\"", "#", "\u{301}", " \u{301}", "\u{200D}", "\u{600}",
                         "\u{AD}", "é", "e\u{301}", "😀", "\u{1F1F3}\u{1F1F1}", "\u{85}", "\u{2028}", "\u{FEFF}", "\u{0}", "x y"]

    /// A deterministic generator, so a failure names its input.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
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
                #expect(Array(trimmed.unicodeScalars) == Array(FastPathTests.reference(text, set).unicodeScalars),
                        "\(Array(text.unicodeScalars)) trimmed of \(Array(set.unicodeScalars))")
            }
        }
    }

    /// YAML pieces for generated documents: the shapes of fact blocks and front matter, and what the direct reading
    /// of events leaves to Yams (anchors, aliases, tags, duplicate and collection keys, a second document, errors).
    static let yamlPieces = ["id: a\n", "label: b\n", "- id: c\n  label: d\n", "categories: [a, b]\n", "  ", "- ", "\n", "a: 1\n",
                             "a: 1\n", "\"a\": 2\n", "'b': x\n", "c:\n", "d: |\n  text\n", "e: >-\n  folded\n", "f: \"\\u00e9\\0\"\n",
                             "g: \"\\uFEFFx\"\n", "&x ", "*x", "!!str ", "! ", "!foo ", "{a: 1, b: [c]}", "[a: 1]", "[a]: 1\n", "---\n",
                             "...\n", "# c\n", ": x\n", "é: ü\n", "e\u{301}: 1\n", "\u{E9}: 2\n", "null\n", "~\n", "key: 'it''s'\n", "\t",
                             "[", "]", "{", "}", ",", "\"", "'", "x: &y\ny: *y\n", "- - a\n", "-\n", "  - b\n"]

    static func map(_ yaml: String) -> YAMLPositionMap {
        YAMLPositionMap(path: "p.md", firstLine: 2, lines: SourceText.lines(of: yaml).map { (text: $0, prefixBytes: 2) })
    }

    /// Whenever the direct reading gives a document, Yams' reading gives the same one, node for node and position for
    /// position.
    static func expectSameReading(_ yaml: String) -> Bool {
        let map = map(yaml)
        // `parse`'s checks first, as in `parse`: they bound Yams' time on what they refuse.
        guard YAMLReader.unicodeLineBreak(yaml, map: map) == nil, YAMLReader.excessiveNesting(yaml, map: map) == nil,
              YAMLReader.explicitKey(yaml, map: map) == nil, let direct = YAMLReader.parseEvents(yaml, map: map) else { return false }
        let reference = YAMLReader.parseThroughYams(yaml, map: map)
        #expect(reference == .success(direct), "\(yaml.debugDescription)")
        return true
    }

    @Test func directReadingOfEventsMatchesYams() {
        var generator = Generator(state: 9)
        var direct = 0
        for _ in 0..<20_000 {
            let yaml = (0..<generator.next(12)).map { _ in FastPathTests.yamlPieces[generator.next(FastPathTests.yamlPieces.count)] }.joined()
            if FastPathTests.expectSameReading(yaml) { direct += 1 }
        }
        // Both kinds of document must have been met.
        #expect(direct > 1_000 && direct < 19_000, "\(direct) read directly")
    }

    @Test func sampleFactBlocksAreReadDirectly() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Policies/kaviaarshop")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }
        #expect(files.count >= 4)
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(file)))
            let document = SourceReader.read(bytes: bytes, path: file)
            guard case .success(let source) = SourceText.decode(bytes, path: file), case .success(let split) = FrontMatterSplit.split(source) else {
                Issue.record("\(file) unreadable"); continue
            }
            #expect(FastPathTests.expectSameReading(split.yaml), "front matter of \(file)")
            for block in document.blocks {
                guard case .fact(let fact) = block.markdown.kind else { continue }
                #expect(FastPathTests.expectSameReading(fact.content), "\(file):\(fact.firstContentLine)")
            }
        }
    }
}
