// swift-tools-version:6.0
import PackageDescription

/// Strictness shared by every Swift target.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "pottery-swift",
    products: [
        .library(name: "PotteryKit", targets: ["PotteryKit"]),
        .executable(name: "pottery-cli", targets: ["pottery-cli"]),
    ],
    targets: [
        // hiredis 0.14.1 from Debian's libhiredis-dev. Only PotteryKit/Connection imports it.
        .systemLibrary(
            name: "CHiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .target(
            name: "PotteryKit",
            dependencies: ["CHiredis"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "pottery-cli",
            dependencies: ["PotteryKit"],
            swiftSettings: strictSettings
        ),
        // Starts and stops real redis-server processes for the tests.
        .target(
            name: "PotteryTestSupport",
            dependencies: ["PotteryKit"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PotteryKitTests",
            dependencies: ["PotteryKit", "PotteryTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PotteryCLITests",
            dependencies: ["PotteryKit", "PotteryTestSupport", "pottery-cli"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
