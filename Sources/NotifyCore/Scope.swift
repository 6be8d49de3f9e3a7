import PolicyModel

/// A customer's scope as selection reads it: bit sets over the vocabulary's services and regions.
public enum CustomerScope {
    /// The export does not say: every bit, so every change's scope covers the customer (rule of doubt).
    public static let unknown: UInt64 = ~0
}

extension Vocabulary {
    /// The bits of the customer's services, by id; ids the policy does not declare count for nothing.
    public func serviceMask(_ ids: [String]) -> UInt64 {
        ids.reduce(0) { mask, id in services.firstIndex(of: id).map { mask | 1 << UInt64($0) } ?? mask }
    }

    /// The bit of one service id given as UTF-8 bytes, or nil when the policy does not declare it.
    public func bit(ofService id: UnsafeBufferPointer<UInt8>) -> UInt64? {
        services.firstIndex { $0.utf8.elementsEqual(id) }.map { 1 << UInt64($0) }
    }

    /// The bits of the vocabulary's regions that contain where a customer lives (`NL` lies in `NL` and in `EEA`).
    public func regionMask(_ home: String) -> UInt64 {
        guard let home = Regions.normalised(home) else { return CustomerScope.unknown }
        return regions.indices.reduce(0) { Regions.contains(regions[$1], home) ? $0 | 1 << UInt64($1) : $0 }
    }

    /// The bits of the regions a change names.
    public func regionBits(_ named: [String]) -> UInt64 {
        named.reduce(0) { mask, region in regions.firstIndex(of: region).map { mask | 1 << UInt64($0) } ?? mask }
    }
}

extension NoticeChange {
    /// Whether the change concerns a customer of `services` living in one of `regions` (bit sets): a side the
    /// change does not limit (0) holds for everyone, and a customer whose side is unknown (all bits) is covered.
    @inlinable
    public func covers(services customer: UInt64, regions home: UInt64) -> Bool {
        (services == 0 || services & customer != 0) && (regions == 0 || regions & home != 0)
    }
}

extension NotifyPlan {
    /// Of the changes, those whose scope covers a record of a customer of `services` living in `regions` and that
    /// concern a category it `held`: their categories (only these can make the person one to tell) and their bits
    /// (`reachBit`, the changes the person is told about). When no change is limited to some customers: every
    /// change's categories and every bit, so the categories alone decide, as before scope.
    @inlinable
    public func reach(services: UInt64, regions: UInt64, held: UInt64) -> (categories: UInt64, changes: UInt64) {
        guard scoped else { return (categories, CustomerScope.unknown) }
        var reached: UInt64 = 0
        var bits: UInt64 = 0
        for index in changes.indices where changes[index].covers(services: services, regions: regions) {
            reached |= changes[index].categories
            if changes[index].categories & held != 0 { bits |= Self.reachBit(index) }
        }
        return (reached, bits)
    }

    /// The bit of change `index` in `Claim.reach`: its own for the first 63, one shared by the rest (a version with
    /// more `notify` changes than that lists those of them it shares categories with).
    @inlinable
    public static func reachBit(_ index: Int) -> UInt64 { 1 << UInt64(Swift.min(index, 63)) }
}
