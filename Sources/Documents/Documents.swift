/// Documents a flow fills in: page layouts in millimetres with fields bound to
/// `identity.*`, `answers.*` and `computed.*` (format in `docs/contracts/`).
public enum Documents {
    /// Millimetres per PostScript point, the unit Cairo's PDF surface uses.
    public static let millimetresPerPoint = 25.4 / 72
}
