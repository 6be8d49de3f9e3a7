import PolicyBase
import Testing

@testable import PolicySource

@Suite struct SourceTextTests {
    @Test func frontMatterLinesKeepFileLineNumbers() throws {
        let text = "---\r\ntitle: Beleid\r\n---\r\n\r\n# Kop\r\n\r\nTekst.\r\n"
        let source = try SourceText.decode(Array(text.utf8), path: "p.md").get()
        #expect(source.lines.count == 7)
        let split = try FrontMatterSplit.split(source).get()
        #expect(split.closingLine == 3)
        #expect(split.yaml == "title: Beleid\n")
        let (blocks, _) = MarkdownReader.read(body: split.body, source: source)
        #expect(blocks.map(\.location.line) == [5, 7])
        #expect(blocks.map(\.text) == ["Kop", "Tekst."])
    }

    @Test func byteOrderMarkIsDropped() throws {
        let source = try SourceText.decode([0xEF, 0xBB, 0xBF] + Array("---\n".utf8), path: "p.md").get()
        #expect(source.lines == ["---"])
    }

    @Test func invalidBytesAreLocated() {
        let bytes = Array("ab\ncé".utf8) + [0xFF] + Array("x\n".utf8)
        guard case .failure(let diagnostic) = SourceText.decode(bytes, path: "p.md") else {
            Issue.record("invalid UTF-8 accepted")
            return
        }
        // Line 2: "c" is byte 1, "é" bytes 2–3, the bad byte column 4.
        #expect(
            diagnostic.formatted == "p.md:2:4: error: invalid UTF-8 byte 0xFF; save the file as UTF-8 (invalid-utf8)")
    }
}

@Suite struct YAMLPositionTests {
    @Test func columnsCountBytesAfterContainerPrefixes() throws {
        // A fact block inside a quote: every content line has the two-byte prefix "> ".
        let map = YAMLPositionMap(path: "p.md", firstLine: 10, lines: [("naam: é", 2), ("land: [NL", 2)])
        #expect(map.location(yamlLine: 1, scalarColumn: 7) == SourceLocation(file: "p.md", line: 10, column: 9))
        #expect(map.location(yamlLine: 2, scalarColumn: 7) == SourceLocation(file: "p.md", line: 11, column: 9))
        let result = YAMLReader.parse("naam: é\nland: [NL\n", map: map)
        guard case .failure(let diagnostic) = result else {
            Issue.record("unclosed list accepted")
            return
        }
        #expect(diagnostic.rule == "yaml-syntax")
        #expect(diagnostic.location.line >= 11)
    }

    @Test func nonASCIIColumnsAreBytes() {
        // "é" is one scalar and two bytes: scalar column 4 after it is byte column 5.
        let map = YAMLPositionMap(path: "p.md", firstLine: 1, lines: [("é: x", 0)])
        #expect(map.location(yamlLine: 1, scalarColumn: 4).column == 5)
    }

    @Test func scalarsKeepWhetherTheyWereQuoted() throws {
        let map = YAMLPositionMap(path: "p.md", firstLine: 1, lines: [("a: 30", 0), ("b: \"30\"", 0)])
        let node = try #require(try YAMLReader.parse("a: 30\nb: \"30\"\n", map: map).get())
        guard case .mapping(let pairs) = node.content else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs.map(\.value.content) == [.scalar("30", plain: true), .scalar("30", plain: false)])
        #expect(pairs.map(\.keyLocation.column) == [1, 1])
        #expect(pairs.map(\.value.location.column) == [4, 4])
    }
}

@Suite struct MarkdownTests {
    @Test func factBlocksCarryTheirInfoAndContentPosition() throws {
        let text = "---\nx: 1\n---\n\n```recipient extra\nid: a\n```\n\n    code\n"
        let source = try SourceText.decode(Array(text.utf8), path: "p.md").get()
        let split = try FrontMatterSplit.split(source).get()
        let (blocks, diagnostics) = MarkdownReader.read(body: split.body, source: source)
        #expect(diagnostics.isEmpty)
        guard case .fact(let fact) = blocks.first?.kind else {
            Issue.record("no fact block")
            return
        }
        #expect(fact.kind == "recipient")
        #expect(fact.kindLocation == SourceLocation(file: "p.md", line: 5, column: 4))
        #expect(fact.firstContentLine == 6)
        #expect(fact.terminated && fact.topLevel)
        // An indented code block is prose, not a fact.
        #expect(blocks.last?.kind == .prose)
    }

    @Test func htmlIsRenderedSafelyOnlyWhenAsked() throws {
        let text = "---\nx: 1\n---\n\n[klik](javascript:alert(1)) <b>vet</b>\n"
        let source = try SourceText.decode(Array(text.utf8), path: "p.md").get()
        let split = try FrontMatterSplit.split(source).get()
        let plain = MarkdownReader.read(body: split.body, source: source)
        #expect(plain.blocks.first?.html == "")
        let rendered = MarkdownReader.read(body: split.body, source: source, renderHTML: true)
        #expect(
            rendered.blocks.first?.html
                == "<p><a href=\"\">klik</a> <!-- raw HTML omitted -->vet<!-- raw HTML omitted --></p>\n")
        #expect(rendered.diagnostics.map(\.rule) == ["raw-html"])
    }
}
