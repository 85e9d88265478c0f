/// Reads and writes JSON bytes exactly as pottery does.
///
/// Pottery stores every element as `json.dumps(value, sort_keys=True)` and
/// reads it with `json.loads(bytes.decode())`. These functions produce and
/// accept the same bytes, so values written here are found by Python and the
/// other way round.
public enum PotteryJSON {
    /// Encodes a value to the bytes of Python's `json.dumps(value, sort_keys=True)`.
    ///
    /// The output is pure ASCII (`\uXXXX` escapes with lowercase hex,
    /// surrogate pairs above U+FFFF), uses `", "` and `": "` separators, sorts
    /// object keys by code point and writes floats as Python's `repr`.
    ///
    /// - Parameter value: The value to encode.
    /// - Returns: The pottery bytes.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var writer = JSONByteWriter()
        writer.write(value)
        return writer.bytes
    }

    /// Encodes a value as indented text, like Python's
    /// `json.dumps(value, sort_keys=True, indent=2)`: items separated by `","`
    /// and a newline, two spaces per level, `": "` after keys. For human output.
    ///
    /// - Parameter value: The value to encode.
    /// - Returns: The indented ASCII text, without a trailing newline.
    public static func encodePretty(_ value: JSONValue) -> [UInt8] {
        var writer = JSONByteWriter(indent: 2)
        writer.write(value)
        return writer.bytes
    }

    /// Decodes bytes as Python's `json.loads(bytes.decode())` does.
    ///
    /// Accepts whitespace around tokens, `NaN`, `Infinity`, `-Infinity` and
    /// integers of any size up to Python's 4300-digit limit. Numbers with `.`
    /// or an exponent become `.double` (correctly rounded; `1e999` is
    /// infinity), others `.int` or `.bigInt`. Object keys are told apart by
    /// code point, as Python does (`"\u00e9"` and `"e\u0301"` are two keys); a
    /// key repeated with the same code points keeps its last value. A lone
    /// surrogate escape such as `"\ud800"` cannot be held by a Swift `String`
    /// and decodes as U+FFFD.
    ///
    /// - Parameter bytes: UTF-8 JSON text.
    /// - Returns: The value.
    /// - Throws: `JSONCodecError` of kind `.invalidUTF8` for bytes that are
    ///   not UTF-8, `.tooDeep` for nesting deeper than 1000 levels, `.syntax`
    ///   for anything else Python rejects (empty input, a leading BOM, extra data…).
    public static func decode(_ bytes: some Collection<UInt8>) throws(JSONCodecError) -> JSONValue {
        try PotteryJSONParser.parse(bytes)
    }

    /// Parses bytes as ``decode(_:)`` does, but refuses a lone surrogate
    /// escape (`"\ud800"`) with a `.syntax` error instead of reading it as
    /// U+FFFD: for input that will be written back, where a silent change
    /// would make a different member or field.
    ///
    /// - Parameter bytes: UTF-8 JSON text.
    /// - Returns: The value.
    /// - Throws: `JSONCodecError`, as ``decode(_:)``, and `.syntax` for a lone surrogate.
    public static func decodeRejectingLoneSurrogates(_ bytes: some Collection<UInt8>) throws(JSONCodecError) -> JSONValue {
        try PotteryJSONParser.parse(bytes, rejectsLoneSurrogates: true)
    }

    /// Encodes an `Encodable` value to pottery bytes.
    ///
    /// `JSONValue`, `String`, `Int`, `Double` and `Bool` are written directly.
    /// Other values go through an encoder: `Float` is widened to `Double`,
    /// integers that do not fit in `Int` are written in full, and the keys of
    /// `[Int: V]` dictionaries are written in numeric order, as Python does.
    ///
    /// - Parameter value: The value to encode.
    /// - Returns: The pottery bytes.
    /// - Throws: `JSONCodecError` of kind `.unencodable` when the value's
    ///   `encode(to:)` throws or encodes nothing.
    public static func encode<T: Encodable>(_ value: T) throws(JSONCodecError) -> [UInt8] {
        if let scalar = JSONValueEncoder.scalar(value) { return encode(scalar) }
        let node: EncodedNode
        do {
            node = try JSONValueEncoder.encodeTopLevel(value)
        } catch {
            throw CodingErrorConversion.encoding(error)
        }
        var writer = JSONByteWriter()
        writer.write(node)
        return writer.bytes
    }

    /// Appends the bytes `encode(value)` would return to `bytes`: for hot
    /// loops that reuse one buffer instead of allocating an array per value.
    static func encode<T: Encodable>(_ value: T, appendingTo bytes: inout [UInt8]) throws(JSONCodecError) {
        var writer = JSONByteWriter()
        swap(&writer.bytes, &bytes)
        defer { swap(&writer.bytes, &bytes) }
        if let scalar = JSONValueEncoder.scalar(value) {
            writer.write(scalar)
            return
        }
        let node: EncodedNode
        do {
            node = try JSONValueEncoder.encodeTopLevel(value)
        } catch {
            throw CodingErrorConversion.encoding(error)
        }
        writer.write(node)
    }

    /// Decodes pottery bytes into a `Decodable` type.
    ///
    /// `JSONValue`, `String`, `Int`, `Double` and `Bool` are read directly.
    /// A JSON int decodes into `Double`, and a float that is exactly integral
    /// decodes into `Int`.
    ///
    /// Object keys are matched by code point, as Python's `d[key]` matches
    /// them. A Swift `Dictionary` cannot hold two keys that Swift calls equal,
    /// so an object whose keys it would merge (`"\u00e9"` and `"e\u0301"` as
    /// `String` keys, `"1"` and `"01"` as `Int` keys) is a `.typeMismatch`
    /// naming those keys, never a dictionary missing a value. Decode such
    /// objects as ``JSONValue`` or ``JSONObject``, which keep every member.
    ///
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - bytes: UTF-8 JSON text.
    /// - Returns: The decoded value.
    /// - Throws: `JSONCodecError`: the kinds of ``decode(_:)`` for bad bytes,
    ///   `.typeMismatch` (naming the coding path) when the JSON does not fit `type`.
    public static func decode<T: Decodable>(
        _ type: T.Type, from bytes: some Collection<UInt8>
    ) throws(JSONCodecError) -> T {
        try value(type, from: try decode(bytes))
    }

    /// ``decode(_:from:)`` of an array, for the containers: parsing specialized
    /// for `[UInt8]` even where `T` is not (a generic container's elements).
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(JSONCodecError) -> T {
        try value(type, from: try PotteryJSONParser.parse(bytes))
    }

    /// Turns an `Encodable` value into a ``JSONValue``, as `encode(_:)` would.
    ///
    /// Objects in a `JSONValue` are unordered, so the numeric key order of
    /// `[Int: V]` is not kept: encoding the result sorts those keys as strings.
    /// Use `encode(_:)` on the value itself for Python's order.
    ///
    /// - Parameter value: The value to convert.
    /// - Returns: The JSON value.
    /// - Throws: `JSONCodecError` of kind `.unencodable`.
    public static func jsonValue<T: Encodable>(from value: T) throws(JSONCodecError) -> JSONValue {
        if let scalar = JSONValueEncoder.scalar(value) { return scalar }
        do {
            return try JSONValueEncoder.encodeTopLevel(value).jsonValue
        } catch {
            throw CodingErrorConversion.encoding(error)
        }
    }

    /// Reads a `Decodable` type out of a ``JSONValue``, with the rules of
    /// ``decode(_:from:)`` (objects whose keys a Swift `Dictionary` would
    /// merge are a `.typeMismatch`).
    ///
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - json: The JSON value.
    /// - Returns: The decoded value.
    /// - Throws: `JSONCodecError` of kind `.typeMismatch`, naming the coding path.
    public static func value<T: Decodable>(_ type: T.Type, from json: JSONValue) throws(JSONCodecError) -> T {
        do {
            return try JSONValueDecoder.unbox(type, from: json, codingPath: [])
        } catch {
            throw CodingErrorConversion.decoding(error)
        }
    }
}
