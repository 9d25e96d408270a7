import CMEDomain
import GRDB

/// `cmeCase`: the cases. Every write of the table is here: opening (by hand,
/// by an import, by the demo), rating, closing, reopening, the fields a
/// caseworker updates, and a merge of two children.
enum CaseTable {
  /// Writes a case as given (an open case, or a whole closed one for the
  /// demo) and returns its id.
  static func insert(_ c: CMECase, childId: Int64, leadId: Int64?, auditSeq: Int64, in db: Database) throws -> Int64 {
    try db.cachedStatement(
      sql: """
        INSERT INTO cmeCase (reference, childId, openedOn, referralReceivedOn, referralSource, reason,
          groundRegime, ground, deletionDate, lastAttended, whereaboutsKnown, leadCaseworkerId, status, closedOn,
          outcome, outcomeEvidence, rag, outsideSchoolAgeReason, weeklyHours, auditSeq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      c.reference, childId, c.openedOn, c.referralReceivedOn, c.referralSource, c.reason, c.deletionGround?.regime,
      c.deletionGround?.letter, c.deletionDate, c.lastAttended, c.whereaboutsKnown, leadId, c.status, c.closedOn,
      c.outcome, c.outcomeEvidence, c.rag, c.outsideSchoolAgeReason, c.weeklyHours, auditSeq,
    ])
    return db.lastInsertedRowID
  }

  /// Worst first: red, amber, green, unrated; then the longest open. The
  /// order of every list that puts the cases most in need of attention at
  /// the top (the register check, the board's agenda and its pack), for a
  /// query that calls the case table `c`.
  static let worstFirst =
    "CASE c.rag WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'green' THEN 2 ELSE 3 END, c.openedOn, c.id"

  /// The index of the open cases in ``worstFirst`` order (`schema.sql`,
  /// migration 20), for reading them worst first without a sort: a query
  /// naming it must select `c.status = 'open'` and order by ``worstFirst``.
  static let worstOpenIndex = "cmeCase_worstOpen"

  /// The reference of the child's open case, if it has one (a child has at
  /// most one).
  static func openCase(ofChild childId: Int64, in db: Database) throws -> (id: Int64, reference: String)? {
    try Row.fetchOne(
      db.cachedStatement(sql: "SELECT id, reference FROM cmeCase WHERE childId = ? AND status = 'open'"),
      arguments: [childId]
    ).map { ($0["id"], $0["reference"]) }
  }

  /// Sets a case's current rating.
  static func setRAG(_ rag: RAG, caseId: Int64, auditSeq: Int64, in db: Database) throws {
    try db.cachedStatement(sql: "UPDATE cmeCase SET rag = ?, auditSeq = ? WHERE id = ?")
      .execute(arguments: [rag, auditSeq, caseId])
  }

  /// Closes a case with its outcome and evidence.
  static func close(
    caseId: Int64, on day: LocalDate, outcome: ClosureOutcome, evidence: String, auditSeq: Int64, in db: Database
  ) throws {
    try db.execute(
      sql: """
        UPDATE cmeCase SET status = 'closed', closedOn = ?, outcome = ?, outcomeEvidence = ?, auditSeq = ?
        WHERE id = ?
        """,
      arguments: [day, outcome, evidence, auditSeq, caseId])
  }

  /// Reopens a closed case.
  static func reopen(caseId: Int64, auditSeq: Int64, in db: Database) throws {
    try db.execute(
      sql: """
        UPDATE cmeCase SET status = 'open', closedOn = NULL, outcome = NULL, outcomeEvidence = NULL, auditSeq = ?
        WHERE id = ?
        """,
      arguments: [auditSeq, caseId])
  }

  /// Records whether the child's whereabouts are known.
  /// Sets what a case is open for: the reason and, for a part-time
  /// timetable, its hours a week.
  static func setReason(_ reason: CaseReason, weeklyHours: Double?, caseId: Int64, auditSeq: Int64, in db: Database)
    throws
  {
    try db.execute(
      sql: "UPDATE cmeCase SET reason = ?, weeklyHours = ?, auditSeq = ? WHERE id = ?",
      arguments: [reason, weeklyHours, auditSeq, caseId])
  }

  static func setWhereaboutsKnown(_ known: Bool, caseId: Int64, auditSeq: Int64, in db: Database) throws {
    try db.execute(
      sql: "UPDATE cmeCase SET whereaboutsKnown = ?, auditSeq = ? WHERE id = ?", arguments: [known, auditSeq, caseId])
  }

  /// Records (or corrects) the school's deletion of the child: the ground,
  /// its regulations and the deletion date.
  static func setDeletion(
    _ ground: DeletionGround, on deletionDate: LocalDate, caseId: Int64, auditSeq: Int64, in db: Database
  ) throws {
    try db.cachedStatement(
      sql: "UPDATE cmeCase SET groundRegime = ?, ground = ?, deletionDate = ?, auditSeq = ? WHERE id = ?"
    ).execute(arguments: [ground.regime, ground.letter, deletionDate, auditSeq, caseId])
  }

  /// Records the last day the child attended school.
  static func setLastAttended(_ day: LocalDate, caseId: Int64, auditSeq: Int64, in db: Database) throws {
    try db.cachedStatement(sql: "UPDATE cmeCase SET lastAttended = ?, auditSeq = ? WHERE id = ?")
      .execute(arguments: [day, auditSeq, caseId])
  }

  /// Gives a case a new lead caseworker.
  static func setLead(_ userId: Int64, caseId: Int64, auditSeq: Int64, in db: Database) throws {
    try db.execute(
      sql: "UPDATE cmeCase SET leadCaseworkerId = ?, auditSeq = ? WHERE id = ?", arguments: [userId, auditSeq, caseId])
  }

  /// Moves every case of one child to another (a merge of duplicates).
  static func moveCases(fromChild otherId: Int64, toChild keepId: Int64, auditSeq: Int64, in db: Database) throws {
    try db.execute(
      sql: "UPDATE cmeCase SET childId = ?, auditSeq = ? WHERE childId = ?", arguments: [keepId, auditSeq, otherId])
  }
}

/// `caseStatusChange` and `closureEvidence`: a case's openings, closures and
/// reopenings, and the evidence a closure rests on.
enum CaseStatusTable {
  /// Records a change of status and returns its id.
  @discardableResult
  static func insert(
    caseId: Int64, kind: StatusChange.Kind, effectiveOn: LocalDate, outcome: ClosureOutcome? = nil,
    note: String? = nil, byUserId: Int64?, at: String, auditSeq: Int64, in db: Database
  ) throws -> Int64 {
    try db.cachedStatement(
      sql: """
        INSERT INTO caseStatusChange (caseId, kind, effectiveOn, outcome, note, byUserId, at, auditSeq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [caseId, kind, effectiveOn, outcome, note, byUserId, at, auditSeq])
    return db.lastInsertedRowID
  }

  /// Records the evidence of a closure.
  static func insertEvidence(
    _ e: ClosureEvidence, statusChangeId: Int64, auditSeq: Int64, in db: Database
  ) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO closureEvidence (statusChangeId, school, startDate, newAddress, confirmation, destinationLA,
          auditSeq)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      statusChangeId, optionalText(e.school), e.startDate, optionalText(e.newAddress), optionalText(e.confirmation),
      e.destinationLA, auditSeq,
    ])
  }
}

/// `ragRating`: every rating a case was given, with the suggestion beside it.
enum RAGRatingTable {
  static func insert(
    caseId: Int64, rating: RAG, suggested: RAG, reasons: [String], rationale: String, byUserId: Int64?, at: String,
    auditSeq: Int64, in db: Database
  ) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO ragRating (caseId, rating, suggested, suggestedReasons, rationale, byUserId, at, auditSeq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      caseId, rating, suggested, AuditWriter.jsonList(reasons), rationale, byUserId, at, auditSeq,
    ])
  }
}

/// `visit`: visits, calls and other contacts made for a case.
enum VisitTable {
  /// Records a contact and returns its id.
  static func insert(_ v: Visit, caseId: Int64, byUserId: Int64?, at: String, auditSeq: Int64, in db: Database)
    throws -> Int64
  {
    try db.cachedStatement(
      sql: """
        INSERT INTO visit (caseId, type, date, time, childSeen, outcome, nextStep, agency, byUserId, at, auditSeq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      caseId, v.type, v.date, v.time, v.childSeen, v.outcome, v.nextStep, v.agency, byUserId, at, auditSeq,
    ])
    return db.lastInsertedRowID
  }
}

/// `enquiry`: where each reasonable enquiry of a case's checklist stands.
enum EnquiryTable {
  /// Records an enquiry as done (with its result) or not applicable (with
  /// the reason), replacing what was recorded before. `isNew` says the case
  /// has no enquiry on this item yet (a bulk load of new cases), which
  /// spares the statement its conflict clause.
  static func record(
    caseId: Int64, item: EnquiryItem, doneOn: LocalDate?, result: String?, visitId: Int64? = nil, reason: String?,
    byUserId: Int64?, at: String, auditSeq: Int64, isNew: Bool = false, in db: Database
  ) throws {
    let insert = """
      INSERT INTO enquiry (caseId, item, state, doneOn, result, visitId, reason, byUserId, at, auditSeq)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """
    let replace = """
      \(insert)
      ON CONFLICT (caseId, item) DO UPDATE SET state = excluded.state, doneOn = excluded.doneOn,
        result = excluded.result, visitId = excluded.visitId, reason = excluded.reason,
        byUserId = excluded.byUserId, at = excluded.at, auditSeq = excluded.auditSeq
      """
    try db.cachedStatement(sql: isNew ? insert : replace).execute(arguments: [
      caseId, item, doneOn == nil ? "not-applicable" : "done", doneOn, result, visitId, reason, byUserId, at,
      auditSeq,
    ])
  }
}

/// `caseAction` and `caseActionEvent`: the actions partners are asked to
/// take, and each change of their state.
enum ActionTable {
  /// Raises an action (in `state`, `open` unless the demo loads a history)
  /// and returns its id.
  static func insert(
    caseId: Int64, agency: Agency, description: String, dueOn: LocalDate, owner: String?, state: ActionState = .open,
    note: String? = nil, raisedById: Int64?, raisedOn: LocalDate, professionalId: Int64? = nil, auditSeq: Int64,
    in db: Database
  ) throws -> Int64 {
    try db.cachedStatement(
      sql: """
        INSERT INTO caseAction (caseId, agency, description, dueOn, owner, state, note, raisedById, raisedOn,
          professionalId, auditSeq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      caseId, agency, description, dueOn, owner, state, note, raisedById, raisedOn, professionalId, auditSeq,
    ])
    return db.lastInsertedRowID
  }

  /// Moves an action to a new state.
  static func move(_ id: Int64, to state: ActionState, note: String?, auditSeq: Int64, in db: Database) throws {
    try db.execute(
      sql: "UPDATE caseAction SET state = ?, note = ?, auditSeq = ? WHERE id = ?",
      arguments: [state, note, auditSeq, id])
  }

  /// Records a state an action entered.
  static func insertEvent(
    actionId: Int64, state: ActionState, note: String? = nil, byUserId: Int64?, at: String,
    occurredOn: LocalDate? = nil, auditSeq: Int64, in db: Database
  ) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO caseActionEvent (actionId, state, note, byUserId, at, occurredOn, auditSeq)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [actionId, state, note, byUserId, at, occurredOn, auditSeq])
  }
}

/// `caseMilestone`: the dates some statutory clocks start from.
enum MilestoneTable {
  /// The kinds of milestone.
  enum Kind: String, DatabaseValueConvertible {
    case illSince = "ill-since"
    case fairAccessReferred = "fair-access-referred"
    case leaveEnded = "leave-ended"
  }

  /// Sets a milestone's date, replacing an earlier one.
  static func set(
    _ kind: Kind, on day: LocalDate, caseId: Int64, byUserId: Int64?, at: String, auditSeq: Int64, in db: Database
  ) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO caseMilestone (caseId, kind, onDate, byUserId, at, auditSeq) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (caseId, kind) DO UPDATE SET onDate = excluded.onDate, byUserId = excluded.byUserId,
          at = excluded.at, auditSeq = excluded.auditSeq
        """
    ).execute(arguments: [caseId, kind, day, byUserId, at, auditSeq])
  }
}
