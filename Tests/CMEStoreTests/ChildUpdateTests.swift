import CMEAudit
import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import Testing

struct ChildUpdateTests {
  @Test func a_new_safeguarding_marker_changes_the_suggestion_and_is_audited() throws {
    let t = try TestRegister()
    let ref = try t.openCase(reason: .schoolApplicationAwaitingOutcome, opened: "2026-11-16", whereaboutsKnown: true)
    #expect(try t.register.suggestRating(ref, by: t.register.session("cw"), today: testToday).1.rating == .green)
    let child = try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday).child.id!
    _ = try t.register.updateChild(
      id: child, reason: "Strategy meeting: CP plan agreed", by: t.register.session("cw"), today: testToday
    ) {
      $0.childProtectionPlan = true
    }
    #expect(try t.register.suggestRating(ref, by: t.register.session("cw"), today: testToday).1.rating == .red)
    let entry = try t.register.auditLog(caseReference: nil, childId: child, by: t.register.session("mgr"), limit: 1)[0]
    #expect(entry.action == "child.update")
    #expect(entry.reason == "Strategy meeting: CP plan agreed")
    #expect(entry.before?.contains("\"childProtectionPlan\":false") == true)
    #expect(entry.after?.contains("\"childProtectionPlan\":true") == true)
  }

  @Test func a_new_upn_keeps_the_old_one_and_a_move_ends_the_old_address() throws {
    let t = try TestRegister()
    let id = try t.addChild {
      $0.upn = try? UPN.validate("G80120000101A").get()
      $0.addresses = [Address(text: "1 Old Road", postcode: "NG1 1AA", from: LocalDate(year: 2020, month: 1, day: 1))]
    }
    let c = try t.register.updateChild(
      id: id, reason: "Permanent UPN from the CTF", by: t.register.session("cw"), today: testToday
    ) { c in
      c.replaceUPN(with: try UPN.validate("B801200005001").get())
      try c.move(to: Address(text: "2 New Street", postcode: "NG5 1AB", from: LocalDate(year: 2026, month: 11, day: 1)))
    }
    #expect(c.upn?.value == "B801200005001")
    #expect(c.formerUPNs.map(\.value) == ["G80120000101A"])
    let stored = try t.register.childRecord(id: id, viewedBy: t.register.session("cw")).child
    #expect(stored.addresses.count == 2)
    #expect(stored.addresses[0].to == LocalDate(year: 2026, month: 10, day: 31))
    #expect(stored.currentAddress?.text == "2 New Street")
    #expect(try t.register.findChildren("G80120000101A", by: t.register.session("cw")).children.map(\.id) == [id])
  }

  @Test func an_update_that_changes_nothing_or_breaks_a_rule_writes_nothing() throws {
    let t = try TestRegister()
    let id = try t.addChild()
    let before = try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("mgr"), limit: nil)
      .count
    #expect(throws: InvalidInput.self) {
      try t.register.updateChild(id: id, reason: "x", by: t.register.session("cw"), today: testToday) { _ in }
    }
    #expect(throws: InvalidInput.self) {
      try t.register.updateChild(id: id, reason: "x", by: t.register.session("cw"), today: testToday) {
        $0.careAuthority = "891"
      }
    }
    #expect(throws: InvalidInput.self) {
      try t.register.updateChild(id: id, reason: "x", by: t.register.session("cw"), today: testToday) { c in
        try c.move(to: Address(text: "No date"))
      }
    }
    #expect(throws: AccessDenied.self) {
      try t.register.updateChild(id: id, reason: "x", by: t.register.session("board"), today: testToday) {
        $0.childInNeed = true
      }
    }
    #expect(
      try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("mgr"), limit: nil).count
        == before + 1)  // the reading of the log is logged
  }
}
