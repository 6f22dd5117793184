#if canImport(Glibc)
import Glibc
#endif

/// Starts a detached POSIX thread running `body`: the device thread of a reader. `name`
/// identifies it in the code that starts it (glibc does not export pthread_setname_np
/// to Swift without _GNU_SOURCE).
///
/// pthread directly, not Foundation's `Thread`, so the card path does not load full
/// Foundation (and ICU) at start-up.
func startDeviceThread(name: String, _ body: @escaping @Sendable () -> Void) {
    final class Box: @unchecked Sendable {  // handed to exactly one thread, which releases it
        let body: @Sendable () -> Void
        let name: String
        init(_ body: @escaping @Sendable () -> Void, name: String) {
            self.body = body
            self.name = name
        }
    }
    let box = Unmanaged.passRetained(Box(body, name: name)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, nil, { raw in
        let box = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! Box
        box.body()
        return nil
    }, box)
    precondition(status == 0, "pthread_create failed (\(status)): the machine is out of threads")
    pthread_detach(thread)
}
