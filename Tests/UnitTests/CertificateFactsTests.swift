import Diagnostics
import Foundation
import Testing

/// What `madoguchi diag` reads from a certificate's DER: its dates, subject, issuer and
/// names, and a precise error (never a crash) for anything that is not a certificate.
@Suite("madoguchi diag: reading a certificate")
struct CertificateFactsTests {
    /// A server certificate made once with openssl: CN=backoffice.example.lg.jp from
    /// CN=Test CA, valid 2026-01-01 to 2027-01-01 (UTC), named DNS:backoffice.example.lg.jp,
    /// IP:192.0.2.10 and IP:2001:db8::1.
    static let der = Array(
        Data(
            base64Encoded: """
                MIIBxjCCAWugAwIBAgICEAQwCgYIKoZIzj0EAwIwEjEQMA4GA1UEAwwHVGVzdCBDQTAeFw0yNjAxMDEwMDAwMDBaFw0yNzAx\
                MDEwMDAwMDBaMCMxITAfBgNVBAMMGGJhY2tvZmZpY2UuZXhhbXBsZS5sZy5qcDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IA\
                BNH2SnK4GkDd/J9K0ZecRIZ+GwSo7BttqDfDfUCCvOwlHj/Bu1FKmsHPCxHxqmVe0Rr5Bak9IV7zit5rywuH+RSjgZ8wgZww\
                OwYDVR0RBDQwMoIYYmFja29mZmljZS5leGFtcGxlLmxnLmpwhwTAAAIKhxAgAQ24AAAAAAAAAAAAAAABMB0GA1UdJQQWMBQG\
                CCsGAQUFBwMBBggrBgEFBQcDAjAdBgNVHQ4EFgQUnruqY9h/mdavGrwhfo2uwwrQAEkwHwYDVR0jBBgwFoAUQsFmizIDiyan\
                8YZCPDCbRuEK4PcwCgYIKoZIzj0EAwIDSQAwRgIhAPt8NVpmG9czQCCgjl8uvBcbG4pQZayu+8ltU1IlBIkuAiEAr8umSiat\
                ZzvRv9jjxJBYN83K/fmnKhSNgaehcfewwMw=
                """)!)

    @Test func aServerCertificateGivesItsDatesNamesSubjectAndIssuer() throws {
        let facts = try CertificateFacts(der: Self.der)
        #expect(facts.notBefore == Date(timeIntervalSince1970: 1_767_225_600))
        #expect(facts.notAfter == Date(timeIntervalSince1970: 1_798_761_600))
        #expect(facts.subject == "CN=backoffice.example.lg.jp")
        #expect(facts.issuer == "CN=Test CA")
        #expect(facts.names == ["DNS:backoffice.example.lg.jp", "IP:192.0.2.10", "IP:2001:db8::1"])
        #expect(facts.timing(at: Date(timeIntervalSince1970: 1_798_761_600 - 86_400 * 10)).mark == .warning)
        #expect(facts.timing(at: Date(timeIntervalSince1970: 1_798_761_601)).mark == .failure)
    }

    @Test(arguments: [
        ("empty", [UInt8]()), ("not DER", Array("-----BEGIN CERTIFICATE-----".utf8)), ("a lone SEQUENCE tag", [0x30]),
        ("truncated", Array(der.prefix(200))), ("trailing bytes", der + [0x00]), ("an empty SEQUENCE", [0x30, 0x00]),
    ])
    func anythingElseIsAnErrorNotACrash(_ name: String, _ bytes: [UInt8]) {
        #expect(throws: (any Error).self, "\(name)") { try CertificateFacts(der: bytes) }
    }

    @Test func everyPrefixOfTheCertificateIsRejected() {
        for length in 0..<Self.der.count {
            #expect(throws: (any Error).self, "\(length) bytes") { try CertificateFacts(der: Array(Self.der.prefix(length))) }
        }
    }

    @Test(arguments: [
        ([192, 0, 2, 10], "192.0.2.10"),
        ([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], "2001:db8::1"),
        ([UInt8](repeating: 0, count: 15) + [1], "::1"),
        ([UInt8](repeating: 0, count: 16), "::"),
        ([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], "2001:db8:0:1::1"),
        ([0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], "2001:0:0:1::1"),
        ([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], "2001:db8:0:1:1:1:1:1"),
        ([10, 0, 0, 1, 255, 255, 255, 0], "0a000001ffffff00"),
    ] as [([UInt8], String)])
    func addressesShowAsPeopleWriteThem(_ bytes: [UInt8], _ text: String) {
        #expect(CertificateFacts.address(bytes) == text)
    }

    @Test func tlsErrorsShowBoringSSLsReasonsWithoutTheLibrarysPaths() {
        let text =
            "sslError([Error: 268436504 error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA at /x/ssl/tls_record.cc:491])"
        #expect(tlsReason(text) == "TLSV1_ALERT_UNKNOWN_CA")
        #expect(tlsReason(text + text.replacingOccurrences(of: "TLSV1_ALERT_UNKNOWN_CA", with: "CERTIFICATE_VERIFY_FAILED"))
            == "TLSV1_ALERT_UNKNOWN_CA, CERTIFICATE_VERIFY_FAILED")
        #expect(tlsReason("connection refused (errno: 111)") == "connection refused (errno: 111)")
        #expect(tlsReason("OPENSSL_internal:") == "OPENSSL_internal:")
    }
}
