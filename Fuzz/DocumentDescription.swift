// Fuzz target: a bundle's documents/<doc>.yaml is text from a town's clerk. Reading it must
// end in a template or a located DocumentError, never a trap; a template must compose into
// pages from a finished run.
// sources: Sources/MadoguchiCore Sources/Flows Sources/Documents Sources/Contracts/DataNode.swift Sources/Contracts/DataLoader.swift Sources/Contracts/SchemaViolation.swift Fuzz/Support/YAMLLines.swift
// packages: Yams
let flow = """
    id: fuzz
    version: 1
    title: form.title
    identity: optional
    questions:
      - {id: hasChildren, type: boolean, answeredBy: resident, text: q.hasChildren.text}
    procedures:
      - {id: childAllowance, title: proc.childAllowance.title, counter: counter.kodomo, applies: "answers.hasChildren"}
    """
let strings = """
    language: ja
    strings:
      form.title: 子育ての手続き
      q.hasChildren.text: お子さんはいますか?
      proc.childAllowance.title: 児童手当
      counter.kodomo: こども家庭課
    """

/// Every line a fixed height: page flow without fonts.
struct FixedMeasure: TextMeasuring {
    mutating func height(of mark: TextMark) -> Double { 6 }
}

/// The finished run documents are filled from; made for each input (a global would be
/// reported by LeakSanitizer, which cannot follow Swift's tagged pointers).
func finishedRun() -> FlowRun {
    guard case .success(let loaded) = FormBundleLoader.load(BundleFiles(directory: "Forms/fuzz", texts: ["flow.yaml": flow, "strings/ja.yaml": strings])),
        var run = try? FlowRun(bundle: loaded.bundle, mode: .staff, today: CalendarDate(year: 2026, month: 1, day: 9)!)
    else { preconditionFailure("the fixed bundle does not load") }
    try? run.answer(.boolean(true))
    return run
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    guard let node = try? DataLoader.loadYAML(text, file: "doc.yaml") else { return 0 }
    let template: DocumentTemplate
    do {
        template = try DocumentTemplate(node: node, conditions: [])
    } catch {
        precondition(error.location.file == "doc.yaml", "an error outside the file: \(error)")
        if let line = error.location.line { precondition(line >= 1 && line <= yamlLineCount(text) + 1, "line \(line) outside the text") }
        precondition(!error.message.ja.isEmpty && !error.message.en.isEmpty)
        return 0
    }
    var composer = DocumentComposer(measure: FixedMeasure())
    let document = composer.compose(template, DocumentInput(run: finishedRun(), submissionID: "fuzz", createdAt: "2026-01-09T10:00:00+09:00", language: .ja))
    precondition(!document.pages.isEmpty && document.pages.count <= 1000)
    return 0
}
