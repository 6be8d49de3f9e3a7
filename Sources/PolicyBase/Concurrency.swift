import Dispatch

extension Array where Element: Sendable {
    /// `map` on all cores, in order: each element is transformed once, into its own slot, and the result is read
    /// only after every transform has finished. For pure transforms of independent inputs (files, sections).
    public func concurrentMap<T>(_ transform: @Sendable (Element) -> T) -> [T] {
        let input = self
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Every index is written by exactly one iteration, so the slots never race.
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: input.count) { index in
                (slots.baseAddress! + index).initialize(to: transform(input[index]))
            }
            initialized = input.count
        }
    }
}

extension String {
    /// The string without leading and trailing characters from `set`.
    public func trimming(_ set: String) -> String {
        let characters = Set(set)
        var view = Substring(self)
        while let first = view.first, characters.contains(first) { view = view.dropFirst() }
        while let last = view.last, characters.contains(last) { view = view.dropLast() }
        return String(view)
    }
}
