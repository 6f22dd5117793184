/// What the kiosk is doing: everything a screen needs to know, and nothing personal beyond
/// what that screen shows (the identity on its confirmation screen, answers on the review).
public enum ScreenState: Sendable, Hashable {
    /// A question as the flow engine asks it, its texts already in the screen's language.
    public struct Question: Sendable, Hashable {
        /// The widget the question's type needs.
        public enum Kind: Sendable, Hashable {
            case boolean
            case choices([String])
            /// Several may be ticked: each label with whether it is ticked.
            case checkboxes([String], checked: [Bool])
            case number(value: String, unit: String?)
            case text(value: String)
            case date(value: String)
        }

        /// Its number, from 1, and how many there may be.
        public var number: Int, total: Int
        /// The question.
        public var text: String
        /// Extra explanation.
        public var help: String?
        /// The widget.
        public var kind: Kind

        /// Creates a question.
        public init(number: Int, total: Int, text: String, help: String? = nil, kind: Kind) {
            self.number = number
            self.total = total
            self.text = text
            self.help = help
            self.kind = kind
        }
    }

    /// Why the printer stopped, as the resident is told.
    public enum PrinterIssue: String, Sendable, Hashable, CaseIterable {
        case outOfPaper, jammed, unavailable
    }

    case welcome
    case placeCard
    case pinPad(entered: Int, triesLeft: Int, wrong: Bool)
    case confirmLastTry
    case reading
    case confirmIdentity(name: String, address: String, birth: String)
    case question(Question)
    case review([ScreenRow])
    case printing(done: Int, total: Int)
    case printerProblem(PrinterIssue)
    /// The spooler finished but the printer cannot confirm: did the resident get them all?
    case confirmSheets(sheets: Int)
    case done(sheets: Int, papersAtCounter: Bool)
    case cardLeftBehind
    case papersLeftInTray(sheets: Int)
    case error(code: String)
    case staffMode(entered: Int)
    case needMoreTime(seconds: Int)

    /// One of each, with fictional values and the sample questions in `language`: the
    /// gallery and the snapshot tests.
    public static func gallery(_ language: ScreenLanguage) -> [ScreenState] {
        let t = ScreenCatalog.Words(language)
        return [
            .welcome, .placeCard, .pinPad(entered: 2, triesLeft: 3, wrong: false), .pinPad(entered: 0, triesLeft: 2, wrong: true),
            .confirmLastTry, .reading,
            .confirmIdentity(name: "見本 花子", address: "東京都千代田区霞が関一丁目1番1号", birth: t.say("昭和55年4月1日", "1 April 1980", "しょうわ55ねん 4がつ 1にち")),
            .question(Question(number: 2, total: 12, text: t.say("亡くなった方は世帯主でしたか?", "Was the deceased the head of the household?", "なくなった ひとは せたいぬし でしたか?"), kind: .boolean)),
            .question(Question(
                number: 5, total: 12, text: t.say("亡くなった方の健康保険はどれですか?", "Which health insurance did the deceased have?", "なくなった ひとの けんこうほけんは どれですか?"),
                help: t.say("保険証に書いてあります。", "It is written on the insurance card.", "ほけんしょうに かいて あります。"),
                kind: .choices([
                    t.say("国民健康保険", "National Health Insurance", "こくみん けんこうほけん"), t.say("後期高齢者医療制度", "Late-stage elderly medical care", "こうきこうれいしゃ いりょう"),
                    t.say("会社などの健康保険", "Insurance through an employer", "かいしゃの けんこうほけん"), t.say("わからない", "I don't know", "わからない"),
                ]))),
            .question(Question(
                number: 9, total: 12, text: t.say("受け取っている給付はどれですか(いくつでも)", "Which benefits did they receive? (any number)", "もらっていた おかねは どれですか(いくつでも)"),
                kind: .checkboxes([t.say("年金", "Pension", "ねんきん"), t.say("児童手当", "Child allowance", "こどもの てあて"), t.say("どれもない", "None of these", "どれも ない")], checked: [true, false, false]))),
            .question(Question(number: 3, total: 12, text: t.say("15歳以上の方は何人残りますか?", "How many members aged 15 or over remain?", "15さい いじょうの ひとは なんにん のこりますか?"), kind: .number(value: "2", unit: t.say("人", "people", "にん")))),
            .question(Question(number: 1, total: 12, text: t.say("亡くなった方のお名前を教えてください。", "What was the name of the deceased?", "なくなった ひとの なまえを おしえて ください。"), kind: .text(value: "見本 一郎"))),
            .question(Question(number: 4, total: 12, text: t.say("亡くなった日はいつですか?", "When did they die?", "なくなった ひは いつですか?"), kind: .date(value: t.say("令和8年1月5日", "5 January 2026", "れいわ8ねん 1がつ 5にち")))),
            .review([
                ScreenRow(t.say("亡くなった方", "The deceased", "なくなった ひと"), "見本 一郎"), ScreenRow(t.say("亡くなった日", "Date of death", "なくなった ひ"), t.say("令和8年1月5日", "5 January 2026", "れいわ8ねん 1がつ 5にち")),
                ScreenRow(t.say("世帯主", "Head of household", "せたいぬし"), t.say("はい", "Yes", "はい")),
            ]),
            .printing(done: 1, total: 3), .printerProblem(.outOfPaper), .confirmSheets(sheets: 3), .done(sheets: 3, papersAtCounter: false),
            .done(sheets: 0, papersAtCounter: true), .cardLeftBehind, .papersLeftInTray(sheets: 3), .error(code: "E-CARD-01"), .staffMode(entered: 0),
            .needMoreTime(seconds: 60),
        ]
    }
}

/// Builds screens from states, in the chosen language, with the chrome every screen has.
public enum ScreenCatalog {
    /// The screen for `state`. `waiting`: submissions not yet sent (the offline banner);
    /// `staff`: staff are signed in (said in the banner, so no one forgets to sign out).
    public static func screen(_ state: ScreenState, language: ScreenLanguage, largeText: Bool = false, waiting: Int = 0, staff: Bool = false) -> Screen {
        let t = Words(language)
        let banners = [
            staff ? t.say("職員モード(F12 で終了)", "Staff mode (F12 to sign out)", "しょくいん モード") : nil,
            waiting > 0 ? t.say("未送信の申請が \(waiting) 件あります(通信が戻ると送ります)", "\(waiting) submission(s) waiting to be sent (they go when the network is back)", "まだ おくっていない もうしこみが \(waiting) けん あります") : nil,
        ].compactMap { $0 }
        var screen = Screen(
            id: "", language: language, largeText: largeText, title: "", lines: [], content: .none, actions: [],
            chrome: chrome(t, largeText: largeText), banner: banners.isEmpty ? nil : banners.joined(separator: " / "),
            isWarning: false, speech: "")
        switch state {
        case .welcome:
            screen.id = "welcome"
            screen.title = t.say("書かない窓口", "The no-writing counter", "かかない まどぐち")
            screen.lines = [
                t.say("マイナンバーカードで、申請書をつくります。", "Your My Number Card fills in your application for you.", "マイナンバーカードで もうしこみの かみを つくります。"),
                t.say("カードからは氏名・住所・生年月日・性別だけを読み、申請のためだけに使います。", "We read only your name, address, birth date and sex from the card, and use them only for your application.", "カードから なまえ・じゅうしょ・うまれた ひ・せいべつ だけを よみます。もうしこみ だけに つかいます。"),
            ]
            screen.actions = [ScreenAction("consent.no", t.say("使わない", "No, thank you", "つかわない")), ScreenAction("consent.yes", t.say("同意してはじめる", "Agree and start", "いいです。はじめる"), .primary)]
        case .placeCard:
            screen.id = "placeCard"
            screen.title = t.say("カードを置いてください", "Place your card", "カードを おいてください")
            screen.lines = [t.say("マイナンバーカードを、下の読み取り部に置いてください。", "Put your My Number Card on the reader below the screen.", "マイナンバーカードを がめんの したに おいてください。")]
        case .pinPad(let entered, let tries, let wrong):
            screen.id = "pinPad"
            screen.title = t.say("暗証番号(数字4桁)", "Your 4-digit PIN", "あんしょうばんごう(すうじ 4つ)")
            screen.lines = [
                wrong ? t.say("暗証番号が違います。", "That PIN was not right.", "あんしょうばんごうが ちがいます。") : t.say("カードを作ったときに決めた数字4桁です。", "The 4 digits you chose when you got the card.", "カードを つくったときに きめた すうじ 4つです。"),
                t.say("あと \(tries) 回まちがえると使えなくなります。", "\(tries) tries left before the card locks.", "あと \(tries) かい まちがえると つかえなく なります。"),
            ]
            screen.isWarning = wrong
            screen.content = .pinPad(entered: entered, length: 4)
        case .confirmLastTry:
            screen.id = "confirmLastTry"
            screen.title = t.say("最後の1回です", "This is your last try", "さいごの 1かい です")
            screen.lines = [t.say("まちがえるとカードが使えなくなり、窓口での手続きが必要です。入力しますか?", "If it is wrong, the card locks and must be reset at the counter. Enter it?", "まちがえると カードが つかえなく なります。まどぐちで なおします。いれますか?")]
            screen.isWarning = true
            screen.actions = [ScreenAction("lastTry.no", t.say("やめて窓口へ", "Stop, go to the counter", "やめる")), ScreenAction("lastTry.yes", t.say("入力する", "Enter it", "いれる"), .primary)]
        case .reading:
            screen.id = "reading"
            screen.title = t.say("読み取り中です", "Reading your card", "よんでいます")
            screen.lines = [t.say("カードを動かさないでください。", "Please do not move the card.", "カードを うごかさないで ください。")]
            screen.content = .progress(done: 0, total: nil)
        case .confirmIdentity(let name, let address, let birth):
            screen.id = "confirmIdentity"
            screen.title = t.say("この内容でよろしいですか", "Is this you?", "これで いいですか")
            screen.content = .rows([ScreenRow(t.say("氏名", "Name", "なまえ"), name), ScreenRow(t.say("住所", "Address", "じゅうしょ"), address), ScreenRow(t.say("生年月日", "Born", "うまれた ひ"), birth)])
            screen.actions = [ScreenAction("identity.no", t.say("ちがう", "No", "ちがう")), ScreenAction("identity.yes", t.say("はい、このまま", "Yes, go on", "はい"), .primary)]
        case .question(let question):
            screen.title = question.text
            screen.lines = [t.say("質問 \(question.number) / \(question.total)", "Question \(question.number) of \(question.total)", "しつもん \(question.number) / \(question.total)")] + (question.help.map { [$0] } ?? [])
            let back = ScreenAction("back", t.say("もどる", "Back", "もどる"))
            switch question.kind {
            case .boolean:
                screen.id = "question.boolean"
                screen.content = .choices([ScreenAction("answer.yes", t.say("はい", "Yes", "はい"), .primary), ScreenAction("answer.no", t.say("いいえ", "No", "いいえ"), .primary)])
                screen.actions = [back]
            case .choices(let labels):
                screen.id = "question.choice"
                screen.content = .choices(labels.enumerated().map { ScreenAction("choice.\($0.offset)", $0.element, .primary) })
                screen.actions = [back]
            case .checkboxes(let labels, let checked):
                screen.id = "question.multiple"
                // Ticked: filled and marked ● (JIS X 0208, in every Japanese font); not ticked: ○.
                screen.content = .choices(labels.enumerated().map { choice in
                    let ticked = choice.offset < checked.count && checked[choice.offset]
                    return ScreenAction("choice.\(choice.offset)", (ticked ? "● " : "○ ") + choice.element, ticked ? .primary : .secondary)
                })
                screen.actions = [back, ScreenAction("next", t.say("次へ", "Next", "つぎへ"), .primary)]
            case .number(let value, let unit):
                screen.id = "question.number"
                screen.content = .numberPad(value: value, unit: unit)
                screen.actions = [back, ScreenAction("next", t.say("次へ", "Next", "つぎへ"), .primary)]
            case .text(let value):
                screen.id = "question.text"
                screen.content = .textEntry(value: value)
                screen.actions = [back, ScreenAction("next", t.say("次へ", "Next", "つぎへ"), .primary)]
            case .date(let value):
                screen.id = "question.date"
                screen.content = .textEntry(value: value)
                screen.actions = [back, ScreenAction("date.change", t.say("日付を選ぶ", "Pick the date", "ひを えらぶ")), ScreenAction("next", t.say("次へ", "Next", "つぎへ"), .primary)]
            }
        case .review(let rows):
            screen.id = "review"
            screen.title = t.say("答えを確かめてください", "Check your answers", "こたえを たしかめて ください")
            screen.content = .rows(rows)
            screen.actions = [ScreenAction("back", t.say("直す", "Change", "なおす")), ScreenAction("confirm", t.say("この内容で印刷", "Print with these", "これで いんさつ"), .primary)]
        case .printing(let done, let total):
            screen.id = "printing"
            screen.title = t.say("印刷しています", "Printing", "いんさつ しています")
            screen.lines = [t.say("\(total) 枚中 \(done) 枚", "\(done) of \(total) sheets", "\(total)まいの うち \(done)まい")]
            screen.content = .progress(done: done, total: total)
        case .printerProblem(let issue):
            screen.id = "printerProblem"
            screen.isWarning = true
            screen.title = switch issue {
            case .outOfPaper: t.say("プリンターの紙がなくなりました", "The printer is out of paper", "かみが なくなりました")
            case .jammed: t.say("プリンターに紙が詰まりました", "Paper is stuck in the printer", "かみが つまりました")
            case .unavailable: t.say("プリンターが使えません", "The printer is not working", "プリンターが つかえません")
            }
            screen.lines = [t.say("申請は受け付けました。係員が参ります。窓口で受け取ることもできます。", "Your application is saved. Staff are on their way; you can also collect your papers at the counter.", "もうしこみは うけつけました。かかりの ひとが きます。")]
            screen.actions = [ScreenAction("print.counter", t.say("窓口で受け取る", "Collect at the counter", "まどぐちで もらう")), ScreenAction("print.retry", t.say("もう一度印刷", "Try again", "もういちど"), .primary)]
        case .confirmSheets(let sheets):
            screen.id = "confirmSheets"
            screen.title = t.say("\(sheets) 枚受け取りましたか?", "Did you get \(sheets) sheet(s)?", "かみを \(sheets)まい もらいましたか?")
            screen.lines = [t.say("プリンターから出た書類の枚数を確かめてください。", "Please count the sheets that came out of the printer.", "プリンターから でた かみを かぞえて ください。")]
            screen.actions = [ScreenAction("sheets.no", t.say("足りない", "Some are missing", "たりない")), ScreenAction("sheets.yes", t.say("受け取った", "Yes, I have them", "もらった"), .primary)]
        case .done(let sheets, let atCounter):
            screen.id = "done"
            screen.title = t.say("終わりました", "All done", "おわりました")
            screen.lines = atCounter
                ? [t.say("カードをお取りください。書類は窓口でお渡しします。", "Take your card. Your papers are waiting at the counter.", "カードを とって ください。かみは まどぐちで わたします。")]
                : [t.say("カードと \(sheets) 枚の書類をお取りください。", "Take your card and your \(sheets) sheet(s).", "カードと かみ \(sheets)まいを とって ください。")]
            screen.actions = [ScreenAction("finish", t.say("受け取りました", "I have everything", "もらいました"), .primary)]
        case .cardLeftBehind:
            screen.id = "cardLeftBehind"
            screen.isWarning = true
            screen.title = t.say("カードをお忘れです", "Your card is still here", "カードを わすれて います")
            screen.lines = [t.say("読み取り部のマイナンバーカードをお取りください。", "Please take your My Number Card from the reader.", "マイナンバーカードを とって ください。")]
        case .papersLeftInTray(let sheets):
            screen.id = "papersLeftInTray"
            screen.isWarning = true
            screen.title = t.say("書類をお忘れです", "Your papers are still here", "かみを わすれて います")
            screen.lines = [t.say("プリンターの \(sheets) 枚の書類をお取りください。", "Please take your \(sheets) sheet(s) from the printer.", "プリンターの かみ \(sheets)まいを とって ください。")]
        case .error(let code):
            screen.id = "error"
            screen.isWarning = true
            screen.title = t.say("うまくいきませんでした", "Something went wrong", "うまく いきませんでした")
            screen.lines = [t.say("係員をお呼びください(番号 \(code))。", "Please ask a member of staff (code \(code)).", "かかりの ひとを よんで ください(\(code))。")]
            screen.actions = [ScreenAction("restart", t.say("はじめにもどる", "Start again", "はじめに もどる"), .primary)]
        case .staffMode(let entered):
            screen.id = "staffMode"
            screen.title = t.say("職員モード", "Staff mode", "しょくいん モード")
            screen.lines = [t.say("職員の暗証番号を入力するか、職員カードを置いてください。", "Enter the staff PIN or place a staff card.", "しょくいんの ばんごうを いれてください。")]
            screen.content = .pinPad(entered: entered, length: max(6, entered))
        case .needMoreTime(let seconds):
            screen.id = "needMoreTime"
            screen.isWarning = true
            screen.title = t.say("まだ続けますか?", "Do you need more time?", "まだ つづけますか?")
            screen.lines = [t.say("\(seconds) 秒たつと、入力した内容を消してはじめにもどります。", "In \(seconds) seconds your answers are cleared and the kiosk starts over.", "\(seconds)びょう たつと はじめに もどります。")]
            screen.actions = [ScreenAction("moreTime.no", t.say("終わる", "End", "おわる")), ScreenAction("moreTime.yes", t.say("続ける", "Continue", "つづける"), .primary)]
        }
        screen.speech = speech(screen)
        return screen
    }

    /// Language, larger text, help and cancel.
    static func chrome(_ t: Words, largeText: Bool) -> [ScreenAction] {
        [
            ScreenAction("language.ja", "日本語"), ScreenAction("language.en", "English"), ScreenAction("language.ja-easy", "やさしい日本語"),
            ScreenAction("largeText", largeText ? t.say("文字を戻す", "Normal text", "もじを もどす") : t.say("文字を大きく", "Larger text", "もじを おおきく")),
            ScreenAction("help", t.say("ヘルプ", "Help", "たすけて")), ScreenAction("cancel", t.say("やめる", "Cancel", "やめる"), .danger),
        ]
    }

    /// Title, sentences, the widget's words and the main buttons, as a voice guide reads them.
    static func speech(_ screen: Screen) -> String {
        var parts = [screen.title] + screen.lines
        switch screen.content {
        case .pinPad(let entered, let length): parts.append(screen.language == .en ? "\(entered) of \(length) digits entered." : "\(length)けた中 \(entered)けた入力済み。")
        case .choices(let choices): parts.append(choices.map(\.label).joined(separator: screen.language == .en ? ", " : "、"))
        case .rows(let rows): parts += rows.map { "\($0.label): \($0.value)" }
        case .numberPad(let value, let unit): parts.append(value + (unit ?? ""))
        case .textEntry(let value): parts.append(value)
        case .progress, .none: break
        }
        parts += screen.actions.reversed().map(\.label)
        return parts.joined(separator: screen.language == .en ? " " : "")
    }

    /// Picks the language's sentence.
    struct Words {
        let language: ScreenLanguage
        init(_ language: ScreenLanguage) { self.language = language }
        func say(_ ja: String, _ en: String, _ easy: String) -> String {
            switch language {
            case .ja: ja
            case .en: en
            case .jaEasy: easy
            }
        }
    }
}
