import PolicyBase
import PolicyModel

@testable import PolicyPublish

// The `Encodable` forms of the site's JSON, the reference its byte writers (`writeStableJSON`) are held to through
// `StableJSON.encode`: only tests encode these types, so the product keeps the one writer of each. Members as the
// synthesized conformance would encode them (a nil optional left out).

extension VersionInfo: Encodable {
    enum ReferenceKeys: String, CodingKey {
        case policy, language, effective, announced, title, summary, controller, translationOf, contentHash
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: ReferenceKeys.self)
        try container.encode(policy, forKey: .policy)
        try container.encode(language, forKey: .language)
        try container.encode(effective, forKey: .effective)
        try container.encodeIfPresent(announced, forKey: .announced)
        try container.encode(title, forKey: .title)
        try container.encodeIfPresent(summary, forKey: .summary)
        try container.encode(controller, forKey: .controller)
        try container.encodeIfPresent(translationOf, forKey: .translationOf)
        try container.encode(contentHash, forKey: .contentHash)
    }
}

extension SiteState: Encodable {
    enum ReferenceKeys: String, CodingKey {
        case format, keys, versions
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: ReferenceKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(keys, forKey: .keys)
        try container.encode(versions, forKey: .versions)
    }
}

extension RenderContext.VersionsDocument: Encodable {
    enum ReferenceKeys: String, CodingKey {
        case format, today, baseURL, versions
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: ReferenceKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(today, forKey: .today)
        try container.encodeIfPresent(baseURL, forKey: .baseURL)
        try container.encode(versions, forKey: .versions)
    }
}

extension RenderContext.VersionsDocument.Entry: Encodable {
    enum ReferenceKeys: String, CodingKey {
        case policy, language, effective, announced, status, contentHash, title, page, changes, model, tilt
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: ReferenceKeys.self)
        try container.encode(policy, forKey: .policy)
        try container.encode(language, forKey: .language)
        try container.encode(effective, forKey: .effective)
        try container.encodeIfPresent(announced, forKey: .announced)
        try container.encode(status, forKey: .status)
        try container.encode(contentHash, forKey: .contentHash)
        try container.encode(title, forKey: .title)
        try container.encode(page, forKey: .page)
        try container.encodeIfPresent(changes, forKey: .changes)
        try container.encode(model, forKey: .model)
        try container.encode(tilt, forKey: .tilt)
    }
}
