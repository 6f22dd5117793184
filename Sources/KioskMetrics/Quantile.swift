/// Quantiles of a sample, by the **nearest-rank** method.
///
/// The q-quantile of n sorted values is the value at rank ⌈q·n⌉ (1-based; rank 1 for
/// q = 0). It is always a duration that really happened, never an interpolation between
/// two people's times, and it needs no tuning. For 1…10 the median is 5 and p90 is 9.
public enum Quantile {
    /// The q-quantile of `sorted` (ascending) by nearest rank; nil when `sorted` is empty.
    /// `q` is clamped to 0…1.
    public static func nearestRank(_ q: Double, sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let q = q.isNaN ? 0.5 : min(max(q, 0), 1)
        // q·n loses a little in binary (0.9 × 10 = 9.000000000000002): take off a relative
        // epsilon before rounding up so that exact ranks stay exact.
        let exact = q * Double(sorted.count)
        let rank = Int((exact - exact * 1e-12).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// The q-quantile of `values` in any order (sorts a copy).
    public static func nearestRank(_ q: Double, of values: [Double]) -> Double? {
        nearestRank(q, sorted: values.sorted())
    }
}
