import Foundation
import Testing

@testable import PolicyDiff
@testable import PolicyModel

// Issue 9, section 1: the redline was quadratic (30,000 words gained: 2.8 s; 100,000: 32 s; one 20 MB line: over
// 2 minutes). These tests generate such texts and check both the time (with generous margins: the suite runs a
// debug build on a shared machine) and that the bounded redline is still a faithful one.

private let vocabulary =
    "wij bewaren uw gegevens zorgvuldig en delen ze niet met derden behalve wanneer de wet dat vereist".split(
        separator: " "
    ).map(String.init)

/// `count` words from a fixed vocabulary, a sentence end every few words, the same for the same seed.
private func text(_ count: Int, seed: UInt64) -> [String] {
    var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let word = vocabulary[Int((state >> 33) % UInt64(vocabulary.count))]
        return (state >> 20) % 13 == 0 ? word + "." : word
    }
}

/// The old and new token lists a redline describes, rebuilt from its segments.
private func sides(_ redline: [RedlineSegment]) -> (old: [String], new: [String]) {
    var old: [String] = []
    var new: [String] = []
    for segment in redline {
        let words =
            segment.text == WordDiff.paragraphBreak
            ? [segment.text] : segment.text.split(separator: " ").map(String.init)
        switch segment.op {
        case .equal:
            old += words
            new += words
        case .delete, .moveFrom: old += words
        case .insert, .moveTo: new += words
        }
    }
    return (old, new)
}

private func timed<T>(_ work: () -> T) -> (T, Double) {
    let start = Date()
    let result = work()
    return (result, Date().timeIntervalSince(start))
}

@Suite("Word diff: bounded time")
struct WordDiffBoundTests {
    @Test("a section that gains 30,000 words, one after every other word: fast, and faithful")
    func thirtyThousandWordsGained() {
        let old = text(60_000, seed: 1)
        var new: [String] = []
        for (index, word) in old.enumerated() {
            new.append(word)
            if index % 2 == 0 { new.append("nieuw") }
        }
        let (redline, seconds) = timed { WordDiff.redline(old, new) }
        #expect(seconds < 10, "was 2.8 s in a release build before; about 0.3 s in a debug build now")
        let rebuilt = sides(redline)
        #expect(rebuilt.old == old)
        #expect(rebuilt.new == new)
        // Every sentence changed, too many to compare sentence by sentence: compared in windows, which still find
        // the inserted words one by one; only words at the edges of windows are shown deleted and inserted again.
        let inserted = WordDiff.count(redline, [.insert, .moveTo])
        let deleted = WordDiff.count(redline, [.delete, .moveFrom])
        #expect(inserted - deleted == 30_000)
        #expect(deleted < 300, "under 1% of the words")
    }

    @Test("100,000 words rewritten (past the unit limit, so compared in windows): fast, and faithful")
    func hundredThousandWordsRewritten() {
        let old = text(100_000, seed: 2)
        let new = text(100_000, seed: 3)
        let (redline, seconds) = timed { WordDiff.redline(old, new) }
        #expect(seconds < 10, "was 32 s in a release build before")
        let rebuilt = sides(redline)
        #expect(rebuilt.old == old)
        #expect(rebuilt.new == new)
        // 200,000 words exceed the windowed budget: the first 160,000 are compared word by word, the rest is one
        // deletion and one insertion (of about 20,000 old words: the budget runs out at the edge of a window).
        #expect(Array(redline.suffix(2).map(\.op)) == [.delete, .insert])
        #expect((19_700...20_300).contains(WordDiff.count([redline[redline.count - 2]], [.delete])))
    }

    @Test("one long line (1,000,000 words) with one word inserted: the word is found, in linear time")
    func oneLongLine() {
        let old = text(1_000_000, seed: 4)
        var new = old
        new.insert("anders", at: 500_000)
        let (redline, seconds) = timed { WordDiff.redline(old, new) }
        #expect(seconds < 20)
        #expect(redline.count == 3)
        #expect(redline[1] == RedlineSegment(op: .insert, text: "anders"))
    }

    @Test("a long text changed in a few places: the redline shows just those words")
    func fewChangesInALongText() {
        // Above WordDiff.wordLimit, so the sentence-first comparison runs; its result must read like the word diff.
        var old = text(20_000, seed: 5)
        old[3_000] = "bewaren"
        old[15_000] = "gegevens"
        var new = old
        new[3_000] = "verwerken"
        new[15_000] = "persoonsgegevens"
        new.remove(at: 9_000)
        let redline = WordDiff.redline(old, new)
        let changed = redline.filter { $0.op != .equal }
        #expect(
            changed == [
                RedlineSegment(op: .delete, text: "bewaren"), RedlineSegment(op: .insert, text: "verwerken"),
                RedlineSegment(op: .delete, text: old[9_000]),
                RedlineSegment(op: .delete, text: "gegevens"), RedlineSegment(op: .insert, text: "persoonsgegevens"),
            ])
        let rebuilt = sides(redline)
        #expect(rebuilt.old == old)
        #expect(rebuilt.new == new)
    }

    @Test("sentence cuts depend on the words only, so an insertion does not move the cuts after it")
    func stableUnits() {
        let words = text(5_000, seed: 8)
        var shifted = words
        shifted.insert("nieuw", at: 10)
        let codes = Array(0..<words.count)
        let shiftedCodes = Array(0..<shifted.count)
        let cuts = WordDiff.units(words, codes, 0..<words.count).map { words[$0.upperBound - 1] }
        let shiftedCuts = WordDiff.units(shifted, shiftedCodes, 0..<shifted.count).map { shifted[$0.upperBound - 1] }
        #expect(Array(cuts.suffix(100)) == Array(shiftedCuts.suffix(100)))
    }

    @Test("10,000 sections, 3,000 removed and 3,000 added under new headings: linear matching")
    func manySections() {
        // Before: the place of each removed section was found by filtering all pairs (quadratic), and every
        // unmatched old section was compared with every unmatched new one.
        let old = (0..<10_000).map {
            Section(id: "kop-\($0)", heading: "Kop \($0)", level: 2, facts: [], paragraphs: ["Tekst \($0)."])
        }
        let new =
            (0..<7_000).map {
                Section(id: "kop-\($0)", heading: "Kop \($0)", level: 2, facts: [], paragraphs: ["Tekst \($0)."])
            }
            + (0..<3_000).map {
                Section(id: "nieuw-\($0)", heading: "Nieuw \($0)", level: 2, facts: [], paragraphs: ["Anders \($0)."])
            }
        let (changes, seconds) = timed { WordDiff.sections(old, new) }
        #expect(seconds < 10)
        #expect(changes.filter { $0.status == .removed }.count == 3_000)
        #expect(changes.filter { $0.status == .added }.count == 3_000)
        // A removed section is listed where it stood: the first removed one right after the last kept one.
        #expect(changes.first?.id == "kop-7000" || changes.first?.id == "nieuw-0")
    }
}
