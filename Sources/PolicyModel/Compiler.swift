import PolicyBase
import PolicySource

/// Where each element and field of a compiled version was written, keyed `kind/id` and `kind/id/field`
/// (front matter keys as `front/key`). Kept beside the model so the model itself stays comparable.
public struct SourceMap: Sendable, Hashable {
    public var path: String
    public var locations: [String: SourceLocation] = [:]

    public init(path: String) { self.path = path }

    public subscript(key: String) -> SourceLocation? { locations[key] }

    /// The field's location, else its element's, else the top of the file.
    public func best(_ keys: String...) -> SourceLocation {
        for key in keys { if let location = locations[key] { return location } }
        return SourceLocation(file: path, line: 1, column: 1)
    }
}

/// The result of compiling one file.
public struct CompiledDocument: Sendable {
    public var path: String
    /// The model; nil when the file could not be read far enough (a diagnostic says why).
    public var version: PolicyVersion?
    public var sourceMap: SourceMap
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public init(path: String, version: PolicyVersion?, sourceMap: SourceMap, diagnostics: [Diagnostic]) {
        self.path = path
        self.version = version
        self.sourceMap = sourceMap
        self.diagnostics = diagnostics
    }
}

/// The kinds of fact block, named by a fenced code block's info string.
public enum FactKind: String, CaseIterable, Sendable {
    case category
    case purpose
    case recipient
    case retention
    case right
    case cookie
    case automatedDecision = "automated-decision"
    case securityMeasure = "security-measure"
}

/// Compiles one source document into a `PolicyVersion`. Pure: the document's path is only a name.
public enum Compiler {
    public static func compile(_ document: SourceDocument) -> CompiledDocument {
        var state = CompileState(document: document)
        let version = state.run()
        let diagnostics = document.diagnostics + state.sink.diagnostics
        return CompiledDocument(path: document.path, version: version, sourceMap: state.map, diagnostics: Diagnostic.sorted(diagnostics))
    }

    /// Reads and compiles one file's bytes.
    public static func compile(bytes: [UInt8], path: String) -> CompiledDocument {
        compile(SourceReader.read(bytes: bytes, path: path, factKinds: Set(FactKind.allCases.map(\.rawValue))))
    }

    /// The parts of a policy file's path: `<policy>/<effective-date>.<language>.md`.
    public static func fileNameParts(_ path: String) -> (policy: String?, date: String, language: String)? {
        let components = path.split(separator: "/").map(String.init)
        guard let name = components.last, name.hasSuffix(".md") else { return nil }
        let stem = name.dropLast(3).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard stem.count == 2 else { return nil }
        let policy = components.count >= 2 ? components[components.count - 2] : nil
        return (policy, stem[0], stem[1])
    }
}

struct CompileState {
    let document: SourceDocument
    let sink = DiagnosticSink()
    var map: SourceMap

    var categories: [DataCategory] = []
    var purposes: [Purpose] = []
    var recipients: [Recipient] = []
    var retention: [Retention] = []
    var rights: [Right] = []
    var cookies: [Cookie] = []
    var automatedDecisions: [AutomatedDecision] = []
    var securityMeasures: [SecurityMeasure] = []
    var sections: [Section] = []
    /// References to check once every element is known: (kind referred to, id, location, referring element).
    var references: [(kind: FactKind, id: Located<String>, from: String)] = []

    init(document: SourceDocument) {
        self.document = document
        self.map = SourceMap(path: document.path)
    }

    static let frontMatterKeys = ["policy", "title", "language", "effective", "translation-of", "announced", "summary",
                                  "controller", "privacy-contact", "supervisory-authority", "notice-period-days"]

    mutating func run() -> PolicyVersion? {
        guard document.isReadable else { return nil }
        guard let root = document.frontMatter,
              let front = Fields(root, what: "the front matter", allowed: Self.frontMatterKeys, sink: sink) else {
            let frontMatterEnd = document.blocks.first?.markdown.location.line ?? Int.max
            let frontMatterBroken = document.diagnostics.contains { $0.location.line < frontMatterEnd && ["yaml-syntax", "duplicate-key", "yaml-alias"].contains($0.rule) }
            if document.frontMatter == nil && !frontMatterBroken {
                sink.error("empty front matter; add the policy's metadata", "missing-key", at: document.frontMatterLocation)
            }
            // The body is still read, so its problems are reported in the same run.
            readBody()
            checkReferences()
            return nil
        }
        func remember(_ key: String) { map.locations["front/\(key)"] = front.location(of: key) }
        Self.frontMatterKeys.forEach(remember)

        let policy = front.text("policy", required: true)
        let title = front.text("title", required: true)
        let language = front.text("language", required: true)
        let effective = front.date("effective", required: true)
        let translationOf = front.text("translation-of")
        let announced = front.date("announced")
        let summary = front.text("summary")
        let notice = front.integer("notice-period-days", range: 0...365)
        if let language, !Self.isLanguageTag(language.value) {
            sink.error("invalid language '\(language.value)'; use a lowercase ISO 639-1 code such as 'nl' or 'en'", "invalid-value", at: language.location)
        }
        if let policy, !Fields.isIdentifier(policy.value) {
            sink.error("invalid policy id '\(policy.value)'; use lowercase letters, digits and hyphens", "invalid-id", at: policy.location)
        }
        if let translationOf, let language, translationOf.value == language.value {
            sink.error("a file cannot be a translation of its own language '\(language.value)'", "invalid-value", at: translationOf.location)
        }
        checkFileName(policy: policy, effective: effective, language: language)
        if let announced, let effective, announced.value > effective.value {
            sink.error("announcement date \(announced.value) is after the effective date \(effective.value)", "announced-after-effective",
                       at: announced.location, notes: [DiagnosticNote("effective date given here", at: effective.location)])
        }

        let controller = readController(front)
        let contact = readContact(front)
        let authority = readAuthority(front)

        readBody()
        checkReferences()
        checkCompleteness(controller: controller, contact: contact, authority: authority, front: front)

        guard let policy, let title, let language, let effective, let controller else { return nil }
        return PolicyVersion(
            policy: policy.value, title: title.value, language: language.value, effective: effective.value,
            translationOf: translationOf?.value, announced: announced?.value, summary: summary?.value,
            controller: controller, privacyContact: contact, supervisoryAuthority: authority,
            noticePeriodDays: notice?.value ?? PolicyVersion.defaultNoticePeriodDays,
            categories: categories, purposes: purposes, recipients: recipients, retention: retention, rights: rights,
            cookies: cookies, automatedDecisions: automatedDecisions, securityMeasures: securityMeasures, sections: sections)
    }

    static func isLanguageTag(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ ("a"..."z").contains($0) }) else { return false }
        return parts.count == 1 || (parts.count == 2 && parts[1].count == 2 && parts[1].allSatisfy({ ("A"..."Z").contains($0) }))
    }

    func checkFileName(policy: Located<String>?, effective: Located<CalendarDate>?, language: Located<String>?) {
        let fileName = String(document.path.split(separator: "/").last ?? "")
        guard let parts = Compiler.fileNameParts(document.path) else {
            sink.error("file name '\(fileName)' is not '<effective-date>.<language>.md'; rename it, for example to '2018-04-30.nl.md'",
                       "file-name-mismatch", at: SourceLocation(file: document.path, line: 1, column: 1))
            return
        }
        if let effective, parts.date != effective.value.description {
            sink.error("effective date \(effective.value) does not match the file name '\(fileName)'; rename the file or correct the date",
                       "file-name-mismatch", at: effective.location)
        }
        if let language, parts.language != language.value {
            sink.error("language '\(language.value)' does not match the file name '\(fileName)'; rename the file or correct the language",
                       "file-name-mismatch", at: language.location)
        }
        if let policy, let folder = parts.policy, folder != policy.value {
            sink.error("policy '\(policy.value)' does not match its folder '\(folder)'; move the file to '\(policy.value)/' or correct the id",
                       "file-name-mismatch", at: policy.location)
        }
    }

    // MARK: Front matter parts

    mutating func readController(_ front: Fields) -> Controller? {
        guard let fields = front.mapping("controller", what: "the controller", allowed: ["name", "address", "email", "phone", "website", "representative"], required: true) else { return nil }
        for key in ["name", "address", "email", "phone", "website", "representative"] { map.locations["front/controller/\(key)"] = fields.location(of: key) }
        let email = fields.text("email")
        checkEmail(email)
        guard let name = fields.text("name", required: true) else { return nil }
        return Controller(name: name.value, address: fields.text("address")?.value, email: email?.value, phone: fields.text("phone")?.value,
                          website: fields.text("website")?.value, representative: fields.text("representative")?.value)
    }

    mutating func readContact(_ front: Fields) -> Contact? {
        guard let fields = front.mapping("privacy-contact", what: "the privacy contact", allowed: ["name", "email", "phone", "dpo"]) else { return nil }
        for key in ["name", "email", "phone", "dpo"] { map.locations["front/privacy-contact/\(key)"] = fields.location(of: key) }
        let email = fields.text("email")
        checkEmail(email)
        let contact = Contact(name: fields.text("name")?.value, email: email?.value, phone: fields.text("phone")?.value, dpo: fields.bool("dpo")?.value)
        if contact.name == nil && contact.email == nil && contact.phone == nil {
            sink.error("the privacy contact has no name, email or phone; add at least one", "missing-key", at: fields.node.location)
        }
        return contact
    }

    mutating func readAuthority(_ front: Fields) -> Authority? {
        guard let fields = front.mapping("supervisory-authority", what: "the supervisory authority", allowed: ["name", "country", "website"]) else { return nil }
        for key in ["name", "country", "website"] { map.locations["front/supervisory-authority/\(key)"] = fields.location(of: key) }
        let country = checkedCountry(fields.text("country"))
        guard let name = fields.text("name", required: true) else { return nil }
        return Authority(name: name.value, country: country, website: fields.text("website")?.value)
    }

    func checkEmail(_ email: Located<String>?) {
        guard let email else { return }
        let parts = email.value.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || email.value.contains(" ") {
            sink.error("invalid email address '\(email.value)'", "invalid-value", at: email.location)
        }
    }

    func checkedCountry(_ text: Located<String>?) -> String? {
        guard let text else { return nil }
        guard Countries.all.contains(text.value) else {
            let upper = text.value.uppercased()
            let hint = Countries.all.contains(upper) ? "; write '\(upper)'" : "; use an ISO 3166-1 alpha-2 code such as 'NL' or 'US'"
            sink.error("unknown country '\(text.value)'\(hint)", "invalid-value", at: text.location)
            return nil
        }
        return text.value
    }

    // MARK: Body

    mutating func readBody() {
        var usedSlugs: [String: Int] = [:]
        var current: Section?
        func close(_ section: Section?, into sections: inout [Section]) {
            if let section { sections.append(section) }
        }
        for block in document.blocks {
            switch block.markdown.kind {
            case .heading(let level):
                close(current, into: &sections)
                let base = Fields.slug(block.markdown.text)
                var slug = base
                var count = usedSlugs[base] ?? 0
                while usedSlugs[slug] != nil {
                    count += 1
                    slug = "\(base)-\(count)"
                }
                usedSlugs[base] = count
                usedSlugs[slug] = usedSlugs[slug] ?? 0
                map.locations["section/\(slug)"] = block.markdown.location
                current = Section(id: slug, heading: block.markdown.text, level: level, facts: [], paragraphs: [])
            case .prose:
                if current == nil { current = Section(id: "preamble", heading: "", level: 0, facts: [], paragraphs: []); usedSlugs["preamble"] = 0 }
                if !block.markdown.text.isEmpty { current?.paragraphs.append(block.markdown.text) }
            case .html:
                break
            case .fact(let fact):
                if current == nil { current = Section(id: "preamble", heading: "", level: 0, facts: [], paragraphs: []); usedSlugs["preamble"] = 0 }
                let declared = readFacts(fact, node: block.facts, at: block.markdown.location)
                current?.facts += declared
            }
        }
        close(current, into: &sections)
    }

    /// Reads one fact block; returns the `kind/id` keys it declared.
    mutating func readFacts(_ fact: FactBlock, node: YAMLNode?, at location: SourceLocation) -> [String] {
        guard let kind = FactKind(rawValue: fact.kind) else {
            let hint = Suggestion.closest(to: fact.kind, in: FactKind.allCases.map(\.rawValue)).map { "; did you mean '\($0)'?" }
                ?? "; use one of \(FactKind.allCases.map(\.rawValue).joined(separator: ", ")), or indent the code by four spaces"
            sink.error("unknown fact kind '\(fact.kind)'\(hint)", "unknown-fact-kind", at: fact.kindLocation)
            return []
        }
        if !fact.topLevel {
            sink.error("\(kind.rawValue) block inside a list or quote; move it to the top level", "fact-block-nested", at: location)
            return []
        }
        guard fact.terminated else { return [] }
        guard let node else {
            // An unreadable block already has its YAML diagnostic; an empty one gets this.
            if !document.diagnostics.contains(where: { $0.location.line >= location.line && $0.location.line <= fact.firstContentLine + fact.contentPrefixes.count && $0.location.file == document.path }) {
                sink.error("empty \(kind.rawValue) block; write the fact as YAML keys", "empty-value", at: location)
            }
            return []
        }
        var items: [YAMLNode] = []
        switch node.content {
        case .sequence(let nodes): items = nodes
        case .mapping: items = [node]
        case .scalar:
            sink.error("expected \(kind.rawValue) keys, found \(node.shortDescription)", "type-mismatch", at: node.location)
            return []
        }
        var keys: [String] = []
        for item in items {
            if let id = readFact(kind, item) { keys.append("\(kind.rawValue)/\(id)") }
        }
        return keys
    }

    /// Registers an element's id; reports a duplicate with the first declaration as a note.
    mutating func declare(_ kind: FactKind, _ id: Located<String>) -> Bool {
        let key = "\(kind.rawValue)/\(id.value)"
        if let first = map.locations[key] {
            sink.error("duplicate \(kind.rawValue) id '\(id.value)'; give each \(kind.rawValue) its own id", "duplicate-id", at: id.location,
                       notes: [DiagnosticNote("first declared here", at: first)])
            return false
        }
        map.locations[key] = id.location
        return true
    }

    mutating func remember(_ kind: FactKind, _ id: String, _ fields: Fields, _ keys: [String]) {
        for key in keys where fields.has(key) { map.locations["\(kind.rawValue)/\(id)/\(key)"] = fields.location(of: key) }
    }

    mutating func refer(_ items: [Located<String>], to kind: FactKind, from: String) {
        for item in items { references.append((kind, item, from)) }
    }

    mutating func readFact(_ kind: FactKind, _ node: YAMLNode) -> String? {
        let keys: [String]
        switch kind {
        case .category: keys = ["id", "label", "required", "consequence", "source"]
        case .purpose: keys = ["id", "label", "basis", "interest", "categories"]
        case .recipient: keys = ["id", "name", "role", "categories", "purposes", "country", "safeguard", "own-purposes"]
        case .retention: keys = ["id", "categories", "duration", "from", "until", "statute"]
        case .right: keys = ["id", "label", "channels", "response", "how"]
        case .cookie: keys = ["id", "name", "provider", "purpose", "consent", "lifetime", "country"]
        case .automatedDecision: keys = ["id", "label", "logic", "consequences", "ground", "categories", "profiling"]
        case .securityMeasure: keys = ["id", "label", "recipients"]
        }
        // Name the element in messages by its id when it has one.
        var what = "\(kind.rawValue)"
        if case .mapping(let pairs) = node.content, let idPair = pairs.first(where: { $0.key == "id" }),
           case .scalar(let id, _) = idPair.value.content, !id.isEmpty {
            what = "\(kind.rawValue) '\(id)'"
        }
        guard let fields = Fields(node, what: what, allowed: keys, sink: sink) else { return nil }
        guard let id = fields.identifier() else {
            // Still read the rest for its diagnostics.
            _ = fields.text(kind == .recipient || kind == .cookie ? "name" : "label")
            return nil
        }
        let element = "\(kind.rawValue) '\(id.value)'"
        switch kind {
        case .category:
            let label = fields.text("label", required: true)
            let item = DataCategory(id: id.value, label: label?.value ?? "", required: fields.bool("required")?.value,
                                    consequence: fields.text("consequence")?.value, source: fields.text("source")?.value)
            guard label != nil, declare(kind, id) else { return nil }
            categories.append(item)
        case .purpose:
            let label = fields.text("label", required: true)
            let basis = fields.choice("basis", LegalBasis.self)
            let interest = fields.text("interest")
            let used = fields.list("categories", required: true)
            refer(used, to: .category, from: element)
            if basis?.value == .legitimateInterests && interest == nil {
                sink.error("\(element) has basis 'legitimate-interests' but states no interest; add 'interest:' (GDPR Art. 13(1)(d))", "missing-key", at: basis!.location)
            }
            guard label != nil, declare(kind, id) else { return nil }
            purposes.append(Purpose(id: id.value, label: label!.value, basis: basis?.value, interest: interest?.value, categories: used.map(\.value)))
        case .recipient:
            let name = fields.text("name", required: true)
            let role = fields.choice("role", RecipientRole.self)
            let received = fields.list("categories", required: true)
            let purposesUsed = fields.list("purposes")
            let country = checkedCountry(fields.text("country"))
            let safeguard = fields.choice("safeguard", TransferSafeguard.self)
            let own = fields.bool("own-purposes")
            refer(received, to: .category, from: element)
            refer(purposesUsed, to: .purpose, from: element)
            if let safeguard, let country, Countries.isInEEA(country) {
                sink.warning("\(element) is in the EEA (\(country)); a transfer safeguard is not needed", "safeguard-unneeded", at: safeguard.location)
            }
            guard let name, declare(kind, id) else { return nil }
            recipients.append(Recipient(id: id.value, name: name.value, role: role?.value, categories: received.map(\.value), purposes: purposesUsed.map(\.value),
                                        country: country, safeguard: safeguard?.value, ownPurposes: own?.value))
        case .retention:
            let covered = fields.list("categories", required: true)
            refer(covered, to: .category, from: element)
            let duration = fields.duration("duration")
            let from = fields.choice("from", RetentionStart.self)
            let until = fields.choice("until", RetentionEvent.self)
            let statute = fields.text("statute")
            if duration == nil && until == nil && !fields.has("duration") && !fields.has("until") {
                sink.error("\(element) states neither 'duration' nor 'until'; add one (GDPR Art. 13(2)(a))", "missing-key", at: id.location)
            }
            if let duration, let until {
                sink.error("\(element) has both 'duration' and 'until'; keep one", "conflicting-keys", at: until.location,
                           notes: [DiagnosticNote("duration given here", at: duration.location)])
            }
            if let from, duration == nil {
                sink.error("'from' in \(element) needs a 'duration' to count from \(from.value.rawValue)", "missing-key", at: from.location)
            }
            guard declare(kind, id) else { return nil }
            // `from: collection` is the default, stored as nil so that writing it out is not a change.
            let start = from?.value == .collection ? nil : from?.value
            retention.append(Retention(id: id.value, categories: covered.map(\.value), duration: duration?.value, from: start, until: until?.value, statute: statute?.value))
        case .right:
            guard let right = Fields.choice(id, RightKind.self, key: "right", what: "the right block", sink: sink) else { return nil }
            let label = fields.text("label", required: true)
            var channels: [Channel] = []
            for channel in fields.list("channels") {
                if let value = Fields.choice(channel, Channel.self, key: "channel", what: element, sink: sink) { channels.append(value.value) }
            }
            let response = fields.duration("response")
            let how = fields.text("how")
            guard let label, declare(kind, id) else { return nil }
            rights.append(Right(id: right.value, label: label.value, channels: channels, response: response?.value, how: how?.value))
        case .cookie:
            let name = fields.text("name", required: true)
            let provider = fields.text("provider")
            let purpose = fields.text("purpose")
            if let provider { refer([provider], to: .recipient, from: element) }
            if let purpose { refer([purpose], to: .purpose, from: element) }
            let consent = fields.bool("consent")
            var lifetime: CookieLifetime?
            if let text = fields.text("lifetime") {
                if text.value == "session" { lifetime = .session }
                else if let duration = ISODuration(text.value) { lifetime = .duration(duration) }
                else { sink.error("invalid lifetime '\(text.value)' for \(element); write 'session' or an ISO 8601 duration such as P2Y", "invalid-duration", at: text.location) }
            }
            let country = checkedCountry(fields.text("country"))
            guard let name, declare(kind, id) else { return nil }
            cookies.append(Cookie(id: id.value, name: name.value, provider: provider?.value, purpose: purpose?.value, consent: consent?.value, lifetime: lifetime, country: country))
        case .automatedDecision:
            let label = fields.text("label", required: true)
            let logic = fields.text("logic", required: true)
            let consequences = fields.text("consequences")
            let ground = fields.choice("ground", AutomatedDecisionGround.self)
            let used = fields.list("categories", required: true)
            refer(used, to: .category, from: element)
            let profiling = fields.bool("profiling")
            guard let label, let logic, declare(kind, id) else { return nil }
            automatedDecisions.append(AutomatedDecision(id: id.value, label: label.value, logic: logic.value, consequences: consequences?.value,
                                                        ground: ground?.value, categories: used.map(\.value), profiling: profiling?.value ?? false))
        case .securityMeasure:
            let label = fields.text("label", required: true)
            let owners = fields.list("recipients")
            refer(owners, to: .recipient, from: element)
            guard let label, declare(kind, id) else { return nil }
            securityMeasures.append(SecurityMeasure(id: id.value, label: label.value, recipients: owners.map(\.value)))
        }
        remember(kind, id.value, fields, keys)
        return id.value
    }

    // MARK: Checks across elements

    func checkReferences() {
        for reference in references {
            let declared: [String]
            switch reference.kind {
            case .category: declared = categories.map(\.id)
            case .purpose: declared = purposes.map(\.id)
            case .recipient: declared = recipients.map(\.id)
            default: declared = []
            }
            guard !declared.contains(reference.id.value) else { continue }
            let hint = Suggestion.hint(for: reference.id.value, in: declared)
            let fix = hint.isEmpty ? "; declare it in a ```\(reference.kind.rawValue) block" : hint
            sink.error("\(reference.from) refers to undeclared \(reference.kind.rawValue) '\(reference.id.value)'\(fix)", "undeclared-reference", at: reference.id.location)
        }
    }
}
