extension StatsReport {
    /// The report as text for a terminal: per form a table of steps (count, median, p90),
    /// one of outcomes and one of abandonment points; Japanese headers with English.
    public func table() -> String {
        guard !forms.isEmpty else {
            return "まだ記録がありません。 / No sessions recorded yet.\n"
        }
        var lines: [String] = []
        for form in forms {
            if !lines.isEmpty { lines.append("") }
            lines.append("フォーム Form: \(form.id)")
            lines += TextTable(
                header: ["手順 Step", "件数 Count", "中央値 Median", "90% p90"],
                rows: form.steps.map { step in
                    [step.step, String(step.count), Self.seconds(step.medianSeconds), Self.seconds(step.p90Seconds)]
                }
            ).lines()
            lines.append("")
            lines += TextTable(
                header: ["結果 Outcome", "件数 Count"],
                rows: SessionOutcome.allCases.map { ["\($0.japanese) \($0.rawValue)", String(form.outcomes[$0])] }
            ).lines()
            if !form.abandonedAt.isEmpty {
                lines.append("")
                lines += TextTable(
                    header: ["中断した手順 Abandoned at", "件数 Count"],
                    rows: form.abandonedAt.map { [$0.step, String($0.count)] }
                ).lines()
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `12.3 s`, or `-` when there is no value (one decimal, no Foundation formatting).
    static func seconds(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        let tenths = Int64((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10)) s"
    }
}
