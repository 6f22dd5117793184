/// A rectangle on the page, in millimetres from the top-left corner.
public struct PageRect: Sendable, Hashable {
    /// Left edge.
    public var x: Double
    /// Top edge.
    public var y: Double
    /// Width.
    public var width: Double
    /// Height.
    public var height: Double

    /// Creates a rectangle.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Whether `other` lies wholly inside (with a tolerance of 0.01 mm for rounding).
    public func contains(_ other: PageRect) -> Bool {
        other.x >= x - 0.01 && other.y >= y - 0.01 && other.x + other.width <= x + width + 0.01
            && other.y + other.height <= y + height + 0.01
    }
}

/// The paper of a document, in millimetres.
public struct PageSize: Sendable, Hashable, CustomStringConvertible {
    /// Width.
    public var width: Double
    /// Height (for a receipt roll: the length its content needs, set when composing).
    public var height: Double
    /// The name written in the document (`A4`), or nil for a custom size.
    public var name: String?
    /// Whether it is a receipt roll, as long as its content.
    public var isRoll: Bool

    /// Creates a custom size.
    public init(width: Double, height: Double, name: String? = nil, isRoll: Bool = false) {
        self.width = width
        self.height = height
        self.name = name
        self.isRoll = isRoll
    }

    /// The named sizes of `docs/contracts/form-bundle.md` (B sizes are JIS B).
    public static let named: [String: PageSize] = [
        "A4": PageSize(width: 210, height: 297, name: "A4"),
        "A5": PageSize(width: 148, height: 210, name: "A5"),
        "A3": PageSize(width: 297, height: 420, name: "A3"),
        "B5": PageSize(width: 182, height: 257, name: "B5"),
        "B4": PageSize(width: 257, height: 364, name: "B4"),
        "receipt80": PageSize(width: 80, height: 297, name: "receipt80", isRoll: true),
        "receipt58": PageSize(width: 58, height: 297, name: "receipt58", isRoll: true),
    ]

    /// The size turned a quarter (landscape).
    public var landscape: PageSize {
        PageSize(width: height, height: width, name: name, isRoll: isRoll)
    }

    /// `A4 210×297 mm`.
    public var description: String {
        let size = "\(Self.millimetres(width))×\(Self.millimetres(height)) mm"
        return name.map { "\($0) \(size)" } ?? size
    }

    static func millimetres(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }
}
