import PolicyBase
import Yams

/// A YAML value with the file position of every node. The model stage reads these; it never sees Yams.
public struct YAMLNode: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        /// A scalar's text; `plain` is false when it was quoted or a block scalar, so `"30"` stays text.
        case scalar(String, plain: Bool)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    public var location: SourceLocation

    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
    }

    /// A plain scalar that YAML reads as null (`~`, `null`, or nothing).
    public var isNull: Bool {
        if case .scalar(let text, plain: true) = content {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }

    /// How the node is described in messages: `'thirty'`, `a list`, `a mapping`, `nothing`.
    public var shortDescription: String {
        switch content {
        case .scalar(let text, _):
            if isNull { return "nothing" }
            let oneLine = text.split(separator: "\n").first.map(String.init) ?? ""
            return oneLine.count > 40 || oneLine != text ? "'\(oneLine.prefix(40))…'" : "'\(text)'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

public struct YAMLPair: Sendable, Hashable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: YAMLNode
}

/// Maps YAML marks (line relative to the YAML text, column in Unicode scalars) to file positions (file line,
/// column in UTF-8 bytes).
public struct YAMLPositionMap: Sendable {
    let path: String
    /// File line of the YAML text's first line.
    let firstLine: Int
    /// For each YAML line: its text and how many bytes of the file line precede it (container prefixes).
    let lines: [(text: Substring, prefixBytes: Int)]
    /// Lines whose bytes are all ASCII, where a scalar column is a byte column.
    let asciiLines: [Bool]

    public init(path: String, firstLine: Int, lines: [(text: Substring, prefixBytes: Int)]) {
        self.path = path
        self.firstLine = firstLine
        self.lines = lines
        self.asciiLines = lines.map { line in
            line.text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } }
                ?? line.text.utf8.allSatisfy { $0 < 0x80 }
        }
    }

    public func location(yamlLine: Int, scalarColumn: Int) -> SourceLocation {
        // libyaml's marks are 0-based; Yams adds 1 to both.
        let index = yamlLine - 1
        guard index >= 0, index < lines.count else {
            return SourceLocation(file: path, line: firstLine + max(0, min(index, lines.count)), column: 1)
        }
        let (text, prefix) = lines[index]
        if asciiLines[index] {
            return SourceLocation(file: path, line: firstLine + index, column: prefix + max(0, scalarColumn - 1) + 1)
        }
        let scalars = text.unicodeScalars
        let count = max(0, scalarColumn - 1)
        let end = scalars.index(scalars.startIndex, offsetBy: min(count, scalars.count))
        let bytes = text.utf8.distance(from: text.startIndex, to: end) + max(0, count - scalars.count)
        return SourceLocation(file: path, line: firstLine + index, column: prefix + bytes + 1)
    }

    public func location(byteOffset: Int) -> SourceLocation {
        var remaining = byteOffset
        for (index, line) in lines.enumerated() {
            let length = line.text.utf8.count + 1
            if remaining < length {
                return SourceLocation(file: path, line: firstLine + index, column: line.prefixBytes + remaining + 1)
            }
            remaining -= length
        }
        return SourceLocation(file: path, line: firstLine + max(0, lines.count - 1), column: 1)
    }
}

public enum YAMLReader {
    /// Most nodes one YAML block may hold; far above any real policy, far below what aliases can multiply.
    public static let nodeLimit = 20_000
    /// Deepest nesting of flow collections accepted before parsing (the composer recurses).
    public static let depthLimit = 64

    /// Parses one YAML document. Returns nil for an empty document. A problem becomes one diagnostic.
    ///
    /// Two readers behind this one function. The core (`parseCore`: the checks before parsing, then Yams' node tree)
    /// reads every document and defines the result. The plain block reader (BlockYAML.swift) is a fast path for the
    /// subset nearly every block is written in: it goes first and declines, with nil, whatever it is not sure of.
    /// Where it reads, it must give what the core gives, node for node and position for position; the tests
    /// (`YAMLDifferentialTests`) and the front-matter and fact-block fuzz targets hold it to that.
    public static func parse(_ yaml: String, map: YAMLPositionMap) -> Result<YAMLNode?, Diagnostic> {
        if let plain = BlockYAML.parse(yaml, map: map) { return .success(plain) }
        return parseCore(yaml, map: map)
    }

    /// The core reading of every document: the checks that bound Yams' time on hostile input, then Yams' tree.
    /// Open to the tests and fuzz targets that compare the fast path with it.
    @_spi(Fuzzing) public static func parseCore(_ yaml: String, map: YAMLPositionMap) -> Result<YAMLNode?, Diagnostic> {
        if let separator = unicodeLineBreak(yaml, map: map) { return .failure(separator) }
        if let tooDeep = excessiveNesting(yaml, map: map) { return .failure(tooDeep) }
        if let explicit = explicitKey(yaml, map: map) { return .failure(explicit) }
        return parseThroughYams(yaml, map: map)
    }

    /// The fast path alone (BlockYAML.swift): the document's root, or nil when it declines. Open to the tests and
    /// fuzz targets that compare it with `parseCore`.
    @_spi(Fuzzing) public static func parseBlock(_ yaml: String, map: YAMLPositionMap) -> YAMLNode? {
        BlockYAML.parse(yaml, map: map)
    }

    /// Reads a document through Yams' public API (`Parser`, `Node` and its `Mark`s) and converts the tree, positions
    /// included. Without `parseCore`'s checks, which bound its time on hostile input.
    static func parseThroughYams(_ yaml: String, map: YAMLPositionMap) -> Result<YAMLNode?, Diagnostic> {
        let root: Node?
        do {
            // The basic resolver: the model types every scalar itself, so Yams' regular-expression tag rules (run
            // on every key by its duplicate-key check) would only cost time. UTF-8 explicitly: the default reads
            // the process environment on every call.
            let parser = try Parser(yaml: yaml, resolver: .basic, encoding: .utf8)
            root = try parser.singleRoot()
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, map: map))
        } catch {
            return .failure(.error("invalid YAML", rule: .yamlSyntax, at: map.location(yamlLine: 1, scalarColumn: 1)))
        }
        guard let root else { return .success(nil) }
        var converter = Converter(map: map)
        do {
            return .success(try converter.convert(root))
        } catch let problem as Converter.Problem {
            return .failure(problem.diagnostic)
        } catch {
            return .failure(.error("invalid YAML", rule: .yamlSyntax, at: map.location(yamlLine: 1, scalarColumn: 1)))
        }
    }

    static func diagnostic(for error: YamlError, map: YAMLPositionMap) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            if problem.hasPrefix("Maximum nesting level") {
                return .error(
                    "YAML nested too deeply; flatten the structure", rule: .yamlSyntax,
                    at: map.location(yamlLine: mark.line, scalarColumn: mark.column))
            }
            let at = map.location(yamlLine: mark.line, scalarColumn: mark.column)
            if let plain = plainWording(problem, at: at, map: map) {
                return .error(plain, rule: .yamlSyntax, at: at)
            }
            var message = "invalid YAML: \(problem)"
            if let context { message += " \(context.text)" }
            var notes: [DiagnosticNote] = []
            if let context, context.mark.line != mark.line || context.mark.column != mark.column {
                notes.append(
                    DiagnosticNote(
                        context.text, at: map.location(yamlLine: context.mark.line, scalarColumn: context.mark.column)))
                message = "invalid YAML: \(problem)"
            }
            return .error(
                message, rule: .yamlSyntax, at: map.location(yamlLine: mark.line, scalarColumn: mark.column),
                notes: notes)
        case .reader(let problem, let offset, _, _):
            return .error("invalid YAML: \(problem)", rule: .yamlSyntax, at: map.location(byteOffset: offset ?? 0))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            let first = map.location(yamlLine: context.mark.line, scalarColumn: context.mark.column)
            // Yams marks the first occurrence; the mistake is the repetition: the next line with the same key at
            // the same column.
            if let key = duplicates.first, let repeated = repetition(of: key, after: first, map: map) {
                return .error(
                    "duplicate key \(keys) in this mapping; keep one", rule: .duplicateKey, at: repeated,
                    notes: [DiagnosticNote("first given here", at: first)])
            }
            return .error("duplicate key \(keys) in this mapping; keep one", rule: .duplicateKey, at: first)
        default:
            return .error("invalid YAML: \(error)", rule: .yamlSyntax, at: map.location(yamlLine: 1, scalarColumn: 1))
        }
    }

    /// libyaml's wording for the mistakes editors make most, said as what to do. Nil for the others.
    static func plainWording(_ problem: String, at location: SourceLocation, map: YAMLPositionMap) -> String? {
        if problem.hasPrefix("found a tab character") { return "use spaces, not tabs, to indent YAML" }
        if problem.hasPrefix("found character that cannot start any token"), character(at: location, map: map) == 9 {
            return "use spaces, not tabs, to indent YAML"
        }
        // `---` starts a second YAML document; a fact block holds one. (In the front matter, `---` ends it first.)
        if problem.hasSuffix("found another document") { return "`---` inside a fact block ends it; remove it" }
        return nil
    }

    /// The byte at a file location inside the YAML text, if there is one.
    static func character(at location: SourceLocation, map: YAMLPositionMap) -> UInt8? {
        let index = location.line - map.firstLine
        guard index >= 0, index < map.lines.count else { return nil }
        let bytes = Array(map.lines[index].text.utf8)
        let offset = location.column - 1 - map.lines[index].prefixBytes
        return offset >= 0 && offset < bytes.count ? bytes[offset] : nil
    }

    static func repetition(of key: String, after first: SourceLocation, map: YAMLPositionMap) -> SourceLocation? {
        let firstIndex = first.line - map.firstLine
        guard firstIndex >= 0 else { return nil }
        let column = first.column - 1
        for index in (firstIndex + 1)..<max(firstIndex + 1, map.lines.count) {
            let line = map.lines[index]
            let bytes = Array(line.text.utf8)
            let at = column - line.prefixBytes
            guard at >= 0, at <= bytes.count else { continue }
            // Anything left of the key's column other than spaces and list dashes ends the mapping.
            if bytes[..<at].contains(where: { $0 != 32 && $0 != 45 }) { continue }
            let rest = bytes[at...]
            if rest.starts(with: Array(key.utf8) + [58]) || rest.starts(with: Array("\"\(key)\":".utf8))
                || rest.starts(with: Array("'\(key)':".utf8))
            {
                return SourceLocation(file: map.path, line: map.firstLine + index, column: column + 1)
            }
        }
        return nil
    }

    /// Yams composes recursively, so a document of thousands of nested `[` would exhaust the stack. Flow
    /// nesting is the only unbounded kind (block nesting is bounded by line length), so count it first.
    /// Every opening bracket counts, quoted or not; a closing one counts outside quotes only, so no quoted
    /// text can hide real nesting. Only a document with dozens of unmatched brackets is refused.
    static func excessiveNesting(_ yaml: String, map: YAMLPositionMap) -> Diagnostic? {
        let tooDeep: Int? = withBytes(yaml) { bytes in
            var depth = 0
            var quote: UInt8?
            var previous: UInt8 = 0
            for offset in bytes.indices {
                let byte = bytes[offset]
                defer { previous = byte }
                switch byte {
                case 34, 39:
                    // A quoted scalar starts at a token boundary; an apostrophe inside a word ("foto's") is text.
                    if quote == nil {
                        switch previous {
                        case 0, 10, 32, 9, 91, 123, 44, 58, 45: quote = byte
                        default: break
                        }
                    } else if quote == byte {
                        quote = nil
                    }
                case 91, 123:
                    depth += 1
                    if depth > depthLimit { return offset }
                case 93, 125:
                    if quote == nil { depth = max(0, depth - 1) }
                default: break
                }
            }
            return nil
        }
        guard let offset = tooDeep else { return nil }
        return .error(
            "YAML nested more than \(depthLimit) levels deep; flatten the structure", rule: .yamlSyntax,
            at: map.location(byteOffset: offset))
    }

    /// `body` on the string's UTF-8 bytes: in place for a native string, else a copy. The checks before parsing
    /// look at every byte of every block; a UTF-8 view's iterator costs several times as much.
    static func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    /// libyaml (YAML 1.1) breaks lines at U+0085, U+2028 and U+2029 as well as at line feeds, so text after one is a
    /// new line to the parser but not to the position map or the checks before parsing: an explicit key after a
    /// U+2028 slipped past `explicitKey` (found by fuzzing: 3.5 KB took 300 ms, over 2 s under load), and every
    /// position after one would be off. Such YAML is not parsed. The diagnostic is the one the invisible-character
    /// check gives every invisible character in YAML (`SourceDocument` reports each once).
    static func unicodeLineBreak(_ yaml: String, map: YAMLPositionMap) -> Diagnostic? {
        let found: (offset: Int, scalar: Unicode.Scalar)? = withBytes(yaml) { bytes in
            var previous: UInt8 = 0
            var beforePrevious: UInt8 = 0
            for offset in bytes.indices {
                let byte = bytes[offset]
                defer {
                    beforePrevious = previous
                    previous = byte
                }
                if previous == 0xC2 && byte == 0x85 { return (offset, "\u{85}") }
                if beforePrevious == 0xE2 && previous == 0x80 && (byte == 0xA8 || byte == 0xA9) {
                    return (offset, byte == 0xA8 ? "\u{2028}" : "\u{2029}")
                }
            }
            return nil
        }
        if let (offset, scalar) = found {
            let location = map.location(byteOffset: offset - (scalar == "\u{85}" ? 1 : 2))
            return .error(
                "value contains \(TerminalText.describe(scalar)) at column \(location.column); delete it",
                rule: .invisibleCharacter, at: location)
        }
        return nil
    }

    /// Explicit keys (`? key`) let a mapping key be a whole collection, nested as deep as libyaml allows, and
    /// Yams' duplicate-key check hashes every such key at every level: cubic time (found by fuzzing: 2.4 KB of
    /// `- ? ` took 250 ms, and more under load). Policies need only plain keys, so a `?` indicator at the start
    /// of a line's indicators (`? `, `- ? `) is refused before parsing. Lines of block scalars (`|`, `>`) are
    /// text and are skipped. (Flow collections, where `?` may also appear, are at most `depthLimit` deep.)
    static func explicitKey(_ yaml: String, map: YAMLPositionMap) -> Diagnostic? {
        guard yaml.utf8.contains(63) else { return nil }
        var blockScalarIndent: Int?
        for (index, line) in map.lines.enumerated() {
            let bytes = Array(line.text.utf8)
            let indent = bytes.prefix { $0 == 32 }.count
            if let block = blockScalarIndent {
                if indent == bytes.count || indent > block { continue }
                blockScalarIndent = nil
            }
            var position = indent
            while position < bytes.count, [45, 63, 58].contains(bytes[position]),
                position + 1 == bytes.count || bytes[position + 1] == 32 || bytes[position + 1] == 9
            {
                if bytes[position] == 63 {
                    return .error(
                        "explicit keys ('? ') are not supported; write 'key: value'", rule: .yamlSyntax,
                        at: SourceLocation(
                            file: map.path, line: map.firstLine + index, column: line.prefixBytes + position + 1))
                }
                position += 1
                while position < bytes.count, bytes[position] == 32 || bytes[position] == 9 { position += 1 }
            }
            if opensBlockScalar(bytes) { blockScalarIndent = indent }
        }
        return nil
    }

    /// Whether a line ends (before any comment) with a block scalar indicator: `|`, `>`, with `+`, `-` or a digit.
    static func opensBlockScalar(_ bytes: [UInt8]) -> Bool {
        var end = bytes.count
        if let hash = bytes.indices.first(where: { bytes[$0] == 35 && ($0 == 0 || bytes[$0 - 1] == 32) }) { end = hash }
        while end > 0, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
        while end > 0, bytes[end - 1] == 43 || bytes[end - 1] == 45 || (48...57).contains(bytes[end - 1]) { end -= 1 }
        guard end > 0, bytes[end - 1] == 124 || bytes[end - 1] == 62 else { return false }
        return end == 1 || bytes[end - 2] == 32 || bytes[end - 2] == 9
    }

    struct Converter {
        struct Problem: Error { let diagnostic: Diagnostic }
        let map: YAMLPositionMap
        var count = 0
        var seenMarks: Set<Int> = []

        /// Yams gives an alias the anchored node's mark; the alias itself is the first `*name` after the anchor.
        func aliasLocation(anchoredAt anchor: SourceLocation) -> SourceLocation? {
            let lineIndex = anchor.line - map.firstLine
            guard lineIndex >= 0, lineIndex < map.lines.count else { return nil }
            let anchorLine = map.lines[lineIndex]
            let bytes = Array(anchorLine.text.utf8)
            // The anchor's name: look back from the node for `&name`.
            var start = min(bytes.count, max(0, anchor.column - 1 - anchorLine.prefixBytes))
            if start < bytes.count, bytes[start] == UInt8(ascii: "&") {
                start += 1
            } else {
                while start > 0, bytes[start - 1] != UInt8(ascii: "&") { start -= 1 }
                guard start > 0 else { return nil }
            }
            var end = start
            while end < bytes.count, bytes[end] != 32, bytes[end] != 9, bytes[end] != 44, bytes[end] != 93,
                bytes[end] != 125
            { end += 1 }
            let name = Array("*".utf8) + bytes[start..<end]
            for index in lineIndex..<map.lines.count {
                let line = Array(map.lines[index].text.utf8)
                var from = index == lineIndex ? end : 0
                while from + name.count <= line.count {
                    if Array(line[from..<(from + name.count)]) == name {
                        let after = from + name.count
                        if after == line.count || [32, 9, 44, 93, 125].contains(line[after]) {
                            return SourceLocation(
                                file: map.path, line: map.firstLine + index,
                                column: map.lines[index].prefixBytes + from + 1)
                        }
                    }
                    from += 1
                }
            }
            return nil
        }

        func location(_ mark: Mark?) -> SourceLocation {
            guard let mark else { return map.location(yamlLine: 1, scalarColumn: 1) }
            return map.location(yamlLine: mark.line, scalarColumn: mark.column)
        }

        mutating func convert(_ node: Node) throws -> YAMLNode {
            count += 1
            let at = location(node.mark)
            if count > YAMLReader.nodeLimit {
                throw Problem(
                    diagnostic: .error(
                        "YAML block has more than \(YAMLReader.nodeLimit) values; split it into several fact blocks",
                        rule: .yamlSyntax, at: at))
            }
            // An alias yields the anchored node again, with the anchor's mark: the second visit of a
            // collection's mark is an alias. Policies need none, and aliases can multiply a document.
            // Packed line and column: no two distinct positions share a key (columns stay far below 2^32).
            if let mark = node.mark, !(node.scalar?.string.isEmpty ?? false),
                !seenMarks.insert(mark.line << 32 | mark.column).inserted
            {
                throw Problem(
                    diagnostic: .error(
                        "YAML aliases are not supported; write the value out", rule: .yamlAlias,
                        at: aliasLocation(anchoredAt: at) ?? at, notes: [DiagnosticNote("anchor defined here", at: at)])
                )
            }
            switch node {
            case .scalar(let scalar):
                let plain = scalar.style == .plain || scalar.style == .any
                return YAMLNode(
                    .scalar(scalar.string, plain: plain && (scalar.tag.rawValue.isEmpty || scalar.tag.rawValue == "!")),
                    at: at)
            case .sequence(let sequence):
                var items: [YAMLNode] = []
                for item in sequence { items.append(try convert(item)) }
                return YAMLNode(.sequence(items), at: at)
            case .mapping(let mapping):
                var pairs: [YAMLPair] = []
                for (key, value) in mapping {
                    guard case .scalar(let keyScalar) = key else {
                        throw Problem(
                            diagnostic: .error(
                                "mapping key must be a plain word", rule: .yamlSyntax, at: location(key.mark)))
                    }
                    pairs.append(
                        YAMLPair(key: keyScalar.string, keyLocation: location(key.mark), value: try convert(value)))
                }
                return YAMLNode(.mapping(pairs), at: at)
            case .alias:
                throw Problem(
                    diagnostic: .error("YAML aliases are not supported; write the value out", rule: .yamlAlias, at: at))
            }
        }
    }
}
