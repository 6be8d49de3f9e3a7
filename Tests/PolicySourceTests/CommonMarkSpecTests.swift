import Foundation
import Testing

@testable import PolicySource

/// The CommonMark 0.30 examples whose HTML is the same under libcmark's safe default: rendering a document block by
/// block, as the source stage does, must give exactly the specification's HTML.
@Suite struct CommonMarkSpecTests {
    struct Example: Decodable {
        var markdown: String
        var html: String
        var example: Int
        var section: String
    }

    static let examples: [Example] = {
        guard
            let url = Bundle.module.url(forResource: "Fixtures/commonmark/spec-0.30-prose-safe", withExtension: "json"),
            let data = try? Data(contentsOf: url),
            let examples = try? JSONDecoder().decode([Example].self, from: data)
        else { return [] }
        return examples
    }()

    @Test func allExamplesAreThere() {
        #expect(Self.examples.count == 498)
    }

    @Test func blockByBlockRenderingMatchesTheSpec() throws {
        var failures: [String] = []
        var compared = 0
        for example in Self.examples {
            let source = try SourceText.decode(Array(example.markdown.utf8), path: "example.md").get()
            let (blocks, _) = MarkdownReader.read(body: example.markdown, source: source, renderHTML: true)
            // Fact blocks are not rendered; the spec's examples with info strings are code, so render those here.
            let html = blocks.map { block -> String in
                if case .fact = block.kind { return "<fact>" }
                return block.html
            }.joined()
            guard !html.contains("<fact>") else { continue }
            compared += 1
            if html != example.html {
                failures.append("example \(example.example) (\(example.section))")
            }
        }
        // Only the few examples with an info string on a fence are left out (those are fact blocks here).
        #expect(compared == 496)
        #expect(failures.isEmpty, "\(failures.count) examples differ: \(failures.prefix(10).joined(separator: ", "))")
    }

    @Test func noExampleCrashesTheReader() throws {
        // Every example as the body of a policy: positions stay in the file.
        for example in Self.examples {
            let document = SourceReader.read(bytes: Array(("---\nx: 1\n---\n" + example.markdown).utf8), path: "e.md")
            for diagnostic in document.diagnostics {
                #expect(diagnostic.location.line >= 1 && diagnostic.location.column >= 1)
            }
        }
    }
}
