public import MadoguchiCore

/// Why the control socket could not be opened or served.
public enum ControlServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path does not fit in `sun_path` (107 bytes).
    case pathTooLong(path: String)
    /// The folder of the socket does not exist.
    case folderMissing(path: String)
    /// Another process answers on the socket (a second daemon).
    case alreadyInUse(path: String)
    /// Something that is not a socket is in the way; it is left alone.
    case notASocket(path: String)
    /// `run()` was called twice.
    case alreadyRunning(path: String)
    /// A system call failed.
    case system(operation: String, path: String, errno: Int32)

    /// What is wrong and what to do, Japanese with English.
    public var message: BilingualText {
        switch self {
        case .pathTooLong(let path):
            BilingualText(
                ja: "制御ソケットのパス \(path) が長すぎます(107 バイトまで)。短いパスを MADOGUCHI_CONTROL_SOCKET に指定してください。",
                en: "The control socket path \(path) is too long (at most 107 bytes). Set a shorter MADOGUCHI_CONTROL_SOCKET.")
        case .folderMissing(let path):
            BilingualText(
                ja: "制御ソケット \(path) のフォルダーがありません。systemd の RuntimeDirectory=madoguchi か tmpfiles で作成してください。",
                en: "The folder of the control socket \(path) does not exist. Create it (systemd RuntimeDirectory=madoguchi or tmpfiles).")
        case .alreadyInUse(let path):
            BilingualText(
                ja: "制御ソケット \(path) は別のプロセスが使っています。madoguchid が二重に起動していないか確認してください。",
                en: "Another process is listening on the control socket \(path). Check that madoguchid is not running twice.")
        case .notASocket(let path):
            BilingualText(
                ja: "\(path) にソケットではないファイルがあります(消していません)。中身を確認して移動してください。",
                en: "\(path) exists and is not a socket (left untouched). Check it and move it away.")
        case .alreadyRunning(let path):
            BilingualText(
                ja: "制御ソケット \(path) のサーバーはすでに動いています(run() は 1 回だけ)。",
                en: "The control socket server on \(path) is already running (run() is called once).")
        case .system(let operation, let path, let code):
            BilingualText(
                ja: "制御ソケット \(path) の \(operation) に失敗しました: \(SystemCalls.describe(code))。",
                en: "\(operation) on the control socket \(path) failed: \(SystemCalls.describe(code)).")
        }
    }

    /// The English sentence, for logs.
    public var description: String { message.en }
}
