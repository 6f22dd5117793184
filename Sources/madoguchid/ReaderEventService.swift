import Logging
import MadoguchiCore
import PCSC
import ServiceLifecycle

/// Reports readers and cards coming and going, until graceful shutdown.
///
/// Log lines carry the reader name and event kind only; nothing read from a card.
struct ReaderEventService: Service {
    let terminal: Bool
    let logger: Logger

    func run() async {
        for await event in ReaderWatcher.events().cancelOnGracefulShutdown() {
            if terminal {
                say(event.message)
            }
            switch event {
            case .readerAdded(let reader):
                logger.info("reader added", metadata: ["reader.name": "\(reader)"])
            case .readerRemoved(let reader):
                logger.info("reader removed", metadata: ["reader.name": "\(reader)"])
            case .cardInserted(let reader, _):
                logger.info("card inserted", metadata: ["reader.name": "\(reader)"])
            case .cardRemoved(let reader):
                logger.info("card removed", metadata: ["reader.name": "\(reader)"])
            case .serviceUnavailable(let status):
                logger.warning("pcscd unavailable", metadata: ["pcsc.status": "\(status)"])
            case .serviceRestored:
                logger.info("pcscd available again")
            }
        }
    }
}
