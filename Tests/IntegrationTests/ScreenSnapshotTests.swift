import Foundation
import Rendering
import Screens
import Testing

/// Every screen drawn with Cairo/Pango in ja, en and ja-easy at 1920×1080 and 800×480,
/// against committed PNGs; and the frame a framebuffer takes.
@Suite("Screens drawn: snapshots and frames")
struct ScreenSnapshotTests {
    static let snapshots = ServicesEnvironment.packageRoot.path + "/Tests/Fixtures/screens"
    /// Pixels that may differ by more than a quarter of the grey range.
    static let tolerance = 8

    static func name(_ screen: Screen, index: Int, display: DisplayGeometry) -> String {
        "\(display.width)x\(display.height)/\(screen.id)\(index > 0 ? "-\(index + 1)" : "")-\(screen.language.rawValue).png"
    }

    @Test(arguments: [DisplayGeometry.fullHD, .small])
    func everyScreenInEveryLanguageMatchesItsSnapshot(_ display: DisplayGeometry) throws {
        let renderer = ScreenRenderer()
        let update = ProcessInfo.processInfo.environment["MADOGUCHI_UPDATE_SNAPSHOTS"] == "1"
        for language in ScreenLanguage.allCases {
            var seen: [String: Int] = [:]
            for state in ScreenState.gallery(language) {
                let screen = ScreenCatalog.screen(state, language: language)
                let index = seen[screen.id, default: 0]
                seen[screen.id] = index + 1
                let path = Self.snapshots + "/" + Self.name(screen, index: index, display: display)
                let laid = ScreenLayout.layout(screen, on: display)
                if update {
                    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try renderer.writePNG(laid, to: path)
                    continue
                }
                let differing = try renderer.image(laid).differingPixels(from: try RasterImage(png: path))
                if differing.map({ $0 > Self.tolerance }) ?? true {
                    let actual = NSTemporaryDirectory() + (path as NSString).lastPathComponent.replacingOccurrences(of: ".png", with: ".actual.png")
                    try? renderer.writePNG(laid, to: actual)
                    Issue.record("\(path) differs in \(differing.map(String.init) ?? "size, not") pixels; the drawing is in \(actual)")
                }
            }
        }
    }

    @Test func aFrameHasTheDisplaysPixelsAndTurnsForAPortraitPanel() throws {
        let renderer = ScreenRenderer()
        let laid = ScreenLayout.layout(ScreenCatalog.screen(.welcome, language: .ja), on: .small)
        let frame = try renderer.frame(laid)
        #expect(frame.width == 800 && frame.height == 480 && frame.pixels.count == 800 * 480)
        // The cancel button (top right) is dark red; the paper below the bar is white.
        #expect(frame.pixels[20 * 800 + 770] & 0xFF_FFFF == 0x8A1010)
        #expect(frame.pixels[470 * 800 + 5] & 0xFF_FFFF == 0xFFFFFF)
        let portrait = frame.rotated(90)
        #expect(portrait.width == 480 && portrait.height == 800)
        // Turned clockwise: the top-right corner goes to the bottom right.
        #expect(portrait.pixels[770 * 480 + (480 - 1 - 20)] & 0xFF_FFFF == 0x8A1010)
        #expect(frame.rotated(90).rotated(270) == frame && frame.rotated(180).rotated(180) == frame)
        let red: UInt16 = 0x8A >> 3, green: UInt16 = 0x10 >> 2, blue: UInt16 = 0x10 >> 3
        let expected: UInt16 = red << 11 | green << 5 | blue
        #expect(frame.rgb565[20 * 800 + 770] == expected)
    }

    @Test(arguments: [32, 16])
    func framesLandInAFramebufferLineByLineAtItsStrideTurnedForItsMounting(_ bits: Int) throws {
        let renderer = ScreenRenderer()
        let frame = try renderer.frame(ScreenLayout.layout(ScreenCatalog.screen(.welcome, language: .ja), on: .small))
        let path = NSTemporaryDirectory() + "madoguchi-fb-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A portrait panel: 480 wide, 800 tall, lines padded to 1024 pixels' worth.
        let stride = 1024 * bits / 8
        var target = try Framebuffer(file: path, mode: .init(width: 480, height: 800, bitsPerPixel: bits, stride: stride), rotation: 90)
        defer { target.close() }
        try target.present(frame)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.count == stride * 800)
        // The cancel button, top right on the landscape frame, is at the bottom right turned.
        let (x, y) = (480 - 1 - 20, 770)
        if bits == 32 {
            let pixel = bytes[y * stride + x * 4..<y * stride + x * 4 + 4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
            #expect(pixel & 0xFF_FFFF == 0x8A1010)
        } else {
            let pixel = UInt16(bytes[y * stride + x * 2]) | UInt16(bytes[y * stride + x * 2 + 1]) << 8
            #expect(pixel == frame.rgb565[20 * 800 + 770])
        }
        // A frame of the wrong size is refused with both sizes named.
        var wrong = try Framebuffer(file: path, mode: .init(width: 800, height: 480, bitsPerPixel: bits, stride: stride), rotation: 90)
        defer { wrong.close() }
        #expect { try wrong.present(frame) } throws: { "\($0)".contains("480×800") && "\($0)".contains("800×480") }
    }

    @Test func aMissingOrWrongFramebufferIsAClearError() throws {
        #expect { _ = try Framebuffer(device: "/dev/fb-madoguchi-none") } throws: { "\($0)".contains("/dev/fb-madoguchi-none") }
        let file = NSTemporaryDirectory() + "madoguchi-notfb-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect { _ = try Framebuffer(device: file) } throws: { "\($0)".contains("not a framebuffer device") }
        #expect { _ = try Framebuffer(file: file, mode: .init(width: 10, height: 10, bitsPerPixel: 24, stride: 30)) } throws: { "\($0)".contains("24 bits per pixel") }
    }

    @Test func pngFramesAreNumberedForDevelopment() throws {
        let directory = NSTemporaryDirectory() + "madoguchi-frames-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let renderer = ScreenRenderer()
        var target = PNGFrameTarget(directory: directory)
        for state in [ScreenState.welcome, .placeCard] {
            try target.present(try renderer.frame(ScreenLayout.layout(ScreenCatalog.screen(state, language: .ja), on: .small)))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["frame-0001.png", "frame-0002.png"])
        let image = try RasterImage(png: directory + "/frame-0002.png")
        #expect(image.width == 800 && image.height == 480)
    }

    @Test func theGalleryCommandDrawsEveryScreenWithItsSpeech() async throws {
        let out = NSTemporaryDirectory() + "madoguchi-gallery-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try await ProgramRunner.run("madoguchi", ["screens", "render", "--out", out, "--lang", "en", "--size", "800x480", "--waiting", "3"])
        #expect(result.status == 0, "\(result.standardError)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.filter { $0.hasSuffix("-en.png") }.count == ScreenState.gallery(.en).count)
        let speech = try String(contentsOfFile: out + "/speech-en.txt", encoding: .utf8)
        #expect(speech.contains("welcome: The no-writing counter"))
        let bad = try await ProgramRunner.run("madoguchi", ["screens", "render", "--out", out, "--size", "big"])
        #expect(bad.status == 64 && bad.standardError.contains("--size must be WxH"))
    }
}
