public import Contracts
import Foundation
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

    /// A calibration.
    public init(matrix: [Double], rotation: Int? = nil) {
        self.matrix = matrix
        self.rotation = rotation
    }

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

    /// A profile's geometry.
    public init(width: Int, height: Int, widthMM: Double, heightMM: Double, rotation: Int = 0) {
        self.width = width
        self.height = height
        self.widthMM = widthMM
        self.heightMM = heightMM
        self.rotation = rotation
    }

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

extension TouchCalibrationFile {
    /// The file's name in `[kiosk] stateDirectory`.
    public static let fileName = "touch-calibration.toml"

    /// The file as `madoguchi diag touch` writes it: the matrix (shortest round-tripping
    /// decimals) and, when set, the rotation.
    public var text: String {
        var text = "# Written by `madoguchi diag touch` (docs/diagnostics.md); read by madoguchid at start.\n"
        // Six decimals: a millionth of the screen is far below a finger's precision.
        let numbers = matrix.map { value -> String in
            let rounded = (value * 1_000_000).rounded() / 1_000_000
            return "\(rounded == 0 ? 0 : rounded)"
        }
        text += "matrix = [\(numbers.joined(separator: ", "))]\n"
        if let rotation { text += "rotation = \(rotation)\n" }
        return text
    }
}

/// How the daemon maps a touch onto the screen of this unit: the per-unit file's matrix and
/// rotation (its rotation overrides the display profile's), else the identity matrix with
/// the profile's rotation (docs/contracts/device-profiles.md "Per-unit data").
public struct TouchMapping: Sendable, Hashable {
    /// Where the matrix came from.
    public enum Source: String, Sendable, Hashable {
        /// `touch-calibration.toml`.
        case file
        /// No (usable) file: the identity matrix.
        case identity
    }

    /// `[a, b, c, d, e, f]` on 0…1 coordinates.
    public var matrix: [Double]
    /// Clockwise rotation of the panel as mounted: the file's, else the profile's, else 0.
    public var rotation: Int
    public var source: Source

    /// A mapping.
    public init(matrix: [Double] = [1, 0, 0, 0, 1, 0], rotation: Int = 0, source: Source = .identity) {
        self.matrix = matrix
        self.rotation = rotation
        self.source = source
    }

    /// Why a calibration file was not used: its path and how many problems, never its content.
    public struct Unreadable: Error, Sendable, Hashable {
        public var path: String
        public var problems: Int
    }

    /// The mapping from the calibration file at `path` over `profile`'s rotation. A missing
    /// file is the profile's mapping; a file that cannot be used is the profile's mapping
    /// too, with what was wrong (for a warning in the log).
    public static func load(calibrationFile path: String, profile: DisplayProfile?) -> (mapping: TouchMapping, unreadable: Unreadable?) {
        let fallback = TouchMapping(rotation: profile?.rotation ?? 0)
        do {
            let document = try DataLoader.load(contentsOf: path)
            switch TouchCalibrationFile.read(document) {
            case .success(let file):
                return (TouchMapping(matrix: file.matrix, rotation: file.rotation ?? fallback.rotation, source: .file), nil)
            case .failure(let error):
                return (fallback, Unreadable(path: path, problems: error.problems.count))
            }
        } catch {
            // No file (the profile's mapping), or a TOML syntax error, or one that cannot be read.
            if access(path, F_OK) != 0 { return (fallback, nil) }
            return (fallback, Unreadable(path: path, problems: 1))
        }
    }
}

extension KioskConfiguration {
    /// `[kiosk] stateDirectory/touch-calibration.toml`.
    public var touchCalibrationPath: String { kiosk.stateDirectory + "/" + TouchCalibrationFile.fileName }

    /// `[display] profile` read from `devicesDirectory/displays/`; nil without a profile.
    public func displayProfile() -> Result<DisplayProfile, ConfigurationError>? {
        guard let name = display.profile else { return nil }
        let path = kiosk.devicesDirectory + "/displays/\(name).toml"
        do {
            return DisplayProfile.read(try DataLoader.load(contentsOf: path))
        } catch {
            return .failure(
                ConfigurationError([
                    SchemaViolation(
                        instancePath: "/display/profile", location: FilePosition(file: path), keyword: "file",
                        message: BilingualText(ja: "表示機器のプロファイルを読めません: \(error)", en: "cannot read the display profile: \(error)"))
                ]))
        }
    }
}
