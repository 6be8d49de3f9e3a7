import PolicyBase
import PolicyDiff

/// Human-readable forms of a `VersionDiff`: a terminal report and a Markdown report for a pull request.
public enum DiffReport {
    static let headings: [Impact: (title: String, explanation: String)] = [
        .notify: ("Notify", "affects data already held: tell customers before it takes effect (GDPR Art. 13(3))"),
        .future: ("Future", "affects only data collected from now on"),
        .favourable: ("Favourable", "better for customers"),
        .editorial: ("Editorial", "wording only"),
    ]

    // MARK: Terminal

    public static func text(_ diff: VersionDiff, color: Bool) -> String {
        func paint(_ code: String, _ text: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let colors: [Impact: String] = [.notify: "1;31", .future: "33", .favourable: "32", .editorial: "2"]
        var out = "\(paint("1", "\(diff.policy) \(diff.from) → \(diff.to)")) (\(diff.language))"
        if let announced = diff.announced { out += ", announced \(announced)" }
        out += "\n" + countsLine(diff) + "\n"
        for impact in Impact.allCases {
            let records = diff.changes.filter { $0.impact == impact }
            guard !records.isEmpty, let heading = headings[impact] else { continue }
            out += "\n" + paint(colors[impact]!, "\(heading.title.uppercased()) (\(records.count)): \(heading.explanation)") + "\n"
            for record in records {
                out += "  \(record.summary)\n"
                var detail = "    \(record.kind) \(record.element)"
                if let field = record.field { detail += " \(field)" }
                // Values are shown for a changed field; an added or removed element is said in the summary.
                if record.field != nil {
                    detail += ": \(record.before?.description ?? "–") → \(record.after?.description ?? "–")"
                }
                out += paint("2", detail) + "\n"
                if !record.categories.isEmpty { out += paint("2", "    categories: \(record.categories.joined(separator: ", "))") + "\n" }
                if let review = record.review { out += "    " + paint("35", "review: \(review)") + "\n" }
            }
        }
        return out
    }

    static func countsLine(_ diff: VersionDiff) -> String {
        var parts = Impact.allCases.map { "\(diff.counts[$0.rawValue] ?? 0) \($0.rawValue)" }
        if let review = diff.counts["review"], review > 0 { parts.append("\(review) to review") }
        return parts.joined(separator: " · ")
    }

    // MARK: Markdown

    public static func markdown(_ diff: VersionDiff) -> String {
        var out = "### Privacy policy `\(diff.policy)`: \(diff.from) → \(diff.to) (\(diff.language))\n\n"
        let notify = diff.counts[Impact.notify.rawValue] ?? 0
        if notify > 0 {
            out += "**\(notify) change\(notify == 1 ? "" : "s") affect data customers already gave us: they must be told before \(diff.to)**"
            out += diff.announced.map { " (announced \($0)).\n\n" } ?? ".\n\n"
        } else {
            out += "No change affects data already held: customers need not be told in advance.\n\n"
        }
        out += "| impact | changes |\n|---|---:|\n"
        for impact in Impact.allCases { out += "| \(impact.rawValue) | \(diff.counts[impact.rawValue] ?? 0) |\n" }
        if let review = diff.counts["review"], review > 0 { out += "| to review | \(review) |\n" }
        for impact in Impact.allCases {
            let records = diff.changes.filter { $0.impact == impact && !$0.kind.hasPrefix("section-") }
            guard !records.isEmpty, let heading = headings[impact] else { continue }
            out += "\n#### \(heading.title): \(heading.explanation)\n\n"
            for record in records {
                out += "- \(escape(record.summary))"
                if record.field != nil {
                    out += " (\(code(record.before?.description ?? "–")) → \(code(record.after?.description ?? "–")))"
                }
                out += " <sub>`\(record.kind)` `\(record.element)` rule `\(record.rule)`</sub>\n"
            }
        }
        let reviews = diff.changes.filter { $0.review != nil }
        if !reviews.isEmpty {
            out += "\n#### To review: prose changed where facts did not\n\n"
            for record in reviews { out += "- **\(escape(record.label))**: \(escape(record.review!))\n" }
        }
        if !diff.sections.isEmpty {
            out += "\n<details><summary>Wording: \(diff.sections.count) section\(diff.sections.count == 1 ? "" : "s") changed</summary>\n\n"
            for section in diff.sections {
                out += "**\(escape(section.heading.isEmpty ? section.id : section.heading))** (\(section.status.rawValue)"
                if let previous = section.previousHeading { out += ", was “\(escape(previous))”" }
                out += ")\n\n"
                if !section.redline.isEmpty { out += redline(section.redline) + "\n\n" }
            }
            out += "</details>\n"
        }
        return out
    }

    /// Deleted words struck through, inserted words in bold, unchanged runs shortened to their ends.
    static func redline(_ segments: [RedlineSegment]) -> String {
        var out = ""
        for (index, segment) in segments.enumerated() {
            if segment.text == "\n\n" { out += "\n\n"; continue }
            let text = escape(segment.text)
            let piece: String
            switch segment.op {
            case .equal:
                let words = segment.text.split(separator: " ")
                if words.count > 16 {
                    let head = index == 0 ? "" : words.prefix(6).joined(separator: " ")
                    let tail = index == segments.count - 1 ? "" : words.suffix(6).joined(separator: " ")
                    piece = [head, "…", tail].filter { !$0.isEmpty }.map(escape).joined(separator: " ")
                } else {
                    piece = text
                }
            case .delete: piece = "~~\(text)~~"
            case .insert: piece = "**\(text)**"
            case .moveFrom: piece = "~~\(text)~~<sup>moved</sup>"
            case .moveTo: piece = "**\(text)**<sup>moved</sup>"
            }
            if !out.isEmpty, !out.hasSuffix("\n") { out += " " }
            out += piece
        }
        return out
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\`*_[]<>|~#".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    static func code(_ text: String) -> String { "`\(text.replacingOccurrences(of: "`", with: "'"))`" }
}
