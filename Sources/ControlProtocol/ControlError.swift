public import MadoguchiCore

/// An error answer: `{"ok":false,"error":{"code":"unknownCommand","ja":"…","en":"…"}}`.
///
/// The sentences say what is wrong, where (a byte offset for request errors) and what to
/// do. They never repeat what the client sent beyond a short identifier-like word, so no
/// personal data travels back or into a log.
public struct ControlError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// A stable machine-readable code.
    public var code: ControlErrorCode
    /// The sentence, Japanese with English.
    public var message: BilingualText

    /// An error answer.
    public init(code: ControlErrorCode, message: BilingualText) {
        self.code = code
        self.message = message
    }

    /// `code: ja / en`.
    public var description: String { "\(code.rawValue): \(message)" }

    enum CodingKeys: String, CodingKey { case code, ja, en }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(ControlErrorCode.self, forKey: .code)
        message = BilingualText(
            ja: try container.decode(String.self, forKey: .ja), en: try container.decode(String.self, forKey: .en))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message.ja, forKey: .ja)
        try container.encode(message.en, forKey: .en)
    }
}

/// The `code` of an error answer. A string-backed struct, not a closed enum, so a client
/// understands answers from a newer daemon.
public struct ControlErrorCode: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: String

    /// A code from its wire value.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The wire value.
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    // Request errors (ControlRequest.parse).
    /// The line is longer than 64 KiB.
    public static let requestTooLarge = Self(rawValue: "requestTooLarge")
    /// The line is empty.
    public static let emptyRequest = Self(rawValue: "emptyRequest")
    /// The line is not UTF-8 (binary data).
    public static let notUTF8 = Self(rawValue: "notUTF8")
    /// The line is not JSON.
    public static let invalidJSON = Self(rawValue: "invalidJSON")
    /// The JSON is not an object.
    public static let notAnObject = Self(rawValue: "notAnObject")
    /// No `"command"`.
    public static let missingCommand = Self(rawValue: "missingCommand")
    /// A `"command"` the daemon does not know.
    public static let unknownCommand = Self(rawValue: "unknownCommand")
    /// A member has the wrong JSON type.
    public static let wrongType = Self(rawValue: "wrongType")
    /// A member the command does not take.
    public static let unknownField = Self(rawValue: "unknownField")
    /// The same member twice.
    public static let duplicateField = Self(rawValue: "duplicateField")
    /// A member the command needs is missing.
    public static let missingArgument = Self(rawValue: "missingArgument")
    /// A member's value is not acceptable (e.g. not a UUID).
    public static let invalidArgument = Self(rawValue: "invalidArgument")
    /// Members that exclude each other.
    public static let conflictingArguments = Self(rawValue: "conflictingArguments")

    // Server and daemon errors.
    /// The peer is not root, the daemon's user or in the `madoguchi` group.
    public static let forbidden = Self(rawValue: "forbidden")
    /// Too many connections at once.
    public static let busy = Self(rawValue: "busy")
    /// The connection sent nothing for too long.
    public static let idleTimeout = Self(rawValue: "idleTimeout")
    /// The daemon cannot do this now (e.g. no printer configured).
    public static let unavailable = Self(rawValue: "unavailable")
    /// The daemon failed while answering.
    public static let internalError = Self(rawValue: "internalError")
}
