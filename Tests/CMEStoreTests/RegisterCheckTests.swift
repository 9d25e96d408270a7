import CMEAudit
import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import Testing

struct RegisterCheckTests {
  @Test func a_cycle_from_start_to_close() throws {
    // Given three open cases, one led by the manager
    let t = try TestRegister()
    let red = try t.openCase { $0.childProtectionPlan = true }
    let green = try t.openCase(reason: .schoolApplicationAwaitingOutcome, opened: "2026-11-16", whereaboutsKnown: true)
    let own = try t.openCase(lead: "mgr")
    // Only managers start cycles
    #expect(throws: AccessDenied.self) { try t.register.startCycle(by: t.register.session("cw"), today: testToday) }
    let started = try t.register.startCycle(by: t.register.session("mgr"), today: testToday)
    #expect(started.checked == 0 && started.total == 3)
    #expect(throws: StoreError.self) { try t.register.startCycle(by: t.register.session("mgr"), today: testToday) }

    // The list is worst first
    let list = try t.register.casesToCheck(by: t.register.session("mgr"), today: testToday, limit: nil)
    #expect(list.cases.first?.summary.reference == red.description)
    #expect(list.cases.last?.summary.reference == green.description)

    // A manager may not sign off their own case
    #expect(throws: AccessDenied.ownCase(user: "mgr", reference: own.description)) {
      try t.register.recordCheck(
        own, outcome: .explained, note: "fine", rag: nil, explanation: nil, by: t.register.session("mgr"),
        today: testToday)
    }
    // Caseworkers do not record checks
    #expect(throws: AccessDenied.self) {
      try t.register.recordCheck(
        red, outcome: .explained, note: "fine", rag: nil, explanation: nil, by: t.register.session("cw"),
        today: testToday)
    }
    let k = try t.register.recordCheck(
      red, outcome: .escalated, note: "Referred to MASH", rag: nil, explanation: nil, by: t.register.session("mgr"),
      today: testToday)
    #expect(!k.satisfactoryExplanation)
    _ = try t.register.recordCheck(
      green, outcome: .explained, note: "Offer made", rag: .green, explanation: nil, by: t.register.session("mgr"),
      today: testToday)
    let status = try #require(try t.register.cycleStatus(by: t.register.session("board")))
    #expect(status.checked == 2 && status.total == 3)
    #expect(status.byOutcome == ["escalated": 1, "explained": 1])
    #expect(status.withoutExplanation == 1)

    // It cannot close while a case is unchecked and unlisted
    do {
      _ = try t.register.closeCycle(unchecked: [:], note: nil, by: t.register.session("mgr"), today: testToday)
      Issue.record("an unchecked case is left")
    } catch let e as InvalidInput {
      #expect(e.problem == "1 open case is not checked: \(own)")
    }
    // Another manager checks it, or it is listed with a reason
    let closed = try t.register.closeCycle(
      unchecked: [own.description: "Lead manager's own case; checked by the service director on 2026-11-16"],
      note: "November check",
      by: t.register.session("mgr"), today: testToday)
    #expect(closed.checked == 2 && closed.exempted == 1 && closed.total == 3)
    #expect(try t.register.cycleStatus(by: t.register.session("mgr"))?.cycle.isOpen == false)
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
  }

  @Test func a_check_can_change_the_rating_and_the_note_is_its_reason() throws {
    let t = try TestRegister()
    let ref = try t.openCase(reason: .schoolApplicationAwaitingOutcome, opened: "2026-11-16", whereaboutsKnown: true)
    _ = try t.register.startCycle(by: t.register.session("mgr"), today: testToday)
    _ = try t.register.recordCheck(
      ref, outcome: .actionRequired, note: "No contact for two weeks", rag: .amber, explanation: nil,
      by: t.register.session("mgr"),
      today: testToday)
    let d = try t.register.caseDetail(ref, viewedBy: t.register.session("mgr"), today: testToday)
    #expect(d.caseRecord.rag == .amber)
    #expect(d.ragHistory.last?.rationale == "register check: No contact for two weeks")
    #expect(d.checks.first?.ragBefore == .green)
    #expect(d.checks.first?.ragAfter == .amber)
  }

  @Test func checks_need_an_open_cycle_an_open_case_and_a_note() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    #expect(
      throws: StoreError.conflict(
        "no register-check cycle is open; a manager starts one", next: .startCycle)
    ) {
      try t.register.recordCheck(
        ref, outcome: .explained, note: "x", rag: nil, explanation: nil, by: t.register.session("mgr"), today: testToday
      )
    }
    _ = try t.register.startCycle(by: t.register.session("mgr"), today: testToday)
    #expect(throws: InvalidInput.self) {
      try t.register.recordCheck(
        ref, outcome: .explained, note: "", rag: nil, explanation: nil, by: t.register.session("mgr"), today: testToday)
    }
    #expect(throws: InvalidInput.self) {
      try t.register.recordCheck(
        ref, outcome: .explained, note: "x", rag: nil, explanation: false, by: t.register.session("mgr"),
        today: testToday)
    }
    _ = try t.register.closeCase(
      ref, outcome: .onRollLASchool,
      evidence: ClosureEvidence(text: "school confirmed", school: "122345", startDate: testToday), on: nil,
      by: t.register.session("cw"),
      today: testToday)
    #expect(throws: StoreError.self) {
      try t.register.recordCheck(
        ref, outcome: .explained, note: "x", rag: nil, explanation: nil, by: t.register.session("mgr"), today: testToday
      )
    }
  }
}

struct IndependentCheckTests {
  /// A manager who led a case hands the lead to someone else, checks it,
  /// and takes it back: the check is refused, as is one by a manager who
  /// recorded a visit on it.
  @Test func swapping_the_lead_does_not_make_a_check_independent() throws {
    let t = try TestRegister()
    let ref = try t.openCase(lead: "mgr")
    _ = try t.register.startCycle(by: t.register.session("mgr2"), today: testToday)
    _ = try t.register.updateCase(
      ref, whereaboutsKnown: nil, lead: "cw", illSince: nil, fairAccessReferred: nil, reason: "handover",
      by: t.register.session("mgr"), today: testToday)
    #expect(throws: AccessDenied.ownCase(user: "mgr", reference: ref.description)) {
      try t.register.recordCheck(
        ref, outcome: .explained, note: "fine", rag: nil, explanation: nil, by: t.register.session("mgr"),
        today: testToday)
    }
    _ = try t.register.logVisit(
      ref, type: .homeVisit, date: testToday, time: nil, childSeen: false, outcome: "No answer", nextStep: nil,
      agency: nil, by: t.register.session("mgr2"), today: testToday)
    #expect(throws: AccessDenied.ownCase(user: "mgr2", reference: ref.description)) {
      try t.register.recordCheck(
        ref, outcome: .explained, note: "fine", rag: nil, explanation: nil, by: t.register.session("mgr2"),
        today: testToday)
    }
  }
}

struct WorkedByLogTests {
  /// Opening a case (by hand, with someone else as lead) or changing its
  /// rating is working it, as the log records it.
  @Test func opening_or_rating_a_case_is_working_it() throws {
    let t = try TestRegister()
    let child = try t.addChild()
    let opened = try t.register.openCase(
      CaseOpening(childId: child, reason: .whereaboutsUnknown, openedOn: testToday, leadCaseworker: "cw"),
      by: t.register.session("mgr"), today: testToday)
    let ref = try CaseReference.parse(opened.reference, field: "case")
    _ = try t.register.startCycle(by: t.register.session("mgr"), today: testToday)
    #expect(throws: AccessDenied.ownCase(user: "mgr", reference: opened.reference)) {
      try t.register.recordCheck(
        ref, outcome: .escalated, note: "x", rag: nil, explanation: nil, by: t.register.session("mgr"),
        today: testToday)
    }
    _ = try t.register.setRating(ref, to: .red, reason: "worse", by: t.register.session("mgr2"), today: testToday)
    #expect(throws: AccessDenied.ownCase(user: "mgr2", reference: opened.reference)) {
      try t.register.recordCheck(
        ref, outcome: .escalated, note: "x", rag: nil, explanation: nil, by: t.register.session("mgr2"),
        today: testToday)
    }
  }
}

/// Safeguarding creates work: referrals and the work a check calls for.
struct SafeguardingStoreTests {
  @Test func a_case_opened_for_a_child_at_risk_refers_them_due_the_next_school_day() throws {
    let t = try TestRegister()
    let ref = try t.openCase {
      $0.childProtectionPlan = true
      $0.concerns = [.missingFromHome]
    }
    let actions = try t.register.listActions(
      case: ref, agency: nil, overdueOnly: false, owner: nil, includeFinished: false, by: t.register.session("cw"),
      today: testToday)
    #expect(actions.map(\.action.agency) == [.socialCare, .police])
    // testToday is Monday 16 November 2026: the next school day is the 17th.
    #expect(actions.allSatisfy { $0.action.dueOn == LocalDate(year: 2026, month: 11, day: 17)! })
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
  }

  @Test func a_concern_recorded_later_is_referred_once() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    let id = try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday).caseRecord.childId
    _ = try t.register.updateChild(id: id, reason: "Police told us", by: t.register.session("cw"), today: testToday) {
      $0.concerns.insert(.criminalExploitation)
    }
    _ = try t.register.updateChild(id: id, reason: "Also CSE", by: t.register.session("cw"), today: testToday) {
      $0.concerns.insert(.sexualExploitation)
    }
    let actions = try t.register.listActions(
      case: ref, agency: .socialCare, overdueOnly: false, owner: nil, includeFinished: false,
      by: t.register.session("cw"), today: testToday)
    #expect(actions.count == 1)
  }

  @Test func a_check_without_an_explanation_gives_the_lead_an_action_and_the_manager_stays_independent() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    _ = try t.register.startCycle(by: t.register.session("mgr"), today: testToday)
    _ = try t.register.recordCheck(
      ref, outcome: .actionRequired, note: "No visit for a month", rag: nil, explanation: nil,
      by: t.register.session("mgr"), today: testToday)
    let actions = try t.register.listActions(
      case: ref, agency: nil, overdueOnly: false, owner: "cw", includeFinished: false, by: t.register.session("cw"),
      today: testToday)
    #expect(actions.count == 1)
    #expect(actions.first?.action.dueOn == LocalDate(year: 2026, month: 11, day: 23)!)
    // The next cycle, the same manager may check the case again.
    _ = try t.register.closeCycle(
      unchecked: [:], note: nil, by: t.register.session("mgr"), today: testToday)
    _ = try t.register.startCycle(by: t.register.session("mgr"), today: testToday)
    _ = try t.register.recordCheck(
      ref, outcome: .escalated, note: "Refer to police", rag: .red, explanation: nil, by: t.register.session("mgr"),
      today: testToday)
    let escalated = try t.register.listActions(
      case: ref, agency: nil, overdueOnly: false, owner: "mgr", includeFinished: false, by: t.register.session("cw"),
      today: testToday)
    #expect(escalated.count == 1)
  }
}

/// The register check reads the open cases worst first from an index
/// (`cmeCase_worstOpen`); it must list exactly what sorting every open case
/// gives, as ratings change and cases are checked.
struct RegisterCheckOrderTests {
  /// The cases still to check, by reading every open case and sorting it here.
  func recomputed(_ path: String) throws -> [String] {
    let rows = try sqlite3(
      path,
      """
      SELECT reference, ifnull(rag, ''), openedOn, id FROM cmeCase WHERE status = 'open'
        AND id NOT IN (SELECT caseId FROM registerCheck WHERE cycleId = (SELECT max(id) FROM registerCycle WHERE closedOn IS NULL));
      """
    ).output.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    let rank = ["red": 0, "amber": 1, "green": 2, "": 3]
    return rows.sorted {
      (rank[$0[1]]!, $0[2], Int($0[3])!) < (rank[$1[1]]!, $1[2], Int($1[3])!)
    }.map { $0[0] }
  }

  @Test(arguments: [1, 2, 3])
  func the_first_page_and_the_whole_list_match_a_full_sort(seed: UInt64) throws {
    let dir = TemporaryDirectory()
    let (register, me, checker) = try demoWithChecker(children: 400, seed: seed, in: dir)
    var rng = SystemRandomNumberGenerator()
    for round in 0..<3 {
      let expected = try recomputed(register.path)
      #expect(!expected.isEmpty)
      let page = try register.casesToCheck(by: me, today: testToday, limit: 20).cases.map(\.summary.reference)
      #expect(page == Array(expected.prefix(20)), "round \(round)")
      let all = try register.casesToCheck(by: me, today: testToday, limit: nil).cases.map(\.summary.reference)
      #expect(all == expected, "round \(round)")
      // The cycle's progress, counted from the checks, is what a full count gives.
      let status = try #require(try register.cycleStatus(by: me))
      #expect(status.cycle.closedOn == nil)
      let checked = try sqlite3(
        register.path, "SELECT count(DISTINCT caseId) FROM registerCheck WHERE cycleId = \(status.cycle.id);"
      ).output.trimmingCharacters(in: .whitespacesAndNewlines)
      #expect(String(status.checked) == checked, "round \(round)")
      #expect(status.total - status.checked == expected.count, "round \(round)")
      // Check a few cases, changing their ratings, and go again.
      for reference in expected.shuffled(using: &rng).prefix(6) {
        _ = try register.recordCheck(
          CaseReference.parse(reference, field: "case"), outcome: .explained, note: "Seen at home",
          rag: RAG.allCases.randomElement(using: &rng), explanation: nil, by: checker, today: testToday)
      }
    }
  }
}

/// The whole list, a batch at a time (for exports), is the list read at once.
struct CasesToCheckInBatchesTests {
  @Test func batches_in_order_make_the_whole_list_with_a_cycle_and_without() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 300, seed: 9, in: dir)
    let me = try register.session("me")
    func lines(_ cases: [CaseToCheck]) -> [String] {
      cases.map {
        "\($0.summary.reference) \($0.suggestion.rating) \($0.assessment.openActions) \($0.lastCheckedAt ?? "-") \($0.suggestion.summary)"
      }
    }
    for round in 0..<2 {
      let whole = try register.casesToCheck(by: me, today: testToday, limit: nil)
      #expect(whole.cases.count > 10, "round \(round)")
      for size in [1, 7, 10_000] {
        var batches: [[CaseToCheck]] = []
        let (cycle, count) = try register.eachCaseToCheck(by: me, today: testToday, batch: size) { batches.append($0) }
        #expect(lines(batches.flatMap { $0 }) == lines(whole.cases), "round \(round), batch \(size)")
        #expect(batches.allSatisfy { $0.count <= size })
        #expect(count == whole.cases.count && count == whole.remaining)
        #expect(cycle?.checked == whole.cycle?.checked && cycle?.total == whole.cycle?.total)
      }
      // Then with no cycle open: every open case.
      if round == 0 {
        let left = whole.cases.map { ($0.summary.reference, "Not reached") }
        _ = try register.closeCycle(
          unchecked: Dictionary(uniqueKeysWithValues: left), note: nil, by: me, today: testToday)
      }
    }
    // An empty register: no batch, no cycle.
    var none = 0
    let blank = try TestRegister()
    let (cycle, count) = try blank.register.eachCaseToCheck(by: blank.register.session("mgr"), today: testToday) {
      none += $0.count
    }
    #expect(cycle == nil && count == 0 && none == 0)
  }
}

/// The list of cases, newest first, is read from an index (schema 22): the
/// same cases in the same order as sorting every case, for each filter.
struct CaseListOrderTests {
  @Test func each_filter_lists_the_newest_first_as_a_full_sort_does() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 300, seed: 7, in: dir)
    let me = try register.session("me")
    let filters: [(CaseStatus?, RAG?)] = [(nil, nil), (.open, nil), (.closed, nil), (.open, .red), (nil, .amber)]
    for (status, rag) in filters {
      var conditions: [String] = []
      if let status { conditions.append("status = '\(status.rawValue)'") }
      if let rag { conditions.append("rag = '\(rag.rawValue)'") }
      let expected = try sqlite3(
        register.path,
        "SELECT reference FROM cmeCase WHERE \((conditions + ["1"]).joined(separator: " AND ")) ORDER BY openedOn DESC, id DESC;"
      ).output.split(separator: "\n").map(String.init)
      #expect(!expected.isEmpty)
      let page = try register.listCases(status: status, rag: rag, by: me, limit: 25).map(\.reference.description)
      #expect(page == Array(expected.prefix(25)), "\(String(describing: status)) \(String(describing: rag))")
      let all = try register.listCases(status: status, rag: rag, by: me).map(\.reference.description)
      #expect(all == expected)
      // Read in order from an index: SQLite sorts nothing.
      let plan = try sqlite3(
        register.path,
        """
        EXPLAIN QUERY PLAN SELECT c.reference FROM cmeCase c JOIN child ch ON ch.id = c.childId
          WHERE \((conditions.map { "c." + $0 } + ["1"]).joined(separator: " AND ")) ORDER BY c.openedOn DESC, c.id DESC LIMIT 25;
        """
      ).output
      #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
    }
  }
}

/// Each cycle's progress is a tally kept by triggers (schema 26) as checks
/// are recorded and cases open, close and reopen. After every change on a
/// random register it must equal a count of the rows themselves.
struct CycleTallyTests {
  /// Each cycle's progress counted from the rows, written apart from the
  /// schema's own recount: "id|checked|toCheck|explained|action-required|escalated|withoutExplanation".
  func counted(_ path: String) throws -> [String] {
    try sqlite3(
      path,
      """
      SELECT y.id,
        (SELECT count(DISTINCT caseId) FROM registerCheck WHERE cycleId = y.id),
        CASE WHEN y.closedOn IS NULL
          THEN (SELECT count(*) FROM cmeCase c WHERE c.status = 'open'
            AND c.id NOT IN (SELECT caseId FROM registerCheck WHERE cycleId = y.id))
          ELSE (SELECT count(*) FROM registerCycleExemption WHERE cycleId = y.id) END,
        (SELECT count(*) FROM registerCheck k WHERE k.cycleId = y.id AND k.outcome = 'explained'
          AND NOT EXISTS (SELECT 1 FROM registerCheck n WHERE n.cycleId = y.id AND n.caseId = k.caseId AND n.id > k.id)),
        (SELECT count(*) FROM registerCheck k WHERE k.cycleId = y.id AND k.outcome = 'action-required'
          AND NOT EXISTS (SELECT 1 FROM registerCheck n WHERE n.cycleId = y.id AND n.caseId = k.caseId AND n.id > k.id)),
        (SELECT count(*) FROM registerCheck k WHERE k.cycleId = y.id AND k.outcome = 'escalated'
          AND NOT EXISTS (SELECT 1 FROM registerCheck n WHERE n.cycleId = y.id AND n.caseId = k.caseId AND n.id > k.id)),
        (SELECT count(*) FROM registerCheck k WHERE k.cycleId = y.id AND k.satisfactoryExplanation = 0
          AND NOT EXISTS (SELECT 1 FROM registerCheck n WHERE n.cycleId = y.id AND n.caseId = k.caseId AND n.id > k.id))
      FROM registerCycle y ORDER BY y.id;
      """
    ).output.split(separator: "\n").map(String.init)
  }

  func kept(_ path: String) throws -> [String] {
    try sqlite3(
      path,
      """
      SELECT cycleId, checked, toCheck, explained, actionRequired, escalated, withoutExplanation
      FROM registerCycleTally ORDER BY cycleId;
      """
    ).output.split(separator: "\n").map(String.init)
  }

  @Test(arguments: [11, 12])
  func the_tally_equals_a_count_of_the_rows_after_every_change(seed: UInt64) throws {
    let dir = TemporaryDirectory()
    let (register, me, checker) = try demoWithChecker(children: 300, seed: seed, in: dir)
    var rng = SeededRandom(seed: seed)
    var done: [String: Int] = [:]
    func open() throws -> [String] {
      try sqlite3(register.path, "SELECT reference FROM cmeCase WHERE status = 'open' ORDER BY id;").output
        .split(separator: "\n").map(String.init)
    }
    #expect(try kept(register.path) == counted(register.path), "the demo's cycle")
    for step in 0..<120 {
      let roll = Int.random(in: 0..<100, using: &rng)
      let cases = try open()
      let pick = try CaseReference.parse(cases.randomElement(using: &rng)!, field: "case")
      do {
        switch roll {
        case 0..<55:
          // A check, often of a case already checked in the cycle.
          let outcome = CheckOutcome.allCases.randomElement(using: &rng)!
          _ = try register.recordCheck(
            pick, outcome: outcome, note: "Check \(step)", rag: nil,
            explanation: outcome == .explained ? nil : Bool.random(using: &rng), by: checker, today: testToday)
          done["check", default: 0] += 1
        case 55..<70:
          _ = try register.closeCase(
            pick, outcome: .onRollLASchool,
            evidence: ClosureEvidence(
              text: "Hill Top Primary confirmed the start", school: "122345",
              startDate: LocalDate(year: 2026, month: 11, day: 10)), on: nil, by: me, today: testToday)
          done["close", default: 0] += 1
        case 70..<80:
          let closed = try sqlite3(
            register.path, "SELECT reference FROM cmeCase WHERE status = 'closed' ORDER BY id;"
          ).output.split(separator: "\n")
          guard let ref = closed.randomElement(using: &rng) else { continue }
          _ = try register.reopenCase(
            CaseReference.parse(String(ref), field: "case"), reason: "Left the school", on: nil, by: me,
            today: testToday)
          done["reopen", default: 0] += 1
        case 80..<92:
          let child = try register.addChild(
            Child(legalSurname: "Tally", legalForename: "Step \(step)", dateOfBirth: LocalDate(iso: "2015-05-05")!),
            by: me, today: testToday)
          _ = try register.openCase(CaseOpening(childId: child, reason: .whereaboutsUnknown), by: me, today: testToday)
          done["open", default: 0] += 1
        default:
          // The cycle closes, every unchecked case exempted, and the next starts.
          if try register.cycleStatus(by: me)?.cycle.isOpen == true {
            let left = try register.casesToCheck(by: me, today: testToday, limit: nil).cases
            _ = try register.closeCycle(
              unchecked: Dictionary(uniqueKeysWithValues: left.map { ($0.summary.reference, "Not reached") }),
              note: nil, by: me, today: testToday)
            done["closeCycle", default: 0] += 1
          }
          _ = try register.startCycle(by: me, today: testToday)
          done["startCycle", default: 0] += 1
        }
      } catch is InvalidInput {
        // A change the register refuses (a case that cannot close so) changes nothing.
      } catch is StoreError {
      } catch is AccessDenied {
      }
      let kept = try kept(register.path)
      #expect(kept == (try counted(register.path)), "step \(step), roll \(roll)")
      // What the register check shows is the tally.
      if let status = try register.cycleStatus(by: me), status.cycle.isOpen {
        let row = kept.first { $0.hasPrefix("\(status.cycle.id)|") }!.split(separator: "|").map { Int($0)! }
        #expect(status.checked == row[1] && status.total == row[1] + row[2], "step \(step)")
        #expect((status.byOutcome["explained"] ?? 0) == row[3] && status.withoutExplanation == row[6])
      }
    }
    // Every kind of change happened.
    for kind in ["check", "close", "reopen", "open", "closeCycle", "startCycle"] {
      #expect(done[kind, default: 0] > 0, "\(kind) never happened: \(done)")
    }
    #expect(try register.verifyAudit(by: me).isIntact)
  }

  @Test func verify_names_a_tally_changed_outside_cme_or_its_trigger_dropped() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 120, seed: 5, in: dir)
    let me = try register.session("me")
    #expect(try register.verifyAudit(by: me).isIntact)
    try sqlite3(register.path, "UPDATE registerCycleTally SET toCheck = toCheck + 3;")
    let changed = try register.verifyAudit(by: me)
    let (checked, toCheck) = try #require(
      try sqlite3(register.path, "SELECT checked, toCheck - 3 FROM registerCycleTally;").output
        .trimmingCharacters(in: .newlines).split(separator: "|").map { Int($0)! }.pairs)
    #expect(
      changed.problems == [
        "register-check cycle 1's tally of its progress disagrees with its checks (toCheck \(toCheck + 3), counted \(toCheck)); it was changed outside cme, or the tally's triggers were dropped"
      ])
    #expect(checked >= 0)
    // A tally edited to figures no register could hold is shown within
    // bounds, not a crash, and named by verify.
    try sqlite3(
      register.path, "UPDATE registerCycleTally SET checked = 9223372036854775000, toCheck = 9223372036854775000;")
    let huge = try #require(try register.cycleStatus(by: me))
    #expect((0...100).contains(huge.percent) && huge.total >= huge.checked)
    #expect(try register.verifyAudit(by: me).problems.first?.hasPrefix("register-check cycle 1's tally") == true)
    try sqlite3(register.path, "DROP TRIGGER cmeCase_tallyStatus; DELETE FROM registerCycleTally;")
    let dropped = try register.verifyAudit(by: me)
    #expect(
      dropped.problems == [
        "the trigger cmeCase_tallyStatus is missing; it was dropped outside cme, and the register check's progress is no longer kept",
        "register-check cycle 1 has no tally of its progress; it was removed outside cme, or the tally's triggers were dropped",
      ])
  }
}

extension Array where Element == Int {
  fileprivate var pairs: (Int, Int)? { count == 2 ? (self[0], self[1]) : nil }
}

/// A demo register, its manager, and a second manager who has worked none
/// of its cases and so may check any of them.
func demoWithChecker(children: Int, seed: UInt64, in dir: TemporaryDirectory) throws -> (
  Register, Session, Session
) {
  let register = try demoRegister(children: children, seed: seed, in: dir)
  _ = try register.addUser(name: "checker", role: .manager, by: register.session("cme-admin"))
  return (register, try register.session("me"), try register.session("checker"))
}

// The demo's own generator, for the standard library's helpers in tests (a
// test's changes need only be the same on every run of this build).
extension SeededRandom: RandomNumberGenerator {}
