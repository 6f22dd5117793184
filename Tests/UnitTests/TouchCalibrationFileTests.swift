import Contracts
import Foundation
import Input
import MadoguchiConfig
import Screens
import Testing

/// The per-unit touch calibration file and display profiles: read with every problem
/// named by line, and used to map a touch onto the laid-out screen.
@Suite("Touch calibration files and display profiles")
struct TouchCalibrationFileTests {
    static func read(_ text: String) throws -> Result<TouchCalibrationFile, ConfigurationError> {
        TouchCalibrationFile.read(try DataLoader.load(text, file: "touch-calibration.toml"))
    }

    @Test func aCalibrationFileGivesItsMatrixAndRotation() throws {
        let file = try Self.read("matrix = [1.02, 0.0, -0.01, 0.0, 0.98, 0.01]\nrotation = 90\n").get()
        #expect(file.matrix == [1.02, 0, -0.01, 0, 0.98, 0.01] && file.rotation == 90)
        #expect(try Self.read("matrix = [1, 0, 0, 0, 1, 0]\n").get().rotation == nil)
    }

    @Test(arguments: [
        ("matrix = [1, 0, 0]\n", "touch-calibration.toml:1", "list of 6 numbers"),
        ("matrix = [1, 0, 0, 0, 1, \"x\"]\n", "touch-calibration.toml:1", "from -10 to 10"),
        ("matrix = [1, 2, 0, 0.5, 1, 0]\n", "touch-calibration.toml:1", "squashes the screen"),
        ("matrix = [1, 0, 0, 0, 1, 0]\nrotation = 45\n", "touch-calibration.toml:2", "0, 90, 180 or 270"),
        ("rotation = 90\n", "touch-calibration.toml", "matrix is missing"),
        ("matrix = [1, 0, 0, 0, 1, 0]\nscale = 2\n", "touch-calibration.toml:2", "no setting \"scale\""),
    ])
    func aBadCalibrationFileIsRefusedWithWhereAndWhat(_ text: String, _ place: String, _ words: String) throws {
        guard case .failure(let error) = try Self.read(text) else {
            Issue.record("accepted: \(text)")
            return
        }
        #expect(error.description.contains(place) && error.description.contains(words), "\(error)")
    }

    @Test func theReaderAgreesWithTheSchemaExamples() throws {
        for kind in ["valid", "invalid"] {
            let folder = FlowBundleTests.root + "/schemas/examples/touch-calibration/\(kind)/"
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".toml") {
                let result = TouchCalibrationFile.read(try DataLoader.load(contentsOf: folder + name))
                if case .success = result { #expect(kind == "valid", "\(name) was accepted") } else { #expect(kind == "invalid", "\(name) was refused") }
            }
        }
    }

    @Test func theShippedDisplayExamplesReadAsGeometries() throws {
        let root = FlowBundleTests.root + "/schemas/examples/device-display/valid/"
        let fhd = try DisplayProfile.read(try DataLoader.load(contentsOf: root + "generic-fhd-24-touch.toml")).get()
        #expect(fhd.width == 1920 && fhd.height == 1080 && fhd.widthMM == 527 && fhd.heightMM == 296 && fhd.rotation == 0)
        let portrait = try DisplayProfile.read(try DataLoader.load(contentsOf: root + "portrait-kiosk-panel.toml")).get()
        #expect([90, 270].contains(portrait.rotation) || portrait.height > portrait.width)
        guard case .failure(let error) = DisplayProfile.read(try DataLoader.load("[size]\nwidth = 527\nheight = 296\n", file: "d.toml")) else {
            Issue.record("a profile without a resolution was accepted")
            return
        }
        #expect(error.description.contains("[resolution] is missing"))
    }

    @Test func aCalibratedTouchFromTheFileLandsOnItsButton() throws {
        let file = try Self.read("matrix = [1.05, 0, -0.025, 0, 1.05, -0.025]\n").get()
        let screen = ScreenLayout.layout(ScreenCatalog.screen(.welcome, language: .ja), on: .fullHD)
        let calibration = TouchCalibration(xRange: 0...32767, yRange: 0...32767, matrix: file.matrix, rotation: file.rotation ?? 0)
        let target = try #require(screen.targets.first { $0.id == "consent.yes" }).rect
        // The device's raw point for the button's centre, through the inverse of the matrix.
        let (px, py) = ((target.x + target.width / 2) / 527, (target.y + target.height / 2) / 296)
        let touch = Touch(x: Int32((px + 0.025) / 1.05 * 32767), y: Int32((py + 0.025) / 1.05 * 32767))
        let point = calibration.point(touch, width: 527, height: 296)
        #expect(screen.target(atX: point.x, y: point.y) == "consent.yes")
    }
}
