import ControlProtocol
import DaemonSupport
import Foundation
import Glibc
import KioskMetrics
import Testing

/// The status every test server answers with.
let sampleStatus = DaemonStatus(
    version: "0.1.0", uptimeSeconds: 42, kioskId: "test-kiosk-01", mode: "resident",
    session: .init(phase: "answering"), reader: .init(name: "Madoguchi Test Reader 00 00", cardPresent: true),
    printer: .init(queue: "madoguchi-test", state: "idle", reasons: []), outbox: .init(pending: 2, deadLetters: 1, paused: false),
    backoffice: .init(reachable: true, lastSync: "2025-04-01T09:30:00Z"))

/// Answers `status` and `stats` at once; `stats` after `statsDelay`.
func testHandler(statsDelay: Duration = .zero) -> ControlServer.Handler {
    { request in
        switch request {
        case .status: return .success(.status(sampleStatus))
        case .stats:
            if statsDelay > .zero { try? await Task.sleep(for: statsDelay) }
            return .success(.stats(StatsReport()))
        default:
            return .failure(.unavailable, .init(ja: "テストでは使えません。", en: "Not in this test."))
        }
    }
}

/// Runs `body` with a server serving at `folder/control.sock`, then stops it and checks
/// that `run()` returned and removed the socket file.
func withServer(
    configuration: ControlServer.Configuration = .init(groupName: nil), handler: @escaping ControlServer.Handler = testHandler(),
    _ body: @escaping @Sendable (String) async throws -> Void
) async throws {
    let folder = makeTemporaryFolder()
    defer { removeFolder(folder) }
    let path = folder + "/control.sock"
    let server = try ControlServer(path: path, configuration: configuration, handler: handler)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        do {
            try await body(path)
        } catch {
            server.stop()
            throw error
        }
        server.stop()
        try await group.waitForAll()
    }
    #expect(access(path, F_OK) != 0, "run() removes the socket file when it returns")
}

@Suite("Control socket server", .serialized)
struct ControlServerTests {
    @Test func answersStatusThroughARealUnixSocket() async throws {
        try await withServer { path in
            // Generous: the server's handler runs on the shared pool, which the whole suite's
            // CPU-heavy tests can hold for a while on two cores; this is about the answer.
            let response = try await onThread { try ControlClient.send(.status, path: path, timeout: .seconds(60)) }
            #expect(response == .success(.status(sampleStatus)))
        }
    }

    @Test func answersSeveralRequestsOnOneConnectionInOrder() async throws {
        try await withServer { path in
            try await onThread {
                let client = try RawClient(path: path)
                try client.send("{\"command\":\"stats\"}\n{\"command\":\"status\"}\r\n")
                let first = try client.readResponse()
                let second = try client.readResponse()
                #expect(first["command"] as? String == "stats")
                #expect(second["command"] as? String == "status")
                #expect(second["ok"] as? Bool == true)
            }
        }
    }

    /// Bad lines: what the client sends, the error code, and the byte offset the English
    /// sentence must name.
    static let garbage: [(name: String, line: [UInt8], code: String, mentions: String)] = [
        ("invalid JSON", Array(#"{"command": "status""#.utf8), "invalidJSON", "at byte offset 20"),
        ("a 70 KiB line", [UInt8](repeating: UInt8(ascii: "a"), count: 70 * 1024), "requestTooLarge", "65536"),
        ("an unknown command", Array(#"{"command":"reboot"}"#.utf8), "unknownCommand", "\"reboot\""),
        ("binary", [0x7B, 0x22, 0xFF, 0xFE, 0x00, 0x01], "notUTF8", "at byte offset 2"),
        ("a number for the command", Array(#"{"command":7}"#.utf8), "wrongType", "at byte offset 11"),
        ("an array", Array(#"["status"]"#.utf8), "notAnObject", "at byte offset 0"),
        ("a retry without an id", Array(#"{"command":"queue.retry"}"#.utf8), "missingArgument", "\"id\""),
    ]

    @Test(arguments: 0..<garbage.count)
    func aBadLineGetsItsPreciseErrorAndTheConnectionKeepsBeingServed(_ index: Int) async throws {
        let bad = Self.garbage[index]
        try await withServer { path in
            try await onThread {
                let client = try RawClient(path: path)
                try client.send(bad.line + [0x0A])
                let answer = try client.readResponse()
                #expect(answer["ok"] as? Bool == false, "\(bad.name)")
                let error = try #require(answer["error"] as? [String: String], "\(bad.name)")
                #expect(error["code"] == bad.code, "\(bad.name)")
                #expect(error["en"]?.contains(bad.mentions) == true, "\(bad.name): \(error["en"] ?? "")")
                #expect(error["ja"]?.isEmpty == false, "\(bad.name)")
                // The same connection still works.
                try client.send("{\"command\":\"status\"}\n")
                #expect(try client.readResponse()["ok"] as? Bool == true, "\(bad.name)")
            }
        }
    }

    @Test func anOversizedLineIsAnsweredBeforeItEndsAndItsRestIsSkipped() async throws {
        try await withServer { path in
            try await onThread {
                let client = try RawClient(path: path)
                try client.send([UInt8](repeating: UInt8(ascii: "x"), count: 100 * 1024))
                let error = try #require(try client.readResponse()["error"] as? [String: String])
                #expect(error["code"] == "requestTooLarge")
                try client.send([UInt8](repeating: UInt8(ascii: "x"), count: 10) + Array("\n{\"command\":\"status\"}\n".utf8))
                #expect(try client.readResponse()["command"] as? String == "status")
            }
        }
    }

    @Test func aSilentClientDoesNotBlockASecondClient() async throws {
        // The silent client is not timed out during the test (60 s), so only a server that
        // serves others beside it answers the second one.
        try await withServer(configuration: .init(idleTimeout: .seconds(60), groupName: nil)) { path in
            try await onThread {
                let silent = try RawClient(path: path)
                try silent.send("{\"comm")  // and then nothing
                let started = ContinuousClock.now
                // Generous limits: the whole test suite shares two cores; the silent client
                // would hold the answer for ever, not for seconds.
                let response = try ControlClient.send(.status, path: path, timeout: .seconds(30))
                #expect(response == .success(.status(sampleStatus)))
                #expect(ContinuousClock.now - started < .seconds(30))
                _ = silent
            }
        }
    }

    @Test func aSlowHandlerDoesNotBlockOtherConnections() async throws {
        try await withServer(handler: testHandler(statsDelay: .seconds(40))) { path in
            try await onThread {
                let slow = try RawClient(path: path)
                try slow.send("{\"command\":\"stats\"}\n")
                let started = ContinuousClock.now
                // Answered well before the slow handler's 40 s, even on a busy machine.
                #expect(try ControlClient.send(.status, path: path, timeout: .seconds(30)) == .success(.status(sampleStatus)))
                #expect(ContinuousClock.now - started < .seconds(30))
                #expect(try slow.readResponse(timeout: .seconds(60))["command"] as? String == "stats")
            }
        }
    }

    @Test func aSilentClientIsToldAndDisconnectedAfterTheIdleTimeout() async throws {
        try await withServer(configuration: .init(idleTimeout: .milliseconds(300), groupName: nil)) { path in
            try await onThread {
                let silent = try RawClient(path: path)
                let error = try #require(try silent.readResponse(timeout: .seconds(20))["error"] as? [String: String])
                #expect(error["code"] == "idleTimeout")
                #expect(try silent.readLine(timeout: .seconds(20)) == nil, "then the server closes the connection")
            }
        }
    }

    @Test func aLastLineWithoutNewlineIsAnsweredWhenTheClientStopsWriting() async throws {
        try await withServer { path in
            try await onThread {
                let client = try RawClient(path: path)
                try client.send("{\"command\":\"status\"}")
                shutdown(client.descriptor, Int32(SHUT_WR))
                #expect(try client.readResponse()["ok"] as? Bool == true)
                #expect(try client.readLine() == nil)
            }
        }
    }

    @Test func theSocketFileHasMode0660() async throws {
        try await withServer { path in
            var status = stat()
            #expect(stat(path, &status) == 0)
            #expect(status.st_mode & 0o777 == 0o660)
            #expect(status.st_mode & 0o170000 == 0o140000, "it is a socket")
        }
    }

    @Test(.enabled(if: geteuid() == 0 && ControlPeerPolicy.groupID(named: "daemon") != nil))
    func asRootTheSocketFileBelongsToTheAllowedGroup() async throws {
        try await withServer(configuration: .init(groupName: "daemon")) { path in
            var status = stat()
            #expect(stat(path, &status) == 0)
            #expect(status.st_uid == 0)
            #expect(status.st_gid == ControlPeerPolicy.groupID(named: "daemon"))
        }
    }

    @Test func theThirtyThirdConnectionIsToldTheServerIsBusyAndAFreedPlaceIsServed() async throws {
        try await withServer(configuration: .init(idleTimeout: .seconds(60), groupName: nil)) { path in
            try await onThread {
                // 32 clients that said nothing yet hold every place (the default limit).
                var held = try (0..<32).map { _ in try RawClient(path: path) }
                let extra = try RawClient(path: path)
                let error = try #require(try extra.readResponse(timeout: .seconds(20))["error"] as? [String: String])
                #expect(error["code"] == "busy")
                #expect(try extra.readLine(timeout: .seconds(20)) == nil, "and is disconnected")
                // One of them leaves: the next client is served.
                held.removeLast()
                var served = false
                let deadline = ContinuousClock.now + .seconds(20)
                while !served, ContinuousClock.now < deadline {
                    served = (try? ControlClient.send(.status, path: path, timeout: .seconds(5))) == .success(.status(sampleStatus))
                    if !served { usleep(50_000) }
                }
                #expect(served)
                #expect(held.count == 31)
            }
        }
    }

    /// Runs the socket's client as `nobody` (uid 65534, no groups but `groups`), connecting
    /// to `path` and asking for the status (or, `listenOnly`, just reading): its first line
    /// back, or `EACCES`.
    static func askAsNobody(_ path: String, groups: [UInt32] = [], listenOnly: Bool = false) throws -> String {
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            try:
                s.connect(sys.argv[1])
            except PermissionError:
                print("EACCES"); sys.exit(0)
            # "ask": send the status request, then read. "listen": only read — a refused peer is
            # told at once and disconnected, and writing into a socket being closed would lose
            # the answer.
            s.settimeout(30)
            if sys.argv[2] == "ask":
                s.sendall(b'{"command":"status"}\\n')
            print(s.makefile().readline().strip())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        let groupArguments = groups.isEmpty ? ["--clear-groups"] : ["--groups=" + groups.map(String.init).joined(separator: ",")]
        process.arguments = ["--reuid=65534", "--regid=65534"] + groupArguments + ["/usr/bin/python3", "-c", script, path, listenOnly ? "listen" : "ask"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") && ControlPeerPolicy.groupID(named: "daemon") != nil))
    func anotherUserIsRefusedByTheFileModeAndThenByItsCredentialsAndTheGroupIsServed() async throws {
        let group = try #require(ControlPeerPolicy.groupID(named: "daemon"))
        // As installed (0660, root:group): another user cannot even connect.
        try await withServer(configuration: .init(groupName: "daemon")) { path in
            chmod((path as NSString).deletingLastPathComponent, 0o755)
            let answer = try await onThread { try Self.askAsNobody(path) }
            #expect(answer == "EACCES")
        }
        // Were the file open to all, the peer's credentials still keep them out…
        try await withServer(configuration: .init(groupName: "daemon", fileMode: 0o666)) { path in
            chmod((path as NSString).deletingLastPathComponent, 0o755)
            let refused = try await onThread { try Self.askAsNobody(path, listenOnly: true) }
            #expect(refused.contains(#""code":"forbidden""#), "\(refused)")
            // …and a member of the group is served.
            let member = try await onThread { try Self.askAsNobody(path, groups: [group]) }
            #expect(member.contains(#""ok":true"#), "\(member)")
        }
    }

    @Test func aStaleSocketFileIsReplaced() async throws {
        let folder = makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/control.sock"
        try makeStaleSocket(at: path)
        #expect(access(path, F_OK) == 0)
        let server = try ControlServer(path: path, configuration: .init(groupName: nil), handler: testHandler())
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            // Generous: the server's handler runs on the shared pool, which the whole suite's
            // CPU-heavy tests can hold for a while on two cores; this is about the answer.
            let response = try await onThread { try ControlClient.send(.status, path: path, timeout: .seconds(60)) }
            #expect(response == .success(.status(sampleStatus)))
            server.stop()
            try await group.waitForAll()
        }
    }

    @Test func aLiveSocketIsNotTakenOverByASecondServer() async throws {
        try await withServer { path in
            #expect(throws: ControlServerError.alreadyInUse(path: path)) {
                _ = try ControlServer(path: path, configuration: .init(groupName: nil), handler: testHandler())
            }
            // The first server still answers.
            // Generous: the server's handler runs on the shared pool, which the whole suite's
            // CPU-heavy tests can hold for a while on two cores; this is about the answer.
            let response = try await onThread { try ControlClient.send(.status, path: path, timeout: .seconds(60)) }
            #expect(response == .success(.status(sampleStatus)))
        }
    }

    @Test func aFileThatIsNotASocketIsLeftAlone() throws {
        let folder = makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/control.sock"
        _ = FileManager.default.createFile(atPath: path, contents: Data("keep me".utf8))
        #expect(throws: ControlServerError.notASocket(path: path)) {
            _ = try ControlServer(path: path, configuration: .init(groupName: nil), handler: testHandler())
        }
        #expect(FileManager.default.contents(atPath: path) == Data("keep me".utf8))
    }

    @Test func aMissingFolderIsReportedAsSuch() {
        let path = "/tmp/madoguchi-no-such-folder-\(getpid())/control.sock"
        #expect(throws: ControlServerError.folderMissing(path: path)) {
            _ = try ControlServer(path: path, configuration: .init(groupName: nil), handler: testHandler())
        }
    }

    @Test func cancellingTheTaskStopsTheServerAndRemovesTheFile() async throws {
        let folder = makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/control.sock"
        let server = try ControlServer(path: path, configuration: .init(groupName: nil), handler: testHandler())
        let task = Task { try await server.run() }
        let response = try await onThread { try ControlClient.send(.status, path: path, timeout: .seconds(20)) }
        #expect(response == .success(.status(sampleStatus)))
        task.cancel()
        try await task.value
        #expect(access(path, F_OK) != 0)
        #expect(throws: ControlClientError.noDaemon(path: path)) { try ControlClient.send(.status, path: path) }
    }

    @Test func aServerStoppedBeforeRunningReturnsAtOnceAndCleansUp() async throws {
        let folder = makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/control.sock"
        let server = try ControlServer(path: path, configuration: .init(groupName: nil), handler: testHandler())
        server.stop()
        try await server.run()
        #expect(access(path, F_OK) != 0)
    }

    @Test func theClientReportsNoDaemonDistinctly() throws {
        let folder = makeTemporaryFolder()
        defer { removeFolder(folder) }
        let missing = folder + "/missing.sock"
        #expect(throws: ControlClientError.noDaemon(path: missing)) { try ControlClient.send(.status, path: missing) }
        let stale = folder + "/stale.sock"
        try makeStaleSocket(at: stale)
        #expect(throws: ControlClientError.noDaemon(path: stale)) { try ControlClient.send(.status, path: stale) }
        let message = ControlClientError.noDaemon(path: missing).message
        #expect(message.ja.contains("madoguchid が動いていません"))
        #expect(message.en.contains("madoguchid is not running"))
    }

    @Test func theSocketPathComesFromTheEnvironmentOrTheDefault() {
        #expect(ControlSocket.path(environment: [:]) == "/run/madoguchi/control.sock")
        #expect(ControlSocket.path(environment: ["MADOGUCHI_CONTROL_SOCKET": ""]) == "/run/madoguchi/control.sock")
        #expect(ControlSocket.path(environment: ["MADOGUCHI_CONTROL_SOCKET": "/tmp/x.sock"]) == "/tmp/x.sock")
    }
}

@Suite("Who may use the control socket")
struct ControlPeerPolicyTests {
    let policy = ControlPeerPolicy(serverUserID: 990, allowedGroupID: 991)

    @Test func rootTheDaemonsUserAndTheGroupAreAllowed() {
        let never: (Int32) -> [UInt32] = { _ in Issue.record("not asked"); return [] }
        #expect(policy.allows(PeerCredentials(processID: 1, userID: 0, groupID: 0), supplementaryGroups: never))
        #expect(policy.allows(PeerCredentials(processID: 1, userID: 990, groupID: 5), supplementaryGroups: never))
        #expect(policy.allows(PeerCredentials(processID: 1, userID: 1000, groupID: 991), supplementaryGroups: never))
        #expect(policy.allows(PeerCredentials(processID: 1, userID: 1000, groupID: 1000)) { _ in [27, 991] })
    }

    @Test func anyoneElseIsRefused() {
        #expect(!policy.allows(PeerCredentials(processID: 1, userID: 1000, groupID: 1000)) { _ in [27, 100] })
        let noGroup = ControlPeerPolicy(serverUserID: 990, allowedGroupID: nil)
        #expect(!noGroup.allows(PeerCredentials(processID: 1, userID: 1000, groupID: 991)) { _ in [991] })
    }

    @Test func supplementaryGroupsAreReadFromProcStatus() {
        let text = "Name:\tmadoguchi\nUid:\t1000\t1000\t1000\t1000\nGroups:\t24 27 991 \nNgid:\t0\n"
        #expect(PeerCredentials.groups(fromProcessStatus: text) == [24, 27, 991])
        #expect(PeerCredentials.groups(fromProcessStatus: "Groups:\n") == [])
        // This process's own line parses (whatever its groups are).
        _ = PeerCredentials.supplementaryGroups(ofProcess: getpid())
    }
}
