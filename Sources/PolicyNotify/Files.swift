import Crypto
import Foundation
import PolicyBase
import PolicyPresent

/// Where rendered bytes go: a file the driver opened. Rendering streams, so millions of recipients need no copy
/// of the whole output in memory.
public protocol ByteSink: AnyObject {
    func write(_ bytes: [UInt8]) throws
    /// Called once after the last write: a sink that stages bytes writes the rest here.
    func close() throws
}

extension ByteSink {
    public func close() throws {}
}

/// A sink that buffers and hashes (SHA-256) what passes through to another sink.
///
/// Hashing runs on the sink's own serial queue while the caller goes on rendering and merging, and writing on a
/// second one, so a chunk is written while the next is hashed (a direct write waits for the disk): the files of a
/// run are written side by side, each in order. At most 8 chunks wait, so memory stays bounded when the disk is
/// slower than the rendering.
final class HashingSink: @unchecked Sendable {
    let target: ByteSink
    private var buffer: [UInt8] = []
    private let queue = DispatchQueue(label: "policyc.notify.hash")
    private let writer = DispatchQueue(label: "policyc.notify.write")
    /// Chunks (about 1 MB each) queued and not yet hashed and written. Deep enough that the thread appending a group
    /// of rendered blocks (8 to a file) does not wait for the queue and can go on merging the next group; about
    /// 8 MB a file. (16 measured no faster, and 20 MB more at the peak.)
    private let slots = DispatchSemaphore(value: 8)
    /// Touched only on `queue`.
    private var hasher = SHA256()
    private let lock = NSLock()
    private var failure: Error?

    init(_ target: ByteSink) {
        self.target = target
        buffer.reserveCapacity(1 << 20)
    }

    func append(_ bytes: [UInt8]) throws {
        if buffer.isEmpty && bytes.count >= 1 << 20 {
            try enqueue(bytes)  // a rendered part is usually this large: no copy
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func append(_ text: String) throws { try append(Array(text.utf8)) }

    func flush() throws {
        guard !buffer.isEmpty else {
            if let failure = lock.withLock({ failure }) { throw failure }
            return
        }
        let chunk = buffer
        buffer = []
        buffer.reserveCapacity(1 << 20)
        try enqueue(chunk)
    }

    private func enqueue(_ chunk: [UInt8]) throws {
        if let failure = lock.withLock({ failure }) { throw failure }
        slots.wait()
        queue.async { [self] in
            hasher.update(data: chunk)
            writer.async { [self] in
                defer { slots.signal() }
                guard lock.withLock({ failure }) == nil else { return }
                do { try target.write(chunk) } catch { lock.withLock { failure = error } }
            }
        }
    }

    /// Waits for the queued writes; the SHA-256 of everything written, in hex.
    func finish() throws -> String {
        try flush()
        let digest = queue.sync { hasher.finalize() }
        writer.sync {}  // the hash queue has handed every chunk to the writer by now
        if let failure = lock.withLock({ failure }) { throw failure }
        try target.close()
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// SHA-256 in hex, for the ledger and report.
public enum Digest {
    public static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}

/// CSV cells as every CSV this command writes them: always quoted, quotes doubled; in the files meant for a
/// spreadsheet (`recipients.csv`, `rejects.csv`), a cell a spreadsheet would execute (starting with `=`, `+`, `-`,
/// `@`, tab or carriage return) is prefixed with an apostrophe (OWASP's advice), which a spreadsheet shows as text.
/// The mail-merge database is for the mail tool and keeps every value as given.
public enum CSVCell {
    public static func append(_ value: String, to out: inout [UInt8], neutralising: Bool = true) {
        out.append(0x22)
        if neutralising, let first = value.utf8.first, dangerous(first) { out.append(UInt8(ascii: "'")) }
        for byte in value.utf8 {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
    }

    public static func dangerous(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@")
            || byte == 0x09 || byte == 0x0D
    }

    /// One row. `neutralising` false writes every value as it is (quoted, quotes doubled): for a file that a mail tool
    /// reads, not a spreadsheet, where an apostrophe would be part of the customer's name.
    public static func row(_ values: [String], neutralising: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(value, to: &out, neutralising: neutralising)
        }
        out.append(contentsOf: [0x0D, 0x0A])
        return out
    }
}

/// JSON string escaping for the JSON Lines output (RFC 8259: quote, backslash and control characters).
enum JSONText {
    static func append(_ value: String, to out: inout [UInt8]) {
        var bytes = Array(value.utf8)
        bytes.withUnsafeMutableBufferPointer { append(bytes: UnsafeBufferPointer($0), to: &out) }
    }

    static func append(bytes value: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        for byte in value {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: Array(String(format: "\\u%04x", byte).utf8))
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}

/// The awdeorio/mailmerge 2.3 pair for one language (docs/notify.md).
///
/// The template is built from the notice's own words only. Everything about a customer stays in the database CSV
/// and reaches the message as a Jinja2 variable, whose value Jinja2 inserts as text and never evaluates: a name
/// `{{ 7*7 }}` is written as such. The TO header is `=?utf-8?b?NAME?= <ADDRESS>`: the name travels base64-encoded
/// (RFC 2047), so no comma, quote or line break in it can add a recipient or a header, and the address passed the
/// checks of `EmailAddress`. Column `change_i` holds the data of this customer's that change `i` concerns, in words
/// ("e-mailadres; en naam, adres en woonplaats"), and is empty when the change does not concern them: the template
/// holds the line about the change around it, and shows the line where the column is not empty.
public enum MailMerge {
    public struct Headers: Sendable {
        public var from: String
        public var replyTo: String?
        public init(from: String, replyTo: String?) {
            self.from = from
            self.replyTo = replyTo
        }
    }

    /// The database header: identifiers, as mailmerge needs, between the two columns that decide how the file is
    /// read (`dialectColumn` first, `paddingColumn` last).
    public static func databaseHeader(changes: Int) -> [String] {
        let names = [dialectColumn, "email", "to_name", "name"] + (0..<changes).map { "change_\($0 + 1)" }
        return names + [paddingColumn(after: names)]
    }

    /// The first column's name, with a quote that the file doubles. mailmerge guesses the CSV dialect from the first
    /// 1,024 characters (Python's `csv.Sniffer`): without a doubled quote there, it reads the file as one whose quotes
    /// are not doubled, and the first later name with a `"` splits into extra columns and stops the whole mail run.
    /// First, so that it is in that kilobyte however many change columns follow. Its cells are empty.
    public static let dialectColumn = #"quotes are "doubled""#

    static let paddingNote =
        "this column and the first stay empty: the long name of this one makes the first kilobyte of the file hold the header alone"

    /// The last column's name: long enough that the header row fills the first 1,024 characters, so the dialect is
    /// guessed from the header alone, never from customers' names (a name such as `x;"";"";""` in the first rows
    /// would make the sniffer take `;` for the delimiter). It holds no comma, quote or space at its ends, and is
    /// ASCII, so characters are bytes. Its cells are empty.
    static func paddingColumn(after names: [String]) -> String {
        // Each cell is quoted (2), its quotes doubled, and followed by a comma (1).
        let used = names.reduce(0) { $0 + $1.utf8.count + $1.utf8.filter { $0 == 0x22 }.count + 3 } + 2
        let wanted = max(0, firstKilobyte - used - paddingNote.utf8.count)
        return paddingNote + String(repeating: "_", count: wanted)
    }

    /// What mailmerge reads to guess the dialect.
    public static let firstKilobyte = 1_024

    /// One database row: the address, the name as given (and base64 for the TO header), and per change of the plan
    /// this customer's data it concerns in words (`NoticeText.changeData`), or "" when it does not concern them. Written with `CSVCell.row(_:neutralising:
    /// false)`.
    public static func databaseRow(address: String, name: String, data: [String]) -> [String] {
        let encodedName = name.isEmpty ? "" : Data(name.utf8).base64EncodedString()
        return ["", address, encodedName, name] + data + [""]
    }

    /// The template text. `notice.changes` must be in the plan's order (change_1 is the plan's first change).
    public static func template(_ notice: NoticeText, headers: Headers) -> String {
        var lines: [String] = []
        lines.append("TO: {% if to_name %}=?utf-8?b?{{ to_name }}?= {% endif %}<{{ email }}>")
        lines.append("SUBJECT: " + literal(encodedWord(notice.subject)))
        lines.append("FROM: " + literal(headers.from))
        if let replyTo = headers.replyTo { lines.append("REPLY-TO: " + literal(replyTo)) }
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: text/plain; charset=utf-8")
        lines.append("")
        lines.append(
            "{% if name %}" + literal(notice.greetingBeforeName) + "{{ name }}" + literal(notice.greetingAfterName)
                + "{% else %}" + literal(notice.greetingWithoutName) + "{% endif %}")
        lines.append("")
        lines.append(literal(notice.intro))
        lines.append("")
        var list = ""
        for index in notice.changes.indices {
            let column = "change_\(index + 1)"
            let parts = notice.changeParts(index)
            let line = literal(flat(parts.before)) + (parts.after.map { "{{ \(column) }}" + literal(flat($0)) } ?? "")
            list += "{% if \(column) %}- \(line)\n{% endif %}"
        }
        lines.append(list)
        lines.append(literal(notice.effective))
        if !notice.links.isEmpty {
            lines.append("")
            lines += notice.links.map(literal)
        }
        lines.append("")
        lines.append(literal(notice.object))
        lines.append(literal(notice.questions))
        lines.append("")
        lines.append(literal(notice.closing))
        lines.append(literal(notice.signature))
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line of the message: a policy's text may hold a line break.
    static func flat(_ text: String) -> String {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Text that Jinja2 prints as is: every `{` becomes the expression `{{ '{' }}`, so no `{{`, `{%` or `{#` in a
    /// policy's words can open a tag.
    static func literal(_ text: String) -> String {
        text.replacingOccurrences(of: "{", with: "{{ '{' }}")
    }

    /// A header value as an RFC 2047 encoded word when it is not plain ASCII.
    static func encodedWord(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x80 || $0 < 0x20 }) else { return text }
        return "=?utf-8?b?" + Data(text.utf8).base64EncodedString() + "?="
    }
}
