import Foundation
import Mustache

/// The templates and stylesheet pages are made from: the built-in default theme, with any file of a shop's theme
/// folder replacing the built-in one of the same name.
public struct Theme: Sendable {
    /// Every file a theme may hold: `<name>.mustache` for each template, and `style.css`.
    public static let templateNames = DefaultTheme.templates.keys.sorted()
    public static let stylesheetName = "style.css"
    public static var fileNames: [String] { templateNames.map { "\($0).mustache" } + [stylesheetName] }

    /// The text of every template by name, and the stylesheet, as used (built-in or replaced): what a page's
    /// bytes depend on besides its data, so incremental publishing hashes them.
    public let sources: [String: String]
    public let stylesheet: String
    /// The templates used as built in (not replaced, or replaced by the same text). The publisher writes the pages of
    /// these with the Swift generated from them (Sources/PolicyPublish/BuiltInPages.swift), the same bytes faster.
    public private(set) var builtIn: Set<String>
    let library: MustacheLibrary

    public struct TemplateError: Error, Equatable, CustomStringConvertible {
        public var file: String
        public var message: String
        public var description: String { "\(file): \(message)" }

        public init(file: String, message: String) {
            self.file = file
            self.message = message
        }
    }

    /// `overrides` maps a file name (`version.mustache`, `style.css`) to its text; `folder` names them in messages.
    public init(overrides: [String: String] = [:], folder: String = "theme") throws(TemplateError) {
        for name in overrides.keys.sorted() where !Self.fileNames.contains(name) {
            throw TemplateError(
                file: "\(folder)/\(name)",
                message: "unknown theme file; a theme holds \(Self.fileNames.joined(separator: ", "))")
        }
        var sources: [String: String] = [:]
        var library = MustacheLibrary()
        var builtIn = Set<String>()
        _ = Self.escaping
        for name in Self.templateNames {
            let text = overrides["\(name).mustache"] ?? DefaultTheme.templates[name]!
            do {
                // Parsed as written first, so a mistake is reported at its own line and column; then registered
                // behind the pragma that makes `{{value}}` escape with `HTML.escape` (its own line, which the parser
                // drops as a standalone tag, so the template's first line stays a first line).
                _ = try MustacheTemplate(string: text)
                try library.register("{{% CONTENT_TYPE: \(Self.contentType) }}\n" + text, named: name)
            } catch {
                throw TemplateError(
                    file: overrides["\(name).mustache"] != nil
                        ? "\(folder)/\(name).mustache" : "built-in \(name).mustache",
                    message: "not a valid Mustache template (\(error))")
            }
            sources[name] = text
            if text == DefaultTheme.templates[name]! { builtIn.insert(name) }
        }
        self.stylesheet = overrides[Self.stylesheetName] ?? DefaultTheme.stylesheet
        sources[Self.stylesheetName] = stylesheet
        self.sources = sources
        self.library = library
        self.builtIn = builtIn
    }

    /// The same theme with every page made by Mustache: for the tests that hold the built-in pages and the templates
    /// together, byte for byte.
    public func renderingAllByMustache() -> Theme {
        var theme = self
        theme.builtIn = []
        return theme
    }

    /// Whether every one of `names` is the built-in template.
    public func usesBuiltIn(_ names: String...) -> Bool { names.allSatisfy(builtIn.contains) }

    /// Mustache's own HTML escaping compares `Character`s, so a quote or `<` followed by a combining mark is one
    /// grapheme and is not escaped: a text could leave an attribute. Templates escape with `HTML.escape` instead,
    /// which works on bytes (and is faster). Registered once, before any template is parsed.
    static let contentType = "POLICYC_HTML"
    static let escaping: Void = MustacheContentTypes.register(ByteEscaping(), named: contentType)

    struct ByteEscaping: MustacheContentType {
        func escapeText(_ text: String) -> String { HTML.escape(text) }
    }

    /// Renders a template with a context of dictionaries, arrays, strings and booleans.
    public func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }
}
