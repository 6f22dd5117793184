import Foundation
import MadoguchiCore
import MyNumberCard
import PCSC
import SmartCard
import Synchronization
import Testing

extension DeviceTests {
    /// What happens in the field: cards pulled mid-read, pcscd restarting, staff helping
    /// with PIN B, and a watcher that must stop at once.
    @Suite("Card reading in the field")
    struct FieldFaultTests {
        /// One read through the library, as the daemon will do it: connect, one transaction,
        /// verify and read, reset.
        func readOnce(reader: String) throws -> ResidentIdentity {
            let context = try PCSCContext()
            let card = try PCSCCard(context: context, reader: reader)
            defer { card.disconnect(reset: true) }
            try card.beginTransaction()
            return try MyNumberCardReader(channel: CardChannel(card)).verifyAndRead(pin: try PIN(asciiDigits: Array("1234".utf8)))
        }

        @Test func aCardPulledAfterAnyAPDUGivesCardGoneWithinASecondAndTheNextCardReadsFromTheStart() async throws {
            let environment = try ServicesEnvironment.load()
            let card = VirtualCard(environment: environment)
            let reader = try environment.reader
            // A read is 11 C-APDUs; the 11th (re-selecting the AP to drop the verified state)
            // comes after the identity is complete, so positions 1…10 must all fail.
            for position in 1...10 {
                try await card.configure(#"{"vanishAfter": \#(position)}"#)
                let started = ContinuousClock.now
                do {
                    _ = try readOnce(reader: reader)
                    Issue.record("position \(position): the read succeeded without the card")
                } catch let error as PCSCError {
                    #expect(error.status.meansCardGone, "position \(position): \(error)")
                    #expect(error.reader == reader)
                }
                let elapsed = ContinuousClock.now - started
                #expect(elapsed < .seconds(1), "position \(position): the error took \(elapsed)")
            }
            try await card.reset()
            #expect(try readOnce(reader: reader).sex.code == "2")
        }

        @Test func operationsRunOneAtATimeOnTheReadersOwnThread() async throws {
            let reader = try ServicesEnvironment.load().reader
            let thread = CardReaderThread()
            let threads = ThreadNames()
            let names = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await thread.perform { context in
                            threads.names.withLock { _ = $0.insert(String(UInt(bitPattern: Int(bitPattern: pthread_self())))) }
                            let card = try PCSCCard(context: context, reader: reader)
                            defer { card.disconnect(reset: true) }
                            try card.beginTransaction()
                            return try MyNumberCardReader(channel: CardChannel(card))
                                .verifyAndRead(pin: try PIN(asciiDigits: Array("1234".utf8))).name
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(names == Array(repeating: "見本 花子", count: 4))
            #expect(threads.names.withLock { $0.count } == 1)  // one thread owns the context
        }

        @Test func theWatcherResumesByItselfWhenPcscdRestarts() async throws {
            let environment = try ServicesEnvironment.load()
            let reader = try environment.reader
            let log = EventLog()
            let watching = Task {
                for await event in ReaderWatcher.events(retryInterval: .milliseconds(200)) { log.append(event) }
            }
            defer { watching.cancel() }
            var seen = try await log.first(within: 5) {
                if case .cardInserted(reader, _) = $0 { true } else { false }
            }
            try environment.services("restart", "pcscd")
            seen = try await log.first(after: seen, within: 10) { if case .serviceUnavailable = $0 { true } else { false } }
            seen = try await log.first(after: seen, within: 10) { $0 == .serviceRestored }
            seen = try await log.first(after: seen, within: 10) { $0 == .readerAdded(reader) }
            _ = try await log.first(after: seen, within: 10) {
                if case .cardInserted(reader, _) = $0 { true } else { false }
            }
        }

        @Test func theWatcherStopsWithin100MillisecondsOfCancellation() async throws {
            let environment = try ServicesEnvironment.load()
            let reader = try environment.reader
            let stoppedAt = Mutex<ContinuousClock.Instant?>(nil)
            let log = EventLog()
            let events = ReaderWatcher.events(retryInterval: .seconds(5)) {  // long waits: cancel must interrupt them
                stoppedAt.withLock { $0 = ContinuousClock.now }
            }
            let watching = Task { for await event in events { log.append(event) } }
            _ = try await log.first(within: 5) { if case .cardInserted(reader, _) = $0 { true } else { false } }
            try await Task.sleep(for: .milliseconds(200))  // now deep inside SCardGetStatusChange
            let cancelledAt = ContinuousClock.now
            watching.cancel()
            let deadline = cancelledAt + .seconds(2)
            while stoppedAt.withLock({ $0 }) == nil && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            let stopped = try #require(stoppedAt.withLock { $0 }, "the watcher thread did not stop")
            #expect(stopped - cancelledAt < .milliseconds(100))
        }

        @Test func pinBOpensTheFileInStaffModeOnly() async throws {
            let card = VirtualCard(environment: try ServicesEnvironment.load())
            try await card.reset()
            let pinB = "80040120345678"  // 見本 花子: born 800401, card valid to 2034, code 5678
            let resident = try await ProgramRunner.run(
                "madoguchi", ["card", "read", "--pin-b", "--pin-stdin", "--json"], input: pinB + "\n")
            #expect(resident.status == 64)
            #expect(resident.standardError.contains("--pin-b needs --mode staff"))
            let staff = try await ProgramRunner.run(
                "madoguchi", ["card", "read", "--pin-b", "--mode", "staff", "--pin-stdin", "--json"], input: pinB + "\n")
            #expect(staff.status == 0, "\(staff.standardError)")
            #expect(staff.standardOutput.contains("\"birthDate\" : \"1980-04-01\""))
            // The library refuses PIN B without staff authorization, before touching the card.
            let context = try PCSCContext()
            let connection = try PCSCCard(context: context, reader: try ServicesEnvironment.load().reader)
            defer { connection.disconnect(reset: true) }
            #expect(throws: MyNumberCardError.pinBNeedsStaffMode) {
                _ = try MyNumberCardReader(channel: CardChannel(connection))
                    .verifyAndRead(pin: try PIN(asciiDigits: Array(pinB.utf8), kind: .pinB))
            }
        }

        @Test func pinBAtItsLastTryIsRefusedWithoutConfirmationToo() async throws {
            let card = VirtualCard(environment: try ServicesEnvironment.load())
            try await card.configure(#"{"pinBTriesLeft": 1}"#)
            let mark = try card.traceMark()
            let result = try await ProgramRunner.run(
                "madoguchi", ["card", "read", "--pin-b", "--mode", "staff", "--pin-stdin"], input: "80040120345678\n")
            try await card.reset()
            #expect(result.status == 65)
            #expect(try !card.commands(since: mark).contains { $0.hasPrefix("002000800E") })
        }

        @Test func cardWatchShowsWhenEachEventHappened() async throws {
            let result = try await ProgramRunner.run("madoguchi", ["card", "watch", "--seconds", "1"])
            let eventLines = result.standardOutput.split(separator: "\n").filter { $0.hasPrefix("[") }
            #expect(!eventLines.isEmpty)
            #expect(eventLines.allSatisfy { $0.range(of: #"^\[\d+\.\d{3}s \+\d+\.\d{3}s\] "#, options: .regularExpression) != nil })
        }
    }
}

/// The threads card operations ran on.
final class ThreadNames: Sendable {
    let names = Mutex<Set<String>>([])
}
