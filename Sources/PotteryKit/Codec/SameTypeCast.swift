/// `value`, whose type is `U` (checked by the caller: `T.self == U.self`),
/// as a `U`: a plain copy.
///
/// The codec's scalar fast paths test a generic parameter's type and then
/// need the value as that type. `value as! U` would do, but in generic code
/// that is not specialized (a `RedisDict<String, String>` used from another
/// module) it calls the runtime's `swift_dynamicCast` for every element.
@inline(__always)
func sameType<T, U>(_ value: T, as type: U.Type) -> U {
    precondition(T.self == U.self, "sameType(_:as:) of \(T.self) as \(U.self)")
    return withUnsafePointer(to: value) { UnsafeRawPointer($0).load(as: U.self) }
}
