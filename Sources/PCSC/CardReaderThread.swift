import Dispatch
import Synchronization

/// One thread that owns one `PCSCContext` and runs card operations on it, one at a time:
/// the async boundary of the architecture (`status()`, `verifyAndRead(pin:)`), with every
/// APDU of an operation staying synchronous on the reader's own thread.
///
/// pcsc-lite wants a context used from one thread; an actor serialises work but does not
/// pin it to a thread, so this class keeps its own `Thread` and a queue of jobs.
/// All mutable state is behind a mutex, and the context is touched only by the thread.
public final class CardReaderThread: Sendable {
    private struct State {
        var jobs: [@Sendable (PCSCContext?, PCSCError?) -> Void] = []
        var stopped = false
    }

    /// Shared with the thread (a `Mutex` cannot be captured by value).
    private final class Shared: Sendable {
        let state = Mutex(State())
        let wake = DispatchSemaphore(value: 0)
    }

    private let shared = Shared()

    /// Starts the thread; it establishes its context when the first job arrives (and again
    /// after pcscd went away).
    public init(name: String = "madoguchi.reader") {
        startDeviceThread(name: name) { [shared] in
            var context: PCSCContext?
            while true {
                shared.wake.wait()
                let (job, stopped) = shared.state.withLock { state -> ((@Sendable (PCSCContext?, PCSCError?) -> Void)?, Bool) in
                    (state.jobs.isEmpty ? nil : state.jobs.removeFirst(), state.stopped)
                }
                guard let job else {
                    if stopped { return }
                    continue
                }
                if context == nil {
                    do throws(PCSCError) {
                        context = try PCSCContext()
                    } catch {
                        job(nil, error)
                        continue
                    }
                }
                job(context, nil)
            }
        }
    }

    deinit {
        shared.state.withLock { $0.stopped = true }
        shared.wake.signal()
    }

    /// Runs `operation` on the reader thread with its context and returns its result.
    /// - Throws: `PCSCError` when no context can be established, or what `operation` throws.
    public func perform<Result: Sendable>(
        _ operation: @escaping @Sendable (PCSCContext) throws -> Result
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            shared.state.withLock { state in
                state.jobs.append { context, error in
                    guard let context else {
                        continuation.resume(throwing: error ?? PCSCError(operation: "SCardEstablishContext", status: .noService))
                        return
                    }
                    continuation.resume(with: Swift.Result { try operation(context) })
                }
            }
            shared.wake.signal()
        }
    }
}
