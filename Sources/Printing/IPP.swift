internal import CCUPS
import Foundation

/// IPP requests through libcups's default connection (the thread's), with the error read
/// at once on the same thread.
enum IPP {
    /// The printer URI cupsd expects for `queue` (the host part is not checked locally).
    static func printerURI(_ queue: String) -> String {
        "ipp://localhost/printers/" + (queue.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? queue)
    }

    /// A request with the printer URI and the requesting user.
    static func request(_ operation: ipp_op_t, queue: String) -> OpaquePointer {
        let request = ippNewRequest(operation)!
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, printerURI(queue))
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cupsUser())
        return request
    }

    /// Sends `request` (consumed) to `resource`; the response, or the failure as CUPS said it.
    static func send(_ request: OpaquePointer, to resource: String = "/", operation: String, queue: String?) throws(PrintingError)
        -> OpaquePointer
    {
        let response = cupsDoRequest(nil, request, resource)
        let status = cupsLastError()
        guard let response, status.rawValue <= IPP_STATUS_OK_EVENTS_COMPLETE.rawValue else {
            let error = CUPSClient.lastError(operation, queue: queue)
            if let response { ippDelete(response) }
            throw error
        }
        return response
    }

    static func integer(_ response: OpaquePointer, _ name: String, _ tag: ipp_tag_t = IPP_TAG_INTEGER) -> Int? {
        guard let attribute = ippFindAttribute(response, name, tag) else { return nil }
        return Int(ippGetInteger(attribute, 0))
    }

    /// Every value of an integer attribute; empty when it is missing or not integers (so a
    /// printer that sends `marker-levels` as text reads as reporting none, never as zeros).
    static func integers(_ response: OpaquePointer, _ name: String) -> [Int] {
        guard let attribute = ippFindAttribute(response, name, IPP_TAG_ZERO), ippGetValueTag(attribute) == IPP_TAG_INTEGER else { return [] }
        return (0..<ippGetCount(attribute)).map { index in Int(ippGetInteger(attribute, index)) }
    }

    static func strings(_ response: OpaquePointer, _ name: String) -> [String] {
        guard let attribute = ippFindAttribute(response, name, IPP_TAG_ZERO) else { return [] }
        return (0..<ippGetCount(attribute)).compactMap { index in ippGetString(attribute, index, nil).map { String(cString: $0) } }
    }

    static func boolean(_ response: OpaquePointer, _ name: String) -> Bool? {
        guard let attribute = ippFindAttribute(response, name, IPP_TAG_BOOLEAN) else { return nil }
        return ippGetBoolean(attribute, 0) != 0
    }

    static func requestAttributes(_ request: OpaquePointer, _ names: [String]) {
        let copies = names.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer<CChar>($0) }
        pointers.withUnsafeBufferPointer { buffer in
            _ = ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", Int32(names.count), nil, buffer.baseAddress)
        }
    }
}
