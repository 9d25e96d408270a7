import CMEDomain
import CMEStore
import Foundation
import Testing

/// A second front end drives the core without the command line: this target
/// depends on the domain and the store only (no ArgumentParser), as a web
/// server does. It resolves a session once, calls the store, and reads the
/// store's refusals as fields and next steps rather than as options and
/// commands.
struct SecondFrontEndTests {
  let directory = NSTemporaryDirectory() + "cme-core-\(UUID().uuidString)"
  let today = LocalDate(year: 2026, month: 11, day: 16)!

  func register() throws -> Register {
    let r = try Register(path: directory + "/register.sqlite")
    _ = try r.initialize(admin: "admin")
    let admin = try r.session(for: "admin", channel: .web(session: "s-admin"))
    _ = try r.addUser(name: "a.khan", role: .caseworker, by: admin)
    _ = try r.addUser(name: "g.patel", role: .manager, by: admin)
    return r
  }

  @Test func a_caseworker_works_a_case_through_the_core_alone() throws {
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let r = try register()
    let me = try r.session(for: "a.khan", channel: .web(session: "s-1"))
    var child = Child(
      legalSurname: "Ward", legalForename: "Tommy", dateOfBirth: LocalDate(year: 2014, month: 3, day: 2)!)
    child.sex = .male
    let id = try r.addChild(child, by: me, today: today)
    let opened = try r.openCase(
      CaseOpening(childId: id, reason: .whereaboutsUnknown, openedOn: today, leadCaseworker: "a.khan"), by: me,
      today: today)
    let ref = try CaseReference.parse(opened.reference, field: "case")
    _ = try r.logVisit(
      ref, type: .homeVisit, date: today, time: "17:30", childSeen: false, outcome: "No answer", nextStep: nil,
      agency: nil, by: me, today: today)
    let detail = try r.caseDetail(ref, viewedBy: me, today: today)
    #expect(detail.visits.count == 1)
    #expect(detail.caseRecord.leadCaseworker == "a.khan")
  }

  @Test func refusals_name_fields_and_steps_not_options_and_commands() throws {
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let r = try register()
    let me = try r.session(for: "a.khan", channel: .web(session: "s-1"))
    let future = Child(legalSurname: "Ward", legalForename: "Amy", dateOfBirth: today.adding(days: 30))
    do {
      _ = try r.addChild(future, by: me, today: today)
      Issue.record("a date of birth in the future was accepted")
    } catch let e as InvalidInput {
      #expect(e.field == "dateOfBirth")
      #expect(!e.description.contains("--") && !e.description.contains("'cme "))
    }
    do {
      _ = try r.caseDetail(try CaseReference.parse("CME-2026-00099", field: "case"), viewedBy: me, today: today)
      Issue.record("a missing case was found")
    } catch let e as StoreError {
      #expect(e == .notFound(what: "case", key: "CME-2026-00099"))
    }
    let manager = try r.session(for: "g.patel", channel: .web(session: "s-2"))
    do {
      _ = try r.recordCheck(
        try CaseReference.parse("CME-2026-00001", field: "case"), outcome: .explained, note: "x", rag: nil,
        explanation: nil, by: manager, today: today)
      Issue.record("a check without a cycle was recorded")
    } catch let e as StoreError {
      guard case .conflict(let text, let next) = e else { throw e }
      #expect(next == .startCycle)
      #expect(!text.contains("'cme "))
    }
  }
}
