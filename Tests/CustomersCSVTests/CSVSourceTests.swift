import Foundation
import PolicyModel
import PolicyNotify
import Testing

@testable import CustomersCSV

/// A row as read, in words, for comparisons.
struct Read: Equatable, CustomStringConvertible {
    var row: Int
    var email: String
    var name: String
    var language: UInt8
    var collected: String?
    var categories: [String]
    var status: CustomerStatus
    var description: String {
        "\(row) \(email)|\(name)|\(language)|\(collected ?? "-")|\(categories.joined(separator: "+"))|\(status.name)"
    }
}

let vocabulary = Vocabulary(categories: ["email", "order", "payment", "invoices"], languages: ["en", "nl"])

/// Reads `bytes` as a customer export with `settings`, in chunks of `chunkSize` bytes (small, to cut records across
/// chunk and block borders), and returns the rows as read and whether categories were known.
func readCSV(
    _ bytes: [UInt8], settings: NotifySettings = NotifySettings(), chunkSize: Int = 1 << 20, blockSize: Int = 16 << 20,
    recordLimit: Int = 64 << 20
) throws -> (rows: [String], known: Bool) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("customers-\(UUID().uuidString).csv")
    try Data(bytes).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    var source = CSVCustomerSource(path: url.path, settings: settings)
    source.chunkSize = chunkSize
    source.blockSize = blockSize
    source.recordLimit = recordLimit
    var rows: [String] = []
    var known = false
    try source.read(
        vocabulary: vocabulary, prepare: { $0 },
        consume: { batch in
            known = batch.categoriesKnown
            for entry in batch.entries {
                rows.append(
                    Read(
                        row: entry.row, email: String(decoding: batch.bytes[entry.email], as: UTF8.self),
                        name: String(decoding: batch.bytes[entry.name], as: UTF8.self), language: entry.language,
                        collected: entry.collected.map { CalendarDate(daysSinceEpoch: Int($0)).description },
                        categories: vocabulary.categoryIds(entry.categories), status: entry.status
                    ).description)
            }
        })
    return (rows, known)
}

func error(
    _ bytes: [UInt8], settings: NotifySettings = NotifySettings(), chunkSize: Int = 1 << 20, blockSize: Int = 16 << 20,
    recordLimit: Int = 64 << 20
) -> String? {
    do {
        _ = try readCSV(bytes, settings: settings, chunkSize: chunkSize, blockSize: blockSize, recordLimit: recordLimit)
        return nil
    } catch let e as SourceError {
        // The temporary file's name varies; the message starts with it.
        return e.message.replacingOccurrences(
            of: #"^.*customers-[0-9A-F-]+\.csv"#, with: "FILE", options: .regularExpression)
    } catch { return "\(error)" }
}

func dutch() -> NotifySettings {
    var settings = NotifySettings()
    settings.dateFormat = .dayMonthYearDash
    for (column, header) in [
        (NotifySettings.Column.email, "E-mailadres"), (.name, "Naam"), (.language, "Taal"),
        (.collected, "Klant sinds"), (.categories, "Gegevens"), (.status, "Status"),
    ] {
        settings.columns[column] = header
        settings.namedColumns.insert(column)
    }
    return settings
}

@Suite("CSV customer source")
struct CSVSourceTests {
    /// The size of a regular file (also behind a symbolic link) estimates the rows; a pipe's says nothing, so selection
    /// plans for a large source instead of putting every row in one partition.
    @Test func aRegularFileEstimatesItsRowsAPipeDoesNot() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("csv-estimate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("customers.csv")
        let link = folder.appendingPathComponent("link.csv")
        try Data(repeating: 0x61, count: 6_400).write(to: file)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
        let fifo = folder.appendingPathComponent("pipe.csv")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        #expect(CSVCustomerSource(path: file.path, settings: NotifySettings()).estimatedCount == 100)
        #expect(CSVCustomerSource(path: link.path, settings: NotifySettings()).estimatedCount == 100)
        #expect(CSVCustomerSource(path: fifo.path, settings: NotifySettings()).estimatedCount == nil)
    }

    /// A quote that is never closed swallows the rest of the file; past the record limit it is reported at the row
    /// where it opened. A problem in an earlier row, in the block before (still being parsed when the next block is
    /// read and cut, which finds the runaway quote), is reported first.
    @Test func aRunawayQuoteIsReportedAtItsRowAfterAnyEarlierProblem() throws {
        let rows = (0..<40).map { "p\($0)@example.com,Name \($0),nl,2020-01-01,email,active\n" }.joined()
        let runaway =
            "late@example.com,\"never closed,nl,2020-01-01,email,active\n" + String(repeating: "x,y,z\n", count: 400)
        let header = "email,name,language,collected,categories,status\n"
        #expect(
            error(Array((header + rows + runaway).utf8), chunkSize: 128, blockSize: 2048, recordLimit: 1024)
                == "FILE: row 42: the record is longer than 1024 bytes, the limit for one record (docs/notify.md), and a quoted field that opens in it is still open there: a quote that is never closed takes in every later row"
        )
        let earlier = rows.replacingOccurrences(
            of: "p39@example.com,Name 39,nl,2020-01-01,email,active",
            with: "p39@example.com,Name 39,nl,2020-01-01,email,gone")
        #expect(
            error(Array((header + earlier + runaway).utf8), chunkSize: 128, blockSize: 2048, recordLimit: 1024)
                == "FILE: row 41, column 6 ('status'): unknown status; use active, erased, objected or restricted (or leave it empty for active)"
        )
    }

    /// A record longer than the limit whose quotes are closed, or that has none, is named for what it is.
    @Test func aLongRecordIsNamedForItsLength() throws {
        let header = "email,name,language,collected,categories,status\n"
        let long = "long@example.com,\(String(repeating: "x", count: 5_000)),nl,2020-01-01,email,active\n"
        let quoted = "long@example.com,\"\(String(repeating: "x", count: 5_000))\",nl,2020-01-01,email,active\n"
        let rest = String(repeating: "p@example.com,P,nl,2020-01-01,email,active\n", count: 100)
        let start = Array((header + "a@example.com,A,nl,2020-01-01,email,active\n").utf8)
        let limit = "FILE: row 3: the record is longer than 1024 bytes, the limit for one record (docs/notify.md)"
        #expect(error(start + Array((long + rest).utf8), chunkSize: 128, blockSize: 2048, recordLimit: 1024) == limit)
        #expect(
            error(start + Array((quoted + rest).utf8), chunkSize: 128, blockSize: 2048, recordLimit: 1024)
                == limit
                + ", and a quoted field that opens in it is still open there: a quote that is never closed takes in every later row"
        )
    }

    @Test func commasLFAndISODates() throws {
        let csv =
            "email,name,language,collected,categories,status\na@example.com,Ann,en,2020-01-31,email|order,active\nb@example.com,Bob,nl,2021-02-01T10:00:00,,erased\n"
        let (rows, known) = try readCSV(Array(csv.utf8))
        #expect(known)
        #expect(
            rows == ["2 a@example.com|Ann|1|2020-01-31|email+order|active", "3 b@example.com|Bob|2|2021-02-01||erased"])
    }

    @Test func semicolonsBOMCRLFQuotedLineBreaksAndDutchDates() throws {
        let csv =
            "\u{FEFF}E-mailadres;Naam;Taal;Klant sinds;Gegevens;Status\r\n"
            + "a@example.nl;\"de Vries;\r\nAnna\";NL;1-3-2019; email | order ;Actief\r\n".replacingOccurrences(
                of: "Actief", with: "active")
            + "\r\n"
            + "b@example.nl;\"Jan \"\"J\"\"\";nl;31-12-2026;payment;OBJECTED\r\n"
            + "c@example.nl;Zoë;;;;\r\n"
        let (rows, _) = try readCSV(Array(csv.utf8), settings: dutch())
        #expect(
            rows == [
                "2 a@example.nl|de Vries;\r\nAnna|2|2019-03-01|email+order|active",
                "4 b@example.nl|Jan \"J\"|2|2026-12-31|payment|objected",
                "5 c@example.nl|Zoë|0|-||active",
            ], "the blank line keeps its row number, quoted line breaks do not start a row")
    }

    @Test func slashDatesAndAConfiguredDelimiter() throws {
        var settings = NotifySettings()
        settings.dateFormat = .dayMonthYearSlash
        let csv = "email;a,b,c;collected\na@example.com;x,y,z;05/11/2020\n"
        // As many commas as semicolons: detection takes the comma, and finds no column 'email'.
        #expect(error(Array(csv.utf8), settings: settings) != nil)
        settings.delimiter = .semicolon
        let (rows, _) = try readCSV(Array(csv.utf8), settings: settings)
        #expect(rows == ["2 a@example.com||0|2020-11-05||active"])
    }

    @Test func theLastRowNeedsNoLineBreak() throws {
        let (rows, known) = try readCSV(Array("email\na@example.com\nb@example.com".utf8))
        #expect(rows == ["2 a@example.com||0|-||active", "3 b@example.com||0|-||active"])
        #expect(!known, "no categories column and no derivation")
    }

    @Test func chunkAndBlockBordersDoNotChangeWhatIsRead() throws {
        var csv = "email;name;categories\r\n"
        for index in 0..<300 {
            csv += "p\(index)@example.com;\"Name \(index)\r\nline two; \"\"q\"\"\";email|order\r\n"
        }
        let whole = try readCSV(Array(csv.utf8))
        let cut = try readCSV(Array(csv.utf8), chunkSize: 97, blockSize: 61)
        #expect(whole.rows.count == 300)
        #expect(whole.rows == cut.rows)
        #expect(cut.rows.last == "301 p299@example.com|Name 299\r\nline two; \"q\"|0|-|email+order|active")
    }

    @Test func windows1252WhenConfigured() throws {
        var settings = NotifySettings()
        settings.encoding = .windows1252
        let bytes: [UInt8] = Array("email,name\na@example.com,Zo".utf8) + [0xEB, 0x20, 0x80] + [0x0A]
        let (rows, _) = try readCSV(bytes, settings: settings)
        #expect(rows == ["2 a@example.com|Zoë €|0|-||active"])
    }

    @Test func derivedCategories() throws {
        var settings = NotifySettings()
        settings.derive = [
            .init(column: "Aantal bestellingen", when: .nonZero, categories: ["order", "payment", "invoices"]),
            .init(column: "Nieuwsbrief", when: .nonEmpty, categories: ["email"]),
        ]
        let csv =
            "email,Aantal bestellingen,Nieuwsbrief\na@example.com,3,ja\nb@example.com,0,\nc@example.com, ,nee\nd@example.com,\"0,00\", \n"
        let (rows, known) = try readCSV(Array(csv.utf8), settings: settings)
        #expect(known)
        #expect(
            rows == [
                "2 a@example.com||0|-|email+order+payment+invoices|active", "3 b@example.com||0|-||active",
                "4 c@example.com||0|-|email|active", "5 d@example.com||0|-||active",
            ])
    }

    /// A name mapped from a first and a last name column: joined with one space in the mapping's order, each part
    /// without the spaces around it, empty parts skipped.
    @Test func aNameFromSeveralColumns() throws {
        var settings = NotifySettings()
        settings.columns[.name] = "Voornaam"
        settings.columns.nameParts = ["Voornaam", "Achternaam"]
        settings.namedColumns.insert(.name)
        let csv =
            "Achternaam,email,Voornaam\nde Vries,a@example.com,Anna\n\"Bakker, Jr.\",b@example.com,\nSmit,c@example.com,\" Jan \"\n,d@example.com,Kees\n,e@example.com,\n"
        let (rows, _) = try readCSV(Array(csv.utf8), settings: settings, chunkSize: 7)
        #expect(
            rows == [
                "2 a@example.com|Anna de Vries|0|-||active", "3 b@example.com|Bakker, Jr.|0|-||active",
                "4 c@example.com|Jan Smit|0|-||active", "5 d@example.com|Kees|0|-||active",
                "6 e@example.com||0|-||active",
            ])
        #expect(
            error(Array("Voornaam,email\nJan,x@example.com\n".utf8), settings: settings)
                == "FILE: row 1: no column 'Achternaam' (named in the notify columns of policyc.yaml); the columns are 'Voornaam', 'email'"
        )
    }

    // MARK: errors, word for word; no customer value in any message

    @Test func aMissingRequiredColumn() {
        #expect(
            error(Array("mail,name\nx@example.com,Jan\n".utf8))
                == "FILE: row 1: no column 'email' (the email address, required); the columns are 'mail', 'name'")
    }

    @Test func aMissingMappedColumn() {
        #expect(
            error(Array("E-mailadres;Naam\nx@example.com;Jan\n".utf8), settings: dutch())
                == "FILE: row 1: no column 'Taal' (named in the notify columns of policyc.yaml); the columns are 'E-mailadres', 'Naam'"
        )
    }

    @Test func anUnbalancedQuote() {
        #expect(
            error(Array("email,name\na@example.com,Ann\nb@example.com,\"Bob\nc@example.com,Cee\n".utf8))
                == "FILE: row 3, column 2 ('name'): a quoted field is not closed")
    }

    @Test func aQuoteInsideAnUnquotedField() {
        #expect(
            error(Array("email,name\na@example.com,An\"n\n".utf8))
                == "FILE: row 2, column 2 ('name'): a quote inside an unquoted field; quote the whole field and double the quote"
        )
    }

    @Test func textAfterAClosingQuote() {
        #expect(
            error(Array("email,name\na@example.com,\"Ann\"x\n".utf8))
                == "FILE: row 2, column 2 ('name'): text after the closing quote of a quoted field")
    }

    @Test func tooManyFields() {
        #expect(
            error(Array("email,name\na@example.com,Jansen, Jan\n".utf8))
                == "FILE: row 2, column 3: a field beyond the header's 2 columns; quote fields that contain the delimiter"
        )
    }

    @Test func tooFewFields() {
        #expect(
            error(Array("email,name,status\na@example.com,Jan\n".utf8))
                == "FILE: row 2, column 3 ('status'): missing: the row has 2 fields, the header 3")
    }

    @Test func bytesThatAreNotUTF8() {
        #expect(
            error(Array("email,name\na@example.com,Zo".utf8) + [0xEB, 0x0A])
                == "FILE: row 2, column 2 ('name'): bytes that are not UTF-8; set 'encoding' in the notify settings of policyc.yaml (for example windows-1252)"
        )
    }

    @Test func aDateInAnotherFormat() {
        #expect(
            error(
                Array("E-mailadres;Naam;Taal;Klant sinds;Gegevens;Status\na@example.nl;A;nl;2019-03-01;;\n".utf8),
                settings: dutch())
                == "FILE: row 2, column 4 ('Klant sinds'): not a date in the format dd-mm-yyyy; set 'date-format' in the notify settings of policyc.yaml"
        )
        #expect(
            error(Array("email,collected\na@example.com,2019-02-30\n".utf8))
                == "FILE: row 2, column 2 ('collected'): not a date in the format iso; set 'date-format' in the notify settings of policyc.yaml"
        )
    }

    @Test func anUnknownStatus() {
        #expect(
            error(Array("email,status\na@example.com,deleted\n".utf8))
                == "FILE: row 2, column 2 ('status'): unknown status; use active, erased, objected or restricted (or leave it empty for active)"
        )
    }

    @Test func unknownCategoryIdsAreListedButNotCustomerText() {
        #expect(
            error(Array("email,categories\na@example.com,email|ordr\nb@example.com,Jan de Vries|newsletter\n".utf8))
                == "FILE: row 2, column 2 ('categories'): the export names categories the policy does not declare: 'ordr'; check the categories column or the derive rules in policyc.yaml"
        )
    }

    @Test func unknownCategoriesInDeriveRules() {
        var settings = NotifySettings()
        settings.derive = [.init(column: "orders", when: .nonZero, categories: ["order", "shipping"])]
        #expect(
            error(Array("email,orders\na@example.com,1\n".utf8), settings: settings)
                == "FILE: the derive rules names categories the policy does not declare: 'shipping'; check the categories column or the derive rules in policyc.yaml"
        )
    }

    @Test func aDuplicatedHeader() {
        #expect(
            error(Array("email,name,Email\na@example.com,A,b@example.com\n".utf8))
                == "FILE: row 1: the column 'email' appears 2 times (columns 1, 3); rename all but one")
    }

    @Test func anEmptyFile() {
        #expect(error([]) == "FILE: the customer export is empty; it needs a header row")
    }
}
