import Glibc

/// Starts a detached POSIX thread for blocking I/O, off Swift's cooperative pool (which
/// has one thread per core: two on a kiosk).
enum IOThread {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Runs `body` on a new detached thread. (`name` is for readers of the code:
    /// pthread_setname_np is a GNU extension Swift's Glibc module does not import.)
    /// - Returns: 0, or pthread_create's error number.
    static func start(name: String, _ body: @escaping @Sendable () -> Void) -> Int32 {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { raw in
                let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
                body.run()
                return nil
            }, context)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return status
        }
        pthread_detach(thread)
        return 0
    }
}
