import Synchronization

/// The daemon's one shared `StepMetrics`, behind a `Mutex`: the session records into it,
/// the control socket (`stats`) and a metrics endpoint read snapshots.
public final class MetricsRecorder: Sendable {
    private let state: Mutex<StepMetrics>

    /// A recorder starting from `metrics` (empty by default).
    public init(_ metrics: StepMetrics = StepMetrics()) {
        state = Mutex(metrics)
    }

    /// Records how long one step took; false when dropped (see `StepMetrics.recordStep`).
    @discardableResult
    public func recordStep(form: String, step: SessionStep, seconds: Double) -> Bool {
        state.withLock { $0.recordStep(form: form, step: step, seconds: seconds) }
    }

    /// Records how a session ended; false when dropped (see `StepMetrics.recordSession`).
    @discardableResult
    public func recordSession(form: String, outcome: SessionOutcome, endedAt step: SessionStep?) -> Bool {
        state.withLock { $0.recordSession(form: form, outcome: outcome, endedAt: step) }
    }

    /// A copy of the metrics as they are now.
    public func snapshot() -> StepMetrics { state.withLock { $0 } }

    /// The `madoguchi stats` report (quantiles computed outside the lock).
    public func report() -> StatsReport { snapshot().report() }

    /// The Prometheus text exposition (computed outside the lock).
    public func prometheusText() -> String { PrometheusExposition.text(snapshot()) }
}
