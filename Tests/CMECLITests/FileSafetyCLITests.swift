import CMETestSupport
import Foundation
import Testing

/// Files `cme` writes cannot damage the register, are private to the
/// account, and appear whole or not at all; text cannot drive a terminal or a
/// page; dates are the real day's.
struct FileSafetyCLITests {
  func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

  func mode(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
  }

  /// A register with a child and an open case, for exports.
  func registerWithACase() throws -> CLI {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02"], user: "cw")
    try cli.expectSuccess(
      ["case", "open", "1", "--reason", "whereabouts-unknown", "--opened", "2026-11-10"], user: "cw")
    return cli
  }

  @Test func an_export_onto_the_register_or_its_journal_is_refused_and_writes_nothing() throws {
    let cli = try registerWithACase()
    let dir = cli.directory.path
    try FileManager.default.createDirectory(atPath: dir + "/x", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: dir + "/link.csv", withDestinationPath: cli.db)
    let before = try cli.auditCount()
    let register = bytes(cli.db)
    for out in [cli.db, dir + "/x/../register.sqlite", dir + "/link.csv", cli.db + "-wal", cli.db + "-shm"] {
      for force in [[], ["--force"]] {
        let r = try cli.run(
          ["export", "cases", "--reason", "Test", "--format", "csv", "--out", out] + force, user: "mgr")
        #expect(r.status == 65, "\(out): \(r.stderr)")
        #expect(r.stderr.contains(out) && r.stderr.contains("is the register"), "\(r.stderr)")
      }
    }
    #expect(bytes(cli.db) == register)
    #expect(try cli.auditCount() == before)
    try cli.expectSuccess(["audit", "verify"])
  }

  @Test func an_existing_file_needs_force_and_a_folder_is_refused() throws {
    let cli = try registerWithACase()
    let out = cli.directory.file("cases.csv")
    try Data("keep me".utf8).write(to: URL(fileURLWithPath: out))
    let before = try cli.auditCount()
    let exists = try cli.run(["export", "cases", "--reason", "Test", "--out", out], user: "mgr")
    #expect(exists.status == 65)
    #expect(exists.stderr == "error: --out: \(out) already exists. Add --force to replace it\n")
    let folder = try cli.run(["export", "cases", "--reason", "Test", "--out", cli.directory.path], user: "mgr")
    #expect(folder.status == 65)
    #expect(folder.stderr.contains("\(cli.directory.path) is a folder"))
    let point = try cli.run(["audit", "checkpoint", "--out", out])
    #expect(point.status == 65)
    // --force never replaces a device or a pipe with an export.
    let fifo = cli.directory.file("pipe")
    #expect(mkfifo(fifo, 0o600) == 0)
    for special in [fifo, "/dev/null"] {
      let r = try cli.run(["export", "cases", "--reason", "Test", "--out", special, "--force"], user: "mgr")
      #expect(r.status == 65)
      #expect(r.stderr.contains("is not a regular file"), "\(r.stderr)")
    }
    var info = stat()
    #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
    #expect(String(decoding: bytes(out) ?? Data(), as: UTF8.self) == "keep me")
    #expect(try cli.auditCount() == before)
    try cli.expectSuccess(["export", "cases", "--reason", "Test", "--out", out, "--force"], user: "mgr")
    #expect(String(decoding: bytes(out) ?? Data(), as: UTF8.self).hasPrefix("case,status"))
    #expect(try cli.auditCount() == before + 1)
  }

  @Test func everything_cme_writes_is_private_to_the_account() throws {
    let cli = CLI()
    let db = cli.directory.file("new/folder/register.sqlite")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLI.binary)
    p.arguments = ["init", "--admin", "mgr", "--db", db]
    p.environment = CLI.environment()
    try p.run()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    #expect(try mode(db) == 0o600)
    #expect(try mode(cli.directory.file("new/folder")) == 0o700)
    let registry = try registerWithACase()
    #expect(try mode(registry.db) == 0o600)
    if FileManager.default.fileExists(atPath: registry.db + "-wal") { #expect(try mode(registry.db + "-wal") == 0o600) }
    let csv = registry.directory.file("cases.csv")
    try registry.expectSuccess(["export", "cases", "--reason", "Test", "--out", csv], user: "mgr")
    #expect(try mode(csv) == 0o600)
    let point = registry.directory.file("head.json")
    try registry.expectSuccess(["audit", "checkpoint", "--out", point])
    #expect(try mode(point) == 0o600)
    let sar = registry.directory.file("sar")
    try registry.expectSuccess(["export", "child", "1", "--out", sar])
    #expect(try mode(sar) == 0o700)
    #expect(try mode(sar + "/child-1.json") == 0o600)
    #expect(try mode(sar + "/child-1.html") == 0o600)
    // Nothing is left beside them.
    let left = try FileManager.default.contentsOfDirectory(atPath: registry.directory.path).filter { $0.hasPrefix(".") }
    #expect(left.isEmpty, "\(left)")
  }

  @Test func a_read_on_a_missing_register_creates_nothing_and_other_files_are_left_untouched() throws {
    let cli = CLI()
    let r = try cli.run(["case", "list"])
    #expect(r.status == 1)
    #expect(r.stderr.contains("there is no register at \(cli.db)"))
    #expect(!FileManager.default.fileExists(atPath: cli.db))
    #expect(try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).isEmpty)
    // A text file and another program's database are left byte for byte.
    try Data("not a database\n".utf8).write(to: URL(fileURLWithPath: cli.db))
    #expect(try cli.run(["case", "list"]).status == 1)
    #expect(try cli.run(["init", "--admin", "a"], user: nil).status == 1)
    #expect(String(decoding: bytes(cli.db) ?? Data(), as: UTF8.self) == "not a database\n")
    try FileManager.default.removeItem(atPath: cli.db)
    try sqlite3(cli.db, "CREATE TABLE other(x); INSERT INTO other VALUES (1);")
    let other = bytes(cli.db)
    #expect(try cli.run(["case", "list"]).status == 1)
    #expect(try cli.run(["init", "--admin", "a"], user: nil).status == 1)
    #expect(bytes(cli.db) == other)
    #expect(try FileManager.default.contentsOfDirectory(atPath: cli.directory.path) == ["register.sqlite"])
  }

  @Test func an_export_killed_before_it_commits_leaves_no_file_and_no_entry() throws {
    let cli = try registerWithACase()
    let before = try cli.auditCount()
    let out = cli.directory.file("killed.csv")
    let marker = cli.directory.file("held")
    // Given an export held once its file is complete under a temporary name, before its entry commits
    let p = try cli.start(
      ["export", "cases", "--reason", "Test", "--format", "csv", "--out", out], user: "mgr",
      environment: ["CME_TEST_HOLD_OUTPUT": marker])
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline && !FileManager.default.fileExists(atPath: marker) {
      Thread.sleep(forTimeInterval: 0.05)
    }
    #expect(FileManager.default.fileExists(atPath: marker), "the export never reached its file")
    // When it is killed outright
    cli.killOutright(p)
    // Then there is no file, no temporary file and no entry
    #expect(!FileManager.default.fileExists(atPath: out))
    let left = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter {
      !$0.hasPrefix("register.sqlite") && $0 != "held"
    }
    #expect(left.isEmpty, "\(left)")
    #expect(try cli.auditCount() == before)
    try cli.expectSuccess(["audit", "verify"])
  }

  @Test func today_is_the_real_day_and_cannot_be_given() throws {
    let cli = try registerWithACase()
    let today = try cli.run(["case", "list", "--today", "2030-01-01"])
    #expect(today.status == 64)
    let future = try cli.run(
      [
        "visit", "log", "CME-2026-00001", "--type", "home-visit", "--date", "2030-01-01", "--child-seen", "yes",
        "--outcome", "Seen",
      ], user: "cw")
    #expect(future.status == 65)
    #expect(future.stderr.contains("2030-01-01 is in the future"))
  }

  @Test func control_characters_are_refused_and_stored_ones_are_shown_not_sent() throws {
    let cli = try registerWithACase()
    let before = try cli.auditCount()
    let escape = try cli.run(
      ["child", "add", "--surname", "Wa\u{1B}[2Jrd", "--forename", "Amy", "--dob", "2014-03-02"], user: "cw")
    #expect(escape.status == 65)
    #expect(
      escape.stderr
        == "error: --surname: contains a control character (U+001B) at position 3. Remove it\n")
    let bidi = try cli.run(
      ["child", "add", "--surname", "Ward\u{202E}", "--forename", "Amy", "--dob", "2014-03-02"], user: "cw")
    #expect(bidi.status == 65)
    let long = try cli.run(
      [
        "child", "add", "--surname", "Ward", "--forename", "Amy", "--dob", "2014-03-02", "--address",
        String(repeating: "a", count: 501),
      ], user: "cw")
    #expect(long.status == 65)
    #expect(long.stderr.contains("--address: is 501 characters long; the most it may hold is 500"))
    #expect(try cli.auditCount() == before)
    // A name stored before the rules (or by another program) cannot clear the terminal.
    try sqlite3(
      cli.db,
      "DROP TRIGGER IF EXISTS childNoUpdate; UPDATE child SET legalForename = 'T' || char(27) || '[2J' WHERE id = 1;")
    let list = try cli.expectSuccess(["case", "list"], user: "cw")
    #expect(!list.contains("\u{1B}"))
    #expect(list.contains("T\\u{1B}[2J"))
  }

  @Test func the_pack_symbol_is_escaped_in_html() throws {
    let cli = CLI()
    try cli.expectSuccess(["demo", "--children", "300", "--seed", "2", "--as-of", "2026-11-16"], user: "me")
    try cli.expectSuccess(["board", "meeting", "create", "--date", "2026-11-16", "--chair", "SD"], user: "me")
    let html = cli.directory.file("pack.html")
    try cli.expectSuccess(["board", "pack", "1", "--out", html, "--symbol", "<script>"], user: "me")
    let text = try String(contentsOfFile: html, encoding: .utf8)
    #expect(!text.contains("<script>"))
    #expect(text.contains("&lt;script&gt;"))
  }
}
