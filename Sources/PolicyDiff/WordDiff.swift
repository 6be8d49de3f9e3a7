import PolicyBase
import PolicyModel

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
    /// The headings of the sections the section stands in, outermost first, in its version (the older one when
    /// removed): what tells apart two sections with the same heading ("Cookies › Analytics").
    public var path: [String] = []
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
            // Split the UTF-8 bytes in place: whitespace is ASCII, a Character split walks grapheme clusters, and an
            // intermediate array of substrings doubles the memory of a long paragraph.
            let done: Void? = paragraph.utf8.withContiguousStorageIfAvailable { bytes in
                var start = -1
                for offset in 0..<bytes.count {
                    let byte = bytes[offset]
                    if byte == 32 || byte == 10 || byte == 9 {
                        if start >= 0 {
                            result.append(
                                String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self))
                            start = -1
                        }
                    } else if start < 0 {
                        start = offset
                    }
                }
                if start >= 0 {
                    result.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
                }
            }
            if done == nil {
                result += paragraph.utf8.split(whereSeparator: { $0 == 32 || $0 == 10 || $0 == 9 }).map {
                    String(Substring($0))
                }
            }
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
        let oldCodes = old.map { word in
            codes[word]
                ?? {
                    codes[word] = codes.count
                    return codes.count - 1
                }()
        }
        let newCodes = new.map { word in
            codes[word]
                ?? {
                    codes[word] = codes.count
                    return codes.count - 1
                }()
        }
        // Most edits touch a few words: the common head and tail are equal and need no search.
        var head = 0
        while head < oldCodes.count, head < newCodes.count, oldCodes[head] == newCodes[head] { head += 1 }
        var tail = 0
        while tail < oldCodes.count - head, tail < newCodes.count - head,
            oldCodes[oldCodes.count - 1 - tail] == newCodes[newCodes.count - 1 - tail]
        { tail += 1 }
        var builder = SegmentBuilder()
        for j in 0..<head { builder.emit(.equal, new[j]) }
        let oldMiddle = head..<(oldCodes.count - tail)
        let newMiddle = head..<(newCodes.count - tail)
        if oldMiddle.count + newMiddle.count <= wordLimit {
            wordRedline(old, oldCodes, oldMiddle, new, newCodes, newMiddle, into: &builder)
        } else {
            unitRedline(old, oldCodes, oldMiddle, new, newCodes, newMiddle, into: &builder)
        }
        for j in (newCodes.count - tail)..<newCodes.count { builder.emit(.equal, new[j]) }
        return builder.finish()
    }

    // MARK: Bounded cost
    //
    // Myers' algorithm takes time proportional to the length times the number of differences: quadratic for a
    // long text rewritten. A changed stretch of at most `wordLimit` words is compared word by word. A longer one
    // is first compared by units (sentences, and pieces of long sentences cut where the words themselves say),
    // and only the changed units are compared word by word, when they are short enough. A changed run of units
    // longer than that, or a stretch of more than `unitLimit` units, is compared in windows of `windowWords`
    // words, up to `windowedWordBudget` words in all; what is left is shown deleted and inserted whole. Every step
    // is then bounded by a constant times the length of the text.

    /// Most words (old plus new) of one stretch compared word by word.
    static let wordLimit = 2_000
    /// Most units (old plus new) of one stretch compared unit by unit.
    static let unitLimit = 4_000
    /// A unit ends at a word ending a sentence; a sentence longer than this many words is cut into pieces.
    static let unitCutAfter = 16

    /// Collects tokens into segments: runs of one operation joined by spaces, paragraph breaks on their own.
    struct SegmentBuilder {
        var segments: [RedlineSegment] = []
        /// What is left of `windowedWordBudget` for this redline.
        var windowBudget = windowedWordBudget
        var runOperation: RedlineSegment.Operation?
        var run: [String] = []

        mutating func flush() {
            if let operation = runOperation, !run.isEmpty {
                segments.append(RedlineSegment(op: operation, text: run.joined(separator: " ")))
            }
            run.removeAll(keepingCapacity: true)
        }

        mutating func emit(_ op: RedlineSegment.Operation, _ token: String) {
            if token == paragraphBreak {
                flush()
                segments.append(RedlineSegment(op: op, text: token))
                runOperation = nil
                return
            }
            if op != runOperation {
                flush()
                runOperation = op
            }
            run.append(token)
        }

        mutating func finish() -> [RedlineSegment] {
            flush()
            return segments
        }
    }

    /// Word by word, with moves: the stretches `oldRange` and `newRange`, deletions before insertions.
    static func wordRedline(
        _ old: [String], _ oldCodes: [Int], _ oldRange: Range<Int>,
        _ new: [String], _ newCodes: [Int], _ newRange: Range<Int>, moves: Bool = true,
        into builder: inout SegmentBuilder
    ) {
        let plain = newCodes[newRange].difference(from: oldCodes[oldRange])
        let difference = moves ? plain.inferringMoves() : plain
        var removed: [Int: Bool] = [:]  // offset in old → moved?
        var inserted: [Int: Bool] = [:]  // offset in new → moved?
        var partnerOfRemoval: [Int: Int] = [:]
        var partnerOfInsertion: [Int: Int] = [:]
        let oldBase = oldRange.lowerBound
        let newBase = newRange.lowerBound
        for change in difference {
            switch change {
            case .remove(let offset, _, let associated):
                removed[oldBase + offset] = associated != nil
                if let associated { partnerOfRemoval[oldBase + offset] = newBase + associated }
            case .insert(let offset, _, let associated):
                inserted[newBase + offset] = associated != nil
                if let associated { partnerOfInsertion[newBase + offset] = oldBase + associated }
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
        var i = oldRange.lowerBound
        var j = newRange.lowerBound
        while i < oldRange.upperBound || j < newRange.upperBound {
            if i < oldRange.upperBound, let moved = removed[i] {
                builder.emit(moved ? .moveFrom : .delete, old[i])
                i += 1
            } else if j < newRange.upperBound, let moved = inserted[j] {
                builder.emit(moved ? .moveTo : .insert, new[j])
                j += 1
            } else {
                if j < newRange.upperBound { builder.emit(.equal, new[j]) }
                i += 1
                j += 1
            }
        }
    }

    /// Unit by unit, then word by word inside each changed run of units that is short enough.
    static func unitRedline(
        _ old: [String], _ oldCodes: [Int], _ oldRange: Range<Int>,
        _ new: [String], _ newCodes: [Int], _ newRange: Range<Int>, into builder: inout SegmentBuilder
    ) {
        let oldUnits = units(old, oldCodes, oldRange)
        let newUnits = units(new, newCodes, newRange)
        guard oldUnits.count + newUnits.count <= unitLimit else {
            windowedRedline(old, oldCodes, oldRange, new, newCodes, newRange, into: &builder)
            return
        }
        var unitCodes: [ArraySlice<Int>: Int] = [:]
        func code(_ range: Range<Int>, _ codes: [Int]) -> Int {
            let key = codes[range]
            if let known = unitCodes[key] { return known }
            unitCodes[key] = unitCodes.count
            return unitCodes.count - 1
        }
        let oldUnitCodes = oldUnits.map { code($0, oldCodes) }
        let newUnitCodes = newUnits.map { code($0, newCodes) }
        var removedUnits = Set<Int>()
        var insertedUnits = Set<Int>()
        for change in newUnitCodes.difference(from: oldUnitCodes) {
            switch change {
            case .remove(let offset, _, _): removedUnits.insert(offset)
            case .insert(let offset, _, _): insertedUnits.insert(offset)
            }
        }
        // Walk both unit lists; between two equal units lies one changed run (old units removed, new inserted).
        var u = 0
        var v = 0
        func changedRun() {
            let oldStart = u
            let newStart = v
            while u < oldUnits.count, removedUnits.contains(u) { u += 1 }
            while v < newUnits.count, insertedUnits.contains(v) { v += 1 }
            let oldWords =
                oldStart < u
                ? oldUnits[oldStart].lowerBound..<oldUnits[u - 1].upperBound : oldRange.lowerBound..<oldRange.lowerBound
            let newWords =
                newStart < v
                ? newUnits[newStart].lowerBound..<newUnits[v - 1].upperBound : newRange.lowerBound..<newRange.lowerBound
            if oldWords.count + newWords.count <= wordLimit {
                wordRedline(old, oldCodes, oldWords, new, newCodes, newWords, into: &builder)
            } else {
                windowedRedline(old, oldCodes, oldWords, new, newCodes, newWords, into: &builder)
            }
        }
        while u < oldUnits.count || v < newUnits.count {
            if (u < oldUnits.count && removedUnits.contains(u)) || (v < newUnits.count && insertedUnits.contains(v)) {
                changedRun()
            } else {
                for j in newUnits[v] { builder.emit(.equal, new[j]) }
                u += 1
                v += 1
            }
        }
    }

    /// The coarse fallback: the two stretches cut into the same number of windows of about `windowWords` words
    /// (old and new in proportion), each compared word by word. Not the shortest redline, but a faithful one, in
    /// time linear in the length; a stretch where words were added or removed evenly (a word after every other)
    /// still reads word by word. A side that is empty is shown inserted or deleted whole.
    static func windowedRedline(
        _ old: [String], _ oldCodes: [Int], _ oldRange: Range<Int>,
        _ new: [String], _ newCodes: [Int], _ newRange: Range<Int>, into builder: inout SegmentBuilder
    ) {
        if oldRange.isEmpty || newRange.isEmpty {
            for i in oldRange { builder.emit(.delete, old[i]) }
            for j in newRange { builder.emit(.insert, new[j]) }
            return
        }
        let windows = max(1, (oldRange.count + newRange.count + windowWords - 1) / windowWords)
        for window in 0..<windows {
            let oldStart = oldRange.lowerBound + oldRange.count * window / windows
            let oldPart = oldStart..<(oldRange.lowerBound + oldRange.count * (window + 1) / windows)
            let newStart = newRange.lowerBound + newRange.count * window / windows
            let newPart = newStart..<(newRange.lowerBound + newRange.count * (window + 1) / windows)
            guard builder.windowBudget >= oldPart.count + newPart.count else {
                // Budget spent: the rest of the stretch is shown deleted and inserted whole.
                for i in oldPart.lowerBound..<oldRange.upperBound { builder.emit(.delete, old[i]) }
                for j in newPart.lowerBound..<newRange.upperBound { builder.emit(.insert, new[j]) }
                return
            }
            builder.windowBudget -= oldPart.count + newPart.count
            // Moves are sought within a window only, where they mean little: a window is a cut of the text, not
            // a paragraph.
            wordRedline(old, oldCodes, oldPart, new, newCodes, newPart, moves: false, into: &builder)
        }
    }

    /// Most pairs of unmatched sections compared by their words.
    static let contentMatchLimit = 250_000

    /// Words (old plus new) of one window of the coarse fallback.
    static let windowWords = 128
    /// Most words one redline compares in windows. A whole text at the size limit rewritten would take seconds
    /// window by window; past this budget the rest is shown deleted and inserted.
    static let windowedWordBudget = 160_000

    /// The units of `range`: a unit ends after a word that ends a sentence (`.`, `!`, `?`, `;`, `:`), at a
    /// paragraph break (a unit of its own), or, in a long sentence, after a word whose content hash picks it, so
    /// that an insertion moves no cut of the text around it.
    static func units(_ tokens: [String], _ codes: [Int], _ range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        for index in range {
            let token = tokens[index]
            if token == paragraphBreak {
                if start < index { result.append(start..<index) }
                result.append(index..<(index + 1))
                start = index + 1
                continue
            }
            let last = token.utf8.last ?? 0
            let endsSentence = last == 46 || last == 33 || last == 63 || last == 59 || last == 58
            if endsSentence || (index - start + 1 >= unitCutAfter / 2 && stableHash(token) % UInt64(unitCutAfter) == 0)
                || index - start + 1 >= unitCutAfter * 8
            {
                result.append(start..<(index + 1))
                start = index + 1
            }
        }
        if start < range.upperBound { result.append(start..<range.upperBound) }
        return result
    }

    /// FNV-1a of the word's bytes: the same on every run (Swift's `hashValue` is seeded per process).
    static func stableHash(_ word: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// Pairs sections by id, then unmatched ones by their words (a renamed or rewritten heading), then reports
    /// every section whose heading, place or prose changed.
    public static func sections(_ old: [Section], _ new: [Section]) -> [SectionChange] {
        let (pairs, oldMatched, newMatched) = pairSections(old, new)
        var result = changes(old, new, pairs: pairs, oldMatched: oldMatched, newMatched: newMatched)
        guard !result.isEmpty else { return result }
        let oldPaths = paths(old)
        let newPaths = paths(new)
        for index in result.indices {
            result[index].path = (result[index].status == .removed ? oldPaths : newPaths)[result[index].id] ?? []
        }
        return result
    }

    /// Each section's enclosing headings by id, outermost first: the sections before it of a lower level, the
    /// nearest of each level (the opening, without a heading, is none).
    static func paths(_ sections: [Section]) -> [String: [String]] {
        var open: [Section] = []
        var paths: [String: [String]] = [:]
        for section in sections {
            while let last = open.last, last.level >= section.level { open.removeLast() }
            paths[section.id] = open.filter { !$0.heading.isEmpty }.map(\.heading)
            if section.level > 0 { open.append(section) }
        }
        return paths
    }

    /// The pairs (old index, new index) of sections that are the same section, in new order, with the indices
    /// paired on each side.
    static func pairSections(_ old: [Section], _ new: [Section]) -> ([(old: Int, new: Int)], Set<Int>, Set<Int>) {
        var pairs: [(old: Int, new: Int)] = []
        var oldMatched = Set<Int>()
        var newMatched = Set<Int>()
        let oldIndex = Dictionary(old.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (n, section) in new.enumerated() {
            if let o = oldIndex[section.id] {
                pairs.append((o, n))
                oldMatched.insert(o)
                newMatched.insert(n)
            }
        }
        // Content matching for the rest: the most similar unmatched pair first, when at least half the words agree.
        // Every unmatched pair is compared, so only while there are few: past `contentMatchLimit` pairs the
        // unmatched sections are reported added and removed (a policy rewritten under new headings wholesale).
        var candidates: [(score: Double, old: Int, new: Int)] = []
        let unmatchedPairs = (old.count - oldMatched.count) * (new.count - newMatched.count)
        let oldWords =
            unmatchedPairs > contentMatchLimit
            ? [] : old.indices.map { oldMatched.contains($0) ? [] : wordSet(old[$0]) }
        for n in new.indices where unmatchedPairs <= contentMatchLimit && !newMatched.contains(n) {
            let newWords = wordSet(new[n])
            for o in old.indices where !oldMatched.contains(o) {
                let score = similarity(oldWords[o], newWords)
                if score >= 0.5 { candidates.append((score, o, n)) }
            }
        }
        candidates.sort { ($0.score, -$0.new, -$0.old) > ($1.score, -$1.new, -$1.old) }
        for candidate in candidates where !oldMatched.contains(candidate.old) && !newMatched.contains(candidate.new) {
            pairs.append((candidate.old, candidate.new))
            oldMatched.insert(candidate.old)
            newMatched.insert(candidate.new)
        }
        // A section still unmatched whose neighbours before it are paired (a heading with no prose of its own, such
        // as a renamed group heading) is the same section renamed in place.
        var oldOfNew = Dictionary(pairs.map { ($0.new, $0.old) }, uniquingKeysWith: { a, _ in a })
        for n in new.indices where !newMatched.contains(n) {
            let o: Int
            if n == 0 { o = 0 } else if let previous = oldOfNew[n - 1] { o = previous + 1 } else { continue }
            guard o < old.count, !oldMatched.contains(o), old[o].level == new[n].level,
                old[o].paragraphs.isEmpty || new[n].paragraphs.isEmpty
            else { continue }
            pairs.append((o, n))
            oldMatched.insert(o)
            newMatched.insert(n)
            oldOfNew[n] = o
        }
        pairs.sort { $0.new < $1.new }
        return (pairs, oldMatched, newMatched)
    }

    /// Every section whose heading, place or prose changed, every added and every removed one, in new order (a
    /// removed section where it stood).
    static func changes(
        _ old: [Section], _ new: [Section], pairs: [(old: Int, new: Int)], oldMatched: Set<Int>,
        newMatched: Set<Int>
    ) -> [SectionChange] {
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
            let before = old[pair.old]
            let after = new[pair.new]
            let redline = redlines[index]
            let inserted = count(redline, [.insert, .moveTo])
            let deleted = count(redline, [.delete, .moveFrom])
            // A heading that changes only in capitals keeps its id: its wording changed, the section was not renamed.
            let reworded = before.heading != after.heading
            let renamed =
                before.id != after.id || (reworded && before.heading.lowercased() != after.heading.lowercased())
            let moved = !stay.contains(pair.old)
            guard renamed || reworded || moved || inserted > 0 || deleted > 0 else { continue }
            let status: SectionChange.Status =
                renamed ? .renamed : (inserted > 0 || deleted > 0 || reworded) ? .changed : .moved
            changes.append(
                (
                    Double(pair.new),
                    SectionChange(
                        status: moved && status == .changed ? .moved : status, id: after.id,
                        previousId: before.id != after.id ? before.id : nil,
                        heading: after.heading, previousHeading: before.heading != after.heading ? before.heading : nil,
                        facts: Array(Set(before.facts).union(after.facts)).sorted(), wordsInserted: inserted,
                        wordsDeleted: deleted, redline: redline)
                ))
        }
        for n in new.indices where !newMatched.contains(n) {
            let words = tokens(new[n].paragraphs)
            changes.append(
                (
                    Double(n),
                    SectionChange(
                        status: .added, id: new[n].id, previousId: nil, heading: new[n].heading, previousHeading: nil,
                        facts: new[n].facts, wordsInserted: words.filter { $0 != paragraphBreak }.count,
                        wordsDeleted: 0,
                        redline: words.isEmpty ? [] : redline([], words))
                ))
        }
        // For each old index, the largest new index paired with an old section before it (a prefix maximum, so
        // listing removed sections stays linear).
        var latestNewBefore = [Int](repeating: -1, count: old.count + 1)
        for pair in pairs { latestNewBefore[pair.old + 1] = max(latestNewBefore[pair.old + 1], pair.new) }
        for index in latestNewBefore.indices.dropFirst() {
            latestNewBefore[index] = max(latestNewBefore[index], latestNewBefore[index - 1])
        }
        for o in old.indices where !oldMatched.contains(o) {
            // A removed section is listed where it stood: after the new section that follows its old neighbour.
            let anchor = latestNewBefore[o] >= 0 ? Double(latestNewBefore[o]) + 0.5 : -0.5
            let words = tokens(old[o].paragraphs)
            changes.append(
                (
                    anchor,
                    SectionChange(
                        status: .removed, id: old[o].id, previousId: nil, heading: old[o].heading, previousHeading: nil,
                        facts: old[o].facts, wordsInserted: 0,
                        wordsDeleted: words.filter { $0 != paragraphBreak }.count,
                        redline: words.isEmpty ? [] : redline(words, []))
                ))
        }
        return changes.sorted { $0.order < $1.order }.map(\.change)
    }

    static func count(_ segments: [RedlineSegment], _ operations: Set<RedlineSegment.Operation>) -> Int {
        // A segment is its words joined by single spaces (paragraph breaks are segments of their own): count the
        // spaces rather than split a text of megabytes into words.
        segments.filter { operations.contains($0.op) && $0.text != paragraphBreak && !$0.text.isEmpty }
            .reduce(0) { total, segment in total + 1 + segment.text.utf8.reduce(0) { $0 + ($1 == 32 ? 1 : 0) } }
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
        var tails: [Int] = []
        var tailIndex: [Int] = []
        var previous = [Int](repeating: -1, count: values.count)
        for (index, value) in values.enumerated() {
            var low = 0
            var high = tails.count
            while low < high {
                let mid = (low + high) / 2
                if tails[mid] < value { low = mid + 1 } else { high = mid }
            }
            if low > 0 { previous[index] = tailIndex[low - 1] }
            if low == tails.count {
                tails.append(value)
                tailIndex.append(index)
            } else {
                tails[low] = value
                tailIndex[low] = index
            }
        }
        var result: [Int] = []
        var index = tailIndex.last ?? -1
        while index >= 0 {
            result.append(values[index])
            index = previous[index]
        }
        return result.reversed()
    }
}
