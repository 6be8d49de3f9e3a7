/// The built-in theme: Mustache templates and a stylesheet, as string literals so the static binary needs no files
/// beside it. A shop replaces any of them by putting a file of the same name (`version.mustache`, `style.css`) in
/// the theme folder named in `policyc.yaml`; docs/publish.md lists every variable.
///
/// Rules every template here keeps, and a replacement should keep:
/// - `{{value}}` (escaped) for every text; `{{{value}}}` only for HTML the tool made safe (cmark's safe output,
///   the layout's `content`, the stylesheet);
/// - no script, no resource from another host: the Content-Security-Policy in the layout forbids both, and its
///   style hash is computed from `style` exactly as the layout writes it between `<style>` and `</style>`.
///
/// These templates are the one source of the built-in pages. While they are not replaced, the publisher writes pages
/// with Swift generated from them (Sources/PolicyPublish/BuiltInPages.swift, made by
/// Tests/PolicyPublishTests/BuiltInPagesGenerator.swift; the same bytes as Mustache, without its run-time look-ups).
/// After a change here, `POLICYC_UPDATE_GENERATED=1 swift test --filter BuiltInPagesTests` writes it again;
/// BuiltInPagesTests fails until then.
enum DefaultTheme {
    static let templates: [String: String] = [
        "layout": layout, "version": version, "changes": changes, "versions": versions, "index": index,
        "factbox": factbox, "overview": overview, "banner": banner, "contact": contact,
    ]

    static let layout = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="{{csp}}">
        <meta name="referrer" content="no-referrer">
        <title>{{title}}</title>
        {{#canonical}}<link rel="canonical" href="{{canonical}}">
        {{/canonical}}{{#alternates}}<link rel="alternate" hreflang="{{hreflang}}" href="{{href}}">
        {{/alternates}}{{#feed}}<link rel="alternate" type="application/atom+xml" title="{{feedTitle}}" href="{{feed}}">
        {{/feed}}<style>{{{style}}}</style>
        </head>
        <body>
        <a class="skip" href="#main">{{t.skip}}</a>
        <header class="site">
        <p class="site-title"><a href="{{root}}index.html">{{siteTitle}}</a></p>
        {{#hasTranslations}}<nav class="languages" aria-label="{{t.languages}}"><ul>{{#translations}}<li><a href="{{href}}" hreflang="{{hreflang}}" lang="{{hreflang}}">{{name}}</a></li>{{/translations}}</ul></nav>
        {{/hasTranslations}}</header>
        <main id="main">
        {{{content}}}
        </main>
        <footer class="site">
        <p>{{t.footer}}</p>
        </footer>
        </body>
        </html>

        """

    static let banner = """
        {{#banner}}<div class="banner banner-{{kind}}" role="note"><p><strong>{{label}}</strong> {{text}}{{#href}} <a href="{{href}}">{{linkText}}</a>.{{/href}}{{#changesHref}} <a href="{{changesHref}}">{{changesText}}</a>{{/changesHref}}</p></div>
        {{/banner}}
        """

    static let version = """
        {{> banner}}
        <article class="policy">
        {{#lead}}{{{html}}}{{#box}}{{> factbox}}{{/box}}{{/lead}}
        <div class="version-status">
        <p>{{effectiveText}}{{#announcedText}} ({{announcedText}}){{/announcedText}}.</p>
        <ul>
        {{#changesHref}}<li><a href="{{changesHref}}">{{changesText}}</a></li>
        {{/changesHref}}{{#previous}}<li><a href="{{href}}">{{text}}</a></li>
        {{/previous}}<li><a href="{{versionsHref}}">{{t.all-versions}}</a></li>
        </ul>
        </div>
        <nav class="toc" aria-labelledby="policyc-toc">
        <details>
        <summary id="policyc-toc">{{t.toc}}</summary>
        <ol>
        {{#toc}}<li class="toc-level-{{level}}"><a href="#{{id}}">{{text}}</a></li>
        {{/toc}}</ol>
        </details>
        </nav>
        {{#blocks}}{{{html}}}{{#box}}{{> factbox}}{{/box}}{{/blocks}}
        </article>
        {{#overview}}{{> overview}}{{/overview}}
        {{#contact}}{{> contact}}{{/contact}}
        <nav class="version-links" aria-labelledby="policyc-versions">
        <h2 id="policyc-versions">{{t.this-version}}</h2>
        <ul>
        <li>{{effectiveText}}{{#announcedText}} ({{announcedText}}){{/announcedText}}</li>
        {{#changesHref}}<li><a href="{{changesHref}}">{{changesText}}</a></li>
        {{/changesHref}}{{#previous}}<li><a href="{{href}}">{{text}}</a></li>
        {{/previous}}{{#next}}<li><a href="{{href}}">{{text}}</a></li>
        {{/next}}<li><a href="{{versionsHref}}">{{t.all-versions}}</a></li>
        <li><a href="{{modelHref}}">{{t.model-json}}</a></li>
        <li><a href="{{tiltHref}}">{{t.tilt-json}}</a></li>
        <li><a href="{{feed}}">{{t.feed}}</a></li>
        </ul>
        </nav>

        """

    static let factbox = """
        <aside class="facts" id="{{id}}" aria-labelledby="{{id}}-title">
        <p class="facts-title" id="{{id}}-title">{{title}}</p>
        <dl>
        {{#rows}}<dt>{{term}}</dt><dd>{{value}}</dd>
        {{/rows}}</dl>
        </aside>

        """

    static let overview = """
        <section class="overview" aria-labelledby="policyc-overview">
        <h2 id="policyc-overview">{{t.overview}}</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="policyc-overview-caption">
        <table>
        <caption id="policyc-overview-caption">{{caption}}</caption>
        <thead><tr>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{#rows}}<tr id="data-{{id}}"><th scope="row">{{category}}{{#appliesTo}}<p class="applies-to">{{appliesTo}}</p>{{/appliesTo}}</th><td>{{#purposes}}<p>{{.}}</p>{{/purposes}}{{^purposes}}<p>{{t.none}}</p>{{/purposes}}</td><td>{{#recipients}}<p>{{.}}</p>{{/recipients}}{{^recipients}}<p>{{t.none}}</p>{{/recipients}}</td><td>{{#retention}}<p>{{.}}</p>{{/retention}}</td></tr>
        {{/rows}}</tbody>
        </table>
        </div>
        {{#hasCovers}}<h3 id="policyc-covers">{{coversHeading}}</h3>
        <ul>
        {{#covers}}<li>{{.}}</li>
        {{/covers}}</ul>
        {{/hasCovers}}{{#hasCommitments}}<h3 id="policyc-commitments">{{commitmentsHeading}}</h3>
        <ul>
        {{#commitments}}<li>{{.}}</li>
        {{/commitments}}</ul>
        {{/hasCommitments}}{{#hasNotStated}}<h3 id="policyc-not-stated">{{notStatedHeading}}</h3>
        <ul>
        {{#notStated}}<li>{{.}}</li>
        {{/notStated}}</ul>
        {{/hasNotStated}}</section>

        """

    static let contact = """
        <section class="contact" aria-labelledby="policyc-contact">
        <h2 id="policyc-contact">{{t.contact}}</h2>
        {{#parties}}<div class="party">
        <h3>{{heading}}</h3>
        <dl>
        {{#rows}}<dt>{{term}}</dt><dd>{{#href}}<a href="{{href}}">{{value}}</a>{{/href}}{{^href}}{{value}}{{/href}}</dd>
        {{/rows}}</dl>
        </div>
        {{/parties}}</section>

        """

    static let changes = """
        {{> banner}}
        <article class="changes">
        <h1>{{heading}}</h1>
        <p class="compared">{{t.compared}} <a href="{{fromHref}}">{{fromText}}</a> → <a href="{{toHref}}">{{toText}}</a></p>
        {{#notAnnounced}}<p class="not-announced">{{notAnnounced}}</p>
        {{/notAnnounced}}{{#summary}}<section aria-labelledby="policyc-summary">
        <h2 id="policyc-summary">{{t.summary}}</h2>
        <p class="summary">{{summary}}</p>
        </section>
        {{/summary}}<section aria-labelledby="policyc-changes">
        <h2 id="policyc-changes">{{t.changes}}</h2>
        {{#groups}}<section class="impact impact-{{impact}}" aria-labelledby="impact-{{impact}}">
        <h3 id="impact-{{impact}}">{{title}}</h3>
        <p class="explanation">{{explanation}}</p>
        <ul>
        {{#items}}<li>{{text}}</li>
        {{/items}}</ul>
        </section>
        {{/groups}}{{^groups}}<p>{{t.no-changes}}</p>
        {{/groups}}</section>
        <section aria-labelledby="policyc-redline">
        <h2 id="policyc-redline">{{t.redline}}</h2>
        <p class="legend">{{t.legend}}</p>
        {{#sections}}<section class="redline" aria-labelledby="redline-{{id}}">
        <h3 id="redline-{{id}}">{{heading}} <span class="status">({{status}})</span></h3>
        {{#paragraphs}}<p>{{#runs}}{{#sep}} {{/sep}}{{#equal}}{{text}}{{/equal}}{{#ins}}<ins{{#moved}} class="moved"{{/moved}}>[+{{text}}+]</ins>{{/ins}}{{#del}}<del{{#moved}} class="moved"{{/moved}}>[-{{text}}-]</del>{{/del}}{{/runs}}</p>
        {{/paragraphs}}</section>
        {{/sections}}{{^sections}}<p>{{t.no-redline}}</p>
        {{/sections}}</section>
        </article>

        """

    static let versions = """
        <article class="versions">
        <h1>{{heading}}</h1>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="policyc-versions-caption">
        <table>
        <caption id="policyc-versions-caption">{{caption}}</caption>
        <thead><tr><th scope="col">{{t.col-effective}}</th><th scope="col">{{t.col-status}}</th><th scope="col">{{t.col-announced}}</th><th scope="col">{{t.col-changes}}</th></tr></thead>
        <tbody>
        {{#rows}}<tr><th scope="row"><a href="{{href}}">{{effectiveText}}</a></th><td>{{status}}</td><td>{{announcedText}}</td><td>{{#changesHref}}<a href="{{changesHref}}">{{changesText}}</a>{{/changesHref}}</td></tr>
        {{/rows}}</tbody>
        </table>
        </div>
        <p><a href="{{feed}}">{{t.feed}}</a></p>
        </article>

        """

    static let index = """
        <article class="index">
        <h1>{{siteTitle}}</h1>
        {{#policies}}<section aria-labelledby="policy-{{id}}">
        <h2 id="policy-{{id}}">{{title}}</h2>
        <ul>
        {{#languages}}<li lang="{{hreflang}}"><a href="{{href}}" hreflang="{{hreflang}}">{{name}}</a>: {{title}} · <a href="{{versionsHref}}" hreflang="{{hreflang}}">{{allVersions}}</a></li>
        {{/languages}}</ul>
        </section>
        {{/policies}}<p><a href="versions.json">versions.json</a></p>
        </article>

        """

    /// Readable on a phone (one column, fluid type, tables that scroll sideways under a caption that stays in view
    /// and wraps) and in print (no navigation, addresses of links written out, boxes kept whole). Changes are marked
    /// by text (`[+ +]`, `[- -]`) as well as by underline and strike-through, so the redline reads without colour.
    static let stylesheet = """
        :root{--ink:#1b1b1b;--muted:#555;--line:#c8c8c8;--box:#f4f6f8;--accent:#0b5394}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
        body{margin:0 auto;max-width:46rem;padding:0 1rem 3rem;font:1.0625rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff;overflow-wrap:break-word}
        a{color:var(--accent)}
        .skip{position:absolute;left:-100vw}
        .skip:focus{position:static}
        header.site{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:.5rem;border-bottom:1px solid var(--line);padding:.75rem 0}
        .site-title{margin:0;font-weight:600}
        .languages ul{list-style:none;display:flex;gap:.75rem;margin:0;padding:0}
        footer.site{border-top:1px solid var(--line);margin-top:3rem;color:var(--muted);font-size:.875rem}
        h1{font-size:1.75rem;line-height:1.25}
        h2{font-size:1.375rem;margin-top:2rem}
        h3{font-size:1.125rem}
        .banner{border:2px solid var(--ink);padding:.25rem 1rem;margin:1rem 0;background:#fff8e1}
        .banner-archived{background:#f3f3f3}
        .version-status{border-left:4px solid var(--accent);padding:.25rem 1rem;margin:1rem 0}
        .version-status p{margin:.25rem 0;font-weight:600}
        .version-status ul{margin:.25rem 0;padding-left:1.25rem}
        .toc summary{cursor:pointer;font-weight:600;padding:.25rem 0}
        .toc ol{list-style:none;padding-left:0}
        .toc .toc-level-3{margin-left:1rem}
        .toc .toc-level-4,.toc .toc-level-5,.toc .toc-level-6{margin-left:2rem}
        .facts{background:var(--box);border-left:4px solid var(--accent);padding:.5rem 1rem;margin:1rem 0;break-inside:avoid}
        .facts-title{font-weight:600;margin:.25rem 0}
        .facts dl{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr;gap:.25rem 1rem;margin:.25rem 0}
        .facts dt,.contact dt{font-weight:600}
        .contact dl{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr;gap:.25rem 1rem}
        .contact dd{margin:0;white-space:pre-line}
        .facts dd{margin:0}
        .table-wrap{overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-size:.9375rem}
        caption{text-align:left;font-weight:600;padding:.5rem 0;position:sticky;left:0;max-width:calc(100vw - 2rem)}
        th,td{border:1px solid var(--line);padding:.375rem .5rem;text-align:left;vertical-align:top}
        td p,th p{margin:0 0 .25rem}
        th .applies-to{font-weight:400;margin:.25rem 0 0}
        thead th{background:var(--box)}
        ins{text-decoration:underline;background:#e6f4ea}
        del{text-decoration:line-through;background:#fce8e6}
        ins.moved,del.moved{font-style:italic}
        .redline .status,.explanation,.legend{color:var(--muted)}
        @media (max-width:30rem){body{font-size:1rem}.facts dl,.contact dl{grid-template-columns:1fr}.facts dd{margin-bottom:.5rem}}
        @media print{
        body{max-width:none;font-size:11pt;color:#000}
        .skip,.languages,.toc,.version-links,footer.site{display:none}
        a{color:#000}
        article a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em}
        .banner,.facts,tr{break-inside:avoid}
        ins,del{background:none}
        h2,h3{break-after:avoid}
        }

        """
}
