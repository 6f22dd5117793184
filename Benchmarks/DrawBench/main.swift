// madoguchi-draw-bench BUNDLE ANSWERS OUT ROUNDS DUMP
//
// Composes and draws the okuyami checklist and three 世帯主変更届 (the shipped application,
// filled for three residents) to four one-page PDFs in OUT, ROUNDS times with one
// renderer, as a kiosk would. Prints "median_ms first_ms pages". Writes DUMP: every mark
// of the four pages as tab-separated lines, which Benchmarks/drawing/reference.c draws
// with bare Cairo/Pango calls for the reference figure.
import Contracts
import Documents
import Flows
import Foundation
import Rendering

let arguments = CommandLine.arguments
guard arguments.count == 6, let rounds = Int(arguments[4]), rounds > 0 else {
    FileHandle.standardError.write(Data("usage: madoguchi-draw-bench BUNDLE ANSWERS OUT ROUNDS DUMP\n".utf8))
    exit(2)
}
let (bundlePath, answersPath, out, dumpPath) = (arguments[1], arguments[2], arguments[3], arguments[5])

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("madoguchi-draw-bench: \(message)\n".utf8))
    exit(1)
}

guard let files = try? BundleFiles.read(directory: bundlePath), case .success(let loaded) = FormBundleLoader.load(files) else {
    fail("the bundle \(bundlePath) does not load; run madoguchi forms lint")
}
let bundle = loaded.bundle
guard let text = try? String(contentsOfFile: answersPath, encoding: .utf8) else { fail("cannot read \(answersPath)") }
let residents = [("見本 花子", "見本 一郎"), ("見本 太郎", "見本 次郎"), ("見本 桃子", "見本 三郎")]
var inputs: [(String, DocumentInput)] = []
for (index, (name, deceased)) in residents.enumerated() {
    let edited = text.replacingOccurrences(of: "\"newHeadName\": \"見本 花子\"", with: "\"newHeadName\": \"\(name)\"")
        .replacingOccurrences(of: "\"deceasedName\": \"見本 一郎\"", with: "\"deceasedName\": \"\(deceased)\"")
    guard let node = try? DataLoader.load(edited, file: answersPath), case .success(let file) = AnswerFile.decode(node),
        case .success(let result) = file.run(bundle, fileName: answersPath, defaultToday: CalendarDate(iso: "2026-01-09")!)
    else { fail("the answers in \(answersPath) do not run") }
    let input = DocumentInput(
        run: result.run, submissionID: "3f2504e0-4f89-11d3-9a0c-03050000000\(index)", createdAt: "2026-01-09T10:00:00+09:00", language: .ja)
    if index == 0 { inputs.append(("okuyami-checklist", input)) }
    inputs.append(("setainushi-henko", input))
}
var templates: [String: DocumentTemplate] = [:]
for id in ["okuyami-checklist", "setainushi-henko"] {
    guard let document = bundle.documents[id], let template = try? DocumentTemplate(document) else { fail("document \(id) cannot be read") }
    templates[id] = template
}
try? FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)

let renderer = DocumentRenderer()
var samples: [Double] = []
var pages = 0
var last: [ComposedDocument] = []
for _ in 0..<rounds {
    let start = ContinuousClock.now
    pages = 0
    last = []
    for (index, (id, input)) in inputs.enumerated() {
        let composed = renderer.compose(templates[id]!, input)
        do {
            pages += try renderer.writePDF(composed, to: "\(out)/swift-\(index).pdf").pages
        } catch {
            fail("\(error)")
        }
        last.append(composed)
    }
    let elapsed = ContinuousClock.now - start
    samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
}

// The marks as drawn, for the C reference: text at its final size (after fitting).
var dump = ""
var measure = renderer.measure
for document in last {
    dump += "D\t\(document.page.width)\t\(document.page.height)\n"
    for page in document.pages {
        dump += "P\n"
        for mark in page.marks {
            switch mark {
            case .text(let text):
                _ = measure.height(of: text)
                dump += "T\t\(text.x)\t\(text.y)\t\(text.style.family)\t\(text.style.size)\t\(text.style.bold ? 1 : 0)\t\(text.plainText)\n"
            case .rectangle(let rect, let lineWidth): dump += "R\t\(rect.x)\t\(rect.y)\t\(rect.width)\t\(rect.height)\t\(lineWidth)\n"
            case .line(let x1, let y1, let x2, let y2, let lineWidth): dump += "L\t\(x1)\t\(y1)\t\(x2)\t\(y2)\t\(lineWidth)\n"
            case .mark(_, let rect): dump += "C\t\(rect.x)\t\(rect.y)\t\(rect.width)\t\(rect.height)\n"
            case .qr(let payload, let rect): dump += "Q\t\(rect.x)\t\(rect.y)\t\(rect.width)\t\(payload)\n"
            case .image: break
            }
        }
    }
}
try? dump.write(toFile: dumpPath, atomically: true, encoding: .utf8)
let sorted = samples.sorted()
print(String(format: "%.2f %.2f %d", sorted[sorted.count / 2], samples[0], pages))
