import Input
import Testing

/// The arithmetic of `madoguchi diag touch`: five taps give back the matrix that made them,
/// noise leaves small residuals, taps on a line are refused, and the panel's rotation is
/// taken into account.
@Suite("Touch calibration fitting")
struct TouchCalibrationFitTests {
    typealias Fit = TouchCalibrationFit
    static let range: ClosedRange<Int32> = 0...32767
    /// A touch layer mounted a little skewed, shifted and stretched.
    static let skewed = [1.04, 0.03, -0.02, -0.02, 0.96, 0.03]

    /// The taps a device under `matrix` reports for the five targets, each moved by `jitter`
    /// raw units (alternating signs).
    static func samples(_ matrix: [Double], rotation: Int, jitter: Int32 = 0) throws -> [Fit.Sample] {
        try Fit.targets().enumerated().map { index, target in
            var touch = try #require(Fit.rawPoint(for: target, matrix: matrix, rotation: rotation, xRange: range, yRange: range))
            let sign: Int32 = index % 2 == 0 ? 1 : -1
            touch.x += sign * jitter
            touch.y -= sign * jitter
            return Fit.Sample(target: target, touch: touch)
        }
    }

    @Test func theFiveTargetsAreTheInsetCornersAndTheCentre() {
        let targets = Fit.targets(inset: 0.1)
        #expect(targets.count == 5)
        #expect(targets[0] == (0.1, 0.1) && targets[2] == (0.9, 0.9) && targets[4] == (0.5, 0.5))
    }

    @Test(arguments: [0, 90, 180, 270])
    func exactTapsRecoverTheMatrixThatMadeThem(_ rotation: Int) throws {
        let samples = try Self.samples(Self.skewed, rotation: rotation)
        let matrix = try Fit.fit(samples, xRange: Self.range, yRange: Self.range, rotation: rotation).get()
        for (fitted, made) in zip(matrix, Self.skewed) { #expect(abs(fitted - made) < 1e-4, "\(matrix)") }
        let calibration = TouchCalibration(xRange: Self.range, yRange: Self.range, matrix: matrix, rotation: rotation)
        let residuals = Fit.residuals(samples, calibration: calibration, width: 527, height: 296)
        #expect(residuals.worst < 0.05, "\(residuals)")
    }

    @Test func theIdentityIsWorseThanTheFitOnASkewedPanel() throws {
        let samples = try Self.samples(Self.skewed, rotation: 0)
        let before = Fit.residuals(samples, calibration: TouchCalibration(xRange: Self.range, yRange: Self.range), width: 527, height: 296)
        let matrix = try Fit.fit(samples, xRange: Self.range, yRange: Self.range, rotation: 0).get()
        let after = Fit.residuals(samples, calibration: TouchCalibration(xRange: Self.range, yRange: Self.range, matrix: matrix), width: 527, height: 296)
        #expect(before.worst > 10 && after.worst < 0.05, "before \(before), after \(after)")
        #expect(before.mean <= before.worst && after.mean <= after.worst)
    }

    @Test func noisyTapsGiveSmallResiduals() throws {
        // ±100 raw units of 32768 each way: about 2 mm on a 527 mm screen.
        let samples = try Self.samples(Self.skewed, rotation: 90, jitter: 100)
        let matrix = try Fit.fit(samples, xRange: Self.range, yRange: Self.range, rotation: 90).get()
        for (fitted, made) in zip(matrix, Self.skewed) { #expect(abs(fitted - made) < 0.02, "\(matrix)") }
        let calibration = TouchCalibration(xRange: Self.range, yRange: Self.range, matrix: matrix, rotation: 90)
        let residuals = Fit.residuals(samples, calibration: calibration, width: 296, height: 527)
        #expect(residuals.worst > 0.1 && residuals.worst < 5, "noise leaves a little, not much: \(residuals)")
    }

    @Test func tapsOnALineOrOnePointAreRefused() {
        let line = Fit.targets().enumerated().map { index, target in
            Fit.Sample(target: target, touch: Touch(x: Int32(1000 + index * 5000), y: Int32(1000 + index * 5000)))
        }
        #expect(Fit.fit(line, xRange: Self.range, yRange: Self.range, rotation: 0) == .failure(.collinear))
        let onePlace = Fit.targets().map { Fit.Sample(target: $0, touch: Touch(x: 16000, y: 16000)) }
        #expect(Fit.fit(onePlace, xRange: Self.range, yRange: Self.range, rotation: 0) == .failure(.collinear))
        let two = Array(line.prefix(2))
        #expect(Fit.fit(two, xRange: Self.range, yRange: Self.range, rotation: 0) == .failure(.tooFewTaps(2)))
    }

    @Test func aFitThatWouldSquashTheScreenIsRefused() {
        // The taps span an area, but the device's x hardly moves: the matrix would need a
        // huge stretch, beyond what the calibration file may hold.
        let samples = Fit.targets().map { target in
            Fit.Sample(target: target, touch: Touch(x: Int32(16000 + target.x * 2600), y: Int32(target.y * 32767)))
        }
        #expect(Fit.fit(samples, xRange: Self.range, yRange: Self.range, rotation: 0) == .failure(.degenerate))
    }

    @Test func rawPointsGoThroughTheRotationBothWays() throws {
        for rotation in [0, 90, 180, 270] {
            for target in Fit.targets() {
                let panel = Fit.panelPoint(target, rotation: rotation)
                let touch = try #require(Fit.rawPoint(for: target, matrix: [1, 0, 0, 0, 1, 0], rotation: rotation, xRange: 0...10000, yRange: 0...10000))
                #expect(abs(Double(touch.x) / 10000 - panel.x) < 1e-3 && abs(Double(touch.y) / 10000 - panel.y) < 1e-3)
                let point = TouchCalibration(xRange: 0...10000, yRange: 0...10000, rotation: rotation).point(touch, width: 1, height: 1)
                #expect(abs(point.x - target.x) < 1e-3 && abs(point.y - target.y) < 1e-3, "\(rotation)° \(target) → \(point)")
            }
        }
    }
}
