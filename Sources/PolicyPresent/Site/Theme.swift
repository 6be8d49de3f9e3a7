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
            throw TemplateError(file: "\(folder)/\(name)",
                                message: "unknown theme file; a theme holds \(Self.fileNames.joined(separator: ", "))")
        }
        var sources: [String: String] = [:]
        var library = MustacheLibrary()
        for name in Self.templateNames {
            let text = overrides["\(name).mustache"] ?? DefaultTheme.templates[name]!
            do {
                try library.register(text, named: name)
            } catch {
                throw TemplateError(file: overrides["\(name).mustache"] != nil ? "\(folder)/\(name).mustache" : "built-in \(name).mustache",
                                    message: "not a valid Mustache template (\(error))")
            }
            sources[name] = text
        }
        self.stylesheet = overrides[Self.stylesheetName] ?? DefaultTheme.stylesheet
        sources[Self.stylesheetName] = stylesheet
        self.sources = sources
        self.library = library
    }

    /// Renders a template with a context of dictionaries, arrays, strings and booleans.
    public func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }
}
