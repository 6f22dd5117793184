/// Lines as YAML counts them: \n, \r\n, \r, NEL, LS and PS each end one. Fuzz targets use
/// it to check that an error's line lies inside the text.
func yamlLineCount(_ text: String) -> Int {
    var breaks = 0
    var previous: Unicode.Scalar?
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": if previous != "\r" { breaks += 1 }
        case "\r", "\u{85}", "\u{2028}", "\u{2029}": breaks += 1
        default: break
        }
        previous = scalar
    }
    return breaks + 1
}
