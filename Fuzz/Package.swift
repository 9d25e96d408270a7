// swift-tools-version: 6.0
import PackageDescription

// libFuzzer targets for the readers of imported files: one executable per
// reader, built only by scripts/fuzz.sh (with -sanitize=fuzzer, which links
// libFuzzer's driver; a plain `swift build` here fails to link). A package of
// its own so that the main package, its tests and its CI never build them.
let package = Package(
  name: "cme-fuzz",
  dependencies: [.package(name: "cme", path: "..")],
  targets: [
    // The declaration of libFuzzer's driver, which each target's main calls.
    .target(name: "FuzzDriver"),
    // Running a test under the driver, and what every refusal must look like.
    .target(name: "FuzzSupport", dependencies: ["FuzzDriver", .product(name: "CMEDomain", package: "cme")]),
    .executableTarget(
      name: "fuzz-csv", dependencies: ["FuzzSupport", .product(name: "CMEDomain", package: "cme")],
      path: "Sources/FuzzCSV"),
    .executableTarget(
      name: "fuzz-deletion-returns", dependencies: ["FuzzSupport", .product(name: "CMEDomain", package: "cme")],
      path: "Sources/FuzzDeletionReturns"),
    .executableTarget(
      name: "fuzz-new-pupils", dependencies: ["FuzzSupport", .product(name: "CMEDomain", package: "cme")],
      path: "Sources/FuzzNewPupils"),
    .executableTarget(
      name: "fuzz-ctf", dependencies: ["FuzzSupport", .product(name: "CMEDomain", package: "cme")],
      path: "Sources/FuzzCTF"),
  ]
)
