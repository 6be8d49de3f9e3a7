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

/// CSV cells as every CSV this command writes them: always quoted (so mailmerge's dialect sniffer cannot mistake a
/// comma or semicolon in a name for the delimiter), quotes doubled, and a cell a spreadsheet would execute
/// (starting with `=`, `+`, `-`, `@`, tab or carriage return) prefixed with an apostrophe (OWASP's advice), which a
/// spreadsheet shows as text.
public enum CSVCell {
    public static func append(_ value: String, to out: inout [UInt8]) {
        out.append(0x22)
        if let first = value.utf8.first, dangerous(first) { out.append(UInt8(ascii: "'")) }
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

    public static func row(_ values: [String]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(value, to: &out)
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
/// checks of `EmailAddress`. Change `i` is shown when the column `change_i` is not empty.
public enum MailMerge {
    public struct Headers: Sendable {
        public var from: String
        public var replyTo: String?
        public init(from: String, replyTo: String?) {
            self.from = from
            self.replyTo = replyTo
        }
    }

    /// The database header: identifiers, as mailmerge needs.
    public static func databaseHeader(changes: Int) -> [String] {
        ["email", "to_name", "name"] + (0..<changes).map { "change_\($0 + 1)" } + [dialectColumn]
    }

    /// The last column's name, with a quote that the file doubles. mailmerge guesses the CSV dialect from the first
    /// 1,024 bytes (Python's `csv.Sniffer`): without a doubled quote there, it reads the file as one whose quotes are
    /// not doubled, and the first later name with a `"` splits into extra columns and stops the whole mail run. The
    /// header row is always within the first kilobyte, so this column makes every file read right. Its cells are
    /// empty and no template uses it.
    public static let dialectColumn = #"quotes are "doubled""#

    /// One database row: `changes` are indices into the plan's changes (0-based).
    public static func databaseRow(_ recipient: Selection.Recipient, changes: Int) -> [String] {
        let encodedName = recipient.name.isEmpty ? "" : Data(recipient.name.utf8).base64EncodedString()
        var row = [recipient.address, encodedName, recipient.name]
        let set = Set(recipient.changes)
        for index in 0..<changes { row.append(set.contains(index) ? "x" : "") }
        row.append("")
        return row
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
        for (index, change) in notice.changes.enumerated() {
            list +=
                "{% if change_\(index + 1) %}- " + literal(change.text.replacingOccurrences(of: "\n", with: " "))
                + "\n{% endif %}"
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
