import PolicyBase
import PolicyPresent
import PolicySource

/// The body of a policy file as its page shows it, and the guard that no fact block reaches a page as code.
///
/// A fact block inside a list item (rights are often written as a list, each item with its fact) is part of the
/// list's HTML, where cmark renders it as `<pre><code class="language-KIND">`. The list is cut at each such block and
/// the block becomes the fact boxes it declares, in its list item; the fragments are written one after the other, so
/// the page's HTML is whole again.
enum PublishBody {
    /// `<pre><code class="language-` opens cmark's HTML of a fenced block with an info string: its content is escaped,
    /// so these bytes in the HTML are always a fenced block's start, and `</code></pre>` its end.
    static let codeOpen = "<pre><code class=\"language-"
    static let codeClose = "</code></pre>"

    /// Blocks in reading order (a list, then the fact blocks inside it), and an error for any fact block whose code
    /// would still be shown.
    static func blocks(_ source: SourceDocument) -> (blocks: [BodyBlock], diagnostics: [Diagnostic]) {
        var blocks: [BodyBlock] = []
        var diagnostics: [Diagnostic] = []
        var index = 0
        while index < source.blocks.count {
            let block = source.blocks[index]
            index += 1
            switch block.markdown.kind {
            case .heading(let level): blocks.append(.heading(level: level, html: block.markdown.html))
            case .html: continue
            case .fact: blocks.append(.facts(count: factCount(block)))
            case .prose:
                var nested: [SourceBlock] = []
                while index < source.blocks.count, isNested(source.blocks[index], in: block.markdown) {
                    nested.append(source.blocks[index])
                    index += 1
                }
                let (parts, problem) = split(block, nested: nested)
                blocks += parts
                if let problem { diagnostics.append(problem) }
            }
        }
        return (blocks, diagnostics)
    }

    /// How many facts a fact block declares: a YAML list of n items, or one mapping; none when it was not read.
    static func factCount(_ block: SourceBlock) -> Int {
        guard case .fact(let fact) = block.markdown.kind, fact.topLevel || fact.inListItem, let node = block.facts
        else { return 0 }
        switch node.content {
        case .sequence(let items): return items.count
        case .mapping: return 1
        default: return 0
        }
    }

    static func isNested(_ block: SourceBlock, in container: MarkdownBlock) -> Bool {
        guard case .fact(let fact) = block.markdown.kind, !fact.topLevel else { return false }
        return block.markdown.location.line <= container.endLine
    }

    /// A prose block cut at its nested fact blocks: HTML, the facts of the first block, HTML, … When the HTML holds
    /// another number of fenced blocks than the reader found, or fact code is left, the block is kept out and the
    /// error names where it stands.
    static func split(_ block: SourceBlock, nested: [SourceBlock]) -> ([BodyBlock], Diagnostic?) {
        let html = block.markdown.html
        var parts: [BodyBlock] = []
        var rest = Substring(html)
        var found = 0
        while let open = rest.range(of: codeOpen) {
            guard let close = rest[open.upperBound...].range(of: codeClose) else { break }
            parts.append(.prose(html: String(rest[..<open.lowerBound])))
            if found < nested.count { parts.append(.facts(count: factCount(nested[found]))) }
            found += 1
            var after = close.upperBound
            if after < rest.endIndex, rest[after] == "\n" { after = rest.index(after: after) }
            rest = rest[after...]
        }
        parts.append(.prose(html: String(rest)))
        if found == nested.count && !rest.contains(codeOpen) {
            return (parts.filter { $0 != .prose(html: "") }, nil)
        }
        let at = nested.first.map(\.markdown.location) ?? block.markdown.location
        let problem = Diagnostic.error(
            "a fact block here would be published as code, not as its fact box (\(found) fenced blocks in the HTML, "
                + "\(nested.count) fact blocks read); move the fact block to the top level or to a list item of its own",
            rule: .factBlockOnPage, at: at)
        return ([], problem)
    }
}
