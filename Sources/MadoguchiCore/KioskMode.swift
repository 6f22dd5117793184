/// The modes a kiosk runs in (`mode` in madoguchi.toml).
public enum KioskMode: String, Sendable, CaseIterable, Codable {
    /// A resident alone at a self-service terminal.
    case resident
    /// Staff working with a resident at a counter.
    case staff
    /// A mobile counter vehicle, offline for long stretches.
    case vehicle
}
