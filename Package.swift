// swift-tools-version: 6.1
//
// porecipe: one target per layer, imports point down only (../shared/STYLE.md §1).
//
//   porecipe (CLI) ─▶ Optim ─▶ Core
//                 ├─▶ Graph ─▶ Core, Diagnostics
//                 └─▶ Recipe ─▶ Blocks ─▶ Expr ─▶ Graph, Diagnostics
//                           └─▶ CYAML (libyaml, read by one file of Recipe)
//
// Expressions lower to the graph (Expr ─▶ Graph); Runtime slots in above Recipe.
import PackageDescription

/// Compute targets are built for the CPU they run on: Swift's wide SIMD types fall back to
/// scalar code on the default x86-64 target (130× slower sgemm measured here).
/// `PORECIPE_PORTABLE=1 swift build` leaves the flag out for a binary that runs anywhere.
let isPortable = Context.environment["PORECIPE_PORTABLE"].map { $0 == "1" || $0 == "true" } ?? false
let nativeCPU: [SwiftSetting] = isPortable ? [] : [.unsafeFlags(["-target-cpu", "native"])]
/// `-fno-math-errno` lets `SIMD16<Float>.squareRoot()` become one vsqrtps instead of 16
/// branchy scalar calls (measured: AdamW step 9 → 66 GB/s).
let computeSettings: [SwiftSetting] = nativeCPU + [
  .unsafeFlags(["-Xcc", "-fno-math-errno"]),
  .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
  name: "porecipe",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "porecipe", targets: ["porecipe"]),
    .library(name: "PorecipeCore", targets: ["Core", "Graph", "Optim", "Diagnostics"]),
    .library(name: "PorecipeRecipe", targets: ["Recipe", "Blocks", "Expr", "Diagnostics"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
  ],
  targets: [
    // MARK: - Libraries, bottom to top
    .target(name: "Diagnostics"),
    .target(
      name: "Core",
      dependencies: [.product(name: "Numerics", package: "swift-numerics")],
      swiftSettings: computeSettings),
    .target(
      name: "Graph",
      dependencies: ["Core", "Diagnostics"],
      swiftSettings: computeSettings),
    .target(
      name: "Optim",
      dependencies: ["Core"],
      swiftSettings: computeSettings),
    .target(name: "Expr", dependencies: ["Graph", "Core", "Diagnostics"]),
    .target(name: "Blocks", dependencies: ["Expr", "Graph", "Core", "Diagnostics"]),
    .systemLibrary(
      name: "CYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),
    .target(name: "Recipe", dependencies: ["Blocks", "Expr", "Graph", "Core", "Diagnostics", "CYAML"]),

    // Environments, policies and trainers; the token trainer runs the recipe's compiled blocks.
    .target(
      name: "Runtime",
      dependencies: ["Core", "Graph", "Optim", "Expr", "Blocks"],
      swiftSettings: computeSettings),

    // MARK: - The command-line tool
    .executableTarget(
      name: "porecipe",
      dependencies: [
        "Core", "Graph", "Optim", "Diagnostics", "Recipe", "Blocks", "Runtime",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: nativeCPU),

    // MARK: - Tests, one target per source target
    .target(
      name: "TestSupport",
      dependencies: ["Core", "Graph"],
      path: "Tests/TestSupport"),
    .testTarget(name: "CoreTests", dependencies: ["Core", "TestSupport"], swiftSettings: nativeCPU),
    .testTarget(name: "GraphTests", dependencies: ["Graph", "Core", "TestSupport"], swiftSettings: nativeCPU),
    .testTarget(
      name: "RuntimeTests",
      dependencies: ["Runtime", "Blocks", "Core", "Graph", "Optim", "TestSupport"],
      resources: [.copy("Fixtures")],
      swiftSettings: nativeCPU),
    .testTarget(name: "OptimTests", dependencies: ["Optim", "Core", "TestSupport"], swiftSettings: nativeCPU),
    .testTarget(name: "PorecipeTests", dependencies: ["porecipe", "Recipe", "Core", "Graph", "TestSupport"], swiftSettings: nativeCPU),
    .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
    .testTarget(name: "ExprTests", dependencies: ["Expr", "Graph", "Core", "Diagnostics", "TestSupport"]),
    .testTarget(name: "BlocksTests", dependencies: ["Blocks", "Expr", "Graph", "Core", "Diagnostics", "TestSupport"]),
    .testTarget(
      name: "RecipeTests",
      dependencies: ["Recipe", "Blocks", "Expr", "Graph", "Core", "Diagnostics", "TestSupport"],
      resources: [.copy("Fixtures")]),
  ]
)
