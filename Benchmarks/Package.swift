// swift-tools-version: 6.1
import PackageDescription

// Micro-benchmarks of the functions whose cost matters at national scale
// (reading a deletion-returns file, writing CSV, assessing a case, sealing
// and checking the audit log), with ordo-one/benchmark. A package of its
// own so that the main package, its tests and its CI never build it. Run
// with `swift package --package-path Benchmarks benchmark` from the root.
let package = Package(
  name: "cme-benchmarks",
  platforms: [.macOS(.v14)],
  dependencies: [
    .package(name: "cme", path: ".."),
    // The trait leaves out a dependency this machine's package mirror lacks.
    .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "DomainBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "CMEDomain", package: "cme"),
        .product(name: "CMEAudit", package: "cme"),
      ],
      path: "Benchmarks/DomainBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
  ]
)
