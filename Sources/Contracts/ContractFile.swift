/// Which schema governs a file, by where the file lives (`docs/contracts/`).
public enum ContractFile {
    /// The schema file name for a path relative to the repository or installation root,
    /// or nil when no contract covers it.
    ///
    /// | path | schema |
    /// |---|---|
    /// | `Forms/<id>/flow.yaml` | `form-flow.schema.json` |
    /// | `Forms/<id>/documents/<doc>.yaml` | `form-document.schema.json` |
    /// | `Forms/<id>/strings/<lang>.yaml` | `form-strings.schema.json` |
    /// | `Forms/<id>/examples/<case>.json` | `answers.schema.json` |
    /// | `Forms/<id>/examples/expected/<case>.json` | `outcome.schema.json` |
    /// | `Forms/<id>/cases/<case>.json` | `answers.schema.json` |
    /// | `Forms/<id>/cases/expected/<case>.json` | `outcome.schema.json` |
    /// | `Devices/readers/<model>.toml` | `device-reader.schema.json` |
    /// | `Devices/printers/<model>.toml` | `device-printer.schema.json` |
    /// | `Devices/displays/<model>.toml` | `device-display.schema.json` |
    /// | `madoguchi.toml`, `*.sample.toml` of the configuration | `config.schema.json` |
    /// | `touch-calibration.toml` (per-unit, on the kiosk) | `touch-calibration.schema.json` |
    public static func schema(forRelativePath path: String) -> String? {
        let parts = path.split(separator: "/").map(String.init)
        guard let name = parts.last else { return nil }
        if let forms = parts.lastIndex(of: "Forms"), parts.count - forms >= 3 {
            let inBundle = Array(parts[(forms + 2)...])
            switch (inBundle.count, inBundle.first) {
            case (1, "flow.yaml"): return "form-flow.schema.json"
            case (2, "documents") where name.hasSuffix(".yaml"): return "form-document.schema.json"
            case (2, "strings") where name.hasSuffix(".yaml"): return "form-strings.schema.json"
            case (2, "examples"), (2, "cases"):
                return name.hasSuffix(".json") ? "answers.schema.json" : nil
            case (3, "examples") where inBundle[1] == "expected" && name.hasSuffix(".json"),
                (3, "cases") where inBundle[1] == "expected" && name.hasSuffix(".json"):
                return "outcome.schema.json"
            default: return nil
            }
        }
        if let devices = parts.lastIndex(of: "Devices"), parts.count - devices == 3, name.hasSuffix(".toml") {
            switch parts[devices + 1] {
            case "readers": return "device-reader.schema.json"
            case "printers": return "device-printer.schema.json"
            case "displays": return "device-display.schema.json"
            default: return nil
            }
        }
        if name == "madoguchi.toml" || name == "madoguchi.sample.toml" { return "config.schema.json" }
        if name == "touch-calibration.toml" { return "touch-calibration.schema.json" }
        return nil
    }
}
