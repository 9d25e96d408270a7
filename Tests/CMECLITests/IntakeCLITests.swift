import CMETestSupport
import Foundation
import Testing

/// The intake commands as a caseworker uses them, on the sample file shipped in docs/.
struct IntakeCLITests {
  static let sample = packageRoot + "/docs/samples/deletion-returns.csv"
  static let header =
    "upn,surname,forename,date_of_birth,sex,address,postcode,school,deletion_date,ground,last_attended,parent_name,parent_address,emergency_phone,destination_address,destination_school,destination_start_date\n"

  /// Everything a register holds, as text, to show that a command left it as it was.
  static func contents(_ db: String) throws -> String {
    try sqlite3(db, ".dump").output
  }

  @Test func the_sample_deletion_return_imports_once() throws {
    let cli = try CLI.withUsers()
    // A dry run reports what would happen and keeps nothing.
    let before = try Self.contents(cli.db)
    let dry = try cli.expectSuccess(["import", "deletion-returns", Self.sample, "--dry-run"], user: "cw")
    #expect(dry.hasPrefix("Dry run — nothing kept."))
    #expect(try Self.contents(cli.db) == before)
    // The import opens cases for the grounds that need one and flags ground I without joint enquiries.
    let out = try cli.expectSuccess(["import", "deletion-returns", Self.sample], user: "cw")
    #expect(out.contains("5 rows read."))
    #expect(out.contains("children matched 0, created 5"))
    #expect(out.contains("cases opened 3; logged only 1; for the EHE team 1; already imported 0"))
    #expect(out.contains("line 2 (CME-2026-00001): ground I needs joint school–LA enquiries before deletion"))
    let list = try cli.expectSuccess(["case", "list", "--status", "open"], user: "cw")
    #expect(list.contains("CME-2026-00001") && list.contains("CME-2026-00003"))
    // The same file again creates nothing new.
    let again = try cli.expectSuccess(["import", "deletion-returns", Self.sample], user: "cw")
    #expect(again.contains("was imported before"))
    #expect(try sqlite3(cli.db, "SELECT count(*) FROM cmeCase;").output == "3\n")
    #expect(try cli.run(["audit", "verify"], user: "admin").status == 0)
    // The file and its flagged rows can be looked at again later.
    let files = try cli.expectSuccess(["import", "list", "--format", "csv"], user: "cw")
    #expect(files.contains("1,deletion-returns,\(Self.sample),5,3,1,cw,"))
    let flagged = try cli.expectSuccess(["import", "show", Self.sample, "--flagged"], user: "cw")
    #expect(flagged.contains("5 rows, 3 cases opened, 1 flagged."))
    #expect(flagged.contains("CME-2026-00001") && flagged.contains("ground I needs joint school–LA enquiries"))
    #expect(!flagged.contains("CME-2026-00002"))
    let unknown = try cli.run(["import", "show", "spring.csv"], user: "cw")
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("cme import list"))
    #expect(try cli.run(["import", "list"], user: "admin").status == 77)
  }

  @Test func a_faulty_file_lists_every_problem_and_imports_nothing() throws {
    let cli = try CLI.withUsers()
    let file = cli.directory.file("autumn.csv")
    try
      (Self.header
      + ",Ward,Tommy,2014-02-30,M,,,892/4001,2026-11-06,P,,Mary Ward,,07700 900123,,,\n"
      + ",Kowalska,Zuzanna,2015-06-19,F,,,122345,2026-11-10,G,,Agnieszka Kowalska,,07700 900456,,,\n"
      + "A801200005001,Hassan,Hodan,2012-01-30,F,,,999/4001,2026-11-12,I,,Amina Hassan,,07700 900789,,,\n")
      .write(toFile: file, atomically: true, encoding: .utf8)
    let before = try Self.contents(cli.db)
    let r = try cli.run(["import", "deletion-returns", file], user: "cw")
    #expect(r.status == 65)
    #expect(r.stderr.contains("\(file):2:date_of_birth: '2014-02-30' is not a real date"))
    #expect(r.stderr.contains("\(file):2:ground: 'P' is not a 2024 deletion ground"))
    #expect(r.stderr.contains("\(file):4:upn: 'A801200005001': UPN invalid"))
    #expect(r.stderr.contains("\(file):4:school: '999' in '999/4001' is not a recognised LA number"))
    #expect(r.stderr.contains("4 problems; nothing was imported"))
    #expect(try Self.contents(cli.db) == before)
  }

  @Test func a_missing_file_and_an_unknown_user_are_refused() throws {
    let cli = try CLI.withUsers()
    let missing = try cli.run(["import", "deletion-returns", cli.directory.file("none.csv")], user: "cw")
    #expect(missing.status == 65)
    #expect(missing.stderr.contains("none.csv"))
    let stranger = try cli.run(["import", "deletion-returns", Self.sample], user: "nobody")
    #expect(stranger.status == 77)
  }

  @Test func a_device_a_folder_or_a_damaged_file_is_refused_in_words() throws {
    let cli = try CLI.withUsers()
    let before = try Self.contents(cli.db)
    // /dev/zero never ends: each import refuses it before reading (once the CTF import hung for ever).
    let zero = try cli.run(["import", "deletion-returns", "/dev/zero"], user: "cw")
    #expect(zero.status == 65)
    #expect(
      zero.stderr
        == "/dev/zero:1:1: this is a device, not a regular file; save what is to be imported to a file and give its path\n1 problem; nothing was imported\n"
    )
    let ctf = try cli.run(["import", "ctf", "/dev/zero"], user: "cw")
    #expect(ctf.status == 65)
    #expect(
      ctf.stderr
        == "error: /dev/zero:1:1: this is a device, not a regular file; save what is to be imported to a file and give its path; nothing was imported\n"
    )
    let folder = try cli.run(["import", "new-pupils", cli.directory.path], user: "cw")
    #expect(folder.status == 65)
    #expect(folder.stderr.hasPrefix("\(cli.directory.path):1:1: this is a folder, not a regular file"))
    // Bytes that once crashed the process (SIGILL, with a memory dump on stderr).
    let crash = cli.directory.file("crash.xml")
    #expect(
      FileManager.default.createFile(
        atPath: crash, contents: Data(Array("<CTfile><a".utf8) + [0xFF] + Array("/></CTfile>".utf8))))
    let refused = try cli.run(["import", "ctf", crash], user: "cw")
    #expect(refused.status == 65)
    #expect(
      refused.stderr
        == "error: \(crash):1:11: the text is not UTF-8 (byte 0xFF); a CTF is UTF-8: check the file was not saved in another encoding or damaged; nothing was imported\n"
    )
    #expect(try Self.contents(cli.db) == before)
  }

  @Test func every_kind_of_import_takes_dry_run_and_format() throws {
    let cli = try CLI.withUsers()
    let ctf = packageRoot + "/docs/samples/ctf-lost-pupil.xml"
    let pupils = cli.directory.file("new.csv")
    try "surname,forename,date_of_birth,school,start_date\nWard,Tommy,2014-03-02,122345,2026-11-12\n"
      .write(toFile: pupils, atomically: true, encoding: .utf8)
    // A dry run of a transfer file or a new-registration return reports and keeps nothing.
    let before = try Self.contents(cli.db)
    let ctfDry = try cli.expectSuccess(["import", "ctf", ctf, "--dry-run"], user: "cw")
    #expect(ctfDry.hasPrefix("Dry run — nothing kept. \(ctf): 1 pupil; children matched 0, created 1; cases opened 1;"))
    let pupilsDry = try cli.expectSuccess(["import", "new-pupils", pupils, "--dry-run"], user: "cw")
    #expect(pupilsDry.hasPrefix("Dry run — nothing kept. \(pupils): 1 rows read; 0 children on the register;"))
    #expect(try Self.contents(cli.db) == before)
    // CSV or JSON lists every row with its outcome, whatever the kind of file.
    #expect(
      try cli.expectSuccess(["import", "ctf", ctf, "--format", "csv"], user: "cw")
        == "line,outcome,child,case,flags\r\n1,case-opened,1,CME-2026-00001,\r\n")
    let json = try cli.expectSuccess(["import", "new-pupils", pupils, "--format", "json"], user: "cw")
    #expect(json.contains(#""outcome" : "closure-proposed""#) && json.contains(#""case" : "CME-2026-00001""#))
    // A file imported before says so on stderr, keeping the listing clean.
    let again = try cli.run(["import", "ctf", ctf, "--format", "csv"], user: "cw")
    #expect(again.status == 0 && again.stdout == "line,outcome,child,case,flags\r\n")
    #expect(again.stderr.contains("\(ctf) was imported before (SHA-256 "))
  }

  @Test func rows_imported_before_or_fitting_several_children_are_listed_in_every_format() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["import", "deletion-returns", Self.sample], user: "cw")
    for _ in 0..<2 {
      try cli.expectSuccess(
        ["child", "add", "--surname", "Lee", "--forename", "Kai", "--dob", "2015-01-01"], user: "cw")
    }
    let sampleRows = try String(contentsOfFile: Self.sample, encoding: .utf8).split(separator: "\n")
    let file = cli.directory.file("again.csv")
    try
      (Self.header + sampleRows[1] + "\n"
      + ",Lee,Kai,2015-01-01,M,,,892/4001,2026-11-06,G,,Mai Lee,,07700 900124,,,\n")
      .write(toFile: file, atomically: true, encoding: .utf8)
    let warning =
      "warning: \(file) line 3: Kai Lee, born 2015-01-01, fits children 6, 7; not imported — resolve the duplicate and import again"
    let csv = try cli.run(["import", "deletion-returns", file, "--format", "csv", "--dry-run"], user: "cw")
    #expect(csv.stdout == "line,outcome,child,case,flags\r\n2,already-imported,,,\r\n3,ambiguous,,,\r\n")
    #expect(csv.stderr.contains(warning))
    let table = try cli.run(["import", "deletion-returns", file], user: "cw")
    #expect(table.stdout.contains("already imported 1") && table.stdout.contains("ambiguous 1, not imported"))
    #expect(table.stderr.contains(warning))
  }

  /// A deletion-return file of `rows` distinct pupils, all valid.
  static func bigReturn(rows: Int) -> String {
    var text = header
    let forenames = ["Olivia", "Noah", "Amelia", "Muhammad", "Zuzanna", "Levi", "Hodan", "Tyrese"]
    for i in 0..<rows {
      let ground = ["G", "I", "H", "O", "A"][i % 5]
      let dest = ground == "A" ? "\"1 New Road, Leeds\",Leeds Academy,2026-11-16" : ",,"
      text +=
        ",Surname\(i),\(forenames[i % forenames.count]),\(2010 + i % 10)-0\(1 + i % 9)-1\(i % 9),\(i % 2 == 0 ? "M" : "F"),"
        + "\"\(i) High Street, Nottingham\",NG1 1AA,892/4001,2026-11-06,\(ground),2026-10-01,Parent \(i),,07700 900123,\(dest)\n"
    }
    return text
  }

  @Test func an_import_killed_at_any_point_leaves_the_register_as_it_was() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["import", "deletion-returns", Self.sample], user: "cw")
    let file = cli.directory.file("big.csv")
    try Self.bigReturn(rows: 30_000).write(toFile: file, atomically: true, encoding: .utf8)
    let before = try Self.contents(cli.db)

    // Killed while the file is being read and checked, and again in the middle of writing.
    for phase in ["reading", "writing"] {
      let p = try cli.start(["import", "deletion-returns", file], user: "cw")
      if phase == "reading" {
        Thread.sleep(forTimeInterval: 0.2)
      } else {
        // The import holds the write lock from its first write until it commits.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, p.isRunning, try sqlite3(cli.db, "BEGIN IMMEDIATE; ROLLBACK;").status == 0 {
          Thread.sleep(forTimeInterval: 0.02)
        }
        Thread.sleep(forTimeInterval: 0.5)
      }
      #expect(p.isRunning, "the import finished before it could be killed while \(phase)")
      cli.killOutright(p)
      // Then the register is exactly as before, and its log verifies.
      #expect(try Self.contents(cli.db) == before, "killed while \(phase)")
      #expect(try cli.run(["audit", "verify"], user: "admin").status == 0)
    }
    // And nothing left behind stops the next import.
    let small = cli.directory.file("small.csv")
    try Self.bigReturn(rows: 3).write(toFile: small, atomically: true, encoding: .utf8)
    let out = try cli.expectSuccess(["import", "deletion-returns", small], user: "cw")
    #expect(out.contains("3 rows read."))
  }

  @Test func a_case_export_is_spreadsheet_safe_and_gated() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["import", "deletion-returns", Self.sample], user: "cw")
    let out = cli.directory.file("cases.csv")
    // Every row names a child: only managers export, with a reason.
    let refused = try cli.run(["export", "cases", "--format", "csv", "--out", out, "--reason", "x"], user: "cw")
    #expect(refused.status == 77)
    #expect(!FileManager.default.fileExists(atPath: out))
    try cli.expectSuccess(["export", "cases", "--format", "csv", "--out", out, "--reason", "DfE return"], user: "mgr")
    let csv = try String(contentsOfFile: out, encoding: .utf8)
    #expect(csv.contains("CME-2026-00001"))
    #expect(!csv.lowercased().contains("ethnicity"))
  }
}
