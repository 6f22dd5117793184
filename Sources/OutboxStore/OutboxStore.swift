/// The encrypted SQLite outbox (GRDB, AES-GCM), built by the outbox issue.
public enum OutboxStore {
    /// Where the daemon keeps the queue on a kiosk.
    public static let defaultPath = "/var/lib/madoguchi/outbox.sqlite"
}
