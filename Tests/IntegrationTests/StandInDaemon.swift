import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A stand-in for madoguchid on a control socket: answers every request with one
/// daemon-status document, so a CLI's "is the daemon there, and what does it say" paths
/// test without a kiosk session.
enum StandInDaemon {
    /// Runs `body` with the stand-in listening on `control.sock` in `directory` (its path is
    /// passed to `body`), answering with `status`; the stand-in is killed afterwards.
    static func run(in directory: String, status: String, _ body: (String) async throws -> Void) async throws {
        let socket = directory + "/control.sock"
        let statusFile = directory + "/status.json"
        try status.write(toFile: statusFile, atomically: true, encoding: .utf8)
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        daemon.arguments = [
            "-c",
            """
            import json, socket, sys
            result = json.load(open(sys.argv[2]))
            server = socket.socket(socket.AF_UNIX)
            server.bind(sys.argv[1])
            server.listen(4)
            while True:
                client, _ = server.accept()
                client.recv(65536)
                client.sendall((json.dumps({"ok": True, "command": "status", "result": result}) + "\\n").encode())
                client.close()
            """,
            socket, statusFile,
        ]
        try daemon.run()
        defer {
            // SIGKILL: the test process's blocked signals carry over to its children.
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while !FileManager.default.fileExists(atPath: socket), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        try await body(socket)
    }

    /// The schema's example status of a daemon in the middle of a session.
    static var answering: String {
        get throws {
            try String(contentsOfFile: ServicesEnvironment.packageRoot.path + "/schemas/examples/daemon-status/valid/answering.json", encoding: .utf8)
        }
    }
}
