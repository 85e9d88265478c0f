/// A coding key made by the pottery encoder and decoder: a name, an array
/// index, or `super`.
struct PotteryCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    /// Whether this key is an array index (shown as `[n]` in paths).
    let isIndex: Bool

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
        self.isIndex = false
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
        self.isIndex = false
    }

    init(index: Int) {
        self.stringValue = "Index \(index)"
        self.intValue = index
        self.isIndex = true
    }

    static let superKey = PotteryCodingKey(stringValue: "super")
}

enum CodingPathText {
    /// A coding path as readable text, such as `items[2].name`, or
    /// `top level` for the empty path.
    static func describe(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "top level" }
        var text = ""
        for key in path {
            if let index = key.intValue,
                (key as? PotteryCodingKey)?.isIndex ?? key.stringValue.hasPrefix("Index ") {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }
}
