public import AsyncHTTPClient
import Foundation
public import Logging
import Synchronization
import NIOCore
import NIOSSL
public import Outbox
public import OutboxStore

/// Delivery of submissions to the back office (schemas/openapi.yaml): what to send with,
/// and where.
public enum Sync {
    /// The receiver's path for new submissions (`openapi.yaml`).
    public static let submissionsPath = "/v1/submissions"
}

/// How the worker reaches the back office (`[backoffice]` in madoguchi.toml).
public struct SyncSettings: Sendable {
    /// How the kiosk proves who it is.
    public enum Credential: Sendable {
        /// No credential (a receiver in a test that does not ask for one).
        case none
        /// `Authorization: Bearer <token>`; the token never reaches a log.
        case bearer(String)
        /// A client certificate and its private key (PEM files): mutual TLS.
        case clientCertificate(certificateFile: String, keyFile: String)
    }

    /// The receiver's base URL; `/v1/submissions` is appended.
    public var baseURL: String
    public var credential: Credential
    /// The only CA certificates (PEM) to trust for the back office (configuration.md:
    /// "trust only this CA bundle"); `nil` uses the system trust store.
    public var caFile: String?
    public var backoff: Backoff
    /// The longest one request may take, connection included.
    public var requestSeconds: Double
    /// How many submissions are in flight at once.
    public var concurrency: Int
    /// How long to wait when nothing is due and nothing wakes the worker.
    public var idleSeconds: Double

    public init(
        baseURL: String, credential: Credential = .none, caFile: String? = nil, backoff: Backoff = Backoff(),
        requestSeconds: Double = 30, concurrency: Int = 4, idleSeconds: Double = 60
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.credential = credential
        self.caFile = caFile
        self.backoff = backoff
        self.requestSeconds = requestSeconds
        self.concurrency = max(1, concurrency)
        self.idleSeconds = idleSeconds
    }

    /// The HTTP client configuration these settings need: TLS trust and the client
    /// certificate, no redirects (a redirect means the URL is wrong: the queue pauses).
    public func clientConfiguration() throws -> HTTPClient.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            // Only this bundle: a town pins its back office's CA, and a certificate some
            // public CA issued for the same name must not be accepted.
            tls.trustRoots = .file(caFile)
        }
        if case .clientCertificate(let certificateFile, let keyFile) = credential {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .milliseconds(Int64(min(requestSeconds, 10) * 1000))))
        configuration.httpVersion = .http1Only
        // One connection per send in flight: with fewer (the pool's default is 8), sends
        // wait in the pool's queue for a connection and the pipeline is narrower than asked.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(concurrency, 1)
        return configuration
    }
}

/// What one pass over the queue did.
public struct DrainReport: Sendable, Hashable {
    public var acknowledged = 0
    public var retried = 0
    public var deadLettered = 0
    /// The back office refused the credential or the URL: the queue is paused.
    public var paused = false
    /// A send failed without an answer (no route, refused, reset, timeout): the pass
    /// stopped early, and what was not tried waits for the next one.
    public var networkDown = false

    public init() {}
}

/// Sends due submissions from the outbox to the back office and records each answer
/// there (architecture.md, "Sync protocol"): acknowledged rows are deleted, transient
/// failures back off with jitter (honouring Retry-After), refused submissions become dead
/// letters, and a credential problem pauses the whole queue. The outbox decides what is
/// due, so a crash at any moment loses and duplicates nothing: a submission is deleted only
/// after the back office said it has it, and every try sends the same id and bytes.
public final class SyncWorker: Sendable {
    private let outbox: OutboxDatabase
    private let settings: SyncSettings
    private let client: HTTPClient
    private let logger: Logger
    private let random: @Sendable () -> Double
    private let wakeUps: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation
    /// The outbox is synchronous (each change is fsynced): its calls run here, off the
    /// cooperative threads.
    private let outboxQueue = DispatchQueue(label: "madoguchi.sync.outbox")
    /// Sends that start, and acknowledgements that arrive, while a commit syncs share the next one.
    private let beginnings: GroupCommit<Data>
    private let acknowledgements: GroupCommit<Void>

    public init(
        outbox: OutboxDatabase, settings: SyncSettings, client: HTTPClient, logger: Logger,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.outbox = outbox
        self.settings = settings
        self.client = client
        self.logger = logger
        self.random = random
        (wakeUps, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        beginnings = GroupCommit(queue: outboxQueue) { [outbox] ids throws(OutboxError) in try outbox.beginDelivery(ids) }
        acknowledgements = GroupCommit(queue: outboxQueue) { [outbox] ids throws(OutboxError) in
            try outbox.acknowledge(ids)
            return Array(repeating: .success(()), count: ids.count)
        }
    }

    /// Asks the worker to look at the queue now: a new submission, the network came back,
    /// staff pressed retry.
    public func wake() {
        wakeContinuation.yield()
    }

    /// Wakes this worker whenever a link, address or route changes (the network came
    /// back); keep the watcher as long as the worker runs.
    public func watchNetwork() throws(NetworkWatcherError) -> NetworkWatcher {
        try NetworkWatcher { [weak self] in self?.wake() }
    }

    /// Sends everything due, each submission at most once per pass (a failed one waits for
    /// its back-off and the next pass); returns what happened.
    public func drain() async -> DrainReport {
        var report = DrainReport()
        var tried: Set<SubmissionID> = []
        // Fetched and not started yet, next one last.
        var ready: [OutboxEntry] = []
        var exhausted = false
        // One pipeline for the whole pass: a send starts as soon as another ends, and more
        // due submissions are fetched while the last ones are still in flight.
        await withTaskGroup(of: Outcome.self) { group in
            var running = 0
            while true {
                while running < settings.concurrency, !report.paused, !report.networkDown, !Task.isCancelled {
                    if ready.isEmpty {
                        if exhausted { break }
                        var due: [OutboxEntry]
                        do throws(OutboxError) {
                            // Past the ones already tried, so a few failing submissions never hide the rest.
                            let limit = tried.count + settings.concurrency * 8
                            due = try await onOutbox { [outbox] in try outbox.due(now: Date(), limit: limit) }
                        } catch {
                            logger.error("outbox unavailable", metadata: ["problem": "\(error.text.en)"])
                            exhausted = true
                            break
                        }
                        due.removeAll { tried.contains($0.id) }
                        if due.isEmpty {
                            exhausted = true
                            break
                        }
                        tried.formUnion(due.map(\.id))
                        ready = due.reversed()
                    }
                    let entry = ready.removeLast()
                    group.addTask { await self.send(entry) }
                    running += 1
                }
                // A refused credential waits for staff; an unreachable back office for the
                // back-off or a wake-up: nothing more starts, what is in flight ends.
                guard running > 0, let outcome = await group.next() else { break }
                running -= 1
                report.add(outcome)
            }
        }
        return report
    }

    /// Runs until cancelled: drains, then sleeps until the next back-off deadline, a wake-up,
    /// or `idleSeconds`. A paused queue is tried again after `retryMaxSeconds`.
    public func run() async {
        while !Task.isCancelled {
            _ = await drain()
            let status = try? await onOutbox { [outbox] in try outbox.status() }
            var wait = settings.idleSeconds
            if let paused = status?.paused {
                let resumeAt = paused.since.addingTimeInterval(settings.backoff.maximumSeconds)
                if resumeAt <= Date() {
                    logger.notice("resuming the paused queue to try the credential again")
                    _ = try? await onOutbox { [outbox] in try outbox.resume() }
                    continue
                }
                wait = min(wait, resumeAt.timeIntervalSinceNow)
            } else if let next = status?.nextAttemptAt {
                wait = min(wait, max(0.01, next.timeIntervalSinceNow))
            }
            await sleep(seconds: wait)
        }
    }

    // MARK: - one submission

    enum Outcome: Sendable {
        case acknowledged, retried, deadLettered, paused, skipped
        /// Retried after a failure without an HTTP answer.
        case unreachable
    }

    private func send(_ entry: OutboxEntry) async -> Outcome {
        let id = entry.id
        let body: Data
        do throws(OutboxError) {
            body = try await beginnings.run(id)
        } catch {
            // Another pass took it, or it is no longer waiting: nothing to do.
            return .skipped
        }
        var request = HTTPClientRequest(url: settings.baseURL + Sync.submissionsPath)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: id.description)
        request.headers.add(name: "User-Agent", value: "madoguchi-sync")
        if case .bearer(let token) = settings.credential {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        request.body = .bytes(ByteBuffer(bytes: [UInt8](body)))
        let decision: DeliveryDecision
        let status: Int?
        let reason: String
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(settings.requestSeconds * 1000)))
            status = Int(response.status.code)
            let contentType = response.headers.first(name: "Content-Type") ?? ""
            let collected = try? await response.body.collect(upTo: 64 * 1024)
            var problemType: String?
            if contentType.hasPrefix("application/problem+json"), let collected,
                let object = try? JSONSerialization.jsonObject(with: Data(collected.readableBytesView)) as? [String: Any]
            {
                problemType = object["type"] as? String
            }
            decision = DeliveryPolicy.decision(status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"))
            reason = DeliveryPolicy.reason(status: Int(response.status.code), problemType: problemType)
        } catch {
            status = nil
            decision = .retry(retryAfter: nil)
            reason = Self.networkReason(error)
        }
        let attempts = entry.attempts + 1
        do throws(OutboxError) {
            switch decision {
            case .acknowledge:
                try await acknowledgements.run(id)
                logger.info("delivered", metadata: ["submission": "\(id)", "status": "\(status ?? 0)"])
                return .acknowledged
            case .retry(let retryAfter):
                let delay = max(
                    settings.backoff.delay(afterAttempt: attempts, retryAfter: retryAfter, random: random()),
                    settings.backoff.initialSeconds / 10)
                let at = Date().addingTimeInterval(delay)
                try await onOutbox { [outbox] in try outbox.scheduleRetry(id, at: at, status: status, problem: reason) }
                logger.notice("will retry", metadata: ["submission": "\(id)", "reason": "\(reason)", "in": "\(Int(delay.rounded(.up)))s"])
                return status == nil ? .unreachable : .retried
            case .deadLetter:
                try await onOutbox { [outbox] in try outbox.deadLetter(id, status: status, problem: reason) }
                logger.warning("refused by the back office: dead letter", metadata: ["submission": "\(id)", "reason": "\(reason)"])
                return .deadLettered
            case .pause:
                try await onOutbox { [outbox] in
                    try outbox.pause(reason: reason)
                    try outbox.scheduleRetry(id, at: Date(), status: status, problem: reason)
                }
                logger.error("queue paused", metadata: ["reason": "\(reason)"])
                return .paused
            }
        } catch {
            logger.error("outbox update failed", metadata: ["submission": "\(id)", "problem": "\(error.text.en)"])
            return .skipped
        }
    }

    /// A network failure in a few words: the error's kind, never a URL's credentials or a body.
    static func networkReason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "network: timeout"
            case .connectTimeout: return "network: connect timeout"
            case .remoteConnectionClosed: return "network: connection closed"
            default: return "network: \(String(String(describing: error).prefix(80)))"
            }
        }
        if error is NIOSSLError { return "network: TLS failure" }
        if error is BoringSSLError {
            // "…:OPENSSL_internal:TLSV1_ALERT_CERTIFICATE_REQUIRED]": the reason, which tells a
            // technician whether the receiver wanted a certificate, did not trust it, or the
            // kiosk did not trust the receiver's.
            let text = String(describing: error)
            guard let range = text.range(of: "OPENSSL_internal:") else { return "network: TLS failure" }
            let reason = text[range.upperBound...].prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
            return reason.isEmpty ? "network: TLS failure" : "network: TLS failure (\(reason))"
        }
        return "network: " + String(String(describing: type(of: error)).prefix(60)) + " " + String(String(describing: error).prefix(80))
    }

    // MARK: - plumbing

    private func onOutbox<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws(OutboxError) -> T {
        let result: Result<T, OutboxError> = await withCheckedContinuation { continuation in
            outboxQueue.async {
                do {
                    continuation.resume(returning: .success(try body()))
                } catch let error as OutboxError {
                    continuation.resume(returning: .failure(error))
                } catch {
                    continuation.resume(returning: .failure(.storage(String(describing: type(of: error)))))
                }
            }
        }
        return try result.get()
    }

    /// Sleeps `seconds`, or less when woken.
    private func sleep(seconds: Double) async {
        let stream = wakeUps
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int64(max(0, seconds) * 1000)))
            }
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                _ = await iterator.next()
            }
            _ = await group.next()
            group.cancelAll()
        }
    }
}

extension DrainReport {
    mutating func add(_ outcome: SyncWorker.Outcome) {
        switch outcome {
        case .acknowledged: acknowledged += 1
        case .retried: retried += 1
        case .deadLettered: deadLettered += 1
        case .paused: paused = true
        case .unreachable:
            retried += 1
            networkDown = true
        case .skipped: break
        }
    }
}

/// Group commit: each caller waits for the fsynced commit that holds its id, and every id
/// that arrives while one commit syncs goes into the next, so N sends or answers cost far
/// fewer than N fsyncs without delaying any. `commit` runs on the outbox queue and answers
/// each id of its batch, in order.
final class GroupCommit<Value: Sendable>: Sendable {
    private typealias Waiter = (id: SubmissionID, continuation: CheckedContinuation<Result<Value, OutboxError>, Never>)
    private let queue: DispatchQueue
    private let commit: @Sendable ([SubmissionID]) throws(OutboxError) -> [Result<Value, OutboxError>]
    private let waiting = Mutex<[Waiter]>([])

    init(queue: DispatchQueue, commit: @escaping @Sendable ([SubmissionID]) throws(OutboxError) -> [Result<Value, OutboxError>]) {
        self.queue = queue
        self.commit = commit
    }

    func run(_ id: SubmissionID) async throws(OutboxError) -> Value {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, OutboxError>, Never>) in
            let first = waiting.withLock { list in
                list.append((id, continuation))
                return list.count == 1
            }
            if first { queue.async { self.flush() } }
        }
        return try result.get()
    }

    /// Runs on the outbox queue: commits everything waiting, then wakes the waiters.
    private func flush() {
        let batch = waiting.withLock { list in
            defer { list.removeAll() }
            return list
        }
        guard !batch.isEmpty else { return }
        let results: [Result<Value, OutboxError>]
        do throws(OutboxError) {
            results = try commit(batch.map(\.id))
        } catch {
            results = Array(repeating: .failure(error), count: batch.count)
        }
        for (waiter, result) in zip(batch, results) { waiter.continuation.resume(returning: result) }
    }
}
