import Foundation
import PolicyBase
import PolicyModel
import Testing

@testable import PolicyDriver

#if canImport(Glibc)
    import Glibc
#endif

// Issue 9, "Hardening": every failure it lists, reproduced from generated input. Paths are relative to a fresh
// temporary folder, so every diagnostic is asserted word for word with its line and column.

/// A valid one-version policy `shop` (NoticePeriodTests.base), effective on `date`.
private func policy(_ date: String = "2020-01-01") -> String { NoticePeriodTests.version(date) }

/// The diagnostic lines of `stderr` (those with a rule id), without the completeness warnings of the sample.
private func problems(_ stderr: String) -> [String] {
    stderr.split(separator: "\n").map(String.init).filter { line in
        line.contains(": error: ") || line.contains(": note: ")
            || [" (file-name-layout)", " (invisible-character)"].contains { line.hasSuffix($0) }
    }
}

private func makeSymlink(_ path: URL, to destination: String) throws {
    try FileManager.default.createSymbolicLink(atPath: path.path, withDestinationPath: destination)
}

@Suite("Nothing skipped without a word")
struct NoSilentSkipTests {
    @Test("a symlinked Policies/ is followed")
    func symlinkedPoliciesFolder() throws {
        let directory = try temporaryPolicies(["real/shop/2020-01-01.nl.md": policy()])
        try makeSymlink(directory.appendingPathComponent("Policies"), to: "real")
        let result = try runPolicyc(["check"], in: directory)
        // Before: "checked 0 files", exit 0.
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasSuffix("checked 1 file: 0 errors, 2 warnings\n"))
    }

    @Test("a symlink loop named on the command line is reported, and a check that found nothing fails")
    func symlinkLoopArgument() throws {
        let directory = try temporaryPolicies([:])
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try makeSymlink(directory.appendingPathComponent("loop"), to: "loop")
        let result = try runPolicyc(["check", "loop"], in: directory)
        #expect(result.status == 1)
        // The cause first, then its consequence.
        #expect(
            problems(result.stderr) == [
                "loop:1:1: error: symlink loop; it leads back to itself, so nothing below it is read (io-error)",
                "loop:1:1: error: no policy file found; name each version <policy-id>/<effective-date>.<language>.md, such as 'kaviaarshop/2018-04-30.nl.md' (no-policy-files)",
            ])
    }

    @Test("a symlink back to a parent folder is a loop, reported once; the files are still read")
    func symlinkLoopInsideTree() throws {
        let directory = try temporaryPolicies(["Policies/shop/2020-01-01.nl.md": policy()])
        try makeSymlink(directory.appendingPathComponent("Policies/shop/back"), to: "..")
        let result = try runPolicyc(["check"], in: directory)
        #expect(result.status == 1)
        #expect(
            problems(result.stderr) == [
                "Policies/shop/back:1:1: error: symlink loop; it leads back to 'Policies', so it is not read again (io-error)"
            ])
        #expect(result.stderr.hasSuffix("checked 1 file: 1 error, 2 warnings\n"))
    }

    @Test("only .MD and .markdown files: a warning for each saying how to name it, and an error for finding nothing")
    func nearMissEndings() throws {
        let directory = try temporaryPolicies([
            "Policies/shop/2020-01-01.nl.MD": policy(), "Policies/shop/2021-01-01.nl.markdown": policy("2021-01-01"),
        ])
        let result = try runPolicyc(["check"], in: directory)
        #expect(result.status == 1)
        #expect(
            problems(result.stderr) == [
                "Policies:1:1: error: no policy file found; name each version <policy-id>/<effective-date>.<language>.md, such as 'kaviaarshop/2018-04-30.nl.md' (no-policy-files)",
                "Policies/shop/2020-01-01.nl.MD:1:1: warning: file is not read: only names ending in '.md' are; rename it to '2020-01-01.nl.md' (file-name-layout)",
                "Policies/shop/2021-01-01.nl.markdown:1:1: warning: file is not read: only names ending in '.md' are; rename it to '2021-01-01.nl.md' (file-name-layout)",
            ])
    }

    @Test("a folder named like a policy file: check and diff read the same files and say the same")
    func folderNamedLikeAFile() throws {
        let directory = try temporaryPolicies([
            "Policies/shop/2020-01-01.nl.md": policy(), "Policies/shop/2021-01-01.nl.md": policy("2021-01-01"),
        ])
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("Policies/shop/2022-01-01.nl.md"), withIntermediateDirectories: true)
        let warning =
            "Policies/shop/2022-01-01.nl.md:1:1: warning: a folder named like a policy file is not a version; a version is one file, <effective-date>.<language>.md in the policy's folder (file-name-layout)"
        let check = try runPolicyc(["check"], in: directory)
        #expect(check.status == 0)
        #expect(problems(check.stderr) == [warning])
        // Before: diff compiled the folder as a file and failed with "cannot read file"; check said nothing.
        let diff = try runPolicyc(["diff", "shop"], in: directory)
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stderr == warning + "\n")
    }

    @Test("a FIFO named like a policy file is an error naming the reason, and does not block")
    func fifo() throws {
        let directory = try temporaryPolicies(["Policies/shop/2020-01-01.nl.md": policy()])
        #expect(mkfifo(directory.appendingPathComponent("Policies/shop/2021-01-01.nl.md").path, 0o644) == 0)
        let result = try runPolicyc(["check"], in: directory)
        #expect(result.status == 1)
        #expect(
            problems(result.stderr) == [
                "Policies/shop/2021-01-01.nl.md:1:1: error: cannot read: not a regular file (io-error)"
            ])
        let named = try runPolicyc(["check", "Policies/shop/2021-01-01.nl.md"], in: directory)
        #expect(
            problems(named.stderr).first
                == "Policies/shop/2021-01-01.nl.md:1:1: error: cannot read: not a regular file (io-error)")
    }

    @Test("a device named on the command line is not a regular file")
    func device() throws {
        let result = try runPolicyc(["check", "/dev/null"])
        #expect(result.status == 1)
        #expect(problems(result.stderr).contains("/dev/null:1:1: error: cannot read: not a regular file (io-error)"))
    }

    @Test("a file name that is not UTF-8 is an error that shows its bytes")
    func nonUTF8Name() throws {
        let directory = try temporaryPolicies(["Policies/shop/2020-01-01.nl.md": policy()])
        // "caf\xE9.md": Latin-1 é, not UTF-8.
        let name =
            Array(directory.appendingPathComponent("Policies/shop").path.utf8) + Array("/caf".utf8) + [0xE9]
            + Array(".md".utf8) + [0]
        let descriptor = name.withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
        }
        #expect(descriptor >= 0)
        close(descriptor)
        let result = try runPolicyc(["check"], in: directory)
        #expect(result.status == 1)
        #expect(
            problems(result.stderr) == [
                "Policies/shop/caf\\xE9.md:1:1: error: cannot read: the name is not UTF-8; rename it (io-error)"
            ])
    }

    @Test("a path too long is named with the reason")
    func pathTooLong() throws {
        let long = String(repeating: "a", count: 300) + ".md"
        let result = try runPolicyc(["check", long])
        #expect(result.status == 1)
        #expect(problems(result.stderr).contains("\(long):1:1: error: cannot read: path too long (io-error)"))
    }

    @Test("permission denied is named (when not running as root, which may read anything)")
    func permissionDenied() throws {
        let directory = try temporaryPolicies(["Policies/shop/2020-01-01.nl.md": policy()])
        let file = directory.appendingPathComponent("Policies/shop/2020-01-01.nl.md").path
        #expect(chmod(file, 0) == 0)
        let result = try runPolicyc(["check"], in: directory)
        if geteuid() == 0 {
            #expect(result.status == 0)  // root reads it anyway
        } else {
            #expect(
                problems(result.stderr).first
                    == "Policies/shop/2020-01-01.nl.md:1:1: error: cannot read: permission denied (io-error)")
        }
    }

    @Test("every reason a path cannot be read is said in words")
    func reasons() {
        // Root (as CI runs) may read any file, so permission denied is checked here at the level of errno.
        #expect(FileError(errno: EACCES, path: "p").reason == "permission denied")
        #expect(FileError(errno: EPERM, path: "p").reason == "permission denied")
        #expect(FileError(errno: ELOOP, path: "p").reason == "symlink loop")
        #expect(FileError(errno: ENAMETOOLONG, path: "p").reason == "path too long")
        #expect(FileError(errno: EIO, path: "p").reason == "input/output error")
    }

    @Test("the same file named twice is one file, not a duplicate-version")
    func sameFileTwice() throws {
        let directory = try temporaryPolicies(["shop/2020-01-01.nl.md": policy()])
        let result = try runPolicyc(
            ["check", "shop/2020-01-01.nl.md", "./shop/2020-01-01.nl.md", "shop"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasSuffix("checked 1 file: 0 errors, 2 warnings\n"))
    }

    @Test("a path that does not exist stays a usage error")
    func missingPath() throws {
        let result = try runPolicyc(["check", "nothing-here"], in: try temporaryPolicies(["x/y.md": ""]))
        #expect(result.status == 64)
        #expect(result.stderr == "error: no such file or directory: nothing-here\n")
    }
}

@Suite("Nothing read outside the policies")
struct ArgumentTests {
    @Test(
        "a policy, version or language that could name a path is refused before any file is read",
        arguments: [
            (
                ["diff", ".."],
                "error: invalid policy id '..'; a policy id is lowercase letters, digits and single hyphens, the name of its folder in Policies, such as 'kaviaarshop'\n"
            ),
            (
                ["diff", "../outside"],
                "error: invalid policy id '../outside'; a policy id is lowercase letters, digits and single hyphens, the name of its folder in Policies, such as 'kaviaarshop'\n"
            ),
            (
                ["diff", "Kaviaarshop"],
                "error: invalid policy id 'Kaviaarshop'; a policy id is lowercase letters, digits and single hyphens, the name of its folder in Policies, such as 'kaviaarshop'\n"
            ),
            (
                ["diff", "kaviaarshop", "../2018-04-30"],
                "error: invalid version '../2018-04-30'; name a version by its effective date, YYYY-MM-DD\n"
            ),
            (
                ["diff", "kaviaarshop", "2018-04-30", "2027-02-30"],
                "error: invalid version '2027-02-30'; name a version by its effective date, YYYY-MM-DD\n"
            ),
            (
                ["diff", "kaviaarshop", "--language", "../nl"],
                "error: invalid language '../nl'; write a language tag such as 'nl', 'en' or 'pt-BR'\n"
            ),
            (
                ["diff", "a\u{1B}]0;x\u{07}b"],
                "error: invalid policy id 'a\\x1B]0;x\\x07b'; a policy id is lowercase letters, digits and single hyphens, the name of its folder in Policies, such as 'kaviaarshop'\n"
            ),
        ])
    func refused(_ arguments: [String], _ message: String) throws {
        // Run where `..` holds a policy folder: were the id used as a path, the diff would read it.
        let directory = try temporaryPolicies([
            "outside/2020-01-01.nl.md": policy(), "outside/2021-01-01.nl.md": policy("2021-01-01"),
            "repo/Policies/shop/2020-01-01.nl.md": policy(),
        ])
        let result = try runPolicyc(arguments, in: directory.appendingPathComponent("repo/Policies"))
        #expect(result.status == 64)
        #expect(result.stderr == message)
        #expect(result.stdout.isEmpty)
    }

    @Test("a usage error echoes the argument escaped")
    func usageErrorEscaped() throws {
        let result = try runPolicyc(["check", "--today", "2026\u{1B}]0;x"])
        #expect(result.status == 64)
        #expect(result.stderr == "error: invalid --today '2026\\x1B]0;x'; write it as YYYY-MM-DD\n")
    }

    @Test("the validator accepts what the layout allows")
    func accepted() throws {
        try Arguments.validate(policy: "kaviaarshop", languages: ["nl", "pt-BR", nil], versions: ["2018-04-30", nil])
        #expect(throws: UsageError.self) { try Arguments.validate(policy: "a--b") }
        #expect(throws: UsageError.self) { try Arguments.validate(policy: "") }
        #expect(throws: UsageError.self) { try Arguments.validate(policy: String(repeating: "a", count: 65)) }
        #expect(throws: UsageError.self) { try Arguments.validate(languages: ["NL"]) }
    }
}

@Suite("Terminal safety")
struct TerminalSafetyTests {
    @Test("a file name with a newline cannot forge a diagnostic line")
    func newlineInFileName() throws {
        let name = "x\nFAKE.md:9:9: error: forged (io-error)\n2020-01-01.nl.md"
        let directory = try temporaryPolicies(["Policies/shop/2020-01-01.nl.md": policy()])
        try "no front matter\n".write(
            to: directory.appendingPathComponent("Policies/shop/\(name)"), atomically: true, encoding: .utf8)
        let result = try runPolicyc(["check"], in: directory)
        #expect(!result.stderr.split(separator: "\n").contains { $0.hasPrefix("FAKE.md") })
        #expect(
            problems(result.stderr).contains(
                "Policies/shop/x\\nFAKE.md:9:9: error: forged (io-error)\\n2020-01-01.nl.md:1:1: error: missing front matter; start the file with a line '---', the YAML metadata, and a closing '---' (front-matter-missing)"
            ))
    }

    @Test("escape sequences in a value reach the terminal escaped")
    func escapeSequenceInValue() throws {
        // A raw ESC and BEL inside a quoted id (libyaml accepts them in a double-quoted scalar as escapes only, so the
        // value is written with YAML escapes; whether that is itself an error is the model's rule).
        let text = policy().replacingOccurrences(of: "id: orders", with: "id: \"my\\e]0;pwned\\aonline\"")
        let directory = try temporaryPolicies(["shop/2020-01-01.nl.md": text])
        let result = try runPolicyc(["check", "shop"], in: directory)
        #expect(!result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(result.stderr.contains("my\\x1B]0;pwned\\x07online"))
    }

    @Test("control, invisible and bidirectional characters are escaped; the rest is kept")
    func escaping() {
        #expect(TerminalText.escape("plain.md") == "plain.md")
        #expect(
            TerminalText.escape("a\nb\tc\rd\u{1B}[31m\u{07}\u{7F}\u{9B}") == "a\\nb\\tc\\rd\\x1B[31m\\x07\\x7F\\x9B")
        #expect(TerminalText.escape("pay\u{200B}ment \u{202E}dm.exe") == "pay<U+200B>ment <U+202E>dm.exe")
        #expect(TerminalText.escape("café 2018 ü 日本") == "café 2018 ü 日本")
        #expect(TerminalText.describe("\u{200B}") == "U+200B ZERO WIDTH SPACE")
        #expect(TerminalText.describe("\u{202E}") == "U+202E RIGHT-TO-LEFT OVERRIDE")
    }

    @Test("an invisible character in an id is an error naming it by code point; a bidi override in prose is a warning")
    func invisibleCharacters() throws {
        let text = policy().replacingOccurrences(of: "id: orders", with: "id: or\u{200B}ders")
            .replacingOccurrences(of: "# Beleid", with: "# Beleid\n\nKlik op \u{202E}fdp.exe")
        let directory = try temporaryPolicies(["shop/2020-01-01.nl.md": text])
        let result = try runPolicyc(["check", "shop"], in: directory)
        #expect(result.status == 1)
        let invisible = result.stderr.split(separator: "\n").filter { $0.hasSuffix("(invisible-character)") }
        // Line 16: "Klik op " is 8 bytes, the override at column 9. Line 25: "id: or" is 6 bytes, the space at column 7.
        #expect(
            invisible == [
                "shop/2020-01-01.nl.md:16:9: warning: text contains U+202E RIGHT-TO-LEFT OVERRIDE at column 9; delete it (invisible-character)",
                "shop/2020-01-01.nl.md:25:7: error: value contains U+200B ZERO WIDTH SPACE at column 7; delete it (invisible-character)",
            ])
        // Where the model echoes the id, the character is shown, not hidden.
        #expect(result.stderr.contains("or<U+200B>ders"))
    }
}

/// Prose of about `bytes` bytes: sentences of a fixed vocabulary in paragraphs, or on one line.
private func prose(bytes: Int, seed: UInt64, oneLine: Bool = false) -> String {
    let vocabulary = "wij bewaren uw gegevens zorgvuldig en delen ze niet met derden behalve wanneer de wet dat vereist"
        .split(separator: " ")
    var state = seed
    var text = ""
    text.reserveCapacity(bytes + 64)
    var words = 0
    while text.utf8.count < bytes {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        text += vocabulary[Int((state >> 33) % UInt64(vocabulary.count))]
        words += 1
        text += (state >> 20) % 13 == 0 ? "." : ""
        text += oneLine ? " " : (words % 120 == 0 ? "\n\n" : (words % 12 == 0 ? "\n" : " "))
    }
    return text + "\n"
}

/// The largest resident set of any child process run so far, in MB (`ru_maxrss` is in KB on Linux).
/// Runs the built binary under `/usr/bin/time -f %M`, which reports that one process's peak resident memory.
/// (getrusage(RUSAGE_CHILDREN) would report the largest child the whole test process ever had, such as a browser
/// another test started.)
private func runMeasured(_ arguments: [String], in directory: URL) throws -> (
    result: ProcessResult, seconds: Double, peakMB: Int
) {
    let report = FileManager.default.temporaryDirectory.appendingPathComponent("policyc-peak-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: report) }
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
        Issue.record("/usr/bin/time is missing: run .ci/setup (Debian package time)")
        return (ProcessResult(stdout: "", stderr: "", status: -1), 0, Int.max)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
    process.arguments = ["-f", "%M", "-o", report.path, Repo.binary.path] + arguments
    process.currentDirectoryURL = directory
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let start = Date()
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let seconds = Date().timeIntervalSince(start)
    let kilobytes =
        Int((try? String(contentsOf: report, encoding: .utf8))?.split(separator: "\n").last.map(String.init) ?? "")
        ?? Int.max
    return (
        ProcessResult(
            stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
            status: process.terminationStatus), seconds, kilobytes / 1024
    )
}

@Suite("Bounded time and memory", .serialized)
struct BoundedCostTests {
    /// Times a run of the built (debug) binary. The issue's targets are 2 s and 300 MB; the margins on time are
    /// generous because this is a debug build on a shared machine (release figures are in docs/fuzzing.md).
    private func run(_ arguments: [String], in directory: URL) throws -> (ProcessResult, Double, Int) {
        let measured = try runMeasured(arguments, in: directory)
        return (measured.result, measured.seconds, measured.peakMB)
    }

    @Test("check and diff of two 5 MB versions whose every paragraph changed: bounded time, under 300 MB")
    func fiveMegabyteVersions() throws {
        let old = NoticePeriodTests.version("2020-01-01") + prose(bytes: 5_000_000, seed: 1)
        // A different text of the same size: every paragraph changed, the worst case for a redline.
        let new = NoticePeriodTests.version("2021-01-01") + prose(bytes: 5_000_000, seed: 2)
        let directory = try temporaryPolicies(["shop/2020-01-01.nl.md": old, "shop/2021-01-01.nl.md": new])
        let (check, checkSeconds, checkMB) = try run(["check", "shop"], in: directory)
        #expect(check.status == 0, "\(check.stderr.prefix(500))")
        #expect(check.stderr.hasSuffix("checked 2 files: 0 errors, 4 warnings\n"))
        #expect(checkSeconds < 20, "release: about 0.4 s")
        // Text, the default format. (The JSON encoder, StableJSON, needs over 400 MB for this redline in a debug
        // build, 150 MB in a release build.)
        let (diff, diffSeconds, diffMB) = try run(["diff", "shop", "--policies", "."], in: directory)
        #expect(diff.status == 0)
        #expect(diff.stdout.contains("Tekst gewijzigd in “Beleid”"))
        #expect(diffSeconds < 30, "release: about 1.5 s")
        #expect(checkMB < 300 && diffMB < 300, "check \(checkMB) MB, diff \(diffMB) MB")
    }

    @Test("one 5 MB line with one word inserted: diff finds the word, bounded time and memory")
    func fiveMegabyteLine() throws {
        let line = prose(bytes: 5_000_000, seed: 3, oneLine: true)
        let middle = line.utf8.index(line.utf8.startIndex, offsetBy: 2_500_000)
        let space = line[middle...].firstIndex(of: " ")!
        let changed = String(line[..<space]) + " anders" + String(line[space...])
        let directory = try temporaryPolicies([
            "shop/2020-01-01.nl.md": NoticePeriodTests.version("2020-01-01") + line,
            "shop/2021-01-01.nl.md": NoticePeriodTests.version("2021-01-01") + changed,
        ])
        let (diff, seconds, peakMB) = try run(["diff", "shop", "--policies", "."], in: directory)
        #expect(diff.status == 0)
        #expect(diff.stdout.contains("(+1 −0 woorden)"))
        #expect(seconds < 30, "was more than 2 minutes for 20 MB; release now about 0.8 s for 5 MB")
        #expect(peakMB < 300, "\(peakMB) MB")
    }

    @Test("a file over the size limit is refused at once with a located error that says what to do")
    func fileTooLarge() throws {
        let directory = try temporaryPolicies([
            "shop/2020-01-01.nl.md": NoticePeriodTests.version("2020-01-01")
                + String(repeating: "woord ", count: 1_100_000)
        ])
        let (check, seconds, _) = try run(["check", "shop"], in: directory)
        #expect(check.status == 1)
        #expect(
            problems(check.stderr) == [
                "shop/2020-01-01.nl.md:1:1: error: file is larger than 6 MB, the limit for a policy file; shorten it or split off what customers need not read (file-too-large)"
            ])
        #expect(seconds < 5)
    }

    @Test("20 references of 100 KB: no suggestion for such words, each echoed cut to a readable length")
    func longReferences() throws {
        let long = String(repeating: "e", count: 100_000)
        var text = NoticePeriodTests.version("2020-01-01")
        for index in 0..<20 {
            text += "\n```purpose\nid: p\(index)\nlabel: P\nbasis: contract\ncategories: [\(long)\(index)]\n```\n"
        }
        let directory = try temporaryPolicies(["shop/2020-01-01.nl.md": text])
        let (check, seconds, _) = try run(["check", "shop"], in: directory)
        #expect(seconds < 10, "was 14 s")
        let references = check.stderr.split(separator: "\n").filter { $0.hasSuffix("(undeclared-reference)") }
        #expect(references.count == 20)
        // Line 34 is the first purpose's `categories: [`; the id starts at column 14.
        #expect(
            references.first
                == "shop/2020-01-01.nl.md:34:14: error: purpose 'p0' refers to undeclared category '\(String(repeating: "e", count: 48))…'; declare it in a ```category block (undeclared-reference)"
        )
    }
}

@Suite("Suggestions and echoed values")
struct SuggestionTests {
    @Test("suggestions stay for close misspellings")
    func closeMisspellings() {
        #expect(Suggestion.closest(to: "paymnet", in: ["payment", "email"]) == "payment")
        #expect(Suggestion.closest(to: "emial", in: ["payment", "email"]) == "email")
        #expect(Suggestion.closest(to: "xyz", in: ["payment", "email"]) == nil)
    }

    @Test("the distance search stops past its cap, and long words get no suggestion")
    func caps() {
        #expect(Suggestion.editDistance("kitten", "sitting", atMost: 3) == 3)
        #expect(Suggestion.editDistance("kitten", "sitting", atMost: 2) == nil)
        #expect(
            Suggestion.editDistance(String(repeating: "a", count: 10), String(repeating: "b", count: 100), atMost: 3)
                == nil)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        let long = String(repeating: "payment", count: 10)
        #expect(Suggestion.closest(to: long, in: [long + "s"]) == nil)
    }

    @Test("a quoted value longer than 64 characters is cut with an ellipsis; an apostrophe in a word is not a quote")
    func echoedValues() {
        let long = String(repeating: "x", count: 100)
        #expect(
            Diagnostic.error(
                "unknown key '\(long)' in purpose 'a'", rule: "r", at: SourceLocation(file: "f", line: 1, column: 1)
            ).message
                == "unknown key '\(String(repeating: "x", count: 48))…' in purpose 'a'")
        #expect(
            EchoedValue.abbreviatingQuotes(in: "foto's en video's van klanten worden niet bewaard, behalve 'kort'")
                == "foto's en video's van klanten worden niet bewaard, behalve 'kort'")
        // An apostrophe inside a long value does not keep it whole.
        let withApostrophe = String(repeating: "y", count: 40) + "'s" + String(repeating: "z", count: 40)
        #expect(
            EchoedValue.abbreviatingQuotes(in: "label '\(withApostrophe)' is long")
                == "label '\(withApostrophe.prefix(48))…' is long")
        // Many opening quotes and no closing one: linear, not one scan to the end per quote (the compile fuzz
        // target's third run hung on such a message: a duplicate id made of quotes).
        let opens =
            "duplicate category id '" + String(repeating: " 'a", count: 20_000) + " "
            + String(repeating: "x", count: 100) + " 'b"
        let start = Date()
        #expect(EchoedValue.abbreviatingQuotes(in: opens) == opens)
        #expect(Date().timeIntervalSince(start) < 1)
        // A multi-line value is cut at its first line.
        #expect(EchoedValue.abbreviate("eerste regel\ntweede") == "eerste regel…")
        #expect(EchoedValue.abbreviate("kort") == "kort")
    }
}

@Suite("Diff text output")
struct DiffTerminalTests {
    @Test("escape sequences in a heading reach the diff's text output escaped; its own colours are kept")
    func headingWithEscapes() throws {
        let old = NoticePeriodTests.version("2020-01-01") + "\n## Over ons\n\nWij zijn een winkel.\n"
        let new =
            NoticePeriodTests.version("2021-01-01")
            + "\n## Over ons\u{1B}]0;pwned\u{07}\u{1B}[8m\n\nWij zijn een kleine winkel.\n"
        let directory = try temporaryPolicies(["shop/2020-01-01.nl.md": old, "shop/2021-01-01.nl.md": new])
        let result = try runPolicyc(["diff", "shop", "--policies", "."], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(result.stdout.contains("Over ons\\x1B]0;pwned\\x07\\x1B[8m"))
    }

    @Test("only plain colour sequences are kept")
    func colours() {
        #expect(
            TerminalText.escapeLines("\u{1B}[1;31mrood\u{1B}[0m\nregel", keepingColors: true)
                == "\u{1B}[1;31mrood\u{1B}[0m\nregel")
        #expect(
            TerminalText.escapeLines("\u{1B}[8mverborgen\u{1B}[2J", keepingColors: true) == "\\x1B[8mverborgen\\x1B[2J")
        #expect(TerminalText.escapeLines("\u{1B}[1mvet", keepingColors: false) == "\\x1B[1mvet")
    }
}

@Suite("Inputs the fuzzers found compile without a crash")
struct ModelFuzzRegressionTests {
    @Test("the fact-block fuzz target's timeout input compiles at once")
    func factBlockTimeout() throws {
        // timeout-7680d56d…: reported as a 2 s timeout while release builds loaded both cores; 36 ms when run
        // again. Kept so that it stays fast. The first byte picks the fact kind, as in Tests/Fuzz/FactBlockTarget.swift.
        let input = [UInt8](
            try Data(
                contentsOf: Repo.root.appendingPathComponent(
                    "Tests/PolicySourceTests/Fixtures/fuzz/fact-block-timeout-7680d56d")))
        let kinds = FactKind.allCases.map(\.rawValue)
        let header =
            "---\npolicy: kaviaarshop\ntitle: Privacy\nlanguage: nl\neffective: 2018-04-30\ncontroller:\n  name: Kaviaarshop\n  email: info@kaviaarshop.nl\n---\n\n# Privacy\n\n"
        let bytes =
            Array(header.utf8) + Array("```\(kinds[Int(input[0]) % kinds.count])\n".utf8) + input.dropFirst()
            + Array("\n```\n".utf8)
        let start = Date()
        let document = Compiler.compile(bytes: bytes, path: "kaviaarshop/2018-04-30.nl.md")
        #expect(Date().timeIntervalSince(start) < 1)
        #expect(!document.diagnostics.isEmpty)
    }
}
