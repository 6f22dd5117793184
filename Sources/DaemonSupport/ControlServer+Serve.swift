import ControlProtocol
import Glibc
import MadoguchiCore

/// One client connection, owned by the I/O thread only (never shared, so not Sendable).
final class ControlConnection {
    let descriptor: Int32
    var input: [UInt8] = []
    var output: [UInt8] = []
    var outputStart = 0
    var lastActivity: ContinuousClock.Instant
    /// A request is with the handler: read nothing more until its answer is queued.
    var awaitingResponse = false
    /// A line went past the limit: its rest is dropped up to the next newline.
    var discardingOversizedLine = false
    /// The peer shut down its writing side (read returned 0).
    var peerFinishedWriting = false
    /// Close once the output is written (refused, busy, timed out, or the peer is done).
    var closeWhenFlushed = false
    /// Socket error or hang-up: close now.
    var broken = false

    init(descriptor: Int32, now: ContinuousClock.Instant) {
        self.descriptor = descriptor
        self.lastActivity = now
    }

    var hasOutput: Bool { outputStart < output.count }

    func queue(_ line: [UInt8]) {
        if outputStart > 0 && outputStart == output.count {
            output.removeAll(keepingCapacity: true)
            outputStart = 0
        }
        output += line
    }
}

extension ControlServer {
    /// The I/O thread: polls the wake socket, the listener and every connection until
    /// `stop()`; then closes everything and ends `requests`.
    func serve(requests: AsyncStream<PendingRequest>.Continuation) {
        var connections: [UInt64: ControlConnection] = [:]
        var nextID: UInt64 = 1
        let clock = ContinuousClock()
        let limit = ControlRequest.maximumBytes
        var pollFailure: Int32 = 0

        serving: while true {
            if shared.withLock({ $0.stopRequested }) { break }

            let ids = Array(connections.keys)
            var descriptors = [
                pollfd(fd: wake.receive, events: Int16(POLLIN), revents: 0),
                pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
            ]
            for id in ids {
                let connection = connections[id]!
                var events: Int16 = 0
                if !connection.awaitingResponse && !connection.closeWhenFlushed && !connection.peerFinishedWriting {
                    events |= Int16(POLLIN)
                }
                if connection.hasOutput { events |= Int16(POLLOUT) }
                descriptors.append(pollfd(fd: connection.descriptor, events: events, revents: 0))
            }
            // Wake for the earliest idle deadline (at most once a second).
            var timeout: Int32 = 1000
            let now = clock.now
            for connection in connections.values where !connection.awaitingResponse {
                let left = connection.lastActivity + configuration.idleTimeout - now
                timeout = min(timeout, SystemCalls.milliseconds(left))
            }
            let (ready, pollErrno) = SystemCalls.retrying { poll(&descriptors, nfds_t(descriptors.count), timeout) }
            guard ready >= 0 else {
                pollFailure = pollErrno
                break serving
            }
            let after = clock.now

            if descriptors[0].revents != 0 { drainWake() }
            let completed = shared.withLock { state in
                defer { state.completions.removeAll() }
                return state.completions
            }
            for (id, line) in completed {
                guard let connection = connections[id] else { continue }  // gone meanwhile
                connection.queue(line)
                connection.awaitingResponse = false
                connection.lastActivity = after
            }

            for (index, id) in ids.enumerated() {
                let connection = connections[id]!
                let events = descriptors[index + 2].revents
                if events & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 && events & Int16(POLLIN) == 0 {
                    connection.broken = true
                    continue
                }
                if events & Int16(POLLIN) != 0 { read(connection, now: after) }
            }

            if descriptors[1].revents & Int16(POLLIN) != 0 {
                acceptAll(into: &connections, nextID: &nextID, now: after)
            }

            for (id, connection) in connections {
                if !connection.broken { process(connection, id: id, limit: limit, requests: requests) }
                if !connection.broken && connection.hasOutput { write(connection, now: after) }
                if !connection.broken && !connection.awaitingResponse
                    && after - connection.lastActivity >= configuration.idleTimeout
                {
                    if connection.closeWhenFlushed {
                        connection.broken = true  // could not even take the goodbye: drop it
                    } else {
                        connection.queue(ControlResponse.failure(Self.idleTimeoutError(configuration.idleTimeout)).encodedLine())
                        connection.closeWhenFlushed = true
                        connection.lastActivity = after
                        write(connection, now: after)
                    }
                }
                if connection.broken || (connection.closeWhenFlushed && !connection.hasOutput && !connection.awaitingResponse) {
                    SystemCalls.close(connection.descriptor)
                    connections[id] = nil
                }
            }
        }

        for connection in connections.values { SystemCalls.close(connection.descriptor) }
        shared.withLock { state in
            state.phase = .finished
            state.completions.removeAll()
            if pollFailure != 0 { state.failure = .system(operation: "poll", path: path, errno: pollFailure) }
        }
        cleanUpOnce()
        requests.finish()
        ended.signal()
    }

    private func drainWake() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while recv(wake.receive, &buffer, buffer.count, Int32(MSG_DONTWAIT)) > 0 {}
    }

    private func acceptAll(into connections: inout [UInt64: ControlConnection], nextID: inout UInt64, now: ContinuousClock.Instant) {
        for _ in 0..<16 {
            let (descriptor, _) = SystemCalls.retrying { accept(listener, nil, nil) }
            guard descriptor >= 0 else { return }  // EAGAIN: no more; other errors: the peer left already
            // accept4 with SOCK_CLOEXEC is not imported by Swift's Glibc module; the flags
            // follow at once (the daemon starts no programs from other threads meanwhile).
            guard SystemCalls.makeNonBlockingAndCloseOnExec(descriptor) else {
                SystemCalls.close(descriptor)
                continue
            }
            let connection = ControlConnection(descriptor: descriptor, now: now)
            let allowed = PeerCredentials.ofPeer(descriptor).map {
                policy.allows($0, supplementaryGroups: PeerCredentials.supplementaryGroups(ofProcess:))
            } ?? false
            if !allowed {
                connection.queue(ControlResponse.failure(Self.forbiddenError(path: path)).encodedLine())
                connection.closeWhenFlushed = true
            } else if connections.count >= configuration.maximumConnections {
                connection.queue(ControlResponse.failure(Self.busyError).encodedLine())
                connection.closeWhenFlushed = true
            }
            connections[nextID] = connection
            nextID += 1
            if connection.closeWhenFlushed { write(connection, now: now) }
        }
    }

    /// Reads what is there (at most a little more than one full request per round, so one
    /// fast sender cannot starve the others).
    private func read(_ connection: ControlConnection, now: ContinuousClock.Instant) {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var total = 0
        while total <= ControlRequest.maximumBytes {
            let (count, code) = SystemCalls.retrying {
                buffer.withUnsafeMutableBytes { recv(connection.descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            }
            if count > 0 {
                connection.input += buffer[0..<count]
                connection.lastActivity = now
                total += count
                continue
            }
            if count == 0 {
                connection.peerFinishedWriting = true
            } else if code != EAGAIN && code != EWOULDBLOCK {
                connection.broken = true
            }
            return
        }
    }

    private func write(_ connection: ControlConnection, now: ContinuousClock.Instant) {
        while connection.hasOutput {
            let (count, code) = SystemCalls.retrying {
                connection.output.withUnsafeBytes { bytes in
                    send(
                        connection.descriptor, bytes.baseAddress! + connection.outputStart,
                        bytes.count - connection.outputStart, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
                }
            }
            if count > 0 {
                connection.outputStart += count
                connection.lastActivity = now
                continue
            }
            if code != EAGAIN && code != EWOULDBLOCK { connection.broken = true }
            return
        }
    }

    /// Answers complete lines in order: bad ones at once, good ones through the handler
    /// (one at a time per connection).
    private func process(
        _ connection: ControlConnection, id: UInt64, limit: Int, requests: AsyncStream<PendingRequest>.Continuation
    ) {
        while !connection.awaitingResponse && !connection.closeWhenFlushed {
            let newline = connection.input.firstIndex(of: 0x0A)
            if connection.discardingOversizedLine {
                guard let newline else {
                    connection.input.removeAll(keepingCapacity: true)
                    break
                }
                connection.input.removeSubrange(...newline)
                connection.discardingOversizedLine = false
                continue
            }
            var line: [UInt8]
            if let newline {
                line = Array(connection.input[..<newline])
                connection.input.removeSubrange(...newline)
            } else if connection.input.count > limit {
                connection.queue(ControlResponse.failure(ControlProtocolError.tooLarge(limit: limit).controlError).encodedLine())
                connection.input.removeAll(keepingCapacity: true)
                connection.discardingOversizedLine = true
                continue
            } else if connection.peerFinishedWriting && !connection.input.isEmpty {
                line = connection.input  // a last line without its newline
                connection.input.removeAll()
            } else {
                break
            }
            if line.last == 0x0D { line.removeLast() }
            switch ControlRequest.parse(line) {
            case .success(let request):
                connection.awaitingResponse = true
                requests.yield(PendingRequest(connection: id, request: request))
            case .failure(let error):
                connection.queue(ControlResponse.failure(error.controlError).encodedLine())
            }
        }
        if connection.peerFinishedWriting && !connection.awaitingResponse && connection.input.isEmpty {
            connection.closeWhenFlushed = true
        }
    }

    static func forbiddenError(path: String) -> ControlError {
        ControlError(
            code: .forbidden,
            message: BilingualText(
                ja: "制御ソケット \(path) を使う権限がありません。root で実行するか、madoguchi グループに入ってください。",
                en: "Not allowed to use the control socket \(path). Run as root or join the madoguchi group."))
    }

    static let busyError = ControlError(
        code: .busy,
        message: BilingualText(
            ja: "接続が多すぎます。しばらくしてからもう一度試してください。",
            en: "Too many connections at once. Try again in a moment."))

    static func idleTimeoutError(_ timeout: Duration) -> ControlError {
        let seconds = timeout.components.seconds
        return ControlError(
            code: .idleTimeout,
            message: BilingualText(
                ja: "\(seconds) 秒間要求がなかったため接続を閉じます。要求は 1 行の JSON で、改行で終えてください。",
                en: "Closing the connection after \(seconds) s without a request. Send each request as one JSON line ending in a newline."))
    }
}
