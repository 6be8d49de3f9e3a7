// swift-tools-version:6.0
// policyc: compiles privacy policies written as Markdown with YAML front matter into a typed model,
// diffs versions, publishes them and lists who must be told about a change.
//
// Stages, each its own target, data flowing one way:
//   PolicySource (bytes → front matter, YAML nodes, CommonMark blocks, positions)
//   → PolicyModel (typed value model and its rules; pure)
//   → PolicyDiff (fact and word differences, impact classes; pure)
//   → PolicyPresent (words for people in each language) → PolicyPublish (the site) and PolicyNotify (who is told:
//     the rule in NotifyCore, the engine for large exports in NotifyEngine; customer sources such as CustomersCSV
//     know only NotifyCore)
// PolicyBase holds what all share. PolicyDriver ties the stages to files and output formats; `policyc` only parses
// arguments. Nothing imports the driver.
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
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
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
        // YAML through Yams' public API only: its libyaml module (CYaml) is internal to the package, not a product.
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
        // Words for people: change texts, values and vocabularies in each language the policies use.
        .target(
            name: "PolicyPresent",
            dependencies: [
                "PolicyBase", "PolicyModel", "PolicyDiff", .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The site: a pure map from compiled versions to paths and bytes; the driver writes them. Templates are
        // rendered through PolicyPresent's Theme; the built-in ones by Swift generated from them (no Mustache here).
        .target(
            name: "PolicyPublish",
            dependencies: [
                "PolicyBase", "PolicyModel", "PolicyDiff", "PolicyPresent",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Who must be told, as the rule says it: one record's fate and the merge of duplicates (`WhoIsTold`), the
        // plain reference selection, the values selection works on and the customer sources' protocol. Pure.
        .target(
            name: "NotifyCore",
            dependencies: ["PolicyModel", "PolicyDiff"]
        ),
        // The engine that selects from an export of any size in bounded memory (partitions, a temporary file, a
        // merge of sorted runs); its decisions are NotifyCore's.
        .target(
            name: "NotifyEngine",
            dependencies: ["PolicyBase", "NotifyCore"]
        ),
        // Notification: the engine's selection written as mail-merge files, the report and the ledger.
        .target(
            name: "PolicyNotify",
            dependencies: [
                "PolicyBase", "PolicyModel", "PolicyPresent", "NotifyCore", "NotifyEngine",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Customer sources, one target each; only these read CSV or talk to a database. They know the core only.
        .target(
            name: "CustomersCSV",
            dependencies: ["PolicyBase", "PolicyModel", "NotifyCore"]
        ),
        .target(
            name: "PolicyDriver",
            dependencies: [
                "PolicyBase", "PolicySource", "PolicyModel", "PolicyDiff", "PolicyPresent", "PolicyPublish",
                "PolicyNotify", "CustomersCSV",
            ]
        ),
        .executableTarget(
            name: "policyc",
            dependencies: [
                "PolicyBase", "PolicyModel", "PolicyDriver",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The references the product's writers are tested against (the `Encodable` form of the model, for
        // model.json's writer), shared by the tests and the compile fuzz target; not a dependency of the product.
        .target(
            name: "PolicyTestSupport",
            dependencies: ["PolicyBase", "PolicyModel", "PolicySource"],
            path: "Tests/PolicyTestSupport"
        ),
        .testTarget(
            name: "PolicyBaseTests",
            dependencies: ["PolicyBase"]
        ),
        .testTarget(
            name: "PolicySourceTests",
            dependencies: ["PolicyBase", "PolicySource"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "PolicyModelTests",
            dependencies: ["PolicyBase", "PolicyModel", "PolicySource", "PolicyTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "PolicyDiffTests",
            dependencies: ["PolicyBase", "PolicyDiff", "PolicyModel", "PolicySource", "PolicyTestSupport"]
        ),
        .testTarget(
            name: "PolicyPresentTests",
            dependencies: ["PolicyDiff", "PolicyModel", "PolicyPresent"]
        ),
        .testTarget(
            name: "PolicyPublishTests",
            // Holds the references the product's writers are tested against (the TILT tree, the Encodable forms of the
            // site's JSON) and the generator of the built-in pages' Swift: test code, kept out of the product.
            dependencies: ["PolicyBase", "PolicyModel", "PolicyDiff", "PolicyPresent", "PolicyPublish"],
            // The TILT schema is read by path (the end-to-end tests validate published documents against it).
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "PolicyDriverTests",
            // Depends on the executable so `swift test` builds it for the end-to-end tests.
            dependencies: [
                "PolicyBase", "PolicyDriver", "PolicyDiff", "PolicyModel", "PolicyPresent", "PolicySource",
                "PolicyTestSupport", "policyc",
            ],
            // The SARIF schema is read by path, like the TILT schema.
            exclude: ["Golden", "Fixtures"]
        ),
        .testTarget(
            name: "PolicyNotifyTests",
            dependencies: ["PolicyBase", "PolicyModel", "PolicyPresent", "PolicyNotify"]
        ),
        .testTarget(
            name: "CustomersCSVTests",
            dependencies: ["PolicyModel", "PolicyNotify", "CustomersCSV"]
        ),
        // The engine held to the reference selection on generated exports.
        .testTarget(
            name: "NotifyEngineTests",
            dependencies: ["PolicyModel", "NotifyCore", "NotifyEngine", "CustomersCSV"]
        ),
    ]
)
