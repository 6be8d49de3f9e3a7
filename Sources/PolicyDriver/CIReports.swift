import Foundation
import PolicyBase
import PolicyModel

/// `check --format github`: one GitHub Actions workflow command a diagnostic, so that each appears as an annotation
/// on its line of the pull request.
public enum GitHubAnnotations {
    /// `::error file=F,line=L,col=C,title=RULE::message`, notes as further lines of the message.
    public static func format(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { diagnostic in
            let location = diagnostic.location
            var message = diagnostic.message
            for note in diagnostic.notes { message += "\nnote: \(note.location): \(note.message)" }
            let properties = [
                "file=\(property(location.file))", "line=\(location.line)", "col=\(location.column)",
                "title=\(property(diagnostic.rule))",
            ]
            return
                "::\(diagnostic.severity == .note ? "notice" : diagnostic.severity.rawValue) \(properties.joined(separator: ","))::\(data(message))\n"
        }.joined()
    }

    /// A command's message, escaped as the Actions toolkit does (`%`, CR, LF), then made safe for the log, which a
    /// browser shows with its colours: what a value holds is shown, never obeyed.
    static func data(_ text: String) -> String {
        TerminalText.escape(
            text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
                .replacingOccurrences(of: "\n", with: "%0A"))
    }

    /// A property value: as a message, and `:` and `,` too, which would end the property or the command.
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

/// `check --format sarif`: SARIF 2.1.0, the format code-scanning services read (OASIS, sarif-schema-2.1.0.json).
public enum SARIFReport {
    /// The rule catalogue as SARIF `reportingDescriptor`s: one a rule, in catalogue order (`ruleIndex` counts in it).
    static func descriptors() -> [SARIFValue] {
        Rule.all.map { rule in
            .object([
                "id": .string(rule.id),
                "shortDescription": .object(["text": .string(rule.summary)]),
                "fullDescription": .object(["text": .string(rule.explanation)]),
                "help": .object([
                    "text": .string(RuleReference.text(rule)),
                    "markdown": .string(RuleReference.markdown(rule)),
                ]),
                "helpUri": .string("\(RuleReference.documentPath)#\(rule.id)"),
                "defaultConfiguration": .object(["level": .string(rule.severity.rawValue)]),
                "properties": .object(["source": .string(rule.source), "waivable": .bool(rule.waivable)]),
            ])
        }
    }

    /// The report. `column` converts a diagnostic's column (UTF-8 bytes) into Unicode code points, the unit SARIF
    /// allows that is closest; the driver reads the line to count them.
    public static func format(
        _ diagnostics: [Diagnostic], waived: [WaivedDiagnostic],
        column: (SourceLocation) -> Int
    ) -> String {
        let indexes = Dictionary(uniqueKeysWithValues: Rule.all.enumerated().map { ($1.id, $0) })
        func location(_ at: SourceLocation) -> SARIFValue {
            .object([
                "physicalLocation": .object([
                    "artifactLocation": .object(["uri": .string(uri(at.file))]),
                    "region": .object(["startLine": .int(at.line), "startColumn": .int(column(at))]),
                ])
            ])
        }
        func result(_ diagnostic: Diagnostic, suppression: WaivedDiagnostic?) -> SARIFValue {
            var fields: [String: SARIFValue] = [
                "ruleId": .string(diagnostic.rule),
                "level": .string(diagnostic.severity.rawValue),
                "message": .object(["text": .string(diagnostic.message)]),
                "locations": .array([location(diagnostic.location)]),
            ]
            if let index = indexes[diagnostic.rule] { fields["ruleIndex"] = .int(index) }
            if !diagnostic.notes.isEmpty {
                fields["relatedLocations"] = .array(
                    diagnostic.notes.enumerated().map { number, note in
                        guard case .object(var related) = location(note.location) else { return .null }
                        related["id"] = .int(number + 1)
                        related["message"] = .object(["text": .string(note.message)])
                        return .object(related)
                    })
            }
            if let suppression {
                fields["suppressions"] = .array([
                    .object([
                        "kind": .string("inSource"),
                        "justification": .string(suppression.reason),
                    ])
                ])
            }
            return .object(fields)
        }
        let results =
            diagnostics.map { result($0, suppression: nil) }
            + waived.map { result($0.diagnostic, suppression: $0) }
        let run: SARIFValue = .object([
            "tool": .object(["driver": .object(["name": .string("policyc"), "rules": .array(descriptors())])]),
            "columnKind": .string("unicodeCodePoints"),
            "results": .array(results),
        ])
        let log: SARIFValue = .object([
            "$schema": .string("https://json.schemastore.org/sarif-2.1.0.json"),
            "version": .string("2.1.0"),
            "runs": .array([run]),
        ])
        return ModelJSON.encode(log)
    }

    /// A file path as a SARIF URI reference: relative paths stay relative (to where `check` ran), absolute ones
    /// become `file://` URIs; characters a URI cannot hold are percent-encoded.
    static func uri(_ path: String) -> String {
        // RFC 3986's unreserved characters, and `/` between segments.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")
        let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}

/// A SARIF value, built as a tree; encoded with sorted keys like every other JSON policyc writes.
indirect enum SARIFValue: Encodable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([SARIFValue])
    case object([String: SARIFValue])
    case null

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .int(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        case .array(let items): try container.encode(items)
        case .object(let fields): try container.encode(fields)
        case .null: try container.encodeNil()
        }
    }
}

/// Converts UTF-8 byte columns into code point columns by reading each file's lines once.
final class ColumnConverter {
    private var lines: [String: [Substring]?] = [:]

    func codePointColumn(_ location: SourceLocation) -> Int {
        if lines[location.file] == nil {
            let data = FileManager.default.contents(atPath: location.file)
            lines[location.file] = data.map {
                String(decoding: $0, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            }
        }
        guard let fileLines = lines[location.file] ?? nil, location.line >= 1, location.line <= fileLines.count else {
            return location.column
        }
        let bytes = Array(fileLines[location.line - 1].utf8.prefix(max(0, location.column - 1)))
        return String(decoding: bytes, as: UTF8.self).unicodeScalars.count + 1
    }
}
