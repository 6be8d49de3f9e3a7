import Foundation
import NotifyCore
import PolicyBase
import PolicyModel

/// Reads a shop's customer export (CSV) as a stream of customers for `policyc notify`.
///
/// Written by hand on bytes rather than with SwiftCSV or CSV.swift (yaslab), both on this machine: SwiftCSV reads
/// the whole file into one String and builds a dictionary per row, and CSV.swift decodes through
/// `Character`/`Unicode.Scalar` iterators row by row; neither can split a file into chunks that parse on both cores,
/// and neither gives the row number of a record that holds quoted line breaks, which every error here must name.
/// Measured figures are in docs/performance.md.
///
/// The file is read in blocks. A quote-aware scan finds where records end (line breaks outside quotes), the
/// records are cut into chunks of a few megabytes, and the chunks are parsed (and handed to selection's per-row
/// work) in parallel; the results are consumed in input order. Memory stays at a few blocks whatever the size.
public struct CSVCustomerSource: CustomerSource {
    public let path: String
    public let settings: NotifySettings
    /// Called now and then with the bytes read so far and the file size, for a progress line.
    public var progress: (@Sendable (Int, Int) -> Void)?
    /// Bytes read from the file at a time, and the size of a chunk parsed on one core.
    public var blockSize = 8 << 20
    public var chunkSize = 1 << 20
    /// The longest record read before an unclosed quote is reported (a quoted field may hold line breaks, so only
    /// the length tells a runaway quote from a long record).
    public var recordLimit = 64 << 20

    public init(path: String, settings: NotifySettings) {
        self.path = path
        self.settings = settings
    }

    /// Which column of the file holds each thing read; -1 when absent.
    /// The file size over 64 bytes: more rows than most exports have, so the room reserved is rarely outgrown. Nil
    /// when the path is not a regular file (a pipe, `/dev/stdin`, a process substitution), whose size says nothing.
    public var estimatedCount: Int? {
        // stat(2) follows a symbolic link to the file (FileManager's attributes describe the link itself).
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_size) / 64
    }

    struct Layout: Sendable {
        var delimiter: UInt8
        var columns: Int
        var email = -1, name = -1, language = -1, collected = -1, categories = -1, status = -1
        /// The columns a name is joined from, in the mapping's order, when it names several; `name` is then -1.
        var nameParts: [Int] = []
        var services = -1, region = -1
        var derive: [(column: Int, when: NotifySettings.Derivation.Condition, mask: UInt64)] = []
        var headers: [String]
        var categoriesKnown: Bool { categories >= 0 || !derive.isEmpty }
    }

    public func read<Prepared: Sendable>(
        vocabulary: Vocabulary, prepare: @escaping @Sendable (CustomerBatch) -> Prepared,
        consume: (Prepared) throws -> Void
    ) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SourceError("\(path): cannot read the customer export")
        }
        defer { try? handle.close() }
        var reader = BlockReader(
            descriptor: handle.fileDescriptor, path: path, blockSize: blockSize, progress: progress,
            total: (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        let (layout, buffer, start) = try readHeader(&reader, vocabulary: vocabulary)
        let context = ParseContext(path: path, layout: layout, vocabulary: vocabulary, settings: settings)
        var nextRow = 2
        var pending: [Result<Prepared, SourceError>] = []
        var current = try cut(buffer, from: start, firstRow: nextRow, final: reader.eof)
        while true {
            // Parse this block's chunks on the worker threads while this thread merges the previous block's, reads
            // the next and cuts it into chunks: all three are sequential, so overlapping them with the parsing keeps
            // both cores busy, and the next block's chunks are ready the moment the workers are. Results are still
            // consumed in order.
            let parsed = Box<[Result<Prepared, SourceError>]>([])
            let group = DispatchGroup()
            if !current.chunks.isEmpty {
                let shared = current.buffer
                let work = current.chunks
                group.enter()
                DispatchQueue.global().async {
                    parsed.value = work.concurrentMap { chunk -> Result<Prepared, SourceError> in
                        shared.withUnsafeBufferPointer { bytes in context.parse(bytes, chunk).map(prepare) }
                    }
                    group.leave()
                }
            }
            do {
                for result in pending { try consume(result.get()) }
                pending = []
            } catch {
                group.wait()
                throw error
            }
            var next: Block?
            var laterProblem: Error?
            if !current.final {
                // The unfinished record and the next block, in a new buffer: the workers still read this one.
                do {
                    let filled = try reader.fill(after: current.buffer, from: current.end)
                    next = try cut(filled, from: 0, firstRow: nextRow + current.rows, final: reader.eof)
                } catch {
                    laterProblem = error
                }
            }
            group.wait()
            pending = parsed.value
            nextRow += current.rows
            if let laterProblem {
                // A problem in this block's rows comes first in the file: report it rather than the next block's.
                for result in pending { try consume(result.get()) }
                throw laterProblem
            }
            guard let following = next else {
                for result in pending { try consume(result.get()) }
                break
            }
            current = following
        }
    }

    /// Reads until the header row is whole and reads it; returns its layout, the buffer and where the rows start.
    func readHeader(_ reader: inout BlockReader, vocabulary: Vocabulary) throws -> (Layout, [UInt8], Int) {
        var buffer = try reader.fill(after: [], from: 0)
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
        var headerEnd: Int?
        while true {
            headerEnd = Self.recordEnd(buffer, from: 0)
            if headerEnd != nil || reader.eof { break }
            buffer = try reader.fill(after: buffer, from: 0)
        }
        guard !buffer.isEmpty else { throw SourceError("\(path): the customer export is empty; it needs a header row") }
        let layout = try header(Array(buffer[0..<(headerEnd ?? buffer.count)]), vocabulary: vocabulary)
        return (layout, buffer, min(buffer.count, (headerEnd ?? buffer.count) + 1))
    }

    /// Cuts the complete records of `buffer` from `start` into chunks whose first row is `firstRow`. `final`: the
    /// buffer ends with the file, so what is left after the last line feed is the last record.
    func cut(_ buffer: [UInt8], from start: Int, firstRow: Int, final: Bool) throws -> Block {
        var block = Block(buffer: buffer, final: final, end: start)
        var chunkStart = start
        var chunkRow = firstRow
        Self.scanRecords(buffer, from: start) { end in
            block.rows += 1
            let position = end + 1
            if position - chunkStart >= chunkSize {
                block.chunks.append(Chunk(start: chunkStart, end: position, firstRow: chunkRow))
                chunkRow = firstRow + block.rows
                chunkStart = position
            }
            block.end = position
        }
        if block.chunks.isEmpty && block.end == start && !final && buffer.count - start > recordLimit {
            throw SourceError(Self.overlongRecord(buffer, from: start, row: firstRow, limit: recordLimit, path: path))
        }
        if final && block.end < buffer.count {
            // Whatever is left is the last record (without a final line break) or an unclosed quote.
            block.end = buffer.count
            block.rows += 1
        }
        if chunkStart < block.end { block.chunks.append(Chunk(start: chunkStart, end: block.end, firstRow: chunkRow)) }
        return block
    }

    /// Reads the export a block at a time, with read(2) straight into each new buffer.
    struct BlockReader {
        let descriptor: Int32
        let path: String
        let blockSize: Int
        let progress: (@Sendable (Int, Int) -> Void)?
        let total: Int
        /// Set when the file has no more.
        var eof = false
        var readBytes = 0

        /// The bytes after `leftover`'s `from` (an unfinished record), then up to a block of the file.
        mutating func fill(after leftover: [UInt8], from: Int) throws -> [UInt8] {
            let kept = leftover.count - from
            guard !eof else { return Array(leftover[from...]) }
            let (descriptor, blockSize, path) = (self.descriptor, self.blockSize, self.path)
            var got = 0
            let bytes = try [UInt8](unsafeUninitializedCapacity: kept + blockSize) { buffer, initialized in
                let base = buffer.baseAddress!
                leftover.withUnsafeBufferPointer { old in
                    if kept > 0 { base.initialize(from: old.baseAddress! + from, count: kept) }
                }
                initialized = kept
                while got < blockSize {
                    let count = Foundation.read(descriptor, base + kept + got, blockSize - got)
                    if count < 0 && errno == EINTR { continue }
                    if count < 0 {
                        throw SourceError(
                            "\(path): cannot read the customer export: \(String(cString: strerror(errno)))")
                    }
                    if count == 0 { break }
                    got += count
                    initialized = kept + got
                }
            }
            if got == 0 { eof = true }
            readBytes += got
            progress?(readBytes, total)
            return bytes
        }
    }

    /// A buffer of the file cut into chunks of complete records.
    struct Block {
        var buffer: [UInt8]
        var final: Bool
        /// Where the last complete record ends (the unfinished one after it goes to the next buffer).
        var end: Int
        var rows = 0
        var chunks: [Chunk] = []
    }

    struct Chunk: Sendable {
        var start: Int
        var end: Int
        var firstRow: Int
    }

    /// The end (index of the line feed) of the record starting at `from`, or nil when the buffer holds no end yet.
    static func recordEnd(_ buffer: [UInt8], from: Int) -> Int? {
        var quoted = false
        for index in from..<buffer.count {
            if buffer[index] == 0x22 { quoted.toggle() } else if buffer[index] == 0x0A && !quoted { return index }
        }
        return nil
    }

    /// Calls `body` with the index of each line feed that ends a record (outside quotes), in order, until the buffer
    /// ends. A quote toggles the state; an escaped quote (`""`) toggles it twice, so this agrees with RFC 4180.
    @discardableResult
    static func scanRecords(_ buffer: [UInt8], from: Int, _ body: (Int) -> Void) -> Int {
        buffer.withUnsafeBufferPointer { bytes in
            var quoted = false
            var index = from
            let count = bytes.count
            guard let base = bytes.baseAddress else { return 0 }
            while index < count {
                let byte = base[index]
                if byte == 0x22 { quoted.toggle() } else if byte == 0x0A && !quoted { body(index) }
                index += 1
            }
            return index
        }
    }

    /// The message for a record with no end within the limit: a quote left open (it swallows every later row), or a
    /// record that is simply that long.
    static func overlongRecord(_ buffer: [UInt8], from start: Int, row: Int, limit: Int, path: String) -> String {
        let size = limit >= 1 << 20 ? "\(limit >> 20) MB" : "\(limit) bytes"
        let open = buffer[start...].reduce(false) { quoted, byte in byte == 0x22 ? !quoted : quoted }
        let message =
            "\(path): row \(row): the record is longer than \(size), the limit for one record (docs/notify.md)"
        guard open else { return message }
        return message
            + ", and a quoted field that opens in it is still open there: a quote that is never closed takes in every later row"
    }

    /// Reads the header row: finds the delimiter and the columns of the mapping.
    func header(_ bytes: [UInt8], vocabulary: Vocabulary) throws -> Layout {
        var line = bytes
        if line.last == 0x0D { line.removeLast() }
        let delimiter = settings.delimiter?.byte ?? Self.detectDelimiter(line)
        let headers = try headerNames(line, delimiter: delimiter)
        var layout = Layout(delimiter: delimiter, columns: headers.count, headers: headers)
        func find(_ column: NotifySettings.Column, header: String? = nil) throws -> Int {
            let wanted = header ?? settings.columns[column]
            let matches = headers.indices.filter { headers[$0].caseInsensitiveCompare(wanted) == .orderedSame }
            if matches.count > 1 {
                throw SourceError(
                    "\(path): row 1: the column '\(wanted)' appears \(matches.count) times (columns \(matches.map { String($0 + 1) }.joined(separator: ", "))); rename all but one"
                )
            }
            if let found = matches.first { return found }
            if column == .email || settings.namedColumns.contains(column) {
                let what =
                    column == .email ? "the email address, required" : "named in the notify columns of policyc.yaml"
                throw SourceError(
                    "\(path): row 1: no column '\(wanted)' (\(what)); the columns are \(headers.map { "'\($0)'" }.joined(separator: ", "))"
                )
            }
            return -1
        }
        layout.email = try find(.email)
        if settings.columns.nameParts.isEmpty {
            layout.name = try find(.name)
        } else {
            for header in settings.columns.nameParts { layout.nameParts.append(try find(.name, header: header)) }
        }
        layout.language = try find(.language)
        layout.collected = try find(.collected)
        layout.categories = try find(.categories)
        layout.status = try find(.status)
        layout.services = try find(.services)
        layout.region = try find(.region)
        var unknown = Set<String>()
        for rule in settings.derive {
            guard let column = headers.firstIndex(where: { $0.caseInsensitiveCompare(rule.column) == .orderedSame })
            else {
                throw SourceError(
                    "\(path): row 1: no column '\(rule.column)' (named in a derive rule of policyc.yaml); the columns are \(headers.map { "'\($0)'" }.joined(separator: ", "))"
                )
            }
            var mask: UInt64 = 0
            for id in rule.categories {
                if let bit = vocabulary.bit(ofCategory: id) { mask |= bit } else { unknown.insert(id) }
            }
            layout.derive.append((column, rule.when, mask))
        }
        if !unknown.isEmpty {
            throw SourceError("\(path): \(UnknownCategories.message(unknown, source: "the derive rules"))")
        }
        return layout
    }

    /// The separator that occurs more often outside quotes in the header row; a comma on a tie (a single column).
    static func detectDelimiter(_ line: [UInt8]) -> UInt8 {
        var quoted = false
        var commas = 0
        var semicolons = 0
        var tabs = 0
        for byte in line {
            if byte == 0x22 {
                quoted.toggle()
            } else if !quoted && byte == UInt8(ascii: ",") {
                commas += 1
            } else if !quoted && byte == UInt8(ascii: ";") {
                semicolons += 1
            } else if !quoted && byte == 9 {
                tabs += 1
            }
        }
        if semicolons > commas && semicolons >= tabs { return UInt8(ascii: ";") }
        return tabs > commas && tabs > semicolons ? 9 : UInt8(ascii: ",")
    }

    /// The column names of the header row, unquoted and trimmed.
    func headerNames(_ line: [UInt8], delimiter: UInt8) throws -> [String] {
        var headers: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var index = 0
        while index <= line.count {
            let byte: UInt8? = index < line.count ? line[index] : nil
            if quoted {
                if byte == nil {
                    throw SourceError("\(path): row 1, column \(headers.count + 1): a quoted field is not closed")
                }
                if byte == 0x22 {
                    if index + 1 < line.count && line[index + 1] == 0x22 {
                        field.append(0x22)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte!)
                }
            } else if byte == nil || byte == delimiter {
                guard let text = decode(field) else {
                    throw SourceError(
                        "\(path): row 1, column \(headers.count + 1): bytes that are not UTF-8; set 'encoding' in the notify settings of policyc.yaml (for example windows-1252)"
                    )
                }
                headers.append(text.trimmingCharacters(in: .whitespaces))
                field = []
            } else if byte == 0x22 && field.isEmpty {
                quoted = true
            } else {
                field.append(byte!)
            }
            index += 1
        }
        return headers
    }

    func decode(_ bytes: [UInt8]) -> String? {
        switch settings.encoding {
        case .utf8: return String(validating: bytes, as: UTF8.self)
        case .windows1252:
            var out: [UInt8] = []
            bytes.withUnsafeBufferPointer { Windows1252.transcode($0, into: &out) }
            return String(decoding: out, as: UTF8.self)
        }
    }
}

/// A value handed from a worker thread back to the reader, after the worker's group has finished.
final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// What one chunk's parse needs; shared by the parallel workers, read only.
struct ParseContext: @unchecked Sendable {
    let path: String
    let layout: CSVCustomerSource.Layout
    let vocabulary: Vocabulary
    let settings: NotifySettings

    func fail(_ row: Int, _ column: Int, _ message: String) -> SourceError {
        let header = column < layout.headers.count ? " ('\(layout.headers[column])')" : ""
        return SourceError("\(path): row \(row), column \(column + 1)\(header): \(message)")
    }

    /// Reads a quoted field from its opening quote, unescaping it into `field`; the problem, if any.
    @inline(__always)
    static func readQuoted(
        _ base: UnsafePointer<UInt8>, _ position: inout Int, end: Int, delimiter: UInt8,
        into field: inout [UInt8]
    ) -> String? {
        field.removeAll(keepingCapacity: true)
        position += 1
        var closed = false
        while position < end {
            let byte = base[position]
            if byte == 0x22 {
                if position + 1 < end && base[position + 1] == 0x22 {
                    field.append(0x22)
                    position += 2
                    continue
                }
                position += 1
                closed = true
                break
            }
            field.append(byte)
            position += 1
        }
        if !closed { return "a quoted field is not closed" }
        if position < end, base[position] == 0x0D, position + 1 < end, base[position + 1] == 0x0A { position += 1 }
        if position < end && base[position] != delimiter && base[position] != 0x0A {
            return "text after the closing quote of a quoted field"
        }
        return nil
    }

    struct FieldProblem: Error {
        var message: String
    }

    /// Reads an unquoted field where it is: its range, without a carriage return before the line feed.
    @inline(__always)
    static func readUnquoted(_ base: UnsafePointer<UInt8>, _ position: inout Int, end: Int, delimiter: UInt8)
        -> Result<Range<Int>, FieldProblem>
    {
        let start = position
        while position < end {
            let byte = base[position]
            if byte == delimiter || byte == 0x0A { break }
            if byte == 0x22 {
                return .failure(
                    FieldProblem(
                        message: "a quote inside an unquoted field; quote the whole field and double the quote"))
            }
            position += 1
        }
        var stop = position
        if stop > start && base[stop - 1] == 0x0D && (position >= end || base[position] == 0x0A) { stop -= 1 }
        return .success(start..<stop)
    }

    /// Parses the records of one chunk into a batch. The first problem stops it.
    func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ chunk: CSVCustomerSource.Chunk) -> Result<
        CustomerBatch, SourceError
    > {
        var batch = CustomerBatch(categoriesKnown: layout.categoriesKnown)
        batch.bytes.reserveCapacity((chunk.end - chunk.start) / 2)
        batch.entries.reserveCapacity((chunk.end - chunk.start) / 64)
        let delimiter = layout.delimiter
        let columnCount = layout.columns
        let base = bytes.baseAddress!
        var position = chunk.start
        let end = chunk.end
        var row = chunk.firstRow
        var field: [UInt8] = []
        field.reserveCapacity(256)
        let windows = settings.encoding == .windows1252
        var converted: [UInt8] = []
        var fields = RowFields()
        fields.nameParts = Array(repeating: [], count: layout.nameParts.count)

        while position < end {
            // A blank line is no record (but keeps its row number, as a spreadsheet shows it).
            if base[position] == 0x0A {
                position += 1
                row += 1
                continue
            }
            if base[position] == 0x0D && position + 1 < end && base[position + 1] == 0x0A {
                position += 2
                row += 1
                continue
            }
            fields.startRow()
            var rowEnded = false
            while !rowEnded {
                // One field: into `field` (unquoted and escaped), then checked and used.
                // An unquoted field (the usual case) is read where it is; a quoted one is unescaped into `field`.
                var unquoted: Range<Int>? = nil
                if position < end && base[position] == 0x22 {
                    if let problem = Self.readQuoted(base, &position, end: end, delimiter: delimiter, into: &field) {
                        return .failure(fail(row, fields.column, problem))
                    }
                } else {
                    switch Self.readUnquoted(base, &position, end: end, delimiter: delimiter) {
                    case .success(let range): unquoted = range
                    case .failure(let problem): return .failure(fail(row, fields.column, problem.message))
                    }
                }
                if position >= end || base[position] == 0x0A { rowEnded = true }
                position += 1
                if fields.column >= columnCount {
                    return .failure(
                        fail(
                            row, fields.column,
                            "a field beyond the header's \(columnCount) columns; quote fields that contain the delimiter"
                        ))
                }
                // Encoding, then use.
                let problem: SourceError?
                if let range = unquoted {
                    problem = use(
                        UnsafeBufferPointer(start: base + range.lowerBound, count: range.count), row: row,
                        windows: windows,
                        fields: &fields, batch: &batch, converted: &converted)
                } else {
                    problem = field.withUnsafeBufferPointer {
                        use($0, row: row, windows: windows, fields: &fields, batch: &batch, converted: &converted)
                    }
                }
                if let problem { return .failure(problem) }
                fields.column += 1
            }
            if let problem = finish(fields, row: row, into: &batch) { return .failure(problem) }
            row += 1
        }
        return .success(batch)
    }

    /// A row whose fields are all read: complete, with known categories, then kept.
    func finish(_ fields: RowFields, row: Int, into batch: inout CustomerBatch) -> SourceError? {
        let column = fields.column
        let columnCount = layout.columns
        if column < columnCount {
            return
                (fail(
                    row, column,
                    "missing: the row has \(column) field\(column == 1 ? "" : "s"), the header \(columnCount)"))
        }
        if !fields.unknown.isEmpty {
            return
                (SourceError(
                    "\(path): row \(fields.unknownRow), column \(layout.categories + 1) ('\(layout.headers[layout.categories])'): \(UnknownCategories.message(fields.unknown, source: "the export"))"
                ))
        }
        let name =
            layout.nameParts.isEmpty ? fields.name : ParseContext.joinName(fields.nameParts, into: &batch.bytes)
        batch.entries.append(
            CustomerBatch.Entry(
                row: row, email: fields.email, name: name, language: fields.language,
                collected: fields.collected, categories: fields.categories, status: fields.status,
                services: fields.services, regions: fields.regions))
        return nil
    }

    /// The fields of the row being read, as `use` fills them in. (Local variables captured by nested functions, until
    /// this round: the compiler boxed them and checked exclusive access at run time on every field.)
    struct RowFields {
        var column = 0
        var email = 0..<0, name = 0..<0
        var language: UInt8 = 0
        var collected: Int32? = nil
        var categories: UInt64 = 0
        var status = CustomerStatus.active
        /// The cells of the columns a name is joined from (`Layout.nameParts`), in the mapping's order.
        var nameParts: [[UInt8]] = []
        var services = CustomerScope.unknown
        var regions = CustomerScope.unknown
        /// Category ids the policy does not know, and the first row that had one.
        var unknown = Set<String>()
        var unknownRow = 0

        mutating func startRow() {
            column = 0
            email = 0..<0
            name = 0..<0
            language = 0
            collected = nil
            categories = 0
            status = .active
            for part in nameParts.indices { nameParts[part].removeAll(keepingCapacity: true) }
            services = CustomerScope.unknown
            regions = CustomerScope.unknown
        }
    }

    /// Checks the encoding of one field of column `fields.column` in row `row` and takes what the mapping wants from it.
    func use(
        _ raw: UnsafeBufferPointer<UInt8>, row: Int, windows: Bool, fields: inout RowFields, batch: inout CustomerBatch,
        converted: inout [UInt8]
    ) -> SourceError? {
        if windows {
            if raw.contains(where: { $0 >= 0x80 }) {
                converted.removeAll(keepingCapacity: true)
                Windows1252.transcode(raw, into: &converted)
                return converted.withUnsafeBufferPointer { take($0, row: row, fields: &fields, batch: &batch) }
            }
        } else if !UTF8Check.isValid(raw) {
            return fail(
                row, fields.column,
                "bytes that are not UTF-8; set 'encoding' in the notify settings of policyc.yaml (for example windows-1252)"
            )
        }
        return take(raw, row: row, fields: &fields, batch: &batch)
    }

    func take(_ field: UnsafeBufferPointer<UInt8>, row: Int, fields: inout RowFields, batch: inout CustomerBatch)
        -> SourceError?
    {
        let column = fields.column
        if column == layout.email {
            let start = batch.bytes.count
            batch.bytes.append(contentsOf: field)
            fields.email = start..<batch.bytes.count
        } else if column == layout.name {
            let start = batch.bytes.count
            batch.bytes.append(contentsOf: field)
            fields.name = start..<batch.bytes.count
        } else if column == layout.language {
            fields.language = vocabulary.languageIndex(field)
        } else if column == layout.collected {
            switch DateParser.parse(field, format: settings.dateFormat) {
            case .empty: fields.collected = nil
            case .day(let day): fields.collected = day
            case .invalid:
                return fail(
                    row, column,
                    "not a date in the format \(settings.dateFormat.rawValue); set 'date-format' in the notify settings of policyc.yaml"
                )
            }
        } else if column == layout.categories {
            var index = 0
            while index <= field.count {
                var stop = index
                while stop < field.count && field[stop] != UInt8(ascii: "|") { stop += 1 }
                var a = index
                var b = stop
                while a < b && (field[a] == 0x20 || field[a] == 0x09) { a += 1 }
                while b > a && (field[b - 1] == 0x20 || field[b - 1] == 0x09) { b -= 1 }
                if a < b {
                    let id = UnsafeBufferPointer(rebasing: field[a..<b])
                    if let bit = vocabulary.bit(ofCategory: id) {
                        fields.categories |= bit
                    } else {
                        if fields.unknown.isEmpty { fields.unknownRow = row }
                        if fields.unknown.count < 1000 { fields.unknown.insert(String(decoding: id, as: UTF8.self)) }
                    }
                }
                index = stop + 1
            }
        } else if column == layout.services {
            if let problem = CustomerScopeColumns.services(field, vocabulary: vocabulary, into: &fields.services) {
                return fail(row, column, problem)
            }
        } else if column == layout.region {
            if let problem = CustomerScopeColumns.region(field, vocabulary: vocabulary, into: &fields.regions) {
                return fail(row, column, problem)
            }
        } else if column == layout.status {
            guard let value = StatusParser.parse(field) else {
                return fail(
                    row, column,
                    "unknown status; use active, erased, objected or restricted (or leave it empty for active)")
            }
            fields.status = value
        }
        for rule in layout.derive where rule.column == column {
            if Derive.holds(field, rule.when) { fields.categories |= rule.mask }
        }
        for (part, partColumn) in layout.nameParts.enumerated() where partColumn == column {
            fields.nameParts[part].removeAll(keepingCapacity: true)
            fields.nameParts[part].append(contentsOf: field)
        }
        return nil
    }

    /// A name mapped from several columns: their cells in the mapping's order, each without the spaces and tabs
    /// around it, joined with one space; empty cells are skipped, so a missing first name leaves no leading space.
    static func joinName(_ parts: [[UInt8]], into bytes: inout [UInt8]) -> Range<Int> {
        let start = bytes.count
        for part in parts {
            var a = 0
            var b = part.count
            while a < b && (part[a] == 0x20 || part[a] == 0x09) { a += 1 }
            while b > a && (part[b - 1] == 0x20 || part[b - 1] == 0x09) { b -= 1 }
            guard a < b else { continue }
            if bytes.count > start { bytes.append(0x20) }
            bytes.append(contentsOf: part[a..<b])
        }
        return start..<bytes.count
    }
}

enum StatusParser {
    static let names = CustomerStatus.allCases.map { (Array($0.name.utf8), $0) }

    static func parse(_ field: UnsafeBufferPointer<UInt8>) -> CustomerStatus? {
        var a = 0
        var b = field.count
        while a < b && (field[a] == 0x20 || field[a] == 0x09) { a += 1 }
        while b > a && (field[b - 1] == 0x20 || field[b - 1] == 0x09) { b -= 1 }
        if a == b { return .active }
        // Compared case-insensitively without building a lowered copy.
        for (name, status) in names where name.count == b - a {
            var equal = true
            for offset in 0..<name.count {
                let byte = field[a + offset]
                if (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != name[offset] {
                    equal = false
                    break
                }
            }
            if equal { return status }
        }
        return nil
    }
}

enum Derive {
    /// Non-empty: any character but spaces. Non-zero: also not a zero (`0`, `0,00`, `-0.0`) nor a no (`nee`, `no`,
    /// `false`, `n`).
    static func holds(_ field: UnsafeBufferPointer<UInt8>, _ condition: NotifySettings.Derivation.Condition) -> Bool {
        var a = 0
        var b = field.count
        while a < b && (field[a] == 0x20 || field[a] == 0x09) { a += 1 }
        while b > a && (field[b - 1] == 0x20 || field[b - 1] == 0x09) { b -= 1 }
        guard a < b else { return false }
        if condition == .nonEmpty { return true }
        let value = field[a..<b]
        if value.allSatisfy({
            $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "-")
                || $0 == UInt8(ascii: "+")
        }) {
            return false
        }
        let lower = String(decoding: value, as: UTF8.self).lowercased()
        return !["nee", "no", "false", "n", "nul"].contains(lower)
    }
}

enum DateParser {
    enum Parsed {
        case empty
        case day(Int32)
        case invalid
    }

    /// ISO `YYYY-MM-DD` (a time after it, `T…` or ` …`, is ignored), or `dd-mm-yyyy` / `dd/mm/yyyy` with one or two
    /// digits for day and month.
    static func parse(_ field: UnsafeBufferPointer<UInt8>, format: NotifySettings.DateFormat) -> Parsed {
        var a = 0
        var b = field.count
        while a < b && (field[a] == 0x20 || field[a] == 0x09) { a += 1 }
        while b > a && (field[b - 1] == 0x20 || field[b - 1] == 0x09) { b -= 1 }
        if a == b { return .empty }
        var numbers = InlineNumbers()
        var current = -1
        var digits = 0
        let separator: UInt8 = format == .dayMonthYearSlash ? UInt8(ascii: "/") : UInt8(ascii: "-")
        var index = a
        while index < b {
            let byte = field[index]
            if byte >= 0x30 && byte <= 0x39 {
                current = (current < 0 ? 0 : current) * 10 + Int(byte - 0x30)
                digits += 1
                if digits > 4 { return .invalid }
            } else if byte == separator && numbers.count < 2 && current >= 0 {
                numbers.append(current)
                current = -1
                digits = 0
            } else if format == .iso && numbers.count == 2 && (byte == UInt8(ascii: "T") || byte == 0x20) {
                break
            } else {
                return .invalid
            }
            index += 1
        }
        guard current >= 0 else { return .invalid }
        numbers.append(current)
        guard numbers.count == 3 else { return .invalid }
        let (year, month, day) =
            format == .iso ? (numbers[0], numbers[1], numbers[2]) : (numbers[2], numbers[1], numbers[0])
        guard year >= 1000, let date = CalendarDate(year: year, month: month, day: day) else { return .invalid }
        return .day(Int32(date.daysSinceEpoch))
    }
}

/// Up to three numbers without an allocation (a date's parts).
struct InlineNumbers {
    private var values = (0, 0, 0)
    private(set) var count = 0

    mutating func append(_ value: Int) {
        switch count {
        case 0: values.0 = value
        case 1: values.1 = value
        default: values.2 = value
        }
        count = min(count + 1, 3)
    }

    subscript(_ index: Int) -> Int { index == 0 ? values.0 : index == 1 ? values.1 : values.2 }
}

enum UTF8Check {
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var ascii = true
        for byte in bytes where byte >= 0x80 {
            ascii = false
            break
        }
        if ascii { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }
}

/// Windows-1252 to UTF-8. The five undefined bytes (81, 8D, 8F, 90, 9D) map to the C1 controls of the same
/// value, as the WHATWG encoding standard does.
enum Windows1252 {
    static let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,
        0x017E, 0x0178,
    ]

    static func transcode(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        for byte in bytes {
            if byte < 0x80 {
                out.append(byte)
                continue
            }
            let scalar = byte < 0xA0 ? high[Int(byte - 0x80)] : UInt32(byte)
            var encoded = String(Unicode.Scalar(scalar)!).utf8.makeIterator()
            while let next = encoded.next() { out.append(next) }
        }
    }
}
