import Crypto
import Foundation

/// The per-kiosk bearer tokens the receiver accepts, kept as SHA-256 digests: a tokens file
/// has one `<kiosk-id> <sha256 hex of the token>` per line (`#` starts a comment), written
/// by `madoguchi-backoffice token add`.
struct KioskTokens: Sendable {
    /// Digest (hex) → kiosk id.
    private let kiosks: [String: String]

    var count: Int { kiosks.count }

    init(digests: [String: String]) {
        kiosks = digests
    }

    /// Reads a tokens file; every bad line is named.
    static func load(_ path: String) throws(TokensFileError) -> KioskTokens {
        guard let data = FileManager.default.contents(atPath: path) else { throw TokensFileError(path: path, line: nil, problem: "cannot be read") }
        var digests: [String: String] = [:]
        for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 2, isKioskID(String(fields[0])) else {
                throw TokensFileError(path: path, line: index + 1, problem: "expected \"<kiosk-id> <sha256 hex>\"")
            }
            let digest = fields[1].lowercased()
            guard digest.count == 64, digest.allSatisfy(\.isHexDigit) else {
                throw TokensFileError(path: path, line: index + 1, problem: "the digest is not 64 hex digits")
            }
            guard digests[digest] == nil else {
                throw TokensFileError(path: path, line: index + 1, problem: "this token is already given to \(digests[digest] ?? "")")
            }
            digests[digest] = String(fields[0])
        }
        return KioskTokens(digests: digests)
    }

    /// The kiosk an `Authorization` header belongs to, or `nil`.
    func kiosk(authorization: String?) -> String? {
        guard let authorization, authorization.count <= 600 else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return kiosks[Self.digest(String(parts[1]).trimmingCharacters(in: .whitespaces))]
    }

    static func digest(_ token: String) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(token.utf8)) {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `kasumi-honcho-01`: the submission schema's kiosk id.
    static func isKioskID(_ text: String) -> Bool {
        guard text.count <= 64, let first = text.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        var previousHyphen = false
        for scalar in text.unicodeScalars {
            if scalar == "-" {
                if previousHyphen { return false }
                previousHyphen = true
            } else if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                previousHyphen = false
            } else {
                return false
            }
        }
        return !previousHyphen
    }

    /// A new random token: 32 bytes, base64url without padding.
    static func newToken() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

struct TokensFileError: Error, CustomStringConvertible {
    var path: String
    var line: Int?
    var problem: String

    var description: String {
        let place = line.map { "\(path):\($0)" } ?? path
        return "\(place): error: トークンファイルを読めません / cannot read the tokens file: \(problem)."
    }
}
