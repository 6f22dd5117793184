// Fuzz target: the reference receiver reads every HTTP body with DataLoader.loadJSON, then
// checks it against submission.schema.json; bodies come from any client on the network.
// sources: Sources/MadoguchiCore/BilingualText.swift Sources/Contracts/DataNode.swift Sources/Contracts/DataLoader.swift Sources/Contracts/DataLoaderJSON.swift Sources/Contracts/SchemaViolation.swift Sources/Outbox/StrictJSON.swift
// packages: Yams
import Foundation

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
    return 0
}
