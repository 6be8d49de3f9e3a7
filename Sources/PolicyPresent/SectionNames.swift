import PolicyDiff

extension Presenter {
    /// How a change page and a diff report name each listed section, by id: its heading, or where two listed
    /// sections share a heading (two "Analytics" removed, one under "Cookies" and one under "Statistics"), the
    /// headings it stands under and its own, joined as this language joins them ("Cookies › Analytics"). Headings
    /// the sharing sections all stand under (the policy's title) are left out; the opening is named as such.
    public func sectionNames(_ sections: [SectionChange]) -> [String: String] {
        func own(_ section: SectionChange) -> String {
            section.heading.isEmpty ? text("section.opening") : oneLine(section.heading)
        }
        let groups = Dictionary(grouping: sections) { own($0).lowercased() }
        var names: [String: String] = [:]
        for section in sections {
            let group = groups[own(section).lowercased()] ?? []
            guard group.count > 1 else {
                names[section.id] = own(section)
                continue
            }
            let shared = Self.commonPrefix(group.map(\.path))
            names[section.id] = (section.path.dropFirst(shared).map(oneLine) + [own(section)]).joined(
                separator: text("section.path.separator"))
        }
        return names
    }

    /// How many leading headings every path has in common.
    static func commonPrefix(_ paths: [[String]]) -> Int {
        guard let first = paths.first else { return 0 }
        var count = 0
        while count < first.count, paths.allSatisfy({ $0.count > count && $0[count] == first[count] }) { count += 1 }
        return count
    }
}

extension Presenter {
    /// The record with its section named as `sectionNames` names it; a record about a fact as it is.
    public func naming(_ record: ChangeRecord, _ names: [String: String]) -> ChangeRecord {
        guard record.element.hasPrefix("section/"), let name = names[String(record.element.dropFirst(8))],
            !record.label.isEmpty
        else { return record }
        var named = record
        named.label = name
        return named
    }
}
