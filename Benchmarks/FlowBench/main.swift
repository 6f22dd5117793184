// madoguchi-flow-bench — the flow engine's figures for `make bench` (Benchmarks/run).
//
//   madoguchi-flow-bench load FOLDER…   every bundle in the Forms-style folders: median ms
//                                       to load and check one bundle, beside the median ms
//                                       to only parse its YAML files (the reference)
//   madoguchi-flow-bench run BUNDLE ANSWERS
//                                       the flow run end to end from an answer file:
//                                       median µs per question step (answer + next
//                                       question), beside the median µs to evaluate every
//                                       condition and computed value of the bundle once
//                                       (the reference: the work one step cannot avoid)
//
// Prints one line of tab-separated numbers: figure, reference, count.
import Contracts
import Flows
import Foundation
import MadoguchiCore

func median(_ samples: [Double]) -> Double { samples.sorted()[samples.count / 2] }

func time(_ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    let elapsed = clock.measure(body)
    return Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("madoguchi-flow-bench: \(message)\n".utf8))
    exit(1)
}

let arguments = Array(CommandLine.arguments.dropFirst())
let rounds = Int(ProcessInfo.processInfo.environment["ROUNDS"] ?? "") ?? 51

switch arguments.first {
case "load":
    var folders: [BundleFiles] = []
    for parent in arguments.dropFirst() {
        for name in FormCatalog.bundleFolders(in: parent) {
            guard let files = try? BundleFiles.read(directory: parent + "/" + name) else { fail("cannot read \(parent)/\(name)") }
            folders.append(files)
        }
    }
    guard !folders.isEmpty else { fail("no bundles in \(arguments.dropFirst().joined(separator: " "))") }
    var loads: [Double] = []
    var parses: [Double] = []
    for _ in 0..<rounds {
        loads.append(time {
            var catalog = FormCatalog()
            catalog.load(folders)
            if !catalog.errors.isEmpty { fail("errors: \(catalog.errors)") }
        } / Double(folders.count))
        parses.append(time {
            for files in folders {
                for (path, text) in files.texts { _ = try? DataLoader.loadYAML(text, file: path) }
            }
        } / Double(folders.count))
    }
    print(String(format: "%.3f\t%.3f\t%d", median(loads) / 1e6, median(parses) / 1e6, folders.count))

case "run":
    guard arguments.count == 3 else { fail("usage: run BUNDLE ANSWERS") }
    let bundle: FormBundle
    switch FormBundleLoader.load(try! BundleFiles.read(directory: arguments[1])) {
    case .success(let loaded): bundle = loaded.bundle
    case .failure(let failure): fail("\(failure)")
    }
    guard let node = try? DataLoader.load(contentsOf: arguments[2]), case .success(let file) = AnswerFile.decode(node),
        let today = file.today
    else { fail("cannot read \(arguments[2])") }
    // Convert the file's answers once; the steps then only answer and move on.
    var script: [String: AnswerValue] = [:]
    for question in bundle.questions {
        guard let entry = file.answers[question.id] else { continue }
        guard case .success(let value) = AnswerFile.answerValue(entry.value, for: question) else { fail("answer to \(question.id)") }
        script[question.id] = value
    }
    var steps: [Double] = []
    var stepCount = 0
    for _ in 0..<rounds {
        var run = try! FlowRun(bundle: bundle, mode: file.mode, today: today, identity: file.identity)
        var count = 0
        let total = time {
            while let question = run.current {
                if let value = script[question.id] { try! run.answer(value) } else { try! run.skip() }
                count += 1
            }
            _ = run.outcome()
        }
        stepCount = count
        steps.append(total / Double(count))
    }
    // Reference: every expression of the bundle evaluated once against the final answers.
    var finalRun = try! FlowRun(bundle: bundle, mode: file.mode, today: today, identity: file.identity)
    while let question = finalRun.current {
        if let value = script[question.id] { try! finalRun.answer(value) } else { try! finalRun.skip() }
    }
    let environment = finalRun.environment
    var expressions = bundle.questions.compactMap(\.when).map(\.expression)
    expressions += bundle.computed.map(\.expression.expression) + bundle.procedures.map(\.applies.expression)
    var references: [Double] = []
    for _ in 0..<rounds {
        references.append(time { for expression in expressions { _ = expression.evaluate(in: environment) } })
    }
    print(String(format: "%.3f\t%.3f\t%d", median(steps) / 1e3, median(references) / 1e3, stepCount))

default:
    fail("usage: madoguchi-flow-bench load FOLDER… | run BUNDLE ANSWERS")
}
