import Foundation

/// Writes Sources/PolicyPublish/BuiltInPages.swift from the built-in Mustache templates: the templates are the one
/// source of the built-in pages, and the generated Swift writes the bytes Mustache would, without its run-time
/// look-ups.
/// `BuiltInPagesTests` fails while the committed file is not what this makes from the templates, and rewrites it with
/// `POLICYC_UPDATE_GENERATED=1`.
///
/// It knows the Mustache the templates use (variables, `{{{raw}}}`, sections, inverted sections, partials, dotted names
/// into the interface texts, `{{.}}`, standalone lines) and resolves every name at generation time, innermost context
/// first as Mustache does, through `schema`: the Swift value behind each template variable of docs/publish.md.
struct BuiltInPagesGenerator {
    indirect enum Kind {
        case text, int, bool, optionalText, dict, content
        case object(String)
        case optionalObject(String)
        case list(String)
    }

    struct Field {
        var kind: Kind
        /// A Swift expression; `$` stands for the context the field belongs to.
        var expr: String
    }

    struct TypeSpec {
        var swift: String
        var fields: [String: Field]
    }

    /// The template variables (docs/publish.md) and where the page models (PageModels.swift) hold them. A name a
    /// template uses and this does not list stops the generator.
    static let schema: [String: TypeSpec] = {
        func fields(_ list: [(String, Kind, String?)]) -> [String: Field] {
            Dictionary(uniqueKeysWithValues: list.map { ($0.0, Field(kind: $0.1, expr: $0.2 ?? "$.\($0.0)")) })
        }
        func text(_ names: [String]) -> [(String, Kind, String?)] { names.map { ($0, Kind.text, nil) } }
        return [
            "String": TypeSpec(swift: "String", fields: [:]),
            "Layout": TypeSpec(
                swift: "LayoutModel",
                fields: fields(
                    text(["lang", "title", "siteTitle", "root", "csp", "style", "feedTitle"]) + [
                        ("canonical", .optionalText, nil), ("feed", .optionalText, nil), ("t", .dict, nil),
                        ("content", .content, nil),
                        ("alternates", .list("Alternate"), nil), ("translations", .list("Alternate"), nil),
                        ("hasTranslations", .bool, "!$.translations.isEmpty"),
                    ])),
            "Alternate": TypeSpec(swift: "LayoutModel.Alternate", fields: fields(text(["hreflang", "href", "name"]))),
            "Banner": TypeSpec(
                swift: "BannerModel",
                fields: fields(
                    text(["kind", "label", "text", "linkText", "changesText"]) + [
                        ("href", .optionalText, nil), ("changesHref", .optionalText, nil),
                    ])),
            "Version": TypeSpec(
                swift: "VersionPageModel",
                fields: fields(
                    text(["effectiveText", "changesText", "versionsHref", "modelHref", "tiltHref", "feed"]) + [
                        ("banner", .optionalObject("Banner"), nil), ("toc", .list("Toc"), nil),
                        ("lead", .list("Block"), nil), ("blocks", .list("Block"), nil),
                        ("overview", .object("Overview"), "$"), ("contact", .object("Contact"), "$"),
                        ("announcedText", .optionalText, nil), ("changesHref", .optionalText, nil),
                        ("previous", .optionalObject("Link"), nil), ("next", .optionalObject("Link"), nil),
                        ("t", .dict, nil),
                    ])),
            "Link": TypeSpec(swift: "LinkModel", fields: fields(text(["href", "text"]))),
            "Toc": TypeSpec(swift: "TocEntry", fields: fields(text(["id", "text"]) + [("level", .int, nil)])),
            "Block": TypeSpec(
                swift: "BlockModel",
                fields: fields(
                    text(["html"]) + [
                        ("box", .optionalObject("Box"), nil)
                    ])),
            "Box": TypeSpec(
                swift: "FactBoxModel",
                fields: fields(
                    text(["id", "title"]) + [
                        ("rows", .list("BoxRow"), nil)
                    ])),
            "BoxRow": TypeSpec(swift: "FactBox.Row", fields: fields(text(["term", "value"]))),
            "Overview": TypeSpec(
                swift: "VersionPageModel",
                fields: fields([
                    ("caption", .text, "$.overview.caption"), ("columns", .list("String"), "$.overview.columns"),
                    ("rows", .list("OverviewRow"), "$.overview.rows"),
                    ("hasCovers", .bool, "!$.overview.covers.isEmpty"),
                    ("covers", .list("String"), "$.overview.covers"), ("coversHeading", .text, nil),
                    ("hasCommitments", .bool, "!$.overview.commitments.isEmpty"),
                    ("commitments", .list("String"), "$.overview.commitments"),
                    ("commitmentsHeading", .text, nil),
                    ("hasNotStated", .bool, "!$.overview.notStated.isEmpty"),
                    ("notStated", .list("String"), "$.overview.notStated"),
                    ("notStatedHeading", .text, nil),
                ])),
            "OverviewRow": TypeSpec(
                swift: "DataOverview.Row",
                fields: fields(
                    text(["id", "category"]) + [
                        ("appliesTo", .optionalText, nil), ("purposes", .list("String"), nil),
                        ("recipients", .list("String"), nil),
                        ("retention", .list("String"), nil),
                    ])),
            "Contact": TypeSpec(swift: "VersionPageModel", fields: fields([("parties", .list("Party"), nil)])),
            "Party": TypeSpec(
                swift: "PartyModel",
                fields: fields(
                    text(["heading"]) + [
                        ("rows", .list("ContactRow"), nil)
                    ])),
            "ContactRow": TypeSpec(
                swift: "ContactRowModel",
                fields: fields(
                    text(["term", "value"]) + [
                        ("href", .optionalText, nil)
                    ])),
            "Changes": TypeSpec(
                swift: "ChangesPageModel",
                fields: fields(
                    text(["heading", "fromHref", "fromText", "toHref", "toText"]) + [
                        ("banner", .optionalObject("Banner"), nil), ("summary", .optionalText, nil),
                        ("notAnnounced", .optionalText, nil),
                        ("groups", .list("Group"), nil),
                        ("sections", .list("Section"), nil), ("t", .dict, nil),
                    ])),
            "Group": TypeSpec(
                swift: "ImpactGroupModel",
                fields: fields(
                    text(["impact", "title", "explanation"]) + [
                        ("items", .list("Item"), nil)
                    ])),
            "Item": TypeSpec(swift: "String", fields: fields([("text", .text, "$")])),
            "Section": TypeSpec(
                swift: "RedlineSectionModel",
                fields: fields(
                    text(["id", "heading", "status"]) + [
                        ("paragraphs", .list("Paragraph"), nil)
                    ])),
            "Paragraph": TypeSpec(swift: "[RunModel]", fields: fields([("runs", .list("Run"), "$")])),
            "Run": TypeSpec(
                swift: "RunModel",
                fields: fields([
                    ("sep", .bool, nil), ("text", .text, nil), ("equal", .bool, "$.isEqual"),
                    ("ins", .bool, "$.isInsert"),
                    ("del", .bool, "$.isDelete"), ("moved", .bool, "$.isMoved"),
                ])),
            "Versions": TypeSpec(
                swift: "VersionsPageModel",
                fields: fields(
                    text(["heading", "caption", "feed"]) + [
                        ("rows", .list("VersionRow"), nil), ("t", .dict, nil),
                    ])),
            "VersionRow": TypeSpec(
                swift: "VersionRowModel",
                fields: fields(
                    text(["href", "effectiveText", "status", "announcedText", "changesText"]) + [
                        ("changesHref", .optionalText, nil)
                    ])),
        ]
    }()

    /// The page templates written in Swift, with the context type each is rendered with. (The index page, one a site,
    /// is rendered by Mustache.)
    static let pages: [(template: String, type: String)] = [
        ("layout", "Layout"), ("version", "Version"), ("changes", "Changes"), ("versions", "Versions"),
    ]

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: Parsing

    indirect enum Node {
        case text(String)
        case variable(String, escaped: Bool)
        case section(String, inverted: Bool, [Node])
        case partial(String)
    }

    enum Tag {
        case variable(String, escaped: Bool)
        case open(String, inverted: Bool)
        case close(String)
        case partial(String)

        var canStandAlone: Bool {
            if case .variable = self { return false }
            return true
        }
    }

    enum Piece {
        case text(String)
        case tag(Tag)
    }

    /// The template as nodes. A line holding only one section, inverted-section, closing or partial tag and blanks is
    /// left out with its line end, as the Mustache specification says (and swift-mustache does).
    static func parse(_ template: String, name: String) throws -> [Node] {
        var pieces: [Piece] = []
        for line in lines(template) {
            let linePieces = try tags(in: line, name: name)
            let tagsOnLine = linePieces.compactMap { if case .tag(let tag) = $0 { tag } else { nil } }
            let blank = linePieces.allSatisfy {
                guard case .text(let text) = $0 else { return true }
                return text.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            }
            if tagsOnLine.count == 1, tagsOnLine[0].canStandAlone, blank {
                if case .partial = tagsOnLine[0], case .text(let lead) = linePieces[0], !lead.isEmpty {
                    throw Failure(description: "\(name): an indented standalone partial")
                }
                pieces.append(.tag(tagsOnLine[0]))
            } else {
                pieces += linePieces
            }
        }
        var index = 0
        let nodes = try tree(pieces, &index, closing: nil, name: name)
        return nodes
    }

    static func lines(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == "\n" || character == "\r\n" {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    static func tags(in line: String, name: String) throws -> [Piece] {
        var pieces: [Piece] = []
        var rest = Substring(line)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
            let triple = rest[open.upperBound...].hasPrefix("{")
            let closer = triple ? "}}}" : "}}"
            let start = triple ? rest.index(after: open.upperBound) : open.upperBound
            guard let close = rest[start...].range(of: closer) else {
                throw Failure(description: "\(name): an unclosed tag")
            }
            let inside = rest[start..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            if triple {
                pieces.append(.tag(.variable(inside, escaped: false)))
                continue
            }
            let body = String(inside.dropFirst()).trimmingCharacters(in: .whitespaces)
            switch inside.first {
            case "#": pieces.append(.tag(.open(body, inverted: false)))
            case "^": pieces.append(.tag(.open(body, inverted: true)))
            case "/": pieces.append(.tag(.close(body)))
            case ">": pieces.append(.tag(.partial(body)))
            case "&": pieces.append(.tag(.variable(body, escaped: false)))
            case "!", "=", "%", "$", "<":
                throw Failure(description: "\(name): {{\(inside)}} is not supported by the generator")
            default: pieces.append(.tag(.variable(inside, escaped: true)))
            }
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        return pieces
    }

    static func tree(_ pieces: [Piece], _ index: inout Int, closing: String?, name: String) throws -> [Node] {
        var nodes: [Node] = []
        while index < pieces.count {
            let piece = pieces[index]
            index += 1
            switch piece {
            case .text(let text):
                if case .text(let before) = nodes.last {
                    nodes[nodes.count - 1] = .text(before + text)
                } else {
                    nodes.append(.text(text))
                }
            case .tag(.variable(let key, let escaped)): nodes.append(.variable(key, escaped: escaped))
            case .tag(.partial(let partial)): nodes.append(.partial(partial))
            case .tag(.open(let key, let inverted)):
                nodes.append(.section(key, inverted: inverted, try tree(pieces, &index, closing: key, name: name)))
            case .tag(.close(let key)):
                guard key == closing else { throw Failure(description: "\(name): {{/\(key)}} closes nothing") }
                return nodes
            }
        }
        if let closing { throw Failure(description: "\(name): {{#\(closing)}} is not closed") }
        return nodes
    }
}

// MARK: Writing Swift

extension BuiltInPagesGenerator {
    /// A context on Mustache's stack: the Swift variable holding it and its type in `schema`.
    struct Scope {
        var variable: String
        var type: String
    }

    /// The whole generated file.
    static func source(templates: [String: String]) throws -> String {
        var generator = Emitter(templates: [:])
        for (name, text) in templates { generator.templates[name] = try parse(text, name: name) }
        // The generated file is not formatted by swift-format: its shape is the generator's.
        var out = """
            // swift-format-ignore-file
            // Generated by Tests/PolicyPublishTests/BuiltInPagesGenerator.swift from the built-in templates
            // (Sources/PolicyPresent/Site/DefaultTheme.swift). Do not edit: change a template, then run
            // `POLICYC_UPDATE_GENERATED=1 swift test --filter BuiltInPagesTests` to write this file again.
            import PolicyPresent

            """
        for (template, type) in pages {
            out += try generator.page(template, type: type)
        }
        out += generator.helpers.joined()
        return out
    }

    struct Emitter {
        var templates: [String: [Node]]
        var helpers: [String] = []
        var helperNames: Set<String> = []

        mutating func page(_ template: String, type: String) throws -> String {
            let swiftType = try spec(type).swift
            let signature =
                template == "layout"
                ? "func write(into out: inout HTMLWriter, content: (inout HTMLWriter) -> Void)"
                : "func write(into out: inout HTMLWriter)"
            var lines = [
                "", "extension \(swiftType) {", "    /// \(template).mustache.", "    \(signature) {",
                "        let v0 = self",
            ]
            lines += try body(
                templates[template]!, scopes: [Scope(variable: "v0", type: type)], narrowed: [:],
                path: template, indent: "        ")
            lines += ["    }", "}", ""]
            return lines.joined(separator: "\n")
        }

        func spec(_ type: String) throws -> TypeSpec {
            guard let spec = BuiltInPagesGenerator.schema[type] else {
                throw Failure(description: "no type \(type) in the schema")
            }
            return spec
        }

        /// Finds `key` innermost first; `narrowed` holds optionals already unwrapped by an enclosing section.
        func resolve(_ key: String, _ scopes: [Scope], _ narrowed: [String: String]) throws
            -> (field: Field, expr: String, id: String)
        {
            for (index, scope) in scopes.enumerated().reversed() {
                if let field = try spec(scope.type).fields[key] {
                    let id = "\(index).\(key)"
                    if let variable = narrowed[id] { return (Field(kind: .text, expr: "$"), variable, id) }
                    return (field, field.expr.replacingOccurrences(of: "$", with: scope.variable), id)
                }
            }
            throw Failure(description: "{{\(key)}}: no context on the stack (\(scopes.map(\.type))) has it")
        }

        mutating func body(
            _ nodes: [Node], scopes: [Scope], narrowed: [String: String], path: String,
            indent: String
        ) throws -> [String] {
            var lines: [String] = []
            for node in nodes {
                switch node {
                case .text(let text): lines.append(indent + "out.raw(\(BuiltInPagesGenerator.literal(text)))")
                case .variable(let key, let escaped):
                    lines.append(indent + (try variable(key, escaped: escaped, scopes, narrowed)))
                case .partial(let name):
                    guard let nodes = templates[name] else { throw Failure(description: "no partial \(name)") }
                    let call = try helper(nodes, scopes: scopes, narrowed: narrowed, name: path + "_" + name)
                    lines.append(indent + call)
                case .section(let key, let inverted, let children):
                    lines += try section(
                        key, inverted: inverted, children, scopes: scopes, narrowed: narrowed,
                        path: path, indent: indent)
                }
            }
            return lines
        }

        func variable(_ key: String, escaped: Bool, _ scopes: [Scope], _ narrowed: [String: String]) throws -> String {
            let write = escaped ? "out.text" : "out.raw"
            if key == "." {
                guard try spec(scopes.last!.type).swift == "String" else {
                    throw Failure(description: "{{.}} of a \(scopes.last!.type)")
                }
                return "\(write)(\(scopes.last!.variable))"
            }
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            let (field, expr, _) = try resolve(parts[0], scopes, narrowed)
            switch (field.kind, parts.count) {
            case (.text, 1): return "\(write)(\(expr))"
            case (.int, 1): return "\(write)(String(\(expr)))"
            case (.content, 1) where !escaped: return "content(&out)"
            case (.dict, 2): return "\(write)(\(expr)[\(BuiltInPagesGenerator.literal(parts[1]))] ?? \"\")"
            default: throw Failure(description: "{{\(key)}} is a \(field.kind), not a text")
            }
        }

        mutating func section(
            _ key: String, inverted: Bool, _ children: [Node], scopes: [Scope],
            narrowed: [String: String],
            path: String, indent: String
        ) throws -> [String] {
            let (field, expr, id) = try resolve(key, scopes, narrowed)
            let inner = indent + "    "
            let next = "v\(scopes.count)"
            func wrap(_ head: String, _ lines: [String]) -> [String] { [indent + head + " {"] + lines + [indent + "}"] }
            func inside(_ scopes: [Scope], _ narrowed: [String: String]) throws -> [String] {
                try body(children, scopes: scopes, narrowed: narrowed, path: path, indent: inner)
            }
            switch (field.kind, inverted) {
            case (.bool, _):
                return wrap("if \(inverted ? "!" : "")\(expr)", try inside(scopes, narrowed))
            case (.optionalText, false):
                var narrowed = narrowed
                narrowed[id] = next
                let scopes = scopes + [Scope(variable: next, type: "String")]
                return wrap("if let \(next) = \(expr)", try inside(scopes, narrowed))
            case (.optionalObject(let type), false):
                let scopes = scopes + [Scope(variable: next, type: type)]
                return wrap("if let \(next) = \(expr)", try inside(scopes, narrowed))
            case (.optionalText, true), (.optionalObject, true):
                return wrap("if \(expr) == nil", try inside(scopes, narrowed))
            case (.object(let type), false):
                let scopes = scopes + [Scope(variable: next, type: type)]
                return wrap("do", [inner + "let \(next) = \(expr)"] + (try inside(scopes, narrowed)))
            case (.text, false):
                let scopes = scopes + [Scope(variable: next, type: "String")]
                return wrap("do", [inner + "let \(next) = \(expr)"] + (try inside(scopes, narrowed)))
            case (.list(let type), false):
                let scopes = scopes + [Scope(variable: next, type: type)]
                let call = try helper(children, scopes: scopes, narrowed: narrowed, name: path + "_" + key)
                return wrap("for \(next) in \(expr)", [inner + call])
            case (.list, true):
                return wrap("if \(expr).isEmpty", try inside(scopes, narrowed))
            default:
                throw Failure(description: "{{\(inverted ? "^" : "#")\(key)}} on a \(field.kind)")
            }
        }

        /// A function of its own for a partial or a list's item, given every context on the stack: keeps each function
        /// short, and a partial included twice is written once for each stack it is included in.
        mutating func helper(
            _ nodes: [Node], scopes: [Scope], narrowed: [String: String],
            name: String
        ) throws -> String {
            var name = name.replacingOccurrences(of: "-", with: "_")
            if helperNames.contains(name) {
                var number = 2
                while helperNames.contains("\(name)\(number)") { number += 1 }
                name += "\(number)"
            }
            helperNames.insert(name)
            let parameters = try scopes.map { "_ \($0.variable): \(try spec($0.type).swift)" }.joined(separator: ", ")
            let lines = try body(nodes, scopes: scopes, narrowed: narrowed, path: name, indent: "    ")
            helpers.append(
                (["", "private func \(name)(_ out: inout HTMLWriter, \(parameters)) {"] + lines + ["}", ""])
                    .joined(separator: "\n"))
            return "\(name)(&out, \(scopes.map(\.variable).joined(separator: ", ")))"
        }
    }

    /// A Swift string literal of `text`.
    static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
