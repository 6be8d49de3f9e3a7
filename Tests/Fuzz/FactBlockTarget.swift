// libFuzzer target: one fact block, read by the YAML reader and the model's fact reader. The first byte picks
// the fact kind; the rest is the block's content. Built by .ci/fuzz; not part of the SwiftPM package.
import PolicyBase
import PolicyModel
@_spi(Fuzzing) import PolicySource

private let header = Array("""
    ---
    policy: kaviaarshop
    title: Privacy
    language: nl
    effective: 2018-04-30
    controller:
      name: Kaviaarshop
      email: info@kaviaarshop.nl
    ---

    # Privacy

    """.utf8) + [10]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFactBlock(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let kinds = FactKind.allCases.map(\.rawValue)
    let kind = kinds[Int(data[0]) % kinds.count]
    let content = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let bytes = header + Array("```\(kind)\n".utf8) + content + Array("\n```\n".utf8)
    let source = SourceReader.read(bytes: bytes, path: "kaviaarshop/2018-04-30.nl.md", factKinds: Set(kinds))
    let document = Compiler.compile(source)
    // Read directly from libyaml's events, a fact block must be what Yams' tree makes of it, node for node. (Only
    // for blocks that passed `parse`'s checks, which bound Yams' time: those were read, or have a YAML diagnostic.)
    for block in source.blocks {
        guard case .fact(let fact) = block.markdown.kind, let node = block.facts else { continue }
        let lines = SourceText.lines(of: fact.content)
        let map = YAMLPositionMap(path: "kaviaarshop/2018-04-30.nl.md", firstLine: fact.firstContentLine,
                                  lines: zip(lines, fact.contentPrefixes + Array(repeating: 0, count: max(0, lines.count - fact.contentPrefixes.count)))
                                    .map { (text: $0.0, prefixBytes: $0.1) })
        if let direct = YAMLReader.parseEvents(fact.content, map: map) {
            precondition(direct == node && YAMLReader.parseThroughYams(fact.content, map: map) == .success(direct), "direct reading differs from Yams'")
        }
        // The plain block reader, when it reads a block, reads what libyaml's events give.
        if let plain = YAMLReader.parseBlock(fact.content, map: map) {
            precondition(YAMLReader.parseEvents(fact.content, map: map) == .some(.some(plain)), "block reader differs from libyaml's events")
            precondition(YAMLReader.passesChecks(fact.content, map: map), "block reader read what the checks refuse")
        }
    }
    for diagnostic in document.diagnostics {
        precondition(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "location out of range")
        _ = diagnostic.formatted
    }
    return 0
}
