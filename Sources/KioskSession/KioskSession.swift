/// The kiosk session: a pure state machine from "place your card" to "take your papers".
/// Events in, next state and effects out, no I/O (see `docs/architecture.md`).
public enum KioskSession {
    /// The modes a kiosk runs in.
    public enum Mode: String, Sendable, CaseIterable, Codable {
        /// A resident alone at a self-service terminal.
        case resident
        /// Staff working with a resident at a counter.
        case staff
        /// A mobile counter vehicle, offline for long stretches.
        case vehicle
    }
}
