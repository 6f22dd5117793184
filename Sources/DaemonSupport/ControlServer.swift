public import ControlProtocol
import Dispatch
import Glibc
import MadoguchiCore
import Synchronization

/// The daemon's control socket: a Unix-domain stream socket where the CLI sends one JSON
/// request per line and reads one JSON response line (`ControlProtocol`).
///
/// `init` binds and listens (removing a stale socket first, mode 0660, group `madoguchi`
/// when running as root), so the daemon can bind before it sends `READY=1`. `run()` serves
/// until its task is cancelled or `stop()` is called, then closes every connection and
/// removes the socket file (only if it is still the one it made). It fits
/// swift-service-lifecycle's `Service` as is.
///
/// One I/O thread polls the listener and every connection with non-blocking sockets; each
/// parsed request becomes a child task of `run()` that awaits `handler`, so a slow handler,
/// a slow reader or a silent client never holds up anyone else. A connection may send
/// several requests; they are answered in order, one at a time. A connection idle for
/// `idleTimeout` (not counting time spent in the handler) gets an `idleTimeout` error and
/// is closed. Bad lines (too large, not UTF-8, not JSON, unknown command, wrong types) are
/// answered with the precise error and the connection keeps being served.
///
/// Peers are checked with SO_PEERCRED: root, the daemon's user, and members of the
/// `madoguchi` group are served; anyone else gets a `forbidden` error and is disconnected.
public final class ControlServer: Sendable {
    /// Settings with the kiosk's defaults.
    public struct Configuration: Sendable {
        /// How long a connection may stay silent before it is closed (default 5 s).
        public var idleTimeout: Duration
        /// Connections served at once; more get a `busy` error (default 32).
        public var maximumConnections: Int
        /// The group whose members may connect, and that owns the socket file when the
        /// daemon runs as root (default `madoguchi`); nil for root and the daemon's user only.
        public var groupName: String?
        /// The socket file's permission bits (default 0660).
        public var fileMode: UInt32

        /// Settings; every value has the kiosk's default.
        public init(
            idleTimeout: Duration = .seconds(5), maximumConnections: Int = 32,
            groupName: String? = ControlSocket.groupName, fileMode: UInt32 = 0o660
        ) {
            self.idleTimeout = idleTimeout
            self.maximumConnections = max(1, maximumConnections)
            self.groupName = groupName
            self.fileMode = fileMode
        }
    }

    /// Answers one request. Called on the cooperative pool, several at once for different
    /// connections; it must not block a thread.
    public typealias Handler = @Sendable (ControlRequest) async -> ControlResponse

    /// The socket's path.
    public let path: String
    /// The settings.
    public let configuration: Configuration
    /// Who may connect.
    public let policy: ControlPeerPolicy

    let handler: Handler
    let listener: Int32
    /// The socket file this server made (device, inode): only that file is removed at the end.
    let fileIdentity: (device: UInt64, inode: UInt64)
    /// `wake.0` is polled by the I/O thread; a byte written to `wake.1` wakes it.
    let wake: (receive: Int32, send: Int32)
    let shared = Mutex(SharedState())

    struct SharedState: Sendable {
        enum Phase: Sendable { case bound, running, finished }
        var phase = Phase.bound
        var stopRequested = false
        var completions: [(connection: UInt64, line: [UInt8])] = []
        var failure: ControlServerError?
    }

    /// Opens the control socket at `path` and listens; serving starts with `run()`.
    /// - Parameters:
    ///   - path: the socket file (default: `$MADOGUCHI_CONTROL_SOCKET` or `/run/madoguchi/control.sock`).
    ///   - configuration: timeouts, limits, group and mode.
    ///   - handler: answers each well-formed request.
    /// - Throws: `ControlServerError` with the path and errno.
    public init(path: String = ControlSocket.path(), configuration: Configuration = Configuration(), handler: @escaping Handler)
        throws(ControlServerError)
    {
        self.path = path
        self.configuration = configuration
        self.handler = handler
        self.policy = ControlPeerPolicy.current(groupName: configuration.groupName)
        guard let address = UnixSocketAddress(path), !path.hasPrefix("@") else { throw .pathTooLong(path: path) }

        try Self.removeStaleSocket(at: path, address: address)

        let descriptor = socket(AF_UNIX, SystemCalls.socketType(SOCK_STREAM, nonBlocking: true), 0)
        guard descriptor >= 0 else { throw .system(operation: "socket", path: path, errno: errno) }
        var ready = false
        defer { if !ready { SystemCalls.close(descriptor) } }

        let (bound, bindErrno) = SystemCalls.retrying { address.withSocketAddress { bind(descriptor, $0, $1) } }
        guard bound == 0 else {
            switch bindErrno {
            case ENOENT, ENOTDIR: throw .folderMissing(path: path)
            case EADDRINUSE: throw .alreadyInUse(path: path)
            default: throw .system(operation: "bind", path: path, errno: bindErrno)
            }
        }
        var bindOK = false
        defer { if !bindOK { unlink(path) } }
        // Before listen(), nobody can connect: the mode and owner are right before anyone can.
        guard chmod(path, mode_t(configuration.fileMode)) == 0 else {
            throw .system(operation: "chmod", path: path, errno: errno)
        }
        if geteuid() == 0, let group = policy.allowedGroupID {
            guard chown(path, 0, group) == 0 else { throw .system(operation: "chown", path: path, errno: errno) }
        }
        guard listen(descriptor, 16) == 0 else { throw .system(operation: "listen", path: path, errno: errno) }
        var status = stat()
        guard stat(path, &status) == 0 else { throw .system(operation: "stat", path: path, errno: errno) }

        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, SystemCalls.socketType(SOCK_STREAM, nonBlocking: true), 0, &pair) == 0 else {
            throw .system(operation: "socketpair", path: path, errno: errno)
        }
        self.listener = descriptor
        self.fileIdentity = (UInt64(status.st_dev), UInt64(status.st_ino))
        self.wake = (pair[0], pair[1])
        bindOK = true
        ready = true
    }

    deinit {
        // Never ran (or stop() came first): the listener and the file are still ours.
        let mustClean = shared.withLock { state in
            guard state.phase == .bound else { return false }
            state.phase = .finished
            return true
        }
        if mustClean { cleanUpOnce() }
    }

    /// Serves until the calling task is cancelled or `stop()` is called; then every
    /// connection is closed, handlers still running are awaited, and the socket file is
    /// removed.
    /// - Throws: `ControlServerError.alreadyRunning` on a second call; `.system` when the
    ///   I/O thread cannot start or poll(2) fails.
    public func run() async throws(ControlServerError) {
        let start = shared.withLock { state -> Result<Bool, ControlServerError> in
            switch state.phase {
            case .running: return .failure(.alreadyRunning(path: path))
            case .finished: return .success(false)
            case .bound:
                if state.stopRequested {
                    state.phase = .finished
                    return .success(false)
                }
                state.phase = .running
                return .success(true)
            }
        }
        switch start {
        case .failure(let error): throw error
        case .success(false):
            cleanUpOnce()  // stopped before serving (a no-op after an earlier run)
            return
        case .success(true): break
        }

        let (requests, continuation) = AsyncStream.makeStream(of: PendingRequest.self)
        let started = IOThread.start(name: "madoguchi-ctl") { [self] in
            serve(requests: continuation)
        }
        if started != 0 {
            shared.withLock { $0.phase = .finished }
            cleanUpOnce()
            throw .system(operation: "pthread_create", path: path, errno: started)
        }

        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for await pending in requests {
                    group.addTask { [self] in
                        let response = await handler(pending.request)
                        complete(pending.connection, line: response.encodedLine())
                    }
                }
            }
        } onCancel: {
            stop()
        }
        // Cancelled, the loop above ends at once; the I/O thread closes the connections and
        // removes the socket file a moment later. Wait for it (off the shared pool), so that
        // when run() returns the socket is gone.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { [ended] in
                ended.wait()
                continuation.resume()
            }
        }
        if let failure = shared.withLock({ $0.failure }) { throw failure }
    }

    /// Asks the server to stop: `run()` returns soon after. Safe from any thread, any
    /// number of times, also before `run()`.
    public func stop() {
        shared.withLock { state in
            state.stopRequested = true
            if state.phase == .running { Self.wakeUp(wake.send) }
        }
    }

    /// Hands a response to the I/O thread.
    func complete(_ connection: UInt64, line: [UInt8]) {
        shared.withLock { state in
            guard state.phase == .running else { return }
            state.completions.append((connection, line))
            Self.wakeUp(wake.send)
        }
    }

    /// Called with the lock held and the phase `running`, so `descriptor` is still open.
    static func wakeUp(_ descriptor: Int32) {
        var byte: UInt8 = 1
        _ = send(descriptor, &byte, 1, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))  // a full pipe is awake already
    }

    private let cleaned = Mutex(false)
    /// Signalled once by the I/O thread when it has cleaned up and stopped.
    let ended = DispatchSemaphore(value: 0)

    /// Closes the listener and wake sockets and removes the socket file if it is ours; once.
    func cleanUpOnce() {
        let first = cleaned.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        SystemCalls.close(listener)
        SystemCalls.close(wake.receive)
        SystemCalls.close(wake.send)
        var status = stat()
        if lstat(path, &status) == 0, UInt64(status.st_dev) == fileIdentity.device,
            UInt64(status.st_ino) == fileIdentity.inode
        {
            unlink(path)
        }
    }

    /// Removes a socket file nobody listens on; refuses to touch anything else.
    private static func removeStaleSocket(at path: String, address: UnixSocketAddress) throws(ControlServerError) {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            if errno == ENOENT { return }
            if errno == ENOTDIR { throw .folderMissing(path: path) }
            throw .system(operation: "lstat", path: path, errno: errno)
        }
        // S_IFMT 0o170000, S_IFSOCK 0o140000 (macros Swift's Glibc does not import).
        guard status.st_mode & 0o170000 == 0o140000 else { throw .notASocket(path: path) }
        let probe = socket(AF_UNIX, SystemCalls.socketType(SOCK_STREAM), 0)
        guard probe >= 0 else { throw .system(operation: "socket", path: path, errno: errno) }
        defer { SystemCalls.close(probe) }
        let (connected, code) = SystemCalls.retrying { address.withSocketAddress { connect(probe, $0, $1) } }
        if connected == 0 { throw .alreadyInUse(path: path) }
        switch code {
        case ECONNREFUSED:
            guard unlink(path) == 0 || errno == ENOENT else { throw .system(operation: "unlink", path: path, errno: errno) }
        case ENOENT: return
        case EAGAIN: throw .alreadyInUse(path: path)  // listening, backlog full
        default: throw .system(operation: "connect", path: path, errno: code)
        }
    }
}

/// A parsed request waiting for the handler.
struct PendingRequest: Sendable {
    var connection: UInt64
    var request: ControlRequest
}
