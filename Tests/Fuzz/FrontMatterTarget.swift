// libFuzzer target: the front matter of one file (split at the delimiters, then the YAML reader).
// Built by .ci/fuzz; not part of the SwiftPM package.
import PolicyBase
@_spi(Fuzzing) import PolicySource

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrontMatter(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // Always a front matter: the fuzzer's bytes sit between the delimiters, so no mutation is spent finding `---`.
    let bytes = Array("---\n".utf8) + Array(UnsafeBufferPointer(start: data, count: size)) + Array("\n---\n".utf8)
    guard case .success(let source) = SourceText.decode(bytes, path: "fuzz.md") else { return 0 }
    guard case .success(let split) = FrontMatterSplit.split(source) else { return 0 }
    let lines = source.lines[1..<(split.closingLine - 1)].map { (text: $0, prefixBytes: 0) }
    let map = YAMLPositionMap(path: "fuzz.md", firstLine: 2, lines: Array(lines))
    switch YAMLReader.parse(split.yaml, map: map) {
    case .failure(let diagnostic):
        // Every diagnostic must point inside the file and format as one line per location.
        precondition(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "location out of range")
        precondition(!diagnostic.formatted.split(separator: "\n").isEmpty)
    case .success(let node):
        // The fast path (the plain block reader), whenever it reads a document, reads what the core (the checks
        // before parsing, then Yams' tree) reads, node for node and position for position.
        if let plain = YAMLReader.parseBlock(split.yaml, map: map) {
            precondition(
                node == plain && YAMLReader.parseCore(split.yaml, map: map) == .success(plain),
                "fast path differs from the core")
        }
    }
    return 0
}
