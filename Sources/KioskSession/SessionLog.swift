public import Flows
public import MyNumberCard

/// A session's event log without personal data, and its replay: a field problem is
/// reproduced by feeding the log to a fresh session with the same configuration.
///
/// What is kept: every event, in order, with the identity and the text and dates of answers
/// masked (text by as many `＊`, dates by the session's date, the identity by a placeholder
/// person). Booleans, choices and numbers stay: they are what flows branch on, and they
/// name no one. A flow that branched on a masked value replays down the placeholder's
/// branch; `replay` then reports where the phases part.
public struct SessionLog: Sendable, Hashable {
    /// The events, masked.
    public private(set) var events: [SessionEvent] = []

    /// An empty log.
    public init() {}

    /// Appends an event, masked.
    public mutating func record(_ event: SessionEvent, today: CalendarDate) {
        events.append(Self.masked(event, today: today))
    }

    /// The placeholder card holder of a replay.
    public static let placeholder = ResidentIdentity(
        name: "＊", address: "＊", birth: "19000101", birthDate: "1900-01-01", birthWareki: "明治33年1月1日", sex: ResidentIdentity.Sex(code: "9")!)

    /// `event` without personal data.
    public static func masked(_ event: SessionEvent, today: CalendarDate) -> SessionEvent {
        switch event {
        case .readSucceeded: .readSucceeded(placeholder)
        case .answer(let value): .answer(masked(value, today: today))
        default: event
        }
    }

    static func masked(_ value: AnswerValue, today: CalendarDate) -> AnswerValue {
        switch value {
        case .text(let text): .text(String(repeating: "＊", count: text.count))
        case .date: .date(today)
        case .identity(let changed, let address): .identity(addressChanged: changed, newAddress: address.map { String(repeating: "＊", count: $0.count) })
        case .items(let items): .items(items.map { $0.mapValues { masked($0, today: today) } })
        case .boolean, .choice, .choices, .number: value
        }
    }

    /// Runs the log through a fresh session; the phase after each event.
    public func replay(_ configuration: SessionConfiguration) -> [SessionPhase] {
        var session = KioskSession(configuration: configuration)
        return events.map { event in
            _ = session.handle(event)
            return session.phase
        }
    }
}
