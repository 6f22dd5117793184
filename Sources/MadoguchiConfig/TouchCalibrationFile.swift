public import Contracts
import MadoguchiCore

/// A touch screen's per-unit calibration (`/var/lib/madoguchi/touch-calibration.toml`,
/// docs/contracts/device-profiles.md "Per-unit data"): libinput's 3×2 matrix on 0…1
/// coordinates, and a rotation that overrides the display profile's when this unit is
/// mounted differently.
///
/// ```toml
/// matrix = [1.02, 0.0, -0.01, 0.0, 0.98, 0.01]
/// rotation = 90
/// ```
public struct TouchCalibrationFile: Sendable, Hashable {
    /// `[a, b, c, d, e, f]`: x' = a·x + b·y + c, y' = d·x + e·y + f.
    public var matrix: [Double]
    /// 0, 90, 180 or 270, or nil to keep the profile's.
    public var rotation: Int?

    /// Reads the file's document; every problem at once, with its place.
    public static func read(_ document: DataNode) -> Result<TouchCalibrationFile, ConfigurationError> {
        var table = ConfigTable.wholeFile()
        guard case .object(let members) = document.value else {
            return .failure(
                ConfigurationError([
                    SchemaViolation(
                        instancePath: "", location: document.location, keyword: "type",
                        message: BilingualText(ja: "このファイルはキーと値の表(TOML)にしてください。", en: "the file must be a table of keys and values (TOML)."))
                ]))
        }
        var matrix: [Double]?
        var rotation: Int?
        var sawMatrix = false
        for member in members {
            switch member.key {
            case "matrix":
                sawMatrix = true
                guard case .array(let items) = member.value.value, items.count == 6 else {
                    table.add(
                        member.value.location, "matrix", "type", ja: "数 6 つのリスト [a, b, c, d, e, f] にしてください。",
                        en: "must be a list of 6 numbers [a, b, c, d, e, f].")
                    continue
                }
                var numbers: [Double] = []
                for item in items {
                    guard case .number(let number) = item.value, number.isFinite, abs(number) <= 10 else {
                        table.add(item.location, "matrix", "maximum", ja: "値は -10 から 10 の数にしてください。", en: "values must be numbers from -10 to 10.")
                        continue
                    }
                    numbers.append(number)
                }
                if numbers.count == 6 {
                    let determinant = numbers[0] * numbers[4] - numbers[1] * numbers[3]
                    if abs(determinant) < 1e-3 {
                        table.add(
                            member.value.location, "matrix", "not",
                            ja: "どの点も一直線に潰してしまいます(a·e − b·d が 0)。較正をやり直してください。",
                            en: "squashes the screen onto a line (a·e − b·d is 0); calibrate again.")
                    } else {
                        matrix = numbers
                    }
                }
            case "rotation":
                if let value = table.integer(member.value, "rotation", 0...270) {
                    if [0, 90, 180, 270].contains(value) {
                        rotation = value
                    } else {
                        table.add(member.value.location, "rotation", "enum", ja: "0、90、180、270 のどれかにしてください。", en: "must be 0, 90, 180 or 270.")
                    }
                }
            default:
                table.unknown(member, known: ["matrix", "rotation"])
            }
        }
        if !sawMatrix {
            table.add(document.location, "matrix", "required", ja: "matrix がありません。", en: "matrix is missing.", labelled: false)
        }
        guard table.problems.isEmpty, let matrix else { return .failure(ConfigurationError(table.problems)) }
        return .success(TouchCalibrationFile(matrix: matrix, rotation: rotation))
    }
}

/// A display profile (`Devices/displays/*.toml`): what the screen layout and the touch
/// mapping need of it.
public struct DisplayProfile: Sendable, Hashable {
    /// Pixels across and down.
    public var width: Int, height: Int
    /// The active area in millimetres.
    public var widthMM: Double, heightMM: Double
    /// Clockwise rotation in its usual mounting.
    public var rotation: Int

    /// Reads a profile already checked against `device-display.schema.json`; refuses what
    /// a layout cannot use.
    public static func read(_ document: DataNode) -> Result<DisplayProfile, ConfigurationError> {
        var table = ConfigTable.wholeFile()
        func pair(_ key: String, _ range: ClosedRange<Double>) -> (Double, Double)? {
            guard let node = document[key], case .object = node.value else {
                table.add(document.location, key, "required", ja: "[\(key)] がありません。", en: "[\(key)] is missing.", labelled: false)
                return nil
            }
            var values: [Double] = []
            for axis in ["width", "height"] {
                guard let value = node[axis], case .number(let number) = value.value, range.contains(number) else {
                    table.add(
                        node.location, key, "type", ja: "\(key).\(axis) は \(Int(range.lowerBound)) から \(Int(range.upperBound)) の数にしてください。",
                        en: "\(key).\(axis) must be a number from \(Int(range.lowerBound)) to \(Int(range.upperBound)).", labelled: false)
                    continue
                }
                values.append(number)
            }
            return values.count == 2 ? (values[0], values[1]) : nil
        }
        let resolution = pair("resolution", 100...10000)
        let size = pair("size", 20...5000)
        var rotation = 0
        if let node = document["rotation"] {
            rotation = table.integer(node, "rotation", 0...270) ?? 0
        }
        guard table.problems.isEmpty, let resolution, let size else { return .failure(ConfigurationError(table.problems)) }
        return .success(DisplayProfile(width: Int(resolution.0), height: Int(resolution.1), widthMM: size.0, heightMM: size.1, rotation: rotation))
    }
}
