import Contracts
import Foundation
import Input
import MadoguchiConfig
import Testing

/// How the daemon maps a tap on this unit: the per-unit calibration file's matrix and
/// rotation over the display profile's rotation, and the profile alone without a file.
@Suite("Touch mapping: the calibration file over the display profile")
struct TouchMappingTests {
    /// A scratch state directory, removed after `body`.
    static func withFolder(_ body: (String) throws -> Void) throws {
        let folder = NSTemporaryDirectory() + "madoguchi-touch-mapping-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }

    static let landscape = DisplayProfile(width: 1920, height: 1080, widthMM: 527, heightMM: 296, rotation: 0)
    static let upright = DisplayProfile(width: 1920, height: 1080, widthMM: 476, heightMM: 268, rotation: 90)

    /// Where raw (x, y) on 0…4095 lands with `mapping`, on a picture `width`×`height` mm.
    static func land(_ x: Int32, _ y: Int32, _ mapping: TouchMapping, width: Double, height: Double) -> (x: Double, y: Double) {
        TouchCalibration(xRange: 0...4095, yRange: 0...4095, matrix: mapping.matrix, rotation: mapping.rotation)
            .point(Touch(x: x, y: y), width: width, height: height)
    }

    @Test func aKnownMatrixInTheFileMovesATapWhereItSays() throws {
        try Self.withFolder { folder in
            let path = folder + "/touch-calibration.toml"
            // The touch layer reads 10% short to the right and 5% low: the matrix puts it back.
            try "matrix = [1.0, 0.0, 0.1, 0.0, 1.0, -0.05]\n".write(toFile: path, atomically: true, encoding: .utf8)
            let (mapping, unreadable) = TouchMapping.load(calibrationFile: path, profile: Self.landscape)
            #expect(unreadable == nil && mapping.source == .file)
            let point = Self.land(2048, 2048, mapping, width: 527, height: 296)
            // Raw centre (0.5, 0.5) → (0.6, 0.45) of the screen.
            #expect(abs(point.x - 0.6 * 527) < 0.5 && abs(point.y - 0.45 * 296) < 0.5, "\(point)")
            // Without the file the same tap lands in the centre.
            let plain = Self.land(2048, 2048, TouchMapping.load(calibrationFile: folder + "/none.toml", profile: Self.landscape).mapping, width: 527, height: 296)
            #expect(abs(plain.x - 263.5) < 0.5 && abs(plain.y - 148) < 0.5)
        }
    }

    @Test func withoutAFileTheProfilesRotationTurnsTheTap() throws {
        try Self.withFolder { folder in
            let (mapping, unreadable) = TouchMapping.load(calibrationFile: folder + "/touch-calibration.toml", profile: Self.upright)
            #expect(unreadable == nil)
            #expect(mapping == TouchMapping(matrix: [1, 0, 0, 0, 1, 0], rotation: 90, source: .identity))
            // The panel's raw top right corner (x high, y low) is the picture's top left once
            // the panel is turned a quarter clockwise (picture 268 × 476 mm, as Frame.rotated).
            let point = Self.land(4095, 0, mapping, width: 268, height: 476)
            #expect(point.x < 5 && point.y < 5, "\(point)")
            // And its raw top left is the picture's bottom left.
            let other = Self.land(0, 0, mapping, width: 268, height: 476)
            #expect(other.x < 5 && other.y > 470, "\(other)")
        }
    }

    @Test func theFilesRotationWinsOverTheProfiles() throws {
        try Self.withFolder { folder in
            let path = folder + "/touch-calibration.toml"
            try "matrix = [1, 0, 0, 0, 1, 0]\nrotation = 180\n".write(toFile: path, atomically: true, encoding: .utf8)
            let (mapping, _) = TouchMapping.load(calibrationFile: path, profile: Self.upright)
            #expect(mapping.rotation == 180 && mapping.source == .file)
            let point = Self.land(0, 0, mapping, width: 476, height: 268)
            #expect(point.x > 470 && point.y > 262, "upside down: the raw origin is the far corner: \(point)")
            // A file without a rotation keeps the profile's.
            try "matrix = [1, 0, 0, 0, 1, 0]\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(TouchMapping.load(calibrationFile: path, profile: Self.upright).mapping.rotation == 90)
        }
    }

    @Test(arguments: ["matrix = [1, 2, 0, 0.5, 1, 0]\nrotation = 90\n", "matrix = [1, 0, 0\n", "secret = \"目印\"\n"])
    func anUnreadableFileFallsBackToTheProfileAndSaysSoWithoutItsContent(_ text: String) throws {
        try Self.withFolder { folder in
            let path = folder + "/touch-calibration.toml"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let (mapping, unreadable) = TouchMapping.load(calibrationFile: path, profile: Self.upright)
            #expect(mapping == TouchMapping(rotation: 90), "the profile's mapping, not the file's rotation")
            let problem = try #require(unreadable)
            #expect(problem.path == path && problem.problems >= 1)
            #expect(!"\(problem)".contains("目印"))
        }
    }

    @Test func theWrittenTextReadsBackAsTheSameMatrixAndRotation() throws {
        let file = TouchCalibrationFile(matrix: [1.0234567891, -0.0000001, -0.0123, 0.004, 0.97, 0.0151], rotation: 270)
        let read = try TouchCalibrationFile.read(try DataLoader.load(file.text, file: "touch-calibration.toml")).get()
        #expect(read.rotation == 270)
        for (a, b) in zip(read.matrix, file.matrix) { #expect(abs(a - b) < 1e-6) }
        #expect(!TouchCalibrationFile(matrix: [1, 0, 0, 0, 1, 0], rotation: nil).text.contains("rotation"))
    }
}
