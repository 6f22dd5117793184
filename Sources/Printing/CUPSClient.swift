internal import CCUPS

/// Blocking calls to the CUPS server that `CUPS_SERVER` (or client.conf) names.
///
/// Threading rule (libcups): the default connection and `cupsLastError*()` are per thread,
/// so call these from one device thread, never from the cooperative pool, and read the
/// error on the same thread (done here before returning).
public enum CUPSClient {
    /// Every destination the server offers.
    /// - Throws: `PrintingError` when the server cannot be reached.
    public static func queues() throws(PrintingError) -> [PrinterQueue] {
        var dests: UnsafeMutablePointer<cups_dest_t>?
        let count = cupsGetDests2(nil, &dests)
        defer { cupsFreeDests(count, dests) }
        if count == 0 {
            let status = cupsLastError()
            if status.rawValue > IPP_STATUS_OK_EVENTS_COMPLETE.rawValue && status != IPP_STATUS_ERROR_NOT_FOUND {
                throw lastError("cupsGetDests2", queue: nil)
            }
            return []
        }
        guard let dests else { return [] }
        return (0..<Int(count)).map { index in
            let dest = dests[index]
            func option(_ name: String) -> String? {
                cupsGetOption(name, dest.num_options, dest.options).map { String(cString: $0) }
            }
            let reasons = (option("printer-state-reasons") ?? "")
                .split(separator: ",").map(String.init).filter { $0 != "none" }
            return PrinterQueue(
                name: String(cString: dest.name),
                isDefault: dest.is_default != 0,
                state: option("printer-state").flatMap { Int($0) },
                stateReasons: reasons,
                isAcceptingJobs: option("printer-is-accepting-jobs").map { $0 == "true" },
                info: option("printer-info"))
        }
    }

    /// Submits a file to `queue` and returns the job id.
    /// - Parameters:
    ///   - title: the job title; it must hold no personal data (CUPS logs and lists it).
    ///   - options: IPP job attributes such as `media` or `sides`.
    public static func submit(
        file path: String, to queue: String, title: String, options: [String: String] = [:]
    ) throws(PrintingError) -> Int {
        var count: Int32 = 0
        var cOptions: UnsafeMutablePointer<cups_option_t>?
        for (name, value) in options.sorted(by: { $0.key < $1.key }) {
            count = cupsAddOption(name, value, count, &cOptions)
        }
        defer { cupsFreeOptions(count, cOptions) }
        let job = cupsPrintFile2(nil, queue, path, title, count, cOptions)
        guard job > 0 else { throw lastError("cupsPrintFile2", queue: queue) }
        return Int(job)
    }

    /// The state of job `id` on `queue`, or nil when CUPS no longer knows it.
    public static func jobState(queue: String, id: Int) throws(PrintingError) -> PrintJobState? {
        var jobs: UnsafeMutablePointer<cups_job_t>?
        let count = cupsGetJobs2(nil, &jobs, queue, 0, CUPS_WHICHJOBS_ALL)
        defer { cupsFreeJobs(count, jobs) }
        if count < 0 { throw lastError("cupsGetJobs2", queue: queue) }
        guard let jobs else { return nil }
        for index in 0..<Int(count) where Int(jobs[index].id) == id {
            return PrintJobState(rawValue: Int(jobs[index].state.rawValue))
        }
        return nil
    }

    /// The thread's last CUPS error, read at once (it is per thread).
    static func lastError(_ operation: String, queue: String?) -> PrintingError {
        PrintingError(
            operation: operation, queue: queue, ippStatus: Int(cupsLastError().rawValue),
            cupsMessage: cupsLastErrorString().map { String(cString: $0) } ?? "no message")
    }
}
