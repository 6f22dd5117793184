public import Contracts
import MadoguchiCore

/// The `[kiosk]` table of `madoguchi.toml` (docs/contracts/configuration.md): who this
/// kiosk is and where its forms, device profiles and per-unit state live. The only
/// required table.
public struct KioskSettings: Sendable, Hashable {
    /// The kiosk id, unique in the town: `kioskId` of submissions. A slug, no personal data.
    public var id: String
    /// A label for staff and diagnostics, e.g. 本庁舎1階 市民課前.
    public var name: String?
    /// The 全国地方公共団体コード, six digits with the check digit (131016).
    public var municipalityCode: String?
    /// The form bundles offered, in menu order; nil: every installed bundle, by id.
    public var forms: [String]?
    /// Where form bundles are installed.
    public var formsDirectory = "/usr/share/madoguchi/forms"
    /// Where device profiles are installed (`displays/`, `readers/`, `printers/`).
    public var devicesDirectory = Self.installedDevicesDirectory
    /// Where `make install` lays the device profiles.
    public static let installedDevicesDirectory = "/usr/share/madoguchi/devices"
    /// Per-unit state: calibration, the outbox.
    public var stateDirectory = "/var/lib/madoguchi"

    /// A kiosk with this id and the defaults for everything else.
    public init(id: String) {
        self.id = id
    }

    static let known = ["id", "name", "municipalityCode", "forms", "formsDirectory", "devicesDirectory", "stateDirectory"]

    /// Reads `[kiosk]` from a whole configuration document. The table and its `id` are
    /// required; every wrong key is reported with its place, and no value is repeated.
    public static func read(_ document: DataNode) -> Result<KioskSettings, ConfigurationError> {
        var reader = ConfigTable("kiosk")
        guard let table = document["kiosk"] else {
            reader.add(
                document.location, nil, "required",
                ja: "必須のセクションがありません。[kiosk] と、その下にこの端末の id(例 id = \"kasumi-honcho-01\")を書いてください。",
                en: "the section is required; add [kiosk] with this kiosk's id below it (e.g. id = \"kasumi-honcho-01\").")
            return .failure(ConfigurationError(reader.problems))
        }
        guard case .object(let members) = table.value else {
            return .failure(ConfigurationError([ConfigTable.notATable(table, "kiosk")]))
        }
        var settings = KioskSettings(id: "")
        var sawID = false
        for member in members {
            let key = member.key
            let value = member.value
            switch key {
            case "id":
                sawID = true
                if let text = reader.slug(value, key) { settings.id = text }
            case "name":
                if let text = reader.text(value, key, length: 1...100) { settings.name = text }
            case "municipalityCode":
                guard let text = reader.string(value, key) else { continue }
                if text.unicodeScalars.count != 6 || !text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
                    reader.add(
                        value.location, key, "pattern", ja: "6 桁の数字にしてください(検査数字を含む全国地方公共団体コード、例 131016)。",
                        en: "must be 6 digits (the 全国地方公共団体コード with its check digit, e.g. 131016).")
                } else if !isValidMunicipalityCode(text) {
                    reader.add(
                        value.location, key, "format", ja: "6 桁目の検査数字が合いません。全国地方公共団体コードを確かめてください。",
                        en: "the check digit (the 6th) does not match; check the 全国地方公共団体コード.")
                } else {
                    settings.municipalityCode = text
                }
            case "forms":
                if let forms = reader.list(value, key, item: { $0.slug($1, key, maxLength: 64) }) { settings.forms = forms }
            case "formsDirectory":
                if let text = reader.absolutePath(value, key) { settings.formsDirectory = text }
            case "devicesDirectory":
                if let text = reader.absolutePath(value, key) { settings.devicesDirectory = text }
            case "stateDirectory":
                if let text = reader.absolutePath(value, key) { settings.stateDirectory = text }
            default:
                reader.unknown(member, known: known)
            }
        }
        if !sawID {
            reader.missing(
                table, "id", ja: "必須です。この端末の ID(例 kasumi-honcho-01)を書いてください。",
                en: "required; write this kiosk's id (e.g. kasumi-honcho-01).")
        }
        return reader.problems.isEmpty ? .success(settings) : .failure(ConfigurationError(reader.problems))
    }

    /// Whether a six-digit 全国地方公共団体コード has the right check digit: for the digits
    /// d1…d5, r = (6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5) mod 11, and the sixth digit is
    /// (11 − r) mod 10 (131016 千代田区, 011002 札幌市).
    public static func isValidMunicipalityCode(_ code: String) -> Bool {
        let digits = code.unicodeScalars.map { ("0"..."9").contains($0) ? Int($0.value) - 48 : -1 }
        guard digits.count == 6, !digits.contains(-1) else { return false }
        let remainder = zip(digits.prefix(5), [6, 5, 4, 3, 2]).map(*).reduce(0, +) % 11
        return digits[5] == (11 - remainder) % 10
    }
}
