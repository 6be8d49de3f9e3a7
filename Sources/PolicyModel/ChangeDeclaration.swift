import PolicyBase

/// What the editor declares about one change of this version, in the front matter's `changes` list, with a reason
/// on the record (docs/format.md, "Declaring what a change is"). The diff applies it; `check` refuses one that
/// matches no change, or a change of another sort.
public struct ChangeDeclaration: SchemaRecord {
    public enum Kind: String, CaseIterable, Sendable, Hashable, Codable {
        /// A reworded label or name says the same: `editorial`.
        case wording
        /// A reworded label says more (a widened purpose): `notify`.
        case substance
        /// A new use of data already held concerns only data collected from now on: `future`.
        case fromNowOn = "from-now-on"
    }

    public var kind: Kind
    /// The element the change is about: `kind/id` (`recipient/mollie`), `controller` or `controller/<id>`,
    /// `privacy-contact`, `supervisory-authority`.
    public var element: String
    /// Why, for the record: shown on the change page and in the diff's reports.
    public var reason: String

    public init(kind: Kind, element: String, reason: String) {
        self.kind = kind
        self.element = element
        self.reason = reason
    }

    public static let schema = Schemas.changeDeclaration

    public func value(_ key: String) -> FactValue? {
        switch key {
        case kind.rawValue: .text(element)
        case "reason": .text(reason)
        default: nil
        }
    }
}
