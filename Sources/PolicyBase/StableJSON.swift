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
            guard !array.isEmpty else {
                out += "[\n\n" + spaces(indent) + "]"
                return
            }
            out += "[\n"
            for (index, element) in array.enumerated() {
                out += spaces(indent + 2)
                write(element, indent: indent + 2, into: &out)
                out += index == array.count - 1 ? "\n" : ",\n"
            }
            out += spaces(indent) + "]"
        } else if let object = node.object {
            guard !object.isEmpty else {
                out += "{\n\n" + spaces(indent) + "}"
                return
            }
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
    static func spaces(_ count: Int) -> String {
        count < indents.count ? indents[count] : String(repeating: " ", count: count)
    }

    /// A JSON string literal of `text`, escaped as `JSONEncoder` escapes it (`StableJSONWriter` escapes the same way,
    /// on bytes).
    static func quoted(_ text: String) -> String {
        // Most text needs no escape: copy it whole. (Checked on the contiguous bytes: the UTF-8 view's iterator costs
        // several times as much, and every string of model.json comes through here.)
        let plain =
            text.utf8.withContiguousStorageIfAvailable { bytes in
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

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            NodeEncoder(node: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            NodeEncoder(node: child(key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> Encoder { NodeEncoder(node: node, codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> Encoder {
            NodeEncoder(node: child(key), codingPath: codingPath + [key])
        }
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

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
            NestedKey
        > {
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

/// Writes the bytes `StableJSON.encode` gives (pretty, keys sorted by their UTF-8 bytes) straight into a byte array,
/// for the hottest JSON of a publish: a version's `model.json` and its TILT document, about 4,000 of them for 2,000
/// sources. Through `Encodable`, every value of those became a node of a tree of dictionaries that was then sorted and
/// written through `String` appends (measured: 12% of a full publish's CPU for `model.json` alone).
///
/// The caller writes an object's keys in sorted order (debug builds check it); a test holds each writer's output to
/// `StableJSON.encode` of the same value.
public protocol StableJSONWritable {
    /// Writes the value as `StableJSON.encode` would (for types that are also `Encodable`, a test compares the two).
    func writeStableJSON(_ writer: inout StableJSONWriter)
}

extension StableJSON {
    /// The bytes of `value` as pretty JSON with sorted keys, and a final newline: a file's content.
    public static func file(_ value: some StableJSONWritable) -> [UInt8] {
        var writer = StableJSONWriter()
        value.writeStableJSON(&writer)
        return writer.finished()
    }
}

public struct StableJSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// One entry an open container: whether it is an object, and how many members it has so far.
    private var open: [(object: Bool, count: Int)] = []
    #if DEBUG
        private var lastKeys: [String?] = []
    #endif

    public init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    /// The bytes written, with a final newline; every container must be closed.
    public mutating func finished() -> [UInt8] {
        precondition(open.isEmpty, "a JSON container left open")
        bytes.append(0x0A)
        return bytes
    }

    public mutating func beginObject() {
        element()
        bytes.append(0x7B)
        open.append((true, 0))
        #if DEBUG
            lastKeys.append(nil)
        #endif
    }

    public mutating func endObject() {
        close(0x7D)
        #if DEBUG
            lastKeys.removeLast()
        #endif
    }

    public mutating func beginArray() {
        element()
        bytes.append(0x5B)
        open.append((false, 0))
    }

    public mutating func endArray() { close(0x5D) }

    /// The next key of the open object; keys come in the order of their UTF-8 bytes.
    public mutating func key(_ key: String) {
        precondition(open.last?.object == true, "a key outside an object")
        #if DEBUG
            if let previous = lastKeys[lastKeys.count - 1] {
                assert(
                    previous.utf8.lexicographicallyPrecedes(key.utf8),
                    "key \(key) after \(previous): keys must be sorted")
            }
            lastKeys[lastKeys.count - 1] = key
        #endif
        member()
        quoted(key)
        bytes.append(0x20)
        bytes.append(0x3A)
        bytes.append(0x20)
    }

    public mutating func string(_ text: String) {
        element()
        quoted(text)
    }

    public mutating func int(_ value: Int) {
        element()
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func bool(_ value: Bool) {
        element()
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    public mutating func null() {
        element()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Convenience for a key whose value is a string.
    public mutating func field(_ name: String, _ text: String) {
        key(name)
        string(text)
    }

    /// Convenience for a key whose value is a list of strings.
    public mutating func field(_ name: String, _ list: [String]) {
        key(name)
        beginArray()
        for item in list { string(item) }
        endArray()
    }

    /// Before a value: in an array it is a member (its separator and indent); after a key it follows on the line.
    private mutating func element() {
        if let last = open.last, !last.object { member() }
    }

    private mutating func member() {
        let index = open.count - 1
        bytes.append(contentsOf: open[index].count == 0 ? "\n".utf8 : ",\n".utf8)
        open[index].count += 1
        indent(open.count)
    }

    private mutating func close(_ bracket: UInt8) {
        let last = open.removeLast()
        // An empty container is written with an empty line inside, as JSONEncoder writes it.
        bytes.append(0x0A)
        if last.count == 0 { bytes.append(0x0A) }
        indent(open.count)
        bytes.append(bracket)
    }

    private mutating func indent(_ level: Int) {
        bytes.append(contentsOf: repeatElement(0x20, count: 2 * level))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string literal, escaped as `StableJSON.quoted` escapes it.
    private mutating func quoted(_ text: String) {
        bytes.append(0x22)
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                switch byte {
                case 0x22: bytes.append(contentsOf: "\\\"".utf8)
                case 0x5C: bytes.append(contentsOf: "\\\\".utf8)
                case 0x0A: bytes.append(contentsOf: "\\n".utf8)
                case 0x0D: bytes.append(contentsOf: "\\r".utf8)
                case 0x09: bytes.append(contentsOf: "\\t".utf8)
                case 0x08: bytes.append(contentsOf: "\\b".utf8)
                case 0x0C: bytes.append(contentsOf: "\\f".utf8)
                default:
                    bytes.append(contentsOf: "\\u00".utf8)
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(0x22)
    }
}
