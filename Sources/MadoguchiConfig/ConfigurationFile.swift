/// Where the daemon and the CLI find `madoguchi.toml`.
public enum ConfigurationFile {
    /// The path used when neither `--config` nor `MADOGUCHI_CONFIG` names one.
    public static let defaultPath = "/etc/madoguchi/madoguchi.toml"
    /// The environment variable that names another path.
    public static let environmentVariable = "MADOGUCHI_CONFIG"

    /// The path to read: `--config` first, then the environment, then the default.
    public static func path(option: String?, environment: [String: String]) -> String {
        if let option, !option.isEmpty { return option }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return defaultPath
    }
}
