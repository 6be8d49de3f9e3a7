import PolicyBase

/// Everything the source stage learns from one policy file: its front matter and its blocks, with positions,
/// and the problems found while reading them. Pure Swift values.
public struct SourceDocument: Sendable {
    public var path: String
    public var lines: [Substring]
    /// The front matter's root node; nil when it is missing, empty or unreadable (a diagnostic says which).
    public var frontMatter: YAMLNode?
    /// Location of the opening `---`, for problems with the front matter as a whole.
    public var frontMatterLocation: SourceLocation
    public var blocks: [SourceBlock]
    public var diagnostics: [Diagnostic]

    /// Whether the file could be read far enough to compile (text decoded and front matter found).
    public var isReadable: Bool
}

/// A top-level block with its fact content parsed.
public struct SourceBlock: Sendable {
    public var markdown: MarkdownBlock
    /// For a fact block whose YAML parsed: its root node (nil when empty or unreadable).
    public var facts: YAMLNode?
}

public enum SourceReader {
    /// Reads one policy file's bytes. Never fails: problems become diagnostics on the returned document.
    /// Only fenced blocks whose kind is in `factKinds` (all, when nil) have their content read as YAML, so a
    /// misnamed block gets one diagnostic for its name, not a second one for its content.
    public static func read(bytes: [UInt8], path: String, factKinds: Set<String>? = nil, renderHTML: Bool = false)
        -> SourceDocument
    {
        let start = SourceLocation(file: path, line: 1, column: 1)
        let source: SourceText
        switch SourceText.decode(bytes, path: path) {
        case .success(let text): source = text
        case .failure(let diagnostic):
            return SourceDocument(
                path: path, lines: [], frontMatter: nil, frontMatterLocation: start, blocks: [],
                diagnostics: [diagnostic], isReadable: false)
        }
        let split: FrontMatterSplit
        switch FrontMatterSplit.split(source) {
        case .success(let value): split = value
        case .failure(let diagnostic):
            return SourceDocument(
                path: path, lines: source.lines, frontMatter: nil, frontMatterLocation: start, blocks: [],
                diagnostics: [diagnostic], isReadable: false)
        }
        var diagnostics: [Diagnostic] = []
        let frontMatterLines = source.lines[1..<(split.closingLine - 1)].map { (text: $0, prefixBytes: 0) }
        let frontMap = YAMLPositionMap(path: path, firstLine: 2, lines: Array(frontMatterLines))
        var frontMatter: YAMLNode?
        switch YAMLReader.parse(split.yaml, map: frontMap) {
        case .success(let node): frontMatter = node
        case .failure(let diagnostic): diagnostics.append(diagnostic)
        }

        var (markdown, markdownDiagnostics) = MarkdownReader.read(
            body: split.body, source: source, renderHTML: renderHTML)
        diagnostics += markdownDiagnostics
        // Every fact block costs a YAML parse and a model check: past the limit, blocks are read as prose only, so
        // a file of 5 MB of fact blocks still compiles in bounded time and memory.
        var factBlocks = 0
        for index in markdown.indices {
            guard case .fact = markdown[index].kind else { continue }
            factBlocks += 1
            if factBlocks == factBlockLimit + 1 {
                diagnostics.append(
                    .error(
                        "more than \(factBlockLimit) fact blocks in one file; the rest are not read; merge or remove blocks",
                        rule: .markdownLimit, at: markdown[index].location))
            }
            if factBlocks > factBlockLimit { markdown[index].kind = .prose }
        }
        let blocks = markdown.map { block in
            SourceBlock(markdown: block, facts: readFacts(block, path: path, factKinds: factKinds, into: &diagnostics))
        }
        // YAMLReader refuses a Unicode line break with the same diagnostic as this check: report it once.
        let reported = Set(diagnostics)
        diagnostics += invisibleCharacters(source, split: split, blocks: blocks).filter { !reported.contains($0) }
        return SourceDocument(
            path: path, lines: source.lines, frontMatter: frontMatter, frontMatterLocation: start,
            blocks: blocks, diagnostics: diagnostics, isReadable: true)
    }

    /// The YAML of a fact block of a kind asked for, or nil with its problem in `diagnostics`.
    static func readFacts(
        _ block: MarkdownBlock, path: String, factKinds: Set<String>?, into diagnostics: inout [Diagnostic]
    ) -> YAMLNode? {
        var facts: YAMLNode?
        if case .fact(let fact) = block.kind, factKinds?.contains(fact.kind) ?? true {
            let map = YAMLPositionMap(path: path, fact: fact)
            if !fact.terminated {
                diagnostics.append(
                    .error(
                        "unterminated fact block; close it with a line of three backticks",
                        rule: .factBlockUnterminated, at: block.location))
            } else if let inner = map.lines.firstIndex(where: { Self.opensFence($0.text) }) {
                // A fence line inside the content: the block before it lost its closing fence, and CommonMark
                // read the next block's opening fence as content.
                diagnostics.append(
                    .error(
                        "fact block is not closed before the next fence; add a line of three backticks",
                        rule: .factBlockUnterminated, at: block.location,
                        notes: [
                            DiagnosticNote(
                                "next fence here",
                                at: SourceLocation(file: path, line: fact.firstContentLine + inner, column: 1))
                        ]))
            } else {
                switch YAMLReader.parse(fact.content, map: map) {
                case .success(let node): facts = node
                case .failure(let diagnostic): diagnostics.append(diagnostic)
                }
            }
        }
        return facts
    }

    /// Most fact blocks read from one file: a real policy has a few dozen (the sample 41).
    public static let factBlockLimit = 1_000

    /// Most `invisible-character` diagnostics in one file; the last one says how many lines have them.
    static let invisibleReportLimit = 20

    /// Characters that cannot be seen, located. In the YAML (front matter and fact blocks) every one is an error:
    /// an id or a value with a zero-width space looks equal to one without and is not. In the prose only those
    /// that hide or reorder text are warned about (Trojan Source); soft hyphens, joiners and direction marks
    /// have uses in prose.
    static func invisibleCharacters(_ source: SourceText, split: FrontMatterSplit, blocks: [SourceBlock])
        -> [Diagnostic]
    {
        // Fast path: ASCII text has none.
        if source.text.utf8.allSatisfy({ $0 < 0x80 }) { return [] }
        var yamlLines: [Range<Int>] = [2..<split.closingLine]
        for block in blocks {
            if case .fact(let fact) = block.markdown.kind, block.facts != nil || fact.terminated {
                yamlLines.append(fact.firstContentLine..<(fact.firstContentLine + fact.contentPrefixes.count))
            }
        }
        let proseAllowed: Set<UInt32> = [0x00AD, 0x061C, 0x200C, 0x200D, 0x200E, 0x200F]
        var diagnostics: [Diagnostic] = []
        var linesWithInvisible = 0
        // One flag a line, so that the check stays linear however many blocks and lines there are.
        var isYAML = [Bool](repeating: false, count: source.lines.count + 2)
        for range in yamlLines { for number in range where number < isYAML.count { isYAML[number] = true } }
        for (index, line) in source.lines.enumerated() where !line.utf8.allSatisfy({ $0 < 0x80 }) {
            let number = index + 1
            let inYAML = isYAML[number]
            var column = 1
            for scalar in line.unicodeScalars {
                defer { column += UTF8.width(scalar) }
                guard TerminalText.isInvisible(scalar), number > 1 || column > 1 || scalar != "\u{FEFF}" else {
                    continue
                }
                if !inYAML, proseAllowed.contains(scalar.value) { continue }
                linesWithInvisible += 1
                if diagnostics.count < invisibleReportLimit {
                    let location = source.location(line: number, column: column)
                    let described = TerminalText.describe(scalar)
                    diagnostics.append(
                        inYAML
                            ? .error(
                                "value contains \(described) at column \(column); delete it", rule: .invisibleCharacter,
                                at: location)
                            : .warning(
                                "text contains \(described) at column \(column); delete it", rule: .invisibleCharacter,
                                at: location))
                }
                break
            }
        }
        if linesWithInvisible > invisibleReportLimit, let last = diagnostics.last {
            diagnostics[diagnostics.count - 1].notes.append(
                DiagnosticNote(
                    "\(linesWithInvisible) lines in all have invisible characters; only the first \(invisibleReportLimit) are listed",
                    at: last.location))
        }
        return diagnostics
    }

    /// A line that opens a fenced code block with an info string (```` ```recipient ````).
    static func opensFence(_ line: Substring) -> Bool {
        let bytes = line.utf8
        let indent = bytes.prefix { $0 == 32 }.count
        guard indent <= 3, let first = bytes.dropFirst(indent).first,
            first == UInt8(ascii: "`") || first == UInt8(ascii: "~")
        else { return false }
        let fence = bytes.dropFirst(indent).prefix { $0 == first }.count
        return fence >= 3 && !bytes.dropFirst(indent + fence).allSatisfy { $0 == 32 || $0 == 9 }
    }
}

extension YAMLPositionMap {
    /// The map of a fact block's content: its lines, each after the prefix of the containers it stands in (list
    /// items, quotes). The one definition for the reader, the tests and the fuzz targets.
    public init(path: String, fact: FactBlock) {
        let lines = SourceText.lines(of: fact.content)
        let missing = max(0, lines.count - fact.contentPrefixes.count)
        let prefixes = fact.contentPrefixes + Array(repeating: 0, count: missing)
        self.init(
            path: path, firstLine: fact.firstContentLine,
            lines: zip(lines, prefixes).map { (text: $0.0, prefixBytes: $0.1) })
    }
}
