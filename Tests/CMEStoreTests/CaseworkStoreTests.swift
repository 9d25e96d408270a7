import CMEAudit
import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import GRDB
import Testing

struct CaseworkStoreTests {
  func d(_ s: String) -> LocalDate { try! LocalDate.parse(s, field: "date") }

  func count(_ path: String, _ table: String) throws -> Int {
    try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? -1 }
  }

  @Test func a_caseworker_works_a_case_and_the_timeline_tells_it_in_order() throws {
    let t = try TestRegister()
    let ref = try t.openCase(opened: "2026-11-02")
    let v = try t.register.logVisit(
      ref, type: .homeVisit, date: d("2026-11-03"), time: "17:30", childSeen: false, outcome: "No answer",
      nextStep: "Try neighbours",
      agency: nil, by: t.register.session("cw"), today: testToday)
    try t.register.markEnquiryDone(
      ref, item: .homeVisit, result: "No answer at 17:30", visitId: v.id, on: nil, by: t.register.session("cw"),
      today: testToday)
    try t.register.markEnquiryNotApplicable(
      ref, item: .ministryOfDefence, reason: "Not a Service family", by: t.register.session("cw"))
    let a = try t.register.addAction(
      ref, agency: .housing, description: "Confirm tenancy", due: testToday, owner: "J. Patel",
      by: t.register.session("cw"),
      today: testToday)
    _ = try t.register.moveAction(a.id, to: .accepted, note: nil, by: t.register.session("cw"))
    _ = try t.register.logVisit(
      ref, type: .phoneCall, date: d("2026-11-10"), time: nil, childSeen: true,
      outcome: "Spoke to the child and mother", nextStep: nil,
      agency: nil, by: t.register.session("cw2"), today: testToday)

    let detail = try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday)
    #expect(detail.visits.count == 2)
    #expect(detail.visits[1].by == "cw2")
    #expect(detail.enquiries.first { $0.item == .homeVisit }?.date == d("2026-11-03"))  // the visit's date
    #expect(detail.assessment.lastSeen == d("2026-11-10"))
    #expect(detail.assessment.openActions == 1)
    #expect(detail.assessment.clocks.first { $0.kind == .homeVisit }?.state == .met)
    let kinds = detail.timeline.map(\.kind)
    #expect(kinds.first == "status")
    #expect(detail.timeline.map(\.date) == detail.timeline.map(\.date).sorted())
    #expect(kinds.contains("visit") && kinds.contains("enquiry") && kinds.contains("action") && kinds.contains("rag"))
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
    let actions = try t.register.auditLog(caseReference: ref, childId: nil, by: t.register.session("mgr"), limit: nil)
      .map(\.action)
    #expect(actions.contains("visit.log") && actions.contains("enquiry.done") && actions.contains("action.accepted"))
  }

  @Test func bad_casework_input_changes_nothing() throws {
    let t = try TestRegister()
    let ref = try t.openCase(opened: "2026-11-02")
    let entries = try count(t.path, "auditEntry")
    #expect(throws: InvalidInput.self) {
      try t.register.logVisit(
        ref, type: .homeVisit, date: d("2026-11-17"), time: nil, childSeen: nil, outcome: "x", nextStep: nil,
        agency: nil, by: t.register.session("cw"), today: testToday)
    }
    #expect(
      throws: InvalidInput(
        field: "date", problem: "2026-11-01 is before the case opened (2026-11-02)",
        fix: "Enquiries before the referral belong to the school; record them in the outcome of the first visit")
    ) {
      try t.register.logVisit(
        ref, type: .homeVisit, date: d("2026-11-01"), time: nil, childSeen: nil, outcome: "x", nextStep: nil,
        agency: nil, by: t.register.session("cw"), today: testToday)
    }
    #expect(
      throws: InvalidInput(
        field: "visitId", problem: "visit 42 is not a visit of \(ref)",
        fix: "Choose one of the case's own visits", next: .showCase(ref.description))
    ) {
      try t.register.markEnquiryDone(
        ref, item: .health, result: "x", visitId: 42, on: nil, by: t.register.session("cw"), today: testToday)
    }
    #expect(throws: InvalidInput.self) {
      try t.register.addAction(
        ref, agency: .police, description: "x", due: d("2026-11-13"), owner: nil, by: t.register.session("cw"),
        today: testToday)
    }
    #expect(throws: StoreError.notFound(what: "action", key: "9")) {
      try t.register.moveAction(9, to: .accepted, note: nil, by: t.register.session("cw"))
    }
    #expect(throws: AccessDenied.self) {
      try t.register.logVisit(
        ref, type: .homeVisit, date: d("2026-11-03"), time: nil, childSeen: nil, outcome: "x", nextStep: nil,
        agency: nil, by: t.register.session("board"), today: testToday)
    }
    #expect(try count(t.path, "auditEntry") == entries)
    #expect(try count(t.path, "visit") == 0)
  }

  @Test func an_action_already_done_cannot_move_again() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    let a = try t.register.addAction(
      ref, agency: .school, description: "Send siblings' schools", due: testToday, owner: nil,
      by: t.register.session("cw"),
      today: testToday)
    _ = try t.register.moveAction(a.id, to: .done, note: "Siblings at Hill Top", by: t.register.session("cw"))
    #expect(throws: InvalidInput.self) {
      try t.register.moveAction(a.id, to: .done, note: "again", by: t.register.session("cw"))
    }
    #expect(throws: InvalidInput.self) {
      try t.register.moveAction(a.id, to: .cancelled, note: "x", by: t.register.session("cw"))
    }
  }

  @Test func overdue_actions_are_listed_and_flagged_for_escalation() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    let a = try t.register.addAction(
      ref, agency: .police, description: "PNC check", due: d("2026-11-16"), owner: "PC Smith",
      by: t.register.session("cw"),
      today: testToday)
    _ = try t.register.addAction(
      ref, agency: .health, description: "GP check", due: d("2026-11-30"), owner: nil, by: t.register.session("cw"),
      today: testToday)
    // Three school days later: overdue, not yet escalated (threshold 5).
    var overdue = try t.register.listActions(
      case: nil, agency: nil, overdueOnly: true, owner: nil, includeFinished: false, by: t.register.session("mgr"),
      today: d("2026-11-19"))
    #expect(overdue.map(\.action.id) == [a.id])
    #expect(overdue[0].schoolDaysOverdue == 3 && !overdue[0].escalate)
    overdue = try t.register.listActions(
      case: nil, agency: .police, overdueOnly: true, owner: "pc smith", includeFinished: false,
      by: t.register.session("mgr"),
      today: d("2026-11-24"))
    #expect(overdue[0].schoolDaysOverdue == 6 && overdue[0].escalate)
    try t.register.setSetting("actions.escalateAfterSchoolDays", to: "10", by: t.register.session("mgr"))
    #expect(
      try !t.register.listActions(
        case: ref, agency: nil, overdueOnly: true, owner: nil, includeFinished: false, by: t.register.session("mgr"),
        today: d("2026-11-24")
      )[0].escalate)
  }

  @Test func closing_checks_the_evidence_and_keeps_it() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    let entries = try count(t.path, "auditEntry")
    do {
      _ = try t.register.closeCase(
        ref, outcome: .lostPupilUntraceable, evidence: ClosureEvidence(text: "Not found"), on: nil,
        by: t.register.session("cw"),
        today: testToday)
      Issue.record("the enquiries are not exhausted")
    } catch let e as InvalidInput {
      #expect(
        e.problem.hasPrefix(
          "\(ref) cannot close as lost-pupil-untraceable without every applicable enquiry done or not applicable"))
    }
    #expect(try count(t.path, "auditEntry") == entries)
    let evidence = ClosureEvidence(
      text: "Family moved to Bucharest", school: "Școala Gimnazială nr. 1", newAddress: "Str. Lalelelor 4, Bucharest",
      confirmation: "Head teacher's email of 2026-11-12 confirming attendance")
    _ = try t.register.closeCase(
      ref, outcome: .movedAbroadConfirmed, evidence: evidence, on: nil, by: t.register.session("cw"), today: testToday)
    let kept = try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday).closureEvidence
    #expect(kept?.newAddress == "Str. Lalelelor 4, Bucharest")
    #expect(kept?.confirmation == evidence.confirmation)
  }

  @Test func case_update_changes_whereabouts_and_starts_clocks() throws {
    let t = try TestRegister()
    let ref = try t.openCase(opened: "2026-11-02")
    _ = try t.register.updateCase(
      ref, whereaboutsKnown: true, lead: "cw2", illSince: d("2026-11-09"), fairAccessReferred: nil,
      reason: "Found at aunt's", by: t.register.session("cw"), today: testToday)
    let (c, a) = try t.register.assessment(ref, by: t.register.session("cw"), today: testToday)
    #expect(c.whereaboutsKnown && c.leadCaseworker == "cw2")
    #expect(a.clocks.contains { $0.kind == .sickness })
    #expect(throws: InvalidInput.self) {
      try t.register.updateCase(
        ref, whereaboutsKnown: nil, lead: nil, illSince: nil, fairAccessReferred: nil, reason: "x",
        by: t.register.session("cw"),
        today: testToday)
    }
    #expect(throws: InvalidInput.self) {
      try t.register.updateCase(
        ref, whereaboutsKnown: nil, lead: "board", illSince: nil, fairAccessReferred: nil, reason: "x",
        by: t.register.session("cw"),
        today: testToday)
    }
  }

  @Test func a_calendar_import_replaces_the_default_and_a_bad_file_changes_nothing() throws {
    let t = try TestRegister()
    #expect(try t.register.calendar(by: t.register.session("cw")).isDefault)
    let bad = "kind,start,end,description\nterm,2026-09-03,2026-10-23,A1\nterm,2026-10-01,2026-12-18,A2\n"
    #expect(throws: FileProblems.self) {
      try t.register.importCalendar(csv: Array(bad.utf8), file: "bad.csv", by: t.register.session("mgr"))
    }
    #expect(try t.register.calendar(by: t.register.session("cw")).isDefault)
    let good =
      "kind,start,end,description\nterm,2026-09-01,2026-12-18,Autumn\nclosure,2026-11-20,2026-11-20,Training day\n"
    #expect(throws: AccessDenied.self) {
      try t.register.importCalendar(csv: Array(good.utf8), file: "cal.csv", by: t.register.session("cw"))
    }
    let c = try t.register.importCalendar(csv: Array(good.utf8), file: "cal.csv", by: t.register.session("mgr"))
    #expect(!c.isSchoolDay(d("2026-11-20")))
    let (now, isDefault) = try t.register.calendar(by: t.register.session("cw"))
    #expect(!isDefault && now == c)
    let entry = try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("mgr"), limit: 1)[0]
    #expect(entry.action == "calendar.import")
    #expect(entry.reason?.hasPrefix("SHA-256 ") == true)
  }

  @Test func the_register_check_shows_the_casework() throws {
    let t = try TestRegister()
    let ref = try t.openCase(opened: "2026-11-02")
    _ = try t.register.addAction(
      ref, agency: .police, description: "PNC", due: d("2026-11-16"), owner: nil, by: t.register.session("cw"),
      today: testToday)
    _ = try t.register.startCycle(by: t.register.session("mgr"), today: testToday)
    let row = try t.register.casesToCheck(by: t.register.session("mgr"), today: d("2026-11-18"), limit: nil).cases[0]
    #expect(row.assessment.openActions == 1 && row.assessment.overdueActions == 1)
    #expect(row.assessment.enquiriesOutstanding.count == 10)
    #expect(row.assessment.clockBreaches.map(\.kind) == [.homeVisit])
    #expect(row.assessment.lastContact == nil)
    #expect(row.suggestion.reasons.contains { $0.text == "1 overdue multi-agency action" })
  }
}
