import PolicyPresent

// The built-in theme's templates (Sources/PolicyPresent/Site/DefaultTheme.swift) written out in Swift: the same bytes
// as Mustache renders from them, without its per-name dictionary and `Mirror` look-ups and its escaping `Character` by
// `Character` (measured: a quarter of a full publish). A page is written here only when all its templates are the
// built-in ones; a shop's template is rendered by Mustache as before. Change a template, change its twin here:
// BuiltInPagesTests renders every page both ways and requires the same bytes.
//
// Each `text` is escaped (`{{value}}`), each `raw` is the template's own markup or HTML the tool made safe
// (`{{{value}}}`: cmark's safe output, the stylesheet, the content inside the layout).

/// A page's bytes as they are written.
struct HTMLWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(32 * 1024) }

    mutating func raw(_ markup: String) { bytes.append(contentsOf: markup.utf8) }

    mutating func text(_ text: String) { HTML.appendEscaped(text, to: &bytes) }
}

extension LayoutModel {
    /// layout.mustache.
    func write(into out: inout HTMLWriter, content: (inout HTMLWriter) -> Void) {
        out.raw("<!DOCTYPE html>\n<html lang=\"")
        out.text(lang)
        out.raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"")
        out.text(csp)
        out.raw("\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>")
        out.text(title)
        out.raw("</title>\n")
        if let canonical {
            out.raw("<link rel=\"canonical\" href=\"")
            out.text(canonical)
            out.raw("\">\n")
        }
        for alternate in alternates {
            out.raw("<link rel=\"alternate\" hreflang=\"")
            out.text(alternate.hreflang)
            out.raw("\" href=\"")
            out.text(alternate.href)
            out.raw("\">\n")
        }
        if let feed {
            out.raw("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"")
            out.text(feedTitle)
            out.raw("\" href=\"")
            out.text(feed)
            out.raw("\">\n")
        }
        out.raw("<style>")
        out.raw(style)
        out.raw("</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">")
        out.text(t["skip"] ?? "")
        out.raw("</a>\n<header class=\"site\">\n<p class=\"site-title\"><a href=\"")
        out.text(root)
        out.raw("index.html\">")
        out.text(siteTitle)
        out.raw("</a></p>\n")
        if !translations.isEmpty {
            out.raw("<nav class=\"languages\" aria-label=\"")
            out.text(t["languages"] ?? "")
            out.raw("\"><ul>")
            for translation in translations {
                out.raw("<li><a href=\"")
                out.text(translation.href)
                out.raw("\" hreflang=\"")
                out.text(translation.hreflang)
                out.raw("\" lang=\"")
                out.text(translation.hreflang)
                out.raw("\">")
                out.text(translation.name)
                out.raw("</a></li>")
            }
            out.raw("</ul></nav>\n")
        }
        out.raw("</header>\n<main id=\"main\">\n")
        content(&out)
        out.raw("\n</main>\n<footer class=\"site\">\n<p>")
        out.text(t["footer"] ?? "")
        out.raw("</p>\n</footer>\n</body>\n</html>\n")
    }
}

extension BannerModel {
    /// banner.mustache, given `t` of the page (the partial looks `t.read-changes` up in the page's context).
    func write(into out: inout HTMLWriter, t: [String: String]) {
        out.raw("<div class=\"banner banner-")
        out.text(kind)
        out.raw("\" role=\"note\"><p><strong>")
        out.text(label)
        out.raw("</strong> ")
        out.text(text)
        if let href {
            out.raw(" <a href=\"")
            out.text(href)
            out.raw("\">")
            out.text(linkText)
            out.raw("</a>")
        }
        if let changesHref {
            out.raw(" <a href=\"")
            out.text(changesHref)
            out.raw("\">")
            out.text(t["read-changes"] ?? "")
            out.raw("</a>")
        }
        out.raw("</p></div>\n")
    }
}

extension VersionPageModel {
    /// version.mustache with its partials banner, factbox, overview and contact.
    func write(into out: inout HTMLWriter) {
        banner?.write(into: &out, t: t)
        out.raw("<nav class=\"toc\" aria-labelledby=\"policyc-toc\">\n<h2 id=\"policyc-toc\">")
        out.text(t["toc"] ?? "")
        out.raw("</h2>\n<ol>\n")
        for entry in toc {
            out.raw("<li class=\"toc-level-")
            out.text(String(entry.level))
            out.raw("\"><a href=\"#")
            out.text(entry.id)
            out.raw("\">")
            out.text(entry.text)
            out.raw("</a></li>\n")
        }
        out.raw("</ol>\n</nav>\n<article class=\"policy\">\n")
        for block in blocks {
            switch block {
            case .html(let html):
                out.raw(html)
            case .box(let id, let title, let rows):
                // factbox.mustache
                out.raw("<aside class=\"facts\" id=\"")
                out.text(id)
                out.raw("\" aria-label=\"")
                out.text(title)
                out.raw("\">\n<p class=\"facts-title\">")
                out.text(title)
                out.raw("</p>\n<dl>\n")
                for row in rows {
                    out.raw("<dt>")
                    out.text(row.term)
                    out.raw("</dt><dd>")
                    out.text(row.value)
                    out.raw("</dd>\n")
                }
                out.raw("</dl>\n</aside>\n")
            }
        }
        out.raw("\n</article>\n")
        writeOverview(into: &out)
        out.raw("\n")
        writeContact(into: &out)
        out.raw("\n<nav class=\"version-links\" aria-labelledby=\"policyc-versions\">\n<h2 id=\"policyc-versions\">")
        out.text(t["this-version"] ?? "")
        out.raw("</h2>\n<ul>\n<li>")
        out.text(effectiveText)
        if let announcedText {
            out.raw(" (")
            out.text(announcedText)
            out.raw(")")
        }
        out.raw("</li>\n")
        if let changesHref {
            out.raw("<li><a href=\"")
            out.text(changesHref)
            out.raw("\">")
            out.text(t["read-changes"] ?? "")
            out.raw("</a></li>\n")
        }
        for link in [previous, next].compactMap({ $0 }) {
            out.raw("<li><a href=\"")
            out.text(link.href)
            out.raw("\">")
            out.text(link.text)
            out.raw("</a></li>\n")
        }
        for (href, key) in [(versionsHref, "all-versions"), (modelHref, "model-json"), (tiltHref, "tilt-json"), (feed, "feed")] {
            out.raw("<li><a href=\"")
            out.text(href)
            out.raw("\">")
            out.text(t[key] ?? "")
            out.raw("</a></li>\n")
        }
        out.raw("</ul>\n</nav>\n")
    }

    /// overview.mustache.
    func writeOverview(into out: inout HTMLWriter) {
        out.raw("<section class=\"overview\" aria-labelledby=\"policyc-overview\">\n<h2 id=\"policyc-overview\">")
        out.text(t["overview"] ?? "")
        out.raw("</h2>\n<div class=\"table-wrap\">\n<table>\n<caption>")
        out.text(overview.caption)
        out.raw("</caption>\n<thead><tr>")
        for column in overview.columns {
            out.raw("<th scope=\"col\">")
            out.text(column)
            out.raw("</th>")
        }
        out.raw("</tr></thead>\n<tbody>\n")
        func paragraphs(_ texts: [String], orNone: Bool) {
            for text in texts {
                out.raw("<p>")
                out.text(text)
                out.raw("</p>")
            }
            if texts.isEmpty && orNone {
                out.raw("<p>")
                out.text(t["none"] ?? "")
                out.raw("</p>")
            }
        }
        for row in overview.rows {
            out.raw("<tr id=\"data-")
            out.text(row.id)
            out.raw("\"><th scope=\"row\">")
            out.text(row.category)
            out.raw("</th><td>")
            paragraphs(row.purposes, orNone: true)
            out.raw("</td><td>")
            paragraphs(row.recipients, orNone: true)
            out.raw("</td><td>")
            paragraphs(row.retention, orNone: false)
            out.raw("</td></tr>\n")
        }
        out.raw("</tbody>\n</table>\n</div>\n")
        if !overview.commitments.isEmpty {
            out.raw("<h3 id=\"policyc-commitments\">")
            out.text(commitmentsHeading)
            out.raw("</h3>\n<ul>\n")
            for commitment in overview.commitments {
                out.raw("<li>")
                out.text(commitment)
                out.raw("</li>\n")
            }
            out.raw("</ul>\n")
        }
        if !overview.notStated.isEmpty {
            out.raw("<h3 id=\"policyc-not-stated\">")
            out.text(notStatedHeading)
            out.raw("</h3>\n<ul>\n")
            for item in overview.notStated {
                out.raw("<li>")
                out.text(item)
                out.raw("</li>\n")
            }
            out.raw("</ul>\n")
        }
        out.raw("</section>\n")
    }

    /// contact.mustache.
    func writeContact(into out: inout HTMLWriter) {
        out.raw("<section class=\"contact\" aria-labelledby=\"policyc-contact\">\n<h2 id=\"policyc-contact\">")
        out.text(t["contact"] ?? "")
        out.raw("</h2>\n")
        for party in parties {
            out.raw("<div class=\"party\">\n<h3>")
            out.text(party.heading)
            out.raw("</h3>\n<dl>\n")
            for row in party.rows {
                out.raw("<dt>")
                out.text(row.term)
                out.raw("</dt><dd>")
                if let href = row.href {
                    out.raw("<a href=\"")
                    out.text(href)
                    out.raw("\">")
                    out.text(row.value)
                    out.raw("</a>")
                } else {
                    out.text(row.value)
                }
                out.raw("</dd>\n")
            }
            out.raw("</dl>\n</div>\n")
        }
        out.raw("</section>\n")
    }
}

extension ChangesPageModel {
    /// changes.mustache with its partial banner.
    func write(into out: inout HTMLWriter) {
        banner?.write(into: &out, t: t)
        out.raw("<article class=\"changes\">\n<h1>")
        out.text(heading)
        out.raw("</h1>\n<p class=\"compared\">")
        out.text(t["compared"] ?? "")
        out.raw(" <a href=\"")
        out.text(fromHref)
        out.raw("\">")
        out.text(fromText)
        out.raw("</a> → <a href=\"")
        out.text(toHref)
        out.raw("\">")
        out.text(toText)
        out.raw("</a></p>\n")
        if let summary {
            out.raw("<section aria-labelledby=\"policyc-summary\">\n<h2 id=\"policyc-summary\">")
            out.text(t["summary"] ?? "")
            out.raw("</h2>\n<p class=\"summary\">")
            out.text(summary)
            out.raw("</p>\n</section>\n")
        }
        out.raw("<section aria-labelledby=\"policyc-changes\">\n<h2 id=\"policyc-changes\">")
        out.text(t["changes"] ?? "")
        out.raw("</h2>\n")
        for group in groups {
            out.raw("<section class=\"impact impact-")
            out.text(group.impact)
            out.raw("\" aria-labelledby=\"impact-")
            out.text(group.impact)
            out.raw("\">\n<h3 id=\"impact-")
            out.text(group.impact)
            out.raw("\">")
            out.text(group.title)
            out.raw("</h3>\n<p class=\"explanation\">")
            out.text(group.explanation)
            out.raw("</p>\n<ul>\n")
            for item in group.items {
                out.raw("<li>")
                out.text(item)
                out.raw("</li>\n")
            }
            out.raw("</ul>\n</section>\n")
        }
        if groups.isEmpty {
            out.raw("<p>")
            out.text(t["no-changes"] ?? "")
            out.raw("</p>\n")
        }
        out.raw("</section>\n<section aria-labelledby=\"policyc-redline\">\n<h2 id=\"policyc-redline\">")
        out.text(t["redline"] ?? "")
        out.raw("</h2>\n<p class=\"legend\">")
        out.text(t["legend"] ?? "")
        out.raw("</p>\n")
        for section in sections {
            out.raw("<section class=\"redline\" aria-labelledby=\"redline-")
            out.text(section.id)
            out.raw("\">\n<h3 id=\"redline-")
            out.text(section.id)
            out.raw("\">")
            out.text(section.heading)
            out.raw(" <span class=\"status\">(")
            out.text(section.status)
            out.raw(")</span></h3>\n")
            for runs in section.paragraphs {
                out.raw("<p>")
                for run in runs {
                    if run.sep { out.raw(" ") }
                    if run.isEqual { out.text(run.text) }
                    if run.isInsert {
                        out.raw(run.isMoved ? "<ins class=\"moved\">[+" : "<ins>[+")
                        out.text(run.text)
                        out.raw("+]</ins>")
                    }
                    if run.isDelete {
                        out.raw(run.isMoved ? "<del class=\"moved\">[-" : "<del>[-")
                        out.text(run.text)
                        out.raw("-]</del>")
                    }
                }
                out.raw("</p>\n")
            }
            out.raw("</section>\n")
        }
        if sections.isEmpty {
            out.raw("<p>")
            out.text(t["no-redline"] ?? "")
            out.raw("</p>\n")
        }
        out.raw("</section>\n</article>\n")
    }
}

extension VersionsPageModel {
    /// versions.mustache.
    func write(into out: inout HTMLWriter) {
        out.raw("<article class=\"versions\">\n<h1>")
        out.text(heading)
        out.raw("</h1>\n<div class=\"table-wrap\">\n<table>\n<caption>")
        out.text(caption)
        out.raw("</caption>\n<thead><tr>")
        for key in ["col-effective", "col-status", "col-announced", "col-changes"] {
            out.raw("<th scope=\"col\">")
            out.text(t[key] ?? "")
            out.raw("</th>")
        }
        out.raw("</tr></thead>\n<tbody>\n")
        for row in rows {
            out.raw("<tr><th scope=\"row\"><a href=\"")
            out.text(row.href)
            out.raw("\">")
            out.text(row.effectiveText)
            out.raw("</a></th><td>")
            out.text(row.status)
            out.raw("</td><td>")
            out.text(row.announcedText)
            out.raw("</td><td>")
            if let changesHref = row.changesHref {
                out.raw("<a href=\"")
                out.text(changesHref)
                out.raw("\">")
                out.text(t["read-changes"] ?? "")
                out.raw("</a>")
            }
            out.raw("</td></tr>\n")
        }
        out.raw("</tbody>\n</table>\n</div>\n<p><a href=\"")
        out.text(feed)
        out.raw("\">")
        out.text(t["feed"] ?? "")
        out.raw("</a></p>\n</article>\n")
    }
}
