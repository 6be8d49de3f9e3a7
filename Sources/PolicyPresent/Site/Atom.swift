/// An Atom feed (RFC 4287) of one policy in one language: one entry a version, with its summary and a link to its
/// change page. Written here rather than by a template: a feed reader is strict about XML, and there is nothing
/// for a theme to style.
public struct AtomFeed: Sendable, Hashable {
    public var id: String
    public var language: String
    public var title: String
    /// RFC 3339, e.g. `2027-01-01T00:00:00Z`: the newest entry's date, so the feed changes only with the sources.
    public var updated: String
    public var selfHref: String
    public var alternateHref: String
    public var author: String
    public var entries: [Entry]

    public struct Entry: Sendable, Hashable {
        public var id: String
        public var title: String
        public var updated: String
        public var href: String
        public var summary: String

        public init(id: String, title: String, updated: String, href: String, summary: String) {
            self.id = id
            self.title = title
            self.updated = updated
            self.href = href
            self.summary = summary
        }
    }

    public init(
        id: String, language: String, title: String, updated: String, selfHref: String, alternateHref: String,
        author: String, entries: [Entry]
    ) {
        self.id = id
        self.language = language
        self.title = title
        self.updated = updated
        self.selfHref = selfHref
        self.alternateHref = alternateHref
        self.author = author
        self.entries = entries
    }

    public var xml: String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        out += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(HTML.escape(language))\">\n"
        out += "  <id>\(HTML.escape(id))</id>\n"
        out += "  <title>\(HTML.escape(title))</title>\n"
        out += "  <updated>\(updated)</updated>\n"
        out += "  <author><name>\(HTML.escape(author))</name></author>\n"
        out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(HTML.escape(selfHref))\"/>\n"
        out += "  <link rel=\"alternate\" type=\"text/html\" href=\"\(HTML.escape(alternateHref))\"/>\n"
        for entry in entries {
            out += "  <entry>\n"
            out += "    <id>\(HTML.escape(entry.id))</id>\n"
            out += "    <title>\(HTML.escape(entry.title))</title>\n"
            out += "    <updated>\(entry.updated)</updated>\n"
            out += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(HTML.escape(entry.href))\"/>\n"
            out += "    <summary type=\"text\">\(HTML.escape(entry.summary))</summary>\n"
            out += "  </entry>\n"
        }
        out += "</feed>\n"
        return out
    }
}
