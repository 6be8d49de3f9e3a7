import PolicyBase
import PolicyModel
import PolicySource

/// One run of a redline: words kept, inserted, deleted, or moved (from where they stood, to where they stand).
public struct RedlineSegment: Codable, Hashable, Sendable {
    public enum Operation: String, Codable, Hashable, Sendable {
        case equal, insert, delete
        case moveFrom = "move-from"
        case moveTo = "move-to"
    }

    public var op: Operation
    public var text: String
}

/// How one section's prose changed between two versions.
public struct SectionChange: Codable, Hashable, Sendable {
    public enum Status: String, Codable, Hashable, Sendable {
        case changed, added, removed, renamed, moved
    }

    public var status: Status
    /// The section's id in the newer version (the older one when removed).
    public var id: String
    public var previousId: String?
    public var heading: String
    public var previousHeading: String?
    /// Facts the section declares (`kind/id`), in either version.
    public var facts: [String]
    public var wordsInserted: Int
    public var wordsDeleted: Int
    /// Paragraphs are separated by a segment whose text is `\n\n`.
    public var redline: [RedlineSegment]
}

/// Word-level comparison of prose, built on the standard library's `CollectionDifference` (Myers' algorithm)
/// with `inferringMoves()` for moved words; only the section matching and the segment grouping are ours.
public enum WordDiff {
    static let paragraphBreak = "\n\n"
    /// The fewest words that count as a moved run.
    static let minimumMove = 3

    public static func tokens(_ paragraphs: [String]) -> [String] {
        var result: [String] = []
        for (index, paragraph) in paragraphs.enumerated() {
            if index > 0 { result.append(paragraphBreak) }
            // Split on the UTF-8 view: whitespace is ASCII, and a Character split walks grapheme clusters.
            result += paragraph.utf8.split(whereSeparator: { $0 == 32 || $0 == 10 || $0 == 9 }).map { String(Substring($0)) }
        }
        return result
    }

    /// The redline of `old` → `new`, with adjacent tokens of the same operation joined by spaces.
    public static func redline(_ old: [String], _ new: [String]) -> [RedlineSegment] {
        // A section added or removed whole: every word is inserted or deleted, nothing to search.
        if old.isEmpty || new.isEmpty {
            let op: RedlineSegment.Operation = old.isEmpty ? .insert : .delete
            var segments: [RedlineSegment] = []
            for token in old.isEmpty ? new : old {
                if token == paragraphBreak || segments.isEmpty || segments[segments.count - 1].text == paragraphBreak {
                    segments.append(RedlineSegment(op: op, text: token))
                } else {
                    segments[segments.count - 1].text += " " + token
                }
            }
            return segments
        }
        // Diff integer codes of the words, not the words: Myers' algorithm compares elements many times.
        var codes: [String: Int] = [:]
        let oldCodes = old.map { word in codes[word] ?? { codes[word] = codes.count; return codes.count - 1 }() }
        let newCodes = new.map { word in codes[word] ?? { codes[word] = codes.count; return codes.count - 1 }() }
        // Most edits touch a few words: the common head and tail are equal and need no search.
        var head = 0
        while head < oldCodes.count, head < newCodes.count, oldCodes[head] == newCodes[head] { head += 1 }
        var tail = 0
        while tail < oldCodes.count - head, tail < newCodes.count - head,
              oldCodes[oldCodes.count - 1 - tail] == newCodes[newCodes.count - 1 - tail] { tail += 1 }
        let oldMiddle = oldCodes[head..<(oldCodes.count - tail)], newMiddle = newCodes[head..<(newCodes.count - tail)]
        let difference = newMiddle.difference(from: oldMiddle).inferringMoves()
        var removed: [Int: Bool] = [:]   // offset in old → moved?
        var inserted: [Int: Bool] = [:]  // offset in new → moved?
        var partnerOfRemoval: [Int: Int] = [:], partnerOfInsertion: [Int: Int] = [:]
        for change in difference {
            switch change {
            case .remove(let offset, _, let associated):
                removed[head + offset] = associated != nil
                if let associated { partnerOfRemoval[head + offset] = head + associated }
            case .insert(let offset, _, let associated):
                inserted[head + offset] = associated != nil
                if let associated { partnerOfInsertion[head + offset] = head + associated }
            }
        }
        // `inferringMoves` pairs any equal word deleted here and inserted there, which marks common words ("en",
        // "de") as moved. Only runs of `minimumMove` words or more read as a move; shorter ones stay a plain
        // deletion and insertion.
        func demoteShortRuns(_ moves: inout [Int: Bool], _ partners: [Int: Int], _ others: inout [Int: Bool]) {
            var run: [Int] = []
            func settle() {
                if run.count < minimumMove {
                    for offset in run {
                        moves[offset] = false
                        if let partner = partners[offset] { others[partner] = false }
                    }
                }
                run = []
            }
            for offset in moves.filter(\.value).keys.sorted() {
                if let last = run.last, offset != last + 1 { settle() }
                run.append(offset)
            }
            settle()
        }
        demoteShortRuns(&removed, partnerOfRemoval, &inserted)
        demoteShortRuns(&inserted, partnerOfInsertion, &removed)
        var segments: [RedlineSegment] = []
        // Tokens of the current run are collected and joined once the run ends.
        var runOperation: RedlineSegment.Operation?
        var run: [String] = []
        func flush() {
            if let operation = runOperation, !run.isEmpty { segments.append(RedlineSegment(op: operation, text: run.joined(separator: " "))) }
            run.removeAll(keepingCapacity: true)
        }
        func emit(_ op: RedlineSegment.Operation, _ token: String) {
            if token == paragraphBreak {
                flush()
                segments.append(RedlineSegment(op: op, text: token))
                runOperation = nil
                return
            }
            if op != runOperation { flush(); runOperation = op }
            run.append(token)
        }
        var i = 0, j = 0
        while i < old.count || j < new.count {
            if i < old.count, let moved = removed[i] {
                emit(moved ? .moveFrom : .delete, old[i]); i += 1
            } else if j < new.count, let moved = inserted[j] {
                emit(moved ? .moveTo : .insert, new[j]); j += 1
            } else {
                if j < new.count { emit(.equal, new[j]) }
                i += 1; j += 1
            }
        }
        flush()
        return segments
    }

    /// Pairs sections by id, then unmatched ones by their words (a renamed or rewritten heading), then reports
    /// every section whose heading, place or prose changed.
    public static func sections(_ old: [Section], _ new: [Section]) -> [SectionChange] {
        var pairs: [(old: Int, new: Int)] = []
        var oldMatched = Set<Int>(), newMatched = Set<Int>()
        let oldIndex = Dictionary(old.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (n, section) in new.enumerated() {
            if let o = oldIndex[section.id] { pairs.append((o, n)); oldMatched.insert(o); newMatched.insert(n) }
        }
        // Content matching for the rest: the most similar unmatched pair first, when at least half the words agree.
        var candidates: [(score: Double, old: Int, new: Int)] = []
        let oldWords = old.indices.map { oldMatched.contains($0) ? [] : wordSet(old[$0]) }
        for n in new.indices where !newMatched.contains(n) {
            let newWords = wordSet(new[n])
            for o in old.indices where !oldMatched.contains(o) {
                let score = similarity(oldWords[o], newWords)
                if score >= 0.5 { candidates.append((score, o, n)) }
            }
        }
        candidates.sort { ($0.score, -$0.new, -$0.old) > ($1.score, -$1.new, -$1.old) }
        for candidate in candidates where !oldMatched.contains(candidate.old) && !newMatched.contains(candidate.new) {
            pairs.append((candidate.old, candidate.new)); oldMatched.insert(candidate.old); newMatched.insert(candidate.new)
        }
        // A section still unmatched whose neighbours before it are paired (a heading with no prose of its own, such
        // as a renamed group heading) is the same section renamed in place.
        for n in new.indices where !newMatched.contains(n) {
            let o: Int
            if n == 0 { o = 0 } else if let previous = pairs.first(where: { $0.new == n - 1 }) { o = previous.old + 1 } else { continue }
            guard o < old.count, !oldMatched.contains(o), old[o].level == new[n].level,
                  old[o].paragraphs.isEmpty || new[n].paragraphs.isEmpty else { continue }
            pairs.append((o, n)); oldMatched.insert(o); newMatched.insert(n)
        }
        pairs.sort { $0.new < $1.new }
        let stay = Set(longestIncreasing(pairs.map(\.old)))

        var changes: [(order: Double, change: SectionChange)] = []
        // The redlines of changed sections are independent: compute them on all cores, each into its own slot.
        let changed = pairs.indices.filter { old[pairs[$0].old].paragraphs != new[pairs[$0].new].paragraphs }
        let matched = pairs
        var redlines = [[RedlineSegment]](repeating: [], count: pairs.count)
        let computed = changed.concurrentMap { index in
            redline(tokens(old[matched[index].old].paragraphs), tokens(new[matched[index].new].paragraphs))
        }
        for (index, redline) in zip(changed, computed) { redlines[index] = redline }
        for (index, pair) in pairs.enumerated() {
            let before = old[pair.old], after = new[pair.new]
            let redline = redlines[index]
            let inserted = count(redline, [.insert, .moveTo]), deleted = count(redline, [.delete, .moveFrom])
            // A heading that changes only in capitals keeps its id: its wording changed, the section was not renamed.
            let reworded = before.heading != after.heading
            let renamed = before.id != after.id || (reworded && before.heading.lowercased() != after.heading.lowercased())
            let moved = !stay.contains(pair.old)
            guard renamed || reworded || moved || inserted > 0 || deleted > 0 else { continue }
            let status: SectionChange.Status = renamed ? .renamed : (inserted > 0 || deleted > 0 || reworded) ? .changed : .moved
            changes.append((Double(pair.new), SectionChange(
                status: moved && status == .changed ? .moved : status, id: after.id, previousId: before.id != after.id ? before.id : nil,
                heading: after.heading, previousHeading: before.heading != after.heading ? before.heading : nil,
                facts: Array(Set(before.facts).union(after.facts)).sorted(), wordsInserted: inserted, wordsDeleted: deleted, redline: redline)))
        }
        for n in new.indices where !newMatched.contains(n) {
            let words = tokens(new[n].paragraphs)
            changes.append((Double(n), SectionChange(status: .added, id: new[n].id, previousId: nil, heading: new[n].heading, previousHeading: nil,
                                                     facts: new[n].facts, wordsInserted: words.filter { $0 != paragraphBreak }.count, wordsDeleted: 0,
                                                     redline: words.isEmpty ? [] : redline([], words))))
        }
        for o in old.indices where !oldMatched.contains(o) {
            // A removed section is listed where it stood: after the new section that follows its old neighbour.
            let anchor = pairs.filter { $0.old < o }.map(\.new).max().map { Double($0) + 0.5 } ?? -0.5
            let words = tokens(old[o].paragraphs)
            changes.append((anchor, SectionChange(status: .removed, id: old[o].id, previousId: nil, heading: old[o].heading, previousHeading: nil,
                                                  facts: old[o].facts, wordsInserted: 0, wordsDeleted: words.filter { $0 != paragraphBreak }.count,
                                                  redline: words.isEmpty ? [] : redline(words, []))))
        }
        return changes.sorted { $0.order < $1.order }.map(\.change)
    }

    static func count(_ segments: [RedlineSegment], _ operations: Set<RedlineSegment.Operation>) -> Int {
        segments.filter { operations.contains($0.op) && $0.text != paragraphBreak }
            .reduce(0) { $0 + $1.text.split(separator: " ").filter { $0 != "\n\n" }.count }
    }

    static func wordSet(_ section: Section) -> Set<String> {
        Set(tokens(section.paragraphs + [section.heading]).map { $0.lowercased() })
    }

    /// Share of words two sections have in common (Dice coefficient on word sets, headings included).
    static func similarity(_ x: Set<String>, _ y: Set<String>) -> Double {
        guard !x.isEmpty || !y.isEmpty else { return 0 }
        return 2 * Double(x.intersection(y).count) / Double(x.count + y.count)
    }

    /// Values of one longest strictly increasing subsequence (patience sorting), to tell moved sections apart.
    static func longestIncreasing(_ values: [Int]) -> [Int] {
        var tails: [Int] = [], tailIndex: [Int] = [], previous = [Int](repeating: -1, count: values.count)
        for (index, value) in values.enumerated() {
            var low = 0, high = tails.count
            while low < high { let mid = (low + high) / 2; if tails[mid] < value { low = mid + 1 } else { high = mid } }
            if low > 0 { previous[index] = tailIndex[low - 1] }
            if low == tails.count { tails.append(value); tailIndex.append(index) } else { tails[low] = value; tailIndex[low] = index }
        }
        var result: [Int] = []
        var index = tailIndex.last ?? -1
        while index >= 0 { result.append(values[index]); index = previous[index] }
        return result.reversed()
    }
}
