import PolicyBase

/// The fast path of `YAMLReader.parse`: reads the plain block YAML that nearly every fact block and front matter is
/// written in, without libyaml: mappings of simple keys, block lists, one-line plain scalars, one-line flow lists of
/// plain words and literal or folded block scalars as mapping values, indented with spaces.
///
/// The seam is `parse`: a root node, or nil to decline. The core (`YAMLReader.parseCore`, Yams' node tree on libyaml)
/// is the reference and reads every document this reader declines. Why a second reader: for this subset the core's
/// cost is its machinery, not the parsing. Each block gets a parser with about 64 KB of buffers, every token and event
/// is copied and freed, Yams builds a class for every node, and a publish reads about 90,000 blocks (2,000 sources).
/// This reader only accepts what it can prove is the common case, line by line; at the first thing it is not sure of
/// (a quote at a scalar's start, a comment, a tab, a block scalar with blank lines or in a list, a multi-line plain
/// scalar, an empty value, a duplicate key, an unusual character, anything YAML would reject) it declines. What it
/// returns is node for node, position for position, what the core returns: `YAMLDifferentialTests` compare the two on
/// the fixtures and on generated documents, and the fact-block and front-matter fuzz targets on every input.
enum BlockYAML {
    /// Deepest block nesting read here; deeper documents go to libyaml (which has its own limits).
    static let depthLimit = 32

    static func parse(_ yaml: String, map: YAMLPositionMap) -> YAMLNode? {
        YAMLReader.withBytes(yaml) { bytes in
            guard bytes.count > 0, characters(bytes) else { return nil }
            var reader = Reader(bytes: bytes, map: map)
            guard reader.splitLines() else { return nil }
            return reader.document()
        }
    }

    /// Whether every byte is one this reader knows libyaml treats as ordinary: printable ASCII, line feeds, and
    /// UTF-8 for U+00A0 to U+D7FF (most letters of most scripts), except U+2028 and U+2029, which libyaml reads as
    /// line breaks. Everything else (tabs, carriage returns, control characters, U+0080 to U+009F, the byte-order
    /// mark and the rest of U+E000 to U+FFFF, characters beyond U+FFFF) goes to libyaml.
    ///
    /// Also refuses more than `YAMLReader.depthLimit` opening brackets in all, so that every document read here passes
    /// the core's checks before parsing (nesting, Unicode line breaks, explicit keys), which therefore run only when
    /// this reader declines.
    static func characters(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        var brackets = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte < 0x20 ? byte != 0x0A : byte == 0x7F { return false }
                if byte == 0x5B || byte == 0x7B {
                    brackets += 1
                    if brackets > YAMLReader.depthLimit { return false }
                }
                index += 1
                continue
            }
            switch byte {
            case 0xC2:
                guard index + 1 < count, bytes[index + 1] >= 0xA0 else { return false }
                index += 2
            case 0xC3...0xDF:
                index += 2
            case 0xE0...0xEC:
                if byte == 0xE2, index + 2 < count, bytes[index + 1] == 0x80,
                    bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9
                {
                    return false
                }
                index += 3
            default:
                return false
            }
        }
        // A valid string does not end inside a character; a cut one would be caught here.
        return index == count
    }

    struct Line {
        /// Offsets into the bytes: the first byte after the indentation, the end (before the line feed, trailing spaces
        /// removed).
        var content: Int
        var end: Int
        /// The indentation in spaces; `content - start`.
        var indent: Int
        var start: Int
        var blank: Bool { content == end }
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let map: YAMLPositionMap
        var lines: [Line] = []
        /// The next line to read.
        var current = 0
        var nodes = 0

        init(bytes: UnsafeBufferPointer<UInt8>, map: YAMLPositionMap) {
            self.bytes = bytes
            self.map = map
        }

        mutating func splitLines() -> Bool {
            var start = 0
            let count = bytes.count
            while start <= count {
                var end = start
                while end < count, bytes[end] != 0x0A { end += 1 }
                var content = start
                while content < end, bytes[content] == 0x20 { content += 1 }
                var trimmed = end
                while trimmed > content, bytes[trimmed - 1] == 0x20 { trimmed -= 1 }
                // Document markers at the start of a line are not content.
                if content == start, end - start >= 3,
                    (bytes[start] == 0x2D && bytes[start + 1] == 0x2D && bytes[start + 2] == 0x2D)
                        || (bytes[start] == 0x2E && bytes[start + 1] == 0x2E && bytes[start + 2] == 0x2E)
                {
                    return false
                }
                lines.append(Line(content: content, end: trimmed, indent: content - start, start: start))
                if end == count { break }
                start = end + 1
            }
            // The position map must describe the same lines (it does for every caller; if not, the core decides).
            guard lines.count == map.lines.count || (lines.count == map.lines.count + 1 && lines[lines.count - 1].blank)
            else { return false }
            for index in 0..<min(lines.count, map.lines.count) {
                let line = lines[index]
                let length = map.lines[index].text.utf8.count
                let next = index + 1 < lines.count ? lines[index + 1].start - 1 : bytes.count
                guard length == next - line.start else { return false }
            }
            return true
        }

        func location(_ line: Int, _ offset: Int) -> SourceLocation {
            SourceLocation(
                file: map.path, line: map.firstLine + line,
                column: map.lines[line].prefixBytes + offset - lines[line].start + 1)
        }

        mutating func skipBlank() {
            while current < lines.count, lines[current].blank { current += 1 }
        }

        mutating func document() -> YAMLNode? {
            skipBlank()
            guard current < lines.count else { return nil }
            let line = lines[current]
            guard let root = block(at: line.content, column: line.indent, depth: 0) else { return nil }
            skipBlank()
            return current == lines.count ? root : nil
        }

        mutating func count() -> Bool {
            nodes += 1
            return nodes <= YAMLReader.nodeLimit
        }

        /// A block collection starting at `offset` of the current line, whose entries are at `column`: a list
        /// (`- `) or a mapping (`key: `). Reads up to the first line indented less than `column`.
        mutating func block(at offset: Int, column: Int, depth: Int) -> YAMLNode? {
            guard depth < depthLimit, count() else { return nil }
            if bytes[offset] == 0x2D { return list(at: offset, column: column, depth: depth) }
            return mapping(at: offset, column: column, depth: depth)
        }

        /// `- item` lines at `column`. The first starts at `offset` of the current line (after a parent's `- `, a
        /// list is not read here: libyaml decides).
        mutating func list(at offset: Int, column: Int, depth: Int) -> YAMLNode? {
            let at = location(current, offset)
            var items: [YAMLNode] = []
            var dash = offset
            while true {
                let line = lines[current]
                // `-` then a space; a lone `-` (its item on the next lines) is left to libyaml.
                guard dash + 1 < line.end, bytes[dash + 1] == 0x20 else { return nil }
                var start = dash + 2
                while bytes[start] == 0x20 { start += 1 }
                let itemColumn = start - line.start
                if bytes[start] == 0x2D { return nil }
                if key(at: start, end: line.end) != nil {
                    guard let item = block(at: start, column: itemColumn, depth: depth + 1) else { return nil }
                    items.append(item)
                } else {
                    guard let item = value(from: start, end: line.end) else { return nil }
                    items.append(item)
                    current += 1
                }
                skipBlank()
                guard current < lines.count, lines[current].indent >= column else { break }
                // A deeper line here would continue a scalar, or be an error: libyaml decides.
                guard lines[current].indent == column, bytes[lines[current].content] == 0x2D else { return nil }
                dash = lines[current].content
            }
            return YAMLNode(.sequence(items), at: at)
        }

        /// `key: value` lines at `column`; the first key starts at `offset` of the current line.
        mutating func mapping(at offset: Int, column: Int, depth: Int) -> YAMLNode? {
            let at = location(current, offset)
            var pairs: [YAMLPair] = []
            // Duplicate keys are left to the core, which words them; a set once a mapping is long.
            var seen: Set<String>?
            var start = offset
            while true {
                let line = lines[current]
                guard let colon = key(at: start, end: line.end) else { return nil }
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<colon]), as: UTF8.self)
                if seen == nil, pairs.count == 16 { seen = Set(pairs.map(\.key)) }
                if seen != nil {
                    guard seen!.insert(name).inserted else { return nil }
                } else {
                    guard !pairs.contains(where: { $0.key == name }) else { return nil }
                }
                let keyAt = location(current, start)
                if colon + 1 == line.end {
                    // The value is a block on the next lines, indented more; an empty value is left to libyaml.
                    current += 1
                    skipBlank()
                    guard current < lines.count, lines[current].indent > column else { return nil }
                    let next = lines[current]
                    guard let nested = block(at: next.content, column: next.indent, depth: depth + 1) else {
                        return nil
                    }
                    pairs.append(YAMLPair(key: name, keyLocation: keyAt, value: nested))
                } else {
                    var valueStart = colon + 2
                    while bytes[valueStart] == 0x20 { valueStart += 1 }
                    if bytes[valueStart] == 0x7C || bytes[valueStart] == 0x3E {
                        // `|`, `>` and their `-` forms: the text is on the next lines, which `blockScalar` reads.
                        guard let node = blockScalar(from: valueStart, end: line.end, column: column) else {
                            return nil
                        }
                        pairs.append(YAMLPair(key: name, keyLocation: keyAt, value: node))
                    } else {
                        guard let node = value(from: valueStart, end: line.end) else { return nil }
                        pairs.append(YAMLPair(key: name, keyLocation: keyAt, value: node))
                        current += 1
                    }
                }
                skipBlank()
                guard current < lines.count, lines[current].indent >= column else { break }
                guard lines[current].indent == column else { return nil }
                start = lines[current].content
            }
            return YAMLNode(.mapping(pairs), at: at)
        }

        /// A block scalar, a mapping's value: `|` or `>`, alone or with `-`, ends the current line at `start`, and the
        /// text is the lines after it that are indented more than the mapping's `column`, less their first line's
        /// indentation, joined by line feeds (`|`, literal) or spaces (`>`, folded); without `-` the final line feed
        /// is kept. Every front matter has one (the controller's address; a summary is folded). Declined: other
        /// indicators (`|+`, indentation digits, a comment after it), blank lines in or after the text (YAML counts
        /// their spaces), trailing spaces (text in YAML; `Line.end` drops them), a line indented less than the first
        /// but more than the mapping, a folded line indented more than the first (its line break is kept), and no
        /// `-` at the end of the document without a line feed (nothing to keep).
        mutating func blockScalar(from start: Int, end: Int, column: Int) -> YAMLNode? {
            let folded = bytes[start] == 0x3E
            let strip = end - start == 2 && bytes[start + 1] == 0x2D
            guard end - start == 1 || strip, count() else { return nil }
            let at = location(current, start)
            var text: [UInt8] = []
            var indent: Int?
            current += 1
            while current < lines.count {
                let line = lines[current]
                if line.blank {
                    // Only the empty line after the document's last line feed.
                    guard current == lines.count - 1, line.start == bytes.count else { return nil }
                    break
                }
                if line.indent <= column { break }
                let textIndent = indent ?? line.indent
                indent = textIndent
                let rawEnd = current + 1 < lines.count ? lines[current + 1].start - 1 : bytes.count
                guard folded ? line.indent == textIndent : line.indent >= textIndent, rawEnd == line.end,
                    strip || rawEnd < bytes.count
                else { return nil }
                if !text.isEmpty { text.append(folded ? 0x20 : 0x0A) }
                text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(line.start + textIndent)..<line.end]))
                current += 1
            }
            guard indent != nil else { return nil }
            if !strip { text.append(0x0A) }
            return YAMLNode(.scalar(String(decoding: text, as: UTF8.self), plain: false), at: at)
        }

        /// The offset of the colon when a simple key starts at `offset`: a letter or digit, then letters, digits,
        /// `-`, `_` or `.`, then `:` and a space or the line's end. At most 1,000 bytes (libyaml's limit is 1,024).
        func key(at offset: Int, end: Int) -> Int? {
            guard offset < end, Self.isKeyStart(bytes[offset]) else { return nil }
            var index = offset + 1
            while index < end, Self.isKeyByte(bytes[index]) { index += 1 }
            guard index - offset <= 1000 else { return nil }
            guard index < end, bytes[index] == 0x3A, index + 1 == end || bytes[index + 1] == 0x20 else { return nil }
            return index
        }

        static func isKeyStart(_ byte: UInt8) -> Bool {
            (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
        }

        static func isKeyByte(_ byte: UInt8) -> Bool {
            isKeyStart(byte) || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }

        /// A value on one line, from `start` (not a space) to `end` (trailing spaces removed): a flow list of plain
        /// words, or a plain scalar. Counted as the core counts: each node, the list and its words.
        mutating func value(from start: Int, end: Int) -> YAMLNode? {
            guard start < end, count() else { return nil }
            if bytes[start] == 0x5B {
                guard let list = flowList(from: start, end: end), case .sequence(let items) = list.content else {
                    return nil
                }
                nodes += items.count
                return nodes <= YAMLReader.nodeLimit ? list : nil
            }
            guard plain(from: start, end: end, flow: false) else { return nil }
            return scalar(from: start, end: end)
        }

        func scalar(from start: Int, end: Int) -> YAMLNode {
            YAMLNode(
                .scalar(
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self), plain: true),
                at: location(current, start))
        }

        /// `[a, b c, d]` on one line, ending the line: words separated by commas. `[]` is an empty list.
        func flowList(from start: Int, end: Int) -> YAMLNode? {
            guard bytes[end - 1] == 0x5D else { return nil }
            var items: [YAMLNode] = []
            var index = start + 1
            while index < end - 1, bytes[index] == 0x20 { index += 1 }
            if index == end - 1 { return YAMLNode(.sequence([]), at: location(current, start)) }
            while true {
                let itemStart = index
                while index < end - 1, bytes[index] != 0x2C { index += 1 }
                var itemEnd = index
                while itemEnd > itemStart, bytes[itemEnd - 1] == 0x20 { itemEnd -= 1 }
                guard itemEnd > itemStart, plain(from: itemStart, end: itemEnd, flow: true) else { return nil }
                items.append(scalar(from: itemStart, end: itemEnd))
                if index == end - 1 { break }
                // After a comma: spaces, then the next word (a comma before `]` is left to libyaml).
                index += 1
                while index < end - 1, bytes[index] == 0x20 { index += 1 }
                guard index < end - 1 else { return nil }
            }
            return YAMLNode(.sequence(items), at: location(current, start))
        }

        /// Whether `start..<end` is a plain scalar libyaml reads as exactly these bytes: it does not start with an
        /// indicator, and holds no `: ` (a mapping value), no ` #` (a comment), and no trailing `:`. In a flow list,
        /// no flow indicator and no colon at all.
        func plain(from start: Int, end: Int, flow: Bool) -> Bool {
            switch bytes[start] {
            case 0x2D, 0x3F, 0x3A, 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x23, 0x26, 0x2A, 0x21, 0x7C, 0x3E, 0x27, 0x22, 0x25,
                0x40, 0x60:
                return false
            default: break
            }
            var index = start
            while index < end {
                switch bytes[index] {
                case 0x3A:
                    if flow || index + 1 == end || bytes[index + 1] == 0x20 { return false }
                case 0x23:
                    if bytes[index - 1] == 0x20 { return false }
                case 0x2C, 0x5B, 0x5D, 0x7B, 0x7D:
                    if flow { return false }
                default: break
                }
                index += 1
            }
            return true
        }
    }
}
