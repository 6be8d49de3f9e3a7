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

    public init(
        language: String, subject: String, greetingBeforeName: String, greetingAfterName: String,
        greetingWithoutName: String, intro: String, changes: [(id: String, text: String)], effective: String,
        links: [String], object: String, questions: String, closing: String, signature: String
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
    /// records, from the diff in the same language). `versionURL` and `changesURL` are the published addresses,
    /// when the site's base URL is known; `contact` is where questions go. `late` is true when the notice is sent on
    /// purpose after the notice period began or the version took effect (`policyc notify --late`).
    public func notice(
        version: PolicyVersion, changes: [ChangeRecord], versionURL: String?, changesURL: String?,
        contact: String, late: Bool = false
    ) -> NoticeText {
        let day = date(version.effective)
        let greeting = text("notify.greeting.name", "\u{1}")
        let parts = greeting.components(separatedBy: "\u{1}")
        var links: [String] = []
        if let versionURL { links.append(text("notify.link.version", versionURL)) }
        if let changesURL { links.append(text("notify.link.changes", changesURL)) }
        return NoticeText(
            language: language,
            subject: text("notify.subject", day),
            greetingBeforeName: parts.first ?? "",
            greetingAfterName: parts.count > 1 ? parts[1] : "",
            greetingWithoutName: text("notify.greeting.none"),
            intro: text("notify.intro", day),
            changes: changes.map { (id: $0.id, text: change($0)) },
            effective: text("notify.effective", day),
            links: links,
            object: text("notify.object", day),
            questions: text("notify.questions", contact),
            closing: text("notify.closing"),
            signature: version.controller.name)
    }
}
