// swift-tools-version:6.0
// policyc: compiles privacy policies written as Markdown with YAML front matter into a typed model,
// diffs versions, publishes them and lists who must be told about a change.
//
// Stages, each its own target, data flowing one way:
//   PolicySource (bytes → front matter, YAML nodes, CommonMark blocks, positions)
//   → PolicyModel (typed value model and its rules; pure)
//   → PolicyDiff (fact and word differences, impact classes; pure)
// PolicyDriver ties the stages to files and output formats; `policyc` only parses arguments.
import PackageDescription

let package = Package(
    name: "policyc",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "policyc", targets: ["policyc"]),
        .library(name: "PolicyDriver", targets: ["PolicyDriver"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // What every stage shares: diagnostics and positions, stable JSON, the ordered parallel map. No C
        // library and no package: a stage that only reports problems links nothing else.
        .target(name: "PolicyBase"),
        .target(
            name: "PolicySource",
            dependencies: ["PolicyBase", "CCmark", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "PolicyModel",
            dependencies: ["PolicyBase", "PolicySource"]
        ),
        .target(
            name: "PolicyDiff",
            dependencies: ["PolicyBase", "PolicyModel"]
        ),
        .target(
            name: "PolicyDriver",
            dependencies: ["PolicyBase", "PolicySource", "PolicyModel", "PolicyDiff"]
        ),
        .executableTarget(
            name: "policyc",
            dependencies: [
                "PolicyDriver",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "PolicySourceTests",
            dependencies: ["PolicyBase", "PolicySource"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "PolicyModelTests",
            dependencies: ["PolicyBase", "PolicyModel", "PolicySource"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "PolicyDiffTests",
            dependencies: ["PolicyBase", "PolicyDiff", "PolicyModel", "PolicySource"]
        ),
        .testTarget(
            name: "PolicyDriverTests",
            // Depends on the executable so `swift test` builds it for the end-to-end tests.
            dependencies: ["PolicyBase", "PolicyDriver", "PolicyDiff", "PolicyModel", "PolicySource", "policyc"],
            exclude: ["Golden"]
        ),
    ]
)
