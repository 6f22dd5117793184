/// The most recent samples, at most `capacity` of them (a ring buffer): bounded memory for
/// quantiles however long the kiosk runs.
public struct RecentSamples: Sendable, Hashable {
    /// How many samples are kept at most.
    public let capacity: Int
    private var storage: [Double] = []
    private var next = 0

    /// An empty buffer keeping at most `capacity` (≥ 1) samples.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Adds a sample, replacing the oldest when full.
    public mutating func append(_ value: Double) {
        if storage.count < capacity {
            storage.append(value)
        } else {
            storage[next] = value
        }
        next = (next + 1) % capacity
    }

    /// How many samples are held (≤ `capacity`).
    public var count: Int { storage.count }

    /// The samples held, in no particular order.
    public var values: [Double] { storage }

    /// The q-quantile of the samples held (nearest rank, see `Quantile`); nil when empty.
    public func quantile(_ q: Double) -> Double? { Quantile.nearestRank(q, of: storage) }
}
