import PolicyBase
import PolicySource

/// The `notify` section of `policyc.yaml`: settings of `policyc notify` (docs/config.md, docs/notify.md).
///
/// Only the shape of the settings is checked here; whether a derived category is one the policy declares is checked
/// by `policyc notify` against the version it notifies about.
public struct NotifySettings: Sendable, Hashable {
    /// The customer export, relative to the project root; `--customers` overrides it.
    public var customers: String?
    /// The field separator; nil detects comma or semicolon from the header row.
    public var delimiter: Delimiter?
    public var encoding: Encoding = .utf8
    public var dateFormat: DateFormat = .iso
    /// The export's header for each column the command reads.
    public var columns = Columns()
    /// Whether `columns` named the column explicitly: a named column that the export lacks is an error, a default
    /// one that is absent is simply not read.
    public var namedColumns: Set<Column> = []
    /// Categories derived from other columns, for exports without a categories column.
    public var derive: [Derivation] = []
    /// The FROM header of the messages, e.g. `Kaviaarshop <privacy@kaviaarshop.example>`.
    public var from: String?
    /// The REPLY-TO header; the FROM address when absent.
    public var replyTo: String?
    /// The base URL of the published policies for the links in the messages (see docs/notify.md); when absent, the
    /// `site` section's `base-url` is used.
    public var baseURL: String?
    /// The mail server mailmerge sends through, written as `mailmerge_server.conf` beside each language's files.
    public var smtp: SMTP?

    public init() {}

    /// `smtp`: mailmerge's server settings. Never a password: mailmerge asks for it when it sends, so it is in no
    /// file that could be committed or copied.
    public struct SMTP: Sendable, Hashable {
        public var host: String
        /// nil: mailmerge's default for the security type.
        public var port: Int?
        public var security: Security
        public var username: String?

        public init(host: String, port: Int?, security: Security, username: String?) {
            self.host = host
            self.port = port
            self.security = security
            self.username = username
        }

        /// mailmerge's security types, as it spells them; `none` leaves the line out (a server without login).
        public enum Security: String, Sendable, Hashable, CaseIterable {
            case sslTLS = "SSL/TLS"
            case startTLS = "STARTTLS"
            case plain = "PLAIN"
            case xoauth = "XOAUTH"
            case none
        }

        static let keys = ["host", "port", "security", "username", "password"]

        static func read(_ fields: Fields) -> SMTP? {
            guard let smtp = fields.mapping("smtp", what: "the smtp settings", allowed: keys) else { return nil }
            if smtp.has("password") {
                fields.sink.error(
                    "a password does not belong in policyc.yaml, which is committed; remove it: mailmerge asks for it when it sends",
                    .invalidValue, at: smtp.location(of: "password"))
            }
            let host = smtp.text("host", required: true)
            let port = smtp.integer("port", range: 1...65535)
            let security = smtp.choice("security", Security.self)?.value ?? .none
            let username = smtp.text("username")
            for (key, text) in [("host", host), ("username", username)] {
                guard let text, text.value.contains(where: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
                else { continue }
                fields.sink.error(
                    "'\(key)' in the smtp settings must be one word, without spaces or line breaks", .invalidValue,
                    at: text.location)
                return nil
            }
            if security != .none && username == nil {
                fields.sink.error(
                    "the smtp settings need a 'username' for security \(security.rawValue), as mailmerge logs in with it",
                    .emptyValue, at: smtp.location(of: "security"))
            }
            guard let host else { return nil }
            return SMTP(host: host.value, port: port?.value, security: security, username: username?.value)
        }
    }

    public enum Delimiter: String, Sendable, Hashable, CaseIterable {
        case comma = ","
        case semicolon = ";"
        case tab = "\\t"

        public var byte: UInt8 {
            switch self {
            case .comma: UInt8(ascii: ",")
            case .semicolon: UInt8(ascii: ";")
            case .tab: 9
            }
        }
    }

    public enum Encoding: String, Sendable, Hashable, CaseIterable {
        case utf8 = "utf-8"
        case windows1252 = "windows-1252"
    }

    public enum DateFormat: String, Sendable, Hashable, CaseIterable {
        case iso
        case dayMonthYearDash = "dd-mm-yyyy"
        case dayMonthYearSlash = "dd/mm/yyyy"
    }

    /// The columns `policyc notify` reads; the raw value is the default header and the key in `columns`.
    public enum Column: String, Sendable, Hashable, CaseIterable {
        case email, name, language, collected, categories, status
        /// The customer's services or brands (scope item ids, separated by `|`), and the country or region they live
        /// in: a change confined to some services or regions concerns only their customers.
        case services, region
    }

    public struct Columns: Sendable, Hashable {
        var headers: [Column: String] = [:]
        /// The headers whose cells make up the name, when `name` lists several (first and last name): joined in
        /// this order with one space, empty cells skipped. Empty when the name is one column.
        public var nameParts: [String] = []
        public init() {}
        public subscript(column: Column) -> String {
            get { headers[column] ?? column.rawValue }
            set { headers[column] = newValue }
        }
    }

    /// "A non-empty (non-zero) value in `column` means the customer holds `categories`."
    public struct Derivation: Sendable, Hashable {
        public var column: String
        public var when: Condition
        public var categories: [String]
        public init(column: String, when: Condition, categories: [String]) {
            self.column = column
            self.when = when
            self.categories = categories
        }

        public enum Condition: String, Sendable, Hashable, CaseIterable {
            /// Any text but spaces.
            case nonEmpty = "non-empty"
            /// Non-empty and not a zero (`0`, `0,00`, `0.0`, `nee`, `no`, `false` do not count).
            case nonZero = "non-zero"
        }
    }

    static let keys = [
        "customers", "delimiter", "encoding", "date-format", "columns", "derive", "from", "reply-to", "base-url",
        "smtp",
    ]
    static let derivationKeys = ["column", "when", "categories"]

    static func read(_ fields: Fields) -> NotifySettings {
        var settings = NotifySettings()
        settings.customers = fields.text("customers")?.value
        if let text = fields.text("delimiter") {
            // A YAML tab is awkward to write; `\t` and `tab` both mean one.
            let value = text.value == "tab" ? Located(value: "\\t", location: text.location) : text
            settings.delimiter =
                Fields.choice(value, Delimiter.self, key: "delimiter", what: fields.what, sink: fields.sink)?.value
        }
        if let encoding = fields.choice("encoding", Encoding.self) { settings.encoding = encoding.value }
        if let format = fields.choice("date-format", DateFormat.self) { settings.dateFormat = format.value }
        if let columns = fields.mapping("columns", what: "the notify columns", allowed: Column.allCases.map(\.rawValue))
        {
            for column in Column.allCases where column != .name {
                if let header = columns.text(column.rawValue) {
                    settings.columns[column] = header.value
                    settings.namedColumns.insert(column)
                }
            }
            // A name may come from several columns, such as a first and a last name.
            let names = columns.list(Column.name.rawValue)
            if let first = names.first {
                settings.columns[.name] = first.value
                settings.namedColumns.insert(.name)
                if names.count > 1 { settings.columns.nameParts = names.map(\.value) }
            }
        }
        if let list = fields.value("derive", required: false) {
            if case .sequence(let items) = list.content {
                for (index, item) in items.enumerated() {
                    guard
                        let rule = Fields(
                            item, what: "derive rule \(index + 1)", allowed: derivationKeys, sink: fields.sink)
                    else { continue }
                    let column = rule.text("column", required: true)
                    let when = rule.choice("when", Derivation.Condition.self)
                    let categories = rule.list("categories", required: true)
                    if let column, !categories.isEmpty {
                        settings.derive.append(
                            Derivation(
                                column: column.value, when: when?.value ?? .nonZero,
                                categories: categories.map(\.value)))
                    }
                }
            } else {
                fields.sink.error(
                    "expected a list of rules for 'derive' in \(fields.what), found \(list.shortDescription)",
                    .typeMismatch, at: list.location)
            }
        }
        settings.smtp = SMTP.read(fields)
        settings.from = header(fields, "from")
        settings.replyTo = header(fields, "reply-to")
        if let url = fields.text("base-url") {
            if url.value.hasPrefix("https://") || url.value.hasPrefix("http://"),
                !url.value.contains(where: { $0 == " " || $0 == "{" || $0 == "}" })
            {
                settings.baseURL = url.value.hasSuffix("/") ? String(url.value.dropLast()) : url.value
            } else {
                fields.sink.error(
                    "'base-url' in \(fields.what) must be an http or https URL without spaces or braces", .invalidValue,
                    at: url.location)
            }
        }
        return settings
    }

    /// A FROM or REPLY-TO value: one address, optionally with a name (`Name <address>`), on one line, without
    /// template braces (it is copied into the message template as is).
    static func header(_ fields: Fields, _ key: String) -> String? {
        guard let text = fields.text(key) else { return nil }
        let value = text.value
        let address: Substring
        if let open = value.lastIndex(of: "<"), value.hasSuffix(">") {
            address = value[value.index(after: open)..<value.index(before: value.endIndex)]
        } else {
            address = Substring(value)
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        let forbidden: Set<Character> = ["\n", "\r", "{", "}", "%", ",", ";"]
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !address.contains(" "),
            !value.contains(where: { forbidden.contains($0) })
        else {
            fields.sink.error(
                "'\(key)' in \(fields.what) must be one email address, optionally as 'Name <address>', without commas, semicolons or braces",
                .invalidValue, at: text.location)
            return nil
        }
        return value
    }
}
