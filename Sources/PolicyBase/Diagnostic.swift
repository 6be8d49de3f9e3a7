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
}

/// A second location that explains a diagnostic ("first declared here").
public struct DiagnosticNote: Hashable, Sendable, Codable {
    public var message: String
    public var location: SourceLocation

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
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

    public init(_ severity: Severity, _ message: String, rule: String, at location: SourceLocation,
                notes: [DiagnosticNote] = []) {
        self.severity = severity
        self.message = message
        self.rule = rule
        self.location = location
        self.notes = notes
    }

    public static func error(_ message: String, rule: String, at location: SourceLocation,
                             notes: [DiagnosticNote] = []) -> Diagnostic {
        Diagnostic(.error, message, rule: rule, at: location, notes: notes)
    }

    public static func warning(_ message: String, rule: String, at location: SourceLocation,
                               notes: [DiagnosticNote] = []) -> Diagnostic {
        Diagnostic(.warning, message, rule: rule, at: location, notes: notes)
    }

    /// `file:line:col: severity: message (rule-id)` followed by one `file:line:col: note: message` line a note.
    public var formatted: String {
        var lines = ["\(location): \(severity.rawValue): \(message) (\(rule))"]
        for note in notes {
            lines.append("\(note.location): note: \(note.message)")
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
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let lowered = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            let limit = max(1, min(3, candidate.count / 3))
            guard distance <= limit else { continue }
            if best == nil || distance < best!.1 || (distance == best!.1 && candidate < best!.0) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }

    /// Damerau–Levenshtein (optimal string alignment) distance over Unicode scalars, so a swapped pair of
    /// letters ("paymnet") counts as one edit.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
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
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[y.count]
    }

    /// `; did you mean 'x'?` or the empty string.
    public static func hint(for word: String, in candidates: some Sequence<String>) -> String {
        guard let match = closest(to: word, in: candidates), match != word else { return "" }
        return "; did you mean '\(match)'?"
    }
}
