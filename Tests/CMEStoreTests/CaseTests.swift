import CMEAudit
import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import Testing

struct CaseTests {
  @Test func opening_a_case_gives_a_reference_and_a_suggested_rating() throws {
    let t = try TestRegister()
    let ref = try t.openCase(reason: .whereaboutsUnknown) { $0.childProtectionPlan = true }
    #expect(ref.description == "CME-2026-00001")
    let d = try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday)
    #expect(d.caseRecord.rag == .red)
    #expect(d.ragHistory.count == 1)
    #expect(
      d.ragHistory[0].rationale.hasPrefix("suggested when the case opened: safeguarding marker: child protection plan"))
    #expect(d.statusHistory.map(\.kind) == [.opened])
    #expect(try t.openCase().description == "CME-2026-00002")
  }

  @Test func the_references_count_within_the_year_of_opening() throws {
    let t = try TestRegister()
    _ = try t.openCase(opened: "2026-01-05")
    #expect(try t.openCase(opened: "2025-12-30").description == "CME-2025-00001")
    #expect(try t.openCase(opened: "2026-03-01").description == "CME-2026-00002")
  }

  @Test func a_child_has_at_most_one_open_case() throws {
    let t = try TestRegister()
    let child = try t.addChild()
    let first = try t.register.openCase(
      CaseOpening(childId: child, reason: .whereaboutsUnknown), by: t.register.session("cw"), today: testToday)
    #expect(
      throws: StoreError.conflict(
        "child \(child) already has an open case, \(first.reference); work that case, or close it before opening another"
      )
    ) {
      try t.register.openCase(
        CaseOpening(childId: child, reason: .other), by: t.register.session("cw"), today: testToday)
    }
  }

  @Test func unknown_child_and_case_are_named() throws {
    let t = try TestRegister()
    #expect(throws: StoreError.notFound(what: "child", key: "42")) {
      try t.register.openCase(CaseOpening(childId: 42, reason: .other), by: t.register.session("cw"), today: testToday)
    }
    #expect(throws: StoreError.notFound(what: "case", key: "CME-2026-00099")) {
      try t.register.caseDetail(
        CaseReference(year: 2026, number: 99), viewedBy: t.register.session("cw"), today: testToday)
    }
  }

  @Test func close_and_reopen_keep_the_history() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    let closed = try t.register.closeCase(
      ref, outcome: .onRollLASchool,
      evidence: ClosureEvidence(
        text: "Hill Top Primary confirmed start 2026-11-10", school: "122345",
        startDate: LocalDate(year: 2026, month: 11, day: 10)), on: nil, by: t.register.session("cw"), today: testToday)
    #expect(closed.status == .closed)
    #expect(throws: InvalidInput.self) {
      try t.register.closeCase(
        ref, outcome: .onRollLASchool, evidence: ClosureEvidence(text: "again"), on: nil, by: t.register.session("cw"),
        today: testToday)
    }
    let reopened = try t.register.reopenCase(
      ref, reason: "Child left the school after two days", on: nil, by: t.register.session("cw"), today: testToday)
    #expect(reopened.status == .open)
    let d = try t.register.caseDetail(ref, viewedBy: t.register.session("mgr"), today: testToday)
    #expect(d.statusHistory.map(\.kind) == [.opened, .closed, .reopened])
    #expect(d.statusHistory[1].note == "on-roll-la-school: Hill Top Primary confirmed start 2026-11-10")
    #expect(d.statusHistory[2].note == "Child left the school after two days")
    #expect(d.caseRecord.outcome == nil)
  }

  @Test func closing_needs_evidence_and_a_sensible_date() throws {
    let t = try TestRegister()
    let ref = try t.openCase(opened: "2026-11-02")
    #expect(
      throws: InvalidInput(field: "evidence", problem: "the evidence is empty", fix: "Give the evidence in words")
    ) {
      try t.register.closeCase(
        ref, outcome: .onRollLASchool, evidence: ClosureEvidence(text: " "), on: nil, by: t.register.session("cw"),
        today: testToday)
    }
    #expect(
      throws: InvalidInput(
        field: "closedOn", problem: "2026-10-01 is before the case opened (2026-11-02)",
        fix: "Give the day the outcome was confirmed")
    ) {
      try t.register.closeCase(
        ref, outcome: .onRollLASchool, evidence: ClosureEvidence(text: "x"),
        on: LocalDate(year: 2026, month: 10, day: 1), by: t.register.session("cw"), today: testToday)
    }
  }

  @Test func a_search_finds_the_spellings_caseworkers_meet_and_a_postcode() throws {
    let t = try TestRegister()
    let muhammad = try t.addChild(surname: "Khan", forename: "Muhammad")
    let kowalska = try t.addChild(surname: "Kowalska", forename: "Zuzanna")
    let obrien = try t.addChild(surname: "O'Brien", forename: "Siobhan") {
      $0.addresses = [Address(text: "1 High Street, Nottingham", postcode: "NG5 1AB")]
    }
    let lukasz = try t.addChild(surname: "Nowak", forename: "Łukasz")
    let other = try t.addChild(surname: "Okafor", forename: "Precious")
    let cw = try t.register.session("cw")
    func find(_ text: String) throws -> Set<Int64> { Set(try t.register.findChildren(text, by: cw).children.map(\.id)) }
    #expect(try find("Mohammed Khan") == [muhammad])
    #expect(try find("mohamed") == [muhammad])
    #expect(try find("Kowalski") == [kowalska])
    #expect(try find("OBrien") == [obrien])
    #expect(try find("O Brien") == [obrien])
    #expect(try find("Lukasz") == [lukasz])
    #expect(try find("ng5 1ab") == [obrien])
    #expect(try find("NG51AB") == [obrien])
    #expect(try find("NG6 1AB").isEmpty)
    // A word still has to match: variants widen a word, they do not drop one.
    #expect(try find("Mohammed Okafor").isEmpty)
    #expect(try find("okafor") == [other])
    // Many words are refused in words, not by SQLite.
    let many = Array(repeating: "Mohammed", count: 9).joined(separator: " ")
    #expect {
      _ = try t.register.findChildren(many, by: cw)
    } throws: { error in
      (error as? InvalidInput)?.problem == "9 words are more than a search takes (8)"
    }
    #expect(try find(Array(repeating: "Mohammed", count: 8).joined(separator: " ")) == [muhammad])
  }

  @Test func viewing_and_searching_are_logged() throws {
    let t = try TestRegister()
    let id = try t.addChild(surname: "Okafor", forename: "Precious") { $0.formerNames = ["Precious Mensah"] }
    _ = try t.register.childRecord(id: id, viewedBy: t.register.session("mgr"))
    #expect(try t.register.findChildren("mensah", by: t.register.session("cw")).children.map(\.id) == [id])
    #expect(try t.register.findChildren("precious okafor", by: t.register.session("cw")).children.map(\.id) == [id])
    #expect(try t.register.findChildren("2014-03-02", by: t.register.session("cw")).children.map(\.id) == [id])
    let log = try t.register.auditLog(caseReference: nil, childId: id, by: t.register.session("admin"), limit: nil)
    #expect(log.map(\.action) == ["child.add", "child.view"])
    #expect(log[1].actor == "mgr")
    let all = try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("admin"), limit: 3)
    #expect(all.map(\.action) == ["child.search", "child.search", "audit.read"])
  }

  @Test func a_upn_belongs_to_one_child() throws {
    let t = try TestRegister()
    _ = try t.addChild { $0.upn = try? UPN.validate("B801200005001").get() }
    #expect(throws: StoreError.self) { try t.addChild { $0.upn = try? UPN.validate("B801200005001").get() } }
  }

  @Test func rag_history_records_overrides_with_reasons() throws {
    let t = try TestRegister()
    let ref = try t.openCase(reason: .schoolApplicationAwaitingOutcome, opened: "2026-11-16", whereaboutsKnown: true)
    #expect(try t.register.suggestRating(ref, by: t.register.session("cw"), today: testToday).1.rating == .green)
    #expect(throws: InvalidInput.self) {
      try t.register.setRating(ref, to: .red, reason: nil, by: t.register.session("cw"), today: testToday)
    }
    _ = try t.register.setRating(
      ref, to: .red, reason: "Sibling subject to s47 enquiry", by: t.register.session("cw"), today: testToday)
    _ = try t.register.setRating(ref, to: .green, reason: nil, by: t.register.session("cw"), today: testToday)
    let h = try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday).ragHistory
    #expect(h.map(\.rating) == [.green, .red, .green])
    #expect(h[1].rationale == "Sibling subject to s47 enquiry")
    #expect(h[1].suggested == .green)
    #expect(throws: AccessDenied.self) {
      try t.register.setRating(ref, to: .red, reason: "x", by: t.register.session("board"), today: testToday)
    }
  }

  @Test func rag_thresholds_are_settings() throws {
    let t = try TestRegister()
    let ref = try t.openCase(reason: .schoolApplicationAwaitingOutcome, opened: "2026-11-02", whereaboutsKnown: true)
    // The home visit, with the child seen, in time.
    _ = try t.register.logVisit(
      ref, type: .homeVisit, date: LocalDate(year: 2026, month: 11, day: 3)!, time: nil, childSeen: true,
      outcome: "Seen with mother",
      nextStep: nil, agency: nil, by: t.register.session("cw"), today: testToday)
    #expect(try t.register.suggestRating(ref, by: t.register.session("cw"), today: testToday).1.rating == .green)
    try t.register.setSetting("rag.amberAfterDaysOpen", to: "10", by: t.register.session("mgr"))
    #expect(try t.register.suggestRating(ref, by: t.register.session("cw"), today: testToday).1.rating == .amber)
    #expect(throws: InvalidInput.self) {
      try t.register.setSetting("rag.colour", to: "1", by: t.register.session("mgr"))
    }
    #expect(throws: InvalidInput.self) {
      try t.register.setSetting("rag.amberAfterDaysOpen", to: "-3", by: t.register.session("mgr"))
    }
    #expect(throws: AccessDenied.self) {
      try t.register.setSetting("rag.amberAfterDaysOpen", to: "20", by: t.register.session("cw"))
    }
  }
}
