import CMEAudit
import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import GRDB
import Testing

struct BoardTests {
  func d(_ s: String) -> LocalDate { try! LocalDate.parse(s, field: "date") }

  /// A small register: a red case, a green one, a baseline.
  func register() throws -> (TestRegister, red: CaseReference, green: CaseReference) {
    let t = try TestRegister()
    let red = try t.openCase(opened: "2026-11-16") {
      $0.childProtectionPlan = true
      $0.ethnicity = Ethnicity(checked: "WROG")
    }
    let green = try t.openCase(reason: .schoolApplicationAwaitingOutcome, opened: "2026-11-16", whereaboutsKnown: true)
    let baseline =
      "characteristic,code,count\ntotal,all,60000\nethnicity,WROM,240\nnamed-group,Gypsy/Roma,240\nsex,F,29400\nsex,M,30600\n"
    _ = try t.register.importBaseline(csv: Array(baseline.utf8), file: "census.csv", by: t.register.session("mgr"))
    return (t, red, green)
  }

  @Test func the_agenda_is_built_by_the_rules_with_reasons() throws {
    let (t, red, green) = try register()
    let (m, n) = try t.register.createMeeting(
      date: d("2026-11-20"), chair: "Service Director", attendees: ["Head of Inclusion"],
      by: t.register.session("board"), today: testToday)
    #expect(n == 1)
    let (_, agenda) = try t.register.meetingAgenda(m.id, by: t.register.session("board"))
    #expect(agenda.map(\.reference) == [red.description])
    #expect(agenda[0].reasons == "red")
    #expect(!agenda.contains { $0.reference == green.description })
    #expect(throws: AccessDenied.self) {
      try t.register.createMeeting(
        date: d("2026-11-20"), chair: "x", attendees: [], by: t.register.session("cw"), today: testToday)
    }
  }

  @Test func decisions_do_their_work_in_the_same_transaction_and_name_the_pack() throws {
    let (t, red, green) = try register()
    let (m, _) = try t.register.createMeeting(
      date: d("2026-11-16"), chair: "Service Director", attendees: [], by: t.register.session("mgr"), today: testToday)
    let pack = try t.register.buildPack(
      meeting: m.id, format: "html", identifiable: false, by: t.register.session("board"))
    let r = try t.register.decide(
      meeting: m.id, case: red, decision: .escalateSocialCare, note: "Refer to MASH today", addToAgenda: false,
      details: .init(), by: t.register.session("board"), today: testToday)
    #expect(r.packDigest == pack.digest)
    #expect(r.work.hasPrefix("action "))
    let actions = try t.register.listActions(
      case: red, agency: .socialCare, overdueOnly: false, owner: nil, includeFinished: false,
      by: t.register.session("mgr"),
      today: testToday)
    // The escalation (besides the referral the child's markers raised when the case opened).
    #expect(actions.filter { !$0.action.description.hasPrefix(SafeguardingWork.referralPrefix) }.count == 1)
    // Not on the agenda: refused unless added.
    #expect(
      throws: InvalidInput(
        field: "CASE", problem: "\(green) is not on the agenda of meeting \(m.id)",
        fix: "Add it to the agenda, or choose a case on it", next: .showAgenda(m.id))
    ) {
      try t.register.decide(
        meeting: m.id, case: green, decision: .continue, note: "x", addToAgenda: false, details: .init(),
        by: t.register.session("mgr"),
        today: testToday)
    }
    // A board does not change a case itself: a new rating or a closure is
    // raised as an action for the lead, and the case stays as it was.
    let ratingBefore = try t.register.caseDetail(green, viewedBy: t.register.session("mgr"), today: testToday)
      .caseRecord.rag
    let rated = try t.register.decide(
      meeting: m.id, case: green, decision: .changeRAG, note: "Family not engaging", addToAgenda: true,
      details: .init(rag: .red), by: t.register.session("board"), today: testToday)
    #expect(rated.work.contains("rate the case red"))
    let closed = try t.register.decide(
      meeting: m.id, case: red, decision: .close, note: "Found at a school", addToAgenda: false,
      details: .init(outcome: .onRollLASchool), by: t.register.session("board"), today: testToday)
    #expect(closed.work.contains("close the case as"))
    let greenNow = try t.register.caseDetail(green, viewedBy: t.register.session("mgr"), today: testToday)
    #expect(greenNow.caseRecord.rag == ratingBefore)
    #expect(greenNow.actions.contains { $0.description.hasPrefix("Board meeting \(m.id) decided: rate the case red") })
    let redNow = try t.register.caseDetail(red, viewedBy: t.register.session("mgr"), today: testToday)
    #expect(redNow.caseRecord.status == .open)
    #expect(redNow.actions.contains { $0.description.contains("close the case as") && $0.owner == "cw" })
    // A decision that cannot be recorded leaves nothing.
    let before = try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("mgr"), limit: nil)
      .count
    #expect(throws: InvalidInput.self) {
      try t.register.decide(
        meeting: m.id, case: red, decision: .close, note: "Found", addToAgenda: false, details: .init(),
        by: t.register.session("mgr"), today: testToday)
    }
    #expect(
      throws: StoreError.notFound(what: "board meeting", key: "99")
    ) {
      try t.register.decide(
        meeting: 99, case: red, decision: .continue, note: "x", addToAgenda: false, details: .init(),
        by: t.register.session("mgr"),
        today: testToday)
    }
    #expect(
      try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("mgr"), limit: nil).count
        == before + 1)  // the reading of the log is logged
  }

  @Test func the_pack_is_reproducible_protected_and_tied_to_the_log() throws {
    let (t, _, _) = try register()
    let (m, _) = try t.register.createMeeting(
      date: d("2026-11-16"), chair: "Service Director", attendees: [], by: t.register.session("mgr"), today: testToday)
    let a = try t.register.buildPack(
      meeting: m.id, format: "html", identifiable: false, by: t.register.session("board"))
    let b = try t.register.buildPack(
      meeting: m.id, format: "html", identifiable: false, by: t.register.session("board"))
    #expect(a.text == b.text)
    #expect(a.digest == b.digest)
    let head = try t.register.verifyAudit(by: t.register.session("mgr"))
    #expect(head.isIntact)
    // The stated position is the last entry before the pack builds.
    #expect(a.logSequence == head.headSequence - 2)
    #expect(a.text.contains(a.digest))
    #expect(!a.text.contains("<script"))
    #expect(
      !a.text.contains("http://")
        || !a.text.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
    // Two open cases: every count of 1–4 is protected, with one label.
    #expect(a.text.contains("<div class=\"v\">c</div>"))
    #expect(!a.text.contains(">2</div>"))
    // Marked at the top and, in print, on every page; Part B carries its exemption.
    #expect(a.text.contains("<p class=\"marking\">OFFICIAL — Part A"))
    #expect(a.text.contains("@top-center{content:"))
    #expect(a.text.contains("Schedule 12A to the Local Government Act 1972"))
    // Anonymised: no names.
    #expect(!a.text.contains("Smith"))
    let csv = try t.register.buildPack(
      meeting: m.id, format: "csv", identifiable: false, by: t.register.session("board")
    ).text
    #expect(csv.contains("headline,Open cases,on 2026-11-16,c"))
    #expect(csv.hasPrefix("section,item,column,value\r\nmarking,,,\"OFFICIAL-SENSITIVE — Part B"))
    // Part A alone: figures only, publishable, no case references.
    let partA = try t.register.buildPack(
      meeting: m.id, format: "csv", part: .a, identifiable: false, by: t.register.session("board")
    ).text
    #expect(partA.contains("marking,,,OFFICIAL — Part A"))
    #expect(!partA.contains("CME-20"))
    #expect(!partA.split(whereSeparator: \.isNewline).contains { $0.hasPrefix("decision agenda,") })
  }

  @Test func an_identifiable_pack_needs_a_manager_and_is_audited() throws {
    let (t, _, _) = try register()
    let (m, _) = try t.register.createMeeting(
      date: d("2026-11-16"), chair: "Service Director", attendees: [], by: t.register.session("mgr"), today: testToday)
    #expect(throws: AccessDenied.notPermitted(user: "board", role: .board, permission: .seeIdentifiablePack)) {
      try t.register.buildPack(meeting: m.id, format: "md", identifiable: true, by: t.register.session("board"))
    }
    let pack = try t.register.buildPack(meeting: m.id, format: "md", identifiable: true, by: t.register.session("mgr"))
    #expect(pack.text.contains("Jo Smith, born 2014-03-02"))
    let entry = try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("mgr"), limit: 1)[0]
    #expect(entry.action == "board.pack" && entry.reason == "identifiable pack" && entry.actor == "mgr")
  }

  @Test func the_next_pack_shows_the_previous_decisions_and_whether_they_were_carried_out() throws {
    let (t, red, _) = try register()
    let (m1, _) = try t.register.createMeeting(
      date: d("2026-11-16"), chair: "SD", attendees: [], by: t.register.session("mgr"), today: testToday)
    _ = try t.register.decide(
      meeting: m1.id, case: red, decision: .addAction, note: "Police check", addToAgenda: false,
      details: .init(agency: .police, description: "PNC check", due: d("2026-11-18")), by: t.register.session("mgr"),
      today: testToday)
    let (m2, _) = try t.register.createMeeting(
      date: d("2026-12-07"), chair: "SD", attendees: [], by: t.register.session("mgr"), today: testToday)
    let (_, agenda2) = try t.register.meetingAgenda(m2.id, by: t.register.session("board"))
    #expect(
      agenda2.first { $0.reference == red.description }?.previousDecisions == ["2026-11-16 add-action: Police check"])
    var md = try t.register.buildPack(meeting: m2.id, format: "md", identifiable: false, by: t.register.session("mgr"))
      .text
    // By its category and due date: the note is free text and is not printed.
    #expect(md.contains("- \(red): add an action, due 2026-11-18 — NOT done: OVERDUE since 2026-11-18"))
    #expect(!md.contains("Police check"))
    // A manager may mark a note safe to print; a board member may not.
    #expect(throws: AccessDenied.notPermitted(user: "board", role: .board, permission: .markNoteSafe)) {
      try t.register.decide(
        meeting: m1.id, case: red, decision: .continue, note: "Plan agreed", addToAgenda: false, details: .init(),
        noteSafe: true, by: t.register.session("board"), today: testToday)
    }
    _ = try t.register.decide(
      meeting: m1.id, case: red, decision: .continue, note: "Plan agreed", addToAgenda: false, details: .init(),
      noteSafe: true, by: t.register.session("mgr"), today: testToday)
    md = try t.register.buildPack(meeting: m2.id, format: "md", identifiable: false, by: t.register.session("mgr")).text
    #expect(md.contains("- \(red): continue as planned — noted — Plan agreed"))
    #expect(!md.contains("Police check"))
  }

  @Test func a_baseline_with_faults_is_refused_line_by_line() throws {
    let t = try TestRegister()
    let bad = "characteristic,code,count\ntotal,all,60000\nethnicity,XXXX,10\nsex,F,-5\nreligion,Muslim,3\nsex,F,20\n"
    do {
      _ = try t.register.importBaseline(csv: Array(bad.utf8), file: "census.csv", by: t.register.session("mgr"))
      Issue.record("should fail")
    } catch let e as FileProblems {
      #expect(
        e.problems.map(\.description) == [
          "census.csv:3:code: 'XXXX' is not a code of ethnicity; use one of ABAN, AIND, AOTH, APKN, BAFR, BCRB, BOTH, CHNE, MOTH, MWAS, MWBA, MWBC, NOBT, OOTH, REFU, WBRI, WIRI, WIRT, WOTH, WROM",
          "census.csv:4:count: -5 is negative; a count is 0 or more",
          "census.csv:5:characteristic: 'religion' is not a characteristic; use one of total, ethnicity, named-group, sex, sen, looked-after, child-in-need, child-protection, fsm, eal, disability, service-child",
          "census.csv:6:code: sex F is also on line 4",
        ])
    }
    #expect(try t.register.baselineRows(by: t.register.session("mgr")).isEmpty)
  }
}
