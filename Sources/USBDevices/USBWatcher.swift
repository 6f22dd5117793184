internal import CLibUSB
import Foundation
import Synchronization

/// A device arriving on or leaving the USB bus.
public enum USBEvent: Sendable, Hashable {
    /// Plugged in (or already there when the watch began).
    case arrived(USBDeviceID)
    /// Unplugged.
    case left(USBDeviceID)
}

/// Watches the USB buses through libusb's hotplug callbacks, on a thread of its own, as an
/// `AsyncStream`. The devices already present come first, as arrivals. Ending the stream's
/// iteration stops the thread within a quarter of a second and releases libusb.
public enum USBWatcher {
    /// How long one wait for libusb events lasts; also the longest a stop takes.
    static let waitMicroseconds = 250_000

    /// Starts watching.
    /// - Throws: `USBError` when libusb cannot start or cannot report hotplug events here
    ///   (`LIBUSB_ERROR_NOT_SUPPORTED`).
    public static func events() throws(USBError) -> AsyncStream<USBEvent> {
        guard libusb_has_capability(UInt32(LIBUSB_CAP_HAS_HOTPLUG.rawValue)) != 0 else {
            throw USBError(operation: "libusb_has_capability(HOTPLUG)", code: Int(LIBUSB_ERROR_NOT_SUPPORTED.rawValue), name: "LIBUSB_ERROR_NOT_SUPPORTED")
        }
        var made: OpaquePointer?
        let status = libusb_init(&made)
        guard status == 0, let made else { throw USBError(operation: "libusb_init", code: Int(status), name: String(cString: libusb_error_name(status))) }
        let (stream, continuation) = AsyncStream.makeStream(of: USBEvent.self, bufferingPolicy: .bufferingNewest(1024))
        let sink = Unmanaged.passRetained(Sink(continuation))
        var handle: libusb_hotplug_callback_handle = 0
        let events = Int32(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.rawValue | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.rawValue)
        // ENUMERATE: the devices already there are reported now, on this thread.
        let registered = libusb_hotplug_register_callback(
            made, events, Int32(LIBUSB_HOTPLUG_ENUMERATE.rawValue), LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
            LIBUSB_HOTPLUG_MATCH_ANY, hotplugCallback, sink.toOpaque(), &handle)
        guard registered == 0 else {
            libusb_exit(made)
            sink.release()
            throw USBError(
                operation: "libusb_hotplug_register_callback", code: Int(registered), name: String(cString: libusb_error_name(registered)))
        }
        let watch = Watch(context: made, handle: handle, sink: sink)
        continuation.onTermination = { _ in watch.stop() }
        Thread.detachNewThread { watch.run() }
        return stream
    }

    /// The watching thread's state; `stop()` may come from any thread.
    final class Watch: @unchecked Sendable {
        // @unchecked: `context`, `handle` and `sink` are touched only by `run()` on the
        // watching thread (libusb's rule for event handling); `stopped` is atomic.
        private let context: OpaquePointer
        private let handle: libusb_hotplug_callback_handle
        private let sink: Unmanaged<Sink>
        private let stopped = Atomic(false)

        init(context: OpaquePointer, handle: libusb_hotplug_callback_handle, sink: Unmanaged<Sink>) {
            self.context = context
            self.handle = handle
            self.sink = sink
        }

        func stop() { stopped.store(true, ordering: .releasing) }

        func run() {
            while !stopped.load(ordering: .acquiring) {
                var wait = timeval(tv_sec: 0, tv_usec: Int(USBWatcher.waitMicroseconds))
                let status = libusb_handle_events_timeout_completed(context, &wait, nil)
                if status != 0 && status != Int32(LIBUSB_ERROR_INTERRUPTED.rawValue) { break }
            }
            libusb_hotplug_deregister_callback(context, handle)
            libusb_exit(context)
            sink.takeRetainedValue().continuation.finish()
        }
    }

    /// What the C callback reaches through its user data.
    final class Sink: Sendable {
        let continuation: AsyncStream<USBEvent>.Continuation
        init(_ continuation: AsyncStream<USBEvent>.Continuation) { self.continuation = continuation }
    }
}

/// libusb's hotplug callback: reads the device's ids (its descriptor is cached, so this
/// works for a device that has left) and hands the event on; 0 keeps it registered.
private let hotplugCallback: libusb_hotplug_callback_fn = { _, device, event, userData in
    guard let device, let userData else { return 0 }
    let sink = Unmanaged<USBWatcher.Sink>.fromOpaque(userData).takeUnretainedValue()
    var descriptor = libusb_device_descriptor()
    guard libusb_get_device_descriptor(device, &descriptor) == 0 else { return 0 }
    let id = USBDeviceID(
        vendor: descriptor.idVendor, product: descriptor.idProduct, bus: libusb_get_bus_number(device),
        address: libusb_get_device_address(device))
    sink.continuation.yield(event == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT ? .left(id) : .arrived(id))
    return 0
}
