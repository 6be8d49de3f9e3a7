import Foundation
import PolicyBase
import Testing

/// Paths of the repository and of the built products, found from this file's location so that the tests run
/// from any working directory and need nothing outside the repository.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let policies = root.appendingPathComponent("Policies")
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// The folder that holds the test bundle also holds the `policyc` executable.
    static var binary: URL {
        var directory = Bundle.main.bundleURL
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("policyc")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return root.appendingPathComponent(".build/debug/policyc")
    }
}

struct ProcessResult {
    var stdout: String
    var stderr: String
    var status: Int32
}

/// Runs the built `policyc` with `arguments` in `directory`.
func runPolicyc(_ arguments: [String], in directory: URL = Repo.root, environment: [String: String] = [:]) throws
    -> ProcessResult
{
    let process = Process()
    process.executableURL = Repo.binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes to the end before waiting, so a large output cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(
        stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
        status: process.terminationStatus)
}

/// Compares `actual` with the golden file `name`; with POLICYC_UPDATE_GOLDEN=1 it rewrites the file instead.
func expectGolden(_ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let url = Repo.golden.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["POLICYC_UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    if expected != actual {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        Issue.record(
            """
            \(name) differs from the golden file at line \(line + 1) (rerun with POLICYC_UPDATE_GOLDEN=1 to accept):
              golden: \(line < a.count ? String(a[line]) : "<end>")
              actual: \(line < b.count ? String(b[line]) : "<end>")
            """, sourceLocation: sourceLocation)
    }
}
