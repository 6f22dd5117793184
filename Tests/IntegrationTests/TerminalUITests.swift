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

        /// Runs the tmux client through `Spawn` (a client started under the test thread's
        /// signal mask never hears its server). Its stdin is /dev/null (tmux 3 pipes a
        /// non-terminal stdin into a new pane), and the server new-session starts must not
        /// hold a pipe we read: output goes through a file.
        @discardableResult
        func tmux(_ arguments: [String], capture: Bool = true) throws -> String {
            let output = NSTemporaryDirectory() + "\(socket)-\(UUID().uuidString).out"
            defer { unlink(output) }
            let environment = ["TERM=xterm-256color", "LANG=C.UTF-8", "PATH=/usr/bin:/bin"]
            guard Spawn.run("/usr/bin/tmux", ["-L", socket, "-f", "/dev/null"] + arguments, environment: environment, output: capture ? output : "/dev/null", quiet: true) != nil
            else { throw EnvironmentError(message: "cannot start tmux (scripts/bootstrap installs it)") }
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
        _ = try pane.capture(waitingFor: "1/24 welcome")
        try pane.keys("Right", "Right")
        #expect(try pane.capture(waitingFor: "3/24 pinPad").contains("3/24 pinPad"))
        try pane.keys("7")
        #expect(try pane.capture(waitingFor: "key.7").contains("key → key.7"))
        try pane.keys("F2")
        #expect(try pane.capture(waitingFor: "Your 4-digit PIN").contains("Your 4-digit PIN"))
    }

    @Test func quittingGivesTheTerminalBackAsItWas() throws {
        let pane = try Pane("sh -c 'echo before; \(Self.program) screens terminal; stty -a | tr \" \" \"\\\\n\" | grep -x -- \"-*icanon\"; echo after'", columns: 80, rows: 24)
        _ = try pane.capture(waitingFor: "1/24 welcome")
        try pane.keys("q")
        let text = try pane.capture(waitingFor: "after")
        // The gallery is gone, and the terminal is in cooked mode again (icanon, not -icanon).
        #expect(text.contains("after") && !text.contains("書かない窓口"))
        #expect(text.split(separator: "\n").contains("icanon"))
    }
}
