import PolicyPresent

/// A page's bytes as they are written by the Swift generated from the built-in templates (BuiltInPages.swift).
/// `text` escapes as a template's `{{value}}` does (with `HTML.escape`, on bytes); `raw` is the template's own markup
/// or HTML the tool made safe (`{{{value}}}`: cmark's safe output, the stylesheet, the content inside the layout).
struct HTMLWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(32 * 1024) }

    mutating func raw(_ markup: String) { bytes.append(contentsOf: markup.utf8) }

    mutating func text(_ text: String) { HTML.appendEscaped(text, to: &bytes) }
}
