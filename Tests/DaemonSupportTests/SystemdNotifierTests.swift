import DaemonSupport
import Foundation
import Glibc
import Testing

@Suite("sd_notify without libsystemd")
struct SystemdNotifierTests {
    @Test func eachMessageArrivesAsOneDatagramAtAPathSocket() throws {
        let folder = makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/notify"
        let receiver = try DatagramReceiver(address: path)
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": path]))

        #expect(notifier.ready(status: "受付中 / Serving"))
        #expect(try receiver.receive() == "READY=1\nSTATUS=受付中 / Serving")
        #expect(notifier.status("line one\nline two"))
        #expect(try receiver.receive() == "STATUS=line one line two", "a newline cannot start another assignment")
        #expect(notifier.watchdog())
        #expect(try receiver.receive() == "WATCHDOG=1")
        #expect(notifier.stopping())
        #expect(try receiver.receive() == "STOPPING=1")
        #expect(notifier.reloading())
        let reloading = try receiver.receive()
        #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        #expect(UInt64(reloading.dropFirst("RELOADING=1\nMONOTONIC_USEC=".count)).map { $0 > 0 } == true)
    }

    @Test func anAbstractNamespaceSocketIsReachedThroughAnAt() throws {
        let name = "@madoguchi-notify-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let receiver = try DatagramReceiver(address: name)
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": name]))
        #expect(notifier.ready())
        #expect(try receiver.receive() == "READY=1")
    }

    @Test func withoutNotifySocketThereIsNoNotifier() {
        #expect(SystemdNotifier(environment: [:]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": ""]) == nil)
    }

    @Test func aFailedSendReturnsFalseAndThrowsWithTheSocketAndErrno() {
        let notifier = SystemdNotifier(socketAddress: "/tmp/madoguchi-no-such-notify-socket-\(getpid())")
        #expect(!notifier.ready())
        #expect(throws: SystemdNotifierError.sendFailed(socket: notifier.socketAddress, errno: ENOENT)) {
            try notifier.notify("READY=1")
        }
        #expect(throws: SystemdNotifierError.unsupportedAddress("vsock:2:1234")) {
            try SystemdNotifier(socketAddress: "vsock:2:1234").notify("READY=1")
        }
        #expect(!SystemdNotifier(socketAddress: "/" + String(repeating: "x", count: 200)).watchdog())
    }

    @Test(arguments: [
        (["WATCHDOG_USEC": "30000000"], Duration?.some(.seconds(30))),
        (["WATCHDOG_USEC": "500000", "WATCHDOG_PID": "4242"], .some(.milliseconds(500))),
        (["WATCHDOG_USEC": "500000", "WATCHDOG_PID": "1"], nil),
        (["WATCHDOG_USEC": "500000", "WATCHDOG_PID": "not a pid"], nil),
        (["WATCHDOG_USEC": "0"], nil),
        (["WATCHDOG_USEC": "-5"], nil),
        (["WATCHDOG_USEC": "30s"], nil),
        ([:], nil),
    ])
    func theWatchdogIntervalComesFromWatchdogUsecForThisProcessOnly(_ environment: [String: String], _ expected: Duration?) {
        #expect(SystemdNotifier.watchdogInterval(environment: environment, processID: 4242) == expected)
    }

    @Test func theWatchdogPidIsComparedWithThisProcessByDefault() {
        let environment = ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": String(getpid())]
        #expect(SystemdNotifier.watchdogInterval(environment: environment) == .seconds(1))
    }
}
