/// Fitting a touch screen's calibration (`madoguchi diag touch`): taps on known targets give
/// the least-squares affine matrix (libinput's convention, on 0…1 coordinates) from the
/// device's raw points to the panel, and the error left in millimetres. Pure arithmetic.
public enum TouchCalibrationFit {
    /// One target and the tap read for it.
    public struct Sample: Sendable, Hashable {
        /// Where the target was drawn, 0…1 across and down the picture as the resident sees it.
        public var target: (x: Double, y: Double)
        /// Where the device said the finger was (raw units).
        public var touch: Touch

        /// A sample.
        public init(target: (x: Double, y: Double), touch: Touch) {
            self.target = target
            self.touch = touch
        }

        public static func == (lhs: Self, rhs: Self) -> Bool { lhs.target == rhs.target && lhs.touch == rhs.touch }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(target.x)
            hasher.combine(target.y)
            hasher.combine(touch)
        }
    }

    /// Why no matrix was fitted.
    public enum Refusal: Swift.Error, Sendable, Hashable {
        /// Fewer than three taps.
        case tooFewTaps(Int)
        /// The taps lie on a line (or on one point): the same place was touched each time,
        /// or the device reports one axis only.
        case collinear
        /// The matrix would squash the screen or leaves the calibration file's range (−10…10).
        case degenerate
    }

    /// How far the mapped taps land from their targets, in millimetres.
    public struct Residuals: Sendable, Hashable {
        /// Each sample's distance, in the samples' order.
        public var each: [Double]
        public var mean: Double { each.isEmpty ? 0 : each.reduce(0, +) / Double(each.count) }
        public var worst: Double { each.max() ?? 0 }
    }

    /// The five targets a technician touches, 0…1 across and down: the four corners inset by
    /// `inset` of each side (top left, top right, bottom right, bottom left), then the centre.
    public static func targets(inset: Double = 0.1) -> [(x: Double, y: Double)] {
        [(inset, inset), (1 - inset, inset), (1 - inset, 1 - inset), (inset, 1 - inset), (0.5, 0.5)]
    }

    /// A picture point (0…1 as seen) on the panel as it is built (0…1 before the turn):
    /// the inverse of the rotation `TouchCalibration.point` undoes.
    public static func panelPoint(_ point: (x: Double, y: Double), rotation: Int) -> (x: Double, y: Double) {
        switch ((rotation % 360) + 360) % 360 {
        case 90: (1 - point.y, point.x)
        case 180: (1 - point.x, 1 - point.y)
        case 270: (point.y, 1 - point.x)
        default: point
        }
    }

    /// The raw point on 0…1 of the axis ranges (not clamped: a tap may lie beyond them).
    public static func normalised(_ touch: Touch, xRange: ClosedRange<Int32>, yRange: ClosedRange<Int32>) -> (x: Double, y: Double) {
        (
            (Double(touch.x) - Double(xRange.lowerBound)) / max(1, Double(xRange.upperBound) - Double(xRange.lowerBound)),
            (Double(touch.y) - Double(yRange.lowerBound)) / max(1, Double(yRange.upperBound) - Double(yRange.lowerBound))
        )
    }

    /// The least-squares matrix `[a, b, c, d, e, f]` taking the samples' raw points (through
    /// the axis ranges) to their targets on the panel, for a panel turned by `rotation`.
    /// Refused when there are fewer than three taps, when they lie on a line, or when the
    /// result would squash the screen (a·e − b·d ≈ 0) or leave −10…10.
    public static func fit(_ samples: [Sample], xRange: ClosedRange<Int32>, yRange: ClosedRange<Int32>, rotation: Int) -> Result<[Double], Refusal> {
        guard samples.count >= 3 else { return .failure(.tooFewTaps(samples.count)) }
        let raw = samples.map { normalised($0.touch, xRange: xRange, yRange: yRange) }
        let panel = samples.map { panelPoint($0.target, rotation: rotation) }
        // Centred sums: the raw points' spread must span an area, not a line.
        let n = Double(raw.count)
        let meanX = raw.map(\.x).reduce(0, +) / n, meanY = raw.map(\.y).reduce(0, +) / n
        var sxx = 0.0, syy = 0.0, sxy = 0.0
        for point in raw {
            let (dx, dy) = (point.x - meanX, point.y - meanY)
            sxx += dx * dx
            syy += dy * dy
            sxy += dx * dy
        }
        // The spread's determinant against its size: 0 on a line, 1/4 for a square's corners.
        let spread = (sxx * syy - sxy * sxy) / max(1e-300, (sxx + syy) * (sxx + syy))
        guard sxx + syy > 1e-12, spread > 1e-4 else { return .failure(.collinear) }
        // The normal equations on centred coordinates: [sxx sxy; sxy syy]·(a, b) = (Σdx·t, Σdy·t).
        func solve(_ values: [Double]) -> (Double, Double, Double) {
            let meanT = values.reduce(0, +) / n
            var sxt = 0.0, syt = 0.0
            for (point, value) in zip(raw, values) {
                sxt += (point.x - meanX) * (value - meanT)
                syt += (point.y - meanY) * (value - meanT)
            }
            let determinant = sxx * syy - sxy * sxy
            let a = (sxt * syy - syt * sxy) / determinant
            let b = (syt * sxx - sxt * sxy) / determinant
            return (a, b, meanT - a * meanX - b * meanY)
        }
        let (a, b, c) = solve(panel.map(\.x))
        let (d, e, f) = solve(panel.map(\.y))
        let matrix = [a, b, c, d, e, f]
        guard matrix.allSatisfy({ $0.isFinite && abs($0) <= 10 }), abs(a * e - b * d) >= 1e-3 else { return .failure(.degenerate) }
        return .success(matrix)
    }

    /// How far each tap lands from its target with `calibration`, on a picture `width`×`height` mm.
    public static func residuals(_ samples: [Sample], calibration: TouchCalibration, width: Double, height: Double) -> Residuals {
        Residuals(
            each: samples.map { sample in
                let point = calibration.point(sample.touch, width: width, height: height)
                let (dx, dy) = (point.x - sample.target.x * width, point.y - sample.target.y * height)
                return (dx * dx + dy * dy).squareRoot()
            })
    }

    /// The raw point the device reports for a picture point under `matrix` and `rotation`:
    /// the inverse of the chain (recording test taps, and the arithmetic's own tests).
    public static func rawPoint(
        for picture: (x: Double, y: Double), matrix: [Double], rotation: Int, xRange: ClosedRange<Int32>, yRange: ClosedRange<Int32>
    ) -> Touch? {
        guard matrix.count == 6 else { return nil }
        let panel = panelPoint(picture, rotation: rotation)
        let (a, b, c, d, e, f) = (matrix[0], matrix[1], matrix[2], matrix[3], matrix[4], matrix[5])
        let determinant = a * e - b * d
        guard abs(determinant) > 1e-12 else { return nil }
        let (u, v) = (panel.x - c, panel.y - f)
        let nx = (e * u - b * v) / determinant
        let ny = (a * v - d * u) / determinant
        let x = Double(xRange.lowerBound) + nx * (Double(xRange.upperBound) - Double(xRange.lowerBound))
        let y = Double(yRange.lowerBound) + ny * (Double(yRange.upperBound) - Double(yRange.lowerBound))
        guard let rawX = Int32(exactly: x.rounded()), let rawY = Int32(exactly: y.rounded()) else { return nil }
        return Touch(x: rawX, y: rawY)
    }
}
