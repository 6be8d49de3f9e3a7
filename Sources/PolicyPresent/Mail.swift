import PolicyBase
import PolicyDiff
import PolicyModel

/// The words of a change notice in one language: the message `policyc notify` sends to each customer whose data a
/// version's `notify` changes concern. Devoted to the change (WP260 para. 31): no marketing, nothing but what
/// changes, when, where to read it, and how to object or ask.
///
/// The greeting is split around the customer's name so that the name can stay a variable of the mail-merge
/// template: customer values are never part of a template's text.
public struct NoticeText: Sendable, Hashable {
    public var language: String
    public var subject: String
    /// The greeting with a name is `greetingBeforeName + name + greetingAfterName`.
    public var greetingBeforeName: String
    public var greetingAfterName: String
    public var greetingWithoutName: String
    public var intro: String
    /// One sentence per `notify` change, by change id, in the diff's order.
    public var changes: [(id: String, text: String)]
    public var effective: String
    public var links: [String]
    public var object: String
    public var questions: String
    public var closing: String
    public var signature: String

    /// What the notice says of each change to a customer who holds some of its categories; nil when every customer
    /// is told `changes` as they are.
    public var lines: NoticeLines?

    public init(
        language: String, subject: String, greetingBeforeName: String, greetingAfterName: String,
        greetingWithoutName: String, intro: String, changes: [(id: String, text: String)], effective: String,
        links: [String], object: String, questions: String, closing: String, signature: String,
        lines: NoticeLines? = nil
    ) {
        self.language = language
        self.subject = subject
        self.greetingBeforeName = greetingBeforeName
        self.greetingAfterName = greetingAfterName
        self.greetingWithoutName = greetingWithoutName
        self.intro = intro
        self.changes = changes
        self.effective = effective
        self.links = links
        self.object = object
        self.questions = questions
        self.closing = closing
        self.signature = signature
        self.lines = lines
    }

    /// The line about change `index` (of `changes`) for a customer who holds the categories `held` (ids): only the
    /// data of theirs it concerns, in words. `held` nil is every category.
    public func change(_ index: Int, holding held: Set<String>?) -> String {
        lines?.line(index, holding: held) ?? changes[index].text
    }

    /// The line about change `index` around the customer's data (`NoticeLines.parts`); without `lines`, the line
    /// as it is in `changes`, which names no customer's data.
    public func changeParts(_ index: Int) -> (before: String, after: String?) {
        lines?.parts(index) ?? (changes[index].text, nil)
    }

    /// The data of a customer who holds `held` that change `index` concerns, in words; without `lines`, a mark that
    /// only says the change concerns them.
    public func changeData(_ index: Int, holding held: Set<String>?) -> String {
        lines?.data(index, holding: held) ?? "x"
    }

    public static func == (a: NoticeText, b: NoticeText) -> Bool {
        a.language == b.language && a.subject == b.subject && a.intro == b.intro
            && a.changes.map(\.id) == b.changes.map(\.id) && a.changes.map(\.text) == b.changes.map(\.text)
            && a.effective == b.effective && a.links == b.links && a.object == b.object && a.questions == b.questions
            && a.closing == b.closing && a.signature == b.signature && a.greetingBeforeName == b.greetingBeforeName
            && a.greetingAfterName == b.greetingAfterName && a.greetingWithoutName == b.greetingWithoutName
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(language)
        hasher.combine(subject)
        for change in changes {
            hasher.combine(change.id)
            hasher.combine(change.text)
        }
    }
}

extension Presenter {
    /// The notice for `version` (the newer version, in this presenter's language), listing `changes` (its `notify`
    /// records, from the diff in the same language). `previous` is the version compared with, whose labels name what
    /// the newer one no longer has. `versionURL` and `changesURL` are the published addresses, when the site's base
    /// URL is known; `contact` is where questions go.
    ///
    /// A `late` notice is sent on purpose when the version is already in force, or takes effect sooner than its notice
    /// period allows: it says so, and what the customer can do now, instead of asking for an objection before a
    /// date that has passed.
    public func notice(
        version: PolicyVersion, previous: PolicyVersion? = nil, changes: [ChangeRecord], versionURL: String?,
        changesURL: String?, contact: String, late: Bool = false
    ) -> NoticeText {
        let day = date(version.effective)
        let greeting = text("notify.greeting.name", "\u{1}")
        let parts = greeting.components(separatedBy: "\u{1}")
        var links: [String] = []
        if let versionURL { links.append(text("notify.link.version", versionURL)) }
        if let changesURL { links.append(text("notify.link.changes", changesURL)) }
        let labels = (previous?.factTitles ?? [:]).merging(version.factTitles) { _, newer in newer }
        let lines = NoticeLines(presenter: self, records: changes, version: version, labels: labels)
        let notice = late ? "notify.late" : "notify"
        return NoticeText(
            language: language,
            subject: text("\(notice).subject", day),
            greetingBeforeName: parts.first ?? "",
            greetingAfterName: parts.count > 1 ? parts[1] : "",
            greetingWithoutName: text("notify.greeting.none"),
            intro: text("\(notice).intro", day),
            changes: changes.indices.map { (id: changes[$0].id, text: lines.line($0, holding: nil)) },
            effective: text("\(notice).effective", day, String(version.noticePeriodDays)),
            links: links,
            object: text("\(notice).object", day, contact),
            questions: text("notify.questions", contact),
            closing: text("notify.closing"),
            signature: version.controller.name,
            lines: lines)
    }
}
