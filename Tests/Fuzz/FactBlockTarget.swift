// libFuzzer target: one fact block, read by the YAML reader and the model's fact reader. The first byte picks
// the fact kind; the rest is the block's content. Built by .ci/fuzz; not part of the SwiftPM package.
import PolicyBase
import PolicyModel
@_spi(Fuzzing) import PolicySource

private let header =
    Array(
        """
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
    // The fast path (the plain block reader), whenever it reads a block, reads what the core (the checks before
    // parsing, then Yams' tree) reads, node for node and position for position.
    for block in source.blocks {
        guard case .fact(let fact) = block.markdown.kind else { continue }
        let map = YAMLPositionMap(path: "kaviaarshop/2018-04-30.nl.md", fact: fact)
        if let plain = YAMLReader.parseBlock(fact.content, map: map) {
            precondition(
                YAMLReader.parseCore(fact.content, map: map) == .success(plain),
                "fast path differs from the core")
        }
    }
    for diagnostic in document.diagnostics {
        precondition(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "location out of range")
        _ = diagnostic.formatted
    }
    return 0
}
