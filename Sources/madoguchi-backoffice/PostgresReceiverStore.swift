import Crypto
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// A PostgreSQL database that several receivers share (`serve --database postgres://…`).
/// The id's primary key decides between receivers, so a submission that two of them get
/// at once is stored once: the loser of the race answers 200 (same bytes) or 409.
/// PostgreSQL's defaults (`fsync`, `synchronous_commit = on`) make a 201 mean "on disk";
/// concurrent commits share one WAL flush, which is what lets ingest scale with the pool.
final class PostgresReceiverStore: ReceiverStore {
    let client: PostgresClient
    /// The URL without its password, for messages.
    let displayURL: String

    let url: PostgresURL

    init(url: PostgresURL, maximumConnections: Int) {
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: url.sslMode.clientTLS)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        client = PostgresClient(configuration: configuration)
        displayURL = url.display
        self.url = url
    }

    /// Makes the table unless it is there, on a connection of its own: a wrong password or
    /// a server that is not there fails here at once, with the server's reason, where the
    /// pool would keep trying. Receivers that start together take turns (an advisory lock),
    /// so none sees the other's half-made table.
    func migrate(logger: Logger) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
                tls: try url.sslMode.connectionTLS()),
            id: 0, logger: logger)
        do {
            try await Self.makeTable(connection, logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    private static func makeTable(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(7320151)", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS madoguchi_submission (
                  id uuid PRIMARY KEY,
                  kiosk_id text NOT NULL,
                  received_at timestamptz NOT NULL,
                  body_sha256 bytea NOT NULL,
                  body bytea NOT NULL
                )
                """, logger: logger)
            try await connection.query(
                "CREATE INDEX IF NOT EXISTS madoguchi_submission_received ON madoguchi_submission (received_at, id)",
                logger: logger)
        }
    }

    func store(id: String, kioskId: String, body: Data, now: Date) async throws -> StoreOutcome {
        guard let uuid = UUID(uuidString: id) else { throw PostgresStoreError.notAUUID }
        let digest = Data(SHA256.hash(data: body))
        // Whole milliseconds: what the receipt says is exactly what is stored.
        // As text, so the server keeps exactly the milliseconds the receipt names (a Date
        // would arrive as a binary fraction a microsecond short).
        let receivedAt = receivedAtText(now)
        let inserted = try await client.execute(
            InsertSubmission(id: uuid, kioskId: kioskId, receivedAt: receivedAt, digest: digest, body: body))
        for try await stored in inserted {
            return .created(receivedAt: receivedAtText(stored))
        }
        // Another statement, so it sees a row that a concurrent receiver committed while the
        // INSERT above waited on it.
        let existing = try await client.query(
            "SELECT received_at, body_sha256 FROM madoguchi_submission WHERE id = \(uuid)")
        for try await (stored, storedDigest) in existing.decode((Date, Data).self) {
            return storedDigest == digest ? .repeated(receivedAt: receivedAtText(stored)) : .conflict
        }
        throw PostgresStoreError.vanished
    }

    func isAvailable() async -> Bool {
        do {
            let rows = try await client.query("SELECT 1")
            for try await one in rows.decode(Int.self) { return one == 1 }
            return false
        } catch {
            return false
        }
    }
}

/// The insert, prepared once per connection instead of parsed at every submission.
private struct InsertSubmission: PostgresPreparedStatement {
    static let sql = """
        INSERT INTO madoguchi_submission (id, kiosk_id, received_at, body_sha256, body)
        VALUES ($1, $2, $3::timestamptz, $4, $5)
        ON CONFLICT (id) DO NOTHING RETURNING received_at
        """
    typealias Row = Date

    var id: UUID
    var kioskId: String
    var receivedAt: String
    var digest: Data
    var body: Data

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(id)
        bindings.append(kioskId)
        bindings.append(receivedAt)
        try bindings.append(digest)
        try bindings.append(body)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Date {
        try row.decode(Date.self)
    }
}

enum PostgresStoreError: Error {
    case notAUUID
    /// Neither inserted nor found: a row deleted between the two statements.
    case vanished
}

/// `postgres://user:password@host:port/database?sslmode=…` (also `postgresql://`), the
/// libpq URL form. `sslmode` is `disable`, `prefer` (the default) or `require`.
struct PostgresURL: Sendable {
    var user: String
    var password: String?
    var host: String
    var port: Int
    var database: String
    var sslMode: SSLMode

    enum SSLMode: Sendable {
        case disable, prefer, require

        var clientTLS: PostgresClient.Configuration.TLS {
            switch self {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        }

        func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
            switch self {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        }
    }

    /// The URL with the password left out.
    var display: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads `text`, or says what is wrong with it without repeating the password.
    static func parse(_ text: String) -> Result<PostgresURL, Problem> {
        guard isPostgres(text), let components = URLComponents(string: text) else {
            return .failure(Problem(text: "is not a URL of the form postgres://user:password@host:port/database"))
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            return .failure(Problem(text: "names no user: write postgres://USER:PASSWORD@HOST:PORT/DATABASE"))
        }
        guard let host = components.host, !host.isEmpty else {
            return .failure(Problem(text: "names no host"))
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            return .failure(Problem(text: "has the port \(port); it must be between 1 and 65535"))
        }
        let database = String(components.percentEncodedPath.drop { $0 == "/" }).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else {
            return .failure(Problem(text: "names no database: end it with /DATABASE"))
        }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("sslmode", "disable"): sslMode = .disable
            case ("sslmode", "prefer"): sslMode = .prefer
            // Both check the server's certificate and name.
            case ("sslmode", "require"), ("sslmode", "verify-full"): sslMode = .require
            case ("sslmode", let value):
                return .failure(Problem(text: "has sslmode=\(value ?? ""); use disable, prefer, require or verify-full"))
            default:
                return .failure(Problem(text: "has the parameter \(item.name), which this receiver does not know; only sslmode is read"))
            }
        }
        return .success(
            PostgresURL(
                user: user, password: components.percentEncodedPassword.flatMap { $0.removingPercentEncoding },
                host: host, port: port, database: database, sslMode: sslMode))
    }

    struct Problem: Error, Sendable {
        var text: String
    }
}
