import CPCSCLite
import Foundation
import PCSC
import SmartCard
import Synchronization
import Testing

extension DeviceTests {
    @Suite("PC/SC against the real pcscd and the virtual card")
    struct PCSCTests {
        @Test func libpcscliteEstablishesAContextAndListsTheVirtualReader() throws {
            let environment = try ServicesEnvironment.load()
            var context: SCARDCONTEXT = 0
            #expect(SCardEstablishContext(DWORD(SCARD_SCOPE_SYSTEM), nil, nil, &context) == SCARD_S_SUCCESS)
            defer { SCardReleaseContext(context) }
            var length: DWORD = 0
            #expect(SCardListReaders(context, nil, nil, &length) == SCARD_S_SUCCESS)
            var buffer = [CChar](repeating: 0, count: Int(length))
            #expect(SCardListReaders(context, nil, &buffer, &length) == SCARD_S_SUCCESS)
            let names = buffer.split(separator: 0).map { String(decoding: $0.map(UInt8.init(bitPattern:)), as: UTF8.self) }
            #expect(names.contains(try environment.reader))
        }

        @Test func adapterListsTheVirtualReaderByName() throws {
            let environment = try ServicesEnvironment.load()
            let readers = try PCSCContext().readers()
            #expect(readers.contains(try environment.reader))
        }

        @Test func virtualCardAnswersSelectOfTheKenhojoApplication() throws {
            let environment = try ServicesEnvironment.load()
            var context: SCARDCONTEXT = 0
            try #require(SCardEstablishContext(DWORD(SCARD_SCOPE_SYSTEM), nil, nil, &context) == SCARD_S_SUCCESS)
            defer { SCardReleaseContext(context) }
            var card: SCARDHANDLE = 0
            var protocolUsed: DWORD = 0
            let connected = SCardConnect(
                context, try environment.reader, DWORD(SCARD_SHARE_SHARED), DWORD(SCARD_PROTOCOL_T1), &card,
                &protocolUsed)
            try #require(connected == SCARD_S_SUCCESS, "SCardConnect: \(PCSCStatus(rawValue: connected))")
            defer { SCardDisconnect(card, DWORD(SCARD_RESET_CARD)) }
            let select: [UInt8] = [0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08]
            var response = [UInt8](repeating: 0, count: 258)
            var responseLength = DWORD(response.count)
            let sent = SCardTransmit(
                card, madoguchi_pcsc_pci_t1(), select, DWORD(select.count), nil, &response, &responseLength)
            #expect(sent == SCARD_S_SUCCESS)
            #expect(Array(response.prefix(Int(responseLength))) == [0x90, 0x00])
        }

        @Test func watcherReportsTheCardLeavingAndComingBack() async throws {
            let environment = try ServicesEnvironment.load()
            let reader = try environment.reader
            let cardPID = try environment.cardPID
            defer { kill(cardPID, SIGUSR2) }  // whatever happens, put the card back

            let log = EventLog()
            let watching = Task {
                for await event in ReaderWatcher.events(retryInterval: .milliseconds(200)) { log.append(event) }
            }
            defer { watching.cancel() }

            var seen = try await log.first(within: 5) { $0 == .readerAdded(reader) }
            seen = try await log.first(after: seen, within: 5) {
                if case .cardInserted(reader, _) = $0 { true } else { false }
            }
            kill(cardPID, SIGUSR1)
            seen = try await log.first(after: seen, within: 5) { $0 == .cardRemoved(reader: reader) }
            kill(cardPID, SIGUSR2)
            _ = try await log.first(after: seen, within: 5) {
                if case .cardInserted(reader, _) = $0 { true } else { false }
            }
        }
    }
}

/// Collects reader events from a background task so a test can wait for one.
final class EventLog: Sendable {
    private let events = Mutex<[ReaderEvent]>([])

    func append(_ event: ReaderEvent) {
        events.withLock { $0.append(event) }
    }

    /// The index of the first event after `index` that matches, waiting up to `seconds`.
    func first(
        after index: Int = -1, within seconds: Double, _ predicate: (ReaderEvent) -> Bool
    ) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            let snapshot = events.withLock { $0 }
            if let found = snapshot.indices.first(where: { $0 > index && predicate(snapshot[$0]) }) {
                return found
            }
            if ContinuousClock.now > deadline {
                throw EnvironmentError(message: "no matching reader event within \(seconds) s; saw \(snapshot)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
