// Fuzz target: the reference receiver reads every HTTP body with DataLoader.loadJSON, then
// checks it against submission.schema.json; bodies come from any client on the network.
// sources: Sources/MadoguchiCore/BilingualText.swift Sources/MadoguchiCore/EditDistance.swift Sources/Contracts/DataNode.swift Sources/Contracts/DataLoader.swift Sources/Contracts/DataLoaderJSON.swift Sources/Contracts/DataLoaderTOML.swift Sources/Contracts/SchemaViolation.swift Sources/Contracts/JSONSchemaValidator.swift Sources/Contracts/CompiledSchema.swift Sources/Outbox/StrictJSON.swift
// packages: Yams TOMLKit
// leaks: not checked at exit
// (The schemas are read once, before the first input, and kept: at exit LeakSanitizer calls
// them leaked, as it cannot follow pointers that Swift's enums keep with tag bits. Every
// input is still checked.)
import Foundation

/// The contracts' schemas, compiled once, from $MADOGUCHI_SCHEMAS (scripts/fuzz sets it to
/// the repository's schemas/).
let schemas: SchemaSet = {
    let directory = ProcessInfo.processInfo.environment["MADOGUCHI_SCHEMAS"] ?? "schemas"
    var documents: [String: DataNode] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasSuffix(".schema.json") {
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { preconditionFailure("cannot read \(name)") }
        documents[name] = try! DataLoader.loadJSON(data, file: name)
    }
    precondition(documents["submission.schema.json"] != nil, "no submission.schema.json in \(directory)")
    return try! SchemaSet(documents: documents)
}()

/// Reads the schemas before the first input, so no input's leak check counts them.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    _ = schemas
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(UnsafeBufferPointer(start: start, count: count))
    _ = StrictJSON.message(for: data)
    guard let node = try? DataLoader.loadJSON(data, file: "body") else { return 0 }
    // Whatever loads is JSON that Foundation reads too, with the same kind at the top.
    let foundation = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    switch node.value {
    case .object: precondition(foundation is [String: Any])
    case .array: precondition(foundation is [Any])
    case .string: precondition(foundation is String)
    default: break
    }
    // The receiver's next step: every violation is worded and points into the body.
    for violation in schemas.validate(node, against: "submission.schema.json") {
        precondition(!violation.message.en.isEmpty && !violation.message.ja.isEmpty)
        precondition(violation.instancePath.isEmpty || node.node(at: violation.instancePath) != nil)
    }
    return 0
}
