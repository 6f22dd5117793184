public import ControlProtocol
import Glibc
public import MadoguchiCore

/// The CLI's side of the control socket: one request, one response, blocking with a
/// deadline. `noDaemon` is its own error so the CLI can open the devices itself instead.
public enum ControlClient {
    /// The most a response line may hold (a stats report of many forms stays far below).
    public static let maximumResponseBytes = 16 << 20

    /// Connects to `path`, sends `request` and reads the response line.
    /// - Parameters:
    ///   - request: what to ask.
    ///   - path: the socket (`ControlSocket.path(environment:)`).
    ///   - timeout: for the whole exchange (connect, send, answer).
    /// - Throws: `ControlClientError.noDaemon` when nothing listens there (ENOENT,
    ///   ECONNREFUSED); `.permissionDenied`, `.timedOut`, `.connectionClosed`,
    ///   `.invalidResponse` or `.system` otherwise.
    public static func send(
        _ request: ControlRequest, path: String = ControlSocket.path(), timeout: Duration = .seconds(5)
    ) throws(ControlClientError) -> ControlResponse {
        guard let address = UnixSocketAddress(path) else { throw .noDaemon(path: path) }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout

        let descriptor = socket(AF_UNIX, SystemCalls.socketType(SOCK_STREAM), 0)
        guard descriptor >= 0 else { throw .system(operation: "socket", path: path, errno: errno) }
        defer { SystemCalls.close(descriptor) }

        // A blocking connect to a Unix socket returns at once unless the backlog is full;
        // SO_SNDTIMEO bounds that wait and the send.
        var limit = timeval(
            tv_sec: Int(timeout.components.seconds),
            tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        if limit.tv_sec == 0 && limit.tv_usec == 0 { limit.tv_usec = 1000 }
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))

        let (connected, connectErrno) = SystemCalls.retrying { address.withSocketAddress { connect(descriptor, $0, $1) } }
        guard connected == 0 else {
            switch connectErrno {
            case ENOENT, ECONNREFUSED, ENOTDIR: throw .noDaemon(path: path)
            case EACCES, EPERM: throw .permissionDenied(path: path)
            case EAGAIN, EINPROGRESS, ETIMEDOUT: throw .timedOut(path: path)
            default: throw .system(operation: "connect", path: path, errno: connectErrno)
            }
        }

        let line = request.encodedLine()
        var sent = 0
        while sent < line.count {
            let (count, code) = SystemCalls.retrying {
                line.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            }
            guard count > 0 else {
                if code == EAGAIN || code == EWOULDBLOCK { throw .timedOut(path: path) }
                if code == EPIPE || code == ECONNRESET { throw .connectionClosed(path: path) }
                throw .system(operation: "send", path: path, errno: code)
            }
            sent += count
        }

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let newline = received.firstIndex(of: 0x0A) {
                received.removeSubrange(newline...)
                break
            }
            guard received.count <= maximumResponseBytes else { throw .invalidResponse(path: path) }
            let left = deadline - clock.now
            guard left > .zero else { throw .timedOut(path: path) }
            var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let (ready, pollErrno) = SystemCalls.retrying { poll(&pollDescriptor, 1, SystemCalls.milliseconds(left)) }
            guard ready >= 0 else { throw .system(operation: "poll", path: path, errno: pollErrno) }
            guard ready > 0 else { throw .timedOut(path: path) }
            let (count, code) = SystemCalls.retrying {
                buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            }
            if count > 0 {
                received += buffer[0..<count]
            } else if count == 0 {
                throw .connectionClosed(path: path)
            } else if code != EAGAIN && code != EWOULDBLOCK {
                if code == ECONNRESET { throw .connectionClosed(path: path) }
                throw .system(operation: "recv", path: path, errno: code)
            }
        }
        do {
            return try ControlResponse.decode(received)
        } catch {
            throw .invalidResponse(path: path)
        }
    }
}

/// Why the CLI got no answer from the daemon.
public enum ControlClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No daemon listens at the path (ENOENT, ECONNREFUSED): open the devices directly.
    case noDaemon(path: String)
    /// The socket exists but this user may not use it (EACCES).
    case permissionDenied(path: String)
    /// The daemon did not answer in time.
    case timedOut(path: String)
    /// The daemon closed the connection without an answer.
    case connectionClosed(path: String)
    /// The answer was not a response line.
    case invalidResponse(path: String)
    /// A system call failed.
    case system(operation: String, path: String, errno: Int32)

    /// What happened and what to do, Japanese with English.
    public var message: BilingualText {
        switch self {
        case .noDaemon(let path):
            BilingualText(
                ja: "madoguchid が動いていません(制御ソケット \(path) に接続できません)。`systemctl status madoguchid` で確認してください。",
                en: "madoguchid is not running (nothing listens on the control socket \(path)). Check `systemctl status madoguchid`.")
        case .permissionDenied(let path):
            BilingualText(
                ja: "制御ソケット \(path) を使う権限がありません。root で実行するか、madoguchi グループに入ってください。",
                en: "Not allowed to use the control socket \(path). Run as root or join the madoguchi group.")
        case .timedOut(let path):
            BilingualText(
                ja: "madoguchid が時間内に応答しませんでした(\(path))。`journalctl -u madoguchid` を確認してください。",
                en: "madoguchid did not answer in time (\(path)). Check `journalctl -u madoguchid`.")
        case .connectionClosed(let path):
            BilingualText(
                ja: "madoguchid が応答せずに接続を閉じました(\(path))。`journalctl -u madoguchid` を確認してください。",
                en: "madoguchid closed the connection without answering (\(path)). Check `journalctl -u madoguchid`.")
        case .invalidResponse(let path):
            BilingualText(
                ja: "madoguchid の応答が読めません(\(path))。madoguchi と madoguchid の版が同じか確認してください。",
                en: "Cannot read madoguchid's answer (\(path)). Check that madoguchi and madoguchid are the same version.")
        case .system(let operation, let path, let code):
            BilingualText(
                ja: "制御ソケット \(path) の \(operation) に失敗しました: \(SystemCalls.describe(code))。",
                en: "\(operation) on the control socket \(path) failed: \(SystemCalls.describe(code)).")
        }
    }

    /// The English sentence.
    public var description: String { message.en }
}
