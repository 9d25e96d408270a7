import CMETestSupport
import Foundation
import Testing

/// `cme serve` as the service account starts and stops it.
struct ServeCLITests {
  func curl(_ url: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["curl", "-s", "-o", "/dev/stdout", "-w", " %{http_code}", url]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  @Test func it_serves_until_sigterm_and_then_stops_cleanly() throws {
    let cli = try CLI.withUsers()
    let port = Int.random(in: 20000...40000)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLI.binary)
    p.arguments = ["serve", "--db", cli.db, "--listen", "127.0.0.1:\(port)"]
    p.environment = CLI.environment()
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    var health = ""
    for _ in 0..<100 {
      health = try curl("http://127.0.0.1:\(port)/health")
      if health.hasSuffix("200") { break }
      usleep(100_000)
    }
    #expect(health == "ok\n 200")
    #expect(try curl("http://127.0.0.1:\(port)/").hasSuffix(" 303"))
    // While it serves, a second server and a restore over its file are refused.
    let second = try cli.run(["serve", "--listen", "127.0.0.1:\(port + 1)"], user: "admin")
    #expect(second.status != 0)
    #expect(second.stderr.contains("another web server is already serving"))
    let backup = cli.directory.file("backup.sqlite")
    try cli.expectSuccess(["backup", "--out", backup])
    let restore = try cli.run(["restore", backup], user: "admin")
    #expect(restore.status != 0)
    #expect(restore.stderr.contains("the web server is serving"))
    kill(p.processIdentifier, SIGTERM)
    p.waitUntilExit()
    #expect(p.terminationReason == .exit)
    #expect(p.terminationStatus == 0)
    let mode = try FileManager.default.attributesOfItem(atPath: cli.db)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    // Once it has stopped, the restore goes ahead.
    try cli.expectSuccess(["restore", backup], user: "admin")
  }

  @Test func it_refuses_a_register_that_is_not_there_or_not_set_up() throws {
    let cli = CLI()
    let r = try cli.run(["serve", "--listen", "127.0.0.1:1"], user: nil)
    #expect(r.status == 1)
    #expect(r.stderr.contains("there is no register at"))
    #expect(!FileManager.default.fileExists(atPath: cli.db))
    let bad = try cli.run(["serve", "--listen", "localhost"], user: nil)
    #expect(bad.status != 0)
  }
}
