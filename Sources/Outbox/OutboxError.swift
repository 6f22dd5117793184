public import MadoguchiCore

/// Why the outbox refused or failed an operation: what is wrong, where, what to do.
/// Messages name paths, submission ids and counts, never the content of a submission.
public enum OutboxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No key at the configured place.
    case keyMissing(String)
    /// The key file or credential exists but cannot be used (unreadable, malformed, or
    /// readable by others); the text says which.
    case keyUnusable(path: String, problem: BilingualText)
    /// The queue was opened without its key (staff tools), and this needs it.
    case keyNotLoaded
    /// `keys init` would replace an existing key (and orphan the queue).
    case keyExists(String)
    /// The database was sealed with another key. Nothing was changed.
    case wrongKey(database: String)
    /// No outbox at this path yet: the daemon creates it at its first start.
    case notCreated(String)
    /// The database cannot be opened or is damaged.
    case databaseUnusable(path: String, detail: String)
    /// As many submissions as `[outbox] maxPending` are kept already.
    case queueFull(limit: Int)
    /// The file system is (nearly) full. Nothing was written.
    case diskFull(path: String, freeBytes: Int64?)
    /// The submission body does not have the expected shape.
    case invalidBody(BilingualText)
    /// An id already in the outbox.
    case duplicate(SubmissionID)
    /// No submission with this id.
    case notFound(SubmissionID)
    /// The operation does not apply to a submission in this state.
    case wrongState(SubmissionID, operation: String, state: String)
    /// A print result that cannot be recorded.
    case invalidPrint(BilingualText)
    /// A stored payload failed authentication: damaged on disk.
    case damaged(SubmissionID)
    /// SQLite reported an error the cases above do not cover.
    case storage(String)

    /// The message, Japanese first with English.
    public var text: BilingualText {
        switch self {
        case .keyMissing(let path):
            BilingualText(
                ja: "送信待ちキューの鍵がありません(\(path))。設置時に madoguchi keys init で作成するか、systemd の資格情報で渡してください。",
                en: "The outbox key is missing (\(path)). Create it at install with `madoguchi keys init`, or pass it as a systemd credential.")
        case .keyUnusable(let path, let problem):
            BilingualText(ja: "送信待ちキューの鍵 \(path) を使えません: \(problem.ja)", en: "Cannot use the outbox key \(path): \(problem.en)")
        case .keyNotLoaded:
            BilingualText(
                ja: "この操作には送信待ちキューの鍵が必要ですが、鍵なしで開いています。",
                en: "This needs the outbox key, but the outbox was opened without it.")
        case .keyExists(let path):
            BilingualText(
                ja: "鍵 \(path) は既にあります。置き換えると送信待ちの提出が読めなくなるため、上書きしません。",
                en: "The key \(path) already exists. Replacing it would make the waiting submissions unreadable, so it is not overwritten.")
        case .wrongKey(let database):
            BilingualText(
                ja: "送信待ちキュー \(database) は別の鍵で暗号化されています。何も変更していません。設置時の鍵を戻してください。",
                en: "The outbox \(database) was sealed with another key. Nothing was changed. Restore the key it was installed with.")
        case .notCreated(let path):
            BilingualText(
                ja: "送信待ちキュー \(path) はまだありません。デーモン madoguchid が初回起動時に作成します。パスは [outbox] path で確認してください。",
                en: "There is no outbox at \(path) yet. The daemon madoguchid creates it at its first start. Check the path in [outbox] path.")
        case .databaseUnusable(let path, let detail):
            BilingualText(
                ja: "送信待ちキュー \(path) を開けません(\(detail))。技術者に連絡してください。",
                en: "Cannot open the outbox \(path) (\(detail)). Call a technician.")
        case .queueFull(let limit):
            BilingualText(
                ja: "送信待ちが上限の \(limit) 件に達したため、新しい提出を受け付けません。ネットワークと送信先を確認してください。",
                en: "The outbox holds its limit of \(limit) submissions, so it refuses new ones. Check the network and the back office.")
        case .diskFull(let path, let free):
            BilingualText(
                ja: "ディスクの空きが不足しているため(\(path)\(free.map { "、空き \($0 / 1024) KiB" } ?? ""))、新しい提出を受け付けません。何も書き込んでいません。",
                en: "The disk is too full (\(path)\(free.map { ", \($0 / 1024) KiB free" } ?? "")), so the outbox refuses new submissions. Nothing was written.")
        case .invalidBody(let problem):
            problem
        case .duplicate(let id):
            BilingualText(ja: "提出 \(id) は既に送信待ちキューにあります。", en: "The submission \(id) is already in the outbox.")
        case .notFound(let id):
            BilingualText(ja: "提出 \(id) は送信待ちキューにありません。", en: "The submission \(id) is not in the outbox.")
        case .wrongState(let id, let operation, let state):
            BilingualText(
                ja: "提出 \(id) は状態 \(state) のため \(operation) できません。",
                en: "Cannot \(operation) the submission \(id): it is \(state).")
        case .invalidPrint(let problem):
            problem
        case .damaged(let id):
            BilingualText(
                ja: "提出 \(id) の暗号データが壊れています(認証に失敗)。技術者に連絡してください。",
                en: "The sealed data of submission \(id) is damaged (authentication failed). Call a technician.")
        case .storage(let detail):
            BilingualText(ja: "送信待ちキューのエラー: \(detail)", en: "Outbox error: \(detail)")
        }
    }

    public var description: String { text.description }
}
