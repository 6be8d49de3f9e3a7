/// Escaping for the few places where HTML or XML is written in Swift rather than by a Mustache template (which
/// escapes `{{value}}` itself). Every text a person wrote goes through one of these before it reaches a page.
public enum HTML {
    /// Text content and attribute values: `& < > " '` become entities, so no text can open a tag or leave an
    /// attribute.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { isSpecial($0) }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        appendEscaped(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` escaped as `escape` does, working on its UTF-8 bytes: the five characters are ASCII, and an
    /// ASCII byte never occurs inside a multi-byte sequence, so this escapes every one of them wherever it stands, even
    /// where a combining mark follows it (an escaper that compares `Character`s sees `"` plus a combining mark as one
    /// grapheme and lets the quote through, out of an attribute). Runs without those bytes are copied whole.
    public static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for index in 0..<bytes.count where isSpecial(bytes[index]) {
                if start < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                switch bytes[index] {
                case 38: out.append(contentsOf: "&amp;".utf8)
                case 60: out.append(contentsOf: "&lt;".utf8)
                case 62: out.append(contentsOf: "&gt;".utf8)
                case 34: out.append(contentsOf: "&quot;".utf8)
                default: out.append(contentsOf: "&#39;".utf8)
                }
                start = index + 1
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])) }
        }
    }

    /// Whether `text` holds the ASCII `pattern`, compared byte by byte.
    static func contains(_ text: String, _ pattern: StaticString) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            pattern.withUTF8Buffer { pattern in
                guard !pattern.isEmpty, bytes.count >= pattern.count else { return false }
                return (0...(bytes.count - pattern.count)).contains { start in
                    bytes[start] == pattern[0] && (1..<pattern.count).allSatisfy { bytes[start + $0] == pattern[$0] }
                }
            }
        }
    }

    /// `&`, `<`, `>`, `"`, `'`.
    @inline(__always) static func isSpecial(_ byte: UInt8) -> Bool {
        byte == 38 || byte == 60 || byte == 62 || byte == 34 || byte == 39
    }

    /// cmark's safe rendering of a block, with what a privacy page must not contain taken out:
    /// - `<img>` becomes its (already escaped) alt text: an image from another host would tell that host who reads
    ///   the page, and the page's Content-Security-Policy would block it anyway;
    /// - a heading gets its stable section id.
    /// cmark already omits raw HTML and empties `javascript:` and similar links (it runs without CMARK_OPT_UNSAFE).
    public static func prose(_ html: String) -> String {
        // Searched on bytes: Foundation's `contains` went through a locale for every block of every page.
        guard contains(html, "<img ") else { return html }
        var out = ""
        var rest = Substring(html)
        while let start = rest.range(of: "<img ") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].range(of: "/>") else {
                rest = rest[start.upperBound...]
                break
            }
            let tag = rest[start.lowerBound..<end.upperBound]
            if let altStart = tag.range(of: " alt=\""), let altEnd = tag[altStart.upperBound...].firstIndex(of: "\"") {
                out += tag[altStart.upperBound..<altEnd]
            }
            rest = rest[end.upperBound...]
        }
        out += rest
        return out
    }

    /// `<h2>…</h2>` from cmark with `id` added: the section id, which stays the same across versions.
    public static func heading(_ html: String, level: Int, id: String) -> String {
        let open = "<h\(level)>"
        guard html.hasPrefix(open) else { return html }
        return "<h\(level) id=\"\(escape(id))\">" + prose(String(html.dropFirst(open.count)))
    }
}

/// One top-level block of a policy body as the page shows it. Built by the driver from the source reader's blocks,
/// so this target needs neither cmark nor YAML.
public enum BodyBlock: Sendable, Hashable {
    /// A heading with cmark's safe HTML of it.
    case heading(level: Int, html: String)
    /// A paragraph, list, quote… as cmark's safe HTML.
    case prose(html: String)
    /// A fact block declaring `count` facts (a YAML list of n items, or one mapping).
    case facts(count: Int)
}
