import Foundation
import PolicyBase
import PolicyModel

/// A policy is read in one language from its page to its mail: a file in a language policyc has no strings table
/// for is an error at its `language` value, so no command ever writes its pages, mails or reports with another
/// language's words around its labels. Every command that compiles policies runs it beside the translation check.
public enum LanguageCheck {
    public static func check(_ documents: [CompiledDocument]) -> [Diagnostic] {
        documents.compactMap { document in
            guard let language = document.version?.language, Identifiers.isLanguageTag(language),
                !Presenter.hasWords(for: language)
            else { return nil }
            return .error(message(language), rule: .languageUnsupported, at: document.sourceMap.best("front/language"))
        }
    }

    /// "policyc has no words for Spanish ('es'); …": languages by their English names, as every diagnostic is English.
    static func message(_ language: String) -> String {
        let named = { (code: String) -> String in
            let base = String(code.split(separator: "-").first ?? "")
            return englishName(base).map { "\($0) ('\(code)')" } ?? "the language '\(code)'"
        }
        let known = Presenter.languages.map { (name: englishName($0) ?? $0, code: $0) }.sorted { $0.name < $1.name }
            .map { "\($0.name) ('\($0.code)')" }
        let choices = known.dropLast().joined(separator: ", ") + " or " + known.last!
        return
            "policyc has no words for \(named(language)): the pages, mails and reports of this file would mix in another language; write it in \(choices)"
    }

    static func englishName(_ code: String) -> String? {
        Locale(identifier: "en").localizedString(forLanguageCode: code).flatMap { $0 == code ? nil : $0 }
    }
}
