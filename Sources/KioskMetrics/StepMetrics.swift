/// Aggregate timings and outcomes of kiosk sessions, per form and step — never per person.
///
/// "Metrics, not surveillance": a value here holds counts, sums and anonymous durations
/// keyed by form id and step only. Nothing links two durations to the same session, and
/// labels are checked (`MetricLabel`), so no name, answer or PIN can become one.
///
/// Memory is bounded: at most `maximumForms` forms, `maximumStepsPerForm` steps per form
/// and `samplesPerStep` recent samples per (form, step); counts and sums are exact.
/// Records beyond these bounds, with an invalid label or a duration that is negative or
/// not finite are dropped and counted in `dropped`.
///
/// A value type: the daemon keeps one behind `MetricsRecorder` (a `Mutex`).
public struct StepMetrics: Sendable {
    /// Recent samples kept per (form, step) for quantiles.
    public let samplesPerStep: Int
    /// Forms tracked at most.
    public let maximumForms: Int
    /// Steps tracked per form at most.
    public let maximumStepsPerForm: Int
    /// Records refused (bad label, bad duration, or a bound reached).
    public private(set) var dropped = 0

    private var forms: [String: FormRecord] = [:]
    private var nextOrder = 0

    struct FormRecord: Sendable {
        var steps: [SessionStep: StepRecord] = [:]
        var outcomes: [SessionOutcome: Int] = [:]
        var abandoned: [SessionStep: Int] = [:]
    }

    struct StepRecord: Sendable {
        var order: Int
        var durations: StepDurations
    }

    /// Empty metrics with the given bounds (defaults: 2048 samples, 64 forms, 256 steps).
    public init(samplesPerStep: Int = 2048, maximumForms: Int = 64, maximumStepsPerForm: Int = 256) {
        self.samplesPerStep = max(1, samplesPerStep)
        self.maximumForms = max(1, maximumForms)
        self.maximumStepsPerForm = max(1, maximumStepsPerForm)
    }

    /// Records how long one step of `form` took.
    /// - Returns: false when the record was dropped (form id not a slug, duration negative
    ///   or not finite, or a bound reached).
    @discardableResult
    public mutating func recordStep(form: String, step: SessionStep, seconds: Double) -> Bool {
        guard seconds.isFinite, seconds >= 0, MetricLabel.isFormID(form), admitForm(form) else {
            dropped += 1
            return false
        }
        if forms[form]?.steps[step] == nil {
            guard forms[form]!.steps.count < maximumStepsPerForm else {
                dropped += 1
                return false
            }
            forms[form]!.steps[step] = StepRecord(order: nextOrder, durations: StepDurations(capacity: samplesPerStep))
            nextOrder += 1
        }
        forms[form]!.steps[step]!.durations.record(seconds)
        return true
    }

    /// Records how a session of `form` ended. For any outcome but `finished`, `endedAt` is
    /// the step where it stopped (the abandonment point); nil when it ended before the first
    /// timed step.
    /// - Returns: false when the record was dropped (form id not a slug, or a bound reached).
    @discardableResult
    public mutating func recordSession(form: String, outcome: SessionOutcome, endedAt step: SessionStep?) -> Bool {
        guard MetricLabel.isFormID(form), admitForm(form) else {
            dropped += 1
            return false
        }
        forms[form]!.outcomes[outcome, default: 0] += 1
        if outcome != .finished, let step {
            if forms[form]!.abandoned[step] == nil && forms[form]!.abandoned.count >= maximumStepsPerForm {
                dropped += 1
                return false
            }
            forms[form]!.abandoned[step, default: 0] += 1
        }
        return true
    }

    /// Makes room for `form` if it is new and the bound allows.
    private mutating func admitForm(_ form: String) -> Bool {
        if forms[form] != nil { return true }
        guard forms.count < maximumForms else { return false }
        forms[form] = FormRecord()
        return true
    }

    /// The form ids seen, sorted.
    public var formIDs: [String] { forms.keys.sorted() }

    /// The steps of `form` in session order: card, PIN, questions (in the order first
    /// seen), review, print.
    public func steps(form: String) -> [SessionStep] {
        guard let record = forms[form] else { return [] }
        return record.steps.sorted { left, right in
            left.key.rank != right.key.rank ? left.key.rank < right.key.rank : left.value.order < right.value.order
        }.map(\.key)
    }

    /// The durations of `step` of `form`; nil when none were recorded.
    public func durations(form: String, step: SessionStep) -> StepDurations? {
        forms[form]?.steps[step]?.durations
    }

    /// How many sessions of `form` ended with `outcome`.
    public func sessions(form: String, outcome: SessionOutcome) -> Int {
        forms[form]?.outcomes[outcome] ?? 0
    }

    /// Where unfinished sessions of `form` ended, in session order, with their counts.
    public func abandonmentPoints(form: String) -> [(step: SessionStep, count: Int)] {
        guard let record = forms[form] else { return [] }
        let order = steps(form: form)
        return record.abandoned.map { (step: $0.key, count: $0.value) }.sorted { left, right in
            let leftIndex = order.firstIndex(of: left.step) ?? Int.max
            let rightIndex = order.firstIndex(of: right.step) ?? Int.max
            if leftIndex != rightIndex { return leftIndex < rightIndex }
            return left.step.rawValue < right.step.rawValue
        }
    }

    /// The `madoguchi stats` report: per form and step, count, median and p90; outcomes;
    /// abandonment points.
    public func report() -> StatsReport {
        StatsReport(
            forms: formIDs.map { form in
                StatsReport.FormStats(
                    id: form,
                    steps: steps(form: form).map { step in
                        let durations = forms[form]!.steps[step]!.durations
                        return StatsReport.StepStats(
                            step: step.rawValue, count: durations.count, medianSeconds: durations.median,
                            p90Seconds: durations.p90)
                    },
                    outcomes: StatsReport.OutcomeCounts { sessions(form: form, outcome: $0) },
                    abandonedAt: abandonmentPoints(form: form).map {
                        StatsReport.AbandonmentPoint(step: $0.step.rawValue, count: $0.count)
                    })
            })
    }
}
