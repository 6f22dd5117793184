// madoguchi-screen-bench WIDTH HEIGHT ROUNDS DUMP
//
// Draws the PIN pad screen (the busiest: chrome, words, twelve keys) full frame at
// WIDTH×HEIGHT and copies it out as an XRGB frame, ROUNDS times with one renderer.
// Prints "median_ms p99_ms". Writes DUMP: the screen's panels and texts as tab-separated
// lines, which Benchmarks/screens/reference.c draws with bare Cairo/Pango calls.
import Foundation
import Rendering
import Screens

let arguments = CommandLine.arguments
guard arguments.count == 5, let width = Int(arguments[1]), let height = Int(arguments[2]), let rounds = Int(arguments[3]), rounds > 0 else {
    FileHandle.standardError.write(Data("usage: madoguchi-screen-bench WIDTH HEIGHT ROUNDS DUMP\n".utf8))
    exit(2)
}
let display: DisplayGeometry =
    width == 800 && height == 480 ? .small
    : width == 1920 && height == 1080 ? .fullHD : DisplayGeometry(width: width, height: height, widthMM: Double(width) * 25.4 / 96, heightMM: Double(height) * 25.4 / 96)
let laid = ScreenLayout.layout(ScreenCatalog.screen(.pinPad(entered: 2, triesLeft: 3, wrong: false), language: .ja), on: display)
let renderer = ScreenRenderer()
var samples: [Double] = []
var checksum: UInt32 = 0
var pixels: [UInt32] = []
for _ in 0..<rounds {
    let start = ContinuousClock.now
    do {
        try renderer.draw(laid, into: &pixels)
    } catch {
        FileHandle.standardError.write(Data("madoguchi-screen-bench: \(error)\n".utf8))
        exit(1)
    }
    checksum &+= pixels[pixels.count / 2]
    let elapsed = ContinuousClock.now - start
    samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
}
var dump = "S\t\(display.width)\t\(display.height)\t\(display.widthMM)\t\(display.heightMM)\n"
for panel in laid.panels {
    dump += "R\t\(panel.rect.x)\t\(panel.rect.y)\t\(panel.rect.width)\t\(panel.rect.height)\t\(panel.colour.red)\t\(panel.colour.green)\t\(panel.colour.blue)\n"
}
for text in laid.texts {
    dump += "T\t\(text.mark.x)\t\(text.mark.y)\t\(text.mark.width ?? 0)\t\(text.mark.style.family)\t\(text.mark.style.size)\t\(text.mark.style.bold ? 1 : 0)\t\(text.colour.red)\t\(text.colour.green)\t\(text.colour.blue)\t\(text.mark.plainText)\n"
}
try? dump.write(toFile: arguments[4], atomically: true, encoding: .utf8)
let sorted = samples.sorted()
print(String(format: "%.3f %.3f", sorted[sorted.count / 2], sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]))
_ = checksum
