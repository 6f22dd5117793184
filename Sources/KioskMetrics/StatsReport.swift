/// What `madoguchi stats` shows: per form, per step the count, median and p90 (seconds);
/// how sessions ended; where unfinished ones stopped. Aggregates only.
///
/// JSON (`madoguchi stats --json`, the control socket's `stats` result):
/// `{"forms":[{"id":"okuyami","steps":[{"step":"card","count":12,"medianSeconds":3.5,
/// "p90Seconds":6},…],"outcomes":{"finished":10,…},"abandonedAt":[{"step":"pin","count":1}]}]}`
public struct StatsReport: Sendable, Hashable, Codable {
    /// One entry per form seen, sorted by id.
    public var forms: [FormStats]

    /// A report of `forms`.
    public init(forms: [FormStats] = []) {
        self.forms = forms
    }

    /// One form's figures.
    public struct FormStats: Sendable, Hashable, Codable {
        /// The form bundle id.
        public var id: String
        /// Its steps in session order.
        public var steps: [StepStats]
        /// How its sessions ended.
        public var outcomes: OutcomeCounts
        /// Where its unfinished sessions ended.
        public var abandonedAt: [AbandonmentPoint]

        /// A form's figures.
        public init(id: String, steps: [StepStats], outcomes: OutcomeCounts, abandonedAt: [AbandonmentPoint]) {
            self.id = id
            self.steps = steps
            self.outcomes = outcomes
            self.abandonedAt = abandonedAt
        }
    }

    /// One step's figures. `count` is exact since start; median and p90 are over the recent
    /// samples (nearest rank), null when there are none.
    public struct StepStats: Sendable, Hashable, Codable {
        /// The step (`card`, `pin`, `question:<id>`, `review`, `print`).
        public var step: String
        /// Durations recorded since start.
        public var count: Int
        /// Median duration in seconds.
        public var medianSeconds: Double?
        /// 90th percentile in seconds.
        public var p90Seconds: Double?

        /// A step's figures.
        public init(step: String, count: Int, medianSeconds: Double?, p90Seconds: Double?) {
            self.step = step
            self.count = count
            self.medianSeconds = medianSeconds
            self.p90Seconds = p90Seconds
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(step, forKey: .step)
            try container.encode(count, forKey: .count)
            try container.encode(medianSeconds, forKey: .medianSeconds)  // null, not absent
            try container.encode(p90Seconds, forKey: .p90Seconds)
        }

        enum CodingKeys: String, CodingKey { case step, count, medianSeconds, p90Seconds }
    }

    /// Sessions per outcome.
    public struct OutcomeCounts: Sendable, Hashable, Codable {
        /// Finished sessions.
        public var finished: Int
        /// Cancelled by the resident.
        public var cancelled: Int
        /// Timed out.
        public var timedOut: Int
        /// Ended by taking the card away.
        public var cardRemoved: Int
        /// Ended by staff.
        public var staffAborted: Int

        /// Counts given one by one.
        public init(finished: Int = 0, cancelled: Int = 0, timedOut: Int = 0, cardRemoved: Int = 0, staffAborted: Int = 0) {
            self.finished = finished
            self.cancelled = cancelled
            self.timedOut = timedOut
            self.cardRemoved = cardRemoved
            self.staffAborted = staffAborted
        }

        /// Counts read from `count` for each outcome.
        public init(_ count: (SessionOutcome) -> Int) {
            self.init(
                finished: count(.finished), cancelled: count(.cancelled), timedOut: count(.timedOut),
                cardRemoved: count(.cardRemoved), staffAborted: count(.staffAborted))
        }

        /// The count of one outcome.
        public subscript(outcome: SessionOutcome) -> Int {
            switch outcome {
            case .finished: finished
            case .cancelled: cancelled
            case .timedOut: timedOut
            case .cardRemoved: cardRemoved
            case .staffAborted: staffAborted
            }
        }
    }

    /// A step where unfinished sessions ended, and how many.
    public struct AbandonmentPoint: Sendable, Hashable, Codable {
        /// The step.
        public var step: String
        /// Unfinished sessions that ended there.
        public var count: Int

        /// An abandonment point.
        public init(step: String, count: Int) {
            self.step = step
            self.count = count
        }
    }
}
