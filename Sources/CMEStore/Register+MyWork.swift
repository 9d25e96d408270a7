import CMEDomain
import Foundation
import GRDB

/// A caseworker's or manager's own work today.
public struct MyWork: Sendable {
  /// Open cases they lead, worst first, each with its assessment (the
  /// worst `limit` of them).
  public var cases: [CaseToCheck]
  /// How many open cases they lead in all.
  public var totalCases: Int
  /// Open actions on the cases they lead that are overdue or due within a
  /// week, the most overdue first (the first `actionLimit` of them).
  public var actions: [ActionStatus]
  /// How many such actions there are in all, counted up to the bound given
  /// (``totalActionsBounded`` when there are more).
  public var totalActions: Int
  /// Whether there are more than ``totalActions`` such actions, the count
  /// having stopped at its bound.
  public var totalActionsBounded: Bool = false
  /// Statutory clocks on the cases shown that are overdue or due within a week.
  public var clocks: [(reference: String, clock: Clock)]
  /// Cases given to them by someone else since `since`.
  public var allocatedSince: [CaseSummary]
  /// When "since" counts from: their previous sign-in, if any.
  public var since: String?
}

extension Register {
  /// The open cases the session's user leads, what is due or overdue on
  /// them today, and the cases someone else gave them since `since`.
  ///
  /// Each case shown is assessed in full (its clocks, visits and actions),
  /// so only the worst `limit` are; the actions are those of every case
  /// (the first `actionLimit`, nil for all, with the count of all up to
  /// `actionCountBound`: a caseworker with 9,000 actions due is told "over
  /// 1,000", and the page does not count them all on every visit).
  public func myWork(
    by session: Session, today: LocalDate, since: String?, limit: Int? = 50, actionLimit: Int? = nil,
    actionCountBound: Int = 1000
  ) throws -> MyWork {
    try read(as: session, needs: .readRegister) { db in
      let me = try Register.current(session, in: db)
      let total = try Int.fetchOne(db, sql: Register.myOpenCasesCountSQL, arguments: [me.id]) ?? 0
      let summaries = try Register.caseSummaries(
        in: db, where: "c.status = 'open' AND c.leadCaseworkerId = ?", arguments: [me.id],
        order: CaseTable.worstFirst, limit: limit)
      let cases = try Register.assessTogether(summaries, in: db, today: today)
      var clocks: [(String, Clock)] = []
      for c in cases {
        for clock in c.assessment.clocks
        where clock.state == .overdue
          || (clock.state == .due && (clock.dueOn.map { $0.days(since: today) <= 7 } ?? false))
        {
          clocks.append((c.summary.reference, clock))
        }
      }
      let (actions, totalActions, bounded) = try Register.myDueActions(
        lead: me.id, today: today, limit: actionLimit, countBound: actionCountBound,
        inOrder: total >= Register.myDueActionsInOrderFrom, in: db)
      var allocated: [CaseSummary] = []
      if let since, !summaries.isEmpty {
        let given = Set(
          try Int64.fetchAll(
            db,
            sql: """
              SELECT DISTINCT caseId FROM auditEntry
              WHERE at > ? AND actor <> ? AND caseId IS NOT NULL AND action IN (?, ?, ?, ?, ?)
              """,
            arguments: [
              since, me.name, AuditAction.caseOpen.rawValue, AuditAction.caseUpdate.rawValue,
              AuditAction.intakeDeletionReturn.rawValue, AuditAction.intakeNewPupil.rawValue,
              AuditAction.intakeCTF.rawValue,
            ]))
        allocated = summaries.filter { given.contains($0.id) }
      }
      return MyWork(
        cases: cases, totalCases: total, actions: actions, totalActions: totalActions, totalActionsBounded: bounded,
        clocks: clocks, allocatedSince: allocated, since: since)
    }
  }
}

extension Register {
  /// How many open cases a user leads (from `cmeCase_leadWorstOpen`).
  static let myOpenCasesCountSQL = "SELECT count(*) FROM cmeCase WHERE status = 'open' AND leadCaseworkerId = ?"

  /// The live actions due within a week on the open cases `lead` leads,
  /// the most overdue first (the first `limit`, nil for all), with their
  /// count up to `countBound` and whether there are more.
  ///
  /// Two ways to the same list. `inOrder`, for a lead of many cases: read
  /// from ``myDueActionsIndex`` in the order listed, each action's case
  /// looked up as it comes, so the first page stops after its 100 actions
  /// and no list of 20,000 cases is built first. Otherwise from the lead's
  /// cases: reading every due action of the register in order would find
  /// few of theirs.
  static func myDueActions(
    lead: Int64, today: LocalDate, limit: Int?, countBound: Int, inOrder: Bool, in db: Database
  ) throws -> (actions: [ActionStatus], total: Int, bounded: Bool) {
    let due = inOrder ? myDueActionsInOrderCondition : myDueActionsByCaseCondition
    let index = inOrder ? myDueActionsIndex : nil
    let arguments: StatementArguments = [today.adding(days: 7).description, lead]
    let actions = try actionStatuses(
      where: due, arguments: arguments, in: db, today: today, limit: limit, indexedBy: index)
    // Counted again only when the list was cut short, and only so far.
    guard let limit, actions.count == limit else { return (actions, actions.count, false) }
    let bound = min(max(countBound, limit), searchLimitBound)
    let counted =
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM (
            SELECT 1 FROM caseAction a \(index.map { "INDEXED BY \($0) " } ?? "")WHERE \(due) LIMIT \(bound + 1))
          """, arguments: arguments) ?? 0
    return (actions, min(counted, bound), counted > bound)
  }

  /// From how many open cases a lead's actions due are read in order.
  static let myDueActionsInOrderFrom = 1000

  /// The live actions due by a day (the first argument) on the open cases a
  /// user (the second) leads, for a query calling the action table `a`, each
  /// action's case looked up as it comes (read from ``myDueActionsIndex``).
  static let myDueActionsInOrderCondition = """
    a.state IN ('open', 'accepted') AND a.dueOn <= ?
    AND (SELECT l.leadCaseworkerId FROM cmeCase l WHERE l.id = a.caseId AND l.status = 'open') = ?
    """

  /// The same actions, among the user's open cases: answered from the live
  /// actions' index, which holds the case, and the lead's open cases from
  /// theirs (schema 24).
  static let myDueActionsByCaseCondition = """
    a.state IN ('open', 'accepted') AND a.dueOn <= ?
    AND a.caseId IN (SELECT id FROM cmeCase WHERE status = 'open' AND leadCaseworkerId = ?)
    """

  /// The live actions by due date and id (schema 25). Named in the query:
  /// without statistics, SQLite prefers the index with more of the
  /// condition's columns, and would sort every due action to list 100.
  static let myDueActionsIndex = "caseAction_liveDue"

  /// Cases in a list, each with its assessment and last check, assessed
  /// together: their casework in a few queries for all of them, the
  /// calendar and settings read once.
  static func assessTogether(_ summaries: [CaseSummary], in db: Database, today: LocalDate) throws -> [CaseToCheck] {
    guard !summaries.isEmpty else { return [] }
    let ids = summaries.map { String($0.id) }.joined(separator: ",")
    let facts = Dictionary(
      try Register.caseFacts(ids: ids, in: db).map { ($0.caseRecord.id ?? 0, $0) },
      uniquingKeysWith: { a, _ in a })
    return try assessTogether(summaries.compactMap { s in facts[s.id].map { (s, $0) } }, in: db, today: today)
  }

  /// The cases whose ids `ids` lists, in that order, each with its line,
  /// assessment and last check: the lines made from the facts the
  /// assessment reads, without reading the cases again.
  static func assessTogether(ids: [Int64], in db: Database, today: LocalDate) throws -> [CaseToCheck] {
    guard !ids.isEmpty else { return [] }
    let facts = Dictionary(
      try Register.caseFacts(ids: ids, in: db).map {
        ($0.caseRecord.id ?? 0, $0)
      }, uniquingKeysWith: { a, _ in a })
    return try assessTogether(
      ids.compactMap { id in facts[id].map { (CaseSummary(case: $0.caseRecord, child: $0.child), $0) } }, in: db,
      today: today)
  }

  private static func assessTogether(_ cases: [(CaseSummary, CaseFacts)], in db: Database, today: LocalDate) throws
    -> [CaseToCheck]
  {
    guard !cases.isEmpty else { return [] }
    let ids = cases.map { String($0.0.id) }.joined(separator: ",")
    var lastChecks: [Int64: (String, CheckOutcome)] = [:]
    for r in try Row.fetchAll(
      db, sql: "SELECT caseId, checkedAt, outcome FROM registerCheck WHERE caseId IN (\(ids)) ORDER BY rowid")
    {
      if let outcome = CheckOutcome(rawValue: r["outcome"]) { lastChecks[r["caseId"]] = (r["checkedAt"], outcome) }
    }
    let calendar = try Register.calendar(in: db).calendar
    let settings = try Register.settings(in: db)
    return cases.map { s, f in
      let last = lastChecks[s.id]
      return CaseToCheck(
        summary: s, assessment: assessCase(f, today: today, calendar: calendar, settings: settings),
        daysOpen: f.caseRecord.daysOpen(on: today), age: f.child.dateOfBirth.age(on: today),
        lastCheckedAt: last?.0, lastOutcome: last?.1)
    }
  }
}

/// One person's caseload, as a manager sees the team.
public struct CaseloadLine: Sendable, Codable, Equatable {
  /// The lead caseworker; nil for the cases no one leads.
  public var lead: String?
  public var openCases: Int
  public var red: Int
  public var amber: Int
  public var green: Int
  /// Statutory clocks overdue on their cases.
  public var clocksOverdue: Int
  /// Actions on their cases still open past their due date.
  public var actionsOverdue: Int
  /// Of those, overdue beyond the escalation threshold.
  public var actionsToEscalate: Int
}

extension Register {
  /// The team's caseloads (managers): for each lead caseworker, and for the
  /// cases no one leads, the open cases by rating, the clocks and actions
  /// overdue. Every open case is assessed, a batch at a time (each batch in
  /// a few queries).
  public func team(by session: Session, today: LocalDate, batch: Int = Register.factsBatch) throws -> [CaseloadLine] {
    let file = path
    return try read(as: session, needs: .runRegisterCycle) { db in
      var lines: [String?: CaseloadLine] = [:]
      func line(_ lead: String?) -> CaseloadLine {
        lines[lead]
          ?? CaseloadLine(
            lead: lead, openCases: 0, red: 0, amber: 0, green: 0, clocksOverdue: 0, actionsOverdue: 0,
            actionsToEscalate: 0)
      }
      // The open cases assessed a batch at a time: a register's worth of
      // assessments is not held at once.
      var leadOfCase: [String: String?] = [:]
      let ids = try Int64.fetchAll(db, sql: "SELECT id FROM cmeCase WHERE status = 'open' ORDER BY id")
      try Register.readAhead(
        Register.idBatches(ids, batch: batch), file: file, in: db,
        produce: { own, part in try Register.assessTogether(ids: part, in: own, today: today) }
      ) { batch in
        for c in batch {
          leadOfCase[c.summary.reference] = c.summary.leadCaseworker
          var l = line(c.summary.leadCaseworker)
          l.openCases += 1
          switch c.summary.rag {
          case .red: l.red += 1
          case .amber: l.amber += 1
          case .green: l.green += 1
          case nil: break
          }
          l.clocksOverdue += c.assessment.clocks.filter { $0.state == .overdue }.count
          lines[c.summary.leadCaseworker] = l
        }
      }
      let actions = try Register.actionStatuses(
        where:
          "a.state IN ('open', 'accepted') AND a.dueOn < ? AND a.caseId IN (SELECT id FROM cmeCase WHERE status = 'open')",
        arguments: [today.description], in: db, today: today)
      for a in actions {
        let lead = leadOfCase[a.action.caseReference] ?? nil
        var l = line(lead)
        l.actionsOverdue += 1
        if a.escalate { l.actionsToEscalate += 1 }
        lines[lead] = l
      }
      // Busiest first; the cases no one leads last.
      return lines.values.sorted {
        ($0.lead == nil ? 1 : 0, -$0.openCases, $0.lead ?? "") < ($1.lead == nil ? 1 : 0, -$1.openCases, $1.lead ?? "")
      }
    }
  }
}
