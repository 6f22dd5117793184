public import MadoguchiCore

/// Why a request line was refused: a code, the byte offset where the problem is (0-based,
/// when there is one) and a sentence saying what is wrong, where and what to do.
public struct ControlProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The code sent back in the error answer.
    public var code: ControlErrorCode
    /// Byte offset in the line (0-based), when the problem has a place.
    public var offset: Int?
    /// The sentence, Japanese with English.
    public var message: BilingualText

    /// A request error.
    public init(code: ControlErrorCode, offset: Int?, message: BilingualText) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    /// The answer to send back.
    public var controlError: ControlError { ControlError(code: code, message: message) }

    /// `code: ja / en`.
    public var description: String { "\(code.rawValue): \(message)" }

    static let example = #"{"command":"status"}"#

    static func at(_ offset: Int) -> (ja: String, en: String) {
        ("\(offset) バイト目(先頭を 0 として)", "at byte offset \(offset)")
    }

    /// A word from the request, shown only when it looks like an identifier (at most 32
    /// letters, digits and `._-:`): anything else may be personal data and is not repeated.
    static func quoted(_ text: String) -> (ja: String, en: String) {
        let safe = text.utf8.count <= 32 && !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || Array("._-:".utf8).contains(byte)
            }
        return safe ? ("「\(text)」", "\"\(text)\"") : ("(内容は表示しません)", "(not shown)")
    }

    /// The error for a line longer than `limit` bytes (the server sends it as soon as a
    /// line passes the limit, without waiting for its end).
    public static func tooLarge(limit: Int = ControlRequest.maximumBytes) -> Self {
        Self(
            code: .requestTooLarge, offset: limit,
            message: BilingualText(
                ja: "要求が大きすぎます(1 行 \(limit) バイトまで。\(limit) バイト目を超えました)。1 行に JSON オブジェクトを 1 つ、64 KiB 以内で送ってください。例: \(example)",
                en: "The request is too large (at most \(limit) bytes per line; it went past byte offset \(limit)). Send one JSON object of at most 64 KiB per line, e.g. \(example)"))
    }

    static func empty() -> Self {
        Self(
            code: .emptyRequest, offset: nil,
            message: BilingualText(
                ja: "空の行を受け取りました。1 行に JSON オブジェクトを 1 つ送ってください。例: \(example)",
                en: "Received an empty line. Send one JSON object per line, e.g. \(example)"))
    }
}
