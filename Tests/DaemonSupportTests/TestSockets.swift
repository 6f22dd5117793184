import Foundation
import Glibc

/// A fresh folder under /tmp for one test's sockets (short, so paths fit in sun_path).
func makeTemporaryFolder() -> String {
    var template = Array("/tmp/madoguchi-ds-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    return path
}

func removeFolder(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

/// Runs blocking socket code on a thread of its own, so a test never blocks Swift's
/// cooperative pool (two threads here) while the server's handlers need it.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}

struct SocketTestError: Error, CustomStringConvertible {
    var description: String
}

/// A plain blocking Unix stream client for speaking the protocol byte by byte.
final class RawClient {
    let descriptor: Int32

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketTestError(description: "socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw SocketTestError(description: "connect \(path): errno \(code)")
        }
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw SocketTestError(description: "send: errno \(errno)") }
            sent += count
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    private var buffered: [UInt8] = []

    /// The next line without its newline; nil on end of stream; throws on timeout.
    func readLine(timeout: Duration = .seconds(20)) throws -> [UInt8]? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let newline = buffered.firstIndex(of: 0x0A) {
                let line = Array(buffered[..<newline])
                buffered.removeSubrange(...newline)
                return line
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw SocketTestError(description: "no line within \(timeout)") }
            var descriptorToPoll = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            guard poll(&descriptorToPoll, 1, milliseconds) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return nil }
            buffered += chunk[0..<count]
        }
    }

    func readResponse(timeout: Duration = .seconds(20)) throws -> [String: Any] {
        guard let line = try readLine(timeout: timeout) else { throw SocketTestError(description: "connection closed") }
        guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
            throw SocketTestError(description: "not an object: \(String(decoding: line, as: UTF8.self))")
        }
        return object
    }
}

/// A datagram socket bound at `address` (a path, or `@name`), standing in for systemd.
final class DatagramReceiver {
    let descriptor: Int32

    init(address: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(address.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &storage.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + (abstract ? 0 : 1))
        let result = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard result == 0 else { throw SocketTestError(description: "bind \(address): errno \(errno)") }
    }

    deinit { close(descriptor) }

    /// The next datagram as text; throws after one second without one.
    func receive() throws -> String {
        var descriptorToPoll = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptorToPoll, 1, 1000) > 0 else { throw SocketTestError(description: "no datagram") }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { throw SocketTestError(description: "recv: errno \(errno)") }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }
}

/// Leaves a socket file nobody listens on, as a daemon killed with SIGKILL does.
func makeStaleSocket(at path: String) throws {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard result == 0 else { throw SocketTestError(description: "bind \(path): errno \(errno)") }
    listen(descriptor, 1)
}
