/// Prometheus text exposition format 0.0.4, written by hand.
///
/// Why not swift-prometheus: its v2 has counters, gauges and histograms but no summaries
/// with quantiles, and a town wants "the median resident takes 40 s on this question",
/// not bucket boundaries chosen in advance. The format is small and stable; this writes
/// exactly what `StepMetrics` holds:
///
/// - `madoguchi_step_duration_seconds{form,step,quantile}` (summary: quantiles 0.5 and 0.9
///   over the recent samples, `_sum` and `_count` since start),
/// - `madoguchi_sessions_total{form,outcome}` (counter, every outcome of every form seen),
/// - `madoguchi_abandoned_total{form,step}` (counter).
///
/// Label values are only form ids, step names and outcome names (`MetricLabel`); they are
/// escaped anyway, as the format requires.
public enum PrometheusExposition {
    /// The content type to serve the text with.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The quantiles each step summary reports.
    public static let quantiles: [Double] = [0.5, 0.9]

    /// The exposition of `metrics`: forms sorted by id, steps in session order.
    public static func text(_ metrics: StepMetrics) -> String {
        var out = ""
        let forms = metrics.formIDs

        out += "# HELP madoguchi_step_duration_seconds Time spent on one step of a form (quantiles over recent sessions).\n"
        out += "# TYPE madoguchi_step_duration_seconds summary\n"
        for form in forms {
            for step in metrics.steps(form: form) {
                guard let durations = metrics.durations(form: form, step: step) else { continue }
                let labels = [("form", form), ("step", step.rawValue)]
                for q in quantiles {
                    if let value = durations.quantile(q) {
                        out += sample("madoguchi_step_duration_seconds", labels + [("quantile", format(q))], format(value))
                    }
                }
                out += sample("madoguchi_step_duration_seconds_sum", labels, format(durations.sum))
                out += sample("madoguchi_step_duration_seconds_count", labels, String(durations.count))
            }
        }

        out += "# HELP madoguchi_sessions_total Sessions by form and how they ended.\n"
        out += "# TYPE madoguchi_sessions_total counter\n"
        for form in forms {
            for outcome in SessionOutcome.allCases {
                out += sample(
                    "madoguchi_sessions_total", [("form", form), ("outcome", outcome.rawValue)],
                    String(metrics.sessions(form: form, outcome: outcome)))
            }
        }

        out += "# HELP madoguchi_abandoned_total Unfinished sessions by form and the step where they ended.\n"
        out += "# TYPE madoguchi_abandoned_total counter\n"
        for form in forms {
            for point in metrics.abandonmentPoints(form: form) {
                out += sample("madoguchi_abandoned_total", [("form", form), ("step", point.step.rawValue)], String(point.count))
            }
        }
        return out
    }

    /// One sample line: `name{label="value",…} value`.
    static func sample(_ name: String, _ labels: [(String, String)], _ value: String) -> String {
        let pairs = labels.map { "\($0.0)=\"\(escapeLabelValue($0.1))\"" }.joined(separator: ",")
        return "\(name){\(pairs)} \(value)\n"
    }

    /// Escapes a label value as the text format requires: backslash `\\`, double quote
    /// `\"`, line feed `\n`.
    public static func escapeLabelValue(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// A sample value: whole numbers without a fraction (`3`), others in Swift's shortest
    /// round-trip form (`0.25`, `1e-05`), and `NaN`, `+Inf`, `-Inf` as Prometheus spells them.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return String(value)
    }
}
