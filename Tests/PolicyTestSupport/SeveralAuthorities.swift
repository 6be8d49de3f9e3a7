#if canImport(Testing)
    import Testing

    /// The wider policy naming two supervisory authorities: the Dutch one as the lead, then the customer's own.
    public func severalAuthorities(_ language: String) -> String {
        let listed = edit(
            widerPolicy(language), replacing: "supervisory-authority:\n  name:",
            with: "supervisory-authority:\n  - name:")
        return edit(listed, replacing: "\n  country: NL\n---", with: "\n    country: NL\n  - residence: true\n---")
    }
#endif
