public import Foundation
import MadoguchiCore

/// The test page: the kiosk, the time in Japan, the printer, the product's fonts with rare
/// characters, a ruler and a QR code, so a technician sees at a glance that fonts, sizes
/// and the QR reader all work. It holds no personal data. `madoguchi print test` and
/// `madoguchi diag print` print it; on a receipt roll it is 80 mm wide and short.
public enum TestPageDocument {
    /// The job title both commands give it (CUPS lists and logs titles).
    public static let title = "madoguchi-test-page"

    /// The page for `queue` on `kiosk` at `date`; `receipt` lays it out on an 80 mm roll.
    public static func make(kiosk: String, queue: String, at date: Date, receipt: Bool = false) -> ComposedDocument {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let (year, month, dayOfMonth) = (parts.year!, parts.month!, parts.day!)
        let clock = String(format: "%04d-%02d-%02d %02d:%02d JST", year, month, dayOfMonth, parts.hour!, parts.minute!)
        let wareki = WarekiDate(gregorianYear: year, month: month, day: dayOfMonth)?.text ?? ""
        return receipt
            ? roll(kiosk: kiosk, queue: queue, time: "\(wareki) \(clock)")
            : a4(kiosk: kiosk, queue: queue, time: "\(wareki) \(clock)")
    }

    static func a4(kiosk: String, queue: String, time: String) -> ComposedDocument {
        let gothic = DocumentTemplate.Style(family: "BIZ UDGothic", size: 12)
        var heading = gothic
        heading.size = 20
        heading.bold = true
        var marks: [Mark] = [
            .text(TextMark(pieces: [.plain("窓口 テストページ / Madoguchi test page")], x: 20, y: 20, width: 170, style: heading)),
            .text(TextMark(pieces: [.plain("端末 / Kiosk: \(kiosk)")], x: 20, y: 40, width: 170, style: gothic, fit: .shrink)),
            .text(TextMark(pieces: [.plain("日時 / Time: \(time)")], x: 20, y: 50, width: 170, style: gothic, fit: .shrink)),
            .text(TextMark(pieces: [.plain("プリンター / Printer: \(queue)")], x: 20, y: 60, width: 170, style: gothic, fit: .shrink)),
            .text(TextMark(
                pieces: [.plain("BIZ UDゴシック: 住所 氏名 髙橋 﨑 葛\u{E0100}城")], x: 20, y: 80, width: 170, style: gothic)),
            .text(TextMark(
                pieces: [.plain("BIZ UD明朝: 住所 氏名 髙橋 﨑 葛\u{E0100}城")], x: 20, y: 90, width: 170,
                style: DocumentTemplate.Style(family: "BIZ UDMincho", size: 12))),
            .text(TextMark(
                pieces: [.plain("IPAmj明朝: 𠮷野 髙橋")], x: 20, y: 100, width: 170, style: DocumentTemplate.Style(family: "IPAmjMincho", size: 12))),
            .rectangle(PageRect(x: 10, y: 10, width: 190, height: 277), lineWidth: 0.3),
            .line(x1: 20, y1: 120, x2: 120, y2: 120, lineWidth: 0.3),
            .text(TextMark(pieces: [.plain("100 mm")], x: 60, y: 122, style: gothic)),
            .qr("madoguchi-test-page", PageRect(x: 150, y: 110, width: 40, height: 40)),
        ]
        for millimetre in stride(from: 0, through: 100, by: 10) {
            marks.append(.line(x1: 20 + Double(millimetre), y1: 117, x2: 20 + Double(millimetre), y2: 120, lineWidth: 0.3))
        }
        return ComposedDocument(id: "test-page", title: title, page: PageSize.named["A4"]!, language: .ja, pages: [ComposedPage(marks: marks)])
    }

    /// The same facts on an 80 mm roll (72 mm printable), 50 mm ruler, QR code below.
    static func roll(kiosk: String, queue: String, time: String) -> ComposedDocument {
        let gothic = DocumentTemplate.Style(family: "BIZ UDGothic", size: 9)
        var heading = gothic
        heading.size = 12
        heading.bold = true
        let (x, width) = (4.0, 72.0)
        var marks: [Mark] = [
            .text(TextMark(pieces: [.plain("窓口 テストページ / Madoguchi test page")], x: x, y: 4, width: width, style: heading, fit: .shrink)),
            .text(TextMark(pieces: [.plain("端末 / Kiosk: \(kiosk)")], x: x, y: 14, width: width, style: gothic, fit: .shrink)),
            .text(TextMark(pieces: [.plain("日時 / Time: \(time)")], x: x, y: 20, width: width, style: gothic, fit: .shrink)),
            .text(TextMark(pieces: [.plain("プリンター / Printer: \(queue)")], x: x, y: 26, width: width, style: gothic, fit: .shrink)),
            .text(TextMark(pieces: [.plain("BIZ UDゴシック: 髙橋 﨑 葛\u{E0100}城")], x: x, y: 34, width: width, style: gothic)),
            .text(TextMark(
                pieces: [.plain("BIZ UD明朝: 髙橋 﨑 葛\u{E0100}城")], x: x, y: 40, width: width,
                style: DocumentTemplate.Style(family: "BIZ UDMincho", size: 9))),
            .text(TextMark(
                pieces: [.plain("IPAmj明朝: 𠮷野 髙橋")], x: x, y: 46, width: width, style: DocumentTemplate.Style(family: "IPAmjMincho", size: 9))),
            .line(x1: x, y1: 58, x2: x + 50, y2: 58, lineWidth: 0.3),
            .text(TextMark(pieces: [.plain("50 mm")], x: x + 20, y: 59, style: gothic)),
            .qr("madoguchi-test-page", PageRect(x: 25, y: 66, width: 30, height: 30)),
        ]
        for millimetre in stride(from: 0, through: 50, by: 10) {
            marks.append(.line(x1: x + Double(millimetre), y1: 55, x2: x + Double(millimetre), y2: 58, lineWidth: 0.3))
        }
        return ComposedDocument(
            id: "test-page", title: title, page: PageSize(width: 80, height: 100, name: "receipt80", isRoll: true), language: .ja,
            pages: [ComposedPage(marks: marks)])
    }
}
