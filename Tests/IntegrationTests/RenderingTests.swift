import CPangoCairo
import CQREncode
import CLibUSB
import Foundation
import Rendering
import Testing
import USBDevices

@Suite("C libraries without a service: Cairo/Pango, libqrencode, libusb")
struct LibraryTests {
    static let sentence = "マイナンバーカードを置いてください"

    @Test(arguments: ["BIZ UDGothic", "BIZ UDMincho", "IPAmjMincho"])
    func pangoLaysOutJapaneseInTheNamedFontWithNoUnknownGlyphs(_ family: String) throws {
        let report = try TextProbe.renderImage(Self.sentence, family: family, pixelSize: 64)
        #expect(report.unknownGlyphs == 0)
        #expect(report.families == [family])
        #expect(report.width > 0)
    }

    @Test func pangoCountsUnknownGlyphsWhenNoFontHasTheCharacter() throws {
        // U+10FFFD is a private-use code point no installed font draws.
        let report = try TextProbe.renderImage("\u{10FFFD}", family: "BIZ UDGothic", pixelSize: 32)
        #expect(report.unknownGlyphs == 1)
    }

    @Test func pngIsWrittenFromTheImageSurface() throws {
        let path = NSTemporaryDirectory() + "madoguchi-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try TextProbe.renderImage(Self.sentence, family: "BIZ UDGothic", pixelSize: 48, pngPath: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    @Test func pdfFromCairoCarriesTheJapaneseTextThatPdftotextReadsBack() throws {
        let path = NSTemporaryDirectory() + "madoguchi-\(UUID().uuidString).pdf"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = try TextProbe.renderPDF(Self.sentence, family: "BIZ UDMincho", pointSize: 18, pdfPath: path)
        #expect(report.unknownGlyphs == 0)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = [path, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.contains(Self.sentence))
    }

    @Test func cairoPDFSurfaceIsAvailableFromTheShim() {
        let surface = cairo_pdf_surface_create(nil, 595.28, 841.89)
        defer { cairo_surface_destroy(surface) }
        #expect(cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS)
        #expect(cairo_surface_get_type(surface) == CAIRO_SURFACE_TYPE_PDF)
    }

    @Test func libqrencodeEncodesASubmissionIDWithFinderPatterns() throws {
        let raw = QRcode_encodeString8bit("3f2504e0-4f89-11d3-9a0c-0305e82c3301", 0, QR_ECLEVEL_M)
        #expect(raw != nil)
        QRcode_free(raw)

        let code = try QRCode(encoding: "3f2504e0-4f89-11d3-9a0c-0305e82c3301")
        #expect(code.size >= 21 && (code.size - 17) % 4 == 0)
        // The top-left finder pattern: a dark 7×7 ring around a light ring and a dark 3×3 core.
        #expect((0..<7).allSatisfy { code.isDark(x: $0, y: 0) && code.isDark(x: 0, y: $0) })
        #expect(!code.isDark(x: 1, y: 1))
        #expect(code.isDark(x: 3, y: 3))
    }

    @Test func libusbInitialisesAndEnumeratesWithoutError() throws {
        var context: OpaquePointer?
        #expect(libusb_init(&context) == 0)
        libusb_exit(context)
        let devices = try USBContext().devices()
        #expect(devices.allSatisfy { $0.description.count == 9 })
    }
}
