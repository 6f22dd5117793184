import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A systemd-journald of the test's own: a journal namespace (`systemd-journald NAME`),
/// with its sockets under /run/systemd/journal.NAME and its files beside the host's, so a
/// test can run the daemon with its standard error on a journal stream — as the unit does
/// under systemd — and read back exactly what `journalctl --namespace=NAME -o export`
/// exports. Stopped and its files removed by `stop()`.
final class JournalNamespace {
    static let journald = "/lib/systemd/systemd-journald"
    let name: String
    private let pid: pid_t
    private let folder: String

    /// The stream socket a program's standard error is connected to (systemd's `StandardError=journal`).
    var streamSocket: String { "/run/systemd/journal.\(name)/stdout" }

    /// Starts journald for a new namespace and waits (10 s) for its stream socket.
    init() async throws {
        name = "madoguchi-test-" + UUID().uuidString.prefix(8).lowercased()
        folder = NSTemporaryDirectory() + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Through sh so journald runs in its own session with a clean signal mask (Spawn)
        // and outlives this call; its pid comes back in a file.
        let status = Spawn.run(
            "/bin/sh", ["-c", "setsid \(Self.journald) \(name) >\(folder)/journald.log 2>&1 </dev/null & echo $! >\(folder)/pid"])
        guard status == 0, let text = try? String(contentsOfFile: folder + "/pid", encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw EnvironmentError(message: "systemd-journald \(name) did not start") }
        self.pid = pid
        let deadline = ContinuousClock.now + .seconds(10)
        while !FileManager.default.fileExists(atPath: streamSocket) {
            guard ContinuousClock.now < deadline else {
                stop()
                throw EnvironmentError(message: "systemd-journald \(name) made no stream socket in 10 s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// A command prefix that runs the rest of the command line with its standard error on
    /// this journal's stream, tagged `identifier`, with syslog `<N>` prefixes read as
    /// priorities; it execs, so the program keeps the pid.
    func launcher(identifier: String) -> String {
        let script = """
            import os, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            s.sendall((sys.argv[2] + "\\n\\n6\\n1\\n0\\n0\\n0\\n").encode())
            os.dup2(s.fileno(), 2)
            os.execv(sys.argv[3], sys.argv[3:])
            """
        return "/usr/bin/python3 -c '\(script)' \(streamSocket) \(identifier) "
    }

    /// `journalctl --namespace=NAME ARGUMENTS`, its standard output.
    func journalctl(_ arguments: [String]) throws -> Data {
        let output = folder + "/journalctl.out"
        _ = Spawn.run("/usr/bin/journalctl", ["--namespace=\(name)", "--no-pager"] + arguments, output: output, quiet: true)
        return (try? Data(contentsOf: URL(fileURLWithPath: output))) ?? Data()
    }

    /// The messages of `identifier`, one a line.
    func messages(identifier: String) -> String {
        String(decoding: (try? journalctl(["-o", "cat", "SYSLOG_IDENTIFIER=\(identifier)"])) ?? Data(), as: UTF8.self)
    }

    /// Stops journald and removes its sockets and files.
    func stop() {
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(5)
        while Self.alive(pid), ContinuousClock.now < deadline { usleep(50_000) }
        if Self.alive(pid) { kill(pid, SIGKILL) }
        let machine = ((try? String(contentsOfFile: "/etc/machine-id", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        for path in ["/run/systemd/journal.\(name)", "/var/log/journal/\(machine).\(name)", "/run/log/journal/\(machine).\(name)", folder] {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Alive and not a zombie (journald is not our child: init reaps it, maybe late).
    static func alive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return !stat[close...].dropFirst(2).hasPrefix("Z")
    }
}
