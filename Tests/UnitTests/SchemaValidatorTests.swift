import Foundation
import Contracts
import Testing

/// The hand-written JSON Schema validator, keyword by keyword, on small inline schemas.
@Suite("JSON Schema subset validator")
struct SchemaValidatorTests {
    static let person = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://madoguchi.example/schemas/person.schema.json",
          "type": "object",
          "additionalProperties": false,
          "required": ["name", "birthDate"],
          "properties": {
            "name": { "type": "string", "minLength": 1, "maxLength": 4 },
            "birthDate": { "type": "string", "format": "date" },
            "id": { "type": "string", "format": "uuid" },
            "age": { "type": "integer", "minimum": 0, "maximum": 150 },
            "sex": { "enum": ["1", "2", "9"] },
            "postcode": { "type": "string", "pattern": "^[0-9]{3}-[0-9]{4}$" },
            "heirs": { "type": "array", "items": { "$ref": "#/$defs/Heir" }, "maxItems": 2, "uniqueItems": true },
            "question": { "$ref": "#/$defs/Question" }
          },
          "$defs": {
            "Heir": { "type": "object", "required": ["relation"], "properties": { "relation": { "type": "string" } } },
            "Question": {
              "oneOf": [
                { "type": "object", "required": ["type"], "additionalProperties": false,
                  "properties": { "type": { "const": "boolean" } } },
                { "type": "object", "required": ["type", "options"], "additionalProperties": false,
                  "properties": { "type": { "const": "choice" }, "options": { "type": "array", "minItems": 2 } } }
              ]
            }
          }
        }
        """

    func violations(_ yaml: String) throws -> [SchemaViolation] {
        let schema = try DataLoader.loadYAML(Self.person, file: "person.schema.json")
        let set = try SchemaSet(documents: ["person.schema.json": schema])
        return set.validate(try DataLoader.loadYAML(yaml, file: "x.yaml"), against: "person.schema.json")
    }

    @Test func aConformingDocumentHasNoViolations() throws {
        let found = try violations("""
            name: 見本花子
            birthDate: "1980-04-01"
            age: 45
            sex: "2"
            postcode: 100-0013
            heirs: [{relation: child}]
            question: {type: choice, options: [a, b]}
            """)
        #expect(found.isEmpty, "\(found)")
    }

    @Test func aMissingRequiredKeyIsReportedAtTheObjectWithItsLineAndColumn() throws {
        let found = try violations("name: 見本\n")
        let violation = try #require(found.first)
        #expect(violation.keyword == "required")
        #expect(violation.instancePath == "")
        #expect(violation.line(in: .japanese) == "x.yaml:1:1: error: このファイルに「birthDate」がありません。追加してください。")
        #expect(violation.line(in: .english) == "x.yaml:1:1: error: The file lacks \"birthDate\"; add it.")
        #expect(violation.message.en.contains("\"birthDate\""))
    }

    @Test func aMisspeltKeyIsRejectedWithTheNearestKnownKey() throws {
        let found = try violations("name: 見本\nbirthDate: \"1980-04-01\"\nbirthdate: x\n")
        let violation = try #require(found.first)
        #expect(violation.keyword == "additionalProperties")
        #expect(violation.instancePath == "")  // JSON Schema's instance location: the object
        #expect(violation.location.line == 3 && violation.location.column == 1)  // the misspelt key itself
        #expect(violation.message.en.contains("did you mean \"birthDate\"?"))
    }

    @Test(arguments: ["1980-02-30", "1980-4-01", "19800401", "令和2年4月1日"])
    func aDateMustBeARealCalendarDateWrittenYYYYMMDD(_ date: String) throws {
        let found = try violations("name: 見本\nbirthDate: \"\(date)\"\n")
        #expect(found.map(\.keyword) == ["format"])
        #expect(found.first?.instancePath == "/birthDate")
    }

    @Test func yamlDatesStayTextSoFormatDateAcceptsThemUnquoted() throws {
        #expect(try violations("name: 見本\nbirthDate: 2024-02-29\n").isEmpty)
    }

    @Test func numbersAreCheckedForTypeAndRange() throws {
        #expect(try violations("name: a\nbirthDate: \"2000-01-01\"\nage: 45.5\n").map(\.keyword) == ["type"])
        #expect(try violations("name: a\nbirthDate: \"2000-01-01\"\nage: 151\n").map(\.keyword) == ["maximum"])
        #expect(try violations("name: a\nbirthDate: \"2000-01-01\"\nage: 45.0\n").isEmpty)
    }

    @Test func lengthCountsCharactersNotBytesSoNonBMPKanjiCountOnce() throws {
        #expect(try violations("name: 𠮷野家子\nbirthDate: \"2000-01-01\"\n").isEmpty)
        #expect(try violations("name: 𠮷野家子孫\nbirthDate: \"2000-01-01\"\n").map(\.keyword) == ["maxLength"])
    }

    @Test func enumPatternAndUUIDRejectWithoutEchoingTheValue() throws {
        let found = try violations("""
            name: a
            birthDate: "2000-01-01"
            sex: "3"
            postcode: "1000013"
            id: not-a-uuid
            """)
        #expect(Set(found.map(\.keyword)) == ["enum", "pattern", "format"])
        for violation in found {
            #expect(!violation.description.contains("1000013") && !violation.description.contains("not-a-uuid"))
        }
    }

    @Test func aPatternAnchoredWithDollarDoesNotAcceptATrailingNewline() throws {
        #expect(try violations("name: a\nbirthDate: \"2000-01-01\"\npostcode: \"100-0013\\n\"\n").map(\.keyword) == ["pattern"])
    }

    @Test func arrayItemsAreValidatedThroughRefsAndCounted() throws {
        let found = try violations("""
            name: a
            birthDate: "2000-01-01"
            heirs: [{relation: child}, {relation: child}, {}]
            """)
        #expect(found.contains { $0.keyword == "maxItems" && $0.instancePath == "/heirs" })
        #expect(found.contains { $0.keyword == "uniqueItems" && $0.instancePath == "/heirs/1" })
        #expect(found.contains { $0.keyword == "required" && $0.instancePath == "/heirs/2" })
    }

    @Test func aOneOfWithADiscriminatorReportsWhatTheChosenKindLacks() throws {
        let found = try violations("name: a\nbirthDate: \"2000-01-01\"\nquestion: {type: choice}\n")
        #expect(found.contains { $0.keyword == "oneOf" && $0.instancePath == "/question" })
        #expect(found.contains { $0.keyword == "required" && $0.message.en.contains("\"options\"") })
        let unknownKind = try violations("name: a\nbirthDate: \"2000-01-01\"\nquestion: {type: slider}\n")
        #expect(unknownKind.first { $0.keyword == "oneOf" }?.message.en.contains("\"boolean\", \"choice\"") == true)
    }

    @Test func aSchemaWithAKeywordOutsideTheSubsetIsRefused() throws {
        let schema = try DataLoader.loadYAML("{type: object, dependentRequired: {a: [b]}}", file: "bad.schema.json")
        #expect(throws: SchemaSetError.self) { try SchemaSet(documents: ["bad.schema.json": schema]) }
        let dangling = try DataLoader.loadYAML("{$ref: \"#/$defs/Nowhere\"}", file: "ref.schema.json")
        #expect(throws: SchemaSetError.self) { try SchemaSet(documents: ["ref.schema.json": dangling]) }
    }

    @Test func brokenYAMLGivesItsLineAndColumn() throws {
        let error = try #require(throws: SyntaxError.self) { try DataLoader.loadYAML("a: [1, 2\nb: c\n", file: "f.yaml") }
        #expect(error.location.line != nil)
        #expect(error.description.hasPrefix("f.yaml:"))
        let duplicate = try #require(throws: SyntaxError.self) { try DataLoader.loadYAML("a: 1\na: 2\n", file: "d.yaml") }
        #expect(duplicate.location.line == 2)
    }

    /// Found by Fuzz/YAMLLoader: aliases could nest and expand without bound, and a key
    /// starting with a combining mark hid the `/` before it from `node(at:)`.
    @Test func yamlAliasesAreBoundedAndPointersSplitByScalars() throws {
        let laughs = (1...7).map { level in
            "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]"
        }
        let bomb = try #require(throws: SyntaxError.self) {
            try DataLoader.loadYAML((["l0: &l0 [a, a, a, a, a, a, a, a, a]"] + laughs).joined(separator: "\n"), file: "b.yaml")
        }
        #expect(bomb.location.line != nil && bomb.reason.contains("\(DataLoader.maximumValues)"))
        let chain = (1...300).map { "a\($0): &a\($0) [*a\($0 - 1)]" }
        let deep = try #require(throws: SyntaxError.self) {
            try DataLoader.loadYAML((["a0: &a0 [x]"] + chain).joined(separator: "\n"), file: "c.yaml")
        }
        #expect(deep.reason.contains("\(DataLoader.maximumDepth)"))
        let many = Array(repeating: "- *a", count: DataLoader.maximumAliases + 1)
        let aliases = try #require(throws: SyntaxError.self) {
            try DataLoader.loadYAML((["- &a x"] + many).joined(separator: "\n"), file: "a.yaml")
        }
        #expect(aliases.location.line == DataLoader.maximumAliases + 2 && aliases.location.column == 3)

        let node = try DataLoader.loadYAML("{\"\u{596}d\": 1, \"a/~b\": 2}", file: "k.yaml")
        let key = JSONPointer.appending("", "\u{596}d")
        #expect(JSONPointer.tokens(key) == ["\u{596}d"])
        #expect(node.node(at: key)?.value == .number(1))
        #expect(node.node(at: "/a~1~0b")?.value == .number(2))
    }

    @Test func tomlValuesCarryTheLineOfTheirKey() throws {
        let node = try DataLoader.loadTOML("""
            # comment
            [kiosk]
            id = "kiosk-01"

            [[heirs]]
            name = "a"
            [[heirs]]
            name = "b"
            """, file: "c.toml")
        #expect(node.node(at: "/kiosk/id")?.location.line == 3)
        #expect(node.node(at: "/heirs/1/name")?.location.line == 8)
        let broken = try #require(throws: SyntaxError.self) { try DataLoader.loadTOML("a = \n", file: "b.toml") }
        #expect(broken.location.line == 1)
    }
}

/// JSON from outside (HTTP bodies) read without libyaml.
@Suite struct JSONLoaderTests {
    @Test func surrogatePairEscapesThatLibyamlRefusesAreRead() throws {
        // 𠮷 (U+20BB7), common in Japanese family names, escaped as JSON allows.
        let node = try DataLoader.loadJSON(Data(#"{"name":"\ud842\udfb7野 花子","n":1,"b":true,"z":null}"#.utf8), file: "body")
        #expect(node["name"]?.value == .string("𠮷野 花子"))
        #expect(node["n"]?.value == .number(1) && node["b"]?.value == .bool(true) && node["z"]?.value == .null)
        #expect(throws: SyntaxError.self) { try DataLoader.loadYAML(#"{"name":"\ud842\udfb7"}"#, file: "body") }
    }

    @Test func everyKindOfValueAndEscapeReadsAsFoundationReadsIt() throws {
        let text = #" { "s": "a\"b\\c\/d\b\f\n\r\t\u00e9\u6F22", "n": [0, -0.5, 12, 1.5e3, -2E-2, 123456789012], "e": {}, "a": [], "t": [true, false, null], "k": "見本" } "#
        let node = try DataLoader.loadJSON(Data(text.utf8), file: "body")
        #expect(node["s"]?.value == .string("a\"b\\c/d\u{08}\u{0C}\n\r\té漢"))
        #expect(node["n"]?.value == .array([0, -0.5, 12, 1500, -0.02, 123456789012].map { DataNode(.number($0), at: FilePosition(file: "body")) }))
        #expect(node["e"]?.value == .object([]) && node["a"]?.value == .array([]) && node["k"]?.value == .string("見本"))
        #expect(node["t"]?.value == .array([.bool(true), .bool(false), .null].map { DataNode($0, at: FilePosition(file: "body")) }))
        // Members sorted by key, whatever their order in the text.
        guard case .object(let members) = node.value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["a", "e", "k", "n", "s", "t"])
    }

    @Test func eachMistakeIsNamedWithItsByte() {
        func reason(_ text: [UInt8]) -> String {
            do {
                _ = try DataLoader.loadJSON(Data(text), file: "body")
                return "accepted"
            } catch {
                return error.reason
            }
        }
        func reason(_ text: String) -> String { reason(Array(text.utf8)) }
        #expect(reason([0xEF, 0xBB, 0xBF] + Array("{}".utf8)).contains("byte order mark"))
        #expect(reason(#"{"a":1,}"#) == "trailing comma before byte 7")
        #expect(reason("[1,2,]") == "trailing comma before byte 5")
        #expect(reason(#"{"a":1,"a":2}"#) == "an object has the key \"a\" twice")
        #expect(reason(#"["\ud842"]"#).contains("surrogate pair"))
        #expect(reason(#"["\udfb7"]"#).contains("surrogate pair"))
        #expect(reason("[01]") == "the number at byte 1 has a leading zero")
        #expect(reason("[1.]") == "the number at byte 1 needs digits after '.'")
        #expect(reason("[1e400]") == "the number at byte 1 is too large")
        #expect(reason("[-]") == "the number at byte 1 needs a digit, found ']' at byte 2")
        #expect(reason("[\"a\nb\"]") == "a control character (0xA) at byte 3 must be escaped")
        #expect(reason([0x5B, 0x22, 0xFF, 0x22, 0x5D]) == "the string that starts at byte 1 is not valid UTF-8")
        #expect(reason(#"["\x"]"#) == "'\\x' at byte 2 is not a JSON escape")
        #expect(reason("{} {}") == "expected the end of the text after the value, found '{' at byte 3")
        #expect(reason("") == "expected a value, found the end of the text")
        #expect(reason("[tru]") == "expected true at byte 1")
        #expect(reason(#"{"a" 1}"#) == "expected ':' after the key at byte 1, found '1' at byte 5")
        #expect(reason(#"{1:2}"#) == "expected a key in double quotes, found '1' at byte 1")
        #expect(reason(#"["abc"#) == "the string that starts at byte 1 is not closed")
        #expect(reason("[1 2]") == "expected ',' or ']' in the array, found '2' at byte 3")
    }

    @Test func garbageAndDeepNestingAreRefusedWithoutCrashing() {
        #expect(throws: SyntaxError.self) { try DataLoader.loadJSON(Data("{".utf8), file: "body") }
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: SyntaxError.self) { try DataLoader.loadJSON(Data(deep.utf8), file: "body") }
    }
}
