import DaemonSupport
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
    /// Touch screens, keypads and PIN pads read through evdev.
    let evdev: EvdevInput?
    let logger: Logger
    let drainTimeout: Duration
    /// systemd's notify socket, when started by systemd (`Type=notify`).
    let notifier: SystemdNotifier?
    /// `WatchdogSec=`: pinged at half the interval, only while the runtime answers.
    let watchdog: Duration?

    func run() async {
        await runtime.start()
        notifier?.ready(status: "待機中 / waiting")
        logger.info("ready")
        // The watcher's thread must be gone before the process exits: pcsc-lite's exit
        // handler would wait on the lock a thread inside SCardGetStatusChange holds.
        let (watcherStopped, stop) = AsyncStream.makeStream(of: Void.self)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // The stream lives only in this task: when the loop ends it is released,
                // which stops the watcher's thread.
                for await event in ReaderWatcher.events(onStop: { stop.finish() }).cancelOnGracefulShutdown() {
                    await runtime.readerEvent(event)
                }
            }
            group.addTask {
                var phase = "welcome"
                var lastPing = ContinuousClock.now
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    await runtime.tick()
                    // The clock went through the runtime: it answers, so the watchdog may be fed.
                    let status = await runtime.status()
                    if let watchdog, ContinuousClock.now - lastPing >= watchdog / 2 {
                        notifier?.watchdog()
                        lastPing = ContinuousClock.now
                    }
                    if status.phase != phase {
                        phase = status.phase
                        notifier?.status("session: \(phase)")
                    }
                }
            }
            if let terminal {
                group.addTask { await terminal.run(runtime) }
            }
            if let evdev {
                group.addTask { await evdev.run(runtime) }
            }
            try? await gracefulShutdown()
            notifier?.stopping(status: "停止中 / stopping")
            logger.info("stopping")
            let deadline = ContinuousClock.now + drainTimeout
            while await runtime.isBusy, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(100))
            }
            await runtime.cancelSession()
            group.cancelAll()
        }
        terminal?.restore()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in watcherStopped {} }
            group.addTask { try? await Task.sleep(for: .seconds(3)) }
            await group.next()
            group.cancelAll()
        }
        logger.info("kiosk stopped")
    }
}
