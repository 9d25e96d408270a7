import CMEDomain
import CMEStore
import Foundation

/// A fresh folder in the system's temporary directory, removed when the
/// value is released.
public final class TemporaryDirectory: @unchecked Sendable {
  public let path: String

  public init() {
    path = (NSTemporaryDirectory() as NSString).appendingPathComponent("cme-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The day every store test treats as today.
public let testToday = LocalDate(year: 2026, month: 11, day: 16)!

/// A demo register of `children` children in `dir` (`demo.sqlite`), made as
/// `cme demo` makes it on `testToday`, with the manager "me".
public func demoRegister(children: Int, seed: UInt64, in dir: TemporaryDirectory) throws -> Register {
  try Register.createDemo(
    at: dir.file("demo.sqlite"), children: children, seed: seed, asOf: testToday, manager: "me",
    via: .commandLine(account: "test")
  ).0
}

/// A register on a real SQLite file, with an admin, a manager, two
/// caseworkers and a board member.
public struct TestRegister: Sendable {
  public let directory = TemporaryDirectory()
  public let register: Register
  public var path: String { register.path }

  public init() throws {
    var register = try Register(path: directory.file("register.sqlite"))
    register.passwordCost = 4
    self.register = register
    _ = try register.initialize(admin: "admin")
    _ = try register.addUser(name: "mgr", role: .manager, by: register.session("admin"))
    _ = try register.addUser(name: "mgr2", role: .manager, by: register.session("admin"))
    _ = try register.addUser(name: "cw", role: .caseworker, by: register.session("admin"))
    _ = try register.addUser(name: "cw2", role: .caseworker, by: register.session("admin"))
    _ = try register.addUser(name: "board", role: .board, by: register.session("admin"))
  }

  /// Adds a child with sensible defaults, changed by `configure`.
  public func addChild(
    surname: String = "Smith", forename: String = "Jo", dob: String = "2014-03-02",
    _ configure: (inout Child) -> Void = { _ in }
  ) throws -> Int64 {
    var c = Child(legalSurname: surname, legalForename: forename, dateOfBirth: try LocalDate.parse(dob, field: "dob"))
    c.sex = .female
    configure(&c)
    return try register.addChild(c, by: register.session("cw"), today: testToday)
  }

  /// Opens a case for a new child and returns its reference.
  public func openCase(
    reason: CaseReason = .whereaboutsUnknown, lead: String? = "cw", opened: String = "2026-11-02",
    whereaboutsKnown: Bool = false, child configure: (inout Child) -> Void = { _ in }
  ) throws -> CaseReference {
    let id = try addChild(configure)
    let c = try register.openCase(
      CaseOpening(
        childId: id, reason: reason, openedOn: try LocalDate.parse(opened, field: "opened"),
        whereaboutsKnown: whereaboutsKnown, leadCaseworker: lead),
      by: register.session("cw"), today: testToday)
    return try CaseReference.parse(c.reference, field: "case")
  }
}

/// Runs SQL through the system's `sqlite3` program, as someone tampering
/// with the file by hand would. Returns its exit status and output.
@discardableResult
public func sqlite3(_ path: String, _ sql: String) throws -> (status: Int32, output: String) {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments = ["sqlite3", path, sql]
  let out = Pipe()
  p.standardOutput = out
  p.standardError = out
  try p.run()
  let data = out.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The package's root folder, found from this source file.
public let packageRoot: String = {
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<3 { url.deleteLastPathComponent() }
  return url.path
}()

extension Register {
  /// The session of the user called `name`, as a test acts.
  public func session(_ name: String) throws -> Session {
    try session(for: name, channel: .commandLine(account: "test"))
  }
}
