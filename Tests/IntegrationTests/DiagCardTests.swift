import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension DeviceTests.DiagCommandTests {
    /// Runs the card part of `diag check` with the virtual card set up by `control` (the
    /// card's knobs), and puts the plain card back afterwards.
    static func cardChecks(_ control: String?) async throws -> (result: ProgramRunner.Result, checks: [String: [String: Any]]) {
        let kiosk = try await Kiosk()
        defer { kiosk.remove() }
        try kiosk.configure(queue: nil, receiver: nil)
        let card = VirtualCard(environment: kiosk.environment)
        if let control { try await card.configure(control) }
        let result = try await kiosk.diag(["--json"])
        if control != nil { try await card.reset() }
        try expectConforms(result.standardOutput)
        return (result, try checks(result.standardOutput))
    }

    @Test func aMyNumberCardShowsItsFourApplicationsAndAQuickRoundTrip() async throws {
        let (result, checks) = try await Self.cardChecks(nil)
        #expect(Self.mark(checks, "card/type") == "ok", "\(result.standardOutput)")
        #expect(Self.mark(checks, "card/applications") == "ok")
        let applications = checks["card/applications"]?["ja"] as? String ?? ""
        for name in ["公的個人認証AP", "券面事項入力補助AP", "券面事項確認AP", "住基AP"] { #expect(applications.contains(name), "\(applications)") }
        #expect(Self.mark(checks, "card/round-trip") == "ok")
        #expect((checks["card/round-trip"]?["en"] as? String)?.contains("APDU round trip, 5 exchanges: median") == true)
    }

    @Test func aSlowCardWarnsOnTheRoundTripWithWhatToTry() async throws {
        // 300 ms before every answer: a card lying off the reader's centre, or a bad hub.
        let (result, checks) = try await Self.cardChecks(#"{"delayMs": 300}"#)
        #expect(Self.mark(checks, "card/round-trip") == "warning", "\(checks["card/round-trip"] ?? [:])")
        #expect(Self.next(checks, "card/round-trip").contains("USB hub"))
        #expect(result.status == 1)
    }

    @Test func aJukiCardAnswersOnlyItsOwnApplications() async throws {
        let (_, checks) = try await Self.cardChecks(#"{"profile": "Tests/Fixtures/cards/juki-card.json"}"#)
        #expect(Self.mark(checks, "card/type") == "warning")
        let applications = checks["card/applications"]?["en"] as? String ?? ""
        #expect(applications.contains("JPKI") && applications.contains("resident registry (Juki)"), "\(applications)")
        #expect(!applications.contains("Kenhojo") && !applications.contains("Kenkaku"), "\(applications)")
    }

    @Test func anotherKindOfCardIsAWarningNotAFailure() async throws {
        let (result, checks) = try await Self.cardChecks(#"{"profile": "Tests/Fixtures/cards/other-card.json"}"#)
        #expect(Self.mark(checks, "card/type") == "warning", "\(result.standardOutput)")
        #expect(Self.mark(checks, "card/applications") == "ok")
        #expect(!checks.contains { $0.key.hasPrefix("card/") && $0.value["mark"] as? String == "failure" }, "\(result.standardOutput)")
    }

    /// `madoguchi diag card` until one card has come and gone; the card is already on the
    /// reader when it starts, so it is checked at once, then taken off by the test.
    @Test func diagCardFollowsACardOnAndOffWithTimingsAndChecksIt() async throws {
        let kiosk = try await Kiosk()
        defer { kiosk.remove() }
        try kiosk.configure(queue: nil, receiver: nil)
        let card = VirtualCard(environment: kiosk.environment)
        let mark = try card.traceMark()
        async let watched = ProgramRunner.run(
            "madoguchi", ["diag", "card", "--config", kiosk.config, "--cards", "1", "--seconds", "60"],
            environment: ["MADOGUCHI_CONTROL_SOCKET": kiosk.directory + "/no-daemon.sock"], timeout: 90)
        // The check's last exchanges are the five timed SELECTs; wait for them, then lift the card.
        let deadline = ContinuousClock.now + .seconds(30)
        while try card.commands(since: mark).filter({ $0.contains("00A4040C0AD392F000260100000001") }).count < 9, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .milliseconds(500))
        kill(try kiosk.environment.cardPID, SIGUSR1)
        let result = try await watched
        try await card.reinsert()
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        let placed = try #require(lines.firstIndex { $0.contains("● カードが置かれました") }, "\(result.standardOutput)")
        let checked = try #require(lines.firstIndex { $0.contains("確認に") && $0.contains("checked in") })
        let removed = try #require(lines.firstIndex { $0.contains("○ カードが取り除かれました") })
        #expect(placed < checked && checked < removed)
        #expect(lines[placed].hasPrefix("[") && lines[placed].contains("s +"))
        #expect(lines.contains { $0.contains("✓ マイナンバーカードです。") })
        #expect(lines.contains { $0.contains("APDU round trip") })
        #expect(lines[removed].contains("on the reader for"))
        #expect(result.standardOutput.contains("1 card(s) placed, 1 taken off. No problem found."))
        for name in ["見本", "ミホン", "MIHON"] { #expect(!result.standardOutput.contains(name)) }
    }

    @Test func diagCardLeavesTheCardToARunningDaemon() async throws {
        let kiosk = try await Kiosk()
        defer { kiosk.remove() }
        try kiosk.configure(queue: nil, receiver: nil)
        let card = VirtualCard(environment: kiosk.environment)
        try await StandInDaemon.run(in: kiosk.directory, status: try StandInDaemon.answering) { socket in
            let mark = try card.traceMark()
            let result = try await ProgramRunner.run(
                "madoguchi", ["diag", "card", "--config", kiosk.config, "--seconds", "2"], environment: ["MADOGUCHI_CONTROL_SOCKET": socket],
                timeout: 60)
            #expect(result.status == 0, "\(result.standardOutput)")
            #expect(result.standardOutput.contains("madoguchid holds the reader: cards are not read"))
            #expect(result.standardOutput.contains("● カードが置かれました"))
            #expect(!result.standardOutput.contains("checked in"))
            #expect(try card.commands(since: mark).isEmpty, "diag card sent APDUs while the daemon held the reader")
        }
    }

    @Test func diagCardRefusesBadLimits() async throws {
        let result = try await ProgramRunner.run("madoguchi", ["diag", "card", "--cards", "0"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("--cards must be 1 or more"))
    }
}
