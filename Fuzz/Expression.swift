// Fuzz target: expressions in form bundles are text from bundle authors. Parsing must end
// in an expression or an ExpressionError located inside the text (or just past its end),
// never a trap; a parsed expression must print to text that parses to an equal tree, and
// type checking and evaluation must not trap either.
// sources: Sources/MadoguchiCore Sources/Flows/CalendarDate.swift Sources/Flows/Expression.swift Sources/Flows/ExpressionEnvironment.swift Sources/Flows/ExpressionError.swift Sources/Flows/ExpressionEvaluator.swift Sources/Flows/ExpressionFunction.swift Sources/Flows/ExpressionLexer.swift Sources/Flows/ExpressionParser.swift Sources/Flows/ExpressionPrinter.swift Sources/Flows/ExpressionReference.swift Sources/Flows/ExpressionSymbols.swift Sources/Flows/ExpressionType.swift Sources/Flows/ExpressionTypeChecker.swift Sources/Flows/ExpressionValue.swift Sources/Flows/ExpressionValues.swift Sources/Flows/NearMiss.swift
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let length = text.unicodeScalars.count
    do throws(ExpressionError) {
        let expression = try Expression.parse(text)
        let printed = expression.description
        precondition((try? Expression.parse(printed)) == expression, "printed form does not re-parse: \(printed)")
        var symbols = ExpressionSymbols()
        symbols.defineIdentity()
        symbols.define("answers.insurance", as: .text, choices: ["kokuho", "kouki"])
        symbols.define("answers.benefits", as: .textList, choices: ["pension", "child"])
        symbols.define("answers.heirs", as: .itemList(fields: ["relationship": .text, "age": .number]))
        symbols.define("answers.dateOfDeath", as: .date)
        if case .failure(let errors) = expression.typeCheck(in: symbols) {
            precondition(!errors.errors.isEmpty && errors.errors.allSatisfy { (1...length + 1).contains($0.offset) })
        }
        let environment = ExpressionValues(
            today: CalendarDate(year: 2026, month: 1, day: 5)!,
            values: [
                "answers.insurance": .text("kokuho"), "answers.benefits": .unknown,
                "answers.heirs": .list([.object(["relationship": .text("spouse"), "age": .number(70)]), .null]),
                "answers.dateOfDeath": .date(CalendarDate(year: 2025, month: 12, day: 31)!),
            ])
        _ = expression.evaluate(in: environment).decision
    } catch {
        precondition((1...length + 1).contains(error.offset), "offset \(error.offset) outside 1…\(length + 1)")
    }
    return 0
}
