public import MadoguchiCore

/// A failed CUPS call: the operation, the queue, the IPP status and CUPS's own words
/// (read with `cupsLastErrorString()` on the failing thread, at once). It never carries a
/// job title or document content.
public struct PrintingError: Error, Sendable, CustomStringConvertible {
    /// The libcups function that failed, e.g. `cupsPrintFile2`.
    public let operation: String
    /// The CUPS queue involved, when there is one.
    public let queue: String?
    /// The raw `ipp_status_t`.
    public let ippStatus: Int
    /// `cupsLastErrorString()` at the time of the failure.
    public let cupsMessage: String

    /// Creates an error for `operation` on `queue`.
    public init(operation: String, queue: String?, ippStatus: Int, cupsMessage: String) {
        self.operation = operation
        self.queue = queue
        self.ippStatus = ippStatus
        self.cupsMessage = cupsMessage
    }

    /// What to do about it, Japanese first.
    public var advice: BilingualText {
        BilingualText(
            ja: "プリンターに問題があります。係員に連絡してください(CUPSの状態を確認)。",
            en: "The printer has a problem. Call staff (check the CUPS queue).")
    }

    /// One line for logs and terminals.
    public var description: String {
        let on = queue.map { " on queue \"\($0)\"" } ?? ""
        let hex = "0x" + String(ippStatus, radix: 16, uppercase: true)
        return "\(operation)\(on) failed: IPP status \(hex), \(cupsMessage). \(advice)"
    }
}
