internal import CCUPS
import Foundation

/// What to ask of the printer for one job.
public struct PrintOptions: Sendable, Hashable {
    /// IPP `media`, e.g. `iso_a4_210x297mm`.
    public var media: String?
    /// IPP `sides`: `one-sided`, `two-sided-long-edge`, `two-sided-short-edge`.
    public var sides: String?
    /// Copies.
    public var copies: Int

    /// Options for one job.
    public init(media: String? = nil, sides: String? = nil, copies: Int = 1) {
        self.media = media
        self.sides = sides
        self.copies = copies
    }

    var attributes: [String: String] {
        var result = ["copies": String(copies)]
        if let media { result["media"] = media }
        if let sides { result["sides"] = sides }
        return result
    }
}

/// One CUPS queue, driven from its own thread (libcups's rule). Every call ends: cupsd
/// down, the queue missing, paused or rejecting are errors with a clear message, and a
/// job is followed only as long as the caller allows.
///
/// Privileges: resuming a queue and setting its error policy are CUPS admin operations;
/// the daemon's user must be in the `lpadmin` group (cups-files.conf `SystemGroup`).
public final class Printer: Sendable {
    /// The CUPS queue.
    public let queue: String
    private let thread: DeviceThread

    /// A printer on `queue`, talking to `server` (a socket path or host; nil: `CUPS_SERVER`
    /// or client.conf).
    public init(queue: String, server: String? = nil) {
        self.queue = queue
        thread = DeviceThread(name: "madoguchi-cups-\(queue)")
        // First on the thread, before any request.
        if let server { thread.post { cupsSetServer(server) } }
    }

    deinit { thread.stop() }

    /// The server's default queue, or nil when it has none.
    public static func defaultQueue(server: String? = nil) async -> String? {
        let thread = DeviceThread(name: "madoguchi-cups-default")
        defer { thread.stop() }
        return await thread.run {
            if let server { cupsSetServer(server) }
            return cupsGetDefault2(nil).map { String(cString: $0) }
        }
    }

    /// The queue's state, reasons, acceptance, message, error policy and active jobs.
    public func status() async throws(PrintingError) -> PrinterStatus {
        let queue = self.queue
        return try await thread.run { () throws(PrintingError) -> PrinterStatus in
            let request = IPP.request(IPP_OP_GET_PRINTER_ATTRIBUTES, queue: queue)
            IPP.requestAttributes(request, [
                "printer-state", "printer-state-reasons", "printer-is-accepting-jobs", "printer-state-message",
                "printer-error-policy", "queued-job-count", "marker-names", "marker-types", "marker-colors", "marker-levels",
                "marker-low-levels", "marker-high-levels",
            ])
            let response = try IPP.send(request, operation: "Get-Printer-Attributes", queue: queue)
            defer { ippDelete(response) }
            return PrinterStatus(
                queue: queue,
                state: PrinterState(rawValue: IPP.integer(response, "printer-state", IPP_TAG_ENUM) ?? 3) ?? .idle,
                reasons: IPP.strings(response, "printer-state-reasons").compactMap(PrinterReason.init(keyword:)),
                isAcceptingJobs: IPP.boolean(response, "printer-is-accepting-jobs") ?? false,
                message: IPP.strings(response, "printer-state-message").first ?? "",
                errorPolicy: IPP.strings(response, "printer-error-policy").first,
                activeJobs: IPP.integer(response, "queued-job-count") ?? 0,
                markers: MarkerAttributes(
                    names: IPP.strings(response, "marker-names"), types: IPP.strings(response, "marker-types"),
                    colors: IPP.strings(response, "marker-colors"), levels: IPP.integers(response, "marker-levels"),
                    lowLevels: IPP.integers(response, "marker-low-levels"), highLevels: IPP.integers(response, "marker-high-levels")))
        }
    }

    /// A job's state, or nil when CUPS no longer knows it.
    public func job(_ id: Int) async throws(PrintingError) -> JobStatus? {
        let queue = self.queue
        return try await thread.run { () throws(PrintingError) -> JobStatus? in
            let request = IPP.request(IPP_OP_GET_JOB_ATTRIBUTES, queue: queue)
            ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", Int32(id))
            IPP.requestAttributes(request, ["job-state", "job-state-reasons", "job-media-sheets-completed", "job-printer-state-message"])
            let response: OpaquePointer
            do throws(PrintingError) {
                response = try IPP.send(request, operation: "Get-Job-Attributes", queue: queue)
            } catch where error.ippStatus == Int(IPP_STATUS_ERROR_NOT_FOUND.rawValue) {
                return nil
            }
            defer { ippDelete(response) }
            guard let state = IPP.integer(response, "job-state", IPP_TAG_ENUM).flatMap(PrintJobState.init(rawValue:)) else { return nil }
            return JobStatus(
                id: id, state: state, reasons: IPP.strings(response, "job-state-reasons"),
                sheetsCompleted: IPP.integer(response, "job-media-sheets-completed") ?? 0,
                printerMessage: IPP.strings(response, "job-printer-state-message").first ?? "")
        }
    }

    /// Sends a file; returns the job id. `title` must hold no personal data: CUPS lists and
    /// logs it.
    public func submit(file path: String, title: String, options: PrintOptions = PrintOptions()) async throws(PrintingError) -> Int {
        let queue = self.queue
        return try await thread.run { () throws(PrintingError) -> Int in
            try CUPSClient.submit(file: path, to: queue, title: title, options: options.attributes)
        }
    }

    /// Cancels a job; with `purge`, also removes what the spool keeps of a finished one.
    public func cancel(job id: Int, purge: Bool = true) async throws(PrintingError) {
        let queue = self.queue
        try await thread.run { () throws(PrintingError) in
            let request = IPP.request(IPP_OP_CANCEL_JOB, queue: queue)
            ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", Int32(id))
            if purge { ippAddBoolean(request, IPP_TAG_OPERATION, "purge-job", 1) }
            ippDelete(try IPP.send(request, operation: "Cancel-Job", queue: queue))
        }
    }

    /// Resumes a stopped queue (`cupsenable`).
    public func resume() async throws(PrintingError) {
        try await admin(IPP_OP_RESUME_PRINTER, "Resume-Printer")
    }

    /// Lets a rejecting queue take jobs again (`cupsaccept`).
    public func accept() async throws(PrintingError) {
        try await admin(IPP_OP_CUPS_ACCEPT_JOBS, "CUPS-Accept-Jobs")
    }

    /// Sets what a failed job does to the queue (`lpadmin -o printer-error-policy=`).
    public func setErrorPolicy(_ policy: ErrorPolicy) async throws(PrintingError) {
        let queue = self.queue
        try await thread.run { () throws(PrintingError) in
            let request = IPP.request(IPP_OP_CUPS_ADD_MODIFY_PRINTER, queue: queue)
            ippAddString(request, IPP_TAG_PRINTER, IPP_TAG_NAME, "printer-error-policy", nil, policy.rawValue)
            ippDelete(try IPP.send(request, to: "/admin/", operation: "CUPS-Add-Modify-Printer", queue: queue))
        }
    }

    private func admin(_ operation: ipp_op_t, _ name: String) async throws(PrintingError) {
        let queue = self.queue
        try await thread.run { () throws(PrintingError) in
            ippDelete(try IPP.send(IPP.request(operation, queue: queue), to: "/admin/", operation: name, queue: queue))
        }
    }

    // MARK: one print, start to end

    /// Prints `file` and follows the job to its end: resumes a queue stopped by an earlier
    /// fault, submits, watches the job and the printer, cancels a job that is held, stuck
    /// behind a fault for `faultGrace`, or past `timeout`, and purges the finished job from
    /// the spool. `expectedSheets` is what the document should produce.
    public func print(
        file path: String, title: String, options: PrintOptions = PrintOptions(), expectedSheets: Int,
        timeout: Duration = .seconds(120), faultGrace: Duration = .seconds(5), poll: Duration = .milliseconds(100),
        progress: @Sendable (JobStatus) -> Void = { _ in }
    ) async -> PrintOutcome {
        let before: PrinterStatus
        do throws(PrintingError) {
            before = try await status()
        } catch {
            return .failed(Self.failure(error))
        }
        guard before.isAcceptingJobs else { return .failed(PrintFailure(.queueRejecting, detail: before.message)) }
        if before.state == .stopped {
            do throws(PrintingError) {
                try await resume()
            } catch {
                return .failed(PrintFailure(.queueStopped, reasons: before.reasons, detail: error.cupsMessage))
            }
        }
        let id: Int
        do throws(PrintingError) {
            id = try await submit(file: path, title: title, options: options)
        } catch {
            return .failed(Self.failure(error))
        }
        let deadline = ContinuousClock.now + timeout
        var faultSince: ContinuousClock.Instant?
        var last: JobStatus?
        while true {
            let job: JobStatus?
            let printer: PrinterStatus
            do throws(PrintingError) {
                job = try await self.job(id)
                printer = try await status()
            } catch {
                return .failed(Self.failure(error))
            }
            guard let job else {
                // The spool forgot the job before its end could be read (history off).
                return .assumed(sheetsReported: last?.sheetsCompleted ?? 0)
            }
            last = job
            progress(job)
            if job.state.isFinal {
                await discard(id)
                return PrintOutcome.decide(job, expectedSheets: expectedSheets)
            }
            var failure: PrintFailure?
            if job.state == .held, !job.reasons.contains("resources-are-not-ready") {
                failure = PrintFailure(.jobHeld, detail: job.printerMessage)
            } else if printer.state == .stopped {
                failure = printer.faults.isEmpty
                    ? PrintFailure(.queueStopped, reasons: printer.reasons, detail: printer.message)
                    : PrintFailure(.printerFault, reasons: printer.reasons, detail: printer.message)
            } else if !printer.faults.isEmpty {
                let since = faultSince ?? ContinuousClock.now
                faultSince = since
                if ContinuousClock.now - since >= faultGrace {
                    failure = PrintFailure(.printerFault, reasons: printer.reasons, detail: printer.message)
                }
            } else {
                faultSince = nil
            }
            if failure == nil, ContinuousClock.now >= deadline {
                failure = PrintFailure(.timedOut, reasons: printer.reasons, detail: job.printerMessage)
            }
            if let failure {
                await discard(id)
                return .failed(failure)
            }
            try? await Task.sleep(for: poll)
        }
    }

    /// Cancels a job and purges it from the spool: an active job is canceled first (its
    /// backend is stopped), and purged once CUPS has it as finished. Gives up after 3 s;
    /// `PreserveJobHistory` then forgets it anyway.
    public func discard(_ id: Int) async {
        let deadline = ContinuousClock.now + .seconds(3)
        try? await cancel(job: id, purge: true)
        while ContinuousClock.now < deadline {
            guard let job = try? await self.job(id) else { return }
            if job.state.isFinal { try? await cancel(job: id, purge: true) }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// A CUPS error as a print failure.
    public static func failure(_ error: PrintingError) -> PrintFailure {
        switch Int32(truncatingIfNeeded: error.ippStatus) {
        case IPP_STATUS_ERROR_NOT_FOUND.rawValue:
            PrintFailure(.queueMissing, detail: error.cupsMessage)
        case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS.rawValue:
            PrintFailure(.queueRejecting, detail: error.cupsMessage)
        case IPP_STATUS_ERROR_SERVICE_UNAVAILABLE.rawValue, IPP_STATUS_ERROR_INTERNAL.rawValue, IPP_STATUS_ERROR_CUPS_PKI.rawValue:
            PrintFailure(.serverUnavailable, detail: error.cupsMessage)
        default:
            PrintFailure(.rejected, detail: error.description)
        }
    }
}
