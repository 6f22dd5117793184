import Foundation
import KioskRuntime
import Logging
import PCSC
import ServiceLifecycle

/// The kiosk under swift-service-lifecycle: reader events, the clock and the person's
/// input feed the runtime until a graceful shutdown. On SIGTERM/SIGINT a print or store
/// under way is let finish (up to `drainTimeout`), then the session is ended and its data
/// dropped. Submissions are durable the moment they are stored, so none is lost.
struct KioskService: Service {
    let runtime: KioskRuntime
    let terminal: TerminalUI?
    let logger: Logger
    let drainTimeout: Duration
    let onReady: @Sendable () -> Void

    func run() async {
        await runtime.start()
        onReady()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in ReaderWatcher.events().cancelOnGracefulShutdown() {
                    await runtime.readerEvent(event)
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    await runtime.tick()
                }
            }
            if let terminal {
                group.addTask { await terminal.run(runtime) }
            }
            try? await gracefulShutdown()
            logger.info("stopping")
            let deadline = ContinuousClock.now + drainTimeout
            while await runtime.isBusy, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(100))
            }
            await runtime.cancelSession()
            group.cancelAll()
        }
        terminal?.restore()
    }
}
