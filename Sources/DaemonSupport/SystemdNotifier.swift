#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import Glibc

/// sd_notify(3) without libsystemd: state lines sent as one datagram to `$NOTIFY_SOCKET`
/// (an AF_UNIX SOCK_DGRAM socket; a leading `@` means Linux's abstract namespace).
///
/// The daemon runs as `Type=notify` with `WatchdogSec=`: it sends `READY=1` once it
/// serves, `WATCHDOG=1` at half the interval `watchdogInterval` gives, `STATUS=…` lines
/// for `systemctl status`, and `STOPPING=1` on shutdown. Nothing here ever stops the
/// daemon: the convenience methods return false when a message could not be sent, and
/// `notify(_:)` throws a typed error with the socket and errno.
///
/// Status texts are shown by `systemctl status` and kept by the journal: never put
/// personal data in them.
public struct SystemdNotifier: Sendable, Hashable {
    /// `$NOTIFY_SOCKET` as given: a path, or `@name` for the abstract namespace.
    public let socketAddress: String

    /// The notifier for `$NOTIFY_SOCKET`; nil when it is unset or empty (not started by
    /// systemd, or not `Type=notify`).
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let address = environment["NOTIFY_SOCKET"], !address.isEmpty else { return nil }
        self.socketAddress = address
    }

    /// A notifier for an explicit socket address (a path, or `@name`).
    public init(socketAddress: String) {
        self.socketAddress = socketAddress
    }

    /// `READY=1` (and `STATUS=…` when given): start-up is complete.
    @discardableResult
    public func ready(status: String? = nil) -> Bool {
        send(["READY=1"] + (status.map { ["STATUS=" + Self.oneLine($0)] } ?? []))
    }

    /// `STATUS=…`: one line for `systemctl status` (newlines become spaces).
    @discardableResult
    public func status(_ text: String) -> Bool {
        send(["STATUS=" + Self.oneLine(text)])
    }

    /// `WATCHDOG=1`: the daemon is alive; send at half of `watchdogInterval`.
    @discardableResult
    public func watchdog() -> Bool {
        send(["WATCHDOG=1"])
    }

    /// `STOPPING=1` (and `STATUS=…` when given): shutdown has begun.
    @discardableResult
    public func stopping(status: String? = nil) -> Bool {
        send(["STOPPING=1"] + (status.map { ["STATUS=" + Self.oneLine($0)] } ?? []))
    }

    /// `RELOADING=1` with `MONOTONIC_USEC=` (what `Type=notify-reload` requires); send
    /// `ready()` when the reload is done.
    @discardableResult
    public func reloading() -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        return send(["RELOADING=1", "MONOTONIC_USEC=\(microseconds)"])
    }

    private func send(_ assignments: [String]) -> Bool {
        do {
            try notify(assignments.joined(separator: "\n"))
            return true
        } catch {
            return false
        }
    }

    /// Sends `message` (newline-separated `KEY=value` lines) as one datagram.
    /// - Throws: `SystemdNotifierError` naming the socket and errno.
    public func notify(_ message: String) throws(SystemdNotifierError) {
        guard socketAddress.hasPrefix("/") || socketAddress.hasPrefix("@"),
            let address = UnixSocketAddress(socketAddress)
        else { throw .unsupportedAddress(socketAddress) }
        let descriptor = socket(AF_UNIX, SystemCalls.socketType(SOCK_DGRAM), 0)
        guard descriptor >= 0 else { throw .socketFailed(errno: errno) }
        defer { SystemCalls.close(descriptor) }
        let bytes = Array(message.utf8)
        let (sent, code) = SystemCalls.retrying {
            address.withSocketAddress { pointer, length in
                bytes.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), pointer, length) }
            }
        }
        guard sent >= 0 else { throw .sendFailed(socket: socketAddress, errno: code) }
    }

    /// The watchdog interval from `$WATCHDOG_USEC`; nil when unset, not a positive whole
    /// number, or when `$WATCHDOG_PID` is set and is not `processID` (the watchdog is
    /// meant for another process, e.g. the parent of a forked helper). `processID` is this
    /// process's id unless given (tests).
    public static func watchdogInterval(
        environment: [String: String] = ProcessInfo.processInfo.environment, processID: Int32? = nil
    ) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0,
            microseconds <= UInt64(Int64.max)
        else { return nil }
        if let pidText = environment["WATCHDOG_PID"], !pidText.isEmpty {
            guard let pid = Int32(pidText), pid == processID ?? getpid() else { return nil }
        }
        return .microseconds(Int64(microseconds))
    }

    /// A status text on one line.
    static func oneLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }
}

/// Why a notification was not sent.
public enum SystemdNotifierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `$NOTIFY_SOCKET` is neither an absolute path nor `@name`, or is too long
    /// (systemd's `vsock:` addresses are not supported).
    case unsupportedAddress(String)
    /// socket(2) failed.
    case socketFailed(errno: Int32)
    /// sendto(2) to the socket failed.
    case sendFailed(socket: String, errno: Int32)

    /// What failed, with the socket and errno.
    public var description: String {
        switch self {
        case .unsupportedAddress(let address):
            "NOTIFY_SOCKET \"\(address)\" is not an absolute path or @name of at most \(UnixSocketAddress.maximumPathBytes) bytes"
        case .socketFailed(let code): "sd_notify: socket(AF_UNIX, SOCK_DGRAM) failed: \(SystemCalls.describe(code))"
        case .sendFailed(let socket, let code): "sd_notify: sending to \(socket) failed: \(SystemCalls.describe(code))"
        }
    }
}
