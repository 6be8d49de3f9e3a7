import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Every end-to-end publish suite, run one test at a time: they start Chromium, Java and many publishes, and the
/// suites that measure time and memory of the binary (BoundedCostTests) must not share two cores with all of them.
@Suite(.serialized) struct PublishEndToEnd {}

/// A scratch policy repository for one test: a copy of the sample (Policies and policyc.yaml) in a temporary folder,
/// so publishing never touches the repository's own files.
struct ScratchRepo {
    let url: URL
    var path: String { url.path }
    var site: URL { url.appendingPathComponent("Output/site") }

    init(_ name: String, copySample: Bool = true) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("policyc-\(name)-\(getpid())")
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if copySample {
            try FileManager.default.copyItem(at: Repo.policies, to: url.appendingPathComponent("Policies"))
            // The sample's notification ledger is not committed: the README's main job writes one in the working
            // tree, and a test must not start from it.
            try? FileManager.default.removeItem(at: url.appendingPathComponent("Policies/kaviaarshop/notified.lock"))
            try FileManager.default.copyItem(
                at: Repo.root.appendingPathComponent("policyc.yaml"), to: url.appendingPathComponent("policyc.yaml"))
        }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    func publish(_ arguments: [String] = ["--today", "2026-11-25"], environment: [String: String] = [:]) throws
        -> ProcessResult
    {
        try runPolicyc(["publish"] + arguments, in: url, environment: environment)
    }

    func write(_ relative: String, _ text: String) throws {
        let target = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: target, atomically: true, encoding: .utf8)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(relative), encoding: .utf8)
    }

    /// Every file below `folder` with its bytes, by relative path: a snapshot to compare runs with.
    static func snapshot(_ folder: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [:] }
        for case let relative as String in enumerator {
            var isDirectory: ObjCBool = false
            let full = folder.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = FileManager.default.contents(atPath: full)
            }
        }
        return files
    }
}

/// An external tool the tests run (Chromium, the Nu HTML Checker, Python with jsonschema). A missing tool fails the
/// test with what to do: a test that silently skips would pass on a machine that checks nothing.
enum Tool {
    static func find(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/bin:/usr/local/bin:/root/.pyenv/shims"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func require(_ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        guard let path = find(name) else {
            Issue.record("\(name) is not installed: run .ci/setup", sourceLocation: sourceLocation)
            throw ToolMissing()
        }
        return path
    }

    struct ToolMissing: Error {}

    /// Runs a tool to completion (killed after `timeout` seconds) and returns its output.
    ///
    /// The tool runs detached: a shell starts it in a background subshell and exits at once, so the tool is
    /// reparented to init and its resource usage is never added to this test process. Other suites measure the peak
    /// memory of their own children with getrusage(RUSAGE_CHILDREN), which would otherwise see Chromium or Java.
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil, timeout: Double = 120) throws
        -> ProcessResult
    {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "policyc-tool-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script =
            #"d="$1"; t="$2"; shift 2; ( timeout -s KILL "$t" "$@" > "$d/out" 2> "$d/err" < /dev/null; echo $? > "$d/status.tmp"; mv "$d/status.tmp" "$d/status" ) > /dev/null 2>&1 &"#
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", script, "sh", folder.path, String(Int(timeout))] + [executable] + arguments
        if let directory { shell.currentDirectoryURL = directory }
        try shell.run()
        shell.waitUntilExit()
        let status = folder.appendingPathComponent("status")
        let deadline = Date().addingTimeInterval(timeout + 10)
        while !FileManager.default.fileExists(atPath: status.path) {
            guard Date() < deadline else { throw ToolTimeout(tool: executable) }
            usleep(20_000)
        }
        func text(_ name: String) -> String {
            String(
                decoding: FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) ?? Data(),
                as: UTF8.self)
        }
        let code = Int32(text("status").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        return ProcessResult(stdout: text("out"), stderr: text("err"), status: code)
    }

    struct ToolTimeout: Error { var tool: String }

    /// Headless Chromium on a file: the DOM after load (scripts, if any could run, have run).
    static func dumpDOM(_ file: URL) throws -> String {
        let chromium = try require("chromium")
        let result = try run(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=1000", "--dump-dom",
                file.absoluteString,
            ], timeout: 60)
        #expect(result.status == 0, "chromium: \(result.stderr)")
        return result.stdout
    }

    /// A screenshot of a page, saved as a CI artefact under Output/screenshots in the repository.
    @discardableResult
    static func screenshot(_ file: URL, name: String, width: Int = 1000, height: Int = 2000) throws -> URL {
        let chromium = try require("chromium")
        let folder = Repo.root.appendingPathComponent("Output/screenshots")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent("\(name).png")
        try? FileManager.default.removeItem(at: target)
        let result = try run(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=\(width),\(height)",
                "--screenshot=\(target.path)", file.absoluteString,
            ], timeout: 60)
        #expect(result.status == 0, "chromium: \(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: target.path), "no screenshot \(name)")
        return target
    }
}
