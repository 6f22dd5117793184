import Testing

/// Every test that touches pcscd, the virtual card or cupsd is nested in this one suite.
///
/// Swift Testing runs tests in parallel and `.serialized` orders only the suite it is on
/// (and, recursively, the suites nested in it), so a test that removes the card or
/// restarts a service can never pull the ground from under another. Nested suites are
/// declared in `extension DeviceTests` in their own files.
@Suite("Devices (pcscd, virtual card, cupsd)", .serialized)
struct DeviceTests {}
