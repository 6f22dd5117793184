import Foundation

/// One thread that runs every libcups call of a printer, in order. libcups keeps its
/// default connection, its server setting and `cupsLastError()` per thread, so calls and
/// the reading of their errors must share a thread; and its calls block, so they stay off
/// Swift's cooperative pool.
final class DeviceThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var work: [@Sendable () -> Void] = []
    private var stopping = false

    /// Starts the thread, named for `top` and logs.
    init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.start()
    }

    /// Runs `body` on the thread and returns its result.
    func run<Value: Sendable, Failure: Error>(_ body: @escaping @Sendable () throws(Failure) -> Value) async throws(Failure) -> Value {
        let result: Result<Value, Failure> = await withCheckedContinuation { continuation in
            condition.lock()
            work.append {
                do throws(Failure) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            condition.signal()
            condition.unlock()
        }
        return try result.get()
    }

    /// Queues `body` without waiting for it (work queued earlier runs first).
    func post(_ body: @escaping @Sendable () -> Void) {
        condition.lock()
        work.append(body)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once its queue is empty.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while work.isEmpty && !stopping { condition.wait() }
            if work.isEmpty && stopping {
                condition.unlock()
                return
            }
            let next = work.removeFirst()
            condition.unlock()
            next()
        }
    }
}
