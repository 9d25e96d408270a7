import CMETestSupport
import Foundation
import Testing

/// Runs the built `cme` as a user would, on a register in a temporary folder.
struct CLI {
  let directory = TemporaryDirectory()
  var db: String { directory.file("register.sqlite") }

  static let binary: String = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
      "cme"
    ).path
    if FileManager.default.isExecutableFile(atPath: beside) { return beside }
    return packageRoot + "/.build/debug/cme"
  }()

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  @discardableResult
  func run(_ args: [String], user: String? = "mgr", input: String? = nil, today: String? = nil) throws -> Result {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLI.binary)
    p.arguments = args + ["--db", db] + (user.map { ["--user", $0] } ?? [])
    p.environment = CLI.environment(today.map { ["CME_TEST_TODAY": $0] } ?? [:])
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    if let input {
      let pipe = Pipe()
      p.standardInput = pipe
      try p.run()
      pipe.fileHandleForWriting.write(Data(input.utf8))
      try pipe.fileHandleForWriting.close()
    } else {
      p.standardInput = FileHandle.nullDevice
      try p.run()
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self))
  }

  /// A register with an admin, a manager and a caseworker.
  static func withUsers() throws -> CLI {
    let cli = CLI()
    try cli.expectSuccess(["init", "--admin", "admin"], user: nil)
    try cli.expectSuccess(["user", "add", "mgr", "--role", "manager"], user: "admin")
    try cli.expectSuccess(["user", "add", "cw", "--role", "caseworker"], user: "admin")
    return cli
  }

  @discardableResult
  func expectSuccess(
    _ args: [String], user: String? = "mgr", today: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> String {
    let r = try run(args, user: user, today: today)
    #expect(r.status == 0, "cme \(args.joined(separator: " ")) failed: \(r.stderr)", sourceLocation: sourceLocation)
    return r.stdout
  }

  /// The environment `cme` runs in: the test harness's fixed today
  /// (2026-11-16), and nothing from the caller's CME_DB or CME_USER.
  static func environment(_ extra: [String: String] = [:]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["CME_DB"] = nil
    env["CME_USER"] = nil
    env["CME_TEST_MODE"] = "1"
    env["CME_TEST_TODAY"] = "2026-11-16"
    env["CME_TEST_BCRYPT_COST"] = "4"
    env.merge(extra) { $1 }
    return env
  }

  /// Starts `cme` without waiting for it, for tests that kill it midway.
  func start(_ args: [String], user: String, environment extra: [String: String] = [:]) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLI.binary)
    p.environment = CLI.environment(extra)
    p.arguments = args + ["--db", db, "--user", user]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
  }

  /// Kills a started `cme` outright (SIGKILL: no clean-up of any kind).
  func killOutright(_ p: Process, sourceLocation: SourceLocation = #_sourceLocation) {
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    #expect(p.terminationReason == .uncaughtSignal, sourceLocation: sourceLocation)
  }

  func auditCount() throws -> Int {
    Int(try sqlite3(db, "SELECT count(*) FROM auditEntry;").output.trimmingCharacters(in: .whitespacesAndNewlines))
      ?? -1
  }
}

/// Every "writes nothing" check compares the log before and after.
struct CLITests {
  @Test func help_lists_the_commands() throws {
    let r = try CLI().run(["--help"], user: nil)
    #expect(r.status == 0)
    for command in ["init", "demo", "user", "child", "case", "rag", "register", "audit"] {
      #expect(r.stdout.contains("  \(command)"), "help lacks \(command)")
    }
  }

  @Test func a_caseworker_and_a_manager_work_a_case_end_to_end() throws {
    let cli = try CLI.withUsers()
    let id = try cli.expectSuccess(
      [
        "child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02", "--sex", "M",
        "--upn", "B801200005001", "--ethnicity", "WIRT", "--sen", "K", "--address", "12 Meadow Lane, Nottingham",
        "--postcode", "ng2 3hj", "--carer", "Mary Ward;mother;07700 900123", "--last-school", "892/4001",
      ], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(id == "1")
    let ref = try cli.expectSuccess(
      ["case", "open", id, "--reason", "whereabouts-unknown", "--ground", "I", "--last-attended", "2026-10-01"],
      user: "cw"
    )
    .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(ref == "CME-2026-00001")
    let show = try cli.expectSuccess(["case", "show", ref], user: "cw")
    #expect(show.contains("Deletion ground     I (2024 regulations)"))
    #expect(show.contains("joint school–LA enquiries required"))
    let suggest = try cli.expectSuccess(["rag", "suggest", ref], user: "cw")
    #expect(suggest.contains("suggested red"))
    #expect(suggest.contains("whereabouts unknown for a Gypsy, Roma or Traveller child"))
    try cli.expectSuccess(["register", "cycle", "start"])
    let check = try cli.expectSuccess(["register", "check"])
    #expect(check.contains("checked 0 of 1 open cases"))
    #expect(check.contains(ref))
    let csv = try cli.expectSuccess(["register", "check", "--format", "csv"])
    #expect(csv.hasPrefix("case,name,age,rag,suggested"))
    try cli.expectSuccess(["register", "record", ref, "--outcome", "escalated", "--note", "Referred to MASH"])
    try cli.expectSuccess(["register", "cycle", "close"])
    try cli.expectSuccess(
      [
        "case", "close", ref, "--outcome", "on-roll-la-school", "--evidence", "Hill Top confirmed start", "--school",
        "892/4001", "--start-date", "2026-11-16",
      ], user: "cw")
    let list = try cli.expectSuccess(["case", "list", "--status", "closed", "--format", "json"])
    #expect(list.contains("\"outcome\" : \"on-roll-la-school\""))
    let verify = try cli.expectSuccess(["audit", "verify"])
    #expect(verify.hasPrefix("The audit log is intact:"))
    let log = try cli.expectSuccess(["audit", "log", "--case", ref])
    #expect(log.contains("case.view"))
    #expect(log.contains("register.check"))
  }

  @Test(arguments: [
    (
      ["--upn", "A801200005001"],
      "error: --upn: 'A801200005001': UPN invalid (wrong check letter at character 1): 'A' should be 'B'"
    ),
    (["--ethnicity", "ZZZZ"], "error: --ethnicity: 'ZZZZ' is not a DfE ethnicity code"),
    (["--dob", "2014-02-30"], "error: --dob: '2014-02-30' is not a real date: February 2014 has 28 days"),
    (["--sen", "S"], "error: --sen: 'S' is not a SEN provision code"),
    (["--postcode", "NG5 1AB"], "error: --postcode: a postcode or move-in date is given without --address"),
  ])
  func bad_child_input_is_refused_and_writes_nothing(_ extra: [String], _ message: String) throws {
    let cli = try CLI.withUsers()
    let before = try cli.auditCount()
    var args = ["child", "add", "--surname", "Ward", "--forename", "Tommy"]
    if !extra.contains("--dob") { args += ["--dob", "2014-03-02"] }
    let r = try cli.run(args + extra, user: "cw")
    #expect(r.status == 65)
    #expect(r.stderr.hasPrefix(message), "got: \(r.stderr)")
    #expect(r.stdout.isEmpty)
    #expect(try cli.auditCount() == before)
  }

  @Test func a_value_outside_an_options_list_is_refused_by_the_parser_with_the_list() throws {
    let cli = try CLI.withUsers()
    let before = try cli.auditCount()
    for (args, message) in [
      (["--sex", "X"], "Error: The value 'X' is invalid for '--sex <sex>'. Please provide one of 'M', 'F' or 'U'."),
      (
        ["--fsm", "maybe"],
        "Error: The value 'maybe' is invalid for '--fsm <fsm>'. Please provide one of 'yes' and 'no'."
      ),
    ] {
      let r = try cli.run(
        ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02"] + args, user: "cw")
      #expect(r.status == 64)
      #expect(r.stderr.hasPrefix(message), "got: \(r.stderr)")
    }
    #expect(try cli.auditCount() == before)
  }

  @Test func unknown_users_and_forbidden_roles_are_refused() throws {
    let cli = try CLI.withUsers()
    let before = try cli.auditCount()
    let unknown = try cli.run(
      ["child", "add", "--surname", "A", "--forename", "B", "--dob", "2014-03-02"], user: "mallory")
    #expect(unknown.status == 77)
    #expect(unknown.stderr.hasPrefix("error: 'mallory' is not a user of this register."))
    let caseworker = try cli.run(["register", "cycle", "start"], user: "cw")
    #expect(caseworker.status == 77)
    #expect(
      caseworker.stderr
        == "error: cw is a caseworker and may not run register-check cycles or set the register's settings, calendar and baseline; this needs the role manager\n"
    )
    let admin = try cli.run(["case", "list"], user: "admin")
    #expect(admin.status == 77)
    #expect(try cli.auditCount() == before)
  }

  @Test func unknown_cases_and_values_outside_their_lists_are_refused() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["child", "add", "--surname", "A", "--forename", "B", "--dob", "2014-03-02"], user: "cw")
    let before = try cli.auditCount()
    let cases: [([String], Int32, String)] = [
      (["case", "show", "CME-2026-00077"], 1, "error: no case 'CME-2026-00077'. List cases with 'cme case list'\n"),
      (
        ["case", "show", "77"], 65,
        "error: CASE: '77' is not a case reference. Case references look like CME-2026-00042 ('cme case list' shows the cases)\n"
      ),
      (
        ["case", "open", "1", "--reason", "holiday"], 64,
        "Error: The value 'holiday' is invalid for '--reason <reason>'. Please provide one of the following:"
      ),
      (
        ["case", "open", "1", "--reason", "other", "--ground", "Z"], 65,
        "error: --ground: 'Z' is not a 2024 deletion ground."
      ),
      (
        ["case", "open", "9", "--reason", "other"], 1, "error: no child '9'. Find children with 'cme child find TEXT'\n"
      ),
      (
        ["rag", "set", "CME-2026-00001", "purple", "--reason", "x"], 64,
        "Error: The value 'purple' is invalid for '<rating>'. Please provide one of 'green', 'amber' or 'red'.\n"
      ),
      (
        ["user", "add", "x", "--role", "boss"], 64,
        "Error: The value 'boss' is invalid for '--role <role>'. Please provide one of 'caseworker', 'manager', 'board' or 'admin'."
      ),
      (
        ["case", "show", "CME-2026-00001", "--format", "csv"], 64,
        "Error: The value 'csv' is invalid for '--format <format>'. Please provide one of 'table' and 'json'."
      ),
      (
        ["calendar", "show", "--format", "json"], 64,
        "Error: The value 'json' is invalid for '--format <format>'. Please provide one of 'table' and 'csv'."
      ),
    ]
    for (args, status, message) in cases {
      let r = try cli.run(args, user: args[0] == "user" ? "admin" : "cw")
      #expect(r.status == status, "\(args): \(r.stderr)")
      #expect(r.stderr.hasPrefix(message), "\(args): \(r.stderr)")
    }
    let close = try cli.run(["case", "open", "1", "--reason", "other", "--opened", "2026-11-02"], user: "cw")
    #expect(close.status == 0)
    let bad = try cli.run(["case", "close", "CME-2026-00001", "--outcome", "found", "--evidence", "x"], user: "cw")
    #expect(bad.status == 64)
    #expect(bad.stderr.hasPrefix("Error: The value 'found' is invalid for '--outcome <outcome>'."))
    #expect(try cli.auditCount() == before + 1)  // only the case that opened
  }

  @Test func verify_fails_and_names_the_entry_after_tampering() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["child", "add", "--surname", "A", "--forename", "B", "--dob", "2014-03-02"], user: "cw")
    try sqlite3(cli.db, "DROP TRIGGER auditEntry_noUpdate; UPDATE auditEntry SET actor = 'mgr' WHERE seq = 2;")
    let r = try cli.run(["audit", "verify"])
    #expect(r.status == 2)
    #expect(r.stderr.hasPrefix("error: the audit log is damaged at entry 2: its hash does not match"))
  }

  @Test func the_chain_alone_is_checked_quickly_and_says_what_it_left_out() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["child", "add", "--surname", "A", "--forename", "B", "--dob", "2014-03-02"], user: "cw")
    let intact = try cli.run(["audit", "verify", "--chain-only"])
    #expect(intact.status == 0)
    #expect(intact.stdout.hasPrefix("The audit log is intact: 4 entries"))
    #expect(intact.stderr.contains("The chain alone was checked; 'cme audit verify' checks the file and every row too"))
    // A row changed outside cme: only the full check compares rows.
    try sqlite3(cli.db, "UPDATE child SET legalSurname = 'Z'")
    #expect(try cli.run(["audit", "verify", "--chain-only"]).status == 0)
    #expect(try cli.run(["audit", "verify"]).status == 2)
    // An entry changed outside cme: both find it, at the same entry.
    try sqlite3(cli.db, "DROP TRIGGER auditEntry_noUpdate; UPDATE auditEntry SET reason = 'x' WHERE seq = 3;")
    for args in [["audit", "verify", "--chain-only"], ["audit", "verify"]] {
      let r = try cli.run(args)
      #expect(r.status == 2)
      #expect(r.stderr.hasPrefix("error: the audit log is damaged at entry 3: "), "\(args): \(r.stderr)")
    }
  }

  @Test func a_checkpoint_catches_a_cut_tail() throws {
    let cli = try CLI.withUsers()
    // The first checkpoint makes the register's signing key (entry 4).
    try cli.expectSuccess(["audit", "checkpoint", "--out", cli.directory.file("first.json")])
    try cli.expectSuccess(["child", "add", "--surname", "A", "--forename", "B", "--dob", "2014-03-02"], user: "cw")
    let point = cli.directory.file("checkpoint.json")
    try cli.expectSuccess(["audit", "checkpoint", "--out", point])
    try sqlite3(
      cli.db,
      """
      DROP TRIGGER auditEntry_noDelete; DROP TRIGGER auditRow_noDelete; PRAGMA foreign_keys=OFF;
      DELETE FROM childAddress; DELETE FROM child; DELETE FROM auditRow WHERE seq = 5;
      DELETE FROM auditEntry WHERE seq = 5;
      CREATE TRIGGER auditEntry_noDelete BEFORE DELETE ON auditEntry
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its entries cannot be deleted'); END;
      CREATE TRIGGER auditRow_noDelete BEFORE DELETE ON auditRow
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its row records cannot be deleted'); END;
      """
    )
    // The child, its rows, the entry and its records all went together: without a checkpoint it looks whole.
    #expect(try cli.run(["audit", "verify"]).status == 0)
    let r = try cli.run(["audit", "verify", "--checkpoint", point])
    #expect(r.status == 2)
    #expect(r.stderr.hasPrefix("error: the audit log is damaged at entry 5: missing"))
    #expect(r.stderr.contains("this is an older copy of the register, or entries 5–5 were cut"))
  }

  @Test func demo_then_register_check_shows_a_meaningful_screen() throws {
    let cli = CLI()
    let demo = try cli.expectSuccess(["demo", "--children", "400", "--seed", "5"], user: "me")
    #expect(demo.contains("400 children"))
    let check = try cli.expectSuccess(["register", "check"], user: "me")
    #expect(check.contains("Register check, cycle 1"))
    #expect(check.contains("CME-"))
    // The whole list as CSV or JSON is written a batch at a time, as the
    // same list held whole would be written.
    for format in ["csv", "json"] {
      let streamed = try cli.expectSuccess(["register", "check", "--limit", "0", "--format", format], user: "me")
      let whole = try cli.expectSuccess(["register", "check", "--limit", "100000", "--format", format], user: "me")
      #expect(streamed == whole, "\(format)")
      #expect(streamed.contains("CME-"))
    }
    // Running the demo again replaces the demo register.
    try cli.expectSuccess(["demo", "--children", "400", "--seed", "5"], user: "me")
    #expect(try cli.run(["audit", "verify"], user: "me").status == 0)
  }

  @Test func init_twice_is_refused() throws {
    let cli = try CLI.withUsers()
    let r = try cli.run(["init", "--admin", "other"], user: nil)
    #expect(r.status == 1)
    #expect(r.stderr.contains("is already set up"))
  }
}

struct KillTests {
  @Test func a_kill_in_the_middle_of_a_write_leaves_the_register_as_it_was() throws {
    // Given a demo register, and a second demo large enough to be killed while it is built
    let cli = CLI()
    try cli.expectSuccess(["demo", "--children", "50", "--as-of", "2026-11-16"], user: "me")
    let before = try sqlite3(cli.db, ".dump").output
    let p = try cli.start(["demo", "--children", "200000", "--as-of", "2026-11-16"], user: "me")
    // When it is killed once its new file holds data
    let folder = cli.directory.path
    let deadline = Date().addingTimeInterval(60)
    var building: String?
    while Date() < deadline && p.isRunning {
      building = try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.contains(".demo-") }
      if let b = building,
        let size = try? FileManager.default.attributesOfItem(atPath: folder + "/" + b)[.size] as? Int, size > 1 << 20
      {
        break
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    #expect(p.isRunning, "the demo finished before it could be killed")
    cli.killOutright(p)
    // Then the earlier demo is exactly as it was, and its log verifies.
    #expect(try sqlite3(cli.db, ".dump").output == before)
    let verify = try cli.run(["audit", "verify"], user: "cme-admin")
    #expect(verify.status == 0, "\(verify.stderr)")
    // And the next demo replaces it cleanly, leaving nothing beside it.
    try cli.expectSuccess(["demo", "--children", "50"], user: "me")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".demo-") }.isEmpty)
  }
}
