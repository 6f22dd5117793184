import CCrypt
#if canImport(Glibc)
import Glibc
#endif

/// The staff passcode: 6 to 12 digits, kept on the kiosk only as a crypt(3) SHA-512 hash
/// (`$6$…`, libxcrypt) in `[staff] passcodeHashFile` (0600), made by
/// `madoguchi staff passcode`. The digits themselves live only in memory, for one check;
/// they are passed as ASCII bytes (`0x30`–`0x39`), as the runtime's PIN buffer holds them.
public enum StaffPasscode {
    /// Digits a passcode may have.
    public static let lengths = 6...12

    /// Why a passcode or a hash cannot be used. Messages never hold the passcode.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not 6 to 12 digits.
        case notDigits
        /// The hash file does not hold one `$6$` hash line.
        case malformedHash
        /// libcrypt refused (no random salt, or an internal error).
        case cryptFailed(errno: Int32)

        public var description: String {
            switch self {
            case .notDigits:
                "職員の暗証番号は 6〜12 桁の数字にしてください。 / The staff passcode must be 6 to 12 digits."
            case .malformedHash:
                "職員の暗証番号のハッシュが読めません($6$ で始まる 1 行が必要です)。madoguchi staff passcode で作り直してください。 / "
                    + "The staff passcode hash cannot be read (one line starting with $6$ is needed); make it again with `madoguchi staff passcode`."
            case .cryptFailed(let code):
                "libcrypt がハッシュを作れませんでした(errno \(code))。 / libcrypt could not make the hash (errno \(code))."
            }
        }
    }

    /// Whether `digits` (ASCII) can be a passcode.
    public static func isValid(_ digits: [UInt8]) -> Bool {
        lengths.contains(digits.count) && digits.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// A new `$6$` hash of `digits` (ASCII) with a random salt.
    public static func hash(_ digits: [UInt8]) throws(Problem) -> String {
        guard isValid(digits) else { throw .notDigits }
        var setting = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        // No random bytes given: libxcrypt takes them from the kernel (getrandom).
        guard crypt_gensalt_rn("$6$", 0, nil, 0, &setting, Int32(setting.count)) != nil else { throw .cryptFailed(errno: errno) }
        return try crypt(digits, setting: setting)
    }

    /// The hash in a passcode file's text: its one `$6$` line.
    public static func parseHash(_ text: String) throws(Problem) -> String {
        let lines = text.split(whereSeparator: \.isNewline)
            .map { line in String(line.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()) }
            .filter { !$0.isEmpty }
        guard lines.count == 1, let line = lines.first, line.hasPrefix("$6$"), line.split(separator: "$").count >= 3,
            line.allSatisfy({ $0.isASCII && !$0.isWhitespace })
        else { throw .malformedHash }
        return line
    }

    /// Whether `digits` match `hash` (compared in constant time).
    public static func matches(_ digits: [UInt8], hash: String) -> Bool {
        guard isValid(digits), let computed = try? crypt(digits, setting: Array(hash.utf8CString)) else { return false }
        let a = Array(computed.utf8)
        let b = Array(hash.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// crypt_r of the digits as text, the phrase wiped afterwards.
    private static func crypt(_ digits: [UInt8], setting: [CChar]) throws(Problem) -> String {
        var phrase = digits.map { CChar(bitPattern: $0) } + [0]
        defer { for index in phrase.indices { phrase[index] = 0 } }
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer {
            memset(data, 0, MemoryLayout<crypt_data>.size)
            data.deallocate()
        }
        memset(data, 0, MemoryLayout<crypt_data>.size)
        guard let result = crypt_r(phrase, setting, data) else { throw .cryptFailed(errno: errno) }
        let text = String(cString: result)
        // libxcrypt answers a refusal with a string starting with "*" rather than NULL.
        guard text.hasPrefix("$6$") else { throw .cryptFailed(errno: errno) }
        return text
    }
}
