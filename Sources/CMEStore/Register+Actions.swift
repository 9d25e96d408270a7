import CMEDomain
import Foundation
import GRDB

/// An action with how late it is.
public struct ActionStatus: Sendable, Codable {
  public var action: CaseAction
  public var schoolDaysOverdue: Int
  /// Overdue beyond the escalation threshold.
  public var escalate: Bool
}

// Multi-agency actions on a case: raised, moved through their states, listed.
extension Register {
  /// Raises an action for a partner agency.
  /// With `agreedOn`, an action agreed earlier (at a meeting, on a call) is
  /// recorded with that day as the day it was raised (within limits:
  /// ``ActionRules/validateAgreed(_:description:dueOn:caseOpenedOn:today:)``);
  /// the log keeps when it was recorded.
  public func addAction(
    _ reference: CaseReference, agency: Agency, description: String, due: LocalDate, owner: String?,
    agreedOn: LocalDate? = nil, professional professionalId: Int64? = nil, by session: Session,
    today: LocalDate
  ) throws -> CaseAction {
    try write(as: session, needs: .writeCases) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      if let agreedOn {
        try ActionRules.validateAgreed(
          agreedOn, description: description, dueOn: due, caseOpenedOn: c.openedOn, today: today)
      }
      var owner = owner
      if let professionalId {
        let p = try Register.currentProfessional(professionalId, ofChild: c.childId, in: db)
        owner = owner ?? p.name
      }
      return try Register.performAddAction(
        c, agency: agency, description: description, due: due, owner: owner, today: today, raisedOn: agreedOn,
        professionalId: professionalId, in: db, audit: &audit)
    }
  }

  /// The professional `id` around the child `childId` who still works with
  /// them; refused with the reason otherwise.
  static func currentProfessional(_ id: Int64, ofChild childId: Int64, in db: Database) throws -> Professional {
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM professional WHERE id = ?", arguments: [id]),
      (row["childId"] as Int64) == childId
    else {
      throw InvalidInput(
        field: "professional", problem: "professional \(id) is not one of this child's professionals",
        fix: "Give the id of one of the professionals the child's record lists, or add them to the record first",
        next: .showChild(childId))
    }
    let p = try Register.professional(from: row)
    if let ended = p.endedOn {
      throw InvalidInput(
        field: "professional", problem: "\(p.name) stopped working with the child on \(ended)",
        fix: "Name a professional who works with the child now")
    }
    return p
  }

  /// Raises an action inside a write transaction (also used by board decisions).
  static func performAddAction(
    _ c: CMECase, agency: Agency, description: String, due: LocalDate, owner: String?, today: LocalDate,
    raisedOn: LocalDate? = nil, professionalId: Int64? = nil, in db: Database,
    audit: inout AuditWriter
  ) throws -> CaseAction {
    if raisedOn == nil { try ActionRules.validateNew(description: description, dueOn: due, today: today) }
    guard c.status == .open else {
      throw StoreError.conflict("\(c.reference) is closed; reopen it before raising actions")
    }
    var a = try insertAction(
      c, agency: agency, description: description, due: due, owner: owner, today: raisedOn ?? today,
      professionalId: professionalId, in: db, audit: audit)
    if professionalId != nil {
      a.professional = try Register.actions(where: "a.id = ?", arguments: [a.id], in: db).first?.professional
    }
    try audit.append(
      action: .actionAdd, entity: "action", entityId: String(a.id), childId: c.childId, caseId: c.id, after: a)
    return a
  }

  /// Writes a new action's rows, for the next entry to record.
  static func insertAction(
    _ c: CMECase, agency: Agency, description: String, due: LocalDate, owner: String?, today: LocalDate,
    professionalId: Int64? = nil, in db: Database, audit: AuditWriter
  ) throws -> CaseAction {
    let description = description.trimmingCharacters(in: .whitespacesAndNewlines)
    let owner = try optionalText(owner, field: "owner", kind: .name)
    let id = try ActionTable.insert(
      caseId: c.id!, agency: agency, description: description, dueOn: due, owner: owner,
      raisedById: audit.actor.id, raisedOn: today, professionalId: professionalId, auditSeq: audit.nextSequence,
      in: db)
    try ActionTable.insertEvent(
      actionId: id, state: .open, byUserId: audit.actor.id, at: audit.at, auditSeq: audit.nextSequence, in: db)
    return CaseAction(
      id: id, caseReference: c.reference, agency: agency, description: description, dueOn: due,
      owner: owner,
      state: .open, note: nil, raisedBy: audit.actor.name, raisedOn: today)
  }

  /// Raises the safeguarding referrals the child's record calls for on
  /// their open case `c` that are not open already
  /// (``SafeguardingWork/referralsToRaise(for:open:)``), due the next school
  /// day. The rows are recorded by the entry that follows: the case's
  /// opening, or the change to the child's record that called for them.
  static func raiseReferrals(
    for child: Child, on c: CMECase, today: LocalDate, in db: Database, audit: AuditWriter
  ) throws -> [CaseAction] {
    // Most children need no referral: then nothing is read (an import opens
    // cases by the thousand).
    guard !SafeguardingWork.referrals(for: child).isEmpty else { return [] }
    let open = try Register.actions(
      where: "a.caseId = ? AND a.state IN ('open', 'accepted')", arguments: [c.id], in: db
    ).map { (agency: $0.agency, description: $0.description) }
    let due = SafeguardingWork.referralDue(today: today, calendar: try Register.calendar(in: db).calendar)
    return try SafeguardingWork.referralsToRaise(for: child, open: open).map { w in
      try insertAction(
        c, agency: w.agency, description: w.description, due: due, owner: w.owner, today: today, in: db, audit: audit)
    }
  }

  /// Moves an action on: accepted, declined (reason), done (outcome) or cancelled (reason).
  /// With `occurredOn`, a change that happened earlier (the partner did it
  /// on Tuesday, it is recorded on Friday) keeps that day beside the time
  /// it was recorded (within ``ActionRules/validateOccurred(_:raisedOn:today:)``).
  public func moveAction(
    _ id: Int64, to state: ActionState, note: String?, on occurredOn: LocalDate? = nil, by session: Session,
    today: LocalDate? = nil
  ) throws -> CaseAction {
    try write(as: session, needs: .writeCases) { db, audit in
      guard let before = try Register.actions(where: "a.id = ?", arguments: [id], in: db).first else {
        throw StoreError.notFound(what: "action", key: String(id))
      }
      try ActionRules.validateMove(id: id, from: before.state, to: state, note: note)
      if let occurredOn {
        try ActionRules.validateOccurred(
          occurredOn, raisedOn: before.raisedOn, today: today ?? LocalDate(iso: String(audit.at.prefix(10)))!)
      }
      var after = before
      after.state = state
      after.note = try optionalText(note, field: "note", kind: .note) ?? before.note
      try ActionTable.move(id, to: state, note: after.note, auditSeq: audit.nextSequence, in: db)
      try ActionTable.insertEvent(
        actionId: id, state: state, note: optionalText(note), byUserId: audit.actor.id, at: audit.at,
        occurredOn: occurredOn, auditSeq: audit.nextSequence, in: db)
      let caseRow = try Row.fetchOne(
        db, sql: "SELECT id, childId FROM cmeCase WHERE reference = ?", arguments: [before.caseReference])
      try audit.append(
        action: .action(movedTo: state), entity: "action", entityId: String(id), childId: caseRow?["childId"],
        caseId: caseRow?["id"],
        reason: optionalText(note), before: before, after: after)
      return after
    }
  }

  /// Actions, soonest due first, filtered as asked.
  public func listActions(
    case reference: CaseReference?, agency: Agency?, overdueOnly: Bool, owner: String?, includeFinished: Bool,
    by session: Session,
    today: LocalDate
  ) throws -> [ActionStatus] {
    return try read(as: session, needs: .readRegister) { db in
      var conditions = ["1"]
      var args: [any DatabaseValueConvertible] = []
      if let reference {
        let c = try Register.fetchCase(reference, in: db)
        conditions.append("a.caseId = ?")
        args.append(c.id!)
      }
      if let agency {
        conditions.append("a.agency = ?")
        args.append(agency.rawValue)
      }
      if let owner {
        conditions.append("a.owner = ? COLLATE NOCASE")
        args.append(owner)
      }
      if overdueOnly || !includeFinished { conditions.append("a.state IN ('open', 'accepted')") }
      if overdueOnly {
        conditions.append("a.dueOn < ?")
        args.append(today.description)
      }
      return try Register.actionStatuses(
        where: conditions.joined(separator: " AND "), arguments: StatementArguments(args), in: db, today: today)
    }
  }

  /// Actions matching `condition` (on `caseAction a`), each with how late it is.
  static func actionStatuses(
    where condition: String, arguments: StatementArguments, in db: Database, today: LocalDate, limit: Int? = nil,
    indexedBy index: String? = nil
  ) throws -> [ActionStatus] {
    let settings = try Register.settings(in: db)
    let calendar = try Register.calendar(in: db).calendar
    return try Register.actions(where: condition, arguments: arguments, in: db, limit: limit, indexedBy: index).map {
      a in
      let late = a.schoolDaysOverdue(on: today, calendar: calendar)
      return ActionStatus(action: a, schoolDaysOverdue: late, escalate: late > settings.escalateActionsAfterSchoolDays)
    }
  }
}
