// swift-tools-version:6.0
// A sample service using PotteryKit from async code: a lock with a watchdog,
// IDs from NextID, and containers through their async forms. Its own package,
// depending on PotteryKit by path, as a user's would; the tests run it.
import Foundation
import PackageDescription

// A path dependency is known by its directory's name: the clone's, whatever it is.
let pottery = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../..").standardizedFileURL.lastPathComponent

let package = Package(
    name: "OrderService",
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(
            name: "OrderService",
            dependencies: [.product(name: "PotteryKit", package: pottery)]
        ),
    ]
)
