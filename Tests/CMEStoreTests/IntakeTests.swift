import CMEAudit
import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import GRDB
import Testing

struct DeletionReturnFileTests {
  let today = LocalDate(year: 2026, month: 11, day: 16)!
  let header =
    "upn,surname,forename,date_of_birth,sex,address,postcode,school,deletion_date,ground,last_attended,parent_name,parent_address,emergency_phone,destination_address,destination_school,destination_start_date"
  let good =
    ",Ward,Tommy,2014-03-02,M,\"12 Meadow Lane, Nottingham\",NG2 3HJ,892/4001,2026-11-06,G,2026-11-02,Mary Ward,,07700 900123,,,"

  func read(_ text: String) throws -> [DeletionReturn] {
    try DeletionReturnFile.read(csv: Array(text.utf8), file: "r.csv", today: today)
  }

  func problems(_ text: String) -> [String] {
    do {
      _ = try DeletionReturnFile.read(csv: Array(text.utf8), file: "r.csv", today: today)
      return []
    } catch {
      return error.problems.map(\.description)
    }
  }

  @Test func a_clean_file_with_bom_crlf_and_quoted_commas_and_newlines_reads() throws {
    let text =
      "\u{FEFF}" + header + "\r\n" + good + "\r\n"
      + ",\"O'Brien-Smith\",\"Niamh\",2013-05-01,F,\"Flat 2,\n3 High St\",NG5 1AB,122345,2026-11-10,A,,Sean O'Brien,,07700 900999,\"1 Road, Leeds\",Leeds Academy,2026-11-12\r\n"
    let rows = try read(text)
    #expect(rows.count == 2)
    #expect(rows[1].address == "Flat 2,\n3 High St")
    #expect(rows[1].line == 3)
    #expect(rows[1].destinationConfirmed)
  }

  @Test func the_two_passes_of_an_import_see_what_a_whole_read_sees() throws {
    // The check pass keeps no row; the second hands them over one at a time.
    var text = header + "\n"
    for i in 0..<50 {
      text += ",Ward-\(i),Tommy,2014-03-02,M,,,892/4001,2026-11-06,G,,Mary Ward,,07700 900123,,,\n"
    }
    let bytes = Array(text.utf8)
    let whole = try read(text)
    #expect(try DeletionReturnFile.check(csv: bytes, file: "r.csv", today: today) == 50)
    var streamed: [DeletionReturn] = []
    try DeletionReturnFile.forEach(csv: bytes, file: "r.csv", today: today) { streamed.append($0) }
    #expect(streamed == whole)
    // An error from the writer stops the pass at that row and is thrown.
    struct Stop: Error {}
    var seen = 0
    #expect(throws: Stop.self) {
      try DeletionReturnFile.forEach(csv: bytes, file: "r.csv", today: today) { _ in
        seen += 1
        if seen == 3 { throw Stop() }
      }
    }
    #expect(seen == 3)
    // A repeated row is found by the check pass, with the line it repeats.
    let repeated = text + ",Ward-7,Tommy,2014-03-02,M,,,892/4001,2026-11-06,G,,Mary Ward,,07700 900123,,,\n"
    #expect {
      _ = try DeletionReturnFile.check(csv: Array(repeated.utf8), file: "r.csv", today: today)
    } throws: { error in
      (error as? FileProblems)?.problems.map(\.description) == [
        "r.csv:52:1: repeats line 9 (same pupil, school, date and ground)"
      ]
    }
  }

  @Test func every_problem_is_listed_with_its_line_and_column() {
    let text =
      header + "\n"
      + "A801200005001,Ward,Tommy,2014-03-02,M,,,892/4001,2026-11-06,I,,Mary Ward,,07700 900123,,,\n"
      + ",Ward,Tommy,2014-02-30,M,,,892/4001,2026-11-06,G,,Mary Ward,,07700 900123,,,\n"
      + ",Ward,Tommy,2014-03-02,M,,,892/4001,2026-11-06,P,,Mary Ward,,07700 900123,,,\n"
      + ",Ward,Tommy,2014-03-02,M,,,999/4001,2026-11-06,G,,Mary Ward,,07700 900123,,,\n"
      + ",,Tommy,2014-03-02,M,,,892/4001,2026-11-06,G,,Mary Ward,,07700 900123,,,\n"
      + good + "\n" + good + "\n"
    #expect(
      problems(text) == [
        "r.csv:2:upn: 'A801200005001': UPN invalid (wrong check letter at character 1): 'A' should be 'B'. Copy the UPN again from the school's record; leave it out if the child has none",
        "r.csv:3:date_of_birth: '2014-02-30' is not a real date: February 2014 has 28 days. Check the day of the month",
        "r.csv:4:ground: 'P' is not a 2024 deletion ground. 2024 grounds are A, B, C, D, E, F, G, H, I, J, K, L, M, N, O; deleting on any other ground may be off-rolling",
        "r.csv:5:school: '999' in '999/4001' is not a recognised LA number. Check the first three digits against the DfE's LA numbers",
        "r.csv:6:surname: is empty; it is required",
        "r.csv:8:1: repeats line 7 (same pupil, school, date and ground)",
      ])
  }

  @Test func a_missing_column_and_bad_bytes_are_refused() {
    #expect(
      problems("surname,forename\nWard,Tommy\n") == [
        "r.csv:1:1: the header lacks the columns date_of_birth, school, deletion_date, ground, parent_name, emergency_phone; see docs/intake.md for the column set"
      ])
    let latin1 =
      Array((header + "\n,Ward,").utf8) + [0xC9]
      + Array("lodie,2014-03-02,F,,,892/4001,2026-11-06,G,,M,,07700 900123,,,\n".utf8)
    do {
      _ = try DeletionReturnFile.read(csv: latin1, file: "r.csv", today: today)
      Issue.record("non-UTF-8 must fail")
    } catch {
      #expect(error.problems[0].description.hasPrefix("r.csv:2:"))
      #expect(error.problems[0].message.hasPrefix("the text is not UTF-8"))
    }
  }

  @Test func a_deletion_in_the_future_is_refused() {
    let text = header + "\n,Ward,Tommy,2014-03-02,M,,,892/4001,2026-11-20,G,,Mary Ward,,07700 900123,,,\n"
    #expect(
      problems(text) == [
        "r.csv:2:deletion_date: 2026-11-20 is in the future; a school cannot delete a pupil in advance"
      ])
  }

  @Test func the_ground_decides_what_happens() throws {
    let rows = try read(header + "\n" + good + "\n")
    var r = rows[0]
    #expect(GroundAction.decide(r) == .openCase(.whereaboutsUnknown))  // G without a confirmed destination
    r.destinationSchool = "Leeds Academy"
    r.destinationStart = today
    #expect(GroundAction.decide(r) == .logOnly("destination school and start date given"))
    r.ground = try DeletionGround.stored("2024:F")
    #expect(GroundAction.decide(r) == .eheTeam)
    r.ground = try DeletionGround.stored("2024:O")
    #expect(GroundAction.decide(r) == .openCase(.permExcludedNoProvision))
    r.ground = try DeletionGround.stored("2006:h")  // 2006 (h) is today's I
    #expect(GroundAction.decide(r) == .openCase(.whereaboutsUnknown))
  }

  @Test func ground_i_too_soon_is_flagged_as_possible_off_rolling() throws {
    var r = try read(header + "\n" + good + "\n")[0]
    r.ground = try DeletionGround.stored("2024:I")
    r.lastAttended = LocalDate(year: 2026, month: 10, day: 20)
    let flags = offRollingFlags(r, calendar: .englandDefault)
    // After Tue 20 Oct 2026: 21–23 Oct (3), October half-term, 3–6 Nov (4; Mon 2 Nov is a training day).
    #expect(flags.first == "ground I with only 7 school days of absence before deletion (needs 20)")
  }

  @Test func names_match_as_people_write_them() {
    var c = Child(
      legalSurname: "O'Brien-Smith", legalForename: "Zoë", dateOfBirth: LocalDate(year: 2013, month: 5, day: 1)!)
    c.preferredForename = "Zoe"
    c.formerNames = ["Zoë Kelly"]
    #expect(NameMatch.fits(forename: "zoe", surname: "OBRIEN SMITH", child: c))
    #expect(NameMatch.fits(forename: "O'Brien-Smith", surname: "Zoë", child: c))  // swapped
    #expect(NameMatch.fits(forename: "Zoe", surname: "Kelly", child: c))  // former name
    #expect(!NameMatch.fits(forename: "Zara", surname: "O'Brien-Smith", child: c))
  }
}

struct IntakeStoreTests {
  let header =
    "upn,surname,forename,date_of_birth,sex,address,postcode,school,deletion_date,ground,last_attended,parent_name,parent_address,emergency_phone,destination_address,destination_school,destination_start_date"

  func count(_ path: String, _ table: String) throws -> Int {
    try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? -1 }
  }

  @Test func rows_match_create_open_and_are_not_imported_twice() throws {
    let t = try TestRegister()
    let existing = try t.addChild(surname: "Ward", forename: "Tommy", dob: "2014-03-02")
    let text =
      header + "\n"
      + ",WARD,tommy,2014-03-02,M,,,892/4001,2026-11-06,I,2026-10-01,Mary Ward,,07700 900123,,,\n"
      + ",Kowalska,Zuzanna,2015-06-19,F,,,122345,2026-11-10,G,2026-11-02,A Kowalska,,07700 900456,,,\n"
      + ",Smith,Ruby,2016-02-11,F,,,891/2003,2026-11-13,F,,Claire Smith,,07700 900654,,,\n"
    let s = try t.register.importDeletionReturns(
      csv: Array(text.utf8), file: "a.csv", dryRun: false, by: t.register.session("cw"), today: testToday)
    #expect(s.childrenMatched == 1 && s.childrenCreated == 2)
    #expect(s.casesOpened == 2 && s.eheTeam == 1)
    #expect(s.rows[0].child == existing)
    // The same file again: nothing new.
    let again = try t.register.importDeletionReturns(
      csv: Array(text.utf8), file: "a.csv", dryRun: false, by: t.register.session("cw"), today: testToday)
    #expect(again.alreadyImported)
    // The same rows in another file: nothing new either.
    let other = text + ",Lovell,Levi,2011-09-05,M,,,891/2003,2026-11-13,O,,Donna Lovell,,07700 900321,,,\n"
    let third = try t.register.importDeletionReturns(
      csv: Array(other.utf8), file: "b.csv", dryRun: false, by: t.register.session("cw"), today: testToday)
    #expect(third.repeated == 3 && third.casesOpened == 1)
    #expect(try count(t.path, "cmeCase") == 3)
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
  }

  @Test func ambiguous_matches_are_reported_not_guessed() throws {
    let t = try TestRegister()
    _ = try t.addChild(surname: "Ward", forename: "Tommy", dob: "2014-03-02")
    _ = try t.addChild(surname: "Ward", forename: "Tommy", dob: "2014-03-02")
    let text = header + "\n,Ward,Tommy,2014-03-02,M,,,892/4001,2026-11-06,G,,Mary Ward,,07700 900123,,,\n"
    let s = try t.register.importDeletionReturns(
      csv: Array(text.utf8), file: "a.csv", dryRun: false, by: t.register.session("cw"), today: testToday)
    #expect(s.ambiguous.count == 1)
    #expect(s.ambiguous[0].contains("fits children 1, 2; not imported"))
    #expect(try count(t.path, "cmeCase") == 0)
  }

  @Test func a_dry_run_or_a_failure_keeps_nothing() throws {
    let t = try TestRegister()
    let text =
      header
      + "\n,Ward,Tommy,2014-03-02,M,,,892/4001,2026-11-06,G,,Mary Ward,,07700 900123,,,\n,Lee,Kai,2015-01-01,M,,,892/4001,2026-11-06,G,,Mai Lee,,07700 900124,,,\n"
    let entries = try count(t.path, "auditEntry")
    let dry = try t.register.importDeletionReturns(
      csv: Array(text.utf8), file: "a.csv", dryRun: true, by: t.register.session("cw"), today: testToday)
    #expect(dry.dryRun && dry.casesOpened == 2)
    #expect(try count(t.path, "child") == 0 && count(t.path, "auditEntry") == entries)
    // A failure on the second row (injected) rolls back the first too.
    try sqlite3(
      t.path,
      "CREATE TRIGGER fault BEFORE INSERT ON child WHEN NEW.legalSurname = 'Lee' BEGIN SELECT RAISE(ABORT, 'injected fault'); END;"
    )
    #expect(throws: StoreError.database("injected fault")) {
      try t.register.importDeletionReturns(
        csv: Array(text.utf8), file: "a.csv", dryRun: false, by: t.register.session("cw"), today: testToday)
    }
    #expect(
      try count(t.path, "child") == 0 && count(t.path, "importFile") == 0 && count(t.path, "auditEntry") == entries)
  }
}

struct NewPupilTests {
  @Test func a_child_on_a_school_roll_has_the_case_proposed_for_closure_and_the_caseworker_confirms() throws {
    let t = try TestRegister()
    let ref = try t.openCase()  // Jo Smith, born 2014-03-02
    let text =
      "surname,forename,date_of_birth,school,start_date\nSMITH,Jo,2014-03-02,122345,2026-11-12\nNobody,Known,2015-01-01,122345,2026-11-12\n"
    let s = try t.register.importNewPupils(
      csv: Array(text.utf8), file: "new.csv", by: t.register.session("cw"), today: testToday)
    #expect(s.rows.map(\.outcome) == [.closureProposed, .notOnRegister])
    #expect(
      try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday).closureProposal?.summary
        .hasPrefix(
          "on roll at URN 122345 from 2026-11-12") == true)
    // The board agenda picks it up.
    let (m, _) = try t.register.createMeeting(
      date: testToday, chair: "SD", attendees: [], by: t.register.session("mgr"), today: testToday)
    #expect(
      try t.register.meetingAgenda(m.id, by: t.register.session("mgr")).1.first?.reasons.contains(
        "proposed for closure") == true)
    // Confirming: the school and start date come from the return.
    let closed = try t.register.closeCase(
      ref, outcome: .onRollLASchool, evidence: ClosureEvidence(text: "Confirmed with the school office"), on: nil,
      by: t.register.session("cw"), today: testToday)
    #expect(closed.status == .closed)
    #expect(
      try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday).closureEvidence?.startDate
        == LocalDate(year: 2026, month: 11, day: 12))
    // Again: nothing new.
    #expect(
      try t.register.importNewPupils(
        csv: Array(text.utf8), file: "new.csv", by: t.register.session("cw"), today: testToday
      ).alreadyImported
    )
  }

  @Test func a_new_pupil_file_with_faults_imports_nothing() throws {
    let t = try TestRegister()
    let text = "surname,forename,date_of_birth,school\nSmith,Jo,2014-03-02,122345\n"
    #expect(throws: FileProblems.self) {
      try t.register.importNewPupils(
        csv: Array(text.utf8), file: "new.csv", by: t.register.session("cw"), today: testToday)
    }
    let future = "surname,forename,date_of_birth,school,start_date\nSmith,Jo,2014-03-02,122345,2026-12-01\n"
    do {
      _ = try t.register.importNewPupils(
        csv: Array(future.utf8), file: "new.csv", by: t.register.session("cw"), today: testToday)
      Issue.record("a future start must fail")
    } catch let e as FileProblems {
      #expect(
        e.problems.map(\.description) == [
          "new.csv:2:start_date: 2026-12-01 is in the future; report a pupil once they have started"
        ])
    }
  }
}

struct DuplicateTests {
  @Test func duplicates_are_found_and_merged_with_everything_moving_to_the_kept_child() throws {
    let t = try TestRegister()
    let a = try t.addChild(surname: "O'Brien", forename: "Zoë", dob: "2013-05-01") {
      $0.upn = try? UPN.validate("B801200005001").get()
    }
    let ref = try t.openCase {
      $0.legalSurname = "Other"
      $0.legalForename = "Child"
    }
    let b = try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday).child.id!
    // Make b a duplicate of a: same names (written differently) and date of birth.
    _ = try t.register.updateChild(id: b, reason: "x", by: t.register.session("cw"), today: testToday) { c in
      c.legalSurname = "OBRIEN"
      c.legalForename = "zoe"
      c.dateOfBirth = LocalDate(year: 2013, month: 5, day: 1)!
      c.concerns = [.fgm]
    }
    let pairs = try t.register.duplicates(by: t.register.session("cw"))
    #expect(pairs.count == 1)
    #expect(pairs[0].first.id == a && pairs[0].second.id == b)
    #expect(pairs[0].reasons == ["same date of birth and names"])

    let merged = try t.register.mergeChildren(
      keep: a, other: b, reason: "Same child: school confirmed", by: t.register.session("cw"), today: testToday)
    #expect(merged.concerns == [.fgm])
    #expect(merged.formerNames.contains("zoe OBRIEN"))
    // The case moved; the merged record is out of searches and duplicates; the log verifies.
    #expect(
      try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday).caseRecord.childId == a)
    #expect(try t.register.duplicates(by: t.register.session("cw")).isEmpty)
    #expect(try t.register.findChildren("obrien", by: t.register.session("cw")).children.map(\.id) == [a])
    #expect(try t.register.childRecord(id: b, viewedBy: t.register.session("cw")).mergedInto == a)
    let entry = try t.register.auditLog(caseReference: nil, childId: a, by: t.register.session("mgr"), limit: nil).first
    {
      $0.action == "child.merge"
    }
    #expect(entry?.before?.contains("\"merged\"") == true)
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
    #expect(throws: StoreError.self) {
      try t.register.mergeChildren(keep: a, other: b, reason: "again", by: t.register.session("cw"), today: testToday)
    }
  }

  @Test func merging_two_children_with_open_cases_is_refused() throws {
    let t = try TestRegister()
    let r1 = try t.openCase()
    let r2 = try t.openCase()
    let a = try t.register.caseDetail(r1, viewedBy: t.register.session("cw"), today: testToday).child.id!
    let b = try t.register.caseDetail(r2, viewedBy: t.register.session("cw"), today: testToday).child.id!
    #expect(try t.register.duplicates(by: t.register.session("cw")).count == 1)  // both Jo Smith, 2014-03-02
    #expect(
      throws: StoreError.conflict(
        "both children have open cases (\(r1), \(r2)); close one (e.g. as duplicate-or-error) before merging")
    ) {
      try t.register.mergeChildren(keep: a, other: b, reason: "same", by: t.register.session("cw"), today: testToday)
    }
    #expect(throws: InvalidInput.self) {
      try t.register.mergeChildren(keep: a, other: a, reason: "same", by: t.register.session("cw"), today: testToday)
    }
  }
}

struct CTFTests {
  func ctf(version: String = "25.0", destLA: String, destEstab: String, pupils: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <CTfile><Header><DocumentName>Common Transfer File</DocumentName><CTFversion>\(version)</CTFversion>
    <SourceSchool><LEA>892</LEA><Estab>4001</Estab><SchoolName>Hill Top</SchoolName></SourceSchool>
    <DestSchool><LEA>\(destLA)</LEA><Estab>\(destEstab)</Estab></DestSchool></Header>
    <CTFpupilData>\(pupils)</CTFpupilData></CTfile>
    """
  }

  let tommy =
    "<Pupil><UPN>B801200005001</UPN><Surname>Ward</Surname><Forename>Tommy</Forename><DOB>2014-03-02</DOB><Sex>M</Sex><BasicDetails><FormerUPN>G80120000101A</FormerUPN><Ethnicity>WIRT</Ethnicity></BasicDetails><Address><PostCode>NG2 3HJ</PostCode></Address></Pupil>"
  let kai = "<Pupil><Surname>Lee</Surname><Forename>Kai</Forename><DOB>2015-01-01</DOB><Gender>M</Gender></Pupil>"

  func write(_ text: String, _ dir: TemporaryDirectory, _ name: String = "ctf.xml") throws -> String {
    let path = dir.file(name)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func the_sample_lost_pupil_ctf_opens_a_case() throws {
    let t = try TestRegister()
    let s = try t.register.importCTF(
      path: packageRoot + "/docs/samples/ctf-lost-pupil.xml", by: t.register.session("cw"), today: testToday)
    #expect(s.rowsRead == 1 && s.childrenCreated == 1 && s.casesOpened == 1)
    let ref = try CaseReference.parse(try #require(s.rows[0].caseReference), field: "")
    let d = try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday)
    #expect(d.caseRecord.reason == .whereaboutsUnknown)
    #expect(d.caseRecord.lastAttended == LocalDate(year: 2026, month: 10, day: 9))
    #expect(
      d.child.preferredForename == "Tom" && d.child.isGypsyRomaTraveller
        && d.child.formerUPNs.map(\.value) == ["G80120000101A"])
    // The address is the pupil's, not a contact's; contacts become carers with their phones.
    #expect(d.child.addresses.map(\.postcode) == ["NG2 3HJ"])
    #expect(
      d.child.carers == [
        Carer(
          name: "Mary Ward", relationship: "parent", phone: "07700 900123", livesWithChild: true,
          parentalResponsibility: true),
        Carer(
          name: "John Lovell", relationship: "relative", phone: "07700 900456", livesWithChild: false,
          parentalResponsibility: false),
      ])
    // Eligible for free school meals: the second period has not ended.
    #expect(d.child.freeSchoolMeals == true)
    #expect(
      try t.register.importCTF(
        path: packageRoot + "/docs/samples/ctf-lost-pupil.xml", by: t.register.session("cw"), today: testToday
      )
      .alreadyImported)
  }

  @Test func a_ctf_to_mmm_is_a_move_abroad_and_to_a_school_is_logged() throws {
    let t = try TestRegister()
    let dir = TemporaryDirectory()
    let abroad = try t.register.importCTF(
      path: write(ctf(version: "24.0", destLA: "MMM", destEstab: "MMMM", pupils: tommy), dir, "a.xml"),
      by: t.register.session("cw"),
      today: testToday)
    #expect(abroad.casesOpened == 1)
    let ref = try CaseReference.parse(try #require(abroad.rows[0].caseReference), field: "")
    #expect(
      try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday).caseRecord.reason
        == .believedMovedOutOfCountry)
    let school = try t.register.importCTF(
      path: write(ctf(destLA: "891", destEstab: "2003", pupils: tommy + kai), dir, "b.xml"),
      by: t.register.session("cw"), today: testToday)
    #expect(
      school.childrenMatched == 1 && school.childrenCreated == 1 && school.loggedOnly == 2 && school.casesOpened == 0)
  }

  @Test func a_ctf_fills_the_gaps_in_a_matched_childs_record_and_lists_differences() throws {
    let t = try TestRegister()
    let dir = TemporaryDirectory()
    let id = try t.addChild(surname: "Ward", forename: "Tommy") {
      $0.sex = .unknown
      $0.ethnicity = Ethnicity(checked: "WBRI")
    }
    let s = try t.register.importCTF(
      path: write(ctf(destLA: "891", destEstab: "2003", pupils: tommy), dir), by: t.register.session("cw"),
      today: testToday)
    #expect(s.childrenMatched == 1 && s.childrenCreated == 0)
    #expect(s.rows[0].flags == ["ethnicity: the register has WBRI, the file has WIRT"])
    let child = try t.register.childRecord(id: id, viewedBy: t.register.session("cw")).child
    #expect(child.upn?.value == "B801200005001" && child.sex == .male)
    #expect(child.formerUPNs.map(\.value) == ["G80120000101A"])
    #expect(child.ethnicity?.code == "WBRI")
    #expect(child.addresses.map(\.postcode) == ["NG2 3HJ"])
    // The change is its own audit entry, with the record before and after, and the log verifies.
    let log = try t.register.auditLog(caseReference: nil, childId: id, by: t.register.session("mgr"), limit: nil)
    let update = try #require(log.first { $0.action == "child.update" })
    #expect(
      update.reason?.hasPrefix(
        "filled in from \(dir.file("ctf.xml")) pupil 1: upn, last school, sex, former UPNs, address") == true)
    #expect(update.before != nil && update.after != nil)
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
  }

  @Test func a_lost_pupil_in_care_is_referred_to_the_virtual_school_as_the_case_opens() throws {
    let t = try TestRegister()
    let dir = TemporaryDirectory()
    let inCare = kai.replacingOccurrences(
      of: "</Pupil>", with: "<LookedAfter><InCare>true</InCare><CareAuthority>891</CareAuthority></LookedAfter></Pupil>"
    )
    let s = try t.register.importCTF(
      path: write(ctf(destLA: "XXX", destEstab: "XXXX", pupils: inCare), dir), by: t.register.session("cw"),
      today: testToday)
    let ref = try CaseReference.parse(try #require(s.rows.first?.caseReference), field: "case")
    let actions = try t.register.listActions(
      case: ref, agency: .virtualSchool, overdueOnly: false, owner: nil, includeFinished: false,
      by: t.register.session("cw"), today: testToday)
    #expect(actions.count == 1)
    #expect(actions.first?.action.description.hasSuffix("(care authority 891)") == true)
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
  }

  @Test func a_rows_flags_read_back_as_they_were_raised() throws {
    let t = try TestRegister()
    let dir = TemporaryDirectory()
    _ = try t.addChild(surname: "Lee", forename: "Kai", dob: "2015-01-01")
    let inCare = kai.replacingOccurrences(
      of: "</Pupil>", with: "<LookedAfter><InCare>true</InCare><CareAuthority>891</CareAuthority></LookedAfter></Pupil>"
    )
    let s = try t.register.importCTF(
      path: write(ctf(destLA: "891", destEstab: "2003", pupils: inCare), dir), by: t.register.session("cw"),
      today: testToday)
    // The flag's own text holds "; ", and it still comes back as one flag.
    #expect(
      s.rows[0].flags.contains {
        $0.hasPrefix("looked after: the file says the child is in care of LA 891; the register does not")
      })
    let (file, rows) = try t.register.importedRows(
      file: dir.file("ctf.xml"), flaggedOnly: true, by: t.register.session("cw"))
    #expect(file.rowsFlagged == 1)
    #expect(rows.map(\.flags) == [s.rows[0].flags])
    #expect(
      try t.register.importedRows(file: String(file.id), flaggedOnly: false, by: t.register.session("cw")).1.count == 1)
  }

  @Test func malformed_or_unsupported_files_import_nothing() throws {
    let t = try TestRegister()
    let dir = TemporaryDirectory()
    let before = try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("mgr"), limit: nil)
      .count
    let cut = String(ctf(destLA: "XXX", destEstab: "XXXX", pupils: tommy + kai).dropLast(40))
    do {
      _ = try t.register.importCTF(path: write(cut, dir, "cut.xml"), by: t.register.session("cw"), today: testToday)
      Issue.record("a cut file must fail")
    } catch let e as CTFProblem {
      #expect(e.message.hasPrefix("the XML is malformed"))
      #expect(e.line > 1)
    }
    #expect(throws: CTFProblem.self) {
      try t.register.importCTF(
        path: write(ctf(version: "19.0", destLA: "XXX", destEstab: "XXXX", pupils: tommy), dir, "old.xml"),
        by: t.register.session("cw"),
        today: testToday)
    }
    let badUPN = tommy.replacingOccurrences(of: "B801200005001", with: "A801200005001")
    #expect(throws: CTFProblem.self) {
      try t.register.importCTF(
        path: write(ctf(destLA: "XXX", destEstab: "XXXX", pupils: kai + badUPN), dir, "upn.xml"),
        by: t.register.session("cw"),
        today: testToday)
    }
    #expect(
      try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("mgr"), limit: nil).count
        == before + 1)  // the reading of the log is logged
    #expect(try t.register.findChildren("Lee", by: t.register.session("mgr")).children.isEmpty)
  }
  @Test func a_device_or_a_damaged_file_given_as_a_ctf_imports_nothing_and_says_why() throws {
    let t = try TestRegister()
    let dir = TemporaryDirectory()
    let before = try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("mgr"), limit: nil)
      .count
    // /dev/zero never ends: refused before a byte is read (once it hung the import for ever).
    #expect(
      throws: CTFProblem(
        file: "/dev/zero", line: 1, column: 1,
        message: "this is a device, not a regular file; save what is to be imported to a file and give its path")
    ) {
      try t.register.importCTF(path: "/dev/zero", by: t.register.session("cw"), today: testToday)
    }
    // Bytes that crashed the process are refused before the parser sees them, with nothing kept.
    let bad = dir.file("bad.xml")
    let bytes = Array(ctf(destLA: "XXX", destEstab: "XXXX", pupils: kai).utf8) + [0xFF]
    #expect(FileManager.default.createFile(atPath: bad, contents: Data(bytes)))
    do {
      _ = try t.register.importCTF(path: bad, by: t.register.session("cw"), today: testToday)
      Issue.record("must be refused")
    } catch let e as CTFProblem {
      #expect(
        e.description
          == "\(bad):5:139: the text is not UTF-8 (byte 0xFF); a CTF is UTF-8: check the file was not saved in another encoding or damaged"
      )
    }
    #expect(
      try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("mgr"), limit: nil).count
        == before + 1)  // the reading of the log is logged
    #expect(try t.register.findChildren("Lee", by: t.register.session("mgr")).children.isEmpty)
  }
}
