import PolicyDiff
import PolicyPresent

/// Human-readable forms of a `VersionDiff`: a terminal report and a Markdown report for a pull request, in the
/// language of the compared files, with every value in words (PolicyPresent). The codes are in the JSON form.
public enum DiffReport {
    // MARK: Terminal

    public static func text(_ diff: VersionDiff, color: Bool) -> String {
        let words = Presenter(language: diff.language)
        func paint(_ code: String, _ text: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let colors: [Impact: String] = [.notify: "1;31", .future: "33", .favourable: "32", .editorial: "2"]
        let names = words.sectionNames(diff.sections)
        var out = paint("1", title(diff, words))
        if let announced = diff.announced { out += words.text("report.announced", words.date(announced)) }
        out += "\n" + countsLine(diff, words) + "\n"
        if Presenter.notAnnounced(diff) { out += words.text("report.not-announced") + "\n" }
        for impact in Impact.allCases {
            let records = diff.changes.filter { $0.impact == impact }
            guard !records.isEmpty else { continue }
            let heading = words.impact(impact)
            out +=
                "\n"
                + paint(
                    colors[impact]!,
                    words.text(
                        "report.impact.heading", heading.title.uppercased(), String(records.count),
                        heading.explanation))
                + "\n"
            for record in records {
                out += "  \(words.changeOnRecord(words.naming(record, names), labels: diff.labels))"
                if record.element.hasPrefix("section/"),
                    let section = diff.sections.first(where: { "section/\($0.id)" == record.element }),
                    section.wordsInserted + section.wordsDeleted > 0
                {
                    out += " " + words.text("report.words", String(section.wordsInserted), String(section.wordsDeleted))
                }
                out += "\n"
                if !record.categories.isEmpty, !record.kind.rawValue.hasPrefix("section-") {
                    out += paint("2", "    " + words.text("report.data", categories(record, diff, words))) + "\n"
                }
                if let scope = record.scope {
                    out +=
                        paint("2", "    " + words.text("report.scope", words.customers(scope, labels: diff.labels)))
                        + "\n"
                }
                if let review = record.review {
                    out +=
                        "    " + paint("35", words.text("report.review", words.review(review, labels: diff.labels)))
                        + "\n"
                }
            }
        }
        return out
    }

    static func title(_ diff: VersionDiff, _ words: Presenter) -> String {
        words.text(
            "report.title", diff.title, words.date(diff.from), words.date(diff.to), words.languageName(diff.language))
    }

    static func categories(_ record: ChangeRecord, _ diff: VersionDiff, _ words: Presenter) -> String {
        words.list(record.categories.map { diff.labels["category/\($0)"] ?? $0 })
    }

    static func countsLine(_ diff: VersionDiff, _ words: Presenter) -> String {
        var parts = Impact.allCases.map {
            "\(diff.counts[$0.rawValue] ?? 0) \(words.text("impact.\($0.rawValue).short"))"
        }
        if let review = diff.counts["review"], review > 0 {
            parts.append(words.text("report.to-review", String(review)))
        }
        return parts.joined(separator: " · ")
    }

    // MARK: Markdown

    public static func markdown(_ diff: VersionDiff) -> String {
        let words = Presenter(language: diff.language)
        let names = words.sectionNames(diff.sections)
        var out = "### \(escape(title(diff, words)))\n\n"
        let notify = diff.counts[Impact.notify.rawValue] ?? 0
        if notify > 0 {
            out +=
                "**"
                + escape(
                    words.text(notify == 1 ? "report.notify.one" : "report.notify", String(notify), words.date(diff.to))
                ) + "**"
            out += diff.announced.map { escape(words.text("report.announced", words.date($0))) + ".\n\n" } ?? ".\n\n"
        } else {
            out += escape(words.text("report.no-notify")) + "\n\n"
        }
        if Presenter.notAnnounced(diff) { out += escape(words.text("report.not-announced")) + "\n\n" }
        out += "| \(words.text("report.table.impact")) | \(words.text("report.table.changes")) |\n|---|---:|\n"
        for impact in Impact.allCases {
            out += "| \(escape(words.impact(impact).title)) | \(diff.counts[impact.rawValue] ?? 0) |\n"
        }
        if let review = diff.counts["review"], review > 0 {
            out += "| \(escape(words.text("report.reviews"))) | \(review) |\n"
        }
        for impact in Impact.allCases {
            let records = diff.changes.filter { $0.impact == impact && !$0.kind.rawValue.hasPrefix("section-") }
            guard !records.isEmpty else { continue }
            let heading = words.impact(impact)
            out +=
                "\n#### \(words.text("report.impact.title", escape(heading.title), escape(heading.explanation)))\n\n"
            for record in records {
                out += "- \(escape(words.changeOnRecord(record, labels: diff.labels)))"
                if !record.categories.isEmpty {
                    out += " <sub>\(escape(words.text("report.data", categories(record, diff, words))))</sub>"
                }
                if let scope = record.scope {
                    out +=
                        " <sub>\(escape(words.text("report.scope", words.customers(scope, labels: diff.labels))))</sub>"
                }
                out += "\n"
            }
        }
        let reviews = diff.changes.filter { $0.review != nil }
        if !reviews.isEmpty {
            out += "\n#### \(escape(words.text("report.reviews")))\n\n"
            for record in reviews {
                let label = words.oneLine(
                    record.label.isEmpty ? words.text("section.opening") : words.naming(record, names).label)
                let review = words.review(record.review!, labels: diff.labels)
                out += "- " + words.text("report.review.markdown", escape(label), escape(review)) + "\n"
            }
        }
        if !diff.sections.isEmpty {
            let summary =
                diff.sections.count == 1
                ? words.text("report.wording.one") : words.text("report.wording", String(diff.sections.count))
            out += "\n<details><summary>\(escape(summary))</summary>\n\n"
            for section in diff.sections {
                let heading = names[section.id] ?? section.heading
                out += "**\(escape(heading))** (\(words.text("report.section.\(section.status.rawValue)"))"
                if let previous = section.previousHeading { out += ", \(escape(words.text("report.was", previous)))" }
                out += ")\n\n"
                if !section.redline.isEmpty {
                    out += redline(section.redline, moved: words.text("report.section.moved")) + "\n\n"
                }
            }
            out += "</details>\n"
        }
        return out
    }

    /// Deleted words struck through, inserted words in bold, unchanged runs shortened to their ends.
    static func redline(_ segments: [RedlineSegment], moved: String) -> String {
        var out = ""
        for (index, segment) in segments.enumerated() {
            if segment.text == "\n\n" {
                out += "\n\n"
                continue
            }
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
            case .moveFrom: piece = "~~\(text)~~<sup>\(moved)</sup>"
            case .moveTo: piece = "**\(text)**<sup>\(moved)</sup>"
            }
            if !out.isEmpty, !out.hasSuffix("\n") { out += " " }
            out += piece
        }
        return out
    }

    /// Markdown-escaped, on one line: a value with line breaks (an address) cannot break the report's layout.
    static func escape(_ text: String) -> String {
        // By Unicode scalar, not Character: a redline of megabytes is escaped in linear time without grapheme
        // breaking. Every character escaped or replaced is ASCII (or a line separator), so scalars suffice.
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": out.append(" ")
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "#":
                out.append("\\")
                out.append(scalar)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
