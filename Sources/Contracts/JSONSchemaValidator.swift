import Foundation
import MadoguchiCore

/// A set of JSON Schemas (draft 2020-12) that refer to each other by file name, and the
/// validator for the keyword subset Madoguchi's contracts use (`schemas/README.md`).
///
/// Written by hand because no maintained Swift JSON Schema library is available here.
/// A schema that uses a keyword outside the subset is refused at load time, so no
/// keyword is ever silently ignored.
public struct SchemaSet: Sendable {
    /// Keywords whose value is one schema.
    static let schemaKeywords: Set<String> = ["additionalProperties", "items", "not", "if", "then", "else"]
    /// Keywords whose value is an object of schemas.
    static let schemaMapKeywords: Set<String> = ["properties", "patternProperties", "$defs"]
    /// Keywords whose value is an array of schemas.
    static let schemaArrayKeywords: Set<String> = ["oneOf", "anyOf", "allOf"]
    /// Assertion keywords with plain values.
    static let valueKeywords: Set<String> = [
        "type", "required", "enum", "const", "pattern", "format", "minLength", "maxLength", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems", "$ref",
    ]
    /// Keywords that only describe.
    static let annotationKeywords: Set<String> = [
        "$schema", "$id", "$comment", "title", "description", "examples", "default", "deprecated",
    ]
    /// The `format` values checked.
    static let formats: Set<String> = ["date", "uuid"]

    /// The schemas by file name (`answers.schema.json`).
    public let documents: [String: DataNode]

    /// Loads every `*.schema.json` in `directory`.
    /// - Throws: `SchemaSetError` listing every unreadable schema or unsupported keyword.
    public init(directory: String) throws(SchemaSetError) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".schema.json") }.sorted()
        var documents: [String: DataNode] = [:]
        var problems: [String] = []
        for name in names {
            do {
                documents[name] = try DataLoader.load(
                    contentsOf: (directory as NSString).appendingPathComponent(name), displayName: "schemas/\(name)")
            } catch {
                problems.append(error.description)
            }
        }
        try self.init(documents: documents, knownProblems: problems)
    }

    /// Uses already loaded schemas, keyed by file name.
    public init(documents: [String: DataNode]) throws(SchemaSetError) {
        try self.init(documents: documents, knownProblems: [])
    }

    /// The schemas with their keywords read and every `$ref` resolved once, so validating a
    /// document reads no schema keyword by name (the reference receiver validates every
    /// submission).
    private let compiled: CompiledSchemas

    private init(documents: [String: DataNode], knownProblems: [String]) throws(SchemaSetError) {
        self.documents = documents
        var problems = knownProblems
        for (name, document) in documents.sorted(by: { $0.key < $1.key }) {
            Self.check(document, pointer: "", in: name, documents: documents, problems: &problems)
        }
        guard problems.isEmpty else { throw SchemaSetError(problems: problems) }
        compiled = CompiledSchemas(documents: documents)
    }

    /// Checks that a schema uses only the subset, and that every `$ref` resolves.
    private static func check(
        _ schema: DataNode, pointer: String, in document: String, documents: [String: DataNode],
        problems: inout [String]
    ) {
        if case .bool = schema.value { return }
        guard case .object(let members) = schema.value else {
            problems.append("\(schema.location): error: a schema must be an object or a boolean (at \(pointer))")
            return
        }
        for member in members {
            let here = JSONPointer.appending(pointer, member.key)
            switch member.key {
            case let key where schemaKeywords.contains(key):
                check(member.value, pointer: here, in: document, documents: documents, problems: &problems)
            case let key where schemaMapKeywords.contains(key):
                guard case .object(let children) = member.value.value else {
                    problems.append("\(member.value.location): error: \(key) must be an object of schemas")
                    continue
                }
                for child in children {
                    check(
                        child.value, pointer: JSONPointer.appending(here, child.key), in: document,
                        documents: documents, problems: &problems)
                }
            case let key where schemaArrayKeywords.contains(key):
                guard case .array(let children) = member.value.value, !children.isEmpty else {
                    problems.append("\(member.value.location): error: \(key) must be a non-empty array of schemas")
                    continue
                }
                for (index, child) in children.enumerated() {
                    check(
                        child, pointer: JSONPointer.appending(here, String(index)), in: document,
                        documents: documents, problems: &problems)
                }
            case "$ref":
                guard case .string(let reference) = member.value.value, resolve(reference, from: document, documents: documents) != nil
                else {
                    problems.append("\(member.value.location): error: $ref does not resolve to a schema in schemas/")
                    continue
                }
            case "format":
                if case .string(let format) = member.value.value, !formats.contains(format) {
                    problems.append(
                        "\(member.value.location): error: format \"\(format)\" is not checked; use \(formats.sorted()) or a pattern")
                }
            case "pattern":
                if case .string(let pattern) = member.value.value,
                    (try? NSRegularExpression(pattern: pattern)) == nil
                {
                    problems.append("\(member.value.location): error: pattern is not a valid regular expression")
                }
            case let key where valueKeywords.contains(key) || annotationKeywords.contains(key):
                continue
            default:
                problems.append(
                    "\(member.value.location): error: keyword \"\(member.key)\" is outside Madoguchi's schema subset (schemas/README.md)")
            }
        }
    }

    /// Resolves `reference` (`#/$defs/X`, `file.schema.json`, `file.schema.json#/$defs/X`,
    /// or an absolute `$id` URL ending in a file name) seen in `document`.
    static func resolve(
        _ reference: String, from document: String, documents: [String: DataNode]
    ) -> (document: String, schema: DataNode)? {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let target = parts[0].isEmpty ? document : String(parts[0].split(separator: "/").last ?? "")
        guard let root = documents[target] else { return nil }
        let fragment = parts.count > 1 ? String(parts[1]) : ""
        guard let schema = root.node(at: fragment) else { return nil }
        return (target, schema)
    }

    // MARK: validating

    /// Validates `instance` against the schema in file `name` (`answers.schema.json`).
    /// - Returns: every violation, in document order; empty when the instance conforms.
    public func validate(_ instance: DataNode, against name: String) -> [SchemaViolation] {
        guard let root = compiled.roots[name] else {
            return [
                SchemaViolation(
                    instancePath: "", location: instance.location, keyword: "$ref",
                    message: BilingualText(ja: "スキーマ \(name) がありません。", en: "There is no schema \(name)."))
            ]
        }
        var violations = Violations(probing: false)
        validate(instance, path: "", schema: compiled.nodes[root], into: &violations)
        return violations.list
    }

    private func validate(_ instance: DataNode, path: String, schema: CompiledSchema, into violations: inout Violations) {
        func fail(_ keyword: String, _ ja: @autoclosure () -> String, _ en: @autoclosure () -> String) {
            violations.add(path, instance.location, keyword, ja(), en())
        }
        let name = Messages.name(of: path)

        switch schema.boolean {
        case true?: return
        case false?:
            fail("false", "\(name.ja)はここでは使えません。", "\(name.en) is not allowed here.")
            return
        case nil: break
        }
        guard schema.isObject else { return }

        if let reference = schema.reference {
            validate(instance, path: path, schema: compiled.nodes[reference], into: &violations)
        }

        if let allowed = schema.types {
            let actual = instance.typeName
            let matches = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !matches {
                fail(
                    "type",
                    "\(name.ja)は\(allowed.map(Messages.typeJa).joined(separator: "または"))で書いてください(今は\(Messages.typeJa(actual)))。",
                    "\(name.en) must be \(allowed.map(Messages.typeEn).joined(separator: " or ")), not \(Messages.typeEn(actual)).")
                return  // other keywords would only repeat the same mistake
            }
        }

        if let constant = schema.constant, !instance.jsonEquals(constant) {
            fail(
                "const", "\(name.ja)は \(Messages.literal(constant)) でなければなりません。",
                "\(name.en) must be \(Messages.literal(constant)).")
        }
        if let options = schema.options, !options.contains(where: instance.jsonEquals) {
            let list = options.map(Messages.literal).joined(separator: ", ")
            fail("enum", "\(name.ja)の値が使えません。次のいずれかにしてください: \(list)", "\(name.en) has a value that is not allowed; use one of: \(list).")
        }

        switch instance.value {
        case .string(let string): validateString(string, schema: schema, name: name, fail: fail)
        case .number(let number): validateNumber(number, schema: schema, name: name, fail: fail)
        case .array(let items):
            validateArray(items, instance: instance, path: path, schema: schema, name: name, into: &violations)
        case .object(let members):
            validateObject(members, location: instance.location, path: path, schema: schema, name: name, into: &violations)
        default: break
        }

        if schema.hasCombinators {
            validateCombinators(instance, path: path, schema: schema, name: name, into: &violations)
        }
    }

    private func validateString(
        _ string: String, schema: CompiledSchema, name: Messages.Name,
        fail: (String, @autoclosure () -> String, @autoclosure () -> String) -> Void
    ) {
        if schema.minLength != nil || schema.maxLength != nil {
            let length = Double(string.unicodeScalars.count)
            if let minimum = schema.minLength, length < minimum {
                fail(
                    "minLength", "\(name.ja)は\(Int(minimum))文字以上にしてください。",
                    "\(name.en) must be at least \(Int(minimum)) characters long.")
            }
            if let maximum = schema.maxLength, length > maximum {
                fail(
                    "maxLength", "\(name.ja)は\(Int(maximum))文字以内にしてください。",
                    "\(name.en) must be at most \(Int(maximum)) characters long.")
            }
        }
        if let pattern = schema.pattern, !(pattern.regex.map { Self.matches(string, regex: $0.expression) } ?? false) {
            fail(
                "pattern", "\(name.ja)の書き方が決まった形式と違います(\(pattern.source))。",
                "\(name.en) is not in the expected form (\(pattern.source))\(schema.describing.map { ": \($0)" } ?? "").")
        }
        if let format = schema.format, !Self.conforms(string, to: format) {
            switch format {
            case "date":
                fail(
                    "format", "\(name.ja)は実在する日付を YYYY-MM-DD の形で書いてください。",
                    "\(name.en) must be a real date written YYYY-MM-DD.")
            default:
                fail(
                    "format", "\(name.ja)は UUID(例 3f2504e0-4f89-11d3-9a0c-0305e82c3301)で書いてください。",
                    "\(name.en) must be a UUID (e.g. 3f2504e0-4f89-11d3-9a0c-0305e82c3301).")
            }
        }
    }

    private func validateNumber(
        _ number: Double, schema: CompiledSchema, name: Messages.Name,
        fail: (String, @autoclosure () -> String, @autoclosure () -> String) -> Void
    ) {
        if let minimum = schema.minimum, number < minimum {
            fail("minimum", "\(name.ja)は\(Messages.number(minimum))以上にしてください。", "\(name.en) must be at least \(Messages.number(minimum)).")
        }
        if let maximum = schema.maximum, number > maximum {
            fail("maximum", "\(name.ja)は\(Messages.number(maximum))以下にしてください。", "\(name.en) must be at most \(Messages.number(maximum)).")
        }
        if let minimum = schema.exclusiveMinimum, number <= minimum {
            fail(
                "exclusiveMinimum", "\(name.ja)は\(Messages.number(minimum))より大きくしてください。",
                "\(name.en) must be greater than \(Messages.number(minimum)).")
        }
        if let maximum = schema.exclusiveMaximum, number >= maximum {
            fail(
                "exclusiveMaximum", "\(name.ja)は\(Messages.number(maximum))より小さくしてください。",
                "\(name.en) must be less than \(Messages.number(maximum)).")
        }
        if let divisor = schema.multipleOf, divisor > 0 {
            let quotient = number / divisor
            if abs(quotient - quotient.rounded()) > 1e-9 {
                fail(
                    "multipleOf", "\(name.ja)は\(Messages.number(divisor))の倍数にしてください。",
                    "\(name.en) must be a multiple of \(Messages.number(divisor)).")
            }
        }
    }

    private func validateArray(
        _ items: [DataNode], instance: DataNode, path: String, schema: CompiledSchema, name: Messages.Name,
        into violations: inout Violations
    ) {
        let location = instance.location
        func fail(_ keyword: String, _ ja: @autoclosure () -> String, _ en: @autoclosure () -> String) {
            violations.add(path, location, keyword, ja(), en())
        }
        if let minimum = schema.minItems, Double(items.count) < minimum {
            fail("minItems", "\(name.ja)には\(Int(minimum))個以上必要です。", "\(name.en) needs at least \(Int(minimum)) entries.")
        }
        if let maximum = schema.maxItems, Double(items.count) > maximum {
            fail("maxItems", "\(name.ja)は\(Int(maximum))個までです。", "\(name.en) may have at most \(Int(maximum)) entries.")
        }
        if schema.uniqueItems {
            for (index, item) in items.enumerated() where items[..<index].contains(where: item.jsonEquals) {
                violations.add(
                    JSONPointer.appending(path, String(index)), item.location, "uniqueItems",
                    "\(name.ja)に同じものが重複しています。1つにしてください。",
                    "\(name.en) lists the same entry twice; keep one.")
            }
        }
        if let itemSchema = schema.items {
            for (index, item) in items.enumerated() {
                validate(item, path: JSONPointer.appending(path, String(index)), schema: compiled.nodes[itemSchema], into: &violations)
            }
        }
    }

    private func validateObject(
        _ members: [DataNode.Member], location: FilePosition, path: String, schema: CompiledSchema,
        name: Messages.Name, into violations: inout Violations
    ) {
        func fail(_ keyword: String, _ ja: @autoclosure () -> String, _ en: @autoclosure () -> String) {
            violations.add(path, location, keyword, ja(), en())
        }
        for key in schema.required where !members.contains(where: { $0.key == key }) {
            fail(
                "required", "\(name.ja)に「\(key)」がありません。追加してください。",
                "\(name.en) lacks \"\(key)\"; add it.")
        }
        for member in members {
            let childPath = JSONPointer.appending(path, member.key)
            var known = false
            if let declared = schema.properties[member.key] {
                known = true
                validate(member.value, path: childPath, schema: compiled.nodes[declared], into: &violations)
            }
            for (regex, childSchema) in schema.patternProperties where Self.matches(member.key, regex: regex.expression) {
                known = true
                validate(member.value, path: childPath, schema: compiled.nodes[childSchema], into: &violations)
            }
            if !known, let additional = schema.additionalProperties {
                if compiled.nodes[additional].boolean == false {
                    let suggestion = { Messages.closest(to: member.key, among: schema.propertyKeys) }
                    // The instance location is the object (as JSON Schema output defines it); the
                    // file position is the offending key's, which is where a clerk must look.
                    violations.add(
                        path, member.keyLocation, "additionalProperties",
                        "「\(member.key)」はここでは使えない項目です。"
                            + (suggestion().map { "「\($0)」の書き間違いではありませんか。" } ?? "綴りを確認してください。"),
                        "\"\(member.key)\" is not a known key here; "
                            + (suggestion().map { "did you mean \"\($0)\"?" } ?? "check the spelling."))
                } else {
                    validate(member.value, path: childPath, schema: compiled.nodes[additional], into: &violations)
                }
            }
        }
    }

    private func validateCombinators(
        _ instance: DataNode, path: String, schema: CompiledSchema, name: Messages.Name, into violations: inout Violations
    ) {
        let location = instance.location
        let document = schema.document
        func fail(_ keyword: String, _ ja: @autoclosure () -> String, _ en: @autoclosure () -> String) {
            violations.add(path, location, keyword, ja(), en())
        }
        // Whether a branch passes is asked without wording any message (`probing`); the
        // words are made only for the errors that are reported.
        let probing = violations.probing
        func errors(_ subschema: Int, probing: Bool) -> Violations {
            var found = Violations(probing: probing)
            validate(instance, path: path, schema: compiled.nodes[subschema], into: &found)
            return found
        }
        func passes(_ subschema: Int) -> Bool { errors(subschema, probing: true).isEmpty }
        /// The worded errors of the one branch the instance means, when it is clear.
        func best(_ branches: [Int]) -> Violations? {
            guard !probing, let index = bestBranch(branches.map { compiled.nodes[$0].node }, instance: instance, document: document)
            else { return nil }
            return errors(branches[index], probing: false)
        }
        if let all = schema.allOf {
            for subschema in all { violations += errors(subschema, probing: probing) }
        }
        if let any = schema.anyOf {
            if !any.contains(where: passes) {
                fail("anyOf", "\(name.ja)が、許される形のどれにも合いません。", "\(name.en) matches none of the allowed forms.")
                if let best = best(any) {
                    violations += best
                }
            }
        }
        if let one = schema.oneOf {
            let passing = one.filter(passes).count
            if passing == 0 {
                let discriminator = Self.discriminator(of: one.map { compiled.nodes[$0].node }, document: document, documents: documents)
                if let key = discriminator?.key, let values = discriminator?.values {
                    fail(
                        "oneOf",
                        "\(name.ja)の内容が「\(key)」の種類(\(values.joined(separator: ", ")))のどれにも合いません。",
                        "\(name.en) does not fit any kind of \"\(key)\" (\(values.joined(separator: ", "))).")
                } else {
                    fail("oneOf", "\(name.ja)が、許される形のどれにも合いません。", "\(name.en) matches none of the allowed forms.")
                }
                if let best = best(one) {
                    violations += best
                }
            } else if passing > 1 {
                fail(
                    "oneOf", "\(name.ja)が複数の形に当てはまり、どれか決められません。",
                    "\(name.en) fits more than one allowed form; make it unambiguous.")
            }
        }
        if let negated = schema.not, passes(negated) {
            fail("not", "\(name.ja)はこの形にしてはいけません。", "\(name.en) must not take this form.")
        }
        if let condition = schema.if {
            if passes(condition) {
                if let then = schema.then { violations += errors(then, probing: probing) }
            } else if let otherwise = schema.else {
                violations += errors(otherwise, probing: probing)
            }
        }
    }

    /// For a failed oneOf/anyOf: the errors of the one branch whose `const` properties the
    /// instance matches (e.g. its `type`), so the message says what that kind lacks.
    private func bestBranch(_ branches: [DataNode], instance: DataNode, document: String) -> Int? {
        let matching = branches.indices.filter { index in
            let constants = Self.constProperties(of: branches[index], document: document, documents: documents)
            return !constants.isEmpty && constants.allSatisfy { key, value in instance[key]?.jsonEquals(value) ?? false }
        }
        return matching.count == 1 ? matching[0] : nil
    }

    /// `properties.X.const` of a branch (following one `$ref`).
    static func constProperties(of branch: DataNode, document: String, documents: [String: DataNode]) -> [(String, DataNode)] {
        var schema = branch
        if case .string(let reference)? = branch["$ref"]?.value, let resolved = resolve(reference, from: document, documents: documents) {
            schema = resolved.schema
        }
        guard case .object(let properties)? = schema["properties"]?.value else { return [] }
        return properties.compactMap { member in member.value["const"].map { (member.key, $0) } }
    }

    /// The key every branch pins with `const`, and the values, when there is one.
    static func discriminator(of branches: [DataNode], document: String, documents: [String: DataNode]) -> (key: String, values: [String])? {
        let perBranch = branches.map { constProperties(of: $0, document: document, documents: documents) }
        guard let first = perBranch.first else { return nil }
        for (key, _) in first {
            let values = perBranch.compactMap { constants in constants.first { $0.0 == key }.map { Messages.literal($0.1) } }
            if values.count == branches.count { return (key, values) }
        }
        return nil
    }

    /// ECMA-262 search semantics, except that a final `$` means the end of the text (ICU's
    /// `$` also matches before a trailing newline, which would let "x\n" pass `^x$`).
    static func matches(_ string: String, regex: NSRegularExpression) -> Bool {
        let whole = NSRange(string.startIndex..., in: string)
        let pattern = regex.pattern
        let anchoredAtEnd = pattern.hasSuffix("$") && !pattern.hasSuffix("\\$")
        // The first match settles it but for a match ending before a trailing newline.
        guard let first = regex.firstMatch(in: string, range: whole) else { return false }
        if !anchoredAtEnd || NSMaxRange(first.range) == whole.length { return true }
        for match in regex.matches(in: string, range: whole) where NSMaxRange(match.range) == whole.length {
            return true
        }
        return false
    }

    /// Checks the `format`s of the subset: `date` (a real calendar date, YYYY-MM-DD) and `uuid`.
    public static func conforms(_ string: String, to format: String) -> Bool {
        switch format {
        case "date":
            // Exactly "YYYY-MM-DD" in ASCII digits.
            let bytes = Array(string.utf8)
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
            func digits(_ range: Range<Int>) -> Int? {
                var value = 0
                for byte in bytes[range] {
                    guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                    value = value * 10 + Int(byte - UInt8(ascii: "0"))
                }
                return value
            }
            guard let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10), (1...12).contains(month)
            else { return false }
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            return (1...days).contains(day)
        case "uuid":
            // 8-4-4-4-12 ASCII hexadecimal digits, either case.
            let bytes = Array(string.utf8)
            guard bytes.count == 36 else { return false }
            for (index, byte) in bytes.enumerated() {
                if [8, 13, 18, 23].contains(index) {
                    guard byte == UInt8(ascii: "-") else { return false }
                } else {
                    guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                        || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
                    else { return false }
                }
            }
            return true
        default:
            return true
        }
    }
}

/// Schemas that could not be used, with every reason.
public struct SchemaSetError: Error, Sendable, CustomStringConvertible {
    /// One line per problem, `file:line:col: error: …`.
    public var problems: [String]
    /// All problems, one per line.
    public var description: String { problems.joined(separator: "\n") }
}

extension DataNode {
    var number: Double? { if case .number(let n) = value { n } else { nil } }
}

/// The violations found so far. While `probing` (does a oneOf branch pass?) only their
/// number matters, and no message is worded.
struct Violations {
    var list: [SchemaViolation] = []
    let probing: Bool

    init(probing: Bool) { self.probing = probing }

    var isEmpty: Bool { list.isEmpty }

    mutating func add(
        _ path: String, _ location: FilePosition, _ keyword: String, _ ja: @autoclosure () -> String,
        _ en: @autoclosure () -> String
    ) {
        let message = probing ? BilingualText(ja: "", en: "") : BilingualText(ja: ja(), en: en())
        list.append(SchemaViolation(instancePath: path, location: location, keyword: keyword, message: message))
    }

    static func += (left: inout Violations, right: Violations) { left.list += right.list }
}

/// Wording shared by the validator's messages.
enum Messages {
    /// How a message names the value at `path`: its key, or "the file" for the root. The
    /// words are made only when a message needs them: a valid document never pays for them.
    struct Name {
        let path: String

        var ja: String { Messages.words(of: path).ja }
        var en: String { Messages.words(of: path).en }
    }

    static func name(of path: String) -> Name { Name(path: path) }

    static func words(of path: String) -> (ja: String, en: String) {
        let tokens = JSONPointer.tokens(path)
        guard let last = tokens.last else { return ("このファイル", "The file") }
        if let index = Int(last) {
            let parent = tokens.dropLast().last ?? ""
            return ("「\(parent)」の\(index + 1)番目", "Entry \(index + 1) of \"\(parent)\"")
        }
        return ("「\(last)」", "\"\(last)\"")
    }

    static func typeJa(_ type: String) -> String {
        switch type {
        case "string": "文字列"
        case "integer": "整数"
        case "number": "数値"
        case "boolean": "真偽値(true/false)"
        case "array": "リスト"
        case "object": "項目の集まり(マッピング)"
        case "null": "空(null)"
        default: type
        }
    }

    static func typeEn(_ type: String) -> String {
        switch type {
        case "string": "text"
        case "integer": "a whole number"
        case "number": "a number"
        case "boolean": "true or false"
        case "array": "a list"
        case "object": "a mapping of keys"
        case "null": "null"
        default: type
        }
    }

    /// A schema literal (from the schema, never from the instance) as text.
    static func literal(_ node: DataNode) -> String {
        switch node.value {
        case .string(let s): "\"\(s)\""
        case .number(let n): number(n)
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .array: "[…]"
        case .object: "{…}"
        }
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// The known key nearest to a misspelt one, when it is close enough to be a typo.
    static func closest(to key: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, EditDistance.between(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(1, min(key.count, best.0.count) / 3) ? best.0 : nil
    }
}

/// Compiled `pattern`s, kept for the life of the process: a schema has a few dozen and they
/// are checked for every string (the reference receiver checks every submission), while
/// compiling one costs more than matching it. NSRegularExpression is immutable once made,
/// so matching from several threads is safe.
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache()
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression?] = [:]

    func regex(_ pattern: String) -> NSRegularExpression? {
        if let known = lock.withLock({ compiled[pattern] }) { return known }
        let regex = try? NSRegularExpression(pattern: pattern)
        lock.withLock {
            // Schemas are few and fixed; a flood of distinct patterns (fuzzing) stays bounded.
            if compiled.count > 10_000 { compiled.removeAll() }
            compiled[pattern] = regex
        }
        return regex
    }
}
