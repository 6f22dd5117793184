import Contracts
import Foundation
import MadoguchiConfig
import Rendering
import Screens
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `madoguchi diag touch` fed a FIFO of recorded taps (this machine has no touch screen):
/// the taps made by a known skewed matrix give that matrix back in the file it writes, with
/// the error before and after; a stream that stops times out and writes nothing; a tap that
/// misses its cross is refused; `--dry-run` writes nothing. No pcscd or cupsd.
@Suite("madoguchi diag touch: calibrates from five taps", .serialized)
struct TouchCalibrationCommandTests {
    /// A kiosk's files in a scratch folder: the configuration (terminal screen, the FHD
    /// display profile, the FIFO as the touch screen) and the state directory.
    struct Kiosk {
        let directory: String
        let config: String
        var fifo: String { directory + "/touch-event" }
        var calibration: String { directory + "/touch-calibration.toml" }

        /// Another test's kiosk whose state directory holds the FIFO `touch-event`.
        init(sharing directory: String, config: String) {
            self.directory = directory
            self.config = config
        }

        init(renderer: String = "terminal", touch: String? = nil) throws {
            directory = NSTemporaryDirectory() + "madoguchi-touch-" + UUID().uuidString.prefix(8)
            config = directory + "/madoguchi.toml"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            #expect(mkfifo(directory + "/touch-event", 0o600) == 0)
            try """
                [kiosk]
                id = "kasumi-honcho-01"
                devicesDirectory = "\(ServicesEnvironment.packageRoot.path)/Devices"
                stateDirectory = "\(directory)"

                [display]
                renderer = "\(renderer)"
                device = "\(directory)/fb-stand-in"
                profile = "generic-fhd-24-touch"

                [input]
                touch = "\(touch ?? directory + "/touch-event")"
                keyboard = "none"

                """.write(toFile: directory + "/madoguchi.toml", atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The touch layer of the test: shifted, stretched and a little skewed.
    static let skewed = [1.04, 0.03, -0.02, -0.02, 0.96, 0.03]
    static let range = 4095.0
    /// The five crosses, as the command shows them: the corners inset by 10 %, then the centre.
    static let targets: [(Double, Double)] = [(0.1, 0.1), (0.9, 0.1), (0.9, 0.9), (0.1, 0.9), (0.5, 0.5)]

    /// The raw point a device under `matrix` reports for a picture point, on a panel turned
    /// by `rotation` (the arithmetic written out here, not borrowed from the command).
    static func raw(_ picture: (Double, Double), matrix: [Double], rotation: Int = 0) -> (Int32, Int32) {
        let (px, py) = picture
        // The picture point on the panel as built (Frame.rotated turns the picture clockwise).
        let (u, v): (Double, Double) =
            switch rotation {
            case 90: (1 - py, px)
            case 180: (1 - px, 1 - py)
            case 270: (py, 1 - px)
            default: (px, py)
            }
        let (a, b, c, d, e, f) = (matrix[0], matrix[1], matrix[2], matrix[3], matrix[4], matrix[5])
        let determinant = a * e - b * d
        let nx = (e * (u - c) - b * (v - f)) / determinant
        let ny = (a * (v - f) - d * (u - c)) / determinant
        return (Int32((nx * range).rounded()), Int32((ny * range).rounded()))
    }

    /// One multitouch (protocol B) tap as the kernel's 24-byte records.
    static func tap(_ point: (Int32, Int32), id: Int32) -> [UInt8] {
        func record(_ type: UInt16, _ code: UInt16, _ value: Int32) -> [UInt8] {
            [UInt8](repeating: 0, count: 16) + withUnsafeBytes(of: type.littleEndian, Array.init) + withUnsafeBytes(of: code.littleEndian, Array.init)
                + withUnsafeBytes(of: value.littleEndian, Array.init)
        }
        return record(3, 0x2F, 0) + record(3, 0x39, id) + record(3, 0x35, point.0) + record(3, 0x36, point.1) + record(0, 0, 0)
            + record(3, 0x39, -1) + record(0, 0, 0)
    }

    /// The taps for `points`, in order.
    static func taps(_ points: [(Int32, Int32)]) -> [UInt8] {
        points.enumerated().flatMap { tap($0.element, id: Int32(100 + $0.offset)) }
    }

    /// Runs `madoguchi diag touch ARGUMENTS…` while `bytes` are written into the FIFO once it
    /// opens; the write end stays open until the command has finished (a stream that stops).
    static func run(_ kiosk: Kiosk, _ bytes: [UInt8], _ arguments: [String]) async throws -> ProgramRunner.Result {
        let fifo = kiosk.fifo
        let writer = Task.detached { () -> Int32 in
            var descriptor: Int32 = -1
            let deadline = ContinuousClock.now + .seconds(20)
            while descriptor < 0, ContinuousClock.now < deadline {
                descriptor = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
                if descriptor < 0 { try? await Task.sleep(for: .milliseconds(20)) }
            }
            if descriptor >= 0 { _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } }
            return descriptor
        }
        let result = try await ProgramRunner.run(
            "madoguchi", ["diag", "touch", "--config", kiosk.config, "--raw-range", "0:4095,0:4095"] + arguments,
            environment: ["MADOGUCHI_CONTROL_SOCKET": kiosk.directory + "/no-daemon.sock"], timeout: 60)
        let descriptor = await writer.value
        #expect(descriptor >= 0, "the command never opened the FIFO: \(result.standardError)")
        if descriptor >= 0 { close(descriptor) }
        return result
    }

    static func matrix(_ path: String) throws -> TouchCalibrationFile {
        try TouchCalibrationFile.read(try DataLoader.load(contentsOf: path)).get()
    }

    @Test func fiveTapsFromASkewedPanelWriteItsMatrixAndReportTheErrorBeforeAndAfter() async throws {
        let kiosk = try Kiosk()
        defer { kiosk.remove() }
        let points = Self.targets.map { Self.raw($0, matrix: Self.skewed) }
        let result = try await Self.run(kiosk, Self.taps(points), [])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        let out = result.standardOutput
        // Japanese then English, with the progress, one cross at a time.
        #expect(out.contains("1/5 画面の左上の十字の中心に触れてください。 / 1/5 Touch the centre of the cross at the top left of the screen."), "\(out)")
        #expect(out.contains("5/5") && out.contains("中央") && out.contains("centre"))
        // Before: no file, the identity; after: the fit.
        let before = try #require(out.split(separator: "\n").first { $0.contains("Error without calibration") })
        let after = try #require(out.split(separator: "\n").first { $0.contains("Error after the fit") })
        #expect(after.contains("mean 0.") && after.contains("worst 0."), "\(after)")
        #expect(!before.contains("worst 0.") && before.contains("平均"), "\(before)")
        let file = try Self.matrix(kiosk.calibration)
        for (written, made) in zip(file.matrix, Self.skewed) { #expect(abs(written - made) < 0.002, "\(file.matrix)") }
        #expect(file.rotation == nil, "the profile's rotation holds; none is written")
        var status = stat()
        #expect(stat(kiosk.calibration, &status) == 0 && status.st_mode & 0o777 == 0o644)
        #expect(out.contains("Wrote \(kiosk.calibration)."))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: kiosk.directory).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func aRotationAlreadyInTheFileIsKeptAndUsedForTheFit() async throws {
        let kiosk = try Kiosk()
        defer { kiosk.remove() }
        // The unit is mounted upright, unlike its profile: the file says so.
        try "matrix = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]\nrotation = 90\n".write(toFile: kiosk.calibration, atomically: true, encoding: .utf8)
        let points = Self.targets.map { Self.raw($0, matrix: Self.skewed, rotation: 90) }
        let result = try await Self.run(kiosk, Self.taps(points), [])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("Error with the current calibration"))
        let file = try Self.matrix(kiosk.calibration)
        #expect(file.rotation == 90)
        for (written, made) in zip(file.matrix, Self.skewed) { #expect(abs(written - made) < 0.002, "\(file.matrix)") }
    }

    @Test func aStreamThatStopsTimesOutAndWritesNothing() async throws {
        let kiosk = try Kiosk()
        defer { kiosk.remove() }
        let points = Self.targets.prefix(2).map { Self.raw($0, matrix: Self.skewed) }
        let started = ContinuousClock.now
        let result = try await Self.run(kiosk, Self.taps(points), ["--timeout", "2"])
        #expect(result.status == 2, "\(result.standardOutput)\(result.standardError)")
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(result.standardError.contains("3/5 の十字に 2 秒触れられませんでした。何も書いていません。"), "\(result.standardError)")
        #expect(result.standardError.contains("No tap on cross 3/5 within 2 s. Nothing was written."))
        #expect(result.standardError.contains("run madoguchi diag touch again"))
        #expect(!FileManager.default.fileExists(atPath: kiosk.calibration))
    }

    @Test func aTapThatMissesItsCrossIsRefusedWithATryAgain() async throws {
        let kiosk = try Kiosk()
        defer { kiosk.remove() }
        var points = Self.targets.map { Self.raw($0, matrix: Self.skewed) }
        points[4] = Self.raw((0.6, 0.6), matrix: Self.skewed)  // the centre's tap lands 10 % off
        let result = try await Self.run(kiosk, Self.taps(points), [])
        #expect(result.status == 1, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardError.contains("over the limit of 5.0 mm"), "\(result.standardError)")
        #expect(result.standardError.contains("Nothing was written. Run madoguchi diag touch again"))
        #expect(!FileManager.default.fileExists(atPath: kiosk.calibration))

        // Every tap in one place: no calibration can be fitted.
        let same = Array(repeating: Self.raw((0.5, 0.5), matrix: Self.skewed), count: 5)
        let collinear = try await Self.run(kiosk, Self.taps(same), [])
        #expect(collinear.status == 1)
        #expect(collinear.standardError.contains("The taps lie on a line (or in one place)"), "\(collinear.standardError)")
        #expect(!FileManager.default.fileExists(atPath: kiosk.calibration))
    }

    @Test func aDryRunReportsTheFitAndWritesNothing() async throws {
        // The configuration names no touch screen: --device gives the stream.
        let kiosk = try Kiosk(touch: "none")
        defer { kiosk.remove() }
        let points = Self.targets.map { Self.raw($0, matrix: Self.skewed) }
        let result = try await Self.run(kiosk, Self.taps(points), ["--dry-run", "--device", kiosk.fifo])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("--dry-run: nothing was written."))
        #expect(result.standardOutput.contains("matrix = [1.04"), "\(result.standardOutput)")
        #expect(!FileManager.default.fileExists(atPath: kiosk.calibration))
    }

    @Test func aRecordedStreamWithoutRawRangesIsToldToGiveThem() async throws {
        let kiosk = try Kiosk()
        defer { kiosk.remove() }
        let result = try await ProgramRunner.run(
            "madoguchi", ["diag", "touch", "--config", kiosk.config, "--timeout", "1"],
            environment: ["MADOGUCHI_CONTROL_SOCKET": kiosk.directory + "/no-daemon.sock"], timeout: 30)
        #expect(result.status == 2)
        #expect(result.standardError.contains("gives no axis ranges") && result.standardError.contains("--raw-range"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: kiosk.calibration))
    }

    @Test func aRunningDaemonIsRefusedBeforeAnyTap() async throws {
        let kiosk = try Kiosk()
        defer { kiosk.remove() }
        try await StandInDaemon.run(in: kiosk.directory, status: try StandInDaemon.answering) { socket in
            let result = try await ProgramRunner.run(
                "madoguchi", ["diag", "touch", "--config", kiosk.config, "--raw-range", "0:4095,0:4095", "--timeout", "1"],
                environment: ["MADOGUCHI_CONTROL_SOCKET": socket], timeout: 30)
            #expect(result.status == 2)
            #expect(result.standardError.contains("madoguchid is running") && result.standardError.contains("systemctl stop madoguchid"), "\(result.standardError)")
            #expect(!result.standardOutput.contains("1/5"), "no cross was shown")
            #expect(!FileManager.default.fileExists(atPath: kiosk.calibration))
        }
    }

    @Test func eachCrossIsDrawnByTheScreenRendererWhereItsTapIsExpected() throws {
        let renderer = ScreenRenderer()
        let display = DisplayGeometry.small
        for (index, target) in Self.targets.enumerated() {
            let frame = try renderer.frame(ScreenLayout.calibrationTarget(target, number: index + 1, of: 5, on: display))
            let (x, y) = (Int(target.0 * Double(display.width)), Int(target.1 * Double(display.height)))
            #expect(frame.pixels[y * display.width + x] & 0xFF_FFFF == 0x8A1010, "the cross's centre at \(target)")
            // An arm of the cross, a little to the left of the centre, is ink.
            let arm = frame.pixels[y * display.width + x - 12] & 0xFF_FFFF
            #expect(arm != 0xFFFFFF, "the cross's arm at \(target)")
            // Another corner, far from the cross and the words: the background.
            let away = Self.targets[index < 4 ? (index + 2) % 4 : 0]
            let (ax, ay) = (Int(away.0 * Double(display.width)), Int(away.1 * Double(display.height)))
            #expect(frame.pixels[ay * display.width + ax] & 0xFF_FFFF == 0xFFFFFF)
        }
    }
}
