extension PotteryError {
    /// The data error for stored `bytes` that did not decode as `typeName`:
    /// ``Code/typeError`` for JSON of another shape, ``Code/decodeError`` for
    /// bytes that are not pottery JSON; the message shows the bytes
    /// (``excerpt(_:)``) and names the key.
    public static func undecodable(_ bytes: [UInt8], as typeName: String, _ error: JSONCodecError,
                                   key: String?, server: String?) -> PotteryError {
        let code: Code = error.kind == .typeMismatch ? .typeError : .decodeError
        let what = error.kind == .typeMismatch ? "do not hold a \(typeName)" : "are not pottery JSON"
        return PotteryError(code, "stored bytes \(excerpt(bytes)) \(what): \(error.message)", key: key, server: server)
    }

    /// A short excerpt of stored bytes for messages: at most 40 bytes in
    /// quotes, printable ASCII as it is, other bytes (and `\` and `'`) as `\xNN`.
    public static func excerpt(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes.prefix(40) {
            switch byte {
            case 0x20..<0x7f where byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "'"):
                text.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = String(byte, radix: 16)
                text += "\\x" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return "'" + text + (bytes.count > 40 ? "…" : "") + "'"
    }
}
