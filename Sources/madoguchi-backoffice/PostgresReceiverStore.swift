import Crypto
import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// A PostgreSQL database that several receivers share (`serve --database postgres://…`).
/// The id's primary key decides between receivers, so a submission that two of them get
/// at once is stored once: the loser of the race answers 200 (same bytes) or 409.
/// PostgreSQL's defaults (`fsync`, `synchronous_commit = on`) make a 201 mean "on disk";
/// submissions that arrive together go in one INSERT and one commit (`CommitBatcher`).
final class PostgresReceiverStore: ReceiverStore {
    let client: PostgresClient
    /// The URL without its password, for messages.
    let displayURL: String

    let url: PostgresURL
    /// Submissions that arrive together go in one INSERT. One such commit at a time: by hand,
    /// one at a time made larger batches and ingested faster (2 200/s) than two (2 080/s) or
    /// four (1 800–2 000/s), as each statement costs the server a parse and a plan.
    private let batcher: CommitBatcher<PendingSubmission, StoreOutcome>

    init(url: PostgresURL, maximumConnections: Int) {
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: url.sslMode.clientTLS)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        let client = PostgresClient(configuration: configuration)
        self.client = client
        displayURL = url.display
        self.url = url
        batcher = CommitBatcher(maximumBatch: 256, maximumCommits: 1) { batch in
            await Self.commit(batch, client: client)
        }
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
        guard UUID(uuidString: id) != nil else { throw PostgresStoreError.notAUUID }
        // Whole milliseconds, as text, so the server keeps exactly the milliseconds the
        // receipt names (a Date would arrive as a binary fraction a microsecond short).
        return try await batcher.submit(
            PendingSubmission(id: id, kioskId: kioskId, body: body, digest: Data(SHA256.hash(data: body)), receivedAt: receivedAtText(now)))
    }

    /// Stores a batch with one INSERT of many rows (one round trip, one commit), then reads
    /// back, with one SELECT, the rows of the ids it did not insert: stored before, by
    /// another receiver meanwhile, or a second copy within this batch.
    private static func commit(_ batch: [PendingSubmission], client: PostgresClient) async -> [Result<StoreOutcome, any Error>] {
        do {
            let ids = batch.map { UUID(uuidString: $0.id)! }
            let inserted = try await client.query(
                """
                INSERT INTO madoguchi_submission (id, kiosk_id, received_at, body_sha256, body)
                SELECT * FROM unnest(\(ids)::uuid[], \(batch.map(\.kioskId))::text[], \(batch.map(\.receivedAt))::text[]::timestamptz[],
                  \(batch.map { ByteBuffer(bytes: $0.digest) })::bytea[], \(batch.map { ByteBuffer(bytes: $0.body) })::bytea[])
                ON CONFLICT (id) DO NOTHING RETURNING id, received_at
                """)
            var created: [UUID: Date] = [:]
            for try await (id, receivedAt) in inserted.decode((UUID, Date).self) { created[id] = receivedAt }
            var results: [Result<StoreOutcome, any Error>?] = Array(repeating: nil, count: batch.count)
            var others: [Int] = []
            for index in batch.indices {
                if let receivedAt = created.removeValue(forKey: ids[index]) {
                    results[index] = .success(.created(receivedAt: receivedAtText(receivedAt)))
                } else {
                    others.append(index)
                }
            }
            if !others.isEmpty {
                // Another statement, so it sees rows that a concurrent receiver committed
                // while the INSERT above waited on them.
                let wanted = others.map { ids[$0] }
                let existing = try await client.query(
                    "SELECT id, received_at, body_sha256 FROM madoguchi_submission WHERE id = ANY(\(wanted)::uuid[])")
                var stored: [UUID: (Date, Data)] = [:]
                for try await (id, receivedAt, digest) in existing.decode((UUID, Date, Data).self) { stored[id] = (receivedAt, digest) }
                for index in others {
                    guard let (receivedAt, digest) = stored[ids[index]] else {
                        results[index] = .failure(PostgresStoreError.vanished)
                        continue
                    }
                    results[index] = .success(digest == batch[index].digest ? .repeated(receivedAt: receivedAtText(receivedAt)) : .conflict)
                }
            }
            return results.map { $0 ?? .failure(PostgresStoreError.vanished) }
        } catch {
            return Array(repeating: .failure(error), count: batch.count)
        }
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
