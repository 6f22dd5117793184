public import MadoguchiCore

/// The kiosk session: a pure state machine from "place your card" to "take your papers".
/// Events in, next state and effects out, no I/O (see `docs/architecture.md`).
public enum KioskSession {
    /// The modes a kiosk runs in.
    public typealias Mode = KioskMode
}
