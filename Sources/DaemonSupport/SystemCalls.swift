import Glibc

/// The few system-call conventions every file here shares, in one place (swift-system's
/// `Syscalls.swift` idea): EINTR retried, errno read at once, text from strerror.
enum SystemCalls {
    /// Calls `body` until it does not fail with EINTR; returns its result and the errno
    /// read right after the call (0 on success).
    @inline(__always)
    static func retrying<Result: BinaryInteger>(_ body: () -> Result) -> (result: Result, errno: Int32) {
        while true {
            let result = body()
            if result >= 0 { return (result, 0) }
            let code = errno
            if code != EINTR { return (result, code) }
        }
    }

    /// `strerror(code)` with the number: "No such file or directory (errno 2)".
    static func describe(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }

    /// Closes `descriptor`, ignoring errors (Linux frees the descriptor even when close
    /// reports EINTR, so retrying could close someone else's).
    static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    /// Sets O_NONBLOCK and FD_CLOEXEC on `descriptor`.
    static func makeNonBlockingAndCloseOnExec(_ descriptor: Int32) -> Bool {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else { return false }
        let descriptorFlags = fcntl(descriptor, F_GETFD)
        return descriptorFlags >= 0 && fcntl(descriptor, F_SETFD, descriptorFlags | FD_CLOEXEC) == 0
    }

    /// `Int32(SOCK_…)` flags for socket(2): the type with SOCK_CLOEXEC, and SOCK_NONBLOCK when asked.
    static func socketType(_ type: __socket_type, nonBlocking: Bool = false) -> Int32 {
        var value = Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        if nonBlocking { value |= Int32(SOCK_NONBLOCK.rawValue) }
        return value
    }

    /// Milliseconds for poll(2), rounded up, clamped to 0…Int32.max.
    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let milliseconds = seconds.multipliedReportingOverflow(by: 1000)
        guard !milliseconds.overflow else { return Int32.max }
        let total = milliseconds.partialValue + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(0, total))
    }
}
