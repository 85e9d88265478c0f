// swift-tools-version:6.0
// PotteryKit's benchmarks, in a package of their own so that PotteryKit's users
// fetch and build nothing extra: `swift build -c release --package-path Benchmarks`
// (the scripts under ../scripts do it; `make bench` runs them all).
import PackageDescription

// A path dependency is known by its directory's name (`pottery-swift`, or a
// worktree's name), so ask for the parent directory's.
let root = String(#filePath.split(separator: "/").dropLast(2).last ?? "pottery-swift")

let package = Package(
    name: "pottery-benchmarks",
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        // Throughput of PotteryKit next to the anchors (scripts/bench-*.sh; BENCHMARKS.md).
        .executableTarget(
            name: "pottery-bench",
            dependencies: [.product(name: "PotteryKit", package: root)],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
