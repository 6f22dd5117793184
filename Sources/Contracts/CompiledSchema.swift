import Foundation

/// One schema of a `SchemaSet` with its keywords read once: what the validator asks of a
/// schema for every value of every document, answered without looking keywords up by name.
/// Subschemas are indices into `CompiledSchemas.nodes`, so a `$ref` back to an enclosing
/// schema (a recursive definition) is a number, not a reference cycle.
///
/// Each field keeps the keyword's meaning as the validator reads it: a keyword whose value
/// has the wrong shape counts as absent, as `SchemaSet.check` already refuses most of those.
final class CompiledSchema: Sendable {
    /// The schema as written, for the rarely taken paths that word a oneOf/anyOf failure.
    let node: DataNode
    /// The file it is in; its `$ref`s were resolved from there.
    let document: String

    /// `true` or `false` for a boolean schema.
    let boolean: Bool?
    /// Whether it is an object (anything else that is not a boolean asserts nothing).
    let isObject: Bool
    let reference: Int?

    /// `type` as a list; empty when the keyword has a shape no value can match.
    let types: [String]?
    let constant: DataNode?
    /// `enum`.
    let options: [DataNode]?

    let minLength: Double?
    let maxLength: Double?
    let pattern: (source: String, regex: CompiledRegex?)?
    /// `description`, which a pattern failure quotes as a hint.
    let describing: String?
    let format: String?

    let minimum: Double?
    let maximum: Double?
    let exclusiveMinimum: Double?
    let exclusiveMaximum: Double?
    let multipleOf: Double?

    let minItems: Double?
    let maxItems: Double?
    let uniqueItems: Bool
    let items: Int?

    let required: [String]
    /// `properties`, the first schema of each key.
    let properties: [String: Int]
    /// The keys of `properties` in order, for "did you mean …?".
    let propertyKeys: [String]
    let patternProperties: [(CompiledRegex, Int)]
    let additionalProperties: Int?

    let allOf: [Int]?
    let anyOf: [Int]?
    let oneOf: [Int]?
    let not: Int?
    let `if`: Int?
    let then: Int?
    let `else`: Int?
    /// Whether any of the six above is present.
    let hasCombinators: Bool

    fileprivate init(_ node: DataNode, document: String, compiler: inout CompiledSchemas.Compiler) {
        self.node = node
        self.document = document
        switch node.value {
        case .bool(let value): boolean = value
        default: boolean = nil
        }
        isObject = if case .object = node.value { true } else { false }

        func string(_ keyword: String) -> String? {
            if case .string(let value)? = node[keyword]?.value { value } else { nil }
        }
        func number(_ keyword: String) -> Double? { node[keyword]?.number }
        func schema(_ keyword: String) -> Int? {
            node[keyword].map { compiler.compile($0, document: document) }
        }
        func schemas(_ keyword: String) -> [Int]? {
            guard case .array(let list)? = node[keyword]?.value else { return nil }
            return list.map { compiler.compile($0, document: document) }
        }

        reference = string("$ref").flatMap { compiler.compile(reference: $0, from: document) }
        types =
            switch node["type"]?.value {
            case nil: nil
            case .string(let one)?: [one]
            case .array(let many)?: many.compactMap { if case .string(let type) = $0.value { type } else { nil } }
            default: []
            }
        constant = node["const"]
        options = if case .array(let list)? = node["enum"]?.value { list } else { nil }

        minLength = number("minLength")
        maxLength = number("maxLength")
        pattern = string("pattern").map { ($0, CompiledRegex($0)) }
        describing = string("description")
        format = string("format")

        minimum = number("minimum")
        maximum = number("maximum")
        exclusiveMinimum = number("exclusiveMinimum")
        exclusiveMaximum = number("exclusiveMaximum")
        multipleOf = number("multipleOf")

        minItems = number("minItems")
        maxItems = number("maxItems")
        uniqueItems = if case .bool(true)? = node["uniqueItems"]?.value { true } else { false }
        items = schema("items")

        required =
            if case .array(let list)? = node["required"]?.value {
                list.compactMap { if case .string(let key) = $0.value { key } else { nil } }
            } else { [] }
        var properties: [String: Int] = [:]
        var propertyKeys: [String] = []
        if case .object(let declared)? = node["properties"]?.value {
            for member in declared {
                propertyKeys.append(member.key)
                if properties[member.key] == nil { properties[member.key] = compiler.compile(member.value, document: document) }
            }
        }
        self.properties = properties
        self.propertyKeys = propertyKeys
        patternProperties =
            if case .object(let declared)? = node["patternProperties"]?.value {
                declared.compactMap { member in
                    CompiledRegex(member.key).map { ($0, compiler.compile(member.value, document: document)) }
                }
            } else { [] }
        additionalProperties = schema("additionalProperties")

        allOf = schemas("allOf")
        anyOf = schemas("anyOf")
        oneOf = schemas("oneOf")
        not = schema("not")
        `if` = schema("if")
        then = schema("then")
        `else` = schema("else")
        hasCombinators = allOf != nil || anyOf != nil || oneOf != nil || not != nil || `if` != nil
    }
}

/// A compiled `pattern`. NSRegularExpression is immutable once made, and matching with it
/// from several threads is safe.
struct CompiledRegex: @unchecked Sendable {
    let expression: NSRegularExpression

    init?(_ pattern: String) {
        guard let expression = RegexCache.shared.regex(pattern) else { return nil }
        self.expression = expression
    }
}

/// Every schema reachable from the documents of a set, compiled.
final class CompiledSchemas: Sendable {
    let nodes: [CompiledSchema]
    /// Each document's root schema, by file name.
    let roots: [String: Int]

    init(documents: [String: DataNode]) {
        var compiler = Compiler(documents: documents)
        var roots: [String: Int] = [:]
        for name in documents.keys.sorted() {
            roots[name] = compiler.compile(reference: name, from: name)
        }
        self.roots = roots
        nodes = compiler.nodes.map { $0! }
    }

    struct Compiler {
        let documents: [String: DataNode]
        /// Filled in as each schema is finished; a slot is taken first, so that a `$ref`
        /// reached while its target is still being compiled gets the target's number.
        var nodes: [CompiledSchema?] = []
        /// `$ref` targets already compiled or under way, by "file#pointer".
        var targets: [String: Int] = [:]

        init(documents: [String: DataNode]) {
            self.documents = documents
        }

        mutating func compile(_ node: DataNode, document: String) -> Int {
            let index = nodes.count
            nodes.append(nil)
            nodes[index] = CompiledSchema(node, document: document, compiler: &self)
            return index
        }

        mutating func compile(reference: String, from document: String) -> Int? {
            guard let target = SchemaSet.resolve(reference, from: document, documents: documents) else { return nil }
            let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let key = target.document + "#" + (parts.count > 1 ? String(parts[1]) : "")
            if let known = targets[key] { return known }
            let index = nodes.count
            nodes.append(nil)
            targets[key] = index
            nodes[index] = CompiledSchema(target.schema, document: target.document, compiler: &self)
            return index
        }
    }
}
