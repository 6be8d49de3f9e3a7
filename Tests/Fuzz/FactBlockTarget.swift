// libFuzzer target: one fact block, read by the YAML reader and the model's fact reader. The first byte picks
// the fact kind; the rest is the block's content. Built by .ci/fuzz; not part of the SwiftPM package.
import PolicyBase
import PolicyModel

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
    let document = Compiler.compile(bytes: bytes, path: "kaviaarshop/2018-04-30.nl.md")
    for diagnostic in document.diagnostics {
        precondition(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "location out of range")
        _ = diagnostic.formatted
    }
    return 0
}
