import PolicyBase
import PolicyModel
@testable import PolicyPublish
import Testing

/// TILT documents are written by `JSONValue.write` into `StableJSONWriter`, not through `Encodable`: the bytes must
/// be the ones `StableJSON.encode` gives for the same value (the golden TILT document covers a real one).
@Suite struct JSONWriterTests {
    @Test func directWriterMatchesTheEncoder() throws {
        let text = "quote \" backslash \\ slash / newline \n tab \t bell \u{07} unit \u{1F} del \u{7F} é 😀"
        let value = JSONValue.object([
            "b": .number(-42), "a": .string(text), "B": .bool(true), "aa": .array([]), "_id": .object([:]),
            "nested": .array([.object(["z": .bool(false), "y": .array([.string(""), .number(0)])]), .array([.array([])])]),
            "ä": .string("last: sorted by UTF-8 bytes"),
        ])
        #expect(String(decoding: value.stableFile, as: UTF8.self) == (try StableJSON.encode(value)) + "\n")
        #expect(String(decoding: JSONValue.array([]).stableFile, as: UTF8.self) == (try StableJSON.encode(JSONValue.array([]))) + "\n")
        #expect(String(decoding: JSONValue.string(text).stableFile, as: UTF8.self) == (try StableJSON.encode(JSONValue.string(text))) + "\n")
    }

    /// An object's members behave as a dictionary's: setting a key again replaces its value, nil removes it.
    @Test func objectMembersBehaveAsADictionary() throws {
        var object: JSONObject = ["b": .number(1), "a": .number(2)]
        object["b"] = .string("x")
        object["c"] = .bool(true)
        object["a"] = nil
        object["none"] = nil
        #expect(object.members.map(\.key) == ["b", "c"])
        #expect(object["b"].map { String(decoding: $0.stableFile, as: UTF8.self) } == "\"x\"\n")
        #expect(object["a"] == nil)
        let expected = try StableJSON.encode(["b": JSONValue.string("x"), "c": .bool(true)]) + "\n"
        #expect(String(decoding: JSONValue.object(object).stableFile, as: UTF8.self) == expected)
    }

    /// The site state is written by `SiteState.writeStableJSON`: the same bytes as through `Encodable`, with and
    /// without every optional member, keys that sort differently as bytes and as text, and escapes.
    @Test func siteStateWriterMatchesTheEncoder() throws {
        let date = try #require(CalendarDate("2027-01-01"))
        let full = VersionInfo(policy: "p", language: "nl", effective: date, announced: CalendarDate("2026-11-01"), title: "T \"q\" \\ é",
                               summary: "line\nbreak", controller: "C", translationOf: "en", contentHash: "sha256:ab")
        let bare = VersionInfo(policy: "p", language: "en", effective: date, announced: nil, title: "T", summary: nil, controller: "C",
                               translationOf: nil, contentHash: "sha256:cd")
        for state in [SiteState(), SiteState(keys: ["b/index.html": "k1", "a/model.json": "k2", "B/x": "k3", "ä": "k4", "a-b": "k5", "a/b": "k6"],
                                                versions: [full, bare])] {
            #expect(String(decoding: StableJSON.file(state), as: UTF8.self) == (try StableJSON.encode(state)) + "\n")
        }
    }
}
