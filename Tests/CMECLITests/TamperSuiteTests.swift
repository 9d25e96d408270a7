import CMETestSupport
import Foundation
import Testing

/// Tampering with every recorded table through the plain `sqlite3` program
/// (with its safeguards switched off, as an attacker would): each row
/// edited, deleted, or forged, and what `cme audit verify` says. The
/// register is built once through the command line, with a row in every
/// table that its work fills, and copied for each case.
struct TamperSuiteTests {
  /// The register every case starts from; built once (its folder lives as
  /// long as the tests).
  static let base: Result<CLI, any Error> = Result {
    let cli = CLI()
    try cli.expectSuccess(["demo", "--children", "300", "--seed", "3", "--as-of", "2026-11-16"], user: "me")
    try cli.expectSuccess(["settings", "set", "rag.amberAfterDaysOpen", "40"], user: "me")
    let calendar = cli.directory.file("calendar.csv")
    try "kind,start,end,description\nterm,2026-09-03,2026-10-23,Autumn 1\nterm,2026-11-02,2026-12-18,Autumn 2\n"
      .write(toFile: calendar, atomically: true, encoding: .utf8)
    try cli.expectSuccess(["calendar", "import", calendar], user: "me")
    try cli.expectSuccess(["board", "meeting", "create", "--date", "2026-11-16", "--chair", "SD"], user: "me")
    try cli.expectSuccess(["board", "pack", "1", "--out", cli.directory.file("pack.html")], user: "me")
    let agenda = try cli.expectSuccess(["board", "agenda", "1", "--format", "csv"], user: "me")
    let first = agenda.split(separator: "\r\n").dropFirst().first?.split(separator: ",").first.map(String.init) ?? ""
    try cli.expectSuccess(["board", "decide", "1", first, "--decision", "continue", "--note", "Agreed"], user: "me")
    let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/samples")
    try cli.expectSuccess(
      ["import", "deletion-returns", samples.appendingPathComponent("deletion-returns.csv").path], user: "me")
    try cli.expectSuccess(["import", "ctf", samples.appendingPathComponent("ctf-lost-pupil.xml").path], user: "me")
    let twin = ["child", "add", "--surname", "Twin", "--forename", "Sam", "--dob", "2014-03-02"]
    let a = try cli.expectSuccess(twin, user: "me").trimmingCharacters(in: .whitespacesAndNewlines)
    let b = try cli.expectSuccess(twin, user: "me").trimmingCharacters(in: .whitespacesAndNewlines)
    try cli.expectSuccess(["child", "merge", a, b, "--reason", "the same child"], user: "me")
    return cli
  }

  /// Every recorded table that the register's work fills (all but the
  /// closure proposals and cycle exemptions, which need a particular history).
  static let tables = [
    "boardAgendaItem", "boardDecision", "boardMeeting", "boardPack", "calendarPeriod", "carer", "caseAction",
    "caseActionEvent", "caseMilestone", "caseStatusChange", "child", "childAddress", "childConcern",
    "childFormerName", "childFormerUpn", "childMerge", "closureEvidence", "cmeCase", "enquiry", "importFile",
    "importRow", "meta", "populationBaseline", "ragRating", "registerCheck", "registerCycle", "setting", "user",
    "visit",
  ]

  enum Edit: String, CaseIterable, Sendable {
    case change, delete, forge
  }

  /// A copy of the base register in a folder of its own.
  func copy() throws -> CLI {
    let cli = CLI()
    try FileManager.default.copyItem(atPath: try Self.base.get().db, toPath: cli.db)
    return cli
  }

  /// The SQL an attacker runs: safeguards off, then the change.
  static let unguarded = "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON; "

  /// `PRAGMA table_info` of a table: (name, type, key position).
  func columns(_ table: String, in db: String) throws -> [(name: String, type: String, key: Int)] {
    try sqlite3(db, "SELECT name, type, pk FROM pragma_table_info('\(table)');").output
      .split(separator: "\n").map { line in
        let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        return (f[0], f[1], Int(f[2]) ?? 0)
      }
  }

  @Test(arguments: tables, Edit.allCases)
  func every_row_edit_outside_cme_is_named(table: String, edit: Edit) throws {
    let cli = try copy()
    let cols = try columns(table, in: cli.db)
    let rowid = try sqlite3(cli.db, "SELECT min(rowid) FROM \(table);").output.trimmingCharacters(in: .newlines)
    try #require(!rowid.isEmpty, "the base register has no \(table) row")
    let keys = cols.filter { $0.key > 0 }.map(\.name)
    let sql: String
    let expected: String
    switch edit {
    case .change:
      // A value that is not part of the key, or else the entry the row names.
      let target =
        cols.first { $0.key == 0 && $0.name != "auditSeq" && $0.type == "TEXT" }
        ?? cols.first { $0.key == 0 && $0.name != "auditSeq" && $0.type == "INTEGER" }
        ?? cols.first { $0.name == "auditSeq" }
      let c = try #require(target, "\(table) has no column to change")
      let value = c.type == "TEXT" ? "ifnull(\(c.name), '') || 'x'" : "ifnull(\(c.name), 0) + 1"
      sql = "UPDATE \(table) SET \(c.name) = \(value) WHERE rowid = \(rowid);"
      expected = "it was changed outside cme"
    case .delete:
      sql = "DELETE FROM \(table) WHERE rowid = \(rowid);"
      expected = "it was deleted outside cme"
    case .forge:
      // A copy of the row under a new key, every text made different.
      let changes = cols.compactMap { c -> String? in
        if c.key > 0 && c.type == "INTEGER" { return "\(c.name) = \(c.name) + 1000000" }
        if c.type == "TEXT" { return "\(c.name) = ifnull(\(c.name), '') || 'x'" }
        return nil
      }
      sql = """
        CREATE TEMP TABLE forged AS SELECT * FROM \(table) WHERE rowid = \(rowid);
        UPDATE forged SET \(changes.joined(separator: ", "));
        INSERT INTO \(table) SELECT * FROM forged;
        """
      expected = "it was added outside cme"
    }
    let done = try sqlite3(cli.db, Self.unguarded + sql + " SELECT changes();")
    // (Whatever else verify finds — a value the schema forbids, a broken
    // reference — the row itself is named.)
    #expect(done.status == 0 && done.output.hasSuffix("1\n"), "\(sql) → \(done.output)")
    let r = try cli.run(["audit", "verify"], user: "me")
    #expect(r.status == 2)
    #expect(r.stderr.contains(expected), "\(table) \(edit): \(r.stderr)")
    #expect(r.stderr.contains("\(table) row"), "\(r.stderr) names the table (keys \(keys))")
  }

  @Test func the_base_register_verifies_and_fills_every_listed_table() throws {
    let cli = try copy()
    let r = try cli.run(["audit", "verify"], user: "me")
    #expect(r.status == 0)
    #expect(r.stdout.contains("Every row of the register"))
    for table in Self.tables {
      #expect(try sqlite3(cli.db, "SELECT count(*) > 0 FROM \(table);").output == "1\n", "\(table) is empty")
    }
  }

  /// Changes to the log's own records of rows, and to what guards them.
  @Test(arguments: [
    (
      "INSERT INTO auditRow SELECT seq, tbl, k1 + 1000000, k2, op, digest FROM auditRow WHERE tbl = 'child' LIMIT 1;",
      "the records of the rows it changed were altered"
    ),
    (
      "UPDATE auditRow SET digest = zeroblob(32) WHERE (seq, tbl, k1, k2) IN (SELECT seq, tbl, k1, k2 FROM auditRow WHERE op = 'w' LIMIT 1);",
      "the records of the rows it changed were altered"
    ),
    (
      "DELETE FROM auditRow WHERE (seq, tbl, k1, k2) IN (SELECT seq, tbl, k1, k2 FROM auditRow WHERE tbl = 'visit' LIMIT 1);",
      "the records of the rows it changed were altered"
    ),
    ("UPDATE meta SET value = 'Another Council' WHERE key = 'authority';", "meta row \"authority\": differs"),
    ("DROP TRIGGER auditRow_noUpdate;", "the trigger auditRow_noUpdate is missing"),
    ("DROP TRIGGER auditRow_noDelete;", "the trigger auditRow_noDelete is missing"),
  ])
  func changes_to_the_row_records_are_named(sql: String, expected: String) throws {
    let cli = try copy()
    let guarded = sql.hasPrefix("DROP") ? "" : "DROP TRIGGER auditRow_noUpdate; DROP TRIGGER auditRow_noDelete; "
    let restore =
      sql.hasPrefix("DROP")
      ? ""
      : """
      CREATE TRIGGER auditRow_noUpdate BEFORE UPDATE ON auditRow
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its row records cannot be changed'); END;
      CREATE TRIGGER auditRow_noDelete BEFORE DELETE ON auditRow
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its row records cannot be deleted'); END;
      """
    let done = try sqlite3(cli.db, Self.unguarded + guarded + sql + restore)
    #expect(done.status == 0, "\(done.output)")
    let r = try cli.run(["audit", "verify"], user: "me")
    #expect(r.status == 2)
    #expect(r.stderr.contains(expected), "\(sql): \(r.stderr)")
  }

  @Test func a_real_register_made_to_say_demo_is_not_overwritten_by_the_demo() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["child", "add", "--surname", "A", "--forename", "B", "--dob", "2014-03-02"], user: "cw")
    try sqlite3(cli.db, "UPDATE meta SET value = 'demo' WHERE key = 'kind';")
    let before = try sqlite3(cli.db, "SELECT count(*) FROM child;").output
    let r = try cli.run(["demo", "--children", "50"], user: "admin")
    #expect(r.status != 0)
    #expect(r.stderr.contains("says it is a demo, but its log did not record that"))
    #expect(try sqlite3(cli.db, "SELECT count(*) FROM child;").output == before)
    let v = try cli.run(["audit", "verify"], user: "admin")
    #expect(v.stderr.contains("meta row \"kind\": differs from what entry 1 recorded"))
  }
}
