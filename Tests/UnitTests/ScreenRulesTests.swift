import Documents
import KioskSession
import Screens
import Testing

/// The accessibility rules, computed from the screen model laid out on each display: touch
/// targets, contrast, text size, the chrome every screen has, and the voice guide's words.
@Suite("Screens: the model and its accessibility rules")
struct ScreenRulesTests {
    static let displays: [DisplayGeometry] = [.fullHD, .small]

    static var everyScreen: [(Screen, DisplayGeometry)] {
        var result: [(Screen, DisplayGeometry)] = []
        for language in ScreenLanguage.allCases {
            for state in ScreenState.gallery(language) {
                for largeText in [false, true] {
                    for waiting in [0, 12] {
                        let screen = ScreenCatalog.screen(state, language: language, largeText: largeText, waiting: waiting)
                        for display in displays { result.append((screen, display)) }
                    }
                }
            }
        }
        return result
    }

    @Test func everyTouchTargetIsAtLeast15mmAndInsideTheDisplayWithoutOverlap() {
        for (screen, display) in Self.everyScreen {
            let laid = ScreenLayout.layout(screen, on: display)
            let name = "\(screen.id) \(screen.language) \(display.width)×\(display.height)\(screen.largeText ? " large" : "")"
            #expect(!laid.targets.isEmpty)
            for target in laid.targets {
                #expect(target.rect.width >= ScreenRules.minimumTarget - 0.001 && target.rect.height >= ScreenRules.minimumTarget - 0.001, "\(name): \(target.id) is \(target.rect)")
                #expect(PageRect(x: 0, y: 0, width: display.widthMM, height: display.heightMM).contains(target.rect), "\(name): \(target.id) leaves the display")
            }
            for (index, a) in laid.targets.enumerated() {
                for b in laid.targets[(index + 1)...] {
                    let apart = a.rect.x + a.rect.width <= b.rect.x + 0.001 || b.rect.x + b.rect.width <= a.rect.x + 0.001
                        || a.rect.y + a.rect.height <= b.rect.y + 0.001 || b.rect.y + b.rect.height <= a.rect.y + 0.001
                    #expect(apart, "\(name): \(a.id) overlaps \(b.id)")
                }
            }
        }
    }

    @Test func everyTextHasContrastOfAtLeast7To1AndARuledMinimumSize() {
        for (screen, display) in Self.everyScreen {
            for text in ScreenLayout.layout(screen, on: display).texts {
                #expect(text.colour.contrast(with: text.background) >= ScreenRules.minimumContrast, "\(screen.id): \(text.mark.plainText)")
                #expect(text.mark.style.size * 25.4 / 72 >= ScreenRules.minimumText - 0.001, "\(screen.id): \(text.mark.plainText) is too small")
            }
        }
    }

    @Test func theContrastArithmeticMatchesWCAG() {
        #expect(abs(ScreenColour(0x000000).contrast(with: ScreenColour(0xFFFFFF)) - 21) < 0.01)
        #expect(abs(ScreenColour(0x777777).contrast(with: ScreenColour(0xFFFFFF)) - 4.48) < 0.02)
        #expect(ScreenColour(0x777777).contrast(with: .paper) < ScreenRules.minimumContrast)  // the rule can fail
    }

    @Test func everyScreenOffersLanguageLargerTextHelpAndCancelAndSaysWhatItShows() {
        for language in ScreenLanguage.allCases {
            for state in ScreenState.gallery(language) {
                let screen = ScreenCatalog.screen(state, language: language)
                #expect(Set(screen.chrome.map(\.id)).isSuperset(of: ["language.ja", "language.en", "language.ja-easy", "largeText", "help", "cancel"]))
                #expect(screen.speech.contains(screen.title) && !screen.title.isEmpty, "\(screen.id)")
                for action in screen.actions { #expect(screen.speech.contains(action.label), "\(screen.id): \(action.id)") }
            }
        }
        let english = ScreenCatalog.screen(.pinPad(entered: 1, triesLeft: 1, wrong: true), language: .en)
        #expect(english.title == "Your 4-digit PIN" && english.speech.contains("1 tries left") && english.isWarning)
    }

    @Test func theOfflineBannerCountsWhatIsWaiting() {
        #expect(ScreenCatalog.screen(.welcome, language: .ja, waiting: 12).banner?.contains("12 件") == true)
        #expect(ScreenCatalog.screen(.welcome, language: .en, waiting: 0).banner == nil)
    }

    @Test func noTimeoutWithoutAMoreTimePromptOfAtLeastAMinute() {
        let configuration = SessionConfiguration(bundle: KioskSessionTests.configuration.bundle, today: FlowRunTests.today)
        #expect(configuration.moreTimeGrace >= ScreenRules.minimumMoreTime)
        var session = KioskSession(configuration: configuration)
        for event in KioskSessionTests.toQuestions { _ = session.handle(event) }
        #expect(session.handle(.tick(now: configuration.inactivity)) == [.show(.needMoreTime)])
        #expect(session.handle(.tick(now: configuration.inactivity + ScreenRules.minimumMoreTime - 1)).isEmpty)
        #expect(session.handle(.tick(now: configuration.inactivity + ScreenRules.minimumMoreTime)).contains(.wipe))
    }
}
