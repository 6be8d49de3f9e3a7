import CYaml
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
            line.text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? line.text.utf8.allSatisfy { $0 < 0x80 }
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
    public static func parse(_ yaml: String, map: YAMLPositionMap) -> Result<YAMLNode?, Diagnostic> {
        // What the plain block reader reads passes the checks below (BlockYAML.characters); they guard libyaml and Yams.
        if let plain = BlockYAML.parse(yaml, map: map) { return .success(plain) }
        if let separator = unicodeLineBreak(yaml, map: map) { return .failure(separator) }
        if let tooDeep = excessiveNesting(yaml, map: map) { return .failure(tooDeep) }
        if let explicit = explicitKey(yaml, map: map) { return .failure(explicit) }
        if let direct = parseEvents(yaml, map: map) { return .success(direct) }
        return parseThroughYams(yaml, map: map)
    }

    /// Reads a document through Yams' node tree and converts that: the definition of what `parse` returns, taken
    /// for every document the direct reading of events leaves (errors, aliases, tags, duplicate keys). Without
    /// `parse`'s checks before parsing, which bound its time on hostile input. Open to the fuzz targets, which
    /// check that both readings agree.
    @_spi(Fuzzing) public static func parseThroughYams(_ yaml: String, map: YAMLPositionMap) -> Result<YAMLNode?, Diagnostic> {
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

    /// Whether `parse`'s checks before libyaml pass: what the plain block reader reads must (the fuzz targets check it).
    @_spi(Fuzzing) public static func passesChecks(_ yaml: String, map: YAMLPositionMap) -> Bool {
        unicodeLineBreak(yaml, map: map) == nil && excessiveNesting(yaml, map: map) == nil && explicitKey(yaml, map: map) == nil
    }

    /// The plain block subset read without libyaml (BlockYAML.swift), nil for anything else. Open to the fuzz
    /// targets and tests, which compare it with `parseEvents`.
    @_spi(Fuzzing) public static func parseBlock(_ yaml: String, map: YAMLPositionMap) -> YAMLNode? {
        BlockYAML.parse(yaml, map: map)
    }

    /// The common case, read straight from libyaml's events into `YAMLNode`s: a document without anchors, aliases,
    /// tags, duplicate keys or keys that are not scalars, within the node limit. Yams would build its own tree of
    /// the same document first (a class for every event and every tag, its duplicate-key dictionary for every
    /// mapping); for such a document the result is the same, node for node. Anything else returns nil, and `parse`
    /// reads the document through Yams as before, so every problem keeps its diagnostic: libyaml's errors (the same
    /// parser on the same bytes fails the same way there), duplicate keys, aliases and the rest.
    @_spi(Fuzzing) public static func parseEvents(_ yaml: String, map: YAMLPositionMap) -> YAMLNode?? {
        var utf8 = yaml
        return utf8.withUTF8 { buffer -> YAMLNode?? in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var reader = EventReader(map: map)
            return reader.read(&parser)
        }
    }

    /// One pass over the events. A collection being read is a frame on `stack`; a finished node goes to its parent.
    struct EventReader {
        enum Frame {
            case sequence([YAMLNode], SourceLocation)
            /// The pairs so far, and the key waiting for its value.
            case mapping([YAMLPair], SourceLocation, key: (String, SourceLocation)?)
        }
        let map: YAMLPositionMap
        var stack: [Frame] = []
        var root: YAMLNode?
        var count = 0
        /// The last mark given to a node that Yams' converter would remember (collections, non-empty scalars).
        /// Without aliases every such node starts after the one before it; if not, Yams decides.
        var lastMark = -1

        init(map: YAMLPositionMap) { self.map = map }

        /// The document's root (nil inside for an empty stream), or nil when the document is not the common case.
        mutating func read(_ parser: inout yaml_parser_t) -> YAMLNode?? {
            var event = yaml_event_t()
            var sawDocument = false
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_START_EVENT:
                    continue
                case YAML_STREAM_END_EVENT:
                    // An empty stream, or the end after the one document.
                    return .some(root)
                case YAML_DOCUMENT_START_EVENT:
                    // A second document is an error, which Yams words.
                    if sawDocument { return nil }
                    sawDocument = true
                case YAML_DOCUMENT_END_EVENT:
                    continue
                case YAML_ALIAS_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    guard scalar.anchor == nil, scalar.tag == nil else { return nil }
                    let bytes = UnsafeBufferPointer(start: scalar.value, count: scalar.length)
                    // Yams decodes values with Foundation, which may treat a leading byte-order mark its own way.
                    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return nil }
                    let text = String(decoding: bytes, as: UTF8.self)
                    let location = self.location(event.start_mark)
                    if case .mapping(let pairs, let at, key: nil)? = stack.last {
                        // A key: not counted and not remembered by Yams' converter, as it converts values only.
                        stack[stack.count - 1] = .mapping(pairs, at, key: (text, location))
                        continue
                    }
                    guard accept(event.start_mark, empty: text.isEmpty) else { return nil }
                    let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE || scalar.style == YAML_ANY_SCALAR_STYLE
                    guard add(YAMLNode(.scalar(text, plain: plain), at: location)) else { return nil }
                case YAML_SEQUENCE_START_EVENT:
                    let start = event.data.sequence_start
                    guard start.anchor == nil, start.tag == nil, !isAtKey, accept(event.start_mark, empty: false) else { return nil }
                    stack.append(.sequence([], location(event.start_mark)))
                case YAML_MAPPING_START_EVENT:
                    let start = event.data.mapping_start
                    guard start.anchor == nil, start.tag == nil, !isAtKey, accept(event.start_mark, empty: false) else { return nil }
                    stack.append(.mapping([], location(event.start_mark), key: nil))
                case YAML_SEQUENCE_END_EVENT:
                    guard case .sequence(let items, let at)? = stack.popLast(), add(YAMLNode(.sequence(items), at: at)) else { return nil }
                case YAML_MAPPING_END_EVENT:
                    guard case .mapping(let pairs, let at, key: nil)? = stack.popLast(), !hasDuplicateKeys(pairs),
                          add(YAMLNode(.mapping(pairs), at: at)) else { return nil }
                default:
                    return nil
                }
            }
        }

        /// Whether the next node is a mapping's key; a collection there is not the common case.
        var isAtKey: Bool {
            if case .mapping(_, _, key: nil)? = stack.last { return true }
            return false
        }

        func location(_ mark: yaml_mark_t) -> SourceLocation {
            // Yams' marks are libyaml's plus one, line and column.
            map.location(yamlLine: Int(mark.line) + 1, scalarColumn: Int(mark.column) + 1)
        }

        /// Counts a value node as Yams' converter does, and checks that its mark comes after the last one.
        mutating func accept(_ mark: yaml_mark_t, empty: Bool) -> Bool {
            count += 1
            if count > YAMLReader.nodeLimit { return false }
            if empty { return true }
            let packed = (Int(mark.line) + 1) << 32 | (Int(mark.column) + 1)
            guard packed > lastMark else { return false }
            lastMark = packed
            return true
        }

        /// Puts a finished value into its parent, or makes it the root.
        /// The parent's frame is emptied before its list grows, so the list has one owner and grows in place: a
        /// copy per append made a long list quadratic (found by fuzzing: 11,000 `-` items took 0.6 s).
        mutating func add(_ node: YAMLNode) -> Bool {
            guard let index = stack.indices.last else {
                if root != nil { return false }
                root = node
                return true
            }
            switch stack[index] {
            case .sequence(var items, let at):
                stack[index] = .sequence([], at)
                items.append(node)
                stack[index] = .sequence(items, at)
            case .mapping(var pairs, let at, let key?):
                stack[index] = .mapping([], at, key: nil)
                pairs.append(YAMLPair(key: key.0, keyLocation: key.1, value: node))
                stack[index] = .mapping(pairs, at, key: nil)
            case .mapping:
                return false
            }
            return true
        }

        /// Keys that Yams' duplicate check groups together: without tags, keys with the same text.
        func hasDuplicateKeys(_ pairs: [YAMLPair]) -> Bool {
            if pairs.count < 16 {
                for index in pairs.indices.dropFirst() where pairs[..<index].contains(where: { $0.key == pairs[index].key }) { return true }
                return false
            }
            var seen = Set<String>()
            return pairs.contains { !seen.insert($0.key).inserted }
        }
    }

    static func diagnostic(for error: YamlError, map: YAMLPositionMap) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            if problem.hasPrefix("Maximum nesting level") {
                return .error("YAML nested too deeply; flatten the structure", rule: .yamlSyntax,
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
                notes.append(DiagnosticNote(context.text, at: map.location(yamlLine: context.mark.line, scalarColumn: context.mark.column)))
                message = "invalid YAML: \(problem)"
            }
            return .error(message, rule: .yamlSyntax, at: map.location(yamlLine: mark.line, scalarColumn: mark.column), notes: notes)
        case .reader(let problem, let offset, _, _):
            return .error("invalid YAML: \(problem)", rule: .yamlSyntax, at: map.location(byteOffset: offset ?? 0))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            let first = map.location(yamlLine: context.mark.line, scalarColumn: context.mark.column)
            // Yams marks the first occurrence; the mistake is the repetition: the next line with the same key at
            // the same column.
            if let key = duplicates.first, let repeated = repetition(of: key, after: first, map: map) {
                return .error("duplicate key \(keys) in this mapping; keep one", rule: .duplicateKey, at: repeated,
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
            if rest.starts(with: Array(key.utf8) + [58]) || rest.starts(with: Array("\"\(key)\":".utf8)) || rest.starts(with: Array("'\(key)':".utf8)) {
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
        return .error("YAML nested more than \(depthLimit) levels deep; flatten the structure", rule: .yamlSyntax,
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
            var previous: UInt8 = 0, beforePrevious: UInt8 = 0
            for offset in bytes.indices {
                let byte = bytes[offset]
                defer { beforePrevious = previous; previous = byte }
                if previous == 0xC2 && byte == 0x85 { return (offset, "\u{85}") }
                if beforePrevious == 0xE2 && previous == 0x80 && (byte == 0xA8 || byte == 0xA9) { return (offset, byte == 0xA8 ? "\u{2028}" : "\u{2029}") }
            }
            return nil
        }
        if let (offset, scalar) = found {
            let location = map.location(byteOffset: offset - (scalar == "\u{85}" ? 1 : 2))
            return .error("value contains \(TerminalText.describe(scalar)) at column \(location.column); delete it",
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
                  position + 1 == bytes.count || bytes[position + 1] == 32 || bytes[position + 1] == 9 {
                if bytes[position] == 63 {
                    return .error("explicit keys ('? ') are not supported; write 'key: value'", rule: .yamlSyntax,
                                  at: SourceLocation(file: map.path, line: map.firstLine + index, column: line.prefixBytes + position + 1))
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
            while end < bytes.count, bytes[end] != 32, bytes[end] != 9, bytes[end] != 44, bytes[end] != 93, bytes[end] != 125 { end += 1 }
            let name = Array("*".utf8) + bytes[start..<end]
            for index in lineIndex..<map.lines.count {
                let line = Array(map.lines[index].text.utf8)
                var from = index == lineIndex ? end : 0
                while from + name.count <= line.count {
                    if Array(line[from..<(from + name.count)]) == name {
                        let after = from + name.count
                        if after == line.count || [32, 9, 44, 93, 125].contains(line[after]) {
                            return SourceLocation(file: map.path, line: map.firstLine + index, column: map.lines[index].prefixBytes + from + 1)
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
                throw Problem(diagnostic: .error("YAML block has more than \(YAMLReader.nodeLimit) values; split it into several fact blocks", rule: .yamlSyntax, at: at))
            }
            // An alias yields the anchored node again, with the anchor's mark: the second visit of a
            // collection's mark is an alias. Policies need none, and aliases can multiply a document.
            // Packed line and column: no two distinct positions share a key (columns stay far below 2^32).
            if let mark = node.mark, !(node.scalar?.string.isEmpty ?? false), !seenMarks.insert(mark.line << 32 | mark.column).inserted {
                throw Problem(diagnostic: .error("YAML aliases are not supported; write the value out", rule: .yamlAlias,
                                                 at: aliasLocation(anchoredAt: at) ?? at, notes: [DiagnosticNote("anchor defined here", at: at)]))
            }
            switch node {
            case .scalar(let scalar):
                let plain = scalar.style == .plain || scalar.style == .any
                return YAMLNode(.scalar(scalar.string, plain: plain && (scalar.tag.rawValue.isEmpty || scalar.tag.rawValue == "!")), at: at)
            case .sequence(let sequence):
                var items: [YAMLNode] = []
                for item in sequence { items.append(try convert(item)) }
                return YAMLNode(.sequence(items), at: at)
            case .mapping(let mapping):
                var pairs: [YAMLPair] = []
                for (key, value) in mapping {
                    guard case .scalar(let keyScalar) = key else {
                        throw Problem(diagnostic: .error("mapping key must be a plain word", rule: .yamlSyntax, at: location(key.mark)))
                    }
                    pairs.append(YAMLPair(key: keyScalar.string, keyLocation: location(key.mark), value: try convert(value)))
                }
                return YAMLNode(.mapping(pairs), at: at)
            case .alias:
                throw Problem(diagnostic: .error("YAML aliases are not supported; write the value out", rule: .yamlAlias, at: at))
            }
        }
    }
}
