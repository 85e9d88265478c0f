/// Turns errors thrown by `Encodable`/`Decodable` code into ``JSONCodecError``.
enum CodingErrorConversion {
    /// An error from encoding: `.unencodable`.
    static func encoding(_ error: any Error) -> JSONCodecError {
        if let own = error as? JSONCodecError { return own }
        if case EncodingError.invalidValue(_, let context) = error {
            return JSONCodecError(kind: .unencodable, message: message(context.debugDescription, context.codingPath))
        }
        return JSONCodecError(kind: .unencodable, message: "\(error)")
    }

    /// An error from decoding: `.typeMismatch`.
    static func decoding(_ error: any Error) -> JSONCodecError {
        if let own = error as? JSONCodecError { return own }
        guard let decodingError = error as? DecodingError else {
            return JSONCodecError(kind: .typeMismatch, message: "\(error)")
        }
        switch decodingError {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return JSONCodecError(kind: .typeMismatch, message: message(context.debugDescription, context.codingPath))
        case .keyNotFound(_, let context):
            return JSONCodecError(kind: .typeMismatch, message: message(context.debugDescription, context.codingPath))
        @unknown default:
            return JSONCodecError(kind: .typeMismatch, message: "\(error)")
        }
    }

    private static func message(_ what: String, _ path: [any CodingKey]) -> String {
        "\(what) at \(CodingPathText.describe(path))"
    }
}
