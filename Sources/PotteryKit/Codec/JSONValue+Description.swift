extension JSONValue: CustomStringConvertible {
    /// The pottery text of the value: what `PotteryJSON.encode(_:)` writes.
    public var description: String {
        String(decoding: PotteryJSON.encode(self), as: UTF8.self)
    }
}
