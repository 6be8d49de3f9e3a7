import PolicyBase
import PolicySource

/// Where each element and field of a compiled version was written, keyed `kind/id` and `kind/id/field`
/// (front matter keys as `front/key`). Kept beside the model so the model itself stays comparable.
public struct SourceMap: Sendable, Hashable {
    public var path: String
    /// Elements, front matter keys and sections, by key.
    var locations: [String: SourceLocation] = [:]
    /// Each fact's fields as read (allowed keys only), by `kind/id`: a field's location is found there when asked for.
    /// Not one entry a field: those locations are read only by a diagnostic (docs/performance.md, "Choices").
    var factFields: [String: [YAMLPair]] = [:]

    public init(path: String) { self.path = path }

    /// `kind/id/field` is a fact's field that has a value (not null); any other key is as recorded.
    public subscript(key: String) -> SourceLocation? {
        if let location = locations[key] { return location }
        guard let slash = key.utf8.lastIndex(of: 0x2F), let pairs = factFields[String(key[..<slash])] else {
            return nil
        }
        let field = key[key.utf8.index(after: slash)...]
        guard let pair = pairs.last(where: { $0.key == field }), !pair.value.isNull else { return nil }
        return pair.value.location
    }

    /// The field's location, else its element's, else the top of the file.
    public func best(_ keys: String...) -> SourceLocation {
        for key in keys { if let location = self[key] { return location } }
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

    /// Completeness warnings the policy silenced with `not-stated`, each with the reason it gives.
    public var waived: [WaivedDiagnostic]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public init(
        path: String, version: PolicyVersion?, sourceMap: SourceMap, diagnostics: [Diagnostic],
        waived: [WaivedDiagnostic] = []
    ) {
        self.path = path
        self.version = version
        self.sourceMap = sourceMap
        self.diagnostics = diagnostics
        self.waived = waived
    }
}

/// A warning the policy deliberately silenced: what it would have said, and why the policy does not state it.
public struct WaivedDiagnostic: Codable, Hashable, Sendable {
    public var diagnostic: Diagnostic
    public var reason: String
    /// Where the `not-stated` entry is written.
    public var waiver: SourceLocation
}

/// Compiles one source document into a `PolicyVersion`. Pure: the document's path is only a name.
public enum Compiler {
    public static func compile(_ document: SourceDocument) -> CompiledDocument {
        var state = CompileState(document: document)
        let version = state.run()
        let diagnostics = document.diagnostics + state.sink.diagnostics
        return CompiledDocument(
            path: document.path, version: version, sourceMap: state.map, diagnostics: Diagnostic.sorted(diagnostics),
            waived: state.waived)
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
    var categoryGroups: [CategoryGroup] = []
    var purposes: [Purpose] = []
    var recipients: [Recipient] = []
    var retention: [Retention] = []
    var rights: [Right] = []
    var cookies: [Cookie] = []
    var automatedDecisions: [AutomatedDecision] = []
    var securityMeasures: [SecurityMeasure] = []
    var commitments: [Commitment] = []
    var sections: [Section] = []
    /// References to check once every element is known: (kind referred to, id, location, referring element).
    var references: [(kind: FactKind, id: Located<String>, from: String)] = []
    /// Lines of fact blocks that could not be read: references that only follow from them are not reported.
    var unreadableBlocks: [ClosedRange<Int>] = []
    /// Facts left out of the model because of an error of their own (`kind/id`): references to them are not errors
    /// too, since they only follow from that error.
    var rejected: Set<String> = []
    /// The `not-stated` entries, with where each is written, and the warnings they silenced.
    var waivers: [(waiver: Waiver, location: SourceLocation, used: Bool)] = []
    var waived: [WaivedDiagnostic] = []
    /// What the policy covers and where its facts apply (ScopeCompiler.swift); `scopeRead` once the front matter's
    /// `scope` was read, so `applies-to` items can be judged.
    var scope: [ScopeItem] = []
    var scopes: [String: AppliesTo] = [:]
    var scopeRead = false

    init(document: SourceDocument) {
        self.document = document
        self.map = SourceMap(path: document.path)
        // An element's location is recorded for every fact, front matter key and section (about a hundred in the
        // sample): room for them up front, instead of growing the tables and hashing every key again each time.
        map.locations.reserveCapacity(128)
        map.factFields.reserveCapacity(64)
    }

    /// Errors that leave the front matter unread: the file then gets no "empty front matter" error of its own.
    static let unreadableFrontMatterRules = [Rule.yamlSyntax.id, Rule.duplicateKey.id, Rule.yamlAlias.id]

    static let frontMatterKeys = [
        "policy", "title", "language", "effective", "translation-of", "announced", "summary",
        "controller", "privacy-contact", "supervisory-authority", "notice-period-days", "not-stated", "changes",
        "scope",
    ]

    mutating func run() -> PolicyVersion? {
        guard document.isReadable else { return nil }
        guard let root = document.frontMatter,
            let front = Fields(root, what: "the front matter", allowed: Self.frontMatterKeys, sink: sink)
        else {
            let frontMatterEnd = document.blocks.first?.markdown.location.line ?? Int.max
            let frontMatterBroken = document.diagnostics.contains {
                $0.location.line < frontMatterEnd && Self.unreadableFrontMatterRules.contains($0.rule)
            }
            if document.frontMatter == nil && !frontMatterBroken {
                sink.error(
                    "empty front matter; add the policy's metadata", .missingKey, at: document.frontMatterLocation)
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
        checkIdentity(
            policy: policy, language: language, effective: effective, translationOf: translationOf, announced: announced
        )

        readScope(front)
        let controllers = readControllers(front)
        let contact = front.mapping(
            "privacy-contact", what: "the privacy contact", allowed: Schemas.privacyContact.keys
        ).flatMap { readContact($0, key: "front/privacy-contact") }
        let authorities = readAuthorities(front)
        let authority = authorities.first
        readWaivers(front)
        let declarations = readDeclarations(front)

        readBody()
        expandGroups()
        checkReferences()
        checkWaiverElements()
        checkCompleteness(controllers: controllers, contact: contact, authority: authority, front: front)
        for entry in waivers where !entry.used {
            sink.warning(
                "'not-stated' entry for '\(entry.waiver.rule)'\(entry.waiver.element.map { " on \($0)" } ?? "") silences nothing; remove it",
                .waiverUnused, at: entry.location)
        }

        guard let policy, let title, let language, let effective, !controllers.isEmpty else { return nil }
        var version = PolicyVersion(
            policy: policy.value, title: title.value, language: language.value, effective: effective.value,
            translationOf: translationOf?.value, announced: announced?.value, summary: summary?.value,
            controllers: controllers, privacyContact: contact, supervisoryAuthority: authority,
            noticePeriodDays: notice?.value ?? PolicyVersion.defaultNoticePeriodDays, notStated: waivers.map(\.waiver),
            categories: categories, categoryGroups: categoryGroups, purposes: purposes, recipients: recipients,
            retention: retention,
            rights: rights, cookies: cookies, automatedDecisions: automatedDecisions,
            securityMeasures: securityMeasures,
            commitments: commitments, sections: sections)
        version.changes = declarations
        version.additionalAuthorities = Array(authorities.dropFirst())
        version.scope = scope
        version.scopes = scopes
        return version
    }

    /// The front matter's identity: its policy id and language are well formed, the file is named after them, a
    /// translation is of another language, and the announcement comes before the effective date.
    func checkIdentity(
        policy: Located<String>?, language: Located<String>?, effective: Located<CalendarDate>?,
        translationOf: Located<String>?, announced: Located<CalendarDate>?
    ) {
        if let language, !Identifiers.isLanguageTag(language.value) {
            sink.error(
                "invalid language '\(language.value)'; use a lowercase ISO 639-1 code such as 'nl' or 'en'",
                .invalidValue, at: language.location)
        }
        if let policy, !Identifiers.isIdentifier(policy.value) {
            sink.error(
                "invalid policy id '\(Fields.echo(policy.value))'; use lowercase letters, digits and hyphens",
                .invalidID, at: policy.location)
        }
        if let translationOf, let language, translationOf.value == language.value {
            sink.error(
                "a file cannot be a translation of its own language '\(language.value)'", .invalidValue,
                at: translationOf.location)
        }
        checkFileName(policy: policy, effective: effective, language: language)
        if let announced, let effective, announced.value > effective.value {
            sink.error(
                "announcement date \(announced.value) is after the effective date \(effective.value)",
                .announcedAfterEffective,
                at: announced.location, notes: [DiagnosticNote("effective date given here", at: effective.location)])
        }
    }

    func checkFileName(policy: Located<String>?, effective: Located<CalendarDate>?, language: Located<String>?) {
        let fileName = String(document.path.split(separator: "/").last ?? "")
        guard let parts = Compiler.fileNameParts(document.path) else {
            // Name the file it should have when the front matter says its date and language.
            let suggested =
                effective.flatMap { date in language.map { "\(date.value).\($0.value).md" } } ?? "2018-04-30.nl.md"
            let missingLanguage = fileName.hasSuffix(".md") && CalendarDate.isWellFormed(String(fileName.dropLast(3)))
            sink.error(
                "file name '\(Fields.echo(fileName))' \(missingLanguage ? "has no language" : "is not '<effective-date>.<language>.md'"); rename it to '\(Fields.echo(suggested))'",
                .fileNameMismatch, at: SourceLocation(file: document.path, line: 1, column: 1))
            return
        }
        if let effective, parts.date != effective.value.description {
            sink.error(
                "effective date \(effective.value) does not match the file name '\(Fields.echo(fileName))'; rename the file or correct the date",
                .fileNameMismatch, at: effective.location)
        }
        if let language, parts.language != language.value {
            sink.error(
                "language '\(Fields.echo(language.value))' does not match the file name '\(Fields.echo(fileName))'; rename the file or correct the language",
                .fileNameMismatch, at: language.location)
        }
        if let policy, let folder = parts.policy, folder != policy.value {
            sink.error(
                "policy '\(Fields.echo(policy.value))' does not match its folder '\(Fields.echo(folder))'; move the file to '\(Fields.echo(policy.value))/' or correct the id",
                .fileNameMismatch, at: policy.location)
        }
    }

    // MARK: Front matter parts

    /// One controller (a mapping) or several (a list of mappings, each with an `id`).
    mutating func readControllers(_ front: Fields) -> [Controller] {
        guard let node = front.value("controller", required: true) else { return [] }
        let items: [YAMLNode]
        var several = false
        switch node.content {
        case .sequence(let nodes):
            items = nodes
            several = true
            if nodes.isEmpty {
                sink.error(
                    "'controller' in the front matter is empty; list at least one controller", .emptyValue,
                    at: node.location)
            }
        default: items = [node]
        }
        var controllers: [Controller] = []
        var seen: [String: SourceLocation] = [:]
        for (index, item) in items.enumerated() {
            var what = several ? "controller \(index + 1)" : "the controller"
            if several, case .mapping(let pairs) = item.content, let id = pairs.first(where: { $0.key == "id" }),
                case .scalar(let text, _) = id.value.content, !text.isEmpty
            {
                what = "controller '\(Fields.echo(text))'"
            }
            guard let fields = Fields(item, what: what, allowed: Schemas.controller.keys, sink: sink) else { continue }
            let id = fields.has("id") ? fields.identifier() : nil
            if several && !fields.has("id") {
                sink.error(
                    "\(what) has no 'id'; give each of several controllers an id, such as 'eu' or 'us'", .missingKey,
                    at: item.location)
            }
            let base = several ? "front/controller/\(id?.value ?? String(index + 1))" : "front/controller"
            if let id {
                if let first = seen[id.value] {
                    sink.error(
                        "duplicate controller id '\(id.value)'; give each controller its own id", .duplicateID,
                        at: id.location,
                        notes: [DiagnosticNote("first declared here", at: first)])
                }
                seen[id.value] = id.location
            }
            map.locations[base] = item.location
            for key in Schemas.controller.keys where fields.has(key) {
                map.locations["\(base)/\(key)"] = fields.location(of: key)
            }
            let email = fields.text("email")
            checkEmail(email)
            let country = checkedCountry(fields.text("country"))
            let grounds = transferGrounds(fields, element: what)
            let contact = fields.mapping(
                "privacy-contact", what: "the privacy contact of \(what)", allowed: Schemas.privacyContact.keys
            )
            .flatMap { readContact($0, key: "\(base)/privacy-contact") }
            guard let name = fields.text("name", required: true) else { continue }
            var controller =
                Controller(
                    id: several ? id?.value : nil, name: name.value, region: fields.text("region")?.value,
                    address: fields.text("address")?.value,
                    email: email?.value, phone: fields.text("phone")?.value, website: fields.text("website")?.value,
                    representative: fields.text("representative")?.value, country: country, transferGrounds: grounds,
                    privacyContact: contact)
            readControllerScope(fields, what: what, into: &controller)
            controllers.append(controller)
        }
        return controllers
    }

    mutating func readContact(_ fields: Fields, key: String) -> Contact? {
        map.locations[key] = fields.node.location
        for field in Schemas.privacyContact.keys where fields.has(field) {
            map.locations["\(key)/\(field)"] = fields.location(of: field)
        }
        let email = fields.text("email")
        checkEmail(email)
        let contact = Contact(
            name: fields.text("name")?.value, email: email?.value, phone: fields.text("phone")?.value,
            dpo: fields.bool("dpo")?.value)
        if contact.name == nil && contact.email == nil && contact.phone == nil {
            sink.error(
                "\(fields.what) has no name, email or phone; add at least one", .missingKey, at: fields.node.location)
        }
        return contact
    }

    mutating func readAuthority(_ fields: Fields, base: String) -> Authority? {
        for key in Schemas.supervisoryAuthority.keys where fields.has(key) {
            map.locations["\(base)/\(key)"] = fields.location(of: key)
        }
        let country = checkedCountry(fields.text("country"))
        let residence = fields.bool("residence")
        // The authority where the customer lives needs no name; a named one does.
        let name = fields.text("name", required: residence?.value != true)
        if residence?.value == true, let country = fields.text("country") {
            sink.error(
                "'country' names one authority but 'residence: true' means the customer's own; keep one",
                .conflictingKeys,
                at: country.location, notes: [DiagnosticNote("residence given here", at: residence!.location)])
        }
        guard name != nil || residence?.value == true else { return nil }
        return Authority(
            name: name?.value, country: country, website: fields.text("website")?.value, residence: residence?.value)
    }

    /// The rules a `not-stated` entry may silence: the catalogue's waivable ones, the completeness warnings, which
    /// say what GDPR Art. 13 asks a policy to state. Errors cannot be waived.
    static let waivableRules = Rule.all.filter(\.waivable).map(\.id)

    mutating func readWaivers(_ front: Fields) {
        guard let node = front.value("not-stated", required: false) else { return }
        guard case .sequence(let items) = node.content else {
            sink.error(
                "expected a list for 'not-stated', found \(node.shortDescription); write one '- rule: …' item a waiver",
                .typeMismatch, at: node.location)
            return
        }
        for item in items {
            guard let fields = Fields(item, what: "a 'not-stated' entry", allowed: Schemas.waiver.keys, sink: sink)
            else { continue }
            let rule = fields.text("rule", required: true)
            let element = fields.text("element")
            let reason = fields.text("reason", required: true)
            if let rule, !Self.waivableRules.contains(rule.value) {
                let hint =
                    Suggestion.closest(to: rule.value, in: Self.waivableRules).map { "; did you mean '\($0)'?" }
                    ?? "; only completeness warnings can be waived, such as 'retention-missing'"
                sink.error("'\(Fields.echo(rule.value))' cannot be waived\(hint)", .invalidValue, at: rule.location)
                continue
            }
            if let element, element.value.split(separator: "/").count != 2 {
                sink.error(
                    "invalid element '\(Fields.echo(element.value))' in 'not-stated'; write it as kind/id, such as 'recipient/google'",
                    .invalidValue, at: element.location)
                continue
            }
            guard let rule, let reason else { continue }
            waivers.append(
                (
                    Waiver(rule: rule.value, element: element?.value, reason: reason.value),
                    element?.location ?? rule.location, false
                ))
        }
    }

    /// A waiver's element must be a fact of the file, except for a right the policy leaves out: that one is named by
    /// the right it would be.
    mutating func checkWaiverElements() {
        for index in waivers.indices {
            let entry = waivers[index]
            guard let element = entry.waiver.element, map[element] == nil else { continue }
            let parts = element.split(separator: "/").map(String.init)
            if entry.waiver.rule == Rule.rightMissing.id, parts[0] == "right" {
                if RightKind(rawValue: parts[1]) == nil {
                    let hint = Suggestion.hint(for: parts[1], in: RightKind.allCases.map(\.rawValue))
                    sink.error(
                        "'not-stated' names unknown right '\(Fields.echo(parts[1]))'\(hint)", .invalidValue,
                        at: entry.location)
                    waivers[index].used = true
                }
                continue
            }
            sink.error(
                "'not-stated' names undeclared \(Fields.echo(parts[0])) '\(Fields.echo(parts[1]))'",
                .undeclaredReference, at: entry.location)
            // Reported once: not also as unused.
            waivers[index].used = true
        }
    }

    /// Reports a completeness warning unless a `not-stated` entry silences it; records the silenced ones.
    mutating func warnUnlessWaived(_ message: String, _ rule: Rule, element: String?, at location: SourceLocation) {
        if !waive(message, rule, element: element, at: location) { sink.warning(message, rule, at: location) }
    }

    /// Whether a `not-stated` entry silences this warning; if so, the entry is used and the warning recorded as waived.
    mutating func waive(_ message: String, _ rule: Rule, element: String?, at location: SourceLocation) -> Bool {
        guard
            let index = waivers.firstIndex(where: {
                $0.waiver.rule == rule.id && ($0.waiver.element == nil || $0.waiver.element == element)
            })
        else {
            return false
        }
        waivers[index].used = true
        waived.append(
            WaivedDiagnostic(
                diagnostic: .warning(message, rule: rule, at: location), reason: waivers[index].waiver.reason,
                waiver: waivers[index].location))
        return true
    }

    func checkEmail(_ email: Located<String>?) {
        guard let email else { return }
        let parts = email.value.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || email.value.contains(" ") {
            sink.error("invalid email address '\(Fields.echo(email.value))'", .invalidValue, at: email.location)
        }
    }

    /// Common ways of writing a country that are not ISO 3166-1 alpha-2 codes, and the code meant.
    static let countryAliases = [
        "UK": "GB", "USA": "US", "EL": "GR", "EN": "GB", "NLD": "NL", "DEU": "DE", "GER": "DE", "HOL": "NL",
    ]

    func checkedCountry(_ text: Located<String>?) -> String? {
        guard let text else { return nil }
        guard Countries.all.contains(text.value) else {
            let upper = text.value.uppercased()
            let hint: String
            if let code = Self.countryAliases[upper] {
                hint = "; write '\(code)'"
            } else if Countries.all.contains(upper) {
                hint = "; write '\(upper)'"
            } else {
                hint = "; use an ISO 3166-1 alpha-2 code such as 'NL' or 'US'"
            }
            sink.error("unknown country '\(Fields.echo(text.value))'\(hint)", .invalidValue, at: text.location)
            return nil
        }
        return text.value
    }

    /// `transfer-grounds`: words of the transfer-ground vocabulary. A bare `derogation` must name its Art. 49 ground.
    func transferGrounds(_ fields: Fields, element: String) -> [TransferGround] {
        var grounds: [TransferGround] = []
        for item in fields.list("transfer-grounds") {
            if item.value == "derogation" {
                sink.error(
                    "name the Art. 49 ground of the derogation, such as 'derogation-contract' or 'derogation-consent'",
                    .invalidValue, at: item.location)
                continue
            }
            if let ground = Fields.choice(item, TransferGround.self, key: "transfer ground", what: element, sink: sink),
                !grounds.contains(ground.value)
            {
                grounds.append(ground.value)
            }
        }
        return grounds
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
                if current == nil {
                    current = Section(id: "preamble", heading: "", level: 0, facts: [], paragraphs: [])
                    usedSlugs["preamble"] = 0
                }
                if !block.markdown.text.isEmpty { current?.paragraphs.append(block.markdown.text) }
            case .html:
                break
            case .fact(let fact):
                if current == nil {
                    current = Section(id: "preamble", heading: "", level: 0, facts: [], paragraphs: [])
                    usedSlugs["preamble"] = 0
                }
                let declared = readFacts(fact, node: block.facts, at: block.markdown.location)
                current?.facts += declared
            }
        }
        close(current, into: &sections)
    }

    /// Reads one fact block; returns the `kind/id` keys it declared.
    mutating func readFacts(_ fact: FactBlock, node: YAMLNode?, at location: SourceLocation) -> [String] {
        let blockLines = location.line...(fact.firstContentLine + fact.contentPrefixes.count)
        guard let kind = FactKind(rawValue: fact.kind) else {
            let hint =
                Suggestion.closest(to: fact.kind, in: FactKind.allCases.map(\.rawValue)).map {
                    "; did you mean '\($0)'?"
                }
                ?? "; use one of \(FactKind.allCases.map(\.rawValue).joined(separator: ", ")), or indent the code by four spaces"
            sink.error("unknown fact kind '\(Fields.echo(fact.kind))'\(hint)", .unknownFactKind, at: fact.kindLocation)
            unreadableBlocks.append(blockLines)
            // A misspelt kind is most likely the close one: references to its ids follow from this error.
            if let meant = Suggestion.closest(to: fact.kind, in: FactKind.allCases.map(\.rawValue)).flatMap(
                FactKind.init)
            {
                rejectWrittenIDs(fact, as: meant)
            }
            return []
        }
        if !fact.topLevel && !fact.inListItem {
            sink.error(
                "\(kind.rawValue) block inside a quote; move it out of the quote", .factBlockNested, at: location)
            unreadableBlocks.append(blockLines)
            rejectWrittenIDs(fact, as: kind)
            return []
        }
        guard fact.terminated else {
            unreadableBlocks.append(blockLines)
            rejectWrittenIDs(fact, as: kind)
            return []
        }
        guard let node else {
            // An unreadable block already has its YAML diagnostic; an empty one gets this.
            unreadableBlocks.append(blockLines)
            rejectWrittenIDs(fact, as: kind)
            if !document.diagnostics.contains(where: {
                blockLines.contains($0.location.line) && $0.location.file == document.path
            }) {
                sink.error("empty \(kind.rawValue) block; write the fact as YAML keys", .emptyValue, at: location)
            }
            return []
        }
        var items: [YAMLNode] = []
        switch node.content {
        case .sequence(let nodes): items = nodes
        case .mapping: items = [node]
        case .scalar:
            sink.error(
                "expected \(kind.rawValue) keys, found \(node.shortDescription)", .typeMismatch, at: node.location)
            unreadableBlocks.append(blockLines)
            return []
        }
        var keys: [String] = []
        for item in items {
            if let id = readFact(kind, item) { keys.append("\(kind.rawValue)/\(id)") }
        }
        return keys
    }

    /// The ids a block that could not be read was meant to declare, from its `id:` lines: references to them follow
    /// from the block's own error and are not reported again.
    mutating func rejectWrittenIDs(_ fact: FactBlock, as kind: FactKind) {
        for line in fact.content.split(separator: "\n") {
            var rest = line.drop { $0 == " " || $0 == "\t" }
            if rest.hasPrefix("-") { rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" } }
            guard rest.hasPrefix("id:") else { continue }
            let value = rest.dropFirst(3).trimmingPrefix(while: { $0 == " " || $0 == "\t" })
            let id = String(value.prefix { !$0.isWhitespace && $0 != "#" }).trimming("\"'")
            if !id.isEmpty { rejected.insert("\(kind.rawValue)/\(id)") }
        }
    }

    /// Registers an element's id; reports a duplicate with the first declaration as a note.
    mutating func declare(_ kind: FactKind, _ id: Located<String>) -> Bool {
        let key = "\(kind.rawValue)/\(id.value)"
        if let first = map.locations[key] {
            sink.error(
                "duplicate \(kind.rawValue) id '\(id.value)'; give each \(kind.rawValue) its own id", .duplicateID,
                at: id.location,
                notes: [DiagnosticNote("first declared here", at: first)])
            return false
        }
        map.locations[key] = id.location
        return true
    }

    mutating func remember(_ kind: FactKind, _ id: String, _ fields: Fields) {
        map.factFields[kind.rawValue + "/" + id] = fields.pairs
    }

    mutating func refer(_ items: [Located<String>], to kind: FactKind, from: String) {
        for item in items { references.append((kind, item, from)) }
    }

    mutating func readFact(_ kind: FactKind, _ node: YAMLNode) -> String? {
        let errorsBefore = sink.diagnostics.count
        let id = readFactValues(kind, node)
        if id == nil, case .mapping(let pairs) = node.content, let idPair = pairs.first(where: { $0.key == "id" }),
            case .scalar(let text, _) = idPair.value.content, sink.diagnostics.count > errorsBefore
        {
            rejected.insert("\(kind.rawValue)/\(text.trimming(" \t\n"))")
        }
        return id
    }

    mutating func readFactValues(_ kind: FactKind, _ node: YAMLNode) -> String? {
        // Name the element in messages by its id when it has one.
        var named: String?
        if case .mapping(let pairs) = node.content, let idPair = pairs.first(where: { $0.key == "id" }),
            case .scalar(let id, _) = idPair.value.content, !id.isEmpty
        {
            named = id
        }
        guard let fields = Fields(node, what: kind.rawValue, id: named, allowed: kind.schema.keys, sink: sink) else {
            return nil
        }
        guard let id = kind == .right ? fields.text("id", required: true) : fields.identifier() else {
            // Still read the rest for its diagnostics.
            _ = fields.text(kind == .recipient || kind == .cookie ? "name" : "label")
            return nil
        }
        let element = "\(kind.rawValue) '\(id.value)'"
        let read: Bool
        switch kind {
        case .category: read = readCategory(fields, id, element)
        case .categoryGroup: read = readCategoryGroup(fields, id, element)
        case .purpose: read = readPurpose(fields, id, element)
        case .recipient: read = readRecipient(fields, id, element)
        case .retention: read = readRetention(fields, id, element)
        case .right: read = readRight(fields, id, element)
        case .cookie: read = readCookie(fields, id, element)
        case .automatedDecision: read = readAutomatedDecision(fields, id, element)
        case .securityMeasure: read = readSecurityMeasure(fields, id, element)
        case .commitment: read = readCommitment(fields, id, element)
        }
        guard read else { return nil }
        readAppliesTo(kind, id.value, fields)
        remember(kind, id.value, fields)
        return id.value
    }

    // MARK: One reader a fact kind

    mutating func readCategory(_ fields: Fields, _ id: Located<String>, _ element: String) -> Bool {
        let label = fields.text("label", required: true)
        let item = DataCategory(
            id: id.value, label: label?.value ?? "", required: fields.bool("required")?.value,
            consequence: fields.text("consequence")?.value, source: fields.text("source")?.value,
            heldBefore: fields.bool("held-before")?.value)
        guard label != nil, declare(.category, id) else { return false }
        categories.append(item)
        return true
    }

    mutating func readCategoryGroup(_ fields: Fields, _ id: Located<String>, _ element: String) -> Bool {
        let label = fields.text("label", required: true)
        let members = fields.list("categories", required: true)
        refer(members, to: .category, from: element)
        guard let label, declare(.categoryGroup, id) else { return false }
        categoryGroups.append(CategoryGroup(id: id.value, label: label.value, categories: members.map(\.value)))
        return true
    }

    mutating func readPurpose(_ fields: Fields, _ id: Located<String>, _ element: String) -> Bool {
        let label = fields.text("label", required: true)
        let bases = readBases(fields, element)
        let interest = fields.text("interest")
        let used = fields.list("categories", required: true)
        let statute = fields.text("statute")
        let condition = fields.choice("special-category-condition", SpecialCategoryCondition.self)
        refer(used, to: .category, from: element)
        checkInterest(bases, interest, element)
        guard label != nil, declare(.purpose, id) else { return false }
        purposes.append(
            Purpose(
                id: id.value, label: label!.value, bases: bases.map(\.value), interest: interest?.value,
                categories: used.map(\.value), statute: statute?.value, specialCategoryCondition: condition?.value))
        return true
    }

    /// `basis:` as one word or, where the policy states several bases for one purpose, a list; each stated once.
    mutating func readBases(_ fields: Fields, _ element: String) -> [Located<LegalBasis>] {
        guard case .sequence(_)? = fields.value("basis", required: false)?.content else {
            return fields.choice("basis", LegalBasis.self).map { [$0] } ?? []
        }
        var bases: [Located<LegalBasis>] = []
        for item in fields.list("basis") {
            guard let basis = Fields.choice(item, LegalBasis.self, key: "basis", what: element, sink: sink) else {
                continue
            }
            if let first = bases.first(where: { $0.value == basis.value }) {
                sink.error(
                    "basis '\(basis.value.rawValue)' is listed twice in \(element); list each basis once",
                    .invalidValue, at: basis.location, notes: [DiagnosticNote("first listed here", at: first.location)])
                continue
            }
            bases.append(basis)
        }
        return bases
    }

    /// An interest goes with `legitimate-interests`, and only with it.
    func checkInterest(_ bases: [Located<LegalBasis>], _ interest: Located<String>?, _ element: String) {
        let legitimate = bases.first { $0.value == .legitimateInterests }
        if let legitimate, interest == nil {
            sink.error(
                "\(element) has basis 'legitimate-interests' but states no interest; add 'interest:' (GDPR Art. 13(1)(d))",
                .missingKey, at: legitimate.location)
        }
        if let first = bases.first, legitimate == nil, let interest {
            // Left over from an earlier basis, it would be published as the interest of a purpose that has none.
            let stated =
                bases.count == 1
                ? "its basis is '\(first.value.rawValue)'"
                : "none of its bases is 'legitimate-interests'"
            let fix =
                bases.count == 1
                ? "make the basis 'legitimate-interests'" : "add 'legitimate-interests' to the bases"
            sink.error(
                "\(element) states an interest but \(stated); remove 'interest:' or \(fix)",
                .interestUnneeded, at: interest.location,
                notes: [DiagnosticNote("basis given here", at: first.location)])
        }
    }

    mutating func readRecipient(_ fields: Fields, _ id: Located<String>, _ element: String) -> Bool {
        let name = fields.text("name", required: true)
        let role = fields.choice("role", RecipientRole.self)
        let received = fields.list("categories", required: true)
        let purposesUsed = fields.list("purposes")
        let countries = checkedCountries(fields, element)
        let grounds = transferGrounds(fields, element: element)
        let own = fields.bool("own-purposes")
        let list = fields.text("list-url")
        let storedIn = checkedAreas(fields.list("stored-in"))
        let accessedFrom = checkedAreas(fields.list("accessed-from"))
        let optOut = fields.text("opt-out-url")
        refer(received, to: .category, from: element)
        refer(purposesUsed, to: .purpose, from: element)
        guard let name, declare(.recipient, id) else { return false }
        var recipient = Recipient(
            id: id.value, name: name.value, role: role?.value, categories: received.map(\.value),
            purposes: purposesUsed.map(\.value),
            transferGrounds: grounds, ownPurposes: own?.value, listURL: list?.value)
        recipient.countries = countries
        recipient.storedIn = storedIn
        recipient.accessedFrom = accessedFrom
        recipient.optOutURL = optOut?.value
        recipients.append(recipient)
        return true
    }

    /// A list of places: each a country code or a region (`eea`, `outside-eea`, `worldwide`).
    func checkedAreas(_ items: [Located<String>]) -> [String] {
        items.compactMap { item in
            if Region(rawValue: item.value) != nil { return item.value }
            if Countries.all.contains(item.value) || item.value.count == 2 || Self.countryAliases[item.value] != nil {
                return checkedCountry(item)
            }
            let regions = Region.allCases.map(\.rawValue)
            let hint =
                Suggestion.closest(to: item.value, in: regions).map { "; did you mean '\($0)'?" }
                ?? "; write a country code such as 'NL' or one of \(regions.joined(separator: ", "))"
            sink.error("unknown place '\(Fields.echo(item.value))'\(hint)", .invalidValue, at: item.location)
            return nil
        }
    }

    mutating func readRetention(_ fields: Fields, _ id: Located<String>, _ element: String) -> Bool {
        let covered = fields.list("categories", required: true)
        refer(covered, to: .category, from: element)
        let duration = fields.duration("duration")
        let from = fields.choice("from", RetentionStart.self)
        let ends = readEnds(fields, element)
        let until = ends.first
        let indefinitely = fields.bool("indefinitely")
        let criteria = fields.text("criteria")
        let statute = fields.text("statute")
        if let indefinitely, !indefinitely.value {
            sink.error(
                "'indefinitely: false' in \(element) states no period; remove it and state 'duration', 'until' or 'criteria'",
                .invalidValue, at: indefinitely.location)
        }
        let periods: [(String, SourceLocation)] = [
            ("duration", duration?.location), ("until", until?.location),
            ("indefinitely", indefinitely?.value == true ? indefinitely?.location : nil),
        ]
        .compactMap { key, location in location.map { (key, $0) } }
        if periods.isEmpty && criteria == nil
            && !["duration", "until", "indefinitely", "criteria"].contains(where: fields.has)
        {
            sink.error(
                "\(element) states no period; add 'duration', 'until', 'indefinitely: true' or 'criteria' (GDPR Art. 13(2)(a))",
                .missingKey, at: id.location)
        }
        if periods.count > 1 {
            sink.error(
                "\(element) has both '\(periods[0].0)' and '\(periods[1].0)'; keep one", .conflictingKeys,
                at: periods[1].1,
                notes: [DiagnosticNote("\(periods[0].0) given here", at: periods[0].1)])
        }
        if let from, duration == nil {
            sink.error(
                "'from' in \(element) needs a 'duration' to count from \(from.value.rawValue)", .missingKey,
                at: from.location)
        }
        guard declare(.retention, id) else { return false }
        // `from: collection` is the default, stored as nil so that writing it out is not a change.
        let start = from?.value == .collection ? nil : from?.value
        var item = Retention(
            id: id.value, categories: covered.map(\.value), duration: duration?.value, from: start,
            until: until?.value,
            indefinitely: indefinitely?.value == true ? true : nil, criteria: criteria?.value,
            statute: statute?.value)
        item.backups = fields.duration("backups")?.value
        item.ends = ends.map(\.value)
        readRetentionWording(fields, element, hasDuration: duration != nil, into: &item)
        retention.append(item)
        return true
    }

    mutating func readRight(_ fields: Fields, _ id: Located<String>, _ element: String) -> Bool {
        guard let right = Fields.choice(id, RightKind.self, key: "right", what: "the right block", sink: sink) else {
            return false
        }
        let label = fields.text("label", required: true)
        var channels: [Channel] = []
        for channel in fields.list("channels") {
            if let value = Fields.choice(channel, Channel.self, key: "channel", what: element, sink: sink) {
                channels.append(value.value)
            }
        }
        let response = fields.duration("response")
        let how = fields.text("how")
        let law = fields.choice("law", Law.self)
        guard let label, declare(.right, id) else { return false }
        var item = Right(
            id: right.value, label: label.value, channels: channels, response: response?.value, how: how?.value)
        item.law = law?.value
        rights.append(item)
        return true
    }

    mutating func readCookie(_ fields: Fields, _ id: Located<String>, _ element: String) -> Bool {
        let name = fields.text("name", required: true)
        let providers = fields.list("provider")
        // One purpose as an id, or a list where the cookie serves several.
        let served: [Located<String>] =
            if case .sequence(_)? = fields.value("purpose", required: false)?.content {
                fields.list("purpose")
            } else {
                fields.text("purpose").map { [$0] } ?? []
            }
        refer(providers, to: .recipient, from: element)
        refer(served, to: .purpose, from: element)
        let collected = fields.list("categories")
        refer(collected, to: .category, from: element)
        let consent = fields.bool("consent")
        let category = fields.choice("consent-category", CookieCategory.self)
        checkConsentCategory(category, consent, element)
        let consentFor = fields.text("consent-for")
        if let consentFor, consent?.value != true {
            sink.error(
                "'consent-for' in \(element) says who is asked for consent, but 'consent' is not true; add 'consent: true'",
                .missingKey,
                at: consentFor.location)
        }
        var lifetime: CookieLifetime?
        if let text = fields.text("lifetime") {
            lifetime = CookieLifetime(text.value)
            if lifetime == nil {
                sink.error(
                    "invalid lifetime '\(Fields.echo(text.value))' for \(element); write 'session', 'persistent' or an ISO 8601 duration such as P2Y",
                    .invalidDuration, at: text.location)
            }
        }
        let country = checkedCountry(fields.text("country"))
        guard let name, declare(.cookie, id) else { return false }
        cookies.append(
            Cookie(
                id: id.value, name: name.value, providers: providers.map(\.value), purposes: served.map(\.value),
                consent: consent?.value, consentFor: consentFor?.value, lifetime: lifetime, country: country,
                firstParty: fields.bool("first-party")?.value, consentCategory: category?.value,
                categories: collected.map(\.value)))
        return true
    }

    /// A cookie set on consent is never strictly necessary: consent is a clear affirmative act, and a necessary
    /// cookie is set whatever the visitor chooses (GDPR Art. 4(11), recital 32).
    func checkConsentCategory(_ category: Located<CookieCategory>?, _ consent: Located<Bool>?, _ element: String) {
        guard let category, category.value == .necessary, let consent, consent.value else { return }
        sink.error(
            "\(element) is in the consent category 'necessary' but is set with consent; a necessary cookie is set whatever the visitor chooses, so remove 'consent: true' or choose the category it is asked for",
            .conflictingKeys, at: category.location, notes: [DiagnosticNote("consent given here", at: consent.location)]
        )
    }

    mutating func readAutomatedDecision(_ fields: Fields, _ id: Located<String>, _ element: String) -> Bool {
        let label = fields.text("label", required: true)
        let logic = fields.text("logic", required: true)
        let consequences = fields.text("consequences")
        let ground = fields.choice("ground", AutomatedDecisionGround.self)
        let used = fields.list("categories", required: true)
        refer(used, to: .category, from: element)
        let profiling = fields.bool("profiling")
        guard let label, let logic, declare(.automatedDecision, id) else { return false }
        automatedDecisions.append(
            AutomatedDecision(
                id: id.value, label: label.value, logic: logic.value, consequences: consequences?.value,
                ground: ground?.value, categories: used.map(\.value), profiling: profiling?.value ?? false))
        return true
    }

    mutating func readSecurityMeasure(_ fields: Fields, _ id: Located<String>, _ element: String) -> Bool {
        let label = fields.text("label", required: true)
        let owners = fields.list("recipients")
        refer(owners, to: .recipient, from: element)
        guard let label, declare(.securityMeasure, id) else { return false }
        securityMeasures.append(SecurityMeasure(id: id.value, label: label.value, recipients: owners.map(\.value)))
        return true
    }

    mutating func readCommitment(_ fields: Fields, _ id: Located<String>, _ element: String) -> Bool {
        let label = fields.text("label", required: true)
        let covered = fields.list("categories")
        refer(covered, to: .category, from: element)
        guard let label, declare(.commitment, id) else { return false }
        commitments.append(Commitment(id: id.value, label: label.value, categories: covered.map(\.value)))
        return true
    }

    // MARK: Checks across elements

    /// Replaces each category group named in a list of categories by the group's categories, so every fact lists
    /// categories only and the diff never sees a group.
    mutating func expandGroups() {
        guard !categoryGroups.isEmpty else { return }
        let categoryIDs = Set(categories.map(\.id))
        var groups: [String: [String]] = [:]
        for group in categoryGroups {
            if categoryIDs.contains(group.id) {
                sink.error(
                    "category group '\(group.id)' has the id of a category; give the group its own id", .duplicateID,
                    at: map.best("category-group/\(group.id)"),
                    notes: [DiagnosticNote("category declared here", at: map.best("category/\(group.id)"))])
                continue
            }
            groups[group.id] = group.categories
        }
        for group in categoryGroups {
            for member in group.categories where groups[member] != nil {
                sink.error(
                    "category group '\(group.id)' lists the group '\(member)'; list its categories instead",
                    .invalidValue,
                    at: map.best("category-group/\(group.id)/categories", "category-group/\(group.id)"))
            }
        }
        func expand(_ list: [String]) -> [String] {
            var result: [String] = []
            for id in list {
                for category in groups[id] ?? [id] where !result.contains(category) { result.append(category) }
            }
            return result
        }
        for index in purposes.indices { purposes[index].categories = expand(purposes[index].categories) }
        for index in recipients.indices { recipients[index].categories = expand(recipients[index].categories) }
        for index in retention.indices { retention[index].categories = expand(retention[index].categories) }
        for index in automatedDecisions.indices {
            automatedDecisions[index].categories = expand(automatedDecisions[index].categories)
        }
        for index in commitments.indices { commitments[index].categories = expand(commitments[index].categories) }
    }

    func checkReferences() {
        for reference in references {
            // A reference inside a block that could not be read, or to a fact rejected for its own error, only follows
            // from that error.
            if unreadableBlocks.contains(where: { $0.contains(reference.id.location.line) }) { continue }
            if rejected.contains("\(reference.kind.rawValue)/\(reference.id.value)")
                || (reference.kind == .category && rejected.contains("category-group/\(reference.id.value)"))
            {
                continue
            }
            let declared: [String]
            switch reference.kind {
            case .category: declared = categories.map(\.id) + categoryGroups.map(\.id)
            case .purpose: declared = purposes.map(\.id)
            case .recipient: declared = recipients.map(\.id)
            default: declared = []
            }
            let value = reference.id.value
            guard !declared.contains(value) else { continue }
            let parts = value.split(separator: ",").map { String($0).trimming(" ") }
            let fix: String
            if parts.count > 1 {
                // `categories: a, b` is one YAML word with a comma, not a list.
                fix = "; write a list in brackets: [\(parts.joined(separator: ", "))]"
            } else {
                let hint = Suggestion.hint(for: value, in: declared)
                fix = hint.isEmpty ? "; declare it in a ```\(reference.kind.rawValue) block" : hint
            }
            sink.error(
                "\(reference.from) refers to undeclared \(reference.kind.rawValue) '\(Fields.echo(value))'\(fix)",
                .undeclaredReference, at: reference.id.location)
        }
    }
}
