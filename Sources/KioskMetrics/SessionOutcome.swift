/// How a session ended; the `outcome` label of `madoguchi_sessions_total`.
public enum SessionOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// The resident finished (submission stored, documents printed or handed over).
    case finished
    /// The resident cancelled.
    case cancelled
    /// Nobody answered "do you need more time?".
    case timedOut
    /// The card was taken off the reader before the end.
    case cardRemoved
    /// Staff ended the session (`madoguchi` control socket `session.cancel`, staff PIN).
    case staffAborted

    /// Japanese name for tables.
    var japanese: String {
        switch self {
        case .finished: "完了"
        case .cancelled: "取消"
        case .timedOut: "時間切れ"
        case .cardRemoved: "カード取り外し"
        case .staffAborted: "職員による中断"
        }
    }
}
