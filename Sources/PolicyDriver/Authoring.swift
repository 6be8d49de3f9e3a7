import Foundation
import PolicyBase
import PolicyModel

#if canImport(Glibc)
    import Glibc
#endif

extension Durable {
    /// Creates `path` with `bytes`, whole or not at all, and never over an existing file: the bytes go to a synced
    /// sibling that is then hard-linked to the name, which fails when the name exists (EEXIST).
    static func createExclusive(_ path: String, with bytes: [UInt8]) throws {
        let temporary = temporaryName(path)
        let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileFault("create", path, errno: errno) }
        defer { unlink(temporary) }
        if let failure = writeAll(descriptor, bytes) {
            close(descriptor)
            throw FileFault("create", path, errno: failure)
        }
        guard fsync(descriptor) == 0, close(descriptor) == 0 else { throw FileFault("create", path, errno: errno) }
        guard link(temporary, path) == 0 else { throw FileFault("create", path, errno: errno) }
        syncFolder(of: path)
    }
}

extension Commands {
    /// `policyc new POLICY --effective DATE`: the next version's files, one a language, copied from the newest
    /// version with the effective date set and `announced` and `summary` left empty for the editor, so that `check`
    /// names them until they are filled in (or removed, when no change must be told).
    public static func new(policy: String, effective: String, policiesDirectory: String = "Policies") -> CommandOutput {
        do {
            try Arguments.validate(policy: policy, languages: [], versions: [effective])
        } catch {
            return CommandOutput(
                stderr: "error: \(TerminalText.escape(String(describing: error)))\n", status: ExitStatus.usage)
        }
        let request = DiffRequest(
            policy: policy, from: nil, to: nil, language: nil, policiesDirectory: policiesDirectory)
        do throws(CommandStop) {
            let (files, _) = try request.findFiles()
            let plan = try NewVersion.plan(files: files, effective: CalendarDate(effective)!)
            for (path, _) in plan where FileManager.default.fileExists(atPath: path) {
                throw CommandStop("\(path) exists; policyc new never overwrites a file", ExitStatus.failure)
            }
            var written: [String] = []
            for (path, bytes) in plan {
                do {
                    try Durable.createExclusive(path, with: bytes)
                } catch {
                    throw CommandStop(FileFault.reason(of: error), ExitStatus.failure)
                }
                written.append(path)
            }
            return CommandOutput(
                stderr: written.map { "created \($0)\n" }.joined()
                    + "fill in 'announced' and 'summary', or remove them when no change must be told; then run 'policyc check'\n"
            )
        } catch {
            return error.output
        }
    }
}

/// The files of a new version, from the newest one's. Pure but for reading the newest files.
enum NewVersion {
    static func plan(files: [String], effective: CalendarDate) throws(CommandStop) -> [(String, [UInt8])] {
        let dated = files.compactMap { file in
            Compiler.fileNameParts(file).flatMap { parts in CalendarDate(parts.date).map { (file, $0, parts.language) }
            }
        }
        guard let newest = dated.map(\.1).max() else {
            throw CommandStop(
                "the policy has no version to start from; write its first version, or run 'policyc init'",
                ExitStatus.usage)
        }
        guard effective > newest else {
            throw CommandStop(
                "the new version must take effect after the newest one (\(newest)); choose a date after it",
                ExitStatus.usage)
        }
        var plan: [(String, [UInt8])] = []
        for (file, _, language) in dated.filter({ $0.1 == newest }).sorted(by: { $0.2 < $1.2 }) {
            guard case .success(let bytes) = FileSystem.read(file, limit: Workspace.maximumFileSize),
                let text = String(validating: bytes, as: UTF8.self)
            else { throw CommandStop("cannot read \(file)", ExitStatus.failure) }
            let folder = (file as NSString).deletingLastPathComponent
            let path = (folder as NSString).appendingPathComponent("\(effective).\(language).md")
            plan.append((path, Array(nextFrontMatter(text, effective: effective).utf8)))
        }
        return plan
    }

    /// The text with its front matter's `effective` set, `announced` and `summary` emptied (a summary written over
    /// several lines loses its continuation lines) and its `changes` dropped: they were about the previous version.
    static func nextFrontMatter(_ text: String, effective: CalendarDate) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
            let end = lines.indices.dropFirst().first(where: {
                ["---", "..."].contains(lines[$0].trimmingCharacters(in: .whitespaces))
            })
        else { return text }
        var front: [String] = []
        var skipping = false
        for line in lines[1..<end] {
            let continuation = line.hasPrefix(" ") || line.hasPrefix("\t") || line.hasPrefix("-") || line.isEmpty
            if skipping && continuation { continue }
            skipping = false
            if line.hasPrefix("effective:") {
                front.append("effective: \(effective)")
            } else if line.hasPrefix("announced:") || line.hasPrefix("summary:") || line.hasPrefix("changes:") {
                skipping = true
            } else {
                front.append(line)
            }
        }
        front += [
            "# The day customers are told (at least the notice period before 'effective'), and a short summary of the",
            "# changes for them; remove both when no change must be told.",
            "announced: \"\"",
            "summary: \"\"",
        ]
        lines.replaceSubrange(1..<end, with: front)
        return lines.joined(separator: "\n")
    }
}
