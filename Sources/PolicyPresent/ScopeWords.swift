import PolicyDiff
import PolicyModel

extension Presenter {
    /// The customers a change concerns, in words: "customers of De Kaviaar-app in Nederland".
    public func customers(_ scope: ChangeScope, labels: [String: String]) -> String {
        let services = value(.list(scope.services), of: Schemas.appliesTo, labels: labels)
        let regions = value(.list(scope.regions), of: Schemas.appliesTo, labels: labels)
        switch (scope.services.isEmpty, scope.regions.isEmpty) {
        case (false, false): return text("scope.customers-of-in", services, regions)
        case (false, true): return text("scope.customers-of", services)
        case (true, false): return text("scope.customers-in", regions)
        case (true, true): return text("scope.everyone")
        }
    }
}
