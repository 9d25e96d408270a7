import CMEAudit
import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import GRDB
import Testing

/// The three kinds of file go through one import: they agree on rows
/// imported before, rows that fit several children, dry runs, and how a
/// row's outcome and flags are kept and logged.
struct ImportPipelineTests {
  static let deletionHeader =
    "upn,surname,forename,date_of_birth,sex,address,postcode,school,deletion_date,ground,last_attended,parent_name,parent_address,emergency_phone,destination_address,destination_school,destination_start_date\n"
  static let tommyDeleted =
    ",Ward,Tommy,2014-03-02,M,,,892/4001,2026-11-06,I,,Mary Ward,,07700 900123,,,\n"
  static let newPupilHeader = "surname,forename,date_of_birth,school,start_date\n"
  static let tommyStarted = "Ward,Tommy,2014-03-02,122345,2026-11-12\n"
  static let tommy =
    "<Pupil><Surname>Ward</Surname><Forename>Tommy</Forename><DOB>2014-03-02</DOB><Sex>M</Sex><BasicDetails><Ethnicity>WIRT</Ethnicity></BasicDetails></Pupil>"

  static func ctf(destLA: String = "XXX", destEstab: String = "XXXX", pupils: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <CTfile><Header><CTFversion>25.0</CTFversion>
    <SourceSchool><LEA>892</LEA><Estab>4001</Estab></SourceSchool>
    <DestSchool><LEA>\(destLA)</LEA><Estab>\(destEstab)</Estab></DestSchool></Header>
    <CTFpupilData>\(pupils)</CTFpupilData></CTfile>
    """
  }

  /// Imports `text` as a file of `kind` called `name`.
  static func importFile(
    _ kind: ImportKind, _ text: String, name: String, dryRun: Bool = false, into t: TestRegister
  ) throws -> ImportSummary {
    switch kind {
    case .deletionReturns:
      return try t.register.importDeletionReturns(
        csv: Array(text.utf8), file: name, dryRun: dryRun, by: t.register.session("cw"), today: testToday)
    case .newPupils:
      return try t.register.importNewPupils(
        csv: Array(text.utf8), file: name, dryRun: dryRun, by: t.register.session("cw"), today: testToday)
    case .ctf:
      let path = t.directory.file(name)
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      return try t.register.importCTF(path: path, dryRun: dryRun, by: t.register.session("cw"), today: testToday)
    }
  }

  /// A file of `kind` about Tommy Ward, born 2014-03-02 (`extra` adds a second pupil's text).
  static func fileAboutTommy(_ kind: ImportKind, extra: String = "") -> String {
    switch kind {
    case .deletionReturns: deletionHeader + tommyDeleted + extra
    case .newPupils: newPupilHeader + tommyStarted + extra
    case .ctf: ctf(pupils: tommy + extra)
    }
  }

  /// A second pupil for each kind of file: Kai Lee, born 2015-01-01.
  static func kai(_ kind: ImportKind) -> String {
    switch kind {
    case .deletionReturns: ",Lee,Kai,2015-01-01,M,,,892/4001,2026-11-06,G,,Mai Lee,,07700 900124,,,\n"
    case .newPupils: "Lee,Kai,2015-01-01,122345,2026-11-12\n"
    case .ctf: "<Pupil><Surname>Lee</Surname><Forename>Kai</Forename><DOB>2015-01-01</DOB></Pupil>"
    }
  }

  static func count(_ t: TestRegister, _ table: String) throws -> Int {
    try DatabaseQueue(path: t.path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? -1 }
  }

  static let kinds: [ImportKind] = [.deletionReturns, .newPupils, .ctf]

  @Test(arguments: kinds) func rows_imported_before_are_listed_as_already_imported(_ kind: ImportKind) throws {
    let t = try TestRegister()
    _ = try Self.importFile(kind, Self.fileAboutTommy(kind), name: "first", into: t)
    let s = try Self.importFile(kind, Self.fileAboutTommy(kind, extra: Self.kai(kind)), name: "second", into: t)
    #expect(s.rowsRead == 2 && s.repeated == 1)
    #expect(s.rows.map(\.outcome.rawValue).first == "already-imported")
    #expect(s.rows.count == 2 && s.rows[0].child == nil && s.rows[0].caseReference == nil)
  }

  @Test(arguments: kinds) func a_file_imported_before_counts_its_rows_as_already_imported(_ kind: ImportKind) throws {
    let t = try TestRegister()
    let text = Self.fileAboutTommy(kind, extra: Self.kai(kind))
    _ = try Self.importFile(kind, text, name: "first", into: t)
    let entries = try Self.count(t, "auditEntry")
    let again = try Self.importFile(kind, text, name: "first", into: t)
    #expect(again.alreadyImported && again.rowsRead == 2 && again.repeated == 2 && again.rows.isEmpty)
    #expect(try Self.count(t, "auditEntry") == entries)
  }

  @Test(arguments: kinds) func a_row_that_fits_several_children_is_listed_and_left_out(_ kind: ImportKind) throws {
    let t = try TestRegister()
    let first = try t.addChild(surname: "Ward", forename: "Tommy")
    let second = try t.addChild(surname: "Ward", forename: "Tommy")
    let s = try Self.importFile(kind, Self.fileAboutTommy(kind), name: "f", into: t)
    let row = kind == .ctf ? "\(t.directory.file("f")) pupil 1" : "f line 2"
    #expect(
      s.ambiguous == [
        "\(row): Tommy Ward, born 2014-03-02, fits children \(first), \(second); not imported — resolve the duplicate and import again"
      ])
    #expect(s.rows.map(\.outcome) == [.ambiguous] && s.childrenMatched == 0)
    #expect(try Self.count(t, "importRow") == 0)
    // Nothing of the row is kept, so it imports once the duplicate is resolved.
    _ = try t.register.mergeChildren(
      keep: first, other: second, reason: "same child", by: t.register.session("cw"), today: testToday)
    let again = try Self.importFile(kind, Self.fileAboutTommy(kind, extra: Self.kai(kind)), name: "g", into: t)
    #expect(again.rows.first?.child == first && again.rows.first?.outcome != .alreadyImported)
  }

  @Test(arguments: kinds) func a_dry_run_reports_and_keeps_nothing(_ kind: ImportKind) throws {
    let t = try TestRegister()
    _ = try t.openCase {
      $0.legalSurname = "Ward"
      $0.legalForename = "Tommy"
    }
    let before = try sqlite3(t.path, ".dump").output
    let dry = try Self.importFile(
      kind, Self.fileAboutTommy(kind, extra: Self.kai(kind)), name: "f", dryRun: true, into: t)
    #expect(dry.dryRun && !dry.alreadyImported && dry.rowsRead == 2 && dry.rows.count == 2)
    #expect(dry.rows[0].outcome == (kind == .newPupils ? .closureProposed : .openCaseExists))
    #expect(try sqlite3(t.path, ".dump").output == before)
    // The real import afterwards does what the dry run said.
    let real = try Self.importFile(kind, Self.fileAboutTommy(kind, extra: Self.kai(kind)), name: "f", into: t)
    #expect(!real.dryRun && real.rows.map(\.outcome) == dry.rows.map(\.outcome))
  }

  /// The `after` of the audit entries written for imported rows, as JSON objects.
  static func rowEntries(_ t: TestRegister) throws -> [[String: Any]] {
    try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("mgr"), limit: nil)
      .filter { $0.action.hasPrefix("intake.") && $0.action != "intake.file" }
      .map { try JSONSerialization.jsonObject(with: Data(($0.after ?? "").utf8)) as? [String: Any] ?? [:] }
  }

  @Test func a_rows_flags_are_one_list_in_its_row_and_in_its_audit_entry() throws {
    let t = try TestRegister()
    // Ground I without a last day of attendance: two flags.
    let returns = try Self.importFile(.deletionReturns, Self.fileAboutTommy(.deletionReturns), name: "r.csv", into: t)
    #expect(returns.rows[0].flags.count == 2)
    // A transfer file that differs from the register: its differences are the row's flags.
    _ = try t.addChild(surname: "Lee", forename: "Kai", dob: "2015-01-01") { $0.ethnicity = Ethnicity(checked: "WBRI") }
    let kaiInWIRT = Self.kai(.ctf).replacingOccurrences(
      of: "</DOB>", with: "</DOB><BasicDetails><Ethnicity>WIRT</Ethnicity></BasicDetails>")
    let transfer = try Self.importFile(
      .ctf, Self.ctf(destLA: "891", destEstab: "2003", pupils: kaiInWIRT), name: "t.xml", into: t)
    #expect(transfer.rows[0].flags == ["ethnicity: the register has WBRI, the file has WIRT"])
    _ = try Self.importFile(.newPupils, Self.fileAboutTommy(.newPupils), name: "n.csv", into: t)

    let entries = try Self.rowEntries(t)
    #expect(entries.count == 3)
    #expect(entries.map { $0["flags"] as? [String] } == [returns.rows[0].flags, transfer.rows[0].flags, []])
    #expect(entries.map { $0["outcome"] as? String } == ["case-opened", "logged", "closure-proposed"])
    // Each file's rows read back with the same flags.
    for (file, flags) in [("r.csv", returns.rows[0].flags), (t.directory.file("t.xml"), transfer.rows[0].flags)] {
      #expect(
        try t.register.importedRows(file: file, flaggedOnly: false, by: t.register.session("cw")).1.map(\.flags) == [
          flags
        ])
    }
    // Every file's own entry names its kind (a streamed transfer file has a
    // second, with its count of pupils, at its end).
    let files = try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("mgr"), limit: nil)
      .filter { $0.action == "intake.file" }.map { $0.after ?? "" }
    #expect(files.map { $0.contains("\"kind\":\"") } == [true, true, true, true])
    #expect(files.filter { $0.contains("ctf") }.map { $0.contains("\"rows\":\"1\"") } == [false, true])
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
  }

  @Test func a_pupil_given_twice_in_one_transfer_file_is_a_fault_like_a_repeated_row() throws {
    let t = try TestRegister()
    let entries = try Self.count(t, "auditEntry")
    let text = Self.ctf(pupils: Self.tommy + Self.kai(.ctf) + "\n" + Self.tommy)
    do {
      _ = try Self.importFile(.ctf, text, name: "twice.xml", into: t)
      Issue.record("a pupil given twice must fail")
    } catch let e as CTFProblem {
      #expect(e.line == 6)
      #expect(e.message == "pupil 3 repeats pupil 1 (same pupil, from and to the same schools)")
    }
    #expect(try Self.count(t, "auditEntry") == entries && Self.count(t, "child") == 0)
    // As in a return: a repeated row is a fault in the file.
    do {
      _ = try Self.importFile(
        .newPupils, Self.fileAboutTommy(.newPupils, extra: Self.tommyStarted), name: "n.csv", into: t)
      Issue.record("a repeated row must fail")
    } catch let e as FileProblems {
      #expect(e.problems.map(\.description) == ["n.csv:3:1: repeats line 2 (same pupil, school and start date)"])
    }
  }
}
