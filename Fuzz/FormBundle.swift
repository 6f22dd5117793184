// Fuzz target: a form bundle's flow.yaml is text from a town's clerk. Loading it must end
// in a bundle or located diagnostics (in the bundle's files, lines inside the text), never
// a trap; a loaded bundle must run: every question answered with a first fitting value
// ends in an outcome that names every procedure.
// sources: Sources/MadoguchiCore Sources/Flows Sources/Contracts/DataNode.swift Sources/Contracts/DataLoader.swift Sources/Contracts/SchemaViolation.swift Fuzz/Support/YAMLLines.swift
// packages: Yams
let strings = """
    language: ja
    strings:
      form.title: 子育ての手続き
      q.hasChildren.text: お子さんはいますか?
      q.childCount.text: お子さんは何人ですか?
      choice.insurance.kokuho: 国民健康保険
      choice.insurance.shaho: 会社などの健康保険
      proc.childAllowance.title: 児童手当
      counter.kodomo: こども家庭課
    """

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let lines = yamlLineCount(text)
    let files = BundleFiles(directory: "Forms/fuzz", texts: ["flow.yaml": text, "strings/ja.yaml": strings])
    switch FormBundleLoader.load(files) {
    case .failure(let failure):
        precondition(!failure.diagnostics.isEmpty, "a failure without diagnostics")
        for diagnostic in failure.diagnostics {
            precondition(diagnostic.location.file.hasPrefix("Forms/fuzz/"), "diagnostic outside the bundle: \(diagnostic)")
            if diagnostic.location.file == "Forms/fuzz/flow.yaml", let line = diagnostic.location.line {
                precondition(line >= 1 && line <= lines + 1, "line \(line) outside the text: \(diagnostic)")
            }
            precondition(!diagnostic.message.ja.isEmpty && !diagnostic.message.en.isEmpty)
        }
    case .success(let loaded):
        let today = CalendarDate(year: 2026, month: 1, day: 9)!
        let identity = ExpressionValue.object(["birthDate": .date(CalendarDate(year: 1980, month: 4, day: 1)!), "name": .text("見本 花子")])
        guard var run = try? FlowRun(bundle: loaded.bundle, mode: .staff, today: today, identity: identity) else { return 0 }
        var steps = 0
        while let question = run.current, steps < 500 {
            steps += 1
            if (try? run.answer(firstAnswer(question, today))) == nil { if (try? run.skip()) == nil { return 0 } }
        }
        let outcome = run.outcome()
        precondition(outcome.procedures.count == loaded.bundle.procedures.count)
        _ = outcome.json
        _ = FlowGraph.dot(loaded.bundle)
    }
    return 0
}

func firstAnswer(_ question: Question, _ today: CalendarDate) -> AnswerValue {
    switch question.kind {
    case .boolean: .boolean(true)
    case .singleChoice(let choices): .choice(choices.first?.value ?? "")
    case .multipleChoice(let choices, _, _): .choices(choices.prefix(1).map(\.value))
    case .number(let minimum, _, _, _): .number(minimum)
    case .date: .date(today)
    case .text: .text("見本")
    case .confirmIdentity: .identity(addressChanged: false, newAddress: nil)
    case .repeatGroup(_, _, _, let minItems, _): .items(Array(repeating: [:], count: minItems))
    }
}
