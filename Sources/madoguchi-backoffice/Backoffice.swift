import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MadoguchiCore

/// `madoguchi-backoffice`: the reference receiver of submissions.
@main
struct Backoffice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchi-backoffice",
        abstract: "申請データの受信サーバー(参照実装) / The reference receiver of kiosk submissions.",
        version: MadoguchiVersion.string,
        subcommands: [Serve.self])
}

/// `madoguchi-backoffice serve`
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "HTTP で受信を始めます / Start receiving over HTTP.")

    @Option(help: "待ち受けるアドレス / Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "待ち受けるポート(0 = 空いているポート) / Port to listen on (0 = any free port).")
    var port = 8480

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535, not \(port).")
        }
    }

    func run() async throws {
        let router = Router()
        router.get("/v1/health") { _, _ -> Response in
            let body = "{\"status\":\"ok\",\"version\":\"\(MadoguchiVersion.string)\"}\n"
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "madoguchi-backoffice"),
            onServerRunning: { channel in
                let address = channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
                // Unbuffered, so a supervisor or test reading the pipe sees it at once.
                FileHandle.standardOutput.write(Data("listening on \(address)\n".utf8))
            },
            logger: Logger(label: "madoguchi-backoffice"))
        try await app.runService()
    }
}
