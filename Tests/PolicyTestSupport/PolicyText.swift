import PolicyModel
import PolicySource

#if canImport(Testing)
    import Testing
#endif

/// Compiles a policy written as Markdown; `path` decides policy folder, date and language as in `Policies/`. Shared
/// by the tests of every stage that start from a policy's text.
public func compiled(_ text: String, path: String) -> CompiledDocument {
    Compiler.compile(SourceReader.read(bytes: Array(text.utf8), path: path))
}

// `swift build` builds this target too, where the Testing module is not available (a release build): the helper
// that records test issues is compiled only where it is.
#if canImport(Testing)
    /// Replaces the one occurrence of `old` in `text`; records an issue when there is not exactly one, so an edit of a
    /// test's base policy cannot silently miss.
    public func edit(
        _ text: String, replacing old: String, with new: String, sourceLocation: SourceLocation = #_sourceLocation
    ) -> String {
        let count = text.components(separatedBy: old).count - 1
        if count != 1 {
            Issue.record("expected exactly one '\(old)' in the input, found \(count)", sourceLocation: sourceLocation)
        }
        return text.replacingOccurrences(of: old, with: new)
    }
#endif
