import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Tells when the network may have come back: any change of a link, an address or a route,
/// as the kernel announces them on a netlink socket. The sync worker is woken on each, so a
/// vehicle that finds a signal again sends at once instead of at its next back-off deadline.
///
/// Nothing is parsed beyond "something changed": a drain pass is cheap, and a missed
/// change only delays sending until the next timer.
public final class NetworkWatcher: Sendable {
    /// Set by `stop()`; the watching thread checks it at least every 0.2 s.
    private final class StopFlag: Sendable {
        let value = Atomic<Bool>(false)
    }

    private let stopped = StopFlag()

    /// Netlink multicast groups: links, IPv4 and IPv6 addresses and routes.
    private static let groups: UInt32 = 0x1 | 0x10 | 0x40 | 0x100 | 0x400

    /// Starts watching; `onChange` runs on the watcher's own thread, at most every
    /// `debounceSeconds` (a cable plugged in announces a burst of changes).
    public init(debounceSeconds: Double = 0.5, onChange: @escaping @Sendable () -> Void) throws(NetworkWatcherError) {
        let socketType = Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = socket(AF_NETLINK, socketType, 0)  // NETLINK_ROUTE
        guard descriptor >= 0 else { throw NetworkWatcherError(call: "socket", code: errno) }
        // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
        var address = [UInt8](repeating: 0, count: 12)
        withUnsafeBytes(of: UInt16(AF_NETLINK)) { address.replaceSubrange(0..<2, with: $0) }
        withUnsafeBytes(of: Self.groups) { address.replaceSubrange(8..<12, with: $0) }
        let bound = address.withUnsafeBytes { bytes in
            bind(descriptor, bytes.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(bytes.count))
        }
        guard bound == 0 else {
            let code = errno
            close(descriptor)
            throw NetworkWatcherError(call: "bind", code: code)
        }
        let thread = Thread { [stopped] in
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            var last = ContinuousClock.now - .seconds(3600)
            while !stopped.value.load(ordering: .acquiring) {
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 200) > 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                guard count > 0 else { continue }
                let now = ContinuousClock.now
                if now - last >= .milliseconds(Int64(debounceSeconds * 1000)) {
                    last = now
                    onChange()
                }
            }
            close(descriptor)
        }
        thread.name = "madoguchi-netwatch"
        thread.start()
    }

    /// Stops watching and closes the socket (within 0.2 s).
    public func stop() {
        stopped.value.store(true, ordering: .releasing)
    }

    deinit { stop() }
}

/// The netlink socket could not be opened (a container without NETLINK_ROUTE, say).
public struct NetworkWatcherError: Error, Sendable, CustomStringConvertible {
    public var call: String
    public var code: Int32

    public var description: String {
        "ネットワークの変化を監視できません(\(call): \(String(cString: strerror(code))))。送信は定期的な確認で続けます。"
            + " / Cannot watch the network for changes (\(call): \(String(cString: strerror(code)))); sending goes on by the timer."
    }
}
