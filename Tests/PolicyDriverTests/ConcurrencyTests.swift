import Foundation
import PolicyBase
import Testing

/// The parallel helpers every stage uses: results in order, each computed once.
@Suite struct ConcurrencyTests {
    @Test func concurrentMapKeepsOrder() {
        let input = Array(0..<10_000)
        #expect(input.concurrentMap { $0 * 3 } == input.map { $0 * 3 })
        #expect([Int]().concurrentMap { $0 } == [])
    }

    @Test func concurrentlyReturnsBothResults() {
        let counter = Counter()
        let (words, total) = concurrently(
            { () -> [String] in
                counter.add()
                return ["a", "b"].concurrentMap { $0.uppercased() }
            },
            { () -> Int in
                counter.add()
                return (1...100).reduce(0, +)
            })
        #expect(words == ["A", "B"])
        #expect(total == 5050)
        #expect(counter.value == 2)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() {
            lock.lock()
            count += 1
            lock.unlock()
        }
        var value: Int {
            lock.lock()
            defer { lock.unlock() }
            return count
        }
    }
}
