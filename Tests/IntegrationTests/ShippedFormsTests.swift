import Flows
import Foundation
import Testing

/// The bundles a town adopts on day one (`Forms/`): each lints clean, each example runs to its
/// golden outcome and each case to the decisions it expects, and a wrong expectation is caught.
@Suite("Shipped forms: content, examples and cases")
struct ShippedFormsTests {
    static let root = ServicesEnvironment.packageRoot.path
    static let forms = root + "/Forms"

    static var bundleIDs: [String] { FormCatalog.bundleFolders(in: forms) }

    /// Every `cases/*.json` of a shipped bundle, by bundle.
    static func cases(_ id: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: forms + "/" + id + "/cases")) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test(arguments: ShippedFormsTests.bundleIDs)
    func aShippedBundleLintsCleanAndEveryExampleAndCaseMatches(_ id: String) async throws {
        let result = try await ProgramRunner.run("madoguchi", ["forms", "lint", Self.forms + "/" + id, "--strict", "--lang", "en"])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("checked 1 bundle: 0 errors, 0 warnings."))
        let examples = try FileManager.default.contentsOfDirectory(atPath: Self.forms + "/" + id + "/examples").filter { $0.hasSuffix(".json") }
        #expect(!examples.isEmpty, "a shipped bundle shows itself with at least one example")
    }

    @Test func theShippedBundlesAreTheOnesTheReadmeDescribes() {
        #expect(Self.bundleIDs == ["certificates", "moving", "okuyami"])
    }

    @Test func okuyamiHasTheProceduresAndCasesTheDomainNotesAskFor() throws {
        let bundle = try FormBundleLoader.load(try BundleFiles.read(directory: Self.forms + "/okuyami", displayPath: "Forms/okuyami")).get().bundle
        #expect(bundle.identity == .required)
        #expect(bundle.procedures.count >= 16)
        for id in [
            "headOfHouseholdChange", "nationalHealthInsuranceLoss", "lateStageElderlyLoss", "funeralExpenses", "highCostMedicalHeirs",
            "longTermCareLoss", "pensionDeathReport", "unpaidPension", "survivorsBasicPension", "childAllowanceChange",
            "disabilityServicesEnd", "sealRegistrationLapse", "fixedAssetHeirRepresentative", "fixedAssetCurrentOwner",
            "lightVehicleOwnerChange", "restoreSurname", "endInLawRelationship", "myNumberCardVoid",
        ] {
            #expect(bundle.procedures.contains { $0.id == id }, "\(id)")
        }
        let cases = Self.cases("okuyami")
        #expect(cases.count >= 20)
        for name in cases {
            let text = try String(contentsOfFile: Self.forms + "/okuyami/cases/" + name, encoding: .utf8)
            #expect(text.contains("\"description\": \"domain.md §1"), "\(name) names the domain.md row it tests")
            #expect(FileManager.default.fileExists(atPath: Self.forms + "/okuyami/cases/expected/" + name), "\(name)")
        }
    }

    @Test func aCaseWhoseExpectedDecisionIsWrongFailsTheLintNamingThePlace() async throws {
        let folder = NSTemporaryDirectory() + "madoguchi-cases-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.forms + "/okuyami", toPath: folder + "/okuyami")
        // no-spouse: 復氏届 (the 4th procedure) does not apply; claim that it does.
        let expected = folder + "/okuyami/cases/expected/no-spouse.json"
        let text = try String(contentsOfFile: expected, encoding: .utf8)
        let wrong = text.replacingOccurrences(
            of: "{\"id\": \"restoreSurname\", \"result\": \"doesNotApply\"", with: "{\"id\": \"restoreSurname\", \"result\": \"applies\"")
        #expect(wrong != text)
        try wrong.write(toFile: expected, atomically: true, encoding: .utf8)
        let result = try await ProgramRunner.run("madoguchi-forms", ["lint", folder, "--lang", "en"])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains(
            "the outcome of cases/no-spouse.json differs from the expected one: /procedures/3/result should be \"applies\" but is \"doesNotApply\"."),
            "\(result.standardOutput)")
        // A case without its expected decisions is an error, not a warning.
        try FileManager.default.removeItem(atPath: expected)
        let missing = try await ProgramRunner.run("madoguchi-forms", ["lint", folder, "--lang", "en"])
        #expect(missing.status == 1 && missing.standardOutput.contains("error: there is no expected outcome cases/expected/no-spouse.json"))
    }
}
