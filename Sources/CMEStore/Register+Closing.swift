import CMEDomain
import Foundation
import GRDB

// Closing and reopening a case.
extension Register {
  /// Closes an open case with an outcome and the evidence that outcome needs.
  public func closeCase(
    _ reference: CaseReference, outcome: ClosureOutcome, evidence details: ClosureEvidence, on date: LocalDate?,
    ifVersion: Int64? = nil, by session: Session, today: LocalDate
  ) throws -> CMECase {
    try write(as: session, needs: .writeCases) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      try Register.requireVersion(ifVersion, of: "cmeCase", id: c.id!, record: c.reference, in: db)
      var details = details
      // A new-registration return's proposal supplies the school and start date.
      if [.onRollLASchool, .onRollOtherLASchool, .onRollIndependent].contains(outcome),
        let p = try Row.fetchOne(
          db, sql: "SELECT school, startDate FROM closureProposal WHERE caseId = ? ORDER BY id DESC LIMIT 1",
          arguments: [c.id])
      {
        details.school = details.school ?? SchoolRef(storageKey: p["school"]).map(\.description)
        details.startDate = try details.startDate ?? Register.date(p["startDate"])
      }
      return try Register.performClose(
        c, outcome: outcome, evidence: details, on: date ?? today, today: today, in: db, audit: &audit)
    }
  }

  /// Closes a case inside a write transaction (also used by board decisions).
  static func performClose(
    _ before: CMECase, outcome: ClosureOutcome, evidence details: ClosureEvidence, on closedOn: LocalDate,
    today: LocalDate,
    in db: Database, audit: inout AuditWriter
  ) throws -> CMECase {
    try details.validateText()
    let evidence = try CaseRules.validateClosing(before, on: closedOn, evidence: details.text, today: today)
    try ClosureRules.validateScope(outcome, reason: before.reason)
    if outcome == .ceasedCompulsorySchoolAge {
      try ClosureRules.validateCeasedSchoolAge(
        dateOfBirth: try Register.child(id: before.childId, in: db).dateOfBirth, closedOn: closedOn)
    }
    let missing = ClosureRules.missing(
      outcome: outcome, evidence: details, closedOn: closedOn, enquiries: try Register.checklist(for: before, in: db))
    guard missing.isEmpty else {
      throw InvalidInput(
        field: "outcome",
        problem: "\(before.reference) cannot close as \(outcome.rawValue) without " + missing.joined(separator: "; "),
        fix: "Give what is missing, or choose the outcome the evidence supports")
    }
    var after = before
    after.status = .closed
    after.closedOn = closedOn
    after.outcome = outcome
    after.outcomeEvidence = evidence
    let seq = audit.nextSequence
    try CaseTable.close(caseId: before.id!, on: closedOn, outcome: outcome, evidence: evidence, auditSeq: seq, in: db)
    let change = try CaseStatusTable.insert(
      caseId: before.id!, kind: .closed, effectiveOn: closedOn, outcome: outcome, note: evidence,
      byUserId: audit.actor.id, at: audit.at, auditSeq: seq, in: db)
    try CaseStatusTable.insertEvidence(details, statusChangeId: change, auditSeq: seq, in: db)
    try audit.append(
      action: .caseClose, entity: "case", entityId: before.reference, childId: before.childId, caseId: before.id,
      reason: evidence, before: before, after: ClosedCase(caseRecord: after, evidence: details))
    // Its open actions end with it (each recorded), so that none waits, and
    // later shows as overdue, on a closed case.
    let note = "the case closed (\(outcome.rawValue))"
    for action in try Register.actions(
      where: "a.caseId = ? AND a.state IN ('open', 'accepted')", arguments: [before.id], in: db)
    {
      var ended = action
      ended.state = .cancelled
      ended.note = note
      try ActionTable.move(action.id, to: .cancelled, note: note, auditSeq: audit.nextSequence, in: db)
      try ActionTable.insertEvent(
        actionId: action.id, state: .cancelled, note: note, byUserId: audit.actor.id, at: audit.at,
        auditSeq: audit.nextSequence, in: db)
      try audit.append(
        action: .action(movedTo: .cancelled), entity: "action", entityId: String(action.id), childId: before.childId,
        caseId: before.id, reason: note, before: action, after: ended)
    }
    return after
  }

  /// Reopens a closed case. Its earlier closure stays in its history.
  public func reopenCase(
    _ reference: CaseReference, reason: String, on date: LocalDate?, ifVersion: Int64? = nil, by session: Session,
    today: LocalDate
  ) throws -> CMECase {
    let reason = try requireText(reason, field: "reason", what: "the reason")
    return try write(as: session, needs: .writeCases) { db, audit in
      let before = try Register.fetchCase(reference, in: db)
      try Register.requireVersion(ifVersion, of: "cmeCase", id: before.id!, record: before.reference, in: db)
      let on = date ?? today
      try CaseRules.validateReopening(before, on: on, today: today)
      if let open = try CaseTable.openCase(ofChild: before.childId, in: db) {
        throw StoreError.conflict(
          "child \(before.childId) already has an open case, \(open.reference); work that one instead")
      }
      var after = before
      after.status = .open
      after.closedOn = nil
      after.outcome = nil
      after.outcomeEvidence = nil
      let child = try Register.child(id: before.childId, in: db)
      let seq = audit.nextSequence
      try CaseTable.reopen(caseId: before.id!, auditSeq: seq, in: db)
      let suggestion = try Register.assess(after, child: child, in: db, today: today).suggestion
      after.rag = suggestion.rating
      try CaseTable.setRAG(suggestion.rating, caseId: before.id!, auditSeq: seq, in: db)
      try CaseStatusTable.insert(
        caseId: before.id!, kind: .reopened, effectiveOn: on, note: reason, byUserId: audit.actor.id, at: audit.at,
        auditSeq: seq, in: db)
      try Register.insertRating(
        caseId: before.id!, rating: suggestion.rating, suggestion: suggestion,
        rationale: "suggested when the case reopened: \(suggestion.summary)", in: db, audit: audit)
      try audit.append(
        action: .caseReopen, entity: "case", entityId: before.reference, childId: before.childId, caseId: before.id,
        reason: reason, before: before, after: after)
      return after
    }
  }
}
