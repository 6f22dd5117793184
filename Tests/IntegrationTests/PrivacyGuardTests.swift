import KioskRuntime
import Logging
import Synchronization
import Testing

/// The log guard in front of the daemon's journal lines: personal values of the session
/// under way never pass, nor metadata outside the allowed keys.
@Suite("The log guard refuses personal data")
struct PrivacyGuardTests {
    /// Keeps what reaches it.
    final class Captured: Sendable {
        let lines = Mutex<[(message: String, metadata: [String: String], level: Logger.Level)]>([])
    }

    struct Capturing: LogHandler {
        let captured: Captured
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).mapValues { "\($0)" }
            captured.lines.withLock { $0.append(("\(event.message)", fields, event.level)) }
        }
    }

    static func logger(_ sensitive: SensitiveValues) -> (Logger, Captured) {
        let captured = Captured()
        let logger = Logger(label: "test") { _ in PrivacyGuardLogHandler(Capturing(captured: captured), sensitive: sensitive) }
        return (logger, captured)
    }

    @Test func aLineCarryingAValueOfTheSessionIsRefusedAndCounted() {
        let sensitive = SensitiveValues()
        let (logger, captured) = Self.logger(sensitive)
        sensitive.add(["見本 花子", "東京都千代田区霞が関一丁目1番1号"])
        logger.info("read \("見本 花子")")
        logger.info("stored", metadata: ["form": "okuyami", "error": "no address 東京都千代田区霞が関一丁目1番1号"])
        let lines = captured.lines.withLock { $0 }
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { !$0.message.contains("見本") && $0.metadata.isEmpty && $0.level == .error })
        #expect(sensitive.refused == 2)
        // Once the session ends, the same words are only words again.
        sensitive.clear()
        logger.info("stored", metadata: ["form": "okuyami"])
        #expect(captured.lines.withLock { $0.last?.metadata } == ["form": "okuyami"])
    }

    @Test func metadataOutsideTheAllowedKeysIsDropped() {
        let (logger, captured) = Self.logger(SensitiveValues())
        logger.info("printed", metadata: ["document": "setainushi-henko", "name": "見本 花子", "answers": "x"])
        #expect(captured.lines.withLock { $0.first?.metadata } == ["document": "setainushi-henko"])
    }
}
