// Selection's core (the rule, the values, the sources' protocol) and its engine are their own targets; what uses
// notify's selection sees them through this module, as before they were split out of it.
@_exported import NotifyCore
@_exported import NotifyEngine

extension Notify {
    /// Reads every customer of `source` and selects whom to tell, with the engine that handles exports of any size.
    public static func select(plan: NotifyPlan, source: some CustomerSource) throws -> Selection {
        try PartitionedSelector().select(plan: plan, source: source)
    }

    /// The same with the partitioning a test chooses (to take a large export's paths on a small one).
    static func select(plan: NotifyPlan, source: some CustomerSource, partitionBits: Int, blockSize: Int) throws
        -> Selection
    {
        try PartitionedSelector(partitionBits: partitionBits, blockSize: blockSize).select(plan: plan, source: source)
    }
}
