/// Test doubles for unit tests of pure logic (a scripted card channel, a recording printer,
/// a test clock) live here as they arrive; nothing in a program links this module.
public enum TestSupport {
    /// A fictional resident's name for unit tests that must prove a name never leaks.
    public static let markerName = "試験 漏洩子"
}
