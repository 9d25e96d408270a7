import CMEDomain
import CMETestSupport
import Foundation
import GRDB
import Testing

@testable import CMEStore

/// The facts the store gathers for an assessment, one case at a time or in bulk.
struct AssessmentStoreTests {
  func d(_ s: String) -> LocalDate { try! LocalDate.parse(s, field: "date") }

  /// A case with a home visit, two contacts on one day (one without a time),
  /// an overdue action, an enquiry done and one not applicable, and an illness.
  func register() throws -> (TestRegister, CaseReference) {
    let t = try TestRegister()
    let ref = try t.openCase { $0.childProtectionPlan = true }
    for (type, day, time, seen) in [
      (VisitType.homeVisit, "2026-11-03", "17:30", false), (.letter, "2026-11-05", "09:00", nil),
      (.phoneCall, "2026-11-05", nil, true), (.homeVisit, "2026-11-04", nil, false),
    ] as [(VisitType, String, String?, Bool?)] {
      _ = try t.register.logVisit(
        ref, type: type, date: d(day), time: time, childSeen: seen, outcome: "\(type.label) on \(day)", nextStep: nil,
        agency: nil, by: t.register.session("cw"), today: d("2026-11-06"))
    }
    _ = try t.register.addAction(
      ref, agency: .housing, description: "Tenancy", due: d("2026-11-09"), owner: nil, by: t.register.session("cw"),
      today: d("2026-11-06"))
    try t.register.markEnquiryDone(
      ref, item: .lastSchool, result: "Hill Top", visitId: nil, on: d("2026-11-04"), by: t.register.session("cw"),
      today: testToday)
    try t.register.markEnquiryNotApplicable(ref, item: .homeOffice, reason: "Not abroad", by: t.register.session("cw"))
    _ = try t.register.updateCase(
      ref, whereaboutsKnown: nil, lead: nil, illSince: d("2026-11-02"), fairAccessReferred: nil, reason: "GP letter",
      by: t.register.session("cw"), today: testToday)
    return (t, ref)
  }

  @Test func one_case_is_read_as_case_show_shows_it() throws {
    let (t, ref) = try register()
    let detail = try t.register.caseDetail(ref, viewedBy: t.register.session("mgr"), today: testToday)
    let a = detail.assessment
    // The latest contact is the last of the visits as the case lists them: by date, then time of day.
    #expect(a.lastContact == detail.visits.last)
    #expect(a.lastContact?.type == .letter)
    #expect(a.lastSeen == d("2026-11-05"))
    #expect(a.clocks.first { $0.kind == .homeVisit }?.detail == "visited 2026-11-03, school day 1")
    #expect(a.clocks.contains { $0.kind == .sickness })
    // The overdue action, and the referral the child protection plan raised.
    #expect(a.openActions == 2 && a.overdueActions == 1)
    #expect(!a.enquiriesOutstanding.contains(.lastSchool))
  }

  @Test func many_cases_read_in_bulk_are_assessed_as_one_case_at_a_time() throws {
    let (t, ref) = try register()
    _ = try t.openCase(reason: .schoolApplicationAwaitingOutcome, whereaboutsKnown: true)
    let one = try t.register.assessment(ref, by: t.register.session("mgr"), today: testToday).1
    let bulk = try t.register.read { db in
      try Register.caseFacts(where: "c.status = 'open'", arguments: [], in: db)
    }
    #expect(bulk.count == 2)
    let facts = try #require(bulk.first { $0.caseRecord.reference == ref.description })
    let settings = LocalSettings()
    let fromBulk = assessCase(facts, today: testToday, calendar: .englandDefault, settings: settings)
    #expect(fromBulk.suggestion == one.suggestion)
    #expect(fromBulk.clocks == one.clocks)
    #expect(fromBulk.lastContact == one.lastContact)
    #expect(fromBulk.lastSeen == one.lastSeen)
    #expect(fromBulk.enquiriesOutstanding == one.enquiriesOutstanding)
    #expect(fromBulk.overdueActions == one.overdueActions && fromBulk.openActions == one.openActions)
    #expect(facts.child.safeguardingMarkers == ["child protection plan"])
  }

  @Test func facts_read_a_batch_at_a_time_are_the_facts_read_at_once() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 250, seed: 4, in: dir)
    let condition = "c.status = 'open' AND c.openedOn <= ?"
    @Sendable func line(_ f: CaseFacts) -> String {
      let a = assessCase(f, today: testToday, calendar: .englandDefault, settings: LocalSettings())
      return "\(f.caseRecord.reference) \(f.child.id ?? 0) \(a.suggestion) \(a.openActions) \(a.clocks.map(\.state))"
    }
    let whole = try register.read { db in
      try Register.caseFacts(where: condition, arguments: [testToday.description], in: db).map(line)
    }
    #expect(whole.count > 20)
    for size in [1, 7, 2_000] {
      var batches: [[String]] = []
      // As the whole-register passes read them: ids first, then batches,
      // read ahead on other connections.
      try register.read { db in
        let ids = try Int64.fetchAll(
          db, sql: "SELECT c.id FROM cmeCase c WHERE \(condition) ORDER BY c.id", arguments: [testToday.description])
        try Register.readAhead(
          Register.idBatches(ids, batch: size), file: register.path, in: db,
          produce: { own, part in
            try Register.caseFacts(ids: part, in: own).map(line)
          }
        ) { batches.append($0) }
      }
      #expect(batches.flatMap { $0 } == whole, "batch \(size)")
      #expect(batches.allSatisfy { $0.count <= size })
    }
  }

  /// The pack's facts gathered a batch at a time make the pack gathered at
  /// once: with agenda cases not open on the meeting day (opened after it,
  /// or closed), read in a second pass, and the children's identities.
  @Test func a_pack_from_batches_is_the_pack_from_one_batch() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 300, seed: 6, in: dir)
    let me = try register.session("me")
    let day = d("2026-11-09")
    let (m, count) = try register.createMeeting(date: day, chair: "SD", attendees: [], by: me, today: testToday)
    #expect(count > 10)
    let (_, agenda) = try register.meetingAgenda(m.id, by: me)
    // One agenda case closes after the meeting day: on that day it was open.
    let closing = try CaseReference.parse(agenda[0].reference, field: "case")
    _ = try register.closeCase(
      closing, outcome: .duplicateOrError, evidence: ClosureEvidence(text: "Entered twice"), on: testToday, by: me,
      today: testToday)
    func facts(_ batch: Int, file: String? = nil) throws -> PackFacts {
      try register.read { db in
        try Register.packFacts(
          meeting: Register.meeting(m.id, in: db), identifiable: true, batch: batch, file: file, in: db)
      }
    }
    let whole = try facts(10_000)
    #expect(whole.agenda.count == count)
    #expect(whole.agenda.contains { $0.openedOn > day }, "an agenda case opened after the meeting day")
    let closed = try #require(whole.agenda.first { $0.reference == closing.description })
    #expect(closed.closedOn == testToday && closed.daysOpen(on: day) == day.days(since: closed.openedOn))
    let expected = PackRenderer.csv(BoardPack.build(from: whole, identifiable: true), digest: nil)
    #expect(expected.contains(", born "))
    for size in [1, 7] {
      let pack = BoardPack.build(from: try facts(size), identifiable: true)
      #expect(PackRenderer.csv(pack, digest: nil) == expected, "batch \(size)")
      // Read ahead on other connections, as a pack is built.
      let ahead = BoardPack.build(from: try facts(size, file: register.path), identifiable: true)
      #expect(PackRenderer.csv(ahead, digest: nil) == expected, "batch \(size), read ahead")
    }
  }

  @Test func the_packs_agenda_summarises_a_case_from_the_same_facts() throws {
    let (t, ref) = try register()
    let (m, _) = try t.register.createMeeting(
      date: testToday, chair: "SD", attendees: [], by: t.register.session("mgr"), today: testToday)
    let (_, agenda) = try t.register.meetingAgenda(m.id, by: t.register.session("mgr"))
    #expect(agenda.first?.reference == ref.description)
    #expect(agenda.first?.reasons.contains("1 overdue action") == true)
    let md = try t.register.buildPack(meeting: m.id, format: "md", identifiable: false, by: t.register.session("mgr"))
      .text
    // On the decision agenda (Part B) by reference, with why it is there and the decision sought.
    let line = try #require(md.split(separator: "\n").first { $0.contains("| \(ref) (") })
    #expect(line.contains("whereabouts unknown; rated red"))
  }

  /// The agenda's escalations: a case's live police and social-care actions
  /// past due on the meeting day, and only those (not another agency's, not
  /// one done or due later), read a batch of cases at a time.
  @Test func the_packs_agenda_counts_each_cases_overdue_escalations() throws {
    let t = try TestRegister()
    let cw = try t.register.session("cw")
    let police = try t.openCase()
    let care = try t.openCase()
    let neither = try t.openCase()
    func action(_ ref: CaseReference, _ agency: Agency, due: String) throws -> Int64 {
      try t.register.addAction(
        ref, agency: agency, description: "Check", due: d(due), owner: nil, by: cw, today: d("2026-11-03")
      ).id
    }
    _ = try action(police, .police, due: "2026-11-09")
    let accepted = try action(police, .police, due: "2026-11-12")
    _ = try t.register.moveAction(accepted, to: .accepted, note: nil, by: cw, today: testToday)
    _ = try action(police, .socialCare, due: "2026-12-01")  // due after the meeting
    _ = try action(care, .socialCare, due: "2026-11-10")
    _ = try action(care, .housing, due: "2026-11-04")  // another agency
    let done = try action(neither, .police, due: "2026-11-05")
    _ = try t.register.moveAction(done, to: .done, note: "Checked", by: cw, today: testToday)
    let mgr = try t.register.session("mgr")
    let (m, _) = try t.register.createMeeting(date: testToday, chair: "SD", attendees: [], by: mgr, today: testToday)
    let md = try t.register.buildPack(meeting: m.id, format: "md", identifiable: false, by: mgr).text
    func line(_ ref: CaseReference) throws -> Substring {
      try #require(md.split(separator: "\n").first { $0.contains("| \(ref) (") }, "\(ref) on the agenda")
    }
    #expect(try line(police).contains("escalate the overdue police action to a senior manager"))
    #expect(try !line(police).contains("overdue social-care action"))
    #expect(try line(care).contains("escalate the overdue social-care action to a senior manager"))
    #expect(try !line(care).contains("overdue police action"))
    #expect(try !line(neither).contains("escalate the overdue"))
    // The counts themselves, as the readers find them a case at a time and
    // as the caller's connection finds them at once.
    for (batch, file) in [(1, t.path), (10_000, nil)] as [(Int, String?)] {
      let facts = try t.register.read { db in
        try Register.packFacts(
          meeting: Register.meeting(m.id, in: db), identifiable: false, batch: batch, file: file, in: db)
      }
      let counts = Dictionary(
        uniqueKeysWithValues: facts.agenda.map { ($0.reference, "\($0.overduePolice) \($0.overdueSocialCare)") })
      #expect(
        counts == [police.description: "2 0", care.description: "0 1", neither.description: "0 0"], "batch \(batch)")
    }
  }
}
