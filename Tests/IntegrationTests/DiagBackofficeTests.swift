import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `madoguchi diag`'s back-office steps against the reference receiver over real HTTPS,
/// with certificates made by openssl for each case: the server's certificate trusted,
/// expiring, expired, not yet valid, from a stranger's CA or for another name; the kiosk's
/// token right, wrong or another kiosk's; mutual TLS with the kiosk's own certificate.
/// Only the receiver is needed (no pcscd, no cupsd): the kiosk names a reader that is not
/// there, so diag never touches a card.
@Suite("madoguchi diag: the back office's TLS and authentication", .serialized)
struct DiagBackofficeTests {
    /// A CA for the back office and the kiosks, another CA nobody here trusts, and
    /// certificates issued on demand with any validity (`openssl ca`, which takes dates).
    struct Certificates {
        let directory: String

        init(directory: String) throws {
            self.directory = directory
            try Self.shell(
                #"""
                set -e
                for ca in ca other; do
                  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $ca.key 2>/dev/null
                  mkdir -p $ca.db; touch $ca.db/index.txt; echo 1000 > $ca.db/serial
                done
                openssl req -x509 -new -key ca.key -out ca.pem -days 3650 -subj "/CN=Madoguchi Test Back-office CA" 2>/dev/null
                openssl req -x509 -new -key other.key -out other.pem -days 3650 -subj "/CN=Somebody Else's CA" 2>/dev/null
                """#, in: directory)
        }

        func path(_ name: String) -> String { directory + "/" + name }

        /// `name.pem` and `name.key` (0600), issued by `ca` to `subject`, valid from `from`
        /// to `to` days from now, with `extensions` (subjectAltName, extendedKeyUsage).
        func issue(
            _ name: String, by ca: String = "ca", subject: String = "127.0.0.1", from: Double = -1, to: Double,
            extensions: String = "subjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth"
        ) throws {
            let config = """
                [ca]
                default_ca = issuer
                [issuer]
                database = \(ca).db/index.txt
                new_certs_dir = \(ca).db
                serial = \(ca).db/serial
                default_md = sha256
                policy = anything
                unique_subject = no
                copy_extensions = none
                [anything]
                commonName = supplied
                [leaf]
                \(extensions)

                """
            try config.write(toFile: path(name + ".cnf"), atomically: true, encoding: .utf8)
            try Self.shell(
                """
                set -e
                openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out \(name).key 2>/dev/null
                chmod 600 \(name).key
                openssl req -new -key \(name).key -out \(name).csr -subj "/CN=\(subject)" 2>/dev/null
                openssl ca -batch -config \(name).cnf -cert \(ca).pem -keyfile \(ca).key -in \(name).csr -out \(name).pem -notext \
                  -startdate \(Self.openSSLDate(from)) -enddate \(Self.openSSLDate(to)) -extensions leaf 2>/dev/null
                """, in: directory)
        }

        /// Now plus `days`, as `openssl ca` takes it: YYYYMMDDHHMMSSZ.
        static func openSSLDate(_ days: Double) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMddHHmmss'Z'"
            return formatter.string(from: Date().addingTimeInterval(days * 86_400))
        }

        /// Runs a bash script in `directory` (quietly); throws when it fails. The sync tests'
        /// PKI is made with it too.
        static func shell(_ script: String, in directory: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", script]
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw SyncTests.Failure("openssl could not make the test certificates") }
        }
    }

    /// A scratch folder with the certificates, the kiosk's token file and configuration.
    struct Bench {
        let directory: String
        let certificates: Certificates
        var config: String { directory + "/madoguchi.toml" }

        init() throws {
            directory = NSTemporaryDirectory() + "diag-backoffice-" + UUID().uuidString.prefix(8)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            certificates = try Certificates(directory: directory)
            try token(Receiver.token)
        }

        /// Writes the kiosk's token file (0600).
        func token(_ token: String) throws {
            let file = directory + "/token"
            try (token + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o600)
        }

        /// The configuration: kiosk kasumi-honcho-01, a reader that is not there, no
        /// printer, and `[backoffice]` at `url` trusting the test CA, with the token, or
        /// with the client certificate `client` (mutual TLS).
        func configure(url: String, client: String? = nil) throws {
            let credential =
                client.map {
                    "auth = \"mtls\"\nclientCertificate = \"\(certificates.path($0 + ".pem"))\"\nclientKeyFile = \"\(certificates.path($0 + ".key"))\""
                } ?? "auth = \"bearer\"\ntokenFile = \"\(directory)/token\""
            try """
                [kiosk]
                id = "kasumi-honcho-01"
                devicesDirectory = "\(ServicesEnvironment.packageRoot.path)/Devices"
                stateDirectory = "\(directory)"

                [display]
                renderer = "terminal"

                [input]
                touch = "none"
                keyboard = "none"

                [reader]
                match = "No Such Reader (diag back-office tests)"

                [outbox]
                path = "\(directory)/outbox.sqlite"
                keyFile = "\(directory)/outbox.key"
                minFreeMegabytes = 1

                [backoffice]
                url = "\(url)"
                \(credential)
                caFile = "\(certificates.path("ca.pem"))"

                """.write(toFile: config, atomically: true, encoding: .utf8)
        }

        /// `madoguchi diag --json`: the back office's checks by id, in order, and the whole
        /// output (to look for what must not be in it).
        func diag() async throws -> (checks: [(id: String, check: [String: Any])], output: String) {
            let result = try await ProgramRunner.run(
                "madoguchi", ["diag", "--json", "--config", config], environment: ["MADOGUCHI_CONTROL_SOCKET": directory + "/no-daemon.sock"],
                timeout: 60)
            try DeviceTests.DiagCommandTests.expectConforms(result.standardOutput)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            let sections = document["sections"] as? [[String: Any]] ?? []
            let backoffice = try #require(sections.first { $0["id"] as? String == "backoffice" }, "\(result.standardOutput)")
            let checks = (backoffice["checks"] as? [[String: Any]] ?? []).map { (id: $0["id"] as? String ?? "?", check: $0) }
            return (checks, result.standardOutput + result.standardError)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Runs `body` with a receiver serving HTTPS with the certificate `server` (and, with
    /// `clientCA`, asking kiosks for certificates of that CA).
    static func withReceiver(_ bench: Bench, server: String, clientCA: Bool = false, _ body: (Receiver) async throws -> Void) async throws {
        let directory = bench.directory + "/receiver-" + server
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var options = ["--tls-certificate", bench.certificates.path(server + ".pem"), "--tls-key", bench.certificates.path(server + ".key")]
        if clientCA { options += ["--client-ca", bench.certificates.path("ca.pem")] }
        let receiver = try await Receiver(directory: directory, options: options)
        defer { receiver.server.stop() }
        try await body(receiver)
    }

    typealias Checks = [(id: String, check: [String: Any])]

    static func check(_ checks: Checks, _ id: String) -> [String: Any] { checks.first { $0.id == id }?.check ?? [:] }
    static func mark(_ checks: Checks, _ id: String) -> String? { check(checks, id)["mark"] as? String }
    static func english(_ checks: Checks, _ id: String) -> String { check(checks, id)["en"] as? String ?? "" }
    static func next(_ checks: Checks, _ id: String) -> String {
        guard let next = check(checks, id)["next"] as? [String: String] else { return "" }
        return "\(next["ja"] ?? "") \(next["en"] ?? "")"
    }

    @Test func aTrustedCertificateForAYearAndTheKiosksTokenPassEveryStepWithTheRoundTripTime() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        try bench.certificates.issue("server", to: 365)
        try await Self.withReceiver(bench, server: "server") { receiver in
            try bench.configure(url: receiver.url)
            let (checks, output) = try await bench.diag()
            #expect(checks.map(\.id) == ["dns", "tcp", "credentials", "tls", "health", "auth"])
            #expect(checks.allSatisfy { $0.check["mark"] as? String == "ok" }, "\(checks)")
            let tls = Self.english(checks, "tls")
            #expect(tls.contains("is trusted and valid until") && tls.contains("(364 days") && tls.contains("Madoguchi Test Back-office CA"), "\(tls)")
            #expect(Self.english(checks, "auth").contains("accepts this kiosk's credentials (bearer; 200, round trip"), "\(Self.english(checks, "auth"))")
            #expect(!output.contains(Receiver.token))
        }
    }

    @Test func aServerCertificateExpiringInTenDaysIsAWarningToRenewAndTheLaterStepsStillRun() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        try bench.certificates.issue("soon", from: -355, to: 10)
        try await Self.withReceiver(bench, server: "soon") { receiver in
            try bench.configure(url: receiver.url)
            let (checks, _) = try await bench.diag()
            #expect(Self.mark(checks, "tls") == "warning", "\(checks)")
            #expect(Self.english(checks, "tls").contains("(9 days left)"), "\(Self.english(checks, "tls"))")
            #expect(Self.next(checks, "tls").contains("renew"))
            #expect(Self.mark(checks, "health") == "ok" && Self.mark(checks, "auth") == "ok")
        }
    }

    @Test func anExpiredServerCertificateFailsSaysWhenAndSuggestsCheckingTheClock() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        try bench.certificates.issue("expired", from: -400, to: -2)
        try await Self.withReceiver(bench, server: "expired") { receiver in
            try bench.configure(url: receiver.url)
            let (checks, _) = try await bench.diag()
            #expect(Self.mark(checks, "tls") == "failure", "\(checks)")
            #expect(Self.english(checks, "tls").contains("expired on " + Self.day(-2)), "\(Self.english(checks, "tls"))")
            #expect(Self.next(checks, "tls").contains("renew") && Self.next(checks, "tls").contains("timedatectl status"))
            #expect(checks.last?.id == "tls", "the later steps are not tried")
        }
    }

    @Test func aServerCertificateNotYetValidFailsAndPointsAtTheClockFirst() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        try bench.certificates.issue("future", from: 3, to: 400)
        try await Self.withReceiver(bench, server: "future") { receiver in
            try bench.configure(url: receiver.url)
            let (checks, _) = try await bench.diag()
            #expect(Self.mark(checks, "tls") == "failure", "\(checks)")
            #expect(Self.english(checks, "tls").contains("is valid only from " + Self.day(3)))
            let next = Self.next(checks, "tls")
            #expect(next.contains("Check this kiosk's clock first") && next.contains("If the clock is right"), "\(next)")
        }
    }

    @Test func aServerCertificateFromAnotherCAFailsAsNotTrustedAndNamesItsIssuer() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        try bench.certificates.issue("stranger", by: "other", to: 365)
        try await Self.withReceiver(bench, server: "stranger") { receiver in
            try bench.configure(url: receiver.url)
            let (checks, _) = try await bench.diag()
            #expect(Self.mark(checks, "tls") == "failure", "\(checks)")
            let text = Self.english(checks, "tls")
            #expect(text.contains("is not trusted") && text.contains("Somebody Else's CA") && text.contains("[backoffice] caFile"), "\(text)")
            #expect(Self.next(checks, "tls").contains("put it in [backoffice] caFile"))
            #expect(!text.contains("expired") && !text.contains("does not name"))
        }
    }

    @Test func aServerCertificateForAnotherNameFailsAsANameMismatchListingItsNames() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        try bench.certificates.issue(
            "misnamed", subject: "backoffice.example.lg.jp", to: 365,
            extensions: "subjectAltName = DNS:backoffice.example.lg.jp\nextendedKeyUsage = serverAuth")
        try await Self.withReceiver(bench, server: "misnamed") { receiver in
            try bench.configure(url: receiver.url)
            let (checks, _) = try await bench.diag()
            #expect(Self.mark(checks, "tls") == "failure", "\(checks)")
            #expect(Self.english(checks, "tls").contains("does not name 127.0.0.1 (it names DNS:backoffice.example.lg.jp)"), "\(Self.english(checks, "tls"))")
            #expect(Self.next(checks, "tls").contains("[backoffice] url"))
        }
    }

    @Test func aWrongTokenFailsAuthWith401AndSaysHowToResumeSending() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        try bench.certificates.issue("server", to: 365)
        let wrong = "wrong-token-that-no-receiver-knows"
        try bench.token(wrong)
        try await Self.withReceiver(bench, server: "server") { receiver in
            try bench.configure(url: receiver.url)
            let (checks, output) = try await bench.diag()
            #expect(Self.mark(checks, "health") == "ok", "health needs no credential")
            #expect(Self.mark(checks, "auth") == "failure", "\(checks)")
            #expect(Self.english(checks, "auth").contains("refused this kiosk's credentials (bearer; 401)"))
            let next = Self.next(checks, "auth")
            #expect(next.contains("[backoffice] tokenFile") && next.contains("madoguchi queue retry --all"), "\(next)")
            #expect(!output.contains(wrong))
        }
    }

    @Test func anotherKiosksTokenIsAcceptedButFailsAuthBecauseSubmissionsWouldBeRefused() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        try bench.certificates.issue("server", to: 365)
        try bench.token("other-kiosk-token")
        try await Self.withReceiver(bench, server: "server") { receiver in
            try bench.configure(url: receiver.url)
            let (checks, _) = try await bench.diag()
            #expect(Self.mark(checks, "auth") == "failure", "\(checks)")
            #expect(Self.english(checks, "auth").contains("as kiosk minato-shisho-02's, but this kiosk is kasumi-honcho-01"))
        }
    }

    @Test func mutualTLSWithTheKiosksCertificatePassesAndOneExpiringSoonWarns() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        try bench.certificates.issue("server", to: 365)
        let client = "extendedKeyUsage = clientAuth"
        try bench.certificates.issue("kasumi", subject: "kasumi-honcho-01", to: 200, extensions: client)
        try bench.certificates.issue("kasumi-soon", subject: "kasumi-honcho-01", from: -300, to: 5, extensions: client)
        try bench.certificates.issue("kasumi-expired", subject: "kasumi-honcho-01", from: -300, to: -1, extensions: client)
        try bench.certificates.issue("stranger", by: "other", subject: "kasumi-honcho-01", to: 200, extensions: client)
        try await Self.withReceiver(bench, server: "server", clientCA: true) { receiver in
            try bench.configure(url: receiver.url, client: "kasumi")
            var (checks, _) = try await bench.diag()
            #expect(checks.map(\.id) == ["dns", "tcp", "credentials", "client-certificate", "tls", "health", "auth"])
            #expect(checks.allSatisfy { $0.check["mark"] as? String == "ok" }, "\(checks)")
            #expect(Self.english(checks, "client-certificate").contains("(CN=kasumi-honcho-01) is valid until"))
            #expect(Self.english(checks, "auth").contains("(mtls; 200"))

            try bench.configure(url: receiver.url, client: "kasumi-soon")
            (checks, _) = try await bench.diag()
            #expect(Self.mark(checks, "client-certificate") == "warning", "\(checks)")
            #expect(Self.english(checks, "client-certificate").contains("(4 days left)"))
            #expect(Self.next(checks, "client-certificate").contains("new client certificate"))
            #expect(Self.mark(checks, "auth") == "ok", "still accepted until it expires")

            try bench.configure(url: receiver.url, client: "kasumi-expired")
            (checks, _) = try await bench.diag()
            #expect(Self.mark(checks, "client-certificate") == "failure", "\(checks)")
            #expect(Self.next(checks, "client-certificate").contains("timedatectl status"))
            #expect(checks.last?.id == "client-certificate")

            // The right name from a CA the receiver does not trust: the receiver's alert.
            try bench.configure(url: receiver.url, client: "stranger")
            (checks, _) = try await bench.diag()
            #expect(Self.mark(checks, "client-certificate") == "ok")
            #expect(Self.mark(checks, "tls") == "failure", "\(checks)")
            #expect(Self.english(checks, "tls").contains("alert (TLSV1_ALERT_UNKNOWN_CA): it does not accept this kiosk's client certificate"))
            #expect(Self.next(checks, "tls").contains("[backoffice] clientCertificate") && Self.next(checks, "tls").contains("madoguchi queue retry --all"))
        }
    }

    @Test func anHTTPSURLToAPortThatSpeaksPlainHTTPFailsAtTheTLSStep() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        try await DeviceTests.KioskDaemonTests.withReceiver { receiver in
            try bench.configure(url: "https://127.0.0.1:\(receiver.port)")
            let (checks, _) = try await bench.diag()
            #expect(Self.mark(checks, "tcp") == "ok")
            #expect(Self.mark(checks, "tls") == "failure", "\(checks)")
            #expect(Self.english(checks, "tls").contains("No TLS handshake with 127.0.0.1:\(receiver.port) (WRONG_VERSION_NUMBER)"), "\(Self.english(checks, "tls"))")
            #expect(Self.next(checks, "tls").contains("HTTPS port"))
        }
    }

    @Test func whoamiNamesTheCredentialsKioskAndAnswers401WithoutOneStoringNothing() async throws {
        let directory = NSTemporaryDirectory() + "whoami-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let receiver = try await Receiver(directory: directory)
        defer { receiver.server.stop() }
        func get(_ authorization: String?, method: HTTPMethod = .GET) async throws -> (status: Int, type: String, body: String, allow: String) {
            var request = HTTPClientRequest(url: receiver.url + "/v1/whoami")
            request.method = method
            if let authorization { request.headers.add(name: "Authorization", value: authorization) }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
            return (Int(response.status.code), response.headers.first(name: "Content-Type") ?? "", body, response.headers.first(name: "Allow") ?? "")
        }
        var answer = try await get("Bearer \(Receiver.token)")
        #expect(answer.status == 200 && answer.type == "application/json" && answer.body == "{\"kiosk\":\"kasumi-honcho-01\"}\n")
        answer = try await get("Bearer other-kiosk-token")
        #expect(answer.status == 200 && answer.body == "{\"kiosk\":\"minato-shisho-02\"}\n")
        answer = try await get("Bearer not-a-token-it-knows")
        #expect(answer.status == 401 && answer.type == "application/problem+json" && answer.body.contains("not one this receiver knows"))
        answer = try await get(nil)
        #expect(answer.status == 401 && answer.body.contains("No Authorization header"))
        answer = try await get("Bearer \(Receiver.token)", method: .POST)
        #expect(answer.status == 405 && answer.allow == "GET")
        #expect(try receiver.stored().rows == 0)
    }

    /// Now plus `days`, as diag shows dates (to the minute, so a test compares the day only).
    static func day(_ days: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(days * 86_400))
    }
}
