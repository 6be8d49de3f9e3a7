import CCmark
import PolicyBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One top-level block of a policy body, as Swift values only: no cmark pointer outlives `MarkdownReader.read`.
public struct MarkdownBlock: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case heading(level: Int)
        /// Paragraphs, lists, quotes, thematic breaks, code without an info string.
        case prose
        /// A fenced code block whose info string names a fact kind; `yaml` is its content.
        case fact(FactBlock)
        /// A raw HTML block, which is not published.
        case html
    }

    public var kind: Kind
    /// Position of the block's first character.
    public var location: SourceLocation
    public var endLine: Int
    /// The inline text with markup removed and soft breaks as spaces (the words of the prose).
    public var text: String
    /// Safe HTML rendering (raw HTML omitted, unsafe links emptied); empty for fact blocks, and unless asked for.
    public var html: String
}

public struct FactBlock: Sendable, Hashable {
    /// The first word of the info string (`recipient`).
    public var kind: String
    public var kindLocation: SourceLocation
    /// The YAML content, with its position map.
    public var content: String
    public var firstContentLine: Int
    public var contentPrefixes: [Int]
    /// Whether a closing fence was found before the end of the document.
    public var terminated: Bool
    /// Whether the block stands at the top level (not inside a list item or quote).
    public var topLevel: Bool
    /// Whether the block stands in a list item (at any depth of lists) and in no block quote: rights and the like
    /// are usually written as a list, each with its fact beside it.
    public var inListItem: Bool = false
}

public enum MarkdownReader {
    /// Parses `body` (front matter already blanked) with libcmark and returns its blocks and the warnings
    /// about markup that will not be published. Parse, walk and free happen here and nowhere else.
    /// HTML is rendered only when `renderHTML` is set: compiling and diffing need the words, publishing the HTML.
    public static func read(body: String, source: SourceText, renderHTML: Bool = false) -> (
        blocks: [MarkdownBlock], diagnostics: [Diagnostic]
    ) {
        var blocks: [MarkdownBlock] = []
        var diagnostics: [Diagnostic] = []
        let options = CMARK_OPT_DEFAULT
        var utf8 = Array(body.utf8)
        let tooManyImages = imageLimitProblems(&utf8, source: source)
        diagnostics += tooManyImages
        if let cut = markupCut(utf8) {
            diagnostics.append(
                .error(
                    "more than \(markupLimit) lines and marks of Markdown in one file; the rest is not read; shorten the file",
                    rule: .markdownLimit, at: source.location(line: cut.line, column: 1)))
            utf8.removeSubrange(cut.offset...)
        }
        guard
            let document = utf8.withUnsafeBufferPointer({ buffer in
                buffer.baseAddress.map { base in
                    base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                        cmark_parse_document($0, buffer.count, options)
                    }
                } ?? cmark_parse_document("", 0, options)
            })
        else {
            return ([], [])
        }
        defer { cmark_node_free(document) }

        var child = cmark_node_first_child(document)
        var count = 0
        while let node = child {
            child = cmark_node_next(node)
            count += 1
            if count > blockLimit {
                diagnostics.append(
                    .error(
                        "more than \(blockLimit) blocks (paragraphs, headings, lists) in one file; the rest are not read; shorten the file",
                        rule: .markdownLimit,
                        at: source.location(
                            line: Int(cmark_node_get_start_line(node)),
                            column: max(1, Int(cmark_node_get_start_column(node))))))
                break
            }
            read(node, source: source, renderHTML: renderHTML, into: &blocks, diagnostics: &diagnostics)
        }
        // A nested fact block was appended before its container; keep reading order by position.
        blocks.sort { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        var seen = Set<SourceLocation>()
        diagnostics = diagnostics.filter { seen.insert($0.location).inserted }
        return (blocks, diagnostics)
    }

    /// One top-level block: its fact blocks nested anywhere inside, its raw HTML, then the block itself.
    static func read(
        _ node: OpaquePointer, source: SourceText, renderHTML: Bool, into blocks: inout [MarkdownBlock],
        diagnostics: inout [Diagnostic]
    ) {
        let line = Int(cmark_node_get_start_line(node))
        let column = Int(cmark_node_get_start_column(node))
        let location = source.location(line: line, column: max(1, column))
        let endLine = Int(cmark_node_get_end_line(node))
        let type = cmark_node_get_type(node)

        // Nested fact blocks and inline HTML are found by walking the block's descendants.
        walkDescendants(of: node) { inner, depth in
            let innerType = cmark_node_get_type(inner)
            if innerType == CMARK_NODE_HTML_INLINE || (innerType == CMARK_NODE_HTML_BLOCK && depth > 0) {
                diagnostics.append(
                    .warning("raw HTML is not published; write it in Markdown", rule: .rawHTML, at: location))
            } else if innerType == CMARK_NODE_CODE_BLOCK, depth > 0, hasInfo(inner) {
                let fact = factBlock(inner, source: source, topLevel: false)
                blocks.append(
                    MarkdownBlock(
                        kind: .fact(fact),
                        location: source.location(
                            line: Int(cmark_node_get_start_line(inner)),
                            column: Int(cmark_node_get_start_column(inner))),
                        endLine: Int(cmark_node_get_end_line(inner)), text: "", html: ""))
            }
        }

        switch type {
        case CMARK_NODE_HEADING:
            blocks.append(
                MarkdownBlock(
                    kind: .heading(level: Int(cmark_node_get_heading_level(node))), location: location,
                    endLine: endLine, text: plainText(of: node), html: renderHTML ? render(node) : ""))
        case CMARK_NODE_CODE_BLOCK where hasInfo(node):
            blocks.append(
                MarkdownBlock(
                    kind: .fact(factBlock(node, source: source, topLevel: true)), location: location,
                    endLine: endLine, text: "", html: ""))
        case CMARK_NODE_HTML_BLOCK:
            diagnostics.append(
                .warning("raw HTML is not published; write it in Markdown", rule: .rawHTML, at: location))
            blocks.append(MarkdownBlock(kind: .html, location: location, endLine: endLine, text: "", html: ""))
        default:
            blocks.append(
                MarkdownBlock(
                    kind: .prose, location: location, endLine: endLine, text: plainText(of: node),
                    html: renderHTML ? render(node) : ""))
        }
    }

    /// Most lines plus Markdown marks libcmark is given from one file. libcmark builds its whole tree before
    /// the first block is read, a node for each line and each mark, so a file of nothing but marks would take memory
    /// far past the bound of docs/format.md; a file of plain prose at the size limit stays well under this.
    public static let markupLimit = 200_000

    /// Where the body passes `markupLimit`: the start of the line on which it does (offset and file line), or nil.
    /// Counted: every line, every byte that can start inline markup (`*`, `_`, `[`, `]`, `!`, a backtick, `<`,
    /// `&`, `\`), and every container mark (`>`, `-`, `+`) before a line's text.
    static func markupCut(_ body: [UInt8]) -> (offset: Int, line: Int)? {
        var units = 0
        var line = 1
        var lineStart = 0
        var atLineStart = true
        for (offset, byte) in body.enumerated() {
            switch byte {
            case 10:
                units += 1
                line += 1
                lineStart = offset + 1
                atLineStart = true
            case 42, 95, 91, 93, 33, 96, 60, 38, 92:
                units += 1
                atLineStart = false
            case 62, 45, 43:
                if atLineStart { units += 1 }
            case 32, 9:
                break
            default:
                atLineStart = false
            }
            if units > markupLimit { return (lineStart, line) }
        }
        return nil
    }

    /// Most top-level blocks read from one file. Each becomes Swift values and, in the model, part of a section,
    /// so a file of tiny blocks at the size limit would be slow to compile. A real policy has a few hundred blocks.
    public static let blockLimit = 10_000

    /// Most image openers (`![`) one paragraph may hold. libcmark 0.30.2 (Debian's; fixed in 0.30.3) walks back
    /// over every open image bracket at each link it closes, so `![[]()` repeated takes time that grows with the
    /// square of the paragraph. Far above any real paragraph.
    public static let imageLimit = 100

    /// Finds paragraphs (runs of non-blank lines outside fenced code) with more than `imageLimit` image openers,
    /// reports each at its first opener past the limit, and blanks its lines in `body` so that libcmark never
    /// parses it; line numbers stay the file's and the rest of the file is still read.
    static func imageLimitProblems(_ body: inout [UInt8], source: SourceText) -> [Diagnostic] {
        // Fast path: a body with few `![` in total cannot have a paragraph over the limit.
        var total = 0
        for index in body.indices.dropLast() where body[index] == 33 && body[index + 1] == 91 { total += 1 }
        guard total > imageLimit else { return [] }
        var diagnostics: [Diagnostic] = []
        var lineStart = 0
        var line = 1
        var paragraphStart: Int?
        var count = 0
        var reported = false
        var fence: (byte: UInt8, length: Int)?
        var blank: [Range<Int>] = []
        func endParagraph(at end: Int) {
            if let start = paragraphStart, reported { blank.append(start..<end) }
            paragraphStart = nil
            count = 0
            reported = false
        }
        while lineStart <= body.count {
            let lineEnd = body[lineStart...].firstIndex(of: 10) ?? body.count
            let text = body[lineStart..<lineEnd]
            let indent = text.prefix { $0 == 32 }.count
            let rest = text.dropFirst(indent)
            let marker = rest.first.flatMap { $0 == 96 || $0 == 126 ? $0 : nil }
            let run = marker.map { m in rest.prefix { $0 == m }.count } ?? 0
            if let open = fence {
                if indent <= 3, marker == open.byte, run >= open.length,
                    rest.dropFirst(run).allSatisfy({ $0 == 32 || $0 == 9 })
                {
                    fence = nil
                }
            } else if indent <= 3, let marker, run >= 3 {
                endParagraph(at: lineStart)
                fence = (marker, run)
            } else if text.allSatisfy({ $0 == 32 || $0 == 9 }) {
                endParagraph(at: lineStart)
            } else {
                if paragraphStart == nil { paragraphStart = lineStart }
                var index = text.startIndex
                while index < text.endIndex - 1 {
                    if text[index] == 33, text[index + 1] == 91 {
                        count += 1
                        if count == imageLimit + 1, !reported {
                            reported = true
                            diagnostics.append(
                                .error(
                                    "more than \(imageLimit) images ('![') in one paragraph; split the paragraph with blank lines",
                                    rule: .markdownLimit, at: source.location(line: line, column: index - lineStart + 1)
                                ))
                        }
                    }
                    index += 1
                }
            }
            lineStart = lineEnd + 1
            line += 1
        }
        endParagraph(at: body.count)
        // Blank the refused paragraphs, keeping their line breaks.
        for range in blank {
            for index in range where body[index] != 10 { body[index] = 32 }
        }
        return diagnostics
    }

    private static func walkDescendants(of root: OpaquePointer, _ visit: (OpaquePointer, Int) -> Void) {
        guard let iterator = cmark_iter_new(root) else { return }
        defer { cmark_iter_free(iterator) }
        var depth = -1
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            if event == CMARK_EVENT_ENTER {
                if isContainer(node) {
                    depth += 1
                    visit(node, depth)
                } else {
                    visit(node, depth + 1)
                }
            } else if event == CMARK_EVENT_EXIT {
                depth -= 1
            }
        }
    }

    private static func isContainer(_ node: OpaquePointer) -> Bool {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE,
            CMARK_NODE_THEMATIC_BREAK, CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
            return false
        default:
            return true
        }
    }

    private static func info(of node: OpaquePointer) -> String {
        guard let info = cmark_node_get_fence_info(node) else { return "" }
        return String(cString: info).trimming(" \t")
    }

    /// Whether a code block has an info string: `info(of:)` is not empty exactly when a byte other than a space or a
    /// tab is there (trimming takes whole characters, and any other byte starts or joins one that is kept). Asked of
    /// every code block more than once, so without making a String.
    private static func hasInfo(_ node: OpaquePointer) -> Bool {
        guard var byte = cmark_node_get_fence_info(node) else { return false }
        while byte.pointee != 0 {
            if byte.pointee != 32 && byte.pointee != 9 { return true }
            byte += 1
        }
        return false
    }

    private static func literal(of node: OpaquePointer) -> String {
        guard let literal = cmark_node_get_literal(node) else { return "" }
        return String(cString: literal)
    }

    private static func render(_ node: OpaquePointer) -> String {
        guard let html = cmark_render_html(node, CMARK_OPT_DEFAULT) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }

    /// The words of a block: text and code spans, breaks as spaces, block boundaries as newlines.
    private static func plainText(of node: OpaquePointer) -> String {
        var text = ""
        guard let iterator = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let current = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(current) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if event == CMARK_EVENT_ENTER { text += literal(of: current) }
            case CMARK_NODE_CODE_BLOCK:
                // A fenced block with an info string is a fact block (read as facts, never as words of the prose).
                if event == CMARK_EVENT_ENTER, !hasInfo(current) { text += literal(of: current) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text += " "
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_ITEM:
                if event == CMARK_EVENT_EXIT, !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
            default:
                break
            }
        }
        return text.trimming("\n ")
    }

    /// The text's lines as `split(separator: "\n", omittingEmptySubsequences: false)` gives them, found on UTF-8
    /// bytes instead of walking grapheme clusters: a line feed is a character of its own, except after a carriage
    /// return (CR LF is one character, so no separator).
    static func characterLines(_ text: String) -> [Substring] {
        // Without a carriage return (decoding replaced them; only escapes bring one) these are the lines at every line feed.
        let hasCarriageReturn =
            text.utf8.withContiguousStorageIfAvailable { bytes in
                bytes.baseAddress.map { memchr($0, 13, bytes.count) != nil } ?? false
            } ?? text.utf8.contains(13)
        if !hasCarriageReturn { return SourceText.lines(of: text) }
        let utf8 = text.utf8
        var lines: [Substring] = []
        var start = utf8.startIndex
        var previous: UInt8 = 0
        var index = start
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == 10 && previous != 13 {
                lines.append(text[start..<index])
                start = utf8.index(after: index)
            }
            previous = byte
            index = utf8.index(after: index)
        }
        lines.append(text[start..<utf8.endIndex])
        return lines
    }

    /// How many bytes the file line has before `content` when it ends with it (the container prefix), else 0.
    /// Compared as bytes from the end: a reversed UTF-8 view of a substring walks backwards one index at a time.
    static func containerPrefix(of content: Substring, in fileLine: Substring) -> Int {
        let file = fileLine.utf8
        let inner = content.utf8
        let fileCount = file.count
        let innerCount = inner.count
        guard fileCount >= innerCount else { return 0 }
        let same =
            file.withContiguousStorageIfAvailable { fileBytes in
                inner.withContiguousStorageIfAvailable { innerBytes in
                    innerCount == 0
                        || memcmp(
                            fileBytes.baseAddress! + (fileCount - innerCount), innerBytes.baseAddress!, innerCount) == 0
                }
            } ?? nil
        return (same ?? file.suffix(innerCount).elementsEqual(inner)) ? fileCount - innerCount : 0
    }

    private static func factBlock(_ node: OpaquePointer, source: SourceText, topLevel: Bool) -> FactBlock {
        let startLine = Int(cmark_node_get_start_line(node))
        let startColumn = Int(cmark_node_get_start_column(node))
        let endLine = Int(cmark_node_get_end_line(node))
        let fenceLine = source.line(startLine)
        // The info string starts after the fence characters (``` or ~~~) and any spaces.
        let bytes = Array(fenceLine.utf8)
        var index = max(0, startColumn - 1)
        while index < bytes.count, bytes[index] == 32 || bytes[index] == 9 { index += 1 }
        let fenceChar = index < bytes.count ? bytes[index] : 96
        let fenceStart = index
        while index < bytes.count, bytes[index] == fenceChar { index += 1 }
        let fenceLength = max(3, index - fenceStart)
        while index < bytes.count, bytes[index] == 32 || bytes[index] == 9 { index += 1 }
        let infoText = info(of: node)
        let kind = String(infoText.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")

        let content = literal(of: node)
        var contentLines = characterLines(content)
        if contentLines.last?.isEmpty == true { contentLines.removeLast() }
        var prefixes: [Int] = []
        prefixes.reserveCapacity(contentLines.count)
        for (offset, line) in contentLines.enumerated() {
            // The container prefix (list indentation, `> `) is what the file line has before the content line.
            prefixes.append(containerPrefix(of: line, in: source.line(startLine + 1 + offset)))
        }
        // cmark closes an unterminated fence at the end of its container: the last line is then not a fence.
        let lastLine = source.line(endLine).drop(while: { $0 == " " || $0 == "\t" || $0 == ">" })
        // A closing fence is at least as long as the opening one.
        let closingFence = String(repeating: Character(UnicodeScalar(fenceChar)), count: fenceLength)
        let terminated =
            endLine > startLine && lastLine.hasPrefix(closingFence)
            && lastLine.allSatisfy { $0 == Character(UnicodeScalar(fenceChar)) || $0 == " " || $0 == "\t" }

        var inListItem = false
        var inQuote = false
        var parent = cmark_node_parent(node)
        while let container = parent {
            switch cmark_node_get_type(container) {
            case CMARK_NODE_ITEM: inListItem = true
            case CMARK_NODE_BLOCK_QUOTE: inQuote = true
            default: break
            }
            parent = cmark_node_parent(container)
        }
        return FactBlock(
            kind: kind, kindLocation: source.location(line: startLine, column: index + 1), content: content,
            firstContentLine: startLine + 1, contentPrefixes: prefixes, terminated: terminated, topLevel: topLevel,
            inListItem: inListItem && !inQuote)
    }
}
