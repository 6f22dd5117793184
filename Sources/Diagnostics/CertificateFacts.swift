#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import X509

/// What `madoguchi diag` shows of a certificate (the back office's, or the kiosk's own
/// client certificate): its validity, subject, issuer and names. Read with
/// swift-certificates, which rejects malformed DER with an error; nothing else of it is
/// kept.
public struct CertificateFacts: Sendable, Hashable {
    public var notBefore: Date
    public var notAfter: Date
    /// `CN=backoffice.example.lg.jp`, as RFC 4514 writes a distinguished name.
    public var subject: String
    public var issuer: String
    /// The subject alternative names a host is checked against: `DNS:…` and `IP:…`.
    public var names: [String]

    /// Reads one DER-encoded certificate; throws swift-certificates' error for anything else.
    public init(der: [UInt8]) throws {
        let certificate = try Certificate(derEncoded: der)
        notBefore = certificate.notValidBefore
        notAfter = certificate.notValidAfter
        subject = String(describing: certificate.subject)
        issuer = String(describing: certificate.issuer)
        names = []
        for name in (try certificate.extensions.subjectAlternativeNames) ?? SubjectAlternativeNames() {
            switch name {
            case .dnsName(let dns): names.append("DNS:" + dns)
            case .ipAddress(let octets): names.append("IP:" + Self.address(Array(octets.bytes)))
            default: continue
            }
        }
    }

    /// The certificate's dates at `now`.
    public func timing(at now: Date) -> CertificateTiming {
        CertificateTiming(notBefore: notBefore, notAfter: notAfter, now: now)
    }

    /// An iPAddress name: 4 bytes in dotted decimal, 16 as RFC 5952 writes IPv6 (lower-case
    /// hex, the longest run of two or more zero groups as `::`); any other length in hex.
    public static func address(_ bytes: [UInt8]) -> String {
        switch bytes.count {
        case 4:
            return bytes.map(String.init).joined(separator: ".")
        case 16:
            let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            var best = (start: -1, length: 0)
            var index = 0
            while index < 8 {
                guard groups[index] == 0 else {
                    index += 1
                    continue
                }
                var end = index
                while end < 8, groups[end] == 0 { end += 1 }
                if end - index > best.length, end - index >= 2 { best = (index, end - index) }
                index = end
            }
            let text = groups.map { String($0, radix: 16) }
            guard best.start >= 0 else { return text.joined(separator: ":") }
            let head = text[..<best.start].joined(separator: ":")
            let tail = text[(best.start + best.length)...].joined(separator: ":")
            return head + "::" + tail
        default:
            return bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }
}

/// BoringSSL's reason codes in an error's text (`TLSV1_ALERT_UNKNOWN_CA`,
/// `CERTIFICATE_VERIFY_FAILED`), without the library's source paths and numbers that
/// surround them; the text itself when it has none.
public func tlsReason(_ text: String) -> String {
    var reasons: [String] = []
    // Each piece after the first begins right after a marker.
    for piece in text.split(separator: "OPENSSL_internal:", omittingEmptySubsequences: false).dropFirst() {
        let code = String(piece.prefix { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        if !code.isEmpty, !reasons.contains(code) { reasons.append(code) }
    }
    return reasons.isEmpty ? text : reasons.joined(separator: ", ")
}
