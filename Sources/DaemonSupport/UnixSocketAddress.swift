import Glibc

/// A `sockaddr_un` for a path, or for a name in Linux's abstract namespace when the text
/// starts with `@` (as `$NOTIFY_SOCKET` writes it).
struct UnixSocketAddress {
    private var storage = sockaddr_un()
    private(set) var length: socklen_t = 0

    /// The most bytes a name can have (`sun_path` is 108 bytes; a path needs its NUL).
    static let maximumPathBytes = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// The address of `text`; nil when it is empty or too long for `sun_path`.
    init?(_ text: String) {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        let abstract = bytes[0] == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }  // abstract: a leading NUL, and no NUL at the end
        guard bytes.count <= Self.maximumPathBytes, abstract || !bytes.contains(0) else { return nil }
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { path in
            path.copyBytes(from: bytes)
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        length = socklen_t(pathOffset + bytes.count + (abstract ? 0 : 1))
    }

    /// Calls `body` with the address as a `sockaddr` pointer and its length.
    func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
