// Fuzz target: madoguchi.toml, device profiles and the per-unit touch calibration are TOML
// written on the kiosk by people. Loading must end in a DataNode or a SyntaxError, never a
// trap; every problem the configuration readers report is located inside the file and
// named in both languages; a calibration that reads has six finite numbers and a rotation
// the panel can take.
// sources: Sources/MadoguchiCore Sources/Contracts Sources/MadoguchiConfig
// packages: Yams TOMLKit
// leaks: not checked
// (TOMLKit 0.6 never frees the C++ table a parse makes, nor the double it boxes for each
// float: some bytes per file read, and the kiosk reads its few TOML files once at start.
// The leak checker would stop every run at the first input; crashes and hangs count here.)
let file = "madoguchi.toml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    let document: DataNode
    do throws(SyntaxError) {
        document = try DataLoader.load(text, file: file)
    } catch {
        precondition(error.location.file == file, "error names \(error.location.file)")
        if let line = error.location.line { precondition(line >= 1 && line <= lines + 1, "error line \(line) outside 1...\(lines + 1)") }
        precondition(!error.reason.isEmpty, "error without a reason at \(error.location)")
        return 0
    }
    func located(_ error: ConfigurationError) {
        precondition(!error.problems.isEmpty, "a failure with no problem")
        for problem in error.problems {
            precondition(problem.location.file == file, "problem names \(problem.location.file)")
            if let line = problem.location.line { precondition(line >= 1 && line <= lines + 1, "problem line \(line) outside 1...\(lines + 1)") }
            precondition(!problem.message.ja.isEmpty && !problem.message.en.isEmpty, "a problem without words: \(problem)")
        }
    }
    if case .failure(let error) = KioskConfiguration.read(document) { located(error) }
    switch TouchCalibrationFile.read(document) {
    case .success(let calibration):
        precondition(calibration.matrix.count == 6 && calibration.matrix.allSatisfy(\.isFinite), "matrix \(calibration.matrix)")
        precondition(calibration.rotation.map { [0, 90, 180, 270].contains($0) } ?? true, "rotation \(String(describing: calibration.rotation))")
    case .failure(let error):
        located(error)
    }
    if case .failure(let error) = DisplayProfile.read(document) { located(error) }
    return 0
}
