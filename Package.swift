// swift-tools-version: 6.1
import PackageDescription

let strictness: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "cme",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "cme", targets: ["cme"]),
    .library(name: "CMEDomain", targets: ["CMEDomain"]),
    .library(name: "CMEAudit", targets: ["CMEAudit"]),
    .library(name: "CMEStore", targets: ["CMEStore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    // The web server: HTTP, password hashing, HTML templates. Hummingbird's
    // swift-configuration support is not used, so its trait is left out.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
  ],
  targets: [
    // Plain value types and pure rules. Foundation only.
    .target(
      name: "CMEDomain", resources: [.embedInCode("Calendar/england-default-calendar.csv")],
      swiftSettings: strictness),
    // The append-only, hash-chained audit log: canonical encoding and chain arithmetic.
    .target(
      name: "CMEAudit",
      dependencies: [.product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: strictness),
    // The SQLite register: schema, migrations, one transaction per write with its audit entry.
    .target(
      name: "CMEStore",
      dependencies: [
        "CMEDomain", "CMEAudit",
        .product(name: "GRDB", package: "GRDB.swift"),
        // SQLite's own C interface, to read the rows `verify` digests without a copy.
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
        .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
      ],
      resources: [.embedInCode("schema.sql")],
      swiftSettings: strictness),
    // The web server (`cme serve`): sign-in, sessions, pages. Routes parse,
    // call the store as the signed-in user, and render a template.
    .target(
      name: "CMEWeb",
      dependencies: [
        "CMEDomain", "CMEStore",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
      ],
      resources: [
        "layout", "sign-in", "password", "my-work", "find", "child", "case", "register-check", "board", "meeting",
        "admin", "message", "code", "second-factor", "settings",
      ].map { .embedInCode("Templates/\($0).mustache") } + [.embedInCode("Assets/app.css")],
      swiftSettings: strictness),
    // The command-line tool: parse, open, call, print.
    .executableTarget(
      name: "cme",
      dependencies: [
        "CMEDomain", "CMEStore", "CMEAudit", "CMEWeb",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strictness),
    // Temporary register files and helpers shared by the test targets.
    .target(
      name: "CMETestSupport", dependencies: ["CMEStore", "CMEDomain"], path: "Tests/CMETestSupport",
      swiftSettings: strictness),
    .testTarget(name: "CMEDomainTests", dependencies: ["CMEDomain"], swiftSettings: strictness),
    .testTarget(name: "CMEAuditTests", dependencies: ["CMEAudit"], swiftSettings: strictness),
    .testTarget(
      name: "CMEStoreTests",
      dependencies: [
        "CMEStore", "CMEDomain", "CMEAudit", "CMETestSupport", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      exclude: ["Fixtures"],
      swiftSettings: strictness),
    // The core driven without the command line, as a second front end would.
    .testTarget(name: "CMECoreTests", dependencies: ["CMEStore", "CMEDomain"], swiftSettings: strictness),
    .testTarget(
      name: "CMEWebTests",
      dependencies: [
        "CMEWeb", "CMEStore", "CMEDomain", "CMETestSupport",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
      ],
      swiftSettings: strictness),
    .testTarget(
      name: "CMECLITests", dependencies: ["cme", "CMEStore", "CMEDomain", "CMETestSupport"], swiftSettings: strictness),
  ]
)
