import Foundation
import Testing

/// The terminal UI as a technician sees it over SSH: the real program in a real terminal
/// (tmux), captured and compared with committed text, Japanese aligned; keys move it; the
/// terminal comes back as it was.
@Suite("Terminal UI through tmux")
struct TerminalUITests {
    static let fixtures = ServicesEnvironment.packageRoot.path + "/Tests/Fixtures/terminal"

    /// A private tmux server running `command` in a `columns`×`rows` pane.
    final class Pane {
        let socket = "madoguchi-\(UUID().uuidString.prefix(8))"

        init(_ command: String, columns: Int, rows: Int) throws {
            // The server this starts lives on: it must not inherit a pipe we read to its end.
            try tmux(["new-session", "-d", "-x", String(columns), "-y", String(rows), command], capture: false)
            try tmux(["set-option", "-g", "remain-on-exit", "on"])
        }

        deinit { _ = try? tmux(["kill-server"], capture: false) }

        /// Runs the tmux client. posix_spawn with an empty signal mask: the test thread
        /// blocks signals, and a tmux client started under that mask never hears its server.
        @discardableResult
        func tmux(_ arguments: [String], capture: Bool = true) throws -> String {
            let output = NSTemporaryDirectory() + "\(socket)-\(UUID().uuidString).out"
            defer { unlink(output) }
            let argv = (["/usr/bin/tmux", "-L", socket, "-f", "/dev/null"] + arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            let variables: [String] = ["TERM=xterm-256color", "LANG=C.UTF-8", "PATH=/usr/bin:/bin"]
            let environment: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
            defer { environment.forEach { free($0) } }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            // tmux 3 pipes a non-terminal stdin into a new pane: give it nothing to read.
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            // The server new-session starts lives on: it must not hold a pipe we read.
            let target = capture ? output : "/dev/null"
            posix_spawn_file_actions_addopen(&actions, 1, target, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var empty = sigset_t()
            sigemptyset(&empty)
            posix_spawnattr_setsigmask(&attributes, &empty)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
            var pid: pid_t = 0
            guard posix_spawn(&pid, "/usr/bin/tmux", &actions, &attributes, argv, environment) == 0 else {
                throw EnvironmentError(message: "cannot start tmux (scripts/bootstrap installs it)")
            }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            return capture ? ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "") : ""
        }

        /// The pane's text once it shows `marker` (waits up to 10 s). tmux drops the blanks at
        /// the end of each line.
        func capture(waitingFor marker: String) throws -> String {
            for _ in 0..<200 {
                let text = try tmux(["capture-pane", "-p"])
                if text.contains(marker) { return text }
                usleep(50_000)
            }
            return try tmux(["capture-pane", "-p"])
        }

        func keys(_ keys: String...) throws { try tmux(["send-keys"] + keys) }
    }

    static var program: String { ProgramRunner.binDirectory.appendingPathComponent("madoguchi").path }

    /// Lines without their trailing blanks (tmux pads with spaces).
    static func trimmed(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.reversed().drop { $0 == " " }.reversed()) }
            .joined(separator: "\n").trimmingCharacters(in: .newlines)
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func screensMatchTheirTextSnapshotsWithJapaneseAligned(_ columns: Int, _ rows: Int) throws {
        for (screen, lang) in [("welcome", "ja"), ("pinPad", "ja"), ("question.choice", "ja-easy"), ("confirmIdentity", "en")] {
            let pane = try Pane("\(Self.program) screens terminal --screen \(screen) --lang \(lang)", columns: columns, rows: rows)
            let text = Self.trimmed(try pane.capture(waitingFor: " \(screen)\n"))
            let path = "\(Self.fixtures)/\(screen)-\(lang)-\(columns)x\(rows).txt"
            if ProcessInfo.processInfo.environment["MADOGUCHI_UPDATE_SNAPSHOTS"] == "1" {
                try FileManager.default.createDirectory(atPath: Self.fixtures, withIntermediateDirectories: true)
                try (text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
                continue
            }
            let expected = Self.trimmed(try String(contentsOfFile: path, encoding: .utf8))
            #expect(text == expected, "\(path)")
            try pane.keys("q")
        }
    }

    @Test func keysMoveThroughScreensAndNameTheButtonTheyPress() throws {
        let pane = try Pane("\(Self.program) screens terminal --screen welcome --lang ja", columns: 80, rows: 24)
        _ = try pane.capture(waitingFor: "1/22 welcome")
        try pane.keys("Right", "Right")
        #expect(try pane.capture(waitingFor: "3/22 pinPad").contains("3/22 pinPad"))
        try pane.keys("7")
        #expect(try pane.capture(waitingFor: "key.7").contains("key → key.7"))
        try pane.keys("F2")
        #expect(try pane.capture(waitingFor: "Your 4-digit PIN").contains("Your 4-digit PIN"))
    }

    @Test func quittingGivesTheTerminalBackAsItWas() throws {
        let pane = try Pane("sh -c 'echo before; \(Self.program) screens terminal; stty -a | tr \" \" \"\\\\n\" | grep -x -- \"-*icanon\"; echo after'", columns: 80, rows: 24)
        _ = try pane.capture(waitingFor: "1/22 welcome")
        try pane.keys("q")
        let text = try pane.capture(waitingFor: "after")
        // The gallery is gone, and the terminal is in cooked mode again (icanon, not -icanon).
        #expect(text.contains("after") && !text.contains("書かない窓口"))
        #expect(text.split(separator: "\n").contains("icanon"))
    }
}
