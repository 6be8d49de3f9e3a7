/// A position in a source file. Lines and columns are 1-based; columns count UTF-8 bytes, as libcmark and
/// clang-style tools do, so `file:line:col` opens at the right place in editors.
public struct SourceLocation: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }

    public var description: String { "\(file):\(line):\(column)" }
}

public enum Severity: String, Sendable, Codable, Hashable {
    case error
    case warning
    /// On the record, never a problem: what a person reading the history should know.
    case note
}

/// A second location that explains a diagnostic ("first declared here").
public struct DiagnosticNote: Hashable, Sendable, Codable {
    public var message: String
    public var location: SourceLocation

    public init(_ message: String, at location: SourceLocation) {
        self.message = EchoedValue.abbreviatingQuotes(in: message)
        self.location = location
    }
}

/// One problem found in a policy source. Wording follows compiler convention: one terse phrase, no final
/// period, a fix where one is plausible.
public struct Diagnostic: Error, Hashable, Sendable, Codable {
    public var severity: Severity
    public var message: String
    /// A stable, kebab-case identifier of the rule, printed in parentheses like SwiftLint's.
    public var rule: String
    public var location: SourceLocation
    public var notes: [DiagnosticNote]

    public init(
        _ severity: Severity, _ message: String, rule: Rule, at location: SourceLocation,
        notes: [DiagnosticNote] = []
    ) {
        self.init(severity, message, ruleID: rule.id, at: location, notes: notes)
    }

    /// By a bare id: for tests and tools that make diagnostics of their own. Sources name a catalogue entry
    /// (`rule: .yamlSyntax`), so each id is written once; a test scans for string ids.
    public init(
        _ severity: Severity, _ message: String, ruleID: String, at location: SourceLocation,
        notes: [DiagnosticNote] = []
    ) {
        self.severity = severity
        // Every stage echoes values in quotes; a 100 KB id must not become a 100 KB line.
        self.message = EchoedValue.abbreviatingQuotes(in: message)
        self.rule = ruleID
        self.location = location
        self.notes = notes
    }

    public static func error(
        _ message: String, rule: Rule, at location: SourceLocation,
        notes: [DiagnosticNote] = []
    ) -> Diagnostic {
        Diagnostic(.error, message, rule: rule, at: location, notes: notes)
    }

    public static func warning(
        _ message: String, rule: Rule, at location: SourceLocation,
        notes: [DiagnosticNote] = []
    ) -> Diagnostic {
        Diagnostic(.warning, message, rule: rule, at: location, notes: notes)
    }

    /// By a bare id, for tests: see `init(_:_:ruleID:at:notes:)`.
    @_disfavoredOverload
    public static func error(
        _ message: String, rule: String, at location: SourceLocation,
        notes: [DiagnosticNote] = []
    ) -> Diagnostic {
        Diagnostic(.error, message, ruleID: rule, at: location, notes: notes)
    }

    /// `file:line:col: severity: message (rule-id)` followed by one `file:line:col: note: message` line a note.
    /// For a terminal: file names and messages are escaped (`TerminalText`), so what a file name or a value
    /// holds can neither start a line of its own nor reach the terminal as a control sequence.
    public var formatted: String {
        var lines = [
            "\(TerminalText.escape(location.description)): \(severity.rawValue): \(TerminalText.escape(message)) (\(rule))"
        ]
        for note in notes {
            lines.append(
                "\(TerminalText.escape(note.location.description)): note: \(TerminalText.escape(note.message))")
        }
        return lines.joined(separator: "\n")
    }
}

extension Diagnostic {
    /// Diagnostics in reading order: by file, line, column, then errors before warnings.
    public static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.sorted { a, b in
            if a.location != b.location { return a.location < b.location }
            if a.severity != b.severity { return a.severity == .error }
            if a.rule != b.rule { return a.rule < b.rule }
            return a.message < b.message
        }
    }
}

/// Suggests the closest candidate for a misspelt word, for "did you mean" hints.
public enum Suggestion {
    /// Words longer than this get no suggestion: no real key, id or vocabulary word is this long, and comparing
    /// long words costs time that grows with the product of their lengths.
    public static let longestWord = 64
    /// The most edits a suggestion may be away; the search gives up on a candidate as soon as it is further.
    public static let maximumDistance = 3

    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        guard word.utf8.count <= longestWord * 4, word.unicodeScalars.count <= longestWord else { return nil }
        let lowered = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            guard candidate.unicodeScalars.count <= longestWord else { continue }
            let limit = max(1, min(maximumDistance, candidate.count / 3))
            guard let distance = editDistance(lowered, candidate.lowercased(), atMost: limit) else { continue }
            if best == nil || distance < best!.1 || (distance == best!.1 && candidate < best!.0) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }

    /// Damerau–Levenshtein (optimal string alignment) distance over Unicode scalars, so a swapped pair of
    /// letters ("paymnet") counts as one edit.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        editDistance(a, b, atMost: Int.max)!
    }

    /// The distance when it is at most `limit`, else nil. Stops as soon as a whole row exceeds the limit (no
    /// later row can be smaller), and at once when the lengths alone differ by more.
    public static func editDistance(_ a: String, _ b: String, atMost limit: Int) -> Int? {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if abs(x.count - y.count) > limit { return nil }
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous2 = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            // A transposition reaches back two rows, so stop only when both kept rows exceed the limit.
            if current.min()! > limit, previous.min()! > limit { return nil }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[y.count] <= limit ? previous[y.count] : nil
    }

    /// `; did you mean 'x'?` or the empty string.
    public static func hint(for word: String, in candidates: some Sequence<String>) -> String {
        guard let match = closest(to: word, in: candidates), match != word else { return "" }
        return "; did you mean '\(match)'?"
    }
}

/// Values echoed in messages are cut to a readable length.
public enum EchoedValue {
    /// Longest quoted value kept whole, in characters; a longer one keeps its first `kept` characters and `…`.
    public static let longest = 64
    static let kept = 48

    /// Cuts every quoted value (`'…'`) longer than `longest` characters, and ends it at its first line break.
    /// A quote opens after a space, `(` or the start and closes before a space, `;`, `,`, `:`, `)`, `?`, `.` or
    /// the end, so the apostrophe in "foto's" is text, not a quote.
    public static func abbreviatingQuotes(in message: String) -> String {
        // Fast paths: a short message cannot hold a long value, nor can one whose quotes are all close together
        // (bytes are at least as many as characters) and that has no line break.
        guard message.utf8.count > longest else { return message }
        // Only quotes that can open or close count, so an apostrophe inside a long value does not hide it.
        let bytes = Array(message.utf8)
        var lastQuote = -1
        var farApart = false
        for (offset, byte) in bytes.enumerated() {
            if byte == 10 {
                farApart = true
                break
            }
            guard byte == 39 else { continue }
            let opens = offset == 0 || [32, 40, 91, 9].contains(bytes[offset - 1])
            let closes = offset + 1 == bytes.count || [32, 59, 44, 58, 41, 63, 46, 93, 9].contains(bytes[offset + 1])
            guard opens || closes else { continue }
            if lastQuote >= 0, offset - lastQuote - 1 > longest {
                farApart = true
                break
            }
            lastQuote = offset
        }
        guard farApart else { return message }
        // Bytes in, bytes out: linear. (Appending to a String.UnicodeScalarView grows it by the exact amount each
        // time, which is quadratic; the compile fuzz target timed out on it.)
        let opensAfter: Set<UInt8> = [32, 40, 91, 9]
        let closesBefore: Set<UInt8> = [32, 59, 44, 58, 41, 63, 46, 93, 9]
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 39, index == 0 || opensAfter.contains(bytes[index - 1]) else {
                result.append(byte)
                index += 1
                continue
            }
            // The closing quote: the first `'` followed by a closing character or the end.
            var end = index + 1
            while end < bytes.count,
                !(bytes[end] == 39 && (end + 1 == bytes.count || closesBefore.contains(bytes[end + 1])))
            {
                end += 1
            }
            // No closing quote after this one, so none after any later one either: the rest is text.
            guard end < bytes.count else {
                result += bytes[index...]
                break
            }
            let value = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
            result += Array("'\(abbreviate(value))'".utf8)
            index = end + 1
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// `value`, or its first line and characters followed by `…`.
    public static func abbreviate(_ value: String) -> String {
        let firstLine =
            value.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? value
        if firstLine.count <= longest, firstLine == value { return value }
        return String(firstLine.prefix(firstLine.count <= longest ? firstLine.count : kept)) + "…"
    }
}

/// Text made safe for a terminal: what a file name or a policy value holds is shown, never obeyed.
public enum TerminalText {
    /// Escapes control characters (C0, DEL, C1) as `\n`, `\t`, `\r` or `\x1B`, and invisible or bidirectional
    /// characters (U+200B, U+202E …) as `<U+200B>`. Everything else is kept.
    public static func escape(_ text: String) -> String {
        // Fast path: printable ASCII needs nothing. (On the contiguous bytes: every diagnostic's text comes here.)
        let printable =
            text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }
            ?? text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        if printable { return text }
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars { append(scalar, to: &result) }
        return String(decoding: result, as: UTF8.self)
    }

    /// Appends one character, escaped if it must be, as UTF-8 bytes (a byte array grows geometrically).
    static func append(_ scalar: Unicode.Scalar, to result: inout [UInt8]) {
        switch scalar {
        case "\n": result += Array("\\n".utf8)
        case "\t": result += Array("\\t".utf8)
        case "\r": result += Array("\\r".utf8)
        case _ where isControl(scalar): result += Array(("\\x" + hex(scalar.value, digits: 2)).utf8)
        case _ where isInvisible(scalar): result += Array("<\(codePoint(scalar))>".utf8)
        default: UTF8.encode(scalar) { result.append($0) }
        }
    }

    /// Escapes a report of several lines for a terminal: line breaks are kept, everything else as in `escape`.
    /// With `keepingColors`, the colour sequences a report writes itself (`ESC [ n m`, each `n` a plain colour or
    /// weight, never one that hides text) are kept; every other escape sequence is shown, not obeyed.
    public static func escapeLines(_ text: String, keepingColors: Bool) -> String {
        if text.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 10 }) { return text }
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count + 64)
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if number > 0 { result.append(10) }
            if line.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
                result += Array(line.utf8)
                continue
            }
            let scalars = Array(line.unicodeScalars)
            var index = 0
            while index < scalars.count {
                let scalar = scalars[index]
                if scalar == "\u{1B}", keepingColors, let end = colorSequenceEnd(scalars, from: index) {
                    for kept in scalars[index...end] { UTF8.encode(kept) { result.append($0) } }
                    index = end
                } else {
                    append(scalar, to: &result)
                }
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// SGR parameters a report may use: reset, bold, faint, underline, strike-through, their ends, colours.
    static let allowedColorParameters: Set<String> = [
        "", "0", "1", "2", "4", "9", "22", "24", "29", "31", "32", "33", "34", "35", "36", "39",
    ]

    /// The index of the `m` that ends an allowed colour sequence starting at `start`, or nil.
    static func colorSequenceEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        guard start + 2 < scalars.count, scalars[start + 1] == "[" else { return nil }
        var end = start + 2
        var parameters = ""
        while end < scalars.count, end - start < 16, scalars[end] == ";" || ("0"..."9").contains(scalars[end]) {
            parameters.unicodeScalars.append(scalars[end])
            end += 1
        }
        guard end < scalars.count, scalars[end] == "m" else { return nil }
        let parts = parameters.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        return parts.allSatisfy { allowedColorParameters.contains($0) } ? end : nil
    }

    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
    }

    /// Characters that show nothing or change the direction of what follows: format characters (Cf: zero-width
    /// spaces and joiners, bidirectional marks, embeddings, overrides and isolates, the byte-order mark, tags),
    /// line and paragraph separators, and the blank fillers of Hangul and Mongolian.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator: return true
        default: return [0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFFA0].contains(scalar.value)
        }
    }

    /// Whether the character changes the direction of the text after it (Trojan Source, CVE-2021-42574).
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// `U+200B`.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        "U+" + hex(scalar.value, digits: 4)
    }

    /// `U+200B ZERO WIDTH SPACE`: the code point and its Unicode name, for messages about a character that
    /// cannot be seen.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        let name = scalar.properties.name ?? scalar.properties.nameAlias
        return name.map { "\(codePoint(scalar)) \($0)" } ?? codePoint(scalar)
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
