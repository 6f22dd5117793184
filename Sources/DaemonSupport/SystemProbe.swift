internal import CLinuxTime
import Glibc

/// What `madoguchi diag` asks the kernel and the resolver, with the C calls kept here:
/// the clock's synchronisation (adjtimex), free space (statvfs), name resolution
/// (getaddrinfo) and a TCP connect with a deadline.
public enum SystemProbe {
    /// Whether the kernel says the clock is synchronised: `adjtimex(2)` with no change
    /// requested, false when `STA_UNSYNC` is set or the state is `TIME_ERROR`; nil when
    /// the call fails.
    public static func clockSynchronized() -> Bool? {
        var status: Int32 = 0
        let state = madoguchi_time_read_state(&status)
        guard state >= 0 else { return nil }
        return state != madoguchi_time_state_error() && status & madoguchi_time_status_unsynchronized() == 0
    }

    /// Bytes an unprivileged user may still write on the file system holding `path`
    /// (`statvfs(3)`: f_bavail × f_frsize); nil when `path` cannot be examined.
    public static func availableBytes(at path: String) -> Int64? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }

    /// Why a network probe failed: the step and the system's words for it.
    public struct NetworkFailure: Error, Sendable, Hashable, CustomStringConvertible {
        /// `getaddrinfo`, `connect` or `timeout`.
        public var step: String
        /// The resolver's or the kernel's message, with its code.
        public var reason: String

        public var description: String { "\(step): \(reason)" }
    }

    /// The numeric addresses `host` resolves to for TCP (`getaddrinfo(3)`), at most eight.
    public static func resolve(host: String, port: Int) -> Result<[String], NetworkFailure> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &list)
        guard code == 0, let first = list else {
            return .failure(NetworkFailure(step: "getaddrinfo", reason: "\(String(cString: gai_strerror(code))) (\(code))"))
        }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let entry = next, addresses.count < 8 {
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(entry.pointee.ai_addr, entry.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0 {
                let address = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(address) { addresses.append(address) }
            }
            next = entry.pointee.ai_next
        }
        return .success(addresses)
    }

    /// Opens and closes a TCP connection to `host`:`port`, trying each address in turn
    /// until one answers or `timeout` has passed; returns the address that answered.
    public static func connect(host: String, port: Int, timeout: Duration) -> Result<String, NetworkFailure> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &list)
        guard code == 0, let first = list else {
            return .failure(NetworkFailure(step: "getaddrinfo", reason: "\(String(cString: gai_strerror(code))) (\(code))"))
        }
        defer { freeaddrinfo(first) }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var failure = NetworkFailure(step: "connect", reason: "no address")
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let entry = next {
            next = entry.pointee.ai_next
            let descriptor = socket(entry.pointee.ai_family, SystemCalls.socketType(SOCK_STREAM, nonBlocking: true), 0)
            guard descriptor >= 0 else { continue }
            defer { SystemCalls.close(descriptor) }
            let (started, startErrno) = SystemCalls.retrying { Glibc.connect(descriptor, entry.pointee.ai_addr, entry.pointee.ai_addrlen) }
            var connectErrno = started == 0 ? 0 : startErrno
            if connectErrno == EINPROGRESS {
                let left = deadline - clock.now
                guard left > .zero else { return .failure(NetworkFailure(step: "timeout", reason: "no answer in \(timeout)")) }
                var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                let (ready, _) = SystemCalls.retrying { poll(&pollDescriptor, 1, SystemCalls.milliseconds(left)) }
                if ready == 0 { return .failure(NetworkFailure(step: "timeout", reason: "no answer in \(timeout)")) }
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                connectErrno = getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length) == 0 ? error : errno
            }
            if connectErrno == 0 {
                var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                _ = getnameinfo(entry.pointee.ai_addr, entry.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST)
                return .success(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            failure = NetworkFailure(step: "connect", reason: SystemCalls.describe(connectErrno))
        }
        return .failure(failure)
    }
}
