internal import CPCSCLite
#if canImport(Glibc)
import Glibc
#endif
import SmartCard
import Synchronization

/// Watches pcscd for readers and cards, on a thread of its own, as an `AsyncStream`.
///
/// Built on `SCardGetStatusChange` with the `\\?PnP?\Notification` pseudo-reader, so readers
/// plugged in later are seen. When pcscd goes away (stopped, restarted after a USB reset)
/// the watcher reports it once, releases its context and establishes a new one until pcscd
/// answers again; it never gives up on its own. Ending the stream's iteration stops the
/// thread: `SCardCancel` interrupts the wait at once.
public enum ReaderWatcher {
    /// The name pcsc-lite gives the pseudo-reader that changes when the reader list does.
    static let plugAndPlayReader = "\\\\?PnP?\\Notification"

    /// Starts watching and returns the events.
    /// - Parameter retryInterval: how long to wait before asking an absent pcscd again, and
    ///   the longest one wait lasts.
    ///   - onStop: called on the watching thread just before it ends (tests measure how fast
    ///     cancellation takes effect).
    public static func events(
        retryInterval: Duration = .milliseconds(500), onStop: (@Sendable () -> Void)? = nil
    ) -> AsyncStream<ReaderEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ReaderEvent.self, bufferingPolicy: .bufferingNewest(1024))
        let control = WatchControl()
        continuation.onTermination = { _ in control.stop() }
        let milliseconds = max(10, Int(retryInterval.components.seconds * 1000
            + retryInterval.components.attoseconds / 1_000_000_000_000_000))
        startDeviceThread(name: "madoguchi.watch") {
            var loop = WatchLoop(control: control, intervalMilliseconds: milliseconds) { continuation.yield($0) }
            loop.run()
            continuation.finish()
            onStop?()
        }
        return stream
    }
}

/// Shared between the watching thread and whoever stops it.
///
/// Sendable through a `Mutex`: the context handle is published here only while it is
/// valid, so `stop()` never cancels a released context.
final class WatchControl: Sendable {
    private struct State {
        var stopped = false
        var context: Int?
    }

    private let state = Mutex(State())

    var isStopped: Bool { state.withLock { $0.stopped } }

    func stop() {
        state.withLock { state in
            state.stopped = true
            if let context = state.context { PCSCContext.cancel(handle: context) }
        }
    }

    /// Publishes (or withdraws, with `nil`) the context the thread waits on.
    func publish(context: Int?) {
        state.withLock { $0.context = context }
    }
}

/// The watching thread's state: which readers it knows and whether a card is in each.
struct WatchLoop {
    let control: WatchControl
    let intervalMilliseconds: Int
    let emit: (ReaderEvent) -> Void

    /// Last event state reported by pcscd per reader (0 = not asked yet).
    private var readerStates: [String: DWORD] = [:]
    private var readerOrder: [String] = []
    private var cardPresent: Set<String> = []
    private var plugAndPlayState: DWORD = 0
    private var serviceDown = false

    init(control: WatchControl, intervalMilliseconds: Int, emit: @escaping (ReaderEvent) -> Void) {
        self.control = control
        self.intervalMilliseconds = intervalMilliseconds
        self.emit = emit
    }

    mutating func run() {
        while !control.isStopped {
            let context: PCSCContext
            do {
                context = try PCSCContext()
            } catch {
                reportServiceLost(error.status)
                pause()
                continue
            }
            control.publish(context: context.handle)
            let lost = watch(with: context)
            control.publish(context: nil)
            if let lost {
                reportServiceLost(lost)
                pause()
            }
        }
    }

    private func pause() {
        guard !control.isStopped else { return }
        usleep(useconds_t(intervalMilliseconds * 1000))
    }

    private mutating func reportServiceLost(_ status: PCSCStatus) {
        for reader in readerOrder {
            if cardPresent.contains(reader) { emit(.cardRemoved(reader: reader)) }
            emit(.readerRemoved(reader))
        }
        readerOrder = []
        readerStates = [:]
        cardPresent = []
        plugAndPlayState = 0
        if !serviceDown {
            serviceDown = true
            emit(.serviceUnavailable(status))
        }
    }

    /// Watches until stopped (returns nil) or until pcscd is lost (returns the status).
    private mutating func watch(with context: PCSCContext) -> PCSCStatus? {
        while !control.isStopped {
            let names: [String]
            do {
                names = try context.readers()
            } catch {
                if error.status.meansServiceLost { return error.status }
                pause()
                continue
            }
            if serviceDown {
                serviceDown = false
                emit(.serviceRestored)
            }
            updateReaderList(names)
            let status = waitForChange(context)
            if status.meansServiceLost { return status }
            if status != .success && status != .timeout && status != .cancelled {
                pause()  // e.g. a reader vanished between listing and waiting: list again
            }
        }
        return nil
    }

    private mutating func updateReaderList(_ names: [String]) {
        for reader in readerOrder where !names.contains(reader) {
            if cardPresent.remove(reader) != nil { emit(.cardRemoved(reader: reader)) }
            readerStates[reader] = nil
            emit(.readerRemoved(reader))
        }
        readerOrder.removeAll { !names.contains($0) }
        for reader in names where readerStates[reader] == nil {
            readerStates[reader] = DWORD(SCARD_STATE_UNAWARE)
            readerOrder.append(reader)
            emit(.readerAdded(reader))
        }
    }

    /// One `SCardGetStatusChange` over every known reader plus the PnP pseudo-reader.
    private mutating func waitForChange(_ context: PCSCContext) -> PCSCStatus {
        let names = readerOrder + [ReaderWatcher.plugAndPlayReader]
        let cNames = names.map { strdup($0)! }
        defer { cNames.forEach { free($0) } }
        var states = names.indices.map { index in
            var state = SCARD_READERSTATE()
            state.szReader = UnsafePointer(cNames[index])
            state.dwCurrentState =
                index < readerOrder.count
                ? readerStates[names[index]] ?? DWORD(SCARD_STATE_UNAWARE)
                : (plugAndPlayState != 0 ? plugAndPlayState : DWORD(readerOrder.count) << 16)
            return state
        }
        let status = PCSCStatus(
            rawValue: SCardGetStatusChange(context.raw, DWORD(intervalMilliseconds), &states, DWORD(states.count)))
        guard status == .success else { return status }

        let changed = DWORD(SCARD_STATE_CHANGED)
        for (index, state) in states.enumerated() {
            let event = state.dwEventState
            if index == readerOrder.count {
                plugAndPlayState = event & ~changed
                continue
            }
            let reader = names[index]
            readerStates[reader] = event & ~changed
            let present = event & DWORD(SCARD_STATE_PRESENT) != 0
            if present && !cardPresent.contains(reader) {
                cardPresent.insert(reader)
                let atr = withUnsafeBytes(of: state.rgbAtr) { Array($0.prefix(Int(state.cbAtr))) }
                emit(.cardInserted(reader: reader, atr: ATR(atr)))
            } else if !present && cardPresent.contains(reader) {
                cardPresent.remove(reader)
                emit(.cardRemoved(reader: reader))
            }
        }
        return status
    }
}
