import CMEAudit
import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import GRDB
import Testing

/// A case's dates kept apart on a real register: referral, opening,
/// deletion with its ground, and the compulsory-school-age rules.
struct CaseDatesStoreTests {
  func d(_ s: String) -> LocalDate { try! LocalDate.parse(s, field: "date") }
  let header =
    "upn,surname,forename,date_of_birth,sex,address,postcode,school,deletion_date,ground,last_attended,parent_name,parent_address,emergency_phone,destination_address,destination_school,destination_start_date"

  @Test func a_lowercase_ground_on_a_2026_deletion_is_the_2024_ground() throws {
    let t = try TestRegister()
    let child = try t.addChild()
    let c = try t.register.openCase(
      CaseOpening(
        childId: child, reason: .whereaboutsUnknown, ground: DeletionGround.written("i", field: "ground"),
        lastAttended: d("2026-10-09"), openedOn: d("2026-11-16"), deletionDate: d("2026-11-16")),
      by: t.register.session("cw"), today: testToday)
    #expect(c.deletionGround?.description == "2024:I")
    let detail = try t.register.caseDetail(
      try CaseReference.parse(c.reference, field: "case"), viewedBy: t.register.session("cw"), today: testToday)
    #expect(detail.caseRecord.deletionDate == d("2026-11-16"))
    #expect(detail.caseRecord.referralReceivedOn == d("2026-11-16"))
    #expect(detail.caseRecord.referralSource == .schoolDeletionReturn)
    // A lawful ground I deletion, reported on its day: no clock breached.
    #expect(detail.assessment.clocks.filter(\.isBreach).isEmpty)
  }

  @Test func the_wrong_regulations_for_the_date_are_refused() throws {
    let t = try TestRegister()
    let child = try t.addChild()
    #expect(
      refusal {
        _ = try t.register.openCase(
          CaseOpening(
            childId: child, reason: .whereaboutsUnknown, ground: DeletionGround.written("2006:i", field: "ground"),
            deletionDate: d("2026-11-02")),
          by: t.register.session("cw"), today: testToday)
      }?.fix?.contains("write J") == true)
    #expect(
      refusal {
        _ = try t.register.openCase(
          CaseOpening(
            childId: child, reason: .whereaboutsUnknown, ground: DeletionGround.written("2006:i", field: "ground"),
            deletionDate: d("2026-11-02")),
          by: t.register.session("cw"), today: testToday)
      }?.field == "ground")
  }

  @Test func a_ground_and_deletion_date_added_later_are_audited_and_stop_the_off_rolling_flag() throws {
    let t = try TestRegister()
    let child = try t.addChild()
    // Referred by the school on the 10th school day of absence.
    let c = try t.register.openCase(
      CaseOpening(
        childId: child, reason: .whereaboutsUnknown, source: .schoolReferral, lastAttended: d("2026-10-09"),
        openedOn: d("2026-10-23")),
      by: t.register.session("cw"), today: testToday)
    let ref = try CaseReference.parse(c.reference, field: "case")
    let updated = try t.register.updateCase(
      ref, whereaboutsKnown: nil, lead: nil, illSince: nil, fairAccessReferred: nil,
      ground: DeletionGround.written("i", field: "ground"), deletionDate: d("2026-11-16"),
      reason: "School deleted on ground I", by: t.register.session("cw"), today: testToday)
    #expect(updated.deletionGround?.description == "2024:I")
    let detail = try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday)
    #expect(detail.caseRecord.deletionDate == d("2026-11-16"))
    let groundI = detail.assessment.clocks.first { $0.kind == .groundI }
    #expect(groundI?.state == .met)
    #expect(detail.assessment.clocks.first { $0.kind == .referral }?.state == .met)
    let entry = try t.register.auditLog(caseReference: ref, childId: nil, by: t.register.session("mgr"), limit: nil)
      .last { $0.action == "case.update" }
    #expect(entry?.before?.contains("\"deletionGround\"") == false)
    #expect(entry?.after?.contains("\"2024:I\"") == true)
    #expect(entry?.after?.contains("2026-11-16") == true)
    // Corrected later: the regulations still follow the date.
    #expect(
      refusal {
        _ = try t.register.updateCase(
          ref, whereaboutsKnown: nil, lead: nil, illSince: nil, fairAccessReferred: nil,
          ground: DeletionGround.written("2006:h", field: "ground"), deletionDate: nil, reason: "typo",
          by: t.register.session("cw"), today: testToday)
      }?.field == "ground")
  }

  @Test func a_deletion_return_reads_lowercase_grounds_by_the_date_and_fills_an_open_case() throws {
    let t = try TestRegister()
    // Tommy's case opened at the school's referral, before the deletion.
    let tommy = try t.addChild(surname: "Ward", forename: "Tommy", dob: "2014-03-02")
    let open = try t.register.openCase(
      CaseOpening(
        childId: tommy, reason: .whereaboutsUnknown, source: .schoolReferral, lastAttended: d("2026-10-09"),
        openedOn: d("2026-10-23")),
      by: t.register.session("cw"), today: testToday)
    let text =
      header + "\n"
      + ",Ward,Tommy,2014-03-02,M,,,892/4001,2026-11-16,i,2026-10-09,Mary Ward,,07700 900123,,,\n"
      + ",Kowalska,Zuzanna,2015-06-19,F,,,122345,2026-11-10,g,2026-11-02,A Kowalska,,07700 900456,,,\n"
    let s = try t.register.importDeletionReturns(
      csv: Array(text.utf8), file: "a.csv", dryRun: false, by: t.register.session("cw"), today: testToday)
    #expect(s.rows.map(\.outcome) == [.openCaseExists, .caseOpened])
    #expect(s.loggedOnly == 0)
    let filled = try t.register.caseDetail(
      try CaseReference.parse(open.reference, field: "case"), viewedBy: t.register.session("cw"), today: testToday)
    #expect(filled.caseRecord.deletionGround?.description == "2024:I")
    #expect(filled.caseRecord.deletionDate == d("2026-11-16"))
    #expect(filled.caseRecord.referralReceivedOn == d("2026-10-23"))
    let zuzanna = try t.register.caseDetail(
      try CaseReference.parse(s.rows[1].caseReference!, field: "case"), viewedBy: t.register.session("cw"),
      today: testToday)
    #expect(zuzanna.caseRecord.deletionGround?.description == "2024:G")
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
  }

  @Test func a_deletion_return_for_a_child_past_school_age_opens_no_case() throws {
    let t = try TestRegister()
    let text =
      header + "\n" + ",Ward,Kai,2009-03-02,M,,,892/4001,2026-11-06,G,2026-11-02,Mary Ward,,07700 900123,,,\n"
    let s = try t.register.importDeletionReturns(
      csv: Array(text.utf8), file: "a.csv", dryRun: false, by: t.register.session("cw"), today: testToday)
    #expect(s.casesOpened == 0 && s.loggedOnly == 1)
    #expect(s.rows[0].flags.contains { $0.contains("outside compulsory school age") })
  }

  @Test func a_case_outside_compulsory_school_age_needs_a_reason() throws {
    let t = try TestRegister()
    for dob in ["2025-05-01", "2022-05-01", "2009-05-01"] {
      let child = try t.addChild(dob: dob)
      #expect(
        refusal {
          _ = try t.register.openCase(
            CaseOpening(childId: child, reason: .other), by: t.register.session("cw"), today: testToday)
        }?.field == "outsideSchoolAgeReason")
    }
    let four = try t.addChild(dob: "2022-05-01")
    let c = try t.register.openCase(
      CaseOpening(childId: four, reason: .other, outsideSchoolAgeReason: "Family also has a missing 9-year-old"),
      by: t.register.session("cw"), today: testToday)
    #expect(c.outsideSchoolAgeReason == "Family also has a missing 9-year-old")
  }

  @Test func ceased_csa_closes_only_a_child_past_compulsory_school_age() throws {
    let t = try TestRegister()
    let ten = try t.openCase()  // born 2014-03-02
    #expect(
      refusal {
        _ = try t.register.closeCase(
          ten, outcome: .ceasedCompulsorySchoolAge, evidence: ClosureEvidence(text: "Turned 16"), on: nil,
          by: t.register.session("cw"), today: testToday)
      }?.field == "outcome")
  }

  @Test func an_existing_register_gives_its_cases_their_dates_when_it_upgrades() throws {
    let dir = TemporaryDirectory()
    let old = dir.file("v1.sqlite")
    let v1 = try String(contentsOfFile: packageRoot + "/Tests/CMEStoreTests/Fixtures/schema-v1.sql", encoding: .utf8)
    let hash = String(repeating: "a", count: 64)
    try DatabaseQueue(path: old).write { db in
      try db.execute(sql: v1)
      try db.execute(
        sql: """
          INSERT INTO auditEntry (seq, at, actor, action, entity, entityId, payloadDigest, hash)
            VALUES (1, '2026-01-01T00:00:00.000Z', 'admin', 'case.open', 'case', 'x', ?, ?);
          INSERT INTO child (id, legalSurname, legalForename, dateOfBirth, sex, createdAt, auditSeq)
            VALUES (1, 'Ward', 'Tommy', '2014-03-02', 'M', '2026-01-01', 1);
          INSERT INTO cmeCase (id, reference, childId, openedOn, referralSource, reason, groundRegime, ground,
            lastAttended, whereaboutsKnown, status, closedOn, outcome, outcomeEvidence, auditSeq)
            VALUES (1, 'CME-2026-00001', 1, '2026-03-02', 'school-deletion-return', 'whereabouts-unknown', '2024',
              'I', '2026-01-30', 0, 'open', NULL, NULL, NULL, 1),
            (2, 'CME-2026-00002', 1, '2026-02-02', 'admissions', 'other', NULL, NULL, NULL, 1, 'closed',
              '2026-02-20', 'duplicate-or-error', 'x', 1);
          """, arguments: [hash, hash])
    }
    _ = try Register(path: old)
    let rows = try DatabaseQueue(path: old).read { db in
      try Row.fetchAll(db, sql: "SELECT referralReceivedOn, deletionDate FROM cmeCase ORDER BY id")
        .map { [$0["referralReceivedOn"] as String?, $0["deletionDate"] as String?] }
    }
    #expect(rows == [["2026-03-02", "2026-03-02"], ["2026-02-02", nil]])
  }
}

/// The refusal `body` throws, if any.
private func refusal(_ body: () throws -> Void) -> InvalidInput? {
  do {
    try body()
    return nil
  } catch let e as InvalidInput {
    return e
  } catch {
    return nil
  }
}
