import Foundation
import PolicyBase
import PolicySource
import Testing

@testable import PolicyDriver

/// Fact blocks inside list items become fact boxes where they stand, and no fact block's code reaches a page.
@Suite struct PublishBodyTests {
    static let source = """
        ---
        policy: shop
        ---
        # Beleid

        - Inzage:

          ```right
          id: access
          label: Inzagerecht
          ```
        - Bezwaar, per e-mail.

        ```right
        id: object
        label: Recht van bezwaar
        ```

        """

    static func read(_ text: String) -> SourceDocument {
        SourceReader.read(bytes: Array(text.utf8), path: "shop/2020-01-01.nl.md", renderHTML: true)
    }

    @Test func aFactBlockInAListItemBecomesItsBoxInThatItem() {
        let (blocks, diagnostics) = PublishBody.blocks(Self.read(Self.source))
        #expect(diagnostics.isEmpty)
        #expect(
            blocks == [
                .heading(level: 1, html: "<h1>Beleid</h1>\n"),
                .prose(html: "<ul>\n<li>\n<p>Inzage:</p>\n"),
                .facts(count: 1),
                .prose(html: "</li>\n<li>\n<p>Bezwaar, per e-mail.</p>\n</li>\n</ul>\n"),
                .facts(count: 1),
            ])
    }

    /// Where the HTML and the fact reader disagree (here: the HTML of the list holds a fenced block the reader did
    /// not find), the block is kept off the page and publishing stops with an error at the block.
    @Test func factCodeLeftInTheHTMLIsAnErrorAtItsBlock() {
        var source = Self.read(Self.source)
        let list = source.blocks.firstIndex { $0.markdown.kind == .prose }!
        source.blocks[list].markdown.html += "<pre><code class=\"language-right\">id: erasure\n</code></pre>\n"
        let (blocks, diagnostics) = PublishBody.blocks(source)
        #expect(
            diagnostics.map(\.formatted) == [
                "shop/2020-01-01.nl.md:8:3: error: a fact block here would be published as code, not as its fact box (2 fenced blocks in the HTML, 1 fact blocks read); move the fact block to the top level or to a list item of its own (fact-block-on-page)"
            ])
        #expect(!blocks.contains { if case .prose(let html) = $0 { html.contains("language-") } else { false } })
    }
}
