import KioskMetrics
import Testing

@Suite("Metrics, not surveillance")
struct KioskMetricsTests {
    @Test func nearestRankQuantilesOnKnownData() {
        let oneToTen = (1...10).map(Double.init)
        #expect(Quantile.nearestRank(0.5, of: oneToTen) == 5)
        #expect(Quantile.nearestRank(0.9, of: oneToTen) == 9)
        #expect(Quantile.nearestRank(0, of: oneToTen) == 1)
        #expect(Quantile.nearestRank(1, of: oneToTen) == 10)
        let oneToHundred = (1...100).reversed().map(Double.init)
        #expect(Quantile.nearestRank(0.9, of: oneToHundred) == 90)
        #expect(Quantile.nearestRank(0.99, of: oneToHundred) == 99)
        #expect(Quantile.nearestRank(0.5, of: [7, 1, 3]) == 3)
        #expect(Quantile.nearestRank(0.5, of: [4.5]) == 4.5)
        #expect(Quantile.nearestRank(0.5, of: []) == nil)
    }

    @Test func memoryStaysBoundedWhileCountAndSumStayExact() throws {
        var metrics = StepMetrics(samplesPerStep: 16)
        for index in 0..<10_000 {
            metrics.recordStep(form: "okuyami", step: .card, seconds: Double(index % 100))
        }
        let durations = try #require(metrics.durations(form: "okuyami", step: .card))
        #expect(durations.count == 10_000)
        #expect(durations.sum == 100 * 4950)
        #expect(durations.recent.count == 16)
        #expect(durations.recent.values.sorted() == (84...99).map(Double.init), "only the 16 most recent samples")
        #expect(durations.median == 91)
    }

    @Test func formsAndStepsAreBoundedToo() {
        var metrics = StepMetrics(samplesPerStep: 4, maximumForms: 2, maximumStepsPerForm: 2)
        do { let recorded = metrics.recordStep(form: "a", step: .card, seconds: 1); #expect(recorded) }
        do { let recorded = metrics.recordStep(form: "b", step: .card, seconds: 1); #expect(recorded) }
        do { let recorded = metrics.recordStep(form: "c", step: .card, seconds: 1); #expect(!recorded) }
        do { let recorded = metrics.recordStep(form: "a", step: .pin, seconds: 1); #expect(recorded) }
        do { let recorded = metrics.recordStep(form: "a", step: .review, seconds: 1); #expect(!recorded) }
        #expect(metrics.dropped == 2)
        #expect(metrics.formIDs == ["a", "b"])
    }

    /// The whole exposition for a small case, byte for byte.
    @Test func theExpositionTextIsExact() throws {
        var metrics = StepMetrics()
        metrics.recordStep(form: "okuyami", step: try #require(.question("dateOfDeath")), seconds: 12.5)
        metrics.recordStep(form: "okuyami", step: .card, seconds: 2)
        metrics.recordStep(form: "okuyami", step: .card, seconds: 4)
        metrics.recordStep(form: "okuyami", step: .card, seconds: 3)
        metrics.recordSession(form: "okuyami", outcome: .finished, endedAt: nil)
        metrics.recordSession(form: "okuyami", outcome: .cancelled, endedAt: .question("dateOfDeath"))
        metrics.recordSession(form: "okuyami", outcome: .cardRemoved, endedAt: .pin)
        let expected = """
            # HELP madoguchi_step_duration_seconds Time spent on one step of a form (quantiles over recent sessions).
            # TYPE madoguchi_step_duration_seconds summary
            madoguchi_step_duration_seconds{form="okuyami",step="card",quantile="0.5"} 3
            madoguchi_step_duration_seconds{form="okuyami",step="card",quantile="0.9"} 4
            madoguchi_step_duration_seconds_sum{form="okuyami",step="card"} 9
            madoguchi_step_duration_seconds_count{form="okuyami",step="card"} 3
            madoguchi_step_duration_seconds{form="okuyami",step="question:dateOfDeath",quantile="0.5"} 12.5
            madoguchi_step_duration_seconds{form="okuyami",step="question:dateOfDeath",quantile="0.9"} 12.5
            madoguchi_step_duration_seconds_sum{form="okuyami",step="question:dateOfDeath"} 12.5
            madoguchi_step_duration_seconds_count{form="okuyami",step="question:dateOfDeath"} 1
            # HELP madoguchi_sessions_total Sessions by form and how they ended.
            # TYPE madoguchi_sessions_total counter
            madoguchi_sessions_total{form="okuyami",outcome="finished"} 1
            madoguchi_sessions_total{form="okuyami",outcome="cancelled"} 1
            madoguchi_sessions_total{form="okuyami",outcome="timedOut"} 0
            madoguchi_sessions_total{form="okuyami",outcome="cardRemoved"} 1
            madoguchi_sessions_total{form="okuyami",outcome="staffAborted"} 0
            # HELP madoguchi_abandoned_total Unfinished sessions by form and the step where they ended.
            # TYPE madoguchi_abandoned_total counter
            madoguchi_abandoned_total{form="okuyami",step="question:dateOfDeath"} 1
            madoguchi_abandoned_total{form="okuyami",step="pin"} 1

            """
        #expect(PrometheusExposition.text(metrics) == expected)
    }

    @Test func labelValuesAreEscapedAsTheFormatRequires() {
        #expect(PrometheusExposition.escapeLabelValue(#"a\b"c"# + "\nd") == #"a\\b\"c\nd"#)
        #expect(PrometheusExposition.escapeLabelValue("okuyami") == "okuyami")
        #expect(PrometheusExposition.format(.infinity) == "+Inf")
        #expect(PrometheusExposition.format(-.infinity) == "-Inf")
        #expect(PrometheusExposition.format(.nan) == "NaN")
        #expect(PrometheusExposition.format(0.25) == "0.25")
    }

    @Test(arguments: ["見本 花子", "Hanako", "okuyami\"} 1\nevil", "", "-okuyami", "oku--yami", String(repeating: "a", count: 65)])
    func aFormIdThatIsNotASlugIsDroppedAndNeverBecomesALabel(_ form: String) {
        var metrics = StepMetrics()
        do { let recorded = metrics.recordStep(form: form, step: .card, seconds: 1); #expect(!recorded) }
        do { let recorded = metrics.recordSession(form: form, outcome: .cancelled, endedAt: .pin); #expect(!recorded) }
        #expect(metrics.dropped == 2)
        #expect(metrics.formIDs.isEmpty)
        #expect(!PrometheusExposition.text(metrics).contains("form="))
    }

    @Test func stepsAcceptOnlyTheirShapes() {
        #expect(SessionStep.question("dateOfDeath")?.rawValue == "question:dateOfDeath")
        #expect(SessionStep.question("見本花子") == nil)
        #expect(SessionStep.question("date of death") == nil)
        #expect(SessionStep.question("DateOfDeath") == nil)
        #expect(SessionStep(rawValue: "question:x y") == nil)
        #expect(SessionStep(rawValue: "pin") == .pin)
        #expect(SessionStep(rawValue: "1234") == nil)
    }

    @Test func aDurationThatIsNegativeOrNotFiniteIsDropped() {
        var metrics = StepMetrics()
        do { let recorded = metrics.recordStep(form: "okuyami", step: .pin, seconds: -1); #expect(!recorded) }
        do { let recorded = metrics.recordStep(form: "okuyami", step: .pin, seconds: .nan); #expect(!recorded) }
        do { let recorded = metrics.recordStep(form: "okuyami", step: .pin, seconds: .infinity); #expect(!recorded) }
        #expect(metrics.dropped == 3)
    }

    @Test func theRecorderCountsEverySampleFromConcurrentTasks() async {
        let recorder = MetricsRecorder(StepMetrics(samplesPerStep: 8))
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for _ in 0..<500 { recorder.recordStep(form: "okuyami", step: .review, seconds: Double(task)) }
                    recorder.recordSession(form: "okuyami", outcome: .timedOut, endedAt: .review)
                }
            }
        }
        let snapshot = recorder.snapshot()
        #expect(snapshot.durations(form: "okuyami", step: .review)?.count == 4000)
        #expect(snapshot.sessions(form: "okuyami", outcome: .timedOut) == 8)
        #expect(recorder.report().forms.first?.abandonedAt == [.init(step: "review", count: 8)])
    }

    @Test func theReportHasCountMedianAndP90PerStepOutcomesAndAbandonmentPoints() throws {
        var metrics = StepMetrics()
        for seconds in 1...10 { metrics.recordStep(form: "okuyami", step: .pin, seconds: Double(seconds)) }
        metrics.recordStep(form: "okuyami", step: .card, seconds: 2.25)
        metrics.recordSession(form: "okuyami", outcome: .finished, endedAt: nil)
        metrics.recordSession(form: "okuyami", outcome: .timedOut, endedAt: .pin)
        let report = metrics.report()
        #expect(
            report
                == StatsReport(forms: [
                    .init(
                        id: "okuyami",
                        steps: [
                            .init(step: "card", count: 1, medianSeconds: 2.25, p90Seconds: 2.25),
                            .init(step: "pin", count: 10, medianSeconds: 5, p90Seconds: 9),
                        ],
                        outcomes: .init(finished: 1, timedOut: 1), abandonedAt: [.init(step: "pin", count: 1)])
                ]))
        let expected = """
            フォーム Form: okuyami
              手順 Step  件数 Count  中央値 Median  90% p90
              card                1          2.3 s    2.3 s
              pin                10          5.0 s    9.0 s

              結果 Outcome                 件数 Count
              完了 finished                         1
              取消 cancelled                        0
              時間切れ timedOut                     1
              カード取り外し cardRemoved            0
              職員による中断 staffAborted           0

              中断した手順 Abandoned at  件数 Count
              pin                                 1

            """
        #expect(report.table() == expected)
        #expect(StatsReport().table() == "まだ記録がありません。 / No sessions recorded yet.\n")
    }
}
