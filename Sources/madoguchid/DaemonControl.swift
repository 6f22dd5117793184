import ControlProtocol
import DaemonSupport
import Foundation
import Hummingbird
import KioskMetrics
import KioskRuntime
import Logging
import MadoguchiCore
import Outbox
import OutboxStore
import Printing
import ServiceLifecycle
import Sync

/// Answers the control socket (docs/daemon.md) from the running kiosk: status, stats and
/// queue actions for `madoguchi`, so the CLI never opens a device the daemon holds.
struct DaemonControl: Sendable {
    let runtime: KioskRuntime
    let outbox: OutboxDatabase
    let worker: SyncWorker?
    let metrics: MetricsRecorder
    let kioskId: String
    let mode: String
    let printerQueue: String?
    let cupsServer: String?
    /// The kiosk's VT and whether it is locked (fixed at start).
    let console: DaemonStatus.Console
    let started = ContinuousClock.now

    func handle(_ request: ControlRequest) async -> ControlResponse {
        switch request {
        case .status:
            return .success(.status(await status()))
        case .stats:
            return .success(.stats(metrics.report()))
        case .printerStatus:
            return .success(.printerStatus(await printer()))
        case .queueRetry(let target):
            do {
                let retried: Int
                switch target {
                case .all: retried = try outbox.retry(nil)
                case .id(let text):
                    guard let id = SubmissionID(text) else {
                        return .failure(.invalidArgument, BilingualText(ja: "id が UUID ではありません。", en: "id is not a UUID."))
                    }
                    retried = try outbox.retry(id)
                }
                worker?.wake()
                return .success(.queueRetry(QueueRetryResult(retried: retried)))
            } catch {
                return .failure(.unavailable, error.text)
            }
        case .queuePause:
            do {
                try outbox.pause(reason: "staff")
                return .success(.queuePause(try queue()))
            } catch {
                return .failure(.unavailable, error.text)
            }
        case .queueResume:
            do {
                try outbox.resume()
                worker?.wake()
                return .success(.queueResume(try queue()))
            } catch {
                return .failure(.unavailable, error.text)
            }
        case .sessionCancel:
            let before = await runtime.status().phase
            await runtime.cancelSession()
            return .success(.sessionCancel(SessionCancelResult(cancelled: before != "welcome", phase: before)))
        }
    }

    func status() async -> DaemonStatus {
        let session = await runtime.status()
        let queue = (try? queue()) ?? DaemonStatus.Outbox()
        let lastSync = (try? outbox.status())?.lastSyncAt.map { ISO8601DateFormatter().string(from: $0) }
        return DaemonStatus(
            version: MadoguchiVersion.string, uptimeSeconds: Double((ContinuousClock.now - started).components.seconds), kioskId: kioskId,
            mode: mode, session: .init(phase: session.phase), reader: .init(name: session.reader, cardPresent: session.cardPresent),
            printer: await printer(), outbox: queue, backoffice: .init(reachable: nil, lastSync: lastSync),
            console: console)
    }

    func queue() throws(OutboxError) -> DaemonStatus.Outbox {
        let status = try outbox.status()
        return DaemonStatus.Outbox(pending: status.waiting + status.awaitingPrint + status.delivering, deadLetters: status.deadLetters, paused: status.paused != nil)
    }

    func printer() async -> DaemonStatus.Printer {
        guard let printerQueue else { return DaemonStatus.Printer(queue: nil, state: "none") }
        do {
            let status = try await Printer(queue: printerQueue, server: cupsServer).status()
            let state = switch status.state {
            case .idle: "idle"
            case .processing: "processing"
            case .stopped: "stopped"
            }
            return DaemonStatus.Printer(queue: printerQueue, state: state, reasons: status.reasons.map(\.keyword))
        } catch {
            return DaemonStatus.Printer(queue: printerQueue, state: "unavailable")
        }
    }
}

/// The control socket as a service: serves until graceful shutdown.
struct ControlService: Service {
    let server: ControlServer
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await server.run() }
        logger.info("control socket closed")
    }
}

/// The aggregate metrics as Prometheus text on a loopback address (`GET /metrics`).
enum MetricsEndpoint {
    static func application(host: String, port: Int, metrics: MetricsRecorder, logger: Logger) -> some Service {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: PrometheusExposition.contentType],
                body: .init(byteBuffer: ByteBuffer(string: metrics.prometheusText())))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "madoguchid"),
            onServerRunning: { channel in
                let address = channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
                logger.info("metrics listening", metadata: ["listen": "\(address)"])
            },
            logger: logger)
    }
}
