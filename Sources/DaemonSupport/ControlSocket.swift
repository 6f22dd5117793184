#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Where the control socket lives.
public enum ControlSocket {
    /// The socket on a kiosk (systemd's `RuntimeDirectory=madoguchi` makes the folder).
    public static let defaultPath = "/run/madoguchi/control.sock"

    /// The environment variable that moves the socket (tests, demos).
    public static let environmentVariable = "MADOGUCHI_CONTROL_SOCKET"

    /// The group whose members may use the socket besides root and the daemon's user.
    public static let groupName = "madoguchi"

    /// `$MADOGUCHI_CONTROL_SOCKET` when set and not empty, else `defaultPath`.
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment[environmentVariable], !path.isEmpty { return path }
        return defaultPath
    }
}
