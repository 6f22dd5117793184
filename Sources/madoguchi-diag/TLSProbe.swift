import Diagnostics
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// One TLS handshake with the back office, without HTTP: whether the kiosk's TLS settings
/// accept the server, and the server's certificate to read its dates and names.
enum TLSProbe {
    /// Why a handshake did not finish.
    enum Failure: Error, CustomStringConvertible {
        /// The chain does not verify (BoringSSL: expired, not yet valid, unknown issuer, …).
        case certificateNotVerified
        /// The chain verifies but names neither the URL's host nor its address.
        case nameMismatch
        /// The server ended the connection with a TLS alert (BoringSSL's reason, e.g.
        /// `TLSV1_ALERT_UNKNOWN_CA`): with mutual TLS, it refused the client certificate.
        case alert(String)
        /// Anything else: refused, reset, not TLS at all, too slow.
        case other(String)

        var description: String {
            switch self {
            case .certificateNotVerified: "CERTIFICATE_VERIFY_FAILED"
            case .nameMismatch: "the certificate does not name this host"
            case .alert(let reason), .other(let reason): reason
            }
        }
    }

    /// Handshakes with `host`:`port` using `configuration` (the host is the SNI name and
    /// what the certificate must name, unless it is an IP address: then the address must
    /// be in the certificate); returns the server's leaf certificate (DER). With `confirm`,
    /// it then sends `HEAD / HTTP/1.1` and waits for the first bytes of an answer: with
    /// TLS 1.3 a server refuses a client certificate only after the client's handshake has
    /// finished, so only an answer shows that the server accepted the connection.
    static func handshake(
        host: String, port: Int, configuration: TLSConfiguration, confirm: Bool = false, timeout: Duration
    ) async -> Result<[UInt8], Failure> {
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            return .failure(.other("\(error)"))
        }
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        let serverHostname = isAddress ? nil : host
        let request = confirm ? "HEAD / HTTP/1.1\r\nHost: \(isAddress && host.contains(":") ? "[\(host)]" : host):\(port)\r\nConnection: close\r\n\r\n" : nil
        let group = MultiThreadedEventLoopGroup.singleton
        let finished = group.next().makePromise(of: [UInt8]?.self)
        let milliseconds = max(1, timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(milliseconds))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverHostname))
                    try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(finished, request: request))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            finished.fail(error)
            return .failure(.other("\(error)"))
        }
        // A server that accepts and then says nothing: give up after the timeout.
        let deadline = channel.eventLoop.scheduleTask(in: .milliseconds(milliseconds)) { channel.close(promise: nil) }
        defer {
            deadline.cancel()
            channel.close(promise: nil)
        }
        do {
            guard let leaf = try await finished.futureResult.get() else { return .failure(.other("the server sent no certificate")) }
            return .success(leaf)
        } catch let error as NIOSSLExtraError where error == .failedToValidateHostname {
            return .failure(.nameMismatch)
        } catch is HandshakeWatcher.Closed {
            return .failure(.other("the connection closed during the TLS handshake (timeout \(timeout))"))
        } catch {
            // NIOSSLError.handshakeFailed during the handshake, BoringSSLError after it (an
            // alert in answer to the client's Finished): both carry BoringSSL's reasons.
            let text = tlsReason("\(error)")
            if text == "CERTIFICATE_VERIFY_FAILED" { return .failure(.certificateNotVerified) }
            return .failure(text.contains("_ALERT_") ? .alert(text) : .other(text))
        }
    }

    /// Completes `promise` once with the server's leaf certificate: when the handshake
    /// completes (or, with a `request`, when the answer to it starts), with the first
    /// error, or when the connection closes before either.
    final class HandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        struct Closed: Error {}
        private var promise: EventLoopPromise<[UInt8]?>?
        private let request: String?
        private var leaf: [UInt8]?? = .none

        init(_ promise: EventLoopPromise<[UInt8]?>, request: String?) {
            self.promise = promise
            self.request = request
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted? = event as? TLSUserEvent {
                // Read now: the handler leaves the pipeline when the connection closes.
                let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate?.toDERBytes()
                leaf = .some(certificate)
                if let request {
                    context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
                } else {
                    finish(.success(certificate))
                }
            }
            context.fireUserInboundEventTriggered(event)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .some(let certificate) = leaf { finish(.success(certificate)) }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            finish(.failure(error))
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            finish(.failure(Closed()))
            context.fireChannelInactive()
        }

        private func finish(_ result: Result<[UInt8]?, any Error>) {
            promise?.completeWith(result)
            promise = nil
        }
    }
}

extension CertificateFacts {
    /// The first certificate of a PEM file (a chain starts with its own certificate).
    init(pemFile path: String) throws {
        guard let first = try NIOSSLCertificate.fromPEMFile(path).first else { throw EmptyPEM() }
        try self.init(der: try first.toDERBytes())
    }

    struct EmptyPEM: Error, CustomStringConvertible {
        var description: String { "no certificate in the file" }
    }
}
