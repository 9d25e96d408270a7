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
  /// Open actions on those cases, the most overdue first.
  public var actions: [ActionStatus]
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
  /// so only the worst `limit` are; the actions are listed for every case.
  public func myWork(by session: Session, today: LocalDate, since: String?, limit: Int? = 50) throws -> MyWork {
    try read(as: session, needs: .readRegister) { db in
      let me = try Register.current(session, in: db)
      let total =
        try Int.fetchOne(
          db, sql: "SELECT count(*) FROM cmeCase WHERE status = 'open' AND leadCaseworkerId = ?", arguments: [me.id])
        ?? 0
      let summaries = try Register.caseSummaries(
        in: db, where: "c.status = 'open' AND c.leadCaseworkerId = ?", arguments: [me.id],
        order: CaseTable.worstFirst, limit: limit)
      var cases: [CaseToCheck] = []
      var clocks: [(String, Clock)] = []
      for s in summaries {
        let c = try Register.fetchCase(CaseReference.parse(s.reference, field: "case"), in: db)
        let child = try Register.child(id: s.childId, in: db)
        let assessment = try Register.assess(c, child: child, in: db, today: today)
        let last = try RegisterCheckRow.all().of(caseId: s.id).reversed().fetchOne(db)
        cases.append(
          CaseToCheck(
            summary: s, assessment: assessment, daysOpen: c.daysOpen(on: today),
            age: child.dateOfBirth.age(on: today), lastCheckedAt: last?.checkedAt, lastOutcome: last?.outcome))
        for clock in assessment.clocks
        where clock.state == .overdue
          || (clock.state == .due && (clock.dueOn.map { $0.days(since: today) <= 7 } ?? false))
        {
          clocks.append((s.reference, clock))
        }
      }
      let actions = try Register.actionStatuses(
        where: """
          a.state IN ('open', 'accepted')
          AND a.caseId IN (SELECT id FROM cmeCase WHERE status = 'open' AND leadCaseworkerId = ?)
          """, arguments: [me.id], in: db, today: today
      )
      .sorted { ($0.action.dueOn, $0.action.id) < ($1.action.dueOn, $1.action.id) }
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
        cases: cases, totalCases: total, actions: actions, clocks: clocks, allocatedSince: allocated, since: since)
    }
  }
}
