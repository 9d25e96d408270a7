import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import Testing

/// Who the command line acts as: the operating-system account running it,
/// never a name it is told.
struct IdentityCLITests {
  static let account: String = {
    if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return "uid-\(getuid())"
  }()

  /// A register whose admin is another account, and where this account is
  /// the caseworker `cw`.
  static func registerWhereIAmACaseworker() throws -> CLI {
    let cli = CLI()
    let register = try Register(path: cli.db)
    _ = try register.initialize(admin: "boss", account: "someone-else")
    let boss = try register.commandLineSession(account: "someone-else", requested: nil)
    _ = try register.addUser(name: "cw", role: .caseworker, account: account, by: boss)
    _ = try register.addUser(name: "mgr", role: .manager, by: boss)
    return cli
  }

  @Test func the_command_line_acts_as_its_account_whatever_USER_says() throws {
    let cli = try Self.registerWhereIAmACaseworker()
    let env = CLI.environment(["USER": "boss", "LOGNAME": "boss"])
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLI.binary)
    p.arguments = ["user", "add", "intruder", "--role", "manager", "--db", cli.db]
    p.environment = env
    let err = Pipe()
    p.standardError = err
    p.standardOutput = Pipe()
    try p.run()
    let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus != 0)
    #expect(e.contains("cw is a caseworker and may not add or change users"))
    #expect(try sqlite3(cli.db, "SELECT count(*) FROM user WHERE name = 'intruder';").output.hasPrefix("0"))
  }

  @Test func another_user_is_only_an_admins_break_glass() throws {
    let cli = try Self.registerWhereIAmACaseworker()
    let r = try cli.run(["user", "add", "intruder", "--role", "manager"], user: "boss")
    #expect(r.status != 0)
    #expect(
      r.stderr.contains(
        "the operating-system account '\(Self.account)' acts as cw and may not act as boss: only an admin may act as another user (break-glass)"
      ))
    let mine = try cli.run(["case", "list"], user: nil)
    #expect(mine.status == 0, "\(mine.stderr)")
  }

  @Test func an_admins_break_glass_is_recorded_in_every_entry() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02", "--sex", "M"], user: "cw")
    let channels = try sqlite3(cli.db, "SELECT actor || '|' || channel FROM auditEntry ORDER BY seq;").output
    #expect(channels.contains("admin|command line (\(Self.account))"))
    #expect(channels.contains("cw|command line (\(Self.account)), break-glass by admin"))
  }

  @Test func an_account_that_is_no_users_is_told_how_to_get_one() throws {
    let cli = CLI()
    let register = try Register(path: cli.db)
    _ = try register.initialize(admin: "boss", account: "someone-else")
    let r = try cli.run(["case", "list"], user: nil)
    #expect(r.status != 0)
    #expect(r.stderr.contains("the operating-system account '\(Self.account)' is not a user of this register"))
    #expect(r.stderr.contains("--account \(Self.account)"))
  }

  @Test func admins_set_one_time_passwords_deactivate_and_change_roles() throws {
    let cli = try CLI.withUsers()
    let out = try cli.expectSuccess(["user", "password", "cw"], user: "admin")
    #expect(out.contains("One-time password for cw: "))
    let weak = try cli.run(["user", "password", "cw", "--stdin"], user: "admin", input: "password1234\n")
    #expect(weak.status == 65)
    #expect(weak.stderr.contains("attackers try first"))
    let refused = try cli.run(["user", "password", "cw"], user: "mgr")
    #expect(refused.status != 0)
    #expect(try cli.expectSuccess(["user", "role", "cw", "manager"], user: "admin").contains("cw is now a manager"))
    try cli.expectSuccess(["user", "deactivate", "cw"], user: "admin")
    let gone = try cli.run(["case", "list"], user: "cw")
    #expect(gone.stderr.contains("'cw' is not a user of this register"))
    let hashes = try sqlite3(cli.db, "SELECT count(*) FROM auditEntry WHERE before LIKE '%$2%' OR after LIKE '%$2%';")
    #expect(hashes.output.hasPrefix("0"), "no password hash in the log")
  }
}
