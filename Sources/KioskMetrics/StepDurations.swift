/// The durations of one step of one form: exact count and sum since start, and the most
/// recent samples for quantiles.
public struct StepDurations: Sendable, Hashable {
    /// Samples recorded since start (exact).
    public private(set) var count = 0
    /// Sum of all samples since start, in seconds (exact up to floating point).
    public private(set) var sum = 0.0
    /// The most recent samples.
    public private(set) var recent: RecentSamples

    /// No samples yet; quantiles over at most `capacity` recent samples.
    public init(capacity: Int) {
        recent = RecentSamples(capacity: capacity)
    }

    /// Adds one duration in seconds.
    public mutating func record(_ seconds: Double) {
        count += 1
        sum += seconds
        recent.append(seconds)
    }

    /// The q-quantile of the recent samples (nearest rank); nil before the first sample.
    public func quantile(_ q: Double) -> Double? { recent.quantile(q) }

    /// The median of the recent samples.
    public var median: Double? { quantile(0.5) }

    /// The 90th percentile of the recent samples.
    public var p90: Double? { quantile(0.9) }
}
