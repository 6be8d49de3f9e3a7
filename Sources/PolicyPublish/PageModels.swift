import PolicyDiff
import PolicyPresent

// What each page shows, as values: built once a page, then written by the Swift generated from the built-in templates
// (BuiltInPages.swift, which reads these values as BuiltInPagesGenerator's schema says) or
// handed to a shop's Mustache templates as `context`, the dictionaries docs/publish.md lists. Every key a template
// asks for is set, with `false` where there is nothing: Mustache looks a missing key up in the enclosing contexts.

struct LinkModel {
    var href: String
    var text: String

    var context: [String: Any] { ["href": href, "text": text] }
}

struct LayoutModel {
    struct Alternate {
        var hreflang: String
        var href: String
        /// The language's own name; only the translations (the language switch) show it.
        var name: String
    }

    var lang: String
    var title: String
    var siteTitle: String
    var root: String
    var csp: String
    var style: String
    var canonical: String?
    /// Every language of this page, itself included.
    var alternates: [Alternate]
    /// The other languages.
    var translations: [Alternate]
    var feed: String?
    var feedTitle: String
    var t: [String: String]

    func context(content: String) -> [String: Any] {
        [
            "lang": lang, "title": title, "siteTitle": siteTitle, "root": root, "csp": csp, "style": style,
            "content": content,
            "canonical": canonical as Any? ?? false,
            "alternates": alternates.map { ["hreflang": $0.hreflang, "href": $0.href] },
            "translations": translations.map { ["hreflang": $0.hreflang, "href": $0.href, "name": $0.name] },
            "hasTranslations": !translations.isEmpty,
            "feed": feed as Any? ?? false,
            "feedTitle": feedTitle,
            "t": t,
        ]
    }
}

struct BannerModel {
    var kind: String
    var label: String
    var text: String
    var href: String?
    var linkText: String
    var changesHref: String?
    /// The link text of `changesHref`, in the tense of that change: past once it took effect.
    var changesText: String = ""

    var context: [String: Any] {
        [
            "kind": kind, "label": label, "text": text, "href": href as Any? ?? false, "linkText": linkText,
            "changesHref": changesHref as Any? ?? false, "changesText": changesText,
        ]
    }
}

struct TocEntry {
    var id: String
    var text: String
    var level: Int

    var context: [String: Any] { ["id": id, "text": text, "level": level] }
}

/// A block of the body: safe HTML (cmark's, a heading with its id), or a fact box.
enum BlockModel {
    case html(String)
    case box(id: String, title: String, rows: [FactBox.Row])

    var context: [String: Any] {
        switch self {
        case .html(let html): ["html": html, "box": false]
        case .box(let id, let title, let rows):
            [
                "html": "",
                "box": ["id": id, "title": title, "rows": rows.map { ["term": $0.term, "value": $0.value] }]
                    as [String: Any],
            ]
        }
    }
}

/// A fact box as the `factbox` template sees it.
struct FactBoxModel {
    var id: String
    var title: String
    var rows: [FactBox.Row]
}

extension BlockModel {
    /// The template's `html`: empty for a box.
    var html: String {
        if case .html(let html) = self { html } else { "" }
    }

    /// The template's `box`: nil (false) for HTML.
    var box: FactBoxModel? {
        if case .box(let id, let title, let rows) = self { FactBoxModel(id: id, title: title, rows: rows) } else { nil }
    }
}

struct ContactRowModel {
    var term: String
    var value: String
    /// An http(s) address or `mailto:`, or nil.
    var href: String?

    var context: [String: Any] { ["term": term, "value": value, "href": href as Any? ?? false] }
}

struct PartyModel {
    var heading: String
    var rows: [ContactRowModel]

    var context: [String: Any] { ["heading": heading, "rows": rows.map(\.context)] }
}

struct VersionPageModel {
    var banner: BannerModel?
    var toc: [TocEntry]
    /// The body up to and including its first `h1`, which the version's status and the contents follow.
    var lead: [BlockModel]
    var blocks: [BlockModel]
    var overview: DataOverview
    var coversHeading: String
    var commitmentsHeading: String
    var notStatedHeading: String
    var parties: [PartyModel]
    var effectiveText: String
    var announcedText: String?
    var changesHref: String?
    /// "What changed on 1 January 2027", or "What changes on …" while the version is upcoming.
    var changesText: String
    var previous: LinkModel?
    var next: LinkModel?
    var versionsHref: String
    var modelHref: String
    var tiltHref: String
    var feed: String
    var t: [String: String]

    var context: [String: Any] {
        [
            "banner": banner?.context as Any? ?? false,
            "toc": toc.map(\.context),
            "lead": lead.map(\.context),
            "blocks": blocks.map(\.context),
            "overview": [
                "caption": overview.caption,
                "columns": overview.columns,
                "rows": overview.rows.map { row -> [String: Any] in
                    [
                        "id": row.id, "category": row.category, "appliesTo": row.appliesTo as Any? ?? false,
                        "purposes": row.purposes, "recipients": row.recipients, "retention": row.retention,
                    ]
                },
                "hasCovers": !overview.covers.isEmpty, "covers": overview.covers, "coversHeading": coversHeading,
                "hasCommitments": !overview.commitments.isEmpty, "commitments": overview.commitments,
                "commitmentsHeading": commitmentsHeading,
                "hasNotStated": !overview.notStated.isEmpty, "notStated": overview.notStated,
                "notStatedHeading": notStatedHeading,
            ] as [String: Any],
            "contact": ["parties": parties.map(\.context)],
            "effectiveText": effectiveText,
            "announcedText": announcedText as Any? ?? false,
            "changesHref": changesHref as Any? ?? false,
            "changesText": changesText,
            "previous": previous?.context as Any? ?? false,
            "next": next?.context as Any? ?? false,
            "versionsHref": versionsHref,
            "modelHref": modelHref,
            "tiltHref": tiltHref,
            "feed": feed,
            "t": t,
        ]
    }
}

struct ImpactGroupModel {
    var impact: String
    var title: String
    var explanation: String
    var items: [String]

    var context: [String: Any] {
        ["impact": impact, "title": title, "explanation": explanation, "items": items.map { ["text": $0] }]
    }
}

/// One word run of a redline: unchanged, inserted or deleted (moved text is inserted or deleted, and marked moved).
struct RunModel {
    /// A space before it: every run of a paragraph but the first.
    var sep: Bool
    var text: String
    var op: RedlineSegment.Operation

    var isEqual: Bool { op == .equal }
    var isInsert: Bool { op == .insert || op == .moveTo }
    var isDelete: Bool { op == .delete || op == .moveFrom }
    var isMoved: Bool { op == .moveTo || op == .moveFrom }

    var context: [String: Any] {
        ["sep": sep, "text": text, "equal": isEqual, "ins": isInsert, "del": isDelete, "moved": isMoved]
    }
}

struct RedlineSectionModel {
    var id: String
    var heading: String
    var status: String
    var paragraphs: [[RunModel]]

    var context: [String: Any] {
        ["id": id, "heading": heading, "status": status, "paragraphs": paragraphs.map { ["runs": $0.map(\.context)] }]
    }
}

struct ChangesPageModel {
    var banner: BannerModel?
    var heading: String
    var fromHref: String
    var fromText: String
    var toHref: String
    var toText: String
    var summary: String?
    /// Said when the version was not announced in advance (a version from before the shop adopted policyc).
    var notAnnounced: String?
    var groups: [ImpactGroupModel]
    var sections: [RedlineSectionModel]
    var t: [String: String]

    var context: [String: Any] {
        [
            "banner": banner?.context as Any? ?? false,
            "heading": heading,
            "fromHref": fromHref, "fromText": fromText,
            "toHref": toHref, "toText": toText,
            "summary": summary as Any? ?? false,
            "notAnnounced": notAnnounced as Any? ?? false,
            "groups": groups.map(\.context),
            "sections": sections.map(\.context),
            "t": t,
        ]
    }
}

struct VersionRowModel {
    var href: String
    var effectiveText: String
    var status: String
    var announcedText: String
    var changesHref: String?
    var changesText: String

    var context: [String: Any] {
        [
            "href": href, "effectiveText": effectiveText, "status": status, "announcedText": announcedText,
            "changesHref": changesHref as Any? ?? false, "changesText": changesText,
        ]
    }
}

struct VersionsPageModel {
    var heading: String
    var caption: String
    var rows: [VersionRowModel]
    var feed: String
    var t: [String: String]

    var context: [String: Any] {
        ["heading": heading, "caption": caption, "rows": rows.map(\.context), "feed": feed, "t": t]
    }
}
