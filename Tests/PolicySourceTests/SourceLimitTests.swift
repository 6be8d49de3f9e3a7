import Foundation
import PolicyBase
import Testing

@testable import PolicySource

/// Reads `text` as a policy file and returns its diagnostics as text output lines.
private func diagnostics(_ text: String, path: String = "p.md") -> [String] {
    SourceReader.read(bytes: Array(text.utf8), path: path).diagnostics.map(\.formatted)
}

/// A front matter, a heading, then `body`: the body starts on line 5.
private func file(_ body: String) -> String { "---\ntitle: x\n---\n\n" + body }

@Suite("Source messages and limits")
struct SourceMessageTests {
    @Test("a tab that indents YAML: libyaml's wording translated, at the tab")
    func tabIndentation() {
        // Line 7 starts with the tab. Before: "invalid YAML: found a tab character that violates indentation", with a
        // note "while scanning a plain scalar" pointing at line 6.
        #expect(
            diagnostics(file("```purpose\nid: a\n\tname: b\n```\n")) == [
                "p.md:7:1: error: use spaces, not tabs, to indent YAML (yaml-syntax)"
            ])
        // A tab before a list item: libyaml says "found character that cannot start any token".
        #expect(
            diagnostics(file("```purpose\nid: a\nname:\n\t- b\n```\n")) == [
                "p.md:8:1: error: use spaces, not tabs, to indent YAML (yaml-syntax)"
            ])
    }

    @Test("`---` inside a fact block: say that it ends the block")
    func documentMarkerInFactBlock() {
        #expect(
            diagnostics(file("```purpose\nid: a\n---\nname: b\n```\n")) == [
                "p.md:7:1: error: `---` inside a fact block ends it; remove it (yaml-syntax)"
            ])
    }

    @Test("other libyaml messages keep their wording")
    func otherMessagesUnchanged() {
        #expect(
            diagnostics(file("```purpose\nid: a: b\n```\n")) == [
                "p.md:6:6: error: invalid YAML: mapping values are not allowed in this context (yaml-syntax)"
            ])
    }

    @Test("`![[]()` repeated: refused at the first image past the limit, in bounded time; the rest is still read")
    func imageBracketLimit() {
        // 100,000 repetitions (600 KB) took 15-20 s in libcmark 0.30.2. Column: 100 repetitions of 6 bytes, then "!".
        let text = file(String(repeating: "![[]()", count: 100_000) + "\n\n```purpose\nid: a\n\tname: b\n```\n")
        let start = Date()
        let found = diagnostics(text)
        #expect(Date().timeIntervalSince(start) < 10, "generous: about 0.1 s in a debug build")
        #expect(
            found == [
                "p.md:5:601: error: more than 100 images ('![') in one paragraph; split the paragraph with blank lines (markdown-limit)",
                "p.md:9:1: error: use spaces, not tabs, to indent YAML (yaml-syntax)",
            ])
    }

    @Test("100 images in a paragraph are fine; a fenced block's content is not counted")
    func imageLimitBoundary() {
        #expect(diagnostics(file(String(repeating: "![a](b) ", count: 100) + "\n")) == [])
        #expect(diagnostics(file("```\n" + String(repeating: "![[]()", count: 500) + "\n```\n")) == [])
        // Paragraphs are counted apart.
        #expect(diagnostics(file(String(repeating: "![a](b)\n\n", count: 300))) == [])
    }

    @Test("invisible characters: an error in YAML, a warning for bidi controls in prose, named by code point")
    func invisibleCharacters() {
        #expect(
            diagnostics(file("Tekst \u{2066}x\u{2069}.\n\n```purpose\nid: a\u{200B}b\n```\n")) == [
                "p.md:5:7: warning: text contains U+2066 LEFT-TO-RIGHT ISOLATE at column 7; delete it (invisible-character)",
                "p.md:8:6: error: value contains U+200B ZERO WIDTH SPACE at column 6; delete it (invisible-character)",
            ])
        // In the front matter too; a soft hyphen and a zero-width joiner in prose are left alone.
        #expect(
            diagnostics("---\ntitle: Be\u{FEFF}leid\n---\n\nPrivacy\u{00AD}beleid 👩\u{200D}💻\n") == [
                "p.md:2:10: error: value contains U+FEFF ZERO WIDTH NO-BREAK SPACE at column 10; delete it (invisible-character)"
            ])
    }

    @Test("a file full of invisible characters gets a bounded number of diagnostics")
    func invisibleCharacterCap() {
        let found = diagnostics(file(String(repeating: "a\u{202E}b\n\n", count: 1_000)))
        #expect(found.count == SourceReader.invisibleReportLimit)
        #expect(
            found.last
                == "p.md:43:2: warning: text contains U+202E RIGHT-TO-LEFT OVERRIDE at column 2; delete it (invisible-character)\np.md:43:2: note: 1000 lines in all have invisible characters; only the first 20 are listed"
        )
    }
}

@Suite("Inputs the fuzzers found are read without a crash")
struct FuzzRegressionTests {
    @Test("raw control characters in the source never reach the text output raw")
    func rawControlCharacters() {
        // The first minute of the compile fuzz target (before text output was escaped) stopped on its check that no
        // formatted diagnostic holds a raw control character; libFuzzer kept no copy of that input, so these are
        // the inputs of that kind: ESC and BEL in YAML, in a fence's info string and in prose.
        let inputs = [
            "---\ntitle: \"a\u{1B}]0;x\u{07}b\"\n---\n",
            "---\ntitle: a\u{1B}[31m\n---\n",
            "---\ntitle: x\n---\n\n```purp\u{1B}ose\nid: a\n```\n",
            "---\ntitle: x\n---\n\n```purpose\nid: a\u{07}\n```\n",
            "\u{1B}[2J---\n",
        ]
        for input in inputs {
            let output = SourceReader.read(bytes: Array(input.utf8), path: "p\u{1B}.md").diagnostics.map(\.formatted)
                .joined(separator: "\n")
            #expect(!output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(input.debugDescription)")
        }
    }
}

@Suite("Limit messages say what to do")
struct LimitMessageTests {
    @Test("a fact block with more than 20,000 values: split it")
    func tooManyValues() {
        // 20,001 list items on line 6. The limit counts nodes (the mapping, the list, then the items), so the
        // 20,001st node is item 19,998 (0-based), at column 7 + 3 × 19,998.
        let items = Array(repeating: "a", count: 20_001).joined(separator: ", ")
        let found = SourceReader.read(
            bytes: Array(("---\ntitle: x\n---\n\n```category\nids: [" + items + "]\n```\n").utf8), path: "p.md"
        ).diagnostics
        #expect(
            found.map(\.formatted) == [
                "p.md:6:60001: error: YAML block has more than 20000 values; split it into several fact blocks (yaml-syntax)"
            ])
    }
}

@Suite("Explicit keys the fuzzers found are read without a crash")
struct ExplicitKeyTests {
    @Test("the input the front-matter fuzz target timed out on: refused at its first explicit key, at once")
    func fuzzTimeout() throws {
        // timeout-fbda0901… (2,375 bytes of `- ? ` chains on one line), as the target wraps it: 250 ms in the
        // instrumented build, over 3 s while the machine was busy.
        let url = try #require(
            Bundle.module.url(forResource: "Fixtures/fuzz/front-matter-timeout-fbda0901", withExtension: nil))
        let input = Array("---\n".utf8) + [UInt8](try Data(contentsOf: url)) + Array("\n---\n".utf8)
        let start = Date()
        #expect(
            SourceReader.read(bytes: input, path: "p.md").diagnostics.map(\.formatted) == [
                "p.md:2:4: error: explicit keys ('? ') are not supported; write 'key: value' (yaml-syntax)"
            ])
        #expect(Date().timeIntervalSince(start) < 1)
        // The same shape, longer.
        #expect(
            diagnostics("---\n" + String(repeating: "- ? ", count: 600) + "\n---\n") == [
                "p.md:2:3: error: explicit keys ('? ') are not supported; write 'key: value' (yaml-syntax)"
            ])
    }

    @Test(
        "the second input the front-matter fuzz target timed out on: explicit keys after a U+2028, which libyaml reads as a line break"
    )
    func fuzzTimeoutAfterLineSeparator() throws {
        // timeout-5e208ec5… (3,555 bytes; 300 ms in the instrumented build, over 2 s while the machine was busy).
        let url = try #require(
            Bundle.module.url(forResource: "Fixtures/fuzz/front-matter-timeout-5e208ec5", withExtension: nil))
        let input = Array("---\n".utf8) + [UInt8](try Data(contentsOf: url)) + Array("\n---\n".utf8)
        let start = Date()
        #expect(
            SourceReader.read(bytes: input, path: "p.md").diagnostics.map(\.formatted) == [
                "p.md:2:17: error: value contains U+2028 LINE SEPARATOR at column 17; delete it (invisible-character)"
            ])
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test("the third input the front-matter fuzz target timed out on: a list of 11,000 items, each appended in place")
    func fuzzTimeoutLongList() throws {
        // timeout-1a141995… (38,528 bytes: `-` items between carriage returns, which only libyaml reads). Each item
        // copied the list before it: 0.6 s a parse in the instrumented build, 2 s for the target's three readings.
        let url = try #require(
            Bundle.module.url(forResource: "Fixtures/fuzz/front-matter-timeout-1a141995", withExtension: nil))
        let bytes = [UInt8](try Data(contentsOf: url))
        let yaml = String(decoding: bytes, as: UTF8.self)
        let map = YAMLPositionMap(
            path: "p.md", firstLine: 2, lines: SourceText.lines(of: yaml).map { (text: $0, prefixBytes: 0) })
        let start = Date()
        guard case .success(let node?) = YAMLReader.parse(yaml, map: map), case .sequence(let items) = node.content
        else {
            Issue.record("not read as a list")
            return
        }
        let seconds = Date().timeIntervalSince(start)
        #expect(items.count == 9_147, "the top-level items; some hold nested lists")
        #expect(seconds < 0.5, "generous: 0.02 s in a debug build, 0.86 s before")
    }

    @Test("U+0085, U+2028 and U+2029 in YAML stop it being parsed, with one invisible-character error each")
    func unicodeLineBreaks() {
        #expect(
            diagnostics("---\ntitle: a\u{2028}? b\n---\n") == [
                "p.md:2:9: error: value contains U+2028 LINE SEPARATOR at column 9; delete it (invisible-character)"
            ])
        #expect(
            diagnostics("---\ntitle: \"é\u{2029}\"\n---\n") == [
                "p.md:2:11: error: value contains U+2029 PARAGRAPH SEPARATOR at column 11; delete it (invisible-character)"
            ])
        #expect(
            diagnostics("---\ntitle: x\u{85}y\n---\n") == [
                "p.md:2:9: error: value contains U+0085 at column 9; delete it (invisible-character)"
            ])
    }

    @Test("explicit keys on their own lines; a '?' in text and in block scalars is text")
    func explicitKeys() {
        #expect(
            diagnostics("---\ntitle: x\n? a\n: b\n---\n") == [
                "p.md:3:1: error: explicit keys ('? ') are not supported; write 'key: value' (yaml-syntax)"
            ])
        #expect(
            diagnostics("---\ntitle: Wat? Dit\nsummary: |\n  ? Waarom\n  - Daarom\nnote: >-\n\n  ? ook\n---\n") == [])
    }
}

@Suite("Fact block limit")
struct FactBlockLimitTests {
    @Test("past 1,000 fact blocks, one error at the first block past the limit; the rest is read as prose")
    func tooManyFactBlocks() {
        // 5 MB of fact blocks took 5.4 s and 370 MB to check (release build). Each block here is 3 lines and a
        // blank line, after the 4-line front matter: block n (1-based) starts on line 5 + 4 (n - 1).
        let body = String(repeating: "```category\nid: a\n```\n\n", count: 1_200)
        let document = SourceReader.read(bytes: Array(file(body).utf8), path: "p.md")
        #expect(
            document.diagnostics.map(\.formatted) == [
                "p.md:4005:1: error: more than 1000 fact blocks in one file; the rest are not read; merge or remove blocks (markdown-limit)"
            ])
        #expect(document.blocks.filter { if case .fact = $0.markdown.kind { true } else { false } }.count == 1_000)
    }
}

@Suite("Block limit")
struct BlockLimitTests {
    @Test("past 10,000 top-level blocks, one error at the first block past the limit, and nothing after it is read")
    func tooManyBlocks() {
        // Each heading and its paragraph take 4 lines from line 5: block n (1-based) starts on line 5 + 2 (n - 1).
        let body = (0..<6_000).map { "## Kop \($0)\n\nTekst \($0).\n\n" }.joined()
        let (blocks, found) = MarkdownReader.read(
            body: String(repeating: "\n", count: 4) + body,
            source: try! SourceText.decode(Array(file(body).utf8), path: "p.md").get())
        #expect(
            found.map(\.formatted) == [
                "p.md:20005:1: error: more than 10000 blocks (paragraphs, headings, lists) in one file; the rest are not read; shorten the file (markdown-limit)"
            ])
        #expect(blocks.count == 10_000)
    }
}

@Suite("Line and markup limits")
struct LineAndMarkupLimitTests {
    @Test("more than 200,000 lines: refused at the first line past the limit")
    func tooManyLines() {
        let text = file(String(repeating: "a\n\n", count: 100_000))
        #expect(
            diagnostics(text) == [
                "p.md:200001:1: error: more than 200000 lines in one file; a policy is text for customers: shorten it (file-too-large)"
            ])
    }

    @Test("more lines and marks than libcmark is given: an error at the line where the budget runs out")
    func tooMuchMarkup() {
        // 6 MB of `*a* ` on one line took 1.1 GB: line 5 holds 200,001 marks, so the cut is at its start.
        let text = file(String(repeating: "*a* ", count: 100_001) + "\n")
        let start = Date()
        #expect(
            diagnostics(text) == [
                "p.md:5:1: error: more than 200000 lines and marks of Markdown in one file; the rest is not read; shorten the file (markdown-limit)"
            ])
        #expect(Date().timeIntervalSince(start) < 10)
    }
}
