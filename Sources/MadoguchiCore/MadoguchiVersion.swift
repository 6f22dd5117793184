/// The version every Madoguchi program reports with `--version`.
public enum MadoguchiVersion {
    /// Semantic version of this source tree.
    public static let string = "0.1.0"
}
