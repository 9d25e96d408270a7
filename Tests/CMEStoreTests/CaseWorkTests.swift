import CMEDomain
import CMETestSupport
import Foundation
import GRDB
import Testing

@testable import CMEStore

/// Each case's kept casework (`caseWork`, kept by `schema.sql`'s triggers)
/// against the casework read from the rows themselves, as assessments read
/// it before it was kept.
struct CaseWorkTests {
  /// The casework of every case, read from its visits, actions, enquiries,
  /// illness spells and milestones: the reading the kept rows replace,
  /// written apart from the schema's own recount.
  static func counted(in db: Database) throws -> [Int64: CaseFacts.Casework] {
    var casework: [Int64: CaseFacts.Casework] = [:]
    var latest: [Int64] = []
    for r in try Row.fetchAll(
      db,
      sql:
        "SELECT caseId, id, type = 'home-visit', date, childSeen FROM visit ORDER BY caseId, date DESC, time DESC, id DESC"
    ) {
      let id: Int64 = r[0]
      if casework[id] == nil {
        casework[id] = .init()
        latest.append(r[1])
      }
      if r[2] { casework[id]?.firstHomeVisit = try Register.date(r[3]) }
      if (r[4] as Bool?) == true, casework[id]?.lastSeen == nil { casework[id]?.lastSeen = try Register.date(r[3]) }
    }
    let n = Register.visitColumnCount
    try RawRow.each(
      db,
      sql: """
        SELECT \(Register.visitColumns), v.caseId, k.reference
        FROM visit v JOIN user u ON u.id = v.byUserId JOIN cmeCase k ON k.id = v.caseId
        WHERE v.id IN (\(latest.map(String.init).joined(separator: ",")))
        """
    ) { r in
      casework[r.int64(n)]?.lastContact = try Register.decodeVisit(r, reference: r.text(n + 1, "case reference"))
    }
    for r in try Row.fetchAll(db, sql: "SELECT caseId, dueOn FROM caseAction WHERE state IN ('open', 'accepted')") {
      casework[r[0], default: .init()].liveActionsDue.append(try Register.storedDate(r[1]))
    }
    for r in try Row.fetchAll(db, sql: "SELECT caseId, item, state, doneOn FROM enquiry") {
      let item = try #require(EnquiryItem(rawValue: r[1]))
      if (r[2] as String) == "done" {
        casework[r[0], default: .init()].enquiriesDone.insert(item)
        if item == .lostPupilCTF { casework[r[0], default: .init()].ctfSentOn = try Register.date(r[3]) }
      } else {
        casework[r[0], default: .init()].enquiriesNotApplicable.insert(item)
      }
    }
    for r in try Row.fetchAll(
      db, sql: "SELECT caseId, fromDate, toDate FROM illnessSpell ORDER BY caseId, fromDate, id")
    {
      casework[r[0], default: .init()].illnessSpells.append(
        IllnessSpell(from: try Register.storedDate(r[1]), to: try Register.date(r[2])))
    }
    for r in try Row.fetchAll(db, sql: "SELECT caseId, kind, onDate FROM caseMilestone") {
      let day = try Register.date(r[2])
      switch r[1] as String {
      case "ill-since": casework[r[0], default: .init()].illSince = day
      case "fair-access-referred": casework[r[0], default: .init()].fairAccessReferredOn = day
      default: casework[r[0], default: .init()].leaveEndedOn = day
      }
    }
    for id in casework.keys { casework[id]?.liveActionsDue.sort() }
    return casework
  }

  /// The kept casework of every case, as assessments read it, with
  /// nothing recorded where a case has no row or an empty one.
  static func kept(in db: Database) throws -> [Int64: CaseFacts.Casework] {
    try Register.casework(ofCasesWhere: "1", arguments: [], in: db).filter { $0.value != .init() }
  }

  static func compare(_ register: Register, _ what: Comment) throws {
    try register.read { db in
      let kept = try kept(in: db)
      let counted = try counted(in: db)
      #expect(kept.count == counted.count, what)
      for (id, work) in counted where kept[id] != work {
        #expect(kept[id] == work, "case id \(id): \(what)")
        break
      }
      #expect(try Register.caseWorkProblems(in: db).isEmpty, what)
    }
  }

  @Test(arguments: [21, 22])
  func the_kept_casework_equals_the_rows_after_every_change(seed: UInt64) throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 150, seed: seed, in: dir)
    let me = try register.session("me")
    var rng = SeededRandom(seed: seed)
    var done: [String: Int] = [:]
    try Self.compare(register, "the demo")
    // Mostly open cases (a closed case refuses most casework), some closed.
    let references = try sqlite3(
      register.path, "SELECT reference FROM cmeCase WHERE status = 'open' OR id % 5 = 0 ORDER BY id;"
    ).output.split(separator: "\n").map { try CaseReference.parse(String($0), field: "case") }
    func day(_ back: Int) -> LocalDate { testToday.adding(days: -Int.random(in: 0...back, using: &rng)) }
    for step in 0..<150 {
      let pick = references.randomElement(using: &rng)!
      let roll = Int.random(in: 0..<100, using: &rng)
      do {
        switch roll {
        case 0..<30:
          // A visit or contact, often on a day that already has one, with or without a time.
          let type = VisitType.allCases.randomElement(using: &rng)!
          let time = Bool.random(using: &rng) ? nil : ["09:00", "09:30", "14:15"].randomElement(using: &rng)!
          let seen: Bool? = [true, false, nil].randomElement(using: &rng)!
          _ = try register.logVisit(
            pick, type: type, date: day(20), time: time, childSeen: seen, outcome: "Step \(step)", nextStep: nil,
            agency: nil, by: me, today: testToday)
          done["visit", default: 0] += 1
        case 30..<45:
          let item = EnquiryItem.allCases.randomElement(using: &rng)!
          try register.markEnquiryDone(
            pick, item: item, result: "Step \(step)", visitId: nil, on: day(30), by: me, today: testToday)
          done["enquiry done", default: 0] += 1
        case 45..<55:
          let item = EnquiryItem.allCases.randomElement(using: &rng)!
          try register.markEnquiryNotApplicable(pick, item: item, reason: "Step \(step)", by: me)
          done["enquiry n/a", default: 0] += 1
        case 55..<70:
          _ = try register.addAction(
            pick, agency: .health, description: "Step \(step)",
            due: testToday.adding(days: Int.random(in: 0...20, using: &rng)),
            owner: nil, by: me, today: testToday)
          done["action", default: 0] += 1
        case 70..<82:
          let live = try register.listActions(
            case: pick, agency: nil, overdueOnly: false, owner: nil, includeFinished: false, by: me, today: testToday)
          guard let action = live.randomElement(using: &rng) else { continue }
          let state = [ActionState.accepted, .done, .declined, .cancelled].randomElement(using: &rng)!
          _ = try register.moveAction(action.action.id, to: state, note: "Step \(step)", by: me, today: testToday)
          done["action moved", default: 0] += 1
        case 82..<90:
          let from = day(60)
          let to: LocalDate? = Bool.random(using: &rng) ? nil : from.adding(days: Int.random(in: 0...5, using: &rng))
          _ = try register.recordIllness(pick, from: from, to: to.map { min($0, testToday) }, by: me, today: testToday)
          done["illness", default: 0] += 1
        default:
          let which = Int.random(in: 0..<3, using: &rng)
          _ = try register.updateCase(
            pick, whereaboutsKnown: nil, lead: nil, illSince: which == 0 ? day(40) : nil,
            fairAccessReferred: which == 1 ? day(40) : nil, leaveEnded: which == 2 ? day(40) : nil,
            reason: "Step \(step)", by: me, today: testToday)
          done["milestone", default: 0] += 1
        }
      } catch is InvalidInput {
        // A change the register refuses (most casework on a closed case) changes nothing.
      } catch is StoreError {
      }
      try Self.compare(register, "step \(step), roll \(roll)")
    }
    for kind in ["visit", "enquiry done", "enquiry n/a", "action", "action moved", "illness", "milestone"] {
      #expect(done[kind, default: 0] > 0, "\(kind) never happened: \(done)")
    }
    #expect(try register.verifyAudit(by: me).isIntact)
  }

  @Test func a_case_is_assessed_alike_from_the_kept_casework_and_from_its_rows() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 200, seed: 23, in: dir)
    try register.read { db in
      let counted = try Self.counted(in: db)
      let calendar = try Register.calendar(in: db).calendar
      var assessed = 0
      for var facts in try Register.caseFacts(where: "1", arguments: [], in: db) {
        let kept = assessCase(facts, today: testToday, calendar: calendar)
        facts.casework = counted[facts.caseRecord.id!] ?? .init()
        let fromRows = assessCase(facts, today: testToday, calendar: calendar)
        #expect(kept.suggestion == fromRows.suggestion, "\(facts.caseRecord.reference)")
        #expect(kept.clocks == fromRows.clocks, "\(facts.caseRecord.reference)")
        assessed += 1
      }
      #expect(assessed > 150)
    }
  }

  @Test func a_kept_row_that_cannot_be_read_is_refused_in_words() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 60, seed: 7, in: dir)
    let me = try register.session("me")
    let reference = try sqlite3(
      register.path,
      "SELECT c.reference FROM caseWork w JOIN cmeCase c ON c.id = w.caseId WHERE c.status = 'open' ORDER BY c.id LIMIT 1;"
    ).output.trimmingCharacters(in: .newlines)
    let ref = try CaseReference.parse(reference, field: "case")
    for (column, value, said) in [
      ("liveActionsDue", "2026-12-01,2026-13-01", "2026-13-01"), ("lastSeen", "yesterday", "yesterday"),
      ("illnessSpells", "2026-11-02/2026-11-03/2026-11-04", "2026-11-02/2026-11-03/2026-11-04"),
    ] {
      try sqlite3(
        register.path,
        "UPDATE caseWork SET \(column) = '\(value)' WHERE caseId = (SELECT id FROM cmeCase WHERE reference = '\(reference)');"
      )
      #expect(throws: StoreError.self) { try register.assessment(ref, by: me, today: testToday) }
      do {
        _ = try register.assessment(ref, by: me, today: testToday)
      } catch {
        #expect("\(error)".contains(said), "\(column): \(error)")
      }
      try sqlite3(
        register.path,
        "DELETE FROM caseWork WHERE caseId = (SELECT id FROM cmeCase WHERE reference = '\(reference)'); INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId = (SELECT id FROM cmeCase WHERE reference = '\(reference)');"
      )
    }
    #expect(try register.verifyAudit(by: me).isIntact)
  }

  @Test func verify_names_kept_casework_changed_outside_cme_or_its_trigger_dropped() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 120, seed: 5, in: dir)
    let me = try register.session("me")
    #expect(try register.verifyAudit(by: me).isIntact)
    let (id, reference) = try #require(
      try sqlite3(
        register.path,
        "SELECT c.id, c.reference FROM caseWork w JOIN cmeCase c ON c.id = w.caseId WHERE w.lastSeen IS NOT NULL ORDER BY c.id LIMIT 1;"
      ).output.trimmingCharacters(in: .newlines).split(separator: "|").map(String.init).pair)
    // A hand edit that would make a child look seen on a day they were not,
    // and a home visit made that was not.
    try sqlite3(
      register.path, "UPDATE caseWork SET lastSeen = '1999-01-01', firstHomeVisit = '1999-01-01' WHERE caseId = \(id);")
    #expect(
      try register.verifyAudit(by: me).problems == [
        "case \(reference)'s kept casework disagrees with its rows (firstHomeVisit, lastSeen); it was changed outside cme, or the triggers that keep it were dropped"
      ])
    try sqlite3(
      register.path, "DELETE FROM caseWork WHERE caseId = \(id); INSERT INTO caseWork (caseId) VALUES (999999);")
    let removed = try register.verifyAudit(by: me).problems
    #expect(removed.contains { $0.hasPrefix("case \(reference)'s kept casework disagrees with its rows (") })
    #expect(
      removed.contains(
        "the kept casework has a row for case id 999999, which is not in the register; it was added outside cme"))
    try sqlite3(
      register.path,
      "DELETE FROM caseWork WHERE caseId = 999999; INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId = \(id); DROP TRIGGER visit_caseWorkInsert;"
    )
    #expect(
      try register.verifyAudit(by: me).problems == [
        "the trigger visit_caseWorkInsert is missing; it was dropped outside cme, and the casework that cases are assessed by is no longer kept"
      ])
  }
}

extension Array where Element == String {
  fileprivate var pair: (Int64, String)? { count == 2 ? Int64(self[0]).map { ($0, self[1]) } : nil }
}

struct BulkFillTests {
  /// The fills a bulk load runs are the schema's own statements, not a line
  /// of a trigger's body.
  @Test func the_bulk_fills_are_the_schemas_top_level_statements() {
    #expect(
      Schema.caseWorkFill.hasPrefix("INSERT INTO caseWork SELECT * FROM caseWorkRecount\nWHERE coalesce(firstHomeVisit")
    )
    #expect(!Schema.caseWorkFill.contains("NEW.caseId"))
    #expect(Schema.nameIndexFill == "INSERT INTO childNameIndex (rowid, names) SELECT id, names FROM childNameText")
  }
}
