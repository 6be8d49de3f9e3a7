import Foundation
import PolicyBase
import Testing

@_spi(Fuzzing) @testable import PolicySource

/// The YAML reader's fast path (the plain block reader, BlockYAML.swift) held to its core (the checks before parsing,
/// then Yams' node tree): whenever the fast path reads a document, the core reads the same nodes at the same
/// positions, so `YAMLReader.parse` gives what the core alone would. Run on every YAML text in the fixtures (policies,
/// the fuzz corpora, the CommonMark examples) and on generated documents; the front-matter and fact-block fuzz targets
/// make the same comparison on every input they try.
@Suite struct YAMLDifferentialTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")

    /// Compares both readers on `yaml`; true when the fast path read it.
    static func expectSameReading(
        _ yaml: String, map: YAMLPositionMap,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> Bool {
        let core = YAMLReader.parseCore(yaml, map: map)
        guard let fast = YAMLReader.parseBlock(yaml, map: map) else { return false }
        #expect(core == .success(fast), "\(yaml.debugDescription)", sourceLocation: sourceLocation)
        return true
    }

    /// The same on a document whose lines all stand after `prefix` bytes of containers.
    static func expectSameReading(
        _ yaml: String, prefix: Int = 2,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> Bool {
        let lines = SourceText.lines(of: yaml).map { (text: $0, prefixBytes: prefix) }
        let map = YAMLPositionMap(path: "p.md", firstLine: 2, lines: lines)
        return expectSameReading(yaml, map: map, sourceLocation: sourceLocation)
    }

    /// Every YAML text of a policy file, as the source reader finds it: the front matter, then each fact block's
    /// content, with their position maps. Without a front matter, the whole text is read as Markdown.
    static func yamlTexts(of bytes: [UInt8], path: String) -> [(yaml: String, map: YAMLPositionMap)] {
        guard case .success(let source) = SourceText.decode(bytes, path: path) else { return [] }
        var texts: [(yaml: String, map: YAMLPositionMap)] = []
        var body = source.text
        if case .success(let split) = FrontMatterSplit.split(source) {
            let lines = source.lines[1..<(split.closingLine - 1)].map { (text: $0, prefixBytes: 0) }
            texts.append((split.yaml, YAMLPositionMap(path: path, firstLine: 2, lines: Array(lines))))
            body = split.body
        }
        for block in MarkdownReader.read(body: body, source: source).blocks {
            guard case .fact(let fact) = block.kind else { continue }
            texts.append((fact.content, YAMLPositionMap(path: path, fact: fact)))
        }
        return texts
    }

    /// The files of a folder and its subfolders, sorted.
    static func files(under folder: String, suffix: String = "") throws -> [URL] {
        let url = root.appendingPathComponent(folder)
        guard let walk = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        return try walk.compactMap { $0 as? URL }
            .filter { $0.path.hasSuffix(suffix) }
            .filter { try $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true }
            .sorted { $0.path < $1.path }
    }

    /// Policy files as they are, and the fuzz inputs made into the files their targets make of them.
    static func fixtureFiles() throws -> [(path: String, bytes: [UInt8])] {
        var result: [(path: String, bytes: [UInt8])] = []
        let wholeFiles =
            try files(under: "Policies", suffix: ".md")
            + files(under: "Tests/PolicyModelTests/Fixtures", suffix: ".md")
            + files(under: "Tests/PolicyPublishTests/Fixtures", suffix: ".md")
            + files(under: "Tests/Fuzz/Corpus/compile")
        for url in wholeFiles { result.append((url.path, try [UInt8](Data(contentsOf: url)))) }
        let fuzzFixtures = try files(under: "Tests/PolicySourceTests/Fixtures/fuzz")
        let frontMatters =
            try files(under: "Tests/Fuzz/Corpus/front-matter")
            + fuzzFixtures.filter { $0.lastPathComponent.hasPrefix("front-matter") }
        for url in frontMatters {
            result.append(
                (url.path, Array("---\n".utf8) + (try [UInt8](Data(contentsOf: url))) + Array("\n---\n".utf8)))
        }
        let factBlocks =
            try files(under: "Tests/Fuzz/Corpus/fact-block")
            + fuzzFixtures.filter { $0.lastPathComponent.hasPrefix("fact-block") }
        for url in factBlocks {
            // The fact-block target's input: a byte that picks the kind, then the block's content.
            let content = try [UInt8](Data(contentsOf: url)).dropFirst()
            let opening = Array("---\npolicy: p\n---\n\n```purpose\n".utf8)
            result.append((url.path, opening + content + Array("\n```\n".utf8)))
        }
        return result
    }

    @Test func fastPathReadsWhatTheCoreReadsInTheFixtures() throws {
        var texts = 0
        var read = 0
        for file in try Self.fixtureFiles() {
            for (yaml, map) in Self.yamlTexts(of: file.bytes, path: file.path) {
                texts += 1
                if Self.expectSameReading(yaml, map: map) { read += 1 }
            }
        }
        // The sample's fact blocks alone are more than 150, all read by the fast path; most fuzz inputs are not.
        #expect(texts > 500 && read > 150 && read < texts, "\(read) of \(texts) YAML texts read by the fast path")
    }

    /// The CommonMark examples: each fenced block with an info string is a fact block, and each whole example, read
    /// as YAML, is a document of lists, quotes, indentation and punctuation that no policy would hold.
    @Test func fastPathReadsWhatTheCoreReadsInTheCommonMarkExamples() throws {
        var texts = 0
        var read = 0
        for example in CommonMarkSpecTests.examples {
            let path = "example-\(example.example).md"
            var documents = Self.yamlTexts(of: Array(example.markdown.utf8), path: path)
            let lines = SourceText.lines(of: example.markdown).map { (text: $0, prefixBytes: 0) }
            documents.append((example.markdown, YAMLPositionMap(path: path, firstLine: 1, lines: lines)))
            for (yaml, map) in documents {
                texts += 1
                if Self.expectSameReading(yaml, map: map) { read += 1 }
            }
        }
        // Few are: a handful of fact blocks, and Markdown is seldom plain YAML. The core reads all the others.
        #expect(texts > 498 && read > 0, "\(read) of \(texts) YAML texts read by the fast path")
    }

    /// Pieces of the shapes the fast path reads (alone; together, they may make a document it declines).
    static let plainPieces = [
        "id: a\n", "label: b c\n", "- id: c\n  label: d\n", "categories: [a, b]\n", "  ", "- ", "\n", "x:\n",
        "  y: z\n", "    - w\n", "  - v\n", "k: [ ]\n", "a: 1\n", "é: ü\n", "t: it's\n", "u: a:b\n", "n: ~\n",
        "s: x \n",
        "   ", "null\n", "a: 1\n", "d: |\n  text\n", "d: |-\n    text\n    more: x # y\n", "  e: |-\n   z\n",
        "f: >-\n  folded\n  text\n", "g: >\n  folded\n",
    ]

    /// Pieces of what it leaves to the core: quotes, comments, block scalars, anchors, aliases, tags, duplicate and
    /// collection keys, explicit keys, a second document, tabs, Unicode line breaks, deep nesting, errors.
    static let otherPieces = [
        "v: a # c\n", "w: 'q'\n", ": x\n", "[", "]", ",", "#", "\"", "-\n", "a: b: c\n", "---\n", "~\n", "\t", "? k\n",
        "- ? y\n", "u: \u{2028}\n", "w: x[[[[[[[[[[[[[[[[\n", "\"a\": 2\n", "d: |+\n  text\n",
        "e: >-\n  folded\n    more\n",
        "f: \"\\u00e9\\0\"\n", "g: \"\\uFEFFx\"\n", "&x ", "*x", "!!str ", "! ", "!foo ", "{a: 1, b: [c]}", "[a: 1]",
        "[a]: 1\n", "...\n", "e\u{301}: 1\n", "key: 'it''s'\n", "x: &y\ny: *y\n", "- - a\n",
    ]

    /// Generated documents, deterministic so that a failure names its input.
    @Test func fastPathReadsWhatTheCoreReadsInGeneratedDocuments() {
        var generator = FastPathTests.Generator(state: 11)
        var read = 0
        for _ in 0..<20_000 {
            // One piece in six from those the fast path declines, so that both kinds of document are common.
            let yaml = (0..<generator.next(10)).map { _ in
                let pieces = generator.next(6) == 0 ? Self.otherPieces : Self.plainPieces
                return pieces[generator.next(pieces.count)]
            }.joined()
            if Self.expectSameReading(yaml, prefix: generator.next(3)) { read += 1 }
        }
        // Both kinds of document must have been met.
        #expect(read > 1_000 && read < 19_000, "\(read) read by the fast path")
    }
}
