/// The only label values metrics accept: form ids and question ids, checked against the
/// same patterns as `schemas/form-flow.schema.json`.
///
/// "Metrics, not surveillance": a label is an identifier from a form bundle or one of a
/// fixed set of names, never text a person typed. A value that is not one of these shapes
/// is refused (the sample is dropped and counted), so personal data cannot become a label
/// even through a programming mistake.
public enum MetricLabel {
    /// A form bundle id: the flow schema's `Slug`, lower-case words of letters and digits
    /// joined by single hyphens, at most 64 characters (`okuyami`, `tenshutsu-todoke`).
    public static func isFormID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count), isLowercase(bytes[0]) else { return false }
        var previousWasHyphen = false
        for byte in bytes.dropFirst() {
            if byte == UInt8(ascii: "-") {
                if previousWasHyphen { return false }
                previousWasHyphen = true
            } else if isLowercase(byte) || isDigit(byte) {
                previousWasHyphen = false
            } else {
                return false
            }
        }
        return !previousWasHyphen
    }

    /// A question id: the flow schema's `Name`, a lower-case letter then letters and
    /// digits, at most 64 characters (`dateOfDeath`).
    public static func isQuestionID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count), isLowercase(bytes[0]) else { return false }
        return bytes.allSatisfy { isLowercase($0) || isUppercase($0) || isDigit($0) }
    }

    private static func isLowercase(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
    private static func isUppercase(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
