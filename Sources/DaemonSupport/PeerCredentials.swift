import Glibc

/// Who is at the other end of a Unix socket (SO_PEERCRED).
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    /// The peer's process id when it connected.
    public var processID: Int32
    /// Its user id.
    public var userID: UInt32
    /// Its primary group id.
    public var groupID: UInt32

    /// Credentials given directly (tests).
    public init(processID: Int32, userID: UInt32, groupID: UInt32) {
        self.processID = processID
        self.userID = userID
        self.groupID = groupID
    }

    /// `pid 123 uid 1000 gid 1000`, for logs (ids only, no names).
    public var description: String { "pid \(processID) uid \(userID) gid \(groupID)" }

    /// Linux's `struct ucred` (`<sys/socket.h>`, only with _GNU_SOURCE, so Swift's Glibc
    /// module does not import it): pid_t, uid_t, gid_t, 12 bytes. The size getsockopt
    /// reports is checked against this mirror.
    private struct UCred {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    /// The credentials of the peer of the connected socket `descriptor`; nil when the
    /// kernel does not give them.
    static func ofPeer(_ descriptor: Int32) -> PeerCredentials? {
        var credentials = UCred()
        var length = socklen_t(MemoryLayout<UCred>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0,
            Int(length) == MemoryLayout<UCred>.size
        else { return nil }
        return PeerCredentials(processID: credentials.pid, userID: credentials.uid, groupID: credentials.gid)
    }

    /// The supplementary groups of process `processID` from the `Groups:` line of
    /// `/proc/<pid>/status`; empty when it cannot be read (the process has gone).
    ///
    /// The pid is the one SO_PEERCRED recorded at connect; a process that exits and whose
    /// pid is reused at once could be misjudged, which is why this is only asked when the
    /// uid and primary gid did not already decide.
    public static func supplementaryGroups(ofProcess processID: Int32) -> [UInt32] {
        let descriptor = open("/proc/\(processID)/status", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        defer { SystemCalls.close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 20 {
            let (count, _) = SystemCalls.retrying { buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) } }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        return groups(fromProcessStatus: String(decoding: bytes, as: UTF8.self))
    }

    /// The group ids of the `Groups:` line of a `/proc/<pid>/status` text.
    public static func groups(fromProcessStatus text: String) -> [UInt32] {
        for line in text.split(separator: "\n") where line.hasPrefix("Groups:") {
            return line.dropFirst("Groups:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap {
                UInt32($0)
            }
        }
        return []
    }
}

/// Who may use the control socket: root, the daemon's own user, and members (primary or
/// supplementary) of the `madoguchi` group.
public struct ControlPeerPolicy: Sendable, Hashable {
    /// The daemon's effective user id.
    public var serverUserID: UInt32
    /// The `madoguchi` group's id; nil when the group does not exist.
    public var allowedGroupID: UInt32?

    /// A policy from explicit ids.
    public init(serverUserID: UInt32, allowedGroupID: UInt32?) {
        self.serverUserID = serverUserID
        self.allowedGroupID = allowedGroupID
    }

    /// The policy for this process: its effective uid, and the group `groupName` if it exists.
    public static func current(groupName: String? = ControlSocket.groupName) -> ControlPeerPolicy {
        ControlPeerPolicy(serverUserID: geteuid(), allowedGroupID: groupName.flatMap(groupID(named:)))
    }

    /// Whether `peer` may use the socket; `supplementaryGroups` is asked only when the
    /// uid and primary gid do not decide.
    public func allows(_ peer: PeerCredentials, supplementaryGroups: (Int32) -> [UInt32]) -> Bool {
        if peer.userID == 0 || peer.userID == serverUserID { return true }
        guard let allowedGroupID else { return false }
        if peer.groupID == allowedGroupID { return true }
        return supplementaryGroups(peer.processID).contains(allowedGroupID)
    }

    /// The id of group `name` (getgrnam_r); nil when there is no such group.
    public static func groupID(named name: String) -> UInt32? {
        var size = max(1024, Int(sysconf(Int32(_SC_GETGR_R_SIZE_MAX))))
        while size <= 1 << 20 {
            var entry = group()
            var buffer = [CChar](repeating: 0, count: size)
            var result: UnsafeMutablePointer<group>?
            let status = getgrnam_r(name, &entry, &buffer, buffer.count, &result)
            if status == ERANGE {
                size *= 2
                continue
            }
            guard status == 0, result != nil else { return nil }
            return entry.gr_gid
        }
        return nil
    }
}
