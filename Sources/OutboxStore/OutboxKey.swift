import Crypto
public import Foundation
import MadoguchiCore
public import Outbox

#if canImport(Glibc)
import Glibc
#endif

/// Where the outbox key comes from: a systemd credential wins over the key file
/// (docs/contracts/configuration.md, `[outbox] keyCredential` and `keyFile`).
public enum OutboxKeySource: Sendable, Hashable, CustomStringConvertible {
    /// A 0600 file made by `madoguchi keys init`.
    case file(String)
    /// `$CREDENTIALS_DIRECTORY/<name>`; `directory` is `nil` when the service was started
    /// without credentials.
    case credential(name: String, directory: String?)

    /// The default key file.
    public static let defaultFile = "/etc/madoguchi/outbox.key"

    /// The source the configuration names: the credential when `keyCredential` is set,
    /// else `keyFile` (or the default file).
    public static func configured(keyFile: String?, keyCredential: String?, environment: [String: String]) -> Self {
        if let keyCredential, !keyCredential.isEmpty {
            return .credential(name: keyCredential, directory: environment["CREDENTIALS_DIRECTORY"].flatMap { $0.isEmpty ? nil : $0 })
        }
        return .file(keyFile ?? defaultFile)
    }

    /// The path read, for messages.
    public var path: String {
        switch self {
        case .file(let path): path
        case .credential(let name, let directory): (directory ?? "$CREDENTIALS_DIRECTORY") + "/" + name
        }
    }

    public var description: String {
        switch self {
        case .file(let path): path
        case .credential(let name, _): "credential \(name) (\(path))"
        }
    }
}

/// The AES-256-GCM key that seals every payload in the outbox. It is provisioned at
/// install and never created beside the database at run time.
public struct OutboxKey: Sendable {
    let key: SymmetricKey

    init(key: SymmetricKey) {
        self.key = key
    }

    /// A short identifier of the key (not the key), so a technician can tell two keys apart.
    public var fingerprint: String {
        let digest = SHA256.hash(data: Data("madoguchi outbox key id".utf8) + key.withUnsafeBytes { Data($0) })
        return digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads the key from `source`; fails with what is wrong and what to do.
    public static func load(from source: OutboxKeySource) throws(OutboxError) -> OutboxKey {
        if case .credential(let name, nil) = source {
            throw .keyUnusable(
                path: source.path,
                problem: BilingualText(
                    ja: "keyCredential = \"\(name)\" ですが、サービスが資格情報なしで起動されました(CREDENTIALS_DIRECTORY がありません)。unit の LoadCredential=(または LoadCredentialEncrypted=)を確認してください。",
                    en: "keyCredential = \"\(name)\" but the service was started without credentials (no CREDENTIALS_DIRECTORY). Check LoadCredential= (or LoadCredentialEncrypted=) in the unit."))
        }
        let path = source.path
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { throw .keyMissing(path) }
            throw .keyUnusable(path: path, problem: systemProblem(errno))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .keyUnusable(
                path: path, problem: BilingualText(ja: "通常のファイルではありません。", en: "it is not a regular file."))
        }
        if case .file = source, info.st_mode & 0o077 != 0 {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw .keyUnusable(
                path: path,
                problem: BilingualText(
                    ja: "所有者以外も読めます(mode \(mode))。chmod 600 \(path) を実行してください。",
                    en: "others can read it (mode \(mode)). Run chmod 600 \(path)."))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .keyUnusable(path: path, problem: systemProblem(EACCES))
        }
        return try parse(data, path: path)
    }

    /// Parses the key file's text: one line of base64 holding 32 bytes.
    public static func parse(_ data: Data, path: String) throws(OutboxError) -> OutboxKey {
        guard let bytes = OutboxKeyText.decode(data) else {
            throw .keyUnusable(
                path: path,
                problem: BilingualText(
                    ja: "鍵の形式が違います(32 バイトを base64 で 1 行、madoguchi keys init が作る形式)。",
                    en: "it is not a key (one line of base64 holding 32 bytes, as `madoguchi keys init` writes)."))
        }
        return OutboxKey(key: SymmetricKey(data: bytes))
    }

    /// Creates a new random key in a new 0600 file at `path` (`madoguchi keys init`);
    /// refuses to replace an existing file. Missing parent folders are made 0750.
    public static func create(at path: String) throws(OutboxError) -> OutboxKey {
        let key = SymmetricKey(size: .bits256)
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            do {
                try FileManager.default.createDirectory(
                    atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
            } catch {
                throw .keyUnusable(path: path, problem: systemProblem(errno == 0 ? EACCES : errno))
            }
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw .keyExists(path) }
            throw .keyUnusable(path: path, problem: systemProblem(errno))
        }
        defer { close(descriptor) }
        let line = Array(OutboxKeyText.encode(key.withUnsafeBytes { Data($0) }).utf8)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count, fchmod(descriptor, 0o600) == 0, fsync(descriptor) == 0 else {
            let problem = systemProblem(errno)
            unlink(path)
            throw .keyUnusable(path: path, problem: problem)
        }
        let directory = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
        return OutboxKey(key: key)
    }

    static func systemProblem(_ code: Int32) -> BilingualText {
        let reason = String(cString: strerror(code))
        return BilingualText(ja: "読み書きできません(\(reason))。", en: "\(reason).")
    }
}
