/// The conditions of GDPR Art. 9(2) under which special categories of personal data (health, religion, …) may be
/// processed: the legal reference a purpose names beside its Art. 6 basis when it uses such data.
public enum SpecialCategoryCondition: String, Codable, Hashable, Sendable, CaseIterable {
    case explicitConsent = "explicit-consent"
    case employment
    case vitalInterests = "vital-interests"
    case notForProfit = "not-for-profit"
    case madePublic = "made-public"
    case legalClaims = "legal-claims"
    case substantialPublicInterest = "substantial-public-interest"
    case healthCare = "health-care"
    case publicHealth = "public-health"
    case archivingResearch = "archiving-research"

    public var article: String {
        switch self {
        case .explicitConsent: "Art. 9(2)(a)"
        case .employment: "Art. 9(2)(b)"
        case .vitalInterests: "Art. 9(2)(c)"
        case .notForProfit: "Art. 9(2)(d)"
        case .madePublic: "Art. 9(2)(e)"
        case .legalClaims: "Art. 9(2)(f)"
        case .substantialPublicInterest: "Art. 9(2)(g)"
        case .healthCare: "Art. 9(2)(h)"
        case .publicHealth: "Art. 9(2)(i)"
        case .archivingResearch: "Art. 9(2)(j)"
        }
    }
}
