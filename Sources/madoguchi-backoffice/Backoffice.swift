import ArgumentParser
import Contracts
import Foundation
import Hummingbird
import Logging
import MadoguchiCore
import NIOCore
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import PostgresNIO
import X509

/// `madoguchi-backoffice`: the reference receiver of submissions.
@main
struct Backoffice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchi-backoffice",
        abstract: "申請データの受信サーバー(参照実装) / The reference receiver of kiosk submissions.",
        discussion: """
            試行(パイロット)用の参照実装です。受け取った申請の一覧・CSV 出力・保存期間の管理・職員ログインはありません。
            本番では自治体の基幹システムが openapi.yaml の POST /v1/submissions を実装してください。
            A reference for pilots: it receives, checks and stores submissions, and has no listing,
            CSV export, retention limit or staff login. In production the town's own system implements
            POST /v1/submissions from schemas/openapi.yaml.
            """,
        version: MadoguchiVersion.string,
        subcommands: [Serve.self, Token.self])
}

/// Where the JSON Schemas are: the option, `$MADOGUCHI_SCHEMAS`, `./schemas`, or the installed copy.
func schemasDirectory(_ option: String?) -> String {
    if let option { return option }
    if let environment = ProcessInfo.processInfo.environment["MADOGUCHI_SCHEMAS"], !environment.isEmpty { return environment }
    if FileManager.default.fileExists(atPath: "schemas/submission.schema.json") { return "schemas" }
    return "/usr/share/madoguchi/schemas"
}

/// `madoguchi-backoffice serve`
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "HTTP で受信を始めます / Start receiving over HTTP.")

    @Option(help: "待ち受けるアドレス / Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "待ち受けるポート(0 = 空いているポート) / Port to listen on (0 = any free port).")
    var port = 8480

    @Option(
        name: .customLong("database"),
        help: """
            保存先: SQLite ファイル、または複数の受信サーバーで共有する postgres://USER:PASSWORD@HOST:PORT/DATABASE[?sslmode=disable|prefer|require] \
            / Where submissions are stored: a SQLite file, or a PostgreSQL URL that several receivers share \
            (default $MADOGUCHI_BACKOFFICE_DATABASE, which keeps a password out of `ps`, else backoffice.sqlite).
            """)
    var databaseOption: String?

    /// `--database`, else `$MADOGUCHI_BACKOFFICE_DATABASE` (a URL with a password there is
    /// not shown to every user by `ps`), else `backoffice.sqlite`.
    var database: String {
        if let databaseOption { return databaseOption }
        if let environment = ProcessInfo.processInfo.environment["MADOGUCHI_BACKOFFICE_DATABASE"], !environment.isEmpty {
            return environment
        }
        return "backoffice.sqlite"
    }

    @Option(help: "PostgreSQL への接続数の上限 / The most PostgreSQL connections this receiver opens.")
    var connections = 20

    @Option(help: "端末ごとのトークンのファイル(token add が作成)/ The per-kiosk tokens file (made by `token add`).")
    var tokens: String?

    @Option(name: .customLong("tls-certificate"), help: "HTTPS のサーバー証明書(PEM、中間証明書を続けて)/ Serve HTTPS with this certificate chain (PEM).")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "サーバー証明書の秘密鍵(PEM)/ The private key of --tls-certificate (PEM).")
    var tlsKey: String?

    @Option(
        name: .customLong("client-ca"),
        help: """
            端末のクライアント証明書を発行する CA(PEM)。指定すると証明書のない接続は拒否し、証明書の CN を端末 ID とします \
            / Require a client certificate issued by this CA (mutual TLS); its subject CN is the kiosk id.
            """)
    var clientCA: String?

    @Option(help: "JSON Schema のフォルダ / The folder of JSON Schemas (default $MADOGUCHI_SCHEMAS, ./schemas, /usr/share/madoguchi/schemas).")
    var schemas: String?

    @Option(name: .customLong("max-body-bytes"), help: "受け付ける本文の上限 / The largest body accepted (413 above it).")
    var maximumBodyBytes = 1 << 20

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535, not \(port).")
        }
        guard (1...(64 << 20)).contains(maximumBodyBytes) else {
            throw ValidationError("--max-body-bytes must be between 1 and 67108864, not \(maximumBodyBytes).")
        }
        guard (tlsCertificate == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-certificate と --tls-key は一緒に指定します / Give --tls-certificate and --tls-key together.")
        }
        guard clientCA == nil || tlsCertificate != nil else {
            throw ValidationError("--client-ca には --tls-certificate と --tls-key が要ります / --client-ca needs --tls-certificate and --tls-key (client certificates exist only over TLS).")
        }
        guard tokens != nil || clientCA != nil else {
            throw ValidationError("端末の認証がありません / No way for kiosks to prove who they are: give --tokens, --client-ca, or both.")
        }
        guard (1...200).contains(connections) else {
            throw ValidationError("--connections must be between 1 and 200, not \(connections).")
        }
        if PostgresURL.isPostgres(database), case .failure(let problem) = PostgresURL.parse(database) {
            // The message never repeats the URL: it may hold a password.
            throw ValidationError("--database / $MADOGUCHI_BACKOFFICE_DATABASE: PostgreSQL の URL が正しくありません / the PostgreSQL URL \(problem.text).")
        }
    }

    func run() async throws {
        // Standard output carries only the "listening on" line that supervisors and tests
        // wait for; logs go to standard error (journald takes both).
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var kioskTokens: KioskTokens?
        if let tokens {
            do {
                kioskTokens = try KioskTokens.load(tokens)
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        let server: HTTPServerBuilder
        do {
            server = try serverBuilder()
        } catch let failure as StartupFailure {
            FileHandle.standardError.write(Data("\(failure.message)\n".utf8))
            throw ExitCode(2)
        }
        let requireCertificate = clientCA != nil
        let schemaSet: SchemaSet
        let directory = schemasDirectory(schemas)
        do {
            schemaSet = try SchemaSet(directory: directory)
            guard schemaSet.documents["submission.schema.json"] != nil else {
                FileHandle.standardError.write(Data("\(directory): error: submission.schema.json がありません / no submission.schema.json here; pass --schemas.\n".utf8))
                throw ExitCode(2)
            }
        } catch let error as SchemaSetError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        let logger = Logger(label: "madoguchi-backoffice")
        let store: any ReceiverStore
        var postgres: PostgresReceiverStore?
        if PostgresURL.isPostgres(database), case .success(let url) = PostgresURL.parse(database) {
            postgres = PostgresReceiverStore(url: url, maximumConnections: connections)
            store = postgres!
        } else {
            do {
                store = try SQLiteReceiverStore(path: database)
            } catch {
                FileHandle.standardError.write(Data("\(database): error: データベースを開けません / cannot open the database: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        let intake = SubmissionIntake(schemas: schemaSet, tokens: kioskTokens, store: store, maximumBodyBytes: maximumBodyBytes)
        let limit = maximumBodyBytes
        let router = Router(context: ReceiverContext.self)
        router.add(middleware: MethodCheck(allowed: ["/v1/health": ["GET"], "/v1/whoami": ["GET"], "/v1/submissions": ["GET", "POST"]]))
        router.get("/v1/health") { _, _ -> Response in
            let available = await store.isAvailable()
            let body = "{\"status\":\"\(available ? "ok" : "unavailable")\",\"version\":\"\(MadoguchiVersion.string)\"}\n"
            return Response(
                status: available ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        // Which kiosk the credential names: `madoguchi diag` proves the token or certificate
        // works without sending anything (openapi.yaml, whoami).
        router.get("/v1/whoami") { request, context -> Response in
            let certificate = requireCertificate ? await context.peerCertificate() : .none
            return intake.whoami(authorization: request.headers[.authorization], certificate: certificate).response
        }
        // The listing is for back-office readers, whom this reference has none of: no token
        // gives 401, a kiosk's token 403 (openapi.yaml, listSubmissions).
        router.get("/v1/submissions") { request, context -> Response in
            let certificate = requireCertificate ? await context.peerCertificate() : .none
            let reply =
                intake.kiosk(authorization: request.headers[.authorization], certificate: certificate) == nil
                ? SubmissionIntake.problem(
                    401, "credential", "Missing or invalid credential",
                    detail: "Listing needs a back-office reader's token.")
                : SubmissionIntake.problem(
                    403, "listing", "Kiosk credentials cannot list",
                    detail: "A kiosk may only deliver. This reference receiver, for pilots, has no listing.")
            return reply.response
        }
        router.post("/v1/submissions") { request, context -> Response in
            let reply: SubmissionIntake.Reply
            let certificate = requireCertificate ? await context.peerCertificate() : .none
            do {
                // One byte more than the limit tells "too large" from "exactly at the limit".
                let buffer = try await request.body.collect(upTo: limit + 1)
                reply = await intake.receive(
                    authorization: request.headers[.authorization], certificate: certificate,
                    idempotencyKey: request.headers.first { $0.name.canonicalName == "idempotency-key" }?.value,
                    body: Data(buffer: buffer))
            } catch is NIOTooManyBytesError {
                reply = SubmissionIntake.problem(
                    413, "too-large", "Body too large", detail: "The body has more than \(limit) bytes, the most this receiver takes.")
            }
            return reply.response
        }
        var app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: "madoguchi-backoffice"),
            onServerRunning: { channel in
                let address = channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
                // Unbuffered, so a supervisor or test reading the pipe sees it at once.
                FileHandle.standardOutput.write(Data("listening on \(address)\n".utf8))
            },
            logger: logger)
        if let postgres {
            app.addServices(postgres.client)
            // Listen only once the table is there; a database that does not answer ends the
            // receiver with a message instead of a listener that answers 503 to everything.
            app.beforeServerStarts {
                do {
                    try await postgres.migrate(logger: logger)
                } catch {
                    throw StartupFailure(
                        message: "\(postgres.displayURL): error: PostgreSQL に接続できません / cannot use the database: \(postgresReason(error))")
                }
            }
        }
        do {
            try await app.runService()
        } catch let failure as StartupFailure {
            FileHandle.standardError.write(Data("\(failure.message)\n".utf8))
            throw ExitCode(2)
        }
    }
}

extension Serve {
    /// Plain HTTP, or HTTPS with `--tls-certificate`/`--tls-key`, requiring client
    /// certificates of `--client-ca` when it is given.
    func serverBuilder() throws -> HTTPServerBuilder {
        guard let tlsCertificate, let tlsKey else { return .http1() }
        func read<T>(_ path: String, ja: String, en: String, _ load: () throws -> T) throws -> T {
            do { return try load() } catch {
                throw StartupFailure(message: "\(path): error: \(ja)を読めません / cannot read the \(en) (PEM expected): \(error)")
            }
        }
        let chain = try read(tlsCertificate, ja: "証明書", en: "certificate") { try NIOSSLCertificate.fromPEMFile(tlsCertificate) }
        let key = try read(tlsKey, ja: "秘密鍵", en: "private key") { try NIOSSLPrivateKey(file: tlsKey, format: .pem) }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if let clientCA {
            let authorities = try read(clientCA, ja: "CA 証明書", en: "CA certificates") { try NIOSSLCertificate.fromPEMFile(clientCA) }
            configuration.trustRoots = .certificates(authorities)
            // A kiosk has no host name to check; the CA and the certificate's validity are checked.
            configuration.certificateVerification = .noHostnameVerification
        }
        do {
            return try .tls(.http1(), tlsConfiguration: configuration)
        } catch {
            throw StartupFailure(message: "error: TLS を設定できません / cannot set up TLS: \(error)")
        }
    }
}

/// The request context: Hummingbird's, and the connection, for the client certificate.
struct ReceiverContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The kiosk the client certificate names (its subject's common name).
    func peerCertificate() async -> PeerCertificate {
        let channel = self.channel
        let der = try? await channel.eventLoop.submit { () -> [UInt8]? in
            try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate?.toDERBytes()
        }.get()
        guard let der = der ?? nil, let certificate = try? Certificate(derEncoded: der) else { return .none }
        for name in certificate.subject {
            for attribute in name where attribute.type == .RDNAttributeType.commonName {
                let text = String(describing: attribute.value)
                return KioskTokens.isKioskID(text) ? .kiosk(text) : .noKioskName
            }
        }
        return .noKioskName
    }
}

/// A reason the receiver could not start, said once on standard error.
struct StartupFailure: Error {
    var message: String
}

/// What went wrong with PostgreSQL, from the server's own message or the error's kind; never
/// the query or its values.
func postgresReason(_ error: any Error) -> String {
    if let error = error as? PSQLError {
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }
    return "\(error)"
}

/// `madoguchi-backoffice token add KIOSK --tokens FILE`
struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "端末のトークン / Kiosk tokens.",
        subcommands: [Add.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "端末に新しいトークンを発行します(表示は一度だけ)/ Issues a new token to a kiosk (shown once).")

        @Argument(help: "端末 ID / The kiosk id, e.g. kasumi-honcho-01.")
        var kiosk: String

        @Option(help: "トークンのファイル / The tokens file (its digest is appended).")
        var tokens: String

        func validate() throws {
            guard KioskTokens.isKioskID(kiosk) else {
                throw ValidationError("端末 ID の形式が違います / The kiosk id must be lower-case letters, digits and single hyphens, e.g. kasumi-honcho-01.")
            }
        }

        func run() throws {
            if FileManager.default.fileExists(atPath: tokens) {
                do { _ = try KioskTokens.load(tokens) } catch {
                    FileHandle.standardError.write(Data("\(error)\n".utf8))
                    throw ExitCode(2)
                }
            }
            let token = KioskTokens.newToken()
            let line = "\(kiosk) \(KioskTokens.digest(token))\n"
            let descriptor = open(tokens, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                FileHandle.standardError.write(Data("\(tokens): error: 書き込めません / cannot write: \(String(cString: strerror(errno)))\n".utf8))
                throw ExitCode(1)
            }
            let written = Array(line.utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            fsync(descriptor)
            close(descriptor)
            guard written == line.utf8.count else { throw ExitCode(1) }
            print(token)
            FileHandle.standardError.write(Data("""
                端末 \(kiosk) のトークンです。一度だけ表示します。端末の tokenFile(0600)に書いてください。
                The token of kiosk \(kiosk), shown once: write it into the kiosk's tokenFile (0600).

                """.utf8))
        }
    }
}

/// Answers a method the API does not declare on a known path with 405 and `Allow`, not 404.
struct MethodCheck<Context: RequestContext>: RouterMiddleware {
    let allowed: [String: Set<String>]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let methods = allowed[request.uri.path], !methods.contains(request.method.rawValue) else {
            return try await next(request, context)
        }
        let allow = methods.sorted().joined(separator: ", ")
        let reply = SubmissionIntake.problem(
            405, "method", "Method not allowed", detail: "\(request.uri.path) takes \(allow) only.")
        var response = reply.response
        response.headers[.allow] = allow
        return response
    }
}

extension SubmissionIntake.Reply {
    /// The HTTP response: the status, the content type and the body as given.
    var response: Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
