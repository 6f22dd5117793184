public import Foundation

/// The text of an outbox key file or credential: one line of base64 holding the 32 bytes
/// of an AES-256 key, as `madoguchi keys init` writes it. Surrounding blanks and one
/// final newline are allowed; anything else is not a key.
public enum OutboxKeyText {
    /// The key's length in bytes.
    public static let keyBytes = 32
    /// The longest file read as a key: the 44 characters of base64 and some blanks.
    public static let maximumFileBytes = 256

    /// The key bytes, or `nil` when `data` is not a key file.
    public static func decode(_ data: Data) -> Data? {
        guard data.count <= maximumFileBytes else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: text), bytes.count == keyBytes else { return nil }
        return bytes
    }

    /// The file text for `key`: base64 and a newline.
    public static func encode(_ key: Data) -> String {
        key.base64EncodedString() + "\n"
    }
}
