import Contracts
import Foundation
import Testing

/// Keeps code and design from drifting: every schema loads within the validator's subset,
/// every example is accepted or rejected as its folder says, and every file the project
/// ships under `Forms/` and `Devices/` (and the sample configuration) conforms.
@Suite("Contracts: schemas, examples and shipped files")
struct ContractFilesTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func files(under relative: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: path(relative)) else { return [] }
        return enumerator.compactMap { $0 as? String }.map { "\(relative)/\($0)" }.sorted()
    }

    static let schemas: Result<SchemaSet, SchemaSetError> = Result { () throws(SchemaSetError) in
        try SchemaSet(directory: path("schemas"))
    }

    static let schemaNames: [String] = files(under: "schemas").filter { $0.hasSuffix(".schema.json") }
        .map { String($0.dropFirst("schemas/".count)) }

    /// Example files: `schemas/examples/<schema>/{valid,invalid}/<file>`.
    static func examples(_ kind: String) -> [String] {
        files(under: "schemas/examples").filter {
            $0.split(separator: "/").count == 5 && $0.split(separator: "/")[3] == Substring(kind) && !$0.hasSuffix(".expect")
        }
    }

    static func schema(forExample example: String) -> String {
        "\(example.split(separator: "/")[2]).schema.json"
    }

    @Test func everySchemaLoadsWithinTheSupportedKeywordSubset() throws {
        let set = try Self.schemas.get()
        #expect(Self.schemaNames.count >= 12)
        for name in Self.schemaNames {
            let schema = try #require(set.documents[name])
            guard case .string(let id)? = schema["$id"]?.value else {
                Issue.record("schemas/\(name) has no $id")
                continue
            }
            #expect(id.hasSuffix("/\(name)"), "schemas/\(name): $id should end with its file name")
            #expect(schema["title"] != nil && schema["$schema"] != nil, "schemas/\(name) needs $schema and title")
        }
    }

    @Test func everySchemaHasAtLeastOneValidAndOneInvalidExample() {
        for name in Self.schemaNames {
            let base = String(name.dropLast(".schema.json".count))
            #expect(Self.examples("valid").contains { $0.hasPrefix("schemas/examples/\(base)/") }, "no valid example for \(name)")
            #expect(Self.examples("invalid").contains { $0.hasPrefix("schemas/examples/\(base)/") }, "no invalid example for \(name)")
        }
    }

    @Test(arguments: examples("valid"))
    func validExampleIsAccepted(_ example: String) throws {
        let set = try Self.schemas.get()
        let node = try DataLoader.load(contentsOf: Self.path(example), displayName: example)
        let violations = set.validate(node, against: Self.schema(forExample: example))
        #expect(violations.isEmpty, "\(violations.map(\.description).joined(separator: "\n"))")
    }

    @Test(arguments: examples("invalid"))
    func invalidExampleIsRejectedAtTheExpectedPlace(_ example: String) throws {
        let set = try Self.schemas.get()
        let expectFile = (example as NSString).deletingPathExtension + ".expect"
        let expectation = try String(contentsOfFile: Self.path(expectFile), encoding: .utf8)
        let line = try #require(expectation.split(separator: "\n").first { $0.hasPrefix("at:") }, "\(expectFile) lacks 'at:'")
        let pointer = line.dropFirst("at:".count).trimmingCharacters(in: .whitespaces)

        let violations: [SchemaViolation]
        do {
            let node = try DataLoader.load(contentsOf: Self.path(example), displayName: example)
            violations = set.validate(node, against: Self.schema(forExample: example))
        } catch {
            Issue.record("\(example) should be a well-formed file that breaks the schema, but does not parse: \(error)")
            return
        }
        #expect(!violations.isEmpty, "\(example) was accepted")
        #expect(
            violations.contains { $0.instancePath == pointer },
            "\(example): expected an error at '\(pointer)', got \(violations.map(\.description))")
        for violation in violations {
            #expect(violation.description.hasPrefix("\(example):"), "error not located in its file: \(violation)")
        }
    }

    static let shippedFiles: [String] =
        (files(under: "Forms") + files(under: "Devices") + ["docs/contracts/madoguchi.sample.toml", "systemd/madoguchi.toml"])
        .filter { ContractFile.schema(forRelativePath: $0) != nil }

    @Test func theSampleConfigurationIsAmongTheShippedFiles() {
        #expect(FileManager.default.fileExists(atPath: Self.path("docs/contracts/madoguchi.sample.toml")))
    }

    @Test(arguments: shippedFiles)
    func shippedFileConformsToItsContract(_ file: String) throws {
        let set = try Self.schemas.get()
        let schema = try #require(ContractFile.schema(forRelativePath: file))
        let node = try DataLoader.load(contentsOf: Self.path(file), displayName: file)
        let violations = set.validate(node, against: schema)
        #expect(violations.isEmpty, "\(violations.map(\.description).joined(separator: "\n"))")
    }

    @Test(arguments: [
        ("Forms/okuyami/flow.yaml", "form-flow.schema.json"),
        ("Forms/okuyami/documents/checklist.yaml", "form-document.schema.json"),
        ("Forms/okuyami/strings/ja-easy.yaml", "form-strings.schema.json"),
        ("Forms/okuyami/examples/case-01.json", "answers.schema.json"),
        ("Forms/okuyami/examples/expected/case-01.json", "outcome.schema.json"),
        ("Forms/okuyami/cases/head-spouse-only.json", "answers.schema.json"),
        ("Forms/okuyami/cases/expected/head-spouse-only.json", "outcome.schema.json"),
        ("Devices/readers/sony-rc-s380.toml", "device-reader.schema.json"),
        ("Devices/printers/a4.toml", "device-printer.schema.json"),
        ("Devices/displays/touch.toml", "device-display.schema.json"),
        ("/etc/madoguchi/madoguchi.toml", "config.schema.json"),
        ("/var/lib/madoguchi/touch-calibration.toml", "touch-calibration.schema.json"),
    ])
    func filesMapToTheirSchemaByWhereTheyLive(_ file: String, _ schema: String) {
        #expect(ContractFile.schema(forRelativePath: file) == schema)
    }

    @Test func filesOutsideAnyContractMapToNoSchema() {
        #expect(ContractFile.schema(forRelativePath: "Forms/README.md") == nil)
        #expect(ContractFile.schema(forRelativePath: "Forms/okuyami/notes.yaml") == nil)
        #expect(ContractFile.schema(forRelativePath: "Forms/okuyami/cases/README.md") == nil)
        #expect(ContractFile.schema(forRelativePath: "Devices/readers/README.md") == nil)
    }

    @Test func everyReferenceInTheOpenAPIDocumentResolves() throws {
        let document = try DataLoader.load(contentsOf: Self.path("schemas/openapi.yaml"), displayName: "schemas/openapi.yaml")
        let set = try Self.schemas.get()
        var references: [(String, FilePosition)] = []
        func collect(_ node: DataNode) {
            switch node.value {
            case .object(let members):
                for member in members {
                    if member.key == "$ref", case .string(let reference) = member.value.value {
                        references.append((reference, member.value.location))
                    } else {
                        collect(member.value)
                    }
                }
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(document)
        #expect(!references.isEmpty)
        for (reference, location) in references {
            if reference.hasPrefix("#") {
                #expect(document.node(at: String(reference.dropFirst())) != nil, "\(location): \(reference) does not resolve")
            } else {
                let parts = reference.split(separator: "#", maxSplits: 1)
                let file = String(parts[0].split(separator: "/").last ?? "")
                let schema = try #require(set.documents[file], "\(location): \(reference) names no schema")
                if parts.count > 1 {
                    #expect(schema.node(at: String(parts[1])) != nil, "\(location): \(reference) does not resolve")
                }
            }
        }
    }
}
