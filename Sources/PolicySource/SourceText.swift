import Foundation
import PolicyBase

/// The text of one source file, decoded and split into lines, with the front matter separated from the body.
///
/// Accepted: a UTF-8 byte-order mark (dropped), LF, CRLF and lone CR line endings (all become LF; line numbers
/// are the file's). Rejected with a diagnostic: bytes that are not UTF-8, NUL bytes.
public struct SourceText: Sendable {
    public let path: String
    /// The file's lines without their line endings.
    public let lines: [Substring]
    public let text: String

    /// Most lines a policy file may have; a file of prose at the size limit has far fewer.
    public static let lineLimit = 200_000

    /// Decodes `bytes`, or returns the diagnostic that says why they are not a policy source.
    public static func decode(_ bytes: [UInt8], path: String) -> Result<SourceText, Diagnostic> {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        let body = bytes[start...]
        // The standard library's validation is vectorised, and its string is the text: validated once.
        guard var text = String(validating: body, as: UTF8.self) else {
            let bad = firstInvalidUTF8(body) ?? 0
            let location = locate(byteOffset: bad, in: body, path: path)
            return .failure(
                .error(
                    "invalid UTF-8 byte 0x\(hex(body[body.startIndex + bad])); save the file as UTF-8",
                    rule: .invalidUTF8, at: location))
        }
        // One pass for the line breaks, the first NUL and whether there is a carriage return at all.
        var lineBreaks = 0
        var nul: Int?
        var hasCarriageReturn = false
        let tooManyLines = body.withUnsafeBufferPointer { buffer -> Bool in
            let count = buffer.count
            for index in 0..<count {
                switch buffer[index] {
                case 10:
                    lineBreaks += 1
                case 13:
                    hasCarriageReturn = true
                    if index + 1 == count || buffer[index + 1] != 10 { lineBreaks += 1 }
                case 0:
                    if nul == nil { nul = index }
                    continue
                default:
                    continue
                }
                // Every line costs an entry in `lines` and, in libcmark, at least a node: past `lineLimit` the file is
                // refused, so that memory stays bounded (docs/performance.md, "Choices").
                if lineBreaks == lineLimit { return true }
            }
            return false
        }
        if tooManyLines {
            return .failure(
                .error(
                    "more than \(lineLimit) lines in one file; a policy is text for customers: shorten it",
                    rule: .fileTooLarge, at: SourceLocation(file: path, line: lineLimit + 1, column: 1)))
        }
        if let nul {
            let location = locate(byteOffset: nul, in: body, path: path)
            return .failure(.error("NUL byte in text", rule: .invalidUTF8, at: location))
        }
        if hasCarriageReturn {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        return .success(SourceText(path: path, text: text))
    }

    init(path: String, text: String) {
        self.path = path
        self.text = text
        var lines = Self.lines(of: text)
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        self.lines = lines
    }

    /// The text's lines, split at line feeds (an empty last line when the text ends with one). Split on the UTF-8
    /// view: splitting a String by Character walks grapheme clusters, far slower.
    public static func lines(of text: String) -> [Substring] {
        let utf8 = text.utf8
        // Offsets from the contiguous bytes (native strings), made indices at each line feed: stepping a UTF-8 view
        // index by index costs several times as much.
        let fast = utf8.withContiguousStorageIfAvailable { bytes -> [Substring]? in
            guard let base = bytes.baseAddress else { return nil }
            var lines: [Substring] = []
            var start = utf8.startIndex
            var offset = 0
            while offset < bytes.count, let found = memchr(base + offset, 10, bytes.count - offset) {
                let end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                let index = utf8.index(start, offsetBy: end - offset)
                lines.append(text[start..<index])
                start = utf8.index(after: index)
                offset = end + 1
            }
            lines.append(text[start..<utf8.endIndex])
            return lines
        }
        if let fast = fast ?? nil { return fast }
        var lines: [Substring] = []
        var start = utf8.startIndex
        var index = start
        while index < utf8.endIndex {
            if utf8[index] == 10 {
                lines.append(text[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        lines.append(text[start..<utf8.endIndex])
        return lines
    }

    public func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: path, line: line, column: column)
    }

    /// The line's text (1-based), or the empty string past the end.
    public func line(_ number: Int) -> Substring {
        number >= 1 && number <= lines.count ? lines[number - 1] : ""
    }

    // MARK: UTF-8

    /// Offset of the first byte that does not belong to a well-formed UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        // The standard library's validation is vectorised; the scalar walk below only runs to find where.
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .error: return offset
            case .emptyInput: return nil
            }
        }
    }

    static func locate(byteOffset: Int, in bytes: ArraySlice<UInt8>, path: String) -> SourceLocation {
        var line = 1
        var column = 1
        var index = bytes.startIndex
        let end = bytes.startIndex + byteOffset
        while index < end {
            if bytes[index] == 10 || (bytes[index] == 13 && (index + 1 == end || bytes[index + 1] != 10)) {
                line += 1
                column = 1
            } else if bytes[index] != 13 {
                column += 1
            }
            index += 1
        }
        return SourceLocation(file: path, line: line, column: column)
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}

/// The front matter block: the YAML between a first line `---` and the next line that is `---` or `...`.
public struct FrontMatterSplit: Sendable {
    /// File line of the opening `---`.
    public let openingLine: Int
    /// File line of the closing delimiter.
    public let closingLine: Int
    /// The YAML text (lines between the delimiters).
    public let yaml: String
    /// The body with the front matter lines blanked, so every CommonMark line number is the file's.
    public let body: String

    public static func split(_ source: SourceText) -> Result<FrontMatterSplit, Diagnostic> {
        guard let first = source.lines.first, first.trimmingTrailingWhitespace() == "---" else {
            return .failure(
                .error(
                    "missing front matter; start the file with a line '---', the YAML metadata, and a closing '---'",
                    rule: .frontMatterMissing, at: source.location(line: 1, column: 1)))
        }
        var closing: Int?
        for index in 1..<source.lines.count {
            let line = source.lines[index].trimmingTrailingWhitespace()
            if line == "---" || line == "..." {
                closing = index
                break
            }
        }
        guard let end = closing else {
            return .failure(
                .error(
                    "unterminated front matter; add a line '---' after the metadata",
                    rule: .frontMatterUnterminated, at: source.location(line: 1, column: 1)))
        }
        // The lines joined by line feeds are the text between their starts, taken whole instead of joined again.
        let text = source.text
        let yaml = end > 1 ? String(text[source.lines[1].startIndex..<source.lines[end].startIndex]) : "\n"
        var body = String(repeating: "\n", count: end + 1)
        if end + 1 < source.lines.count {
            // From the first line after the delimiter to the end: the text ends with a line feed, or gets one.
            body += text[source.lines[end + 1].startIndex...]
            if text.utf8.last != 10 { body += "\n" }
        } else {
            body += "\n"
        }
        return .success(FrontMatterSplit(openingLine: 1, closingLine: end + 1, yaml: yaml, body: body))
    }
}

extension Substring {
    func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, let c = self[index(before: end)].unicodeScalars.first, c == " " || c == "\t" {
            end = index(before: end)
        }
        return self[startIndex..<end]
    }
}
