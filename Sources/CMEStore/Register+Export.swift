import CMEAudit
import CMEDomain
import Foundation
import GRDB

/// Everything the register holds on one child, for a subject-access request.
public struct SubjectAccessExport: Sendable, Codable {
  public var madeAt: String
  public var madeBy: String
  public var child: Child
  public var cases: [CaseDetail]
  public var boardDecisions: [[String: String]]
  public var importRows: [[String: String]]
  /// Every audit entry about the child or their cases, including who viewed the record.
  public var auditEntries: [AuditRecord]

  public struct AuditRecord: Sendable, Codable {
    public var sequence: Int64
    public var at: String
    public var actor: String
    public var action: String
    public var entity: String
    public var entityId: String
    public var reason: String?
    public var before: String?
    public var after: String?
  }
}

extension Register {
  /// The columns of a case export; the special-category ones only when asked for.
  public static func caseExportColumns(specialCategory: Bool) -> [String] {
    [
      "case", "status", "opened", "closed", "outcome", "reason", "source", "ground", "rag", "whereabouts", "lead",
      "child",
      "surname", "forename", "date_of_birth", "sex", "upn", "postcode", "last_school", "looked_after",
      "child_protection_plan",
      "child_in_need",
    ]
      + (specialCategory ? ["ethnicity", "religion", "sen_provision", "disability", "sexual_orientation"] : [])
  }

  /// Cases as rows for export, with each child's identifying details: a
  /// manager's, for a stated reason, logged with it. Special-category
  /// columns are asked for separately. An export of more cases than the
  /// `export.rowsWithoutConfirmation` setting needs `confirmedRows` to be
  /// the number it holds, so that nobody takes the register by accident.
  ///
  /// `deliver` is called with the rows inside the transaction, after the
  /// entry is appended and before it commits: a front end writes the file
  /// there (complete and synced under a temporary name), so that the entry
  /// commits only once the file exists, and anything `deliver` throws rolls
  /// the entry back.
  public func exportCases(
    status: CaseStatus?, specialCategory: Bool, format: String, reason: String, confirmedRows: Int? = nil,
    by session: Session, deliver: ([[String]]) throws -> Void = { _ in }
  ) throws -> [[String]] {
    let reason = try requireText(reason, field: "reason", what: "the reason for the export")
    return try write(as: session, needs: .exportIdentifiable, entriesOnly: true) { db, audit in
      if specialCategory { try audit.actor.require(.exportSpecialCategory) }
      var condition = "1"
      var args: [any DatabaseValueConvertible] = []
      if let status {
        condition = "c.status = ?"
        args.append(status.rawValue)
      }
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT c.reference, c.status, c.openedOn, c.closedOn, c.outcome, c.reason, c.referralSource, c.groundRegime, c.ground, c.rag,
            c.whereaboutsKnown, lead.name AS lead, ch.id AS childId, ch.legalSurname, ch.legalForename, ch.dateOfBirth, ch.sex, ch.upn,
            (SELECT postcode FROM childAddress a WHERE a.childId = ch.id AND a.toDate IS NULL ORDER BY a.fromDate DESC, a.id DESC LIMIT 1) AS postcode,
            ch.lastSchool, ch.lookedAfter, ch.childProtectionPlan, ch.childInNeed, ch.ethnicity, ch.religion, ch.senProvision, ch.disability,
            ch.sexualOrientation
          FROM cmeCase c JOIN child ch ON ch.id = c.childId LEFT JOIN user lead ON lead.id = c.leadCaseworkerId
          WHERE \(condition) ORDER BY c.reference
          """, arguments: StatementArguments(args))
      let out: [[String]] = rows.map { r in
        func s(_ k: String) -> String { (r[k] as String?) ?? "" }
        func b(_ k: String) -> String { (r[k] as Bool?).map { $0 ? "yes" : "no" } ?? "" }
        var line = [
          s("reference"), s("status"), s("openedOn"), s("closedOn"), s("outcome"), s("reason"), s("referralSource"),
          (r["groundRegime"] as String?).map { "\($0):\(s("ground"))" } ?? "", s("rag"),
          (r["whereaboutsKnown"] as Bool) ? "known" : "unknown",
          s("lead"), String(r["childId"] as Int64), s("legalSurname"), s("legalForename"), s("dateOfBirth"), s("sex"),
          s("upn"), s("postcode"),
          s("lastSchool"), b("lookedAfter"), b("childProtectionPlan"), b("childInNeed"),
        ]
        if specialCategory {
          line += [s("ethnicity"), s("religion"), s("senProvision"), s("disability"), s("sexualOrientation")]
        }
        return line
      }
      let cap = try Register.settings(in: db).exportRowsWithoutConfirmation
      if out.count > cap && confirmedRows != out.count {
        throw InvalidInput(
          field: "confirmedRows",
          problem:
            "this export holds \(out.count) cases with children's names, dates of birth and addresses, more than \(cap)",
          fix: "Confirm the number of cases, \(out.count), to export them all, or export fewer (open cases only)")
      }
      try audit.append(
        action: .exportCases, entity: "case", entityId: "*",
        reason: specialCategory ? "\(reason) (with special-category data)" : reason,
        after: [
          "rows": String(out.count), "status": status?.rawValue ?? "all", "format": format,
          "specialCategory": specialCategory ? "yes" : "no",
        ])
      try deliver(out)
      return out
    }
  }

  /// Everything held on a child: the record, every case with its history,
  /// visits, enquiries, actions and checks, board decisions, intake rows and
  /// every audit entry about them (including views). Managers only; logged.
  /// `deliver` is called with the export before the entry commits, as for
  /// ``exportCases(status:specialCategory:format:by:deliver:)``.
  public func subjectAccessExport(
    childId: Int64, by session: Session, today: LocalDate, deliver: (SubjectAccessExport) throws -> Void = { _ in }
  ) throws -> SubjectAccessExport {
    try write(as: session, needs: .subjectAccess, entriesOnly: true) { db, audit in
      let child = try Register.child(id: childId, in: db)
      var cases: [CaseDetail] = []
      for ref in try String.fetchAll(
        db, sql: "SELECT reference FROM cmeCase WHERE childId = ? ORDER BY id", arguments: [childId])
      {
        let c = try Register.fetchCase(try CaseReference.parse(ref, field: ""), in: db)
        cases.append(try Register.caseDetail(c, child: child, in: db, today: today))
      }
      let decisions = try Row.fetchAll(
        db,
        sql: """
          SELECT m.meetingDate, c.reference, d.decision, d.note, u.name FROM boardDecision d JOIN cmeCase c ON c.id = d.caseId
          JOIN boardMeeting m ON m.id = d.meetingId JOIN user u ON u.id = d.byUserId WHERE c.childId = ? ORDER BY d.id
          """, arguments: [childId]
      ).map {
        [
          "meeting": $0["meetingDate"] as String, "case": $0["reference"] as String,
          "decision": $0["decision"] as String, "note": $0["note"] as String, "by": $0["name"] as String,
        ]
      }
      let intake = try Row.fetchAll(
        db,
        sql:
          "SELECT f.name, r.line, r.outcome, r.flags FROM importRow r JOIN importFile f ON f.id = r.fileId WHERE r.childId = ? ORDER BY f.id, r.line",
        arguments: [childId]
      ).map {
        [
          "file": $0["name"] as String, "line": String($0["line"] as Int), "outcome": $0["outcome"] as String,
          "flags": ($0["flags"] as String).replacingOccurrences(of: ImportSummary.flagSeparator, with: "; "),
        ]
      }
      let entries = try Row.fetchAll(
        db,
        sql:
          "SELECT * FROM auditEntry WHERE childId = ? OR caseId IN (SELECT id FROM cmeCase WHERE childId = ?) ORDER BY seq",
        arguments: [childId, childId]
      ).map {
        SubjectAccessExport.AuditRecord(
          sequence: $0["seq"], at: $0["at"], actor: $0["actor"], action: $0["action"], entity: $0["entity"],
          entityId: $0["entityId"],
          reason: $0["reason"], before: $0["before"], after: $0["after"])
      }
      try audit.append(
        action: .exportSubjectAccess, entity: "child", entityId: String(childId), childId: childId,
        reason: "subject-access request")
      let export = SubjectAccessExport(
        madeAt: audit.at, madeBy: audit.actor.name, child: child, cases: cases, boardDecisions: decisions,
        importRows: intake, auditEntries: entries)
      try deliver(export)
      return export
    }
  }
}
