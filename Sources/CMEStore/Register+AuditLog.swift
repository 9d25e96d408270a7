import CMEAudit
import CMEDomain
import Foundation
import GRDB

// Reading the log: what the register recorded about a case or a child.
extension Register {
  /// The kinds of record an admin may see the payloads of: the register's
  /// own workings, never a child or a case.
  static let adminVisibleEntities: Set<String> = [
    "user", "setting", "calendar", "register", "registerCycle", "baseline", "boardMeeting", "auditLog", "webSession",
  ]

  /// Audit entries, newest last, about one case or one child (or all).
  ///
  /// Reading the log is itself logged (`audit.read`, with what was asked
  /// for). An admin keeps the log but does not work cases: for them, the
  /// payloads and reasons of entries about children and cases are withheld.
  public func auditLog(caseReference: CaseReference?, childId: Int64?, by session: Session, limit: Int?) throws
    -> [AuditEntry]
  {
    return try write(as: session, needs: .readAuditLog, entriesOnly: true) { db, audit in
      let withhold = audit.actor.role == .admin
      var condition = "1"
      var args: [any DatabaseValueConvertible] = []
      var caseId: Int64?
      if let caseReference {
        let c = try Register.fetchCase(caseReference, in: db)
        condition += " AND caseId = ?"
        args.append(c.id!)
        caseId = c.id
      }
      if let childId {
        _ = try Register.child(id: childId, in: db)
        condition += " AND childId = ?"
        args.append(childId)
      }
      let limitClause = limit.map { "LIMIT \($0)" } ?? ""
      let entries = try Row.fetchAll(
        db,
        sql:
          "SELECT * FROM (SELECT * FROM auditEntry WHERE \(condition) ORDER BY seq DESC \(limitClause)) ORDER BY seq",
        arguments: StatementArguments(args)
      ).map {
        var entry = AuditEntry(
          sequence: $0["seq"], at: $0["at"], actor: $0["actor"], action: $0["action"], entity: $0["entity"],
          entityId: $0["entityId"], childId: $0["childId"], caseId: $0["caseId"], reason: $0["reason"],
          before: $0["before"], after: $0["after"], channel: $0["channel"])
        if withhold && !Register.adminVisibleEntities.contains(entry.entity) {
          entry.reason = "(withheld: an admin does not see what is recorded about children and cases)"
          entry.before = nil
          entry.after = nil
        }
        return entry
      }
      try audit.append(
        action: .auditRead, entity: "auditLog", entityId: caseReference?.description ?? childId.map(String.init) ?? "*",
        childId: childId, caseId: caseId,
        after: [
          "case": caseReference?.description ?? "", "child": childId.map(String.init) ?? "",
          "limit": limit.map(String.init) ?? "all", "entries": String(entries.count),
        ])
      return entries
    }
  }
}
