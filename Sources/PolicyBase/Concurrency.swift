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

/// Runs `second` on another thread while `first` runs on this one, and returns both results once both have finished.
/// For independent steps that would otherwise run one after the other, such as reading a state file while the sources
/// are read. `first` runs here, not inside a `concurrentPerform`, so a `concurrentMap` in it still uses every core
/// (libdispatch runs a nested `concurrentPerform` on one thread).
public func concurrently<A, B>(_ first: () -> A, _ second: @escaping @Sendable () -> B) -> (A, B) {
    let slot = ConcurrentSlot<B>()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { slot.value = second() }
    let a = first()
    group.wait()
    return (a, slot.value!)
}

/// A result written once by another thread and read after waiting for it (`concurrently`).
private final class ConcurrentSlot<Value>: @unchecked Sendable {
    // Written once by `second`'s thread, read after `wait`, which orders the two.
    var value: Value?
}

extension String {
    /// The string without leading and trailing characters from `set`, compared as whole characters (a space that
    /// carries a combining mark is not a space).
    ///
    /// Every value the compiler reads passes through here, so ASCII sets are handled on UTF-8 bytes: an ASCII byte
    /// whose neighbour is also ASCII is a character of its own (but for CR LF, left to the loop), so trimming it
    /// is trimming that character. Where a trimmed byte meets a non-ASCII neighbour, which may join it into one
    /// character, the rest is left to the character-wise loop, which gives the same result by definition.
    public func trimming(_ set: String) -> String {
        // Members as a bit set of ASCII bytes. CR is left to the character-wise loop: CR LF is one character.
        var low: UInt64 = 0
        var high: UInt64 = 0
        for byte in set.utf8 {
            guard byte < 0x80, byte != 13 else { return trimmingCharacters(set) }
            if byte < 64 { low |= 1 << byte } else { high |= 1 << (byte - 64) }
        }
        func member(_ byte: UInt8) -> Bool {
            byte < 64 ? low & (1 << byte) != 0 : byte < 0x80 && high & (1 << (byte - 64)) != 0
        }
        let fast = utf8.withContiguousStorageIfAvailable { bytes -> String? in
            var start = 0
            var end = bytes.count
            while start < end, member(bytes[start]) {
                // A non-ASCII next byte may join this one into one character (a combining mark): decide character-wise.
                if start + 1 < end, bytes[start + 1] >= 0x80 { return nil }
                start += 1
            }
            while end > start, member(bytes[end - 1]) {
                // Likewise a non-ASCII byte before (a prepended mark), and CR before LF.
                if end - 1 > start, bytes[end - 2] >= 0x80 || bytes[end - 2] == 13 { return nil }
                end -= 1
            }
            if start == 0 && end == bytes.count { return self }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        return (fast ?? nil) ?? trimmingCharacters(set)
    }

    /// `trimming` by whole characters: the definition, and the path for non-ASCII neighbours and sets.
    func trimmingCharacters(_ set: String) -> String {
        let characters = Set(set)
        var view = Substring(self)
        while let first = view.first, characters.contains(first) { view = view.dropFirst() }
        while let last = view.last, characters.contains(last) { view = view.dropLast() }
        return String(view)
    }
}
