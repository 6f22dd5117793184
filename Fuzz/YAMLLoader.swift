// Fuzz target: form bundles, answer files and schemas are YAML from outside. Loading must end
// in a DataNode or a SyntaxError, never a trap, a stack overflow or a blow-up; every value of
// a loaded tree is located inside the file and found again by its JSON pointer, and a
// SyntaxError is located inside the text (or just past its end).
// sources: Sources/MadoguchiCore/BilingualText.swift Sources/Contracts/DataNode.swift Sources/Contracts/DataLoader.swift Sources/Contracts/SchemaViolation.swift Fuzz/Support/YAMLLines.swift
// packages: Yams
let file = "Forms/fuzz/flow.yaml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let lines = yamlLineCount(text)
    do throws(SyntaxError) {
        let root = try DataLoader.loadYAML(text, file: file)
        var lookups = 2_000  // full-path node(at:) checks; beyond them, each child is looked up from its parent
        check(root, pointer: "", root: root, lines: lines, lookups: &lookups)
        // The form-bundle decoder on top of this loader is fuzzed by Fuzz/FormBundle.swift.
    } catch {
        precondition(error.location.file == file, "error names \(error.location.file)")
        if let line = error.location.line {
            precondition(line >= 1 && line <= lines + 1, "error line \(line) outside 1...\(lines + 1): \(error.reason)")
        }
        if let column = error.location.column { precondition(column >= 1, "error column \(column)") }
        precondition(!error.reason.isEmpty, "error without a reason at \(error.location)")
        _ = error.description
    }
    return 0
}

/// Checks `node` (found at `pointer` in `root`) and everything under it. Looking each value
/// up from the root costs its depth in pointer parsing, which makes alias-expanded trees
/// slow, so after `lookups` such checks children are looked up from their parent.
func check(_ node: DataNode, pointer: String, root: DataNode, lines: Int, lookups: inout Int) {
    checkLocation(node.location, lines: lines, what: "value at '\(pointer)'")
    switch node.value {
    case .array(let items):
        for (index, item) in items.enumerated() {
            let child = JSONPointer.appending(pointer, String(index))
            precondition(find(child, in: root, from: node, token: String(index), lookups: &lookups) == item, "node(at: '\(child)') does not find item \(index)")
            check(item, pointer: child, root: root, lines: lines, lookups: &lookups)
        }
    case .object(let members):
        precondition(Set(members.map(\.key)).count == members.count, "duplicate keys at '\(pointer)'")
        for member in members {
            let child = JSONPointer.appending(pointer, member.key)
            checkLocation(member.keyLocation, lines: lines, what: "key '\(child)'")
            precondition(find(child, in: root, from: node, token: member.key, lookups: &lookups) == member.value, "node(at: '\(child)') does not find the member")
            check(member.value, pointer: child, root: root, lines: lines, lookups: &lookups)
        }
    case .number(let number):
        precondition(number.isFinite, "non-finite number at '\(pointer)'")
    case .null, .bool, .string:
        break
    }
}

/// The value at `pointer`, the child `token` of `parent`: looked up from the root while
/// `lookups` last, then from the parent.
func find(_ pointer: String, in root: DataNode, from parent: DataNode, token: String, lookups: inout Int) -> DataNode? {
    lookups -= 1
    return lookups >= 0 ? root.node(at: pointer) : parent.node(at: JSONPointer.appending("", token))
}

func checkLocation(_ location: FilePosition, lines: Int, what: @autoclosure () -> String) {
    precondition(location.file == file, "\(what()) is in \(location.file)")
    guard let line = location.line, let column = location.column else {
        preconditionFailure("\(what()) has no line and column: \(location)")
    }
    precondition(line >= 1 && line <= lines + 1, "\(what()) at line \(line), outside 1...\(lines + 1)")
    precondition(column >= 1, "\(what()) at column \(column)")
}
