import Foundation
import Testing

@testable import PolicyModel

/// The byte-wise fast paths of the model must give what their Unicode definitions give.
@Suite struct FastPathModelTests {
    @Test func asciiSlugMatchesTheDefinition() {
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let ascii = (0..<128).map { Character(Unicode.Scalar(UInt8($0))) }
        for length in 0..<40 {
            for _ in 0..<500 {
                let text = String(
                    (0..<length).map { _ in next(4) == 0 ? ascii[next(128)] : Array("aZ9 -_.,?")[next(9)] })
                #expect(Fields.asciiSlug(text) == Fields.unicodeSlug(text), "\(Array(text.utf8))")
            }
        }
        #expect(Fields.asciiSlug("Één") == nil)
        #expect(Fields.slug("Één keer") == Fields.unicodeSlug("Één keer"))
    }
}

/// `factTitles` and `fact(_:)` stand in for `facts` where pages and diffs need only titles or one fact.
@Suite struct FactLookupTests {
    @Test func titlesAndLookupMatchTheFactsDictionary() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Policies/kaviaarshop")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }
            .sorted()
        #expect(files.count >= 4)
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(file)))
            var version = try #require(Compiler.compile(bytes: bytes, path: "kaviaarshop/" + file).version)
            // A later fact with an id already used wins in both (the compiler refuses such a file; the model allows it).
            version.purposes.append(Purpose(id: version.purposes[0].id, label: "later", categories: []))
            // Every kind of fact at least once, so that a kind left out of one of the lists is found.
            version.categoryGroups.append(CategoryGroup(id: "group", label: "Group", categories: []))
            version.automatedDecisions.append(
                AutomatedDecision(id: "scoring", label: "Scoring", logic: "rules", categories: []))
            version.securityMeasures.append(SecurityMeasure(id: "tls", label: "TLS"))
            version.commitments.append(Commitment(id: "few", label: "Few"))
            version.cookies.append(Cookie(id: "session", name: "Session"))
            let facts = version.facts
            #expect(facts.count > 20)
            #expect(version.factTitles == facts.mapValues(\.title), "\(file)")
            let invariants = TranslationCheck.invariants(version)
            #expect(Set(facts.keys).isSubset(of: Set(invariants.keys)), "\(file)")
            #expect(FactKind.allCases.allSatisfy { !version.facts($0).isEmpty })
            for (key, fact) in facts {
                let found = try #require(version.fact(key), "\(file) \(key)")
                #expect(AnyHashable(found) == AnyHashable(fact), "\(file) \(key)")
            }
            for missing in ["purpose/none", "nokind/x", "purpose", "", "/", "category/"] {
                #expect(version.fact(missing) == nil)
            }
        }
    }
}
