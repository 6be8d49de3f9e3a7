// libFuzzer target: the whole compile of one file, bytes to model and diagnostics. Built by .ci/fuzz; not part of
// the SwiftPM package.
import PolicyBase
import PolicyModel
import PolicyTestSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCompile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let document = Compiler.compile(bytes: bytes, path: "kaviaarshop/2018-04-30.nl.md")
    for diagnostic in document.diagnostics {
        precondition(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "location out of range")
        // Text output never carries a raw control character: a value cannot forge a line or move the cursor.
        precondition(
            !diagnostic.formatted.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" },
            "raw control character in output")
    }
    // model.json is written directly; its Encodable reference (Tests/PolicyTestSupport) must give the same bytes for
    // every model.
    if let version = document.version {
        let encoded = try? StableJSON.encode(version)
        precondition(encoded.map { Array(($0 + "\n").utf8) } == StableJSON.file(version), "model writers differ")
    }
    return 0
}
