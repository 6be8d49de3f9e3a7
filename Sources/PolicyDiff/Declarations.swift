import PolicyBase
import PolicyModel

/// Applies the newer version's declarations (front matter `changes`) to the fact records: each names an element and
/// says what its change is, and decides the class of the records it matches. Pure.
public enum Declarations {
    /// Why a declaration was not applied: it is then an error of `check`.
    public enum Problem: Hashable, Sendable {
        /// The element has no change in this version.
        case matchesNothing
        /// The element changed, but not in the way the declaration is about (a `wording` declaration on an element
        /// whose label did not change).
        case otherSort
    }

    /// The records with the declarations applied, and a problem for each declaration (by its index) not applied.
    static func apply(_ declarations: [ChangeDeclaration], to records: [ChangeRecord], held: Set<String>) -> (
        records: [ChangeRecord], problems: [Int: Problem]
    ) {
        var records = records
        var problems: [Int: Problem] = [:]
        for (index, declaration) in declarations.enumerated() {
            let about = records.indices.filter { records[$0].element == declaration.element }
            let matched = about.filter { matches(declaration.kind, records[$0], among: about.map { records[$0] }) }
            if about.isEmpty {
                problems[index] = .matchesNothing
            } else if matched.isEmpty {
                problems[index] = .otherSort
            }
            for i in matched { records[i] = decided(records[i], by: declaration, held: held) }
        }
        return (records, problems)
    }

    /// Whether a declaration of `kind` is about `record`, one of the records of its element.
    static func matches(_ kind: ChangeDeclaration.Kind, _ record: ChangeRecord, among all: [ChangeRecord]) -> Bool {
        switch kind {
        case .wording, .substance:
            return record.field == "label" || record.field == "name"
        case .fromNowOn:
            let newUse = [
                ImpactRules.newPurposeOnExistingData.id, ImpactRules.recipientGetsExistingData.id,
                ImpactRules.recipientPurposesAdded.id,
            ]
            // The transfer of a recipient added in this version is part of that new use; a recipient that moves
            // country is not a new use.
            return newUse.contains(record.rule)
                || (record.kind == .transferIntroduced && all.contains { $0.kind == .recipientAdded })
        }
    }

    /// The record as the declaration classes it. A substance declaration on a record the table already tells
    /// customers about only puts the reason on the record.
    static func decided(_ record: ChangeRecord, by declaration: ChangeDeclaration, held: Set<String>) -> ChangeRecord {
        var result = record
        result.declared = DeclaredChange(kind: declaration.kind, reason: declaration.reason)
        let rule: ImpactRule
        switch declaration.kind {
        case .wording:
            rule = ImpactRules.declaredWording
            result.categories = []
        case .substance where record.impact == .notify:
            return result
        case .substance:
            // What the label now says more concerns the data already held; a label over data collected from now on
            // only is told at collection.
            let heldHere = record.categories.filter(held.contains)
            rule = heldHere.isEmpty ? ImpactRules.newPurposeOnNewData : ImpactRules.declaredSubstance
            if !heldHere.isEmpty { result.categories = heldHere }
        case .fromNowOn:
            rule = ImpactRules.declaredNewData
        }
        result.rule = rule.id
        result.impact = rule.impact
        result.review = nil
        return result
    }
}
