/// Encodes a value as pretty JSON with sorted keys, byte for byte what `JSONEncoder` with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` writes (a test holds the two together).
///
/// Written by hand for speed alone: `JSONEncoder` checks every value against Date, Data, URL and dictionary types with
/// dynamic casts, and in a one-shot command those first-time casts cost more (about 3 ms) than encoding a policy
/// diff. This encoder supports what policyc's types use: keyed, unkeyed and single values of strings, integers,
/// booleans and nil.
public enum StableJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let root = Node()
        try value.encode(to: NodeEncoder(node: root, codingPath: []))
        var out = ""
        write(root, indent: 0, into: &out)
        return out
    }

    final class Node {
        var scalar: String?
        var array: [Node]?
        var object: [String: Node]?
    }

    static func write(_ node: Node, indent: Int, into out: inout String) {
        if let scalar = node.scalar {
            out += scalar
        } else if let array = node.array {
            guard !array.isEmpty else { out += "[\n\n" + spaces(indent) + "]"; return }
            out += "[\n"
            for (index, element) in array.enumerated() {
                out += spaces(indent + 2)
                write(element, indent: indent + 2, into: &out)
                out += index == array.count - 1 ? "\n" : ",\n"
            }
            out += spaces(indent) + "]"
        } else if let object = node.object {
            guard !object.isEmpty else { out += "{\n\n" + spaces(indent) + "}"; return }
            out += "{\n"
            let keys = object.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                out += spaces(indent + 2)
                out += quoted(key) + " : "
                write(object[key]!, indent: indent + 2, into: &out)
                out += index == keys.count - 1 ? "\n" : ",\n"
            }
            out += spaces(indent) + "}"
        } else {
            // A container that was asked for and left empty is an empty object, as JSONEncoder writes it.
            out += "{\n\n" + spaces(indent) + "}"
        }
    }

    static let indents = (0...32).map { String(repeating: " ", count: $0) }
    static func spaces(_ count: Int) -> String { count < indents.count ? indents[count] : String(repeating: " ", count: count) }

    /// A JSON string literal of `text`, escaped as `JSONEncoder` escapes it (public for writers of JSON by hand that
    /// must give the same bytes, such as publish's TILT documents).
    public static func quoted(_ text: String) -> String {
        // Most text needs no escape: copy it whole. (Checked on the contiguous bytes: the UTF-8 view's iterator costs
        // several times as much, and every string of model.json comes through here.)
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes in
            !bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C })
        } ?? !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C })
        if plain { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    struct NodeEncoder: Encoder {
        let node: Node
        var codingPath: [CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if node.object == nil { node.object = [:] }
            return KeyedEncodingContainer(Keyed(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> UnkeyedEncodingContainer {
            if node.array == nil { node.array = [] }
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> SingleValueEncodingContainer { Single(node: node, codingPath: codingPath) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        var codingPath: [CodingKey]

        func child(_ key: Key) -> Node {
            let child = Node()
            node.object![key.stringValue] = child
            return child
        }

        mutating func encodeNil(forKey key: Key) throws { child(key).scalar = "null" }
        mutating func encode(_ value: Bool, forKey key: Key) throws { child(key).scalar = value ? "true" : "false" }
        mutating func encode(_ value: String, forKey key: Key) throws { child(key).scalar = quoted(value) }
        mutating func encode(_ value: Int, forKey key: Key) throws { child(key).scalar = String(value) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try value.encode(to: NodeEncoder(node: child(key), codingPath: codingPath + [key]))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(node: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            NodeEncoder(node: child(key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> Encoder { NodeEncoder(node: node, codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> Encoder { NodeEncoder(node: child(key), codingPath: codingPath + [key]) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        var codingPath: [CodingKey]
        var count: Int { node.array!.count }

        func next() -> Node {
            let child = Node()
            node.array!.append(child)
            return child
        }

        mutating func encodeNil() throws { next().scalar = "null" }
        mutating func encode(_ value: Bool) throws { next().scalar = value ? "true" : "false" }
        mutating func encode(_ value: String) throws { next().scalar = quoted(value) }
        mutating func encode(_ value: Int) throws { next().scalar = String(value) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try value.encode(to: NodeEncoder(node: next(), codingPath: codingPath))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(node: next(), codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            NodeEncoder(node: next(), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> Encoder { NodeEncoder(node: next(), codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        var codingPath: [CodingKey]

        mutating func encodeNil() throws { node.scalar = "null" }
        mutating func encode(_ value: Bool) throws { node.scalar = value ? "true" : "false" }
        mutating func encode(_ value: String) throws { node.scalar = quoted(value) }
        mutating func encode(_ value: Int) throws { node.scalar = String(value) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
        }
    }
}
