// madoguchi-bench: Madoguchi's side of the card benchmark (Benchmarks/run prints it beside
// the C reference measured in the same run).
//
//   madoguchi-bench READER loop N     N x SELECT through CardChannel; prints µs per APDU
//   madoguchi-bench READER basic4 N   N x MyNumberCardReader.verifyAndRead in one connection,
//                                     each in its own transaction; prints ms per read
import Foundation
import MyNumberCard
import PCSC
import SmartCard

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[3]), count > 0 else {
    FileHandle.standardError.write(Data("usage: madoguchi-bench READER loop|basic4 N\n".utf8))
    exit(2)
}
do {
    let context = try PCSCContext()
    let card = try PCSCCard(context: context, reader: arguments[1])
    defer { card.disconnect(reset: true) }
    let channel = CardChannel(card)
    let clock = ContinuousClock()
    func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }
    switch arguments[2] {
    case "loop":
        let select = try CommandAPDU(ins: 0xA4, p1: 0x04, p2: 0x0C, data: MyNumberCardApplication.kenhojo.aid)
        for _ in 0..<50 { _ = try channel.transmit(select) }
        let elapsed = try clock.measure { for _ in 0..<count { _ = try channel.transmit(select) } }
        print(String(format: "%.2f", microseconds(elapsed) / Double(count)))
    default:
        let reader = MyNumberCardReader(channel: channel)
        let elapsed = try clock.measure {
            for _ in 0..<count {
                try card.beginTransaction()
                _ = try reader.verifyAndRead(pin: try PIN(asciiDigits: Array("1234".utf8)))
                card.endTransaction(reset: false)
            }
        }
        print(String(format: "%.3f", microseconds(elapsed) / Double(count) / 1000))
    }
} catch {
    FileHandle.standardError.write(Data("madoguchi-bench: \(error)\n".utf8))
    exit(1)
}
