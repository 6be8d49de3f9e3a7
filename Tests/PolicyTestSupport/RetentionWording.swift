#if canImport(Testing)
    import Testing

    /// The wider policy with its profile period ending at whichever of two events comes first, its usage period about a
    /// year, and the tracker keeping usage data for two years of its own.
    public func retentionAsWorded(_ language: String) -> String {
        var text = edit(
            widerPolicy(language), replacing: "until: end-of-relationship\n",
            with: "until: [end-of-relationship, consent-withdrawn]\n")
        text = edit(text, replacing: "duration: P1Y\n", with: "duration: P1Y\napproximate: true\n")
        return text + """

            ```retention
            id: tracker-usage
            categories: [usage]
            duration: P2Y
            holder: tracker
            ```

            """
    }
#endif
