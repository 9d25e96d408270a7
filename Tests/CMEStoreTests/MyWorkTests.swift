import CMEDomain
import CMETestSupport
import Foundation
import GRDB
import Testing

@testable import CMEStore

/// A caseworker's own work: the cases they lead, what is due on them, and
/// what was given to them.
struct MyWorkTests {
  @Test func my_work_is_my_cases_worst_first_with_their_due_work() throws {
    let t = try TestRegister()
    let r = t.register
    let mine = try t.openCase(lead: "cw", opened: "2026-10-01")
    let red = try t.openCase(lead: "cw", opened: "2026-11-02") { $0.childProtectionPlan = true }
    let theirs = try t.openCase(lead: "cw2")
    _ = try r.addAction(
      mine, agency: .police, description: "Check the address", due: LocalDate(iso: "2026-11-10")!, owner: nil,
      by: r.session("cw"), today: LocalDate(iso: "2026-11-03")!)
    _ = try r.addAction(
      theirs, agency: .police, description: "Not mine", due: LocalDate(iso: "2026-11-10")!, owner: nil,
      by: r.session("cw2"), today: LocalDate(iso: "2026-11-03")!)
    let work = try r.myWork(by: r.session("cw"), today: testToday, since: nil)
    #expect(work.totalCases == 2)
    #expect(Set(work.cases.map(\.summary.reference)) == [mine.description, red.description])
    // Each case's assessment is the one its own page shows.
    for c in work.cases {
      let (_, single) = try r.assessment(
        try CaseReference.parse(c.summary.reference, field: "case"), by: r.session("cw"), today: testToday)
      #expect(c.assessment.suggestion == single.suggestion, "\(c.summary.reference)")
      #expect(c.assessment.clocks.map(\.state) == single.clocks.map(\.state), "\(c.summary.reference)")
    }
    // Mine, overdue; and the referral the child protection plan raised when the red case opened.
    #expect(work.actions.map(\.action.description).first == "Check the address")
    #expect(work.actions.count == 2)
    #expect(work.actions.last?.action.description.hasPrefix(SafeguardingWork.referralPrefix) == true)
    #expect(work.actions.first?.schoolDaysOverdue ?? 0 > 0)
    #expect(!work.clocks.isEmpty, "a case opened on 2026-10-01 with no home visit has an overdue clock")
    let limited = try r.myWork(by: r.session("cw"), today: testToday, since: nil, limit: 1)
    #expect(limited.cases.count == 1 && limited.totalCases == 2)
    // The first action only, with the count of all: the same first as the whole list.
    #expect(work.totalActions == 2)
    let oneAction = try r.myWork(by: r.session("cw"), today: testToday, since: nil, actionLimit: 1)
    #expect(oneAction.actions.map(\.action.id) == [work.actions[0].action.id])
    #expect(oneAction.totalActions == 2)
    let roomy = try r.myWork(by: r.session("cw"), today: testToday, since: nil, actionLimit: 5)
    #expect(roomy.actions.map(\.action.id) == work.actions.map(\.action.id) && roomy.totalActions == 2)
  }

  /// My work reads the actions due from an index in the order it lists
  /// them and stops; the count stops at its bound. Both must agree with
  /// every due action read and sorted.
  @Test func the_actions_due_are_the_first_of_all_of_them_sorted_and_the_count_says_when_it_stopped() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 600, seed: 23, in: dir)
    let queue = try DatabaseQueue(path: register.path)
    let leads = try queue.read { db in
      try Row.fetchAll(db, sql: "SELECT id, name FROM user WHERE role = 'caseworker' ORDER BY id")
    }
    #expect(leads.count >= 2)
    for lead in leads {
      let name: String = lead["name"]
      let me = try register.session(for: name, channel: .commandLine(account: "test"))
      let all = try queue.read { db in
        try Int64.fetchAll(
          db,
          sql: """
            SELECT a.id FROM caseAction a JOIN cmeCase c ON c.id = a.caseId
            WHERE a.state IN ('open', 'accepted') AND a.dueOn <= ? AND c.status = 'open' AND c.leadCaseworkerId = ?
            ORDER BY a.dueOn, a.id
            """, arguments: [testToday.adding(days: 7).description, lead["id"] as Int64])
      }
      #expect(all.count >= 5, "\(name) has actions due")
      for (limit, bound) in [(1, 1000), (3, 4), (5, all.count), (5, all.count - 1), (nil, 1)] as [(Int?, Int)] {
        let work = try register.myWork(
          by: me, today: testToday, since: nil, limit: 1, actionLimit: limit, actionCountBound: bound)
        #expect(work.actions.map(\.action.id) == Array(all.prefix(limit ?? all.count)), "\(name) \(limit ?? 0)")
        let counted = limit == nil ? all.count : min(all.count, max(bound, limit!))
        #expect(work.totalActions == counted, "\(name) \(limit ?? 0) \(bound)")
        #expect(work.totalActionsBounded == (counted < all.count), "\(name) \(limit ?? 0) \(bound)")
        // Both ways to the list (from the index in order, from the lead's cases) give it.
        for inOrder in [true, false] {
          let (actions, total, bounded) = try queue.read { db in
            try Register.myDueActions(
              lead: lead["id"], today: testToday, limit: limit, countBound: bound, inOrder: inOrder, in: db)
          }
          #expect(actions.map(\.action.id) == Array(all.prefix(limit ?? all.count)), "\(name) \(inOrder)")
          #expect(total == counted && bounded == (counted < all.count), "\(name) \(inOrder)")
        }
      }
    }
  }

  @Test func cases_given_to_me_since_i_last_looked_are_listed() throws {
    let t = try TestRegister()
    let r = t.register
    let before = "2000-01-01T00:00:00.000Z"
    let given = try t.openCase(lead: "cw2")
    _ = try r.updateCase(
      given, whereaboutsKnown: nil, lead: "cw", illSince: nil, fairAccessReferred: nil, reason: "cw2 is away",
      by: r.session("mgr"), today: testToday)
    let work = try r.myWork(by: r.session("cw"), today: testToday, since: before)
    #expect(work.allocatedSince.map(\.reference) == [given.description])
    #expect(throws: AccessDenied.self) { try r.myWork(by: r.session("board"), today: testToday, since: nil) }
  }
}
