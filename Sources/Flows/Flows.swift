/// Guided question flows written as data in `Forms/` (loader, checker and runner arrive
/// with the flow engine; the bundle layout is in `docs/contracts/`).
public enum Flows {
    /// The folder name of form bundles inside a Madoguchi installation or source tree.
    public static let bundleDirectoryName = "Forms"
}
