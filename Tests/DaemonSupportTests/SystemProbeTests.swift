import DaemonSupport
import Testing

/// The system probes `madoguchi diag` uses, on this machine: answers, not latency.
@Suite("SystemProbe: clock, disk, DNS and TCP for diagnostics")
struct SystemProbeTests {
    @Test func theKernelAnswersWhetherTheClockIsSynchronised() {
        #expect(SystemProbe.clockSynchronized() != nil)
    }

    @Test func freeSpaceIsKnownForAFolderAndNilForAMissingOne() {
        #expect((SystemProbe.availableBytes(at: "/tmp") ?? 0) > 0)
        #expect(SystemProbe.availableBytes(at: "/no/such/folder/for/madoguchi") == nil)
    }

    @Test func localhostResolvesAndAnInvalidNameFailsAtTheResolver() throws {
        let addresses = try SystemProbe.resolve(host: "localhost", port: 80).get()
        #expect(addresses.contains("127.0.0.1") || addresses.contains("::1"), "\(addresses)")
        guard case .failure(let failure) = SystemProbe.resolve(host: "no-such-host.invalid", port: 80) else {
            Issue.record("an .invalid name resolved")
            return
        }
        #expect(failure.step == "getaddrinfo")
    }

    @Test func aClosedPortFailsAtConnect() throws {
        guard case .failure(let failure) = SystemProbe.connect(host: "127.0.0.1", port: 1, timeout: .seconds(2)) else {
            Issue.record("port 1 accepted a connection")
            return
        }
        #expect(failure.step == "connect" && failure.reason.contains("errno"), "\(failure)")
    }
}
