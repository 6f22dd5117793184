import Documents

extension ScreenLayout {
    /// The id of the calibration target `number` (1-based) among the laid-out targets.
    public static func calibrationTargetID(_ number: Int) -> String { "calibration.\(number)" }

    /// One target of the touch calibration (`madoguchi diag touch`): a cross centred on
    /// `target` (0…1 across and down the picture), the progress "2/5" and what to do, in
    /// Japanese then English, in a band away from every target. Drawn by `ScreenRenderer`
    /// like any screen.
    public static func calibrationTarget(_ target: (x: Double, y: Double), number: Int, of count: Int, on display: DisplayGeometry) -> LaidOutScreen {
        let (W, H) = (display.widthMM, display.heightMM)
        let (cx, cy) = (target.x * W, target.y * H)
        let arm = max(ScreenRules.minimumTarget, min(W, H) * 0.06)
        let thickness = max(0.8, arm * 0.06)
        let dot = thickness * 3
        var result = LaidOutScreen(display: display, panels: [], texts: [], targets: [])
        result.panels.append(LaidOutScreen.Panel(rect: PageRect(x: cx - arm / 2, y: cy - thickness / 2, width: arm, height: thickness), colour: .ink, outlined: false))
        result.panels.append(LaidOutScreen.Panel(rect: PageRect(x: cx - thickness / 2, y: cy - arm / 2, width: thickness, height: arm), colour: .ink, outlined: false))
        result.panels.append(LaidOutScreen.Panel(rect: PageRect(x: cx - dot / 2, y: cy - dot / 2, width: dot, height: dot), colour: .danger, outlined: false))
        result.targets.append(LaidOutScreen.Target(id: calibrationTargetID(number), rect: PageRect(x: cx - arm / 2, y: cy - arm / 2, width: arm, height: arm)))
        // The words keep clear of the one cross shown: across the middle for a corner's,
        // above it for the centre's.
        let size = max(ScreenRules.minimumText, min(W, H) * 0.04)
        let point = 72 / 25.4
        let lines = [
            ("\(number)/\(count)", size * 1.4, true),
            ("十字の中心を指で触れてください。", size, false),
            ("Touch the centre of the cross with a finger.", size, false),
        ]
        let band = lines.map { $0.1 * 1.5 }.reduce(0, +)
        let overlapsCross = abs(cy - H / 2) < arm / 2 + band / 2 + 1 && abs(cx - W / 2) < W * 0.3 + arm / 2
        var y = overlapsCross ? max(0, cy - arm / 2 - 2 - band) : H / 2 - band / 2
        for (words, textSize, bold) in lines {
            result.texts.append(
                LaidOutScreen.Text(
                    mark: TextMark(
                        pieces: [.plain(words)], x: W * 0.2, y: y, width: W * 0.6, height: textSize * 1.5,
                        style: DocumentTemplate.Style(family: family, size: textSize * point, bold: bold), align: .center, fit: .shrink),
                    colour: .ink, background: .paper))
            y += textSize * 1.5
        }
        return result
    }
}

extension DisplayGeometry {
    /// The picture as the resident sees it on a panel (this geometry, as built) mounted
    /// turned clockwise by `rotation`: pixels and millimetres across and down swap for a
    /// quarter turn (what `Frame.rotated` and `TouchCalibration` turn back).
    public func turned(_ rotation: Int) -> DisplayGeometry {
        guard [90, 270].contains(((rotation % 360) + 360) % 360) else { return self }
        return DisplayGeometry(width: height, height: width, widthMM: heightMM, heightMM: widthMM)
    }
}

extension ScreenLayout {
    /// Nothing but the background: the display cleared.
    public static func blank(on display: DisplayGeometry) -> LaidOutScreen {
        LaidOutScreen(display: display, panels: [], texts: [], targets: [])
    }
}
