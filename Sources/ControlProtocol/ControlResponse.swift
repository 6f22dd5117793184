#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
public import KioskMetrics
public import MadoguchiCore

/// One answer on the control socket, one JSON object on one line:
///
/// ```
/// {"ok":true,"command":"status","result":{…}}
/// {"ok":false,"error":{"code":"unknownCommand","ja":"…","en":"…"}}
/// ```
///
/// `command` names the request the result answers, so the result's shape is known without
/// context.
public enum ControlResponse: Sendable, Hashable {
    /// The request was carried out.
    case success(ControlResult)
    /// It was not; the error says why.
    case failure(ControlError)

    /// An error answer from a code and sentence.
    public static func failure(_ code: ControlErrorCode, _ message: BilingualText) -> ControlResponse {
        .failure(ControlError(code: code, message: message))
    }

    /// The JSON line to send, newline included (keys sorted, UTF-8 as is).
    public func encodedLine() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(self)) + [0x0A]
        } catch {
            // Our payloads hold only strings, integers, booleans and finite doubles; a
            // non-finite double is the one thing that can fail.
            return ControlResponse.failure(
                .internalError,
                BilingualText(
                    ja: "応答を JSON にできませんでした(数値が有限ではありません)。デーモンの不具合です。",
                    en: "The answer could not be written as JSON (a number is not finite). This is a daemon bug.")
            ).encodedLine()
        }
    }

    /// Reads one response line (without or with its newline).
    /// - Throws: `DecodingError` when the line is not a response.
    public static func decode(_ bytes: [UInt8]) throws -> ControlResponse {
        try JSONDecoder().decode(ControlResponse.self, from: Data(bytes))
    }
}

/// The result of each command.
public enum ControlResult: Sendable, Hashable {
    /// `status`.
    case status(DaemonStatus)
    /// `stats`.
    case stats(StatsReport)
    /// `printer.status`.
    case printerStatus(DaemonStatus.Printer)
    /// `queue.retry`.
    case queueRetry(QueueRetryResult)
    /// `queue.pause`: the outbox afterwards.
    case queuePause(DaemonStatus.Outbox)
    /// `queue.resume`: the outbox afterwards.
    case queueResume(DaemonStatus.Outbox)
    /// `session.cancel`.
    case sessionCancel(SessionCancelResult)

    /// The command this result answers.
    public var command: ControlCommand {
        switch self {
        case .status: .status
        case .stats: .stats
        case .printerStatus: .printerStatus
        case .queueRetry: .queueRetry
        case .queuePause: .queuePause
        case .queueResume: .queueResume
        case .sessionCancel: .sessionCancel
        }
    }
}

extension ControlResponse: Codable {
    enum CodingKeys: String, CodingKey { case ok, command, result, error }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .failure(let error):
            try container.encode(false, forKey: .ok)
            try container.encode(error, forKey: .error)
        case .success(let result):
            try container.encode(true, forKey: .ok)
            try container.encode(result.command, forKey: .command)
            switch result {
            case .status(let value): try container.encode(value, forKey: .result)
            case .stats(let value): try container.encode(value, forKey: .result)
            case .printerStatus(let value): try container.encode(value, forKey: .result)
            case .queueRetry(let value): try container.encode(value, forKey: .result)
            case .queuePause(let value), .queueResume(let value): try container.encode(value, forKey: .result)
            case .sessionCancel(let value): try container.encode(value, forKey: .result)
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard try container.decode(Bool.self, forKey: .ok) else {
            self = .failure(try container.decode(ControlError.self, forKey: .error))
            return
        }
        switch try container.decode(ControlCommand.self, forKey: .command) {
        case .status: self = .success(.status(try container.decode(DaemonStatus.self, forKey: .result)))
        case .stats: self = .success(.stats(try container.decode(StatsReport.self, forKey: .result)))
        case .printerStatus:
            self = .success(.printerStatus(try container.decode(DaemonStatus.Printer.self, forKey: .result)))
        case .queueRetry: self = .success(.queueRetry(try container.decode(QueueRetryResult.self, forKey: .result)))
        case .queuePause: self = .success(.queuePause(try container.decode(DaemonStatus.Outbox.self, forKey: .result)))
        case .queueResume: self = .success(.queueResume(try container.decode(DaemonStatus.Outbox.self, forKey: .result)))
        case .sessionCancel:
            self = .success(.sessionCancel(try container.decode(SessionCancelResult.self, forKey: .result)))
        }
    }
}
