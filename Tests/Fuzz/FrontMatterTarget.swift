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
        // Read directly from libyaml's events, a document must be what Yams' tree makes of it, node for node. (Only
        // past `parse`'s checks: Yams alone is not bounded in time on what they refuse.)
        if let direct = YAMLReader.parseEvents(split.yaml, map: map) {
            precondition(direct == node && YAMLReader.parseThroughYams(split.yaml, map: map) == .success(direct), "direct reading differs from Yams'")
        }
        // The plain block reader, when it reads a document, reads what libyaml's events give.
        if let plain = YAMLReader.parseBlock(split.yaml, map: map) {
            precondition(YAMLReader.parseEvents(split.yaml, map: map) == .some(.some(plain)), "block reader differs from libyaml's events")
            precondition(YAMLReader.passesChecks(split.yaml, map: map), "block reader read what the checks refuse")
        }
    }
    return 0
}
