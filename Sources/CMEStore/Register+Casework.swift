import CMEDomain
import Foundation
import GRDB

/// One dated event in a case's history.
public struct TimelineEvent: Sendable, Codable, Hashable {
  /// The day it happened.
  public var date: LocalDate
  /// When it was recorded (UTC), for ordering events of the same day.
  public var at: String
  public var kind: String
  public var text: String
  public var by: String
  /// The day it was recorded, when that is later than the day it happened
  /// (a visit written up, an action agreed at a meeting, a partner's reply
  /// recorded days after it came).
  public var recordedOn: LocalDate?

  init(date: LocalDate, at: String, kind: String, text: String, by: String, recordedAt: String? = nil) {
    self.date = date
    self.at = at
    self.kind = kind
    self.text = text
    self.by = by
    if let recordedAt, let day = LocalDate(iso: String(recordedAt.prefix(10))), day > date { recordedOn = day }
  }
}

extension Register {
  // MARK: - Reading casework

  /// A date the register stored, read with the fast path.
  /// A date the schema allows to be empty: nil when it is, an error when
  /// what is stored is not a date.
  static func date(_ s: String?) throws -> LocalDate? {
    guard let s else { return nil }
    return try storedDate(s)
  }

  static func visits(caseId: Int64, reference: String, in db: Database) throws -> [Visit] {
    var visits: [Visit] = []
    try RawRow.each(
      db,
      sql: """
        SELECT \(visitColumns) FROM visit v JOIN user u ON u.id = v.byUserId WHERE v.caseId = ?
        ORDER BY v.date, v.time, v.id
        """,
      arguments: [caseId]
    ) { visits.append(try decodeVisit($0, reference: reference)) }
    return visits
  }

  /// What ``decodeVisit(_:reference:)`` reads of a visit `v` and its recorder `u`, in order.
  static let visitColumns = "v.id, v.type, v.date, v.time, v.childSeen, v.outcome, v.nextStep, v.agency, v.at, u.name"
  static let visitColumnCount: Int32 = 10

  /// A visit from a row that starts with ``visitColumns``.
  static func decodeVisit(_ r: RawRow, reference: String) throws -> Visit {
    var v = Visit(
      caseReference: reference, type: try VisitType.stored(r.string(1)),
      date: try r.storedDate(2),
      time: r.string(3), childSeen: r.bool(4), outcome: try r.text(5, "visit outcome"), nextStep: r.string(6),
      agency: try r.string(7).map { try Agency.stored($0) }, by: try r.text(9, "user name"))
    v.id = try r.id(0, "visit id")
    v.recordedAt = r.string(8)
    return v
  }

  static func checklist(for c: CMECase, in db: Database) throws -> EnquiryChecklist {
    var recorded: [EnquiryItem: EnquiryState] = [:]
    for r in try Row.fetchAll(
      db, sql: "SELECT e.*, u.name FROM enquiry e JOIN user u ON u.id = e.byUserId WHERE e.caseId = ?",
      arguments: [c.id])
    {
      guard let item = EnquiryItem(rawValue: r["item"]) else { continue }
      let state: String = r["state"]
      let by: String = r["name"]
      if state == "done" {
        let doneOn: LocalDate = try date(r["doneOn"]) ?? c.openedOn
        let result: String = r["result"]
        let visitId: Int64? = r["visitId"]
        recorded[item] = .done(on: doneOn, by: by, result: result, visitId: visitId)
      } else {
        let reason: String = r["reason"]
        recorded[item] = .notApplicable(reason: reason, by: by)
      }
    }
    return EnquiryChecklist(
      reason: c.reason, whereaboutsKnown: c.whereaboutsKnown, ground: c.deletionGround, recorded: recorded)
  }

  /// Actions matching `condition` (on the action table `a`), by due date,
  /// read from the index `indexedBy` when one is named.
  static func actions(
    where condition: String, arguments: StatementArguments, in db: Database, limit: Int? = nil,
    indexedBy index: String? = nil
  ) throws -> [CaseAction] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT a.*, c.reference, u.name, p.name AS professionalName, p.role AS professionalRole
        FROM caseAction a \(index.map { "INDEXED BY \($0) " } ?? "")JOIN cmeCase c ON c.id = a.caseId JOIN user u ON u.id = a.raisedById
        LEFT JOIN professional p ON p.id = a.professionalId
        WHERE \(condition) ORDER BY a.dueOn, a.id \(limit.map { "LIMIT \($0)" } ?? "")
        """, arguments: arguments
    ).map { r in
      var a = CaseAction(
        id: r["id"], caseReference: r["reference"], agency: try Agency.stored(r["agency"]),
        description: r["description"],
        dueOn: try Register.storedDate(r["dueOn"]), owner: r["owner"],
        state: try ActionState.stored(r["state"]), note: r["note"], raisedBy: r["name"],
        raisedOn: try Register.storedDate(r["raisedOn"]))
      if let id = r["professionalId"] as Int64?, let name = r["professionalName"] as String? {
        let role = (r["professionalRole"] as String?).flatMap(ProfessionalRole.init(rawValue:))
        a.professional = ProfessionalRef(id: id, name: name, role: role?.label ?? "professional")
      }
      return a
    }
  }

  /// A case's history, oldest first: status and RAG changes with their
  /// reasons, visits, enquiries, actions and register checks.
  static func timeline(for c: CMECase, in db: Database) throws -> [TimelineEvent] {
    var events: [TimelineEvent] = []
    for r in try Row.fetchAll(
      db, sql: "SELECT s.*, u.name FROM caseStatusChange s JOIN user u ON u.id = s.byUserId WHERE s.caseId = ?",
      arguments: [c.id])
    {
      let kind: String = r["kind"]
      let text = [
        kind == "opened" ? "case opened: \(c.reason.label)" : "case \(kind)", r["outcome"] as String?,
        r["note"] as String?,
      ]
      .compactMap { $0 }.joined(separator: ": ")
      events.append(
        TimelineEvent(
          date: try Register.storedDate(r["effectiveOn"]), at: r["at"], kind: "status", text: text, by: r["name"]))
    }
    for r in try Row.fetchAll(
      db, sql: "SELECT r.*, u.name FROM ragRating r JOIN user u ON u.id = r.byUserId WHERE r.caseId = ?",
      arguments: [c.id])
    {
      let rating: String = r["rating"]
      let suggested: String = r["suggested"]
      events.append(
        TimelineEvent(
          date: try date(String((r["at"] as String).prefix(10))) ?? c.openedOn, at: r["at"], kind: "rag",
          text: "rated \(rating)\(rating != suggested ? " (suggested \(suggested))" : ""): \(r["rationale"] as String)",
          by: r["name"]))
    }
    for v in try visits(caseId: c.id!, reference: c.reference, in: db) {
      let seen = v.childSeen.map { $0 ? "; child seen" : "; child not seen" } ?? ""
      events.append(
        TimelineEvent(
          date: v.date, at: "\(v.date)T\(v.time ?? "00:00")", kind: "visit",
          text:
            "\(v.type.label)\(v.agency.map { " (\($0.label))" } ?? "")\(v.time.map { " at \($0)" } ?? "")\(seen): \(v.outcome)\(v.nextStep.map { " — next: \($0)" } ?? "")",
          by: v.by, recordedAt: v.recordedAt))
    }
    for r in try Row.fetchAll(
      db, sql: "SELECT e.*, u.name FROM enquiry e JOIN user u ON u.id = e.byUserId WHERE e.caseId = ?",
      arguments: [c.id])
    {
      let code: String = r["item"]
      let item: String = EnquiryItem(rawValue: code)?.label ?? code
      let done = (r["state"] as String) == "done"
      events.append(
        TimelineEvent(
          date: try date(r["doneOn"]) ?? date(String((r["at"] as String).prefix(10))) ?? c.openedOn, at: r["at"],
          kind: "enquiry",
          text: done
            ? "enquiry done — \(item): \(r["result"] as String)"
            : "enquiry not applicable — \(item): \(r["reason"] as String)",
          by: r["name"], recordedAt: r["at"]))
    }
    for r in try Row.fetchAll(
      db,
      sql: """
        SELECT e.*, a.agency, a.description, a.dueOn, a.raisedOn, u.name, p.name AS professionalName
        FROM caseActionEvent e JOIN caseAction a ON a.id = e.actionId
        JOIN user u ON u.id = e.byUserId LEFT JOIN professional p ON p.id = a.professionalId WHERE a.caseId = ?
        """, arguments: [c.id])
    {
      let state: String = r["state"]
      let agencyCode: String = r["agency"]
      let agency: String = Agency(rawValue: agencyCode)?.label ?? agencyCode
      let with = (r["professionalName"] as String?).map { ", with \($0)" } ?? ""
      let text =
        state == "open"
        ? "action \(r["actionId"] as Int64) for \(agency)\(with): \(r["description"] as String) (due \(r["dueOn"] as String))"
        : "action \(r["actionId"] as Int64) \(state)\((r["note"] as String?).map { ": \($0)" } ?? "")"
      // The day it happened: an action's raising on the day it was agreed; a
      // change on the day given for it; otherwise the day it was recorded.
      let recorded = try date(String((r["at"] as String).prefix(10))) ?? c.openedOn
      let happened =
        state == "open" ? try Register.storedDate(r["raisedOn"]) : try date(r["occurredOn"]) ?? recorded
      events.append(
        TimelineEvent(
          date: min(happened, recorded), at: r["at"], kind: "action", text: text, by: r["name"], recordedAt: r["at"]))
    }
    for r in try Row.fetchAll(
      db,
      sql:
        "SELECT l.id, l.kind, l.addressee, l.issuedOn, l.respondBy, l.at, u.name FROM caseLetter l JOIN user u ON u.id = l.byUserId WHERE l.caseId = ?",
      arguments: [c.id])
    {
      let kind = LetterKind(rawValue: r["kind"])?.label ?? (r["kind"] as String)
      let answer = (r["respondBy"] as String?).map { "; answer by \($0)" } ?? ""
      events.append(
        TimelineEvent(
          date: try Register.storedDate(r["issuedOn"]), at: r["at"], kind: "letter",
          text: "letter \(r["id"] as Int64) issued: \(kind), to \(r["addressee"] as String)\(answer)", by: r["name"]))
    }
    for r in try Row.fetchAll(
      db,
      sql:
        "SELECT n.direction, n.laCode, n.onDate, n.note, n.at, u.name FROM laNotification n JOIN user u ON u.id = n.byUserId WHERE n.caseId = ? AND n.direction = 'received'",
      arguments: [c.id])
    {
      events.append(
        TimelineEvent(
          date: try Register.storedDate(r["onDate"]), at: r["at"], kind: "notice",
          text:
            "CME notification received from local authority \(r["laCode"] as String)\((r["note"] as String?).map { ": \($0)" } ?? "")",
          by: r["name"], recordedAt: r["at"]))
    }
    for r in try Row.fetchAll(
      db,
      sql:
        "SELECT s.fromDate, s.toDate, s.at, u.name FROM illnessSpell s JOIN user u ON u.id = s.byUserId WHERE s.caseId = ?",
      arguments: [c.id])
    {
      let to = (r["toDate"] as String?).map { " to \($0)" } ?? ", still ill"
      events.append(
        TimelineEvent(
          date: try Register.storedDate(r["fromDate"]), at: r["at"], kind: "illness",
          text: "absent ill from \(r["fromDate"] as String)\(to)", by: r["name"], recordedAt: r["at"]))
    }
    for k in try checks(caseId: c.id!, reference: c.reference, in: db) {
      events.append(
        TimelineEvent(
          date: try date(String(k.checkedAt.prefix(10))) ?? c.openedOn, at: k.checkedAt, kind: "check",
          text:
            "register check (cycle \(k.cycleId)): \(k.outcome.label), \(k.satisfactoryExplanation ? "satisfactory explanation" : "no satisfactory explanation"); \(k.note)",
          by: k.checkedBy))
    }
    return events.sorted { ($0.date, $0.at) < ($1.date, $1.at) }
  }

  // MARK: - Visits

  /// Logs a visit or contact, recorded by the acting user.
  public func logVisit(
    _ reference: CaseReference, type: VisitType, date: LocalDate, time: String?, childSeen: Bool?, outcome: String,
    nextStep: String?, agency: Agency?, by session: Session, today: LocalDate
  ) throws -> Visit {
    let outcome = try requireText(outcome, field: "outcome", what: "the outcome")
    return try write(as: session, needs: .writeCases) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      try Visit.validate(date: date, time: time, caseOpenedOn: c.openedOn, today: today)
      var v = Visit(
        caseReference: c.reference, type: type, date: date, time: time, childSeen: childSeen, outcome: outcome,
        nextStep: try optionalText(nextStep, field: "nextStep", kind: .note), agency: agency, by: audit.actor.name)
      v.id = try VisitTable.insert(
        v, caseId: c.id!, byUserId: audit.actor.id, at: audit.at, auditSeq: audit.nextSequence, in: db)
      try audit.append(
        action: .visitLog, entity: "visit", entityId: String(v.id!), childId: c.childId, caseId: c.id, after: v)
      return v
    }
  }

  // MARK: - Enquiries

  /// A case's reasonable-enquiries checklist.
  public func enquiries(_ reference: CaseReference, by session: Session) throws -> (CMECase, EnquiryChecklist) {
    return try read(as: session, needs: .readRegister) { db in
      let c = try Register.fetchCase(reference, in: db)
      return (c, try Register.checklist(for: c, in: db))
    }
  }

  /// Marks an enquiry done, optionally linked to the visit that made it.
  public func markEnquiryDone(
    _ reference: CaseReference, item: EnquiryItem, result: String, visitId: Int64?, on date: LocalDate?,
    by session: Session,
    today: LocalDate
  ) throws {
    let result = try requireText(result, field: "result", what: "the result")
    try write(as: session, needs: .writeCases) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      var doneOn = date ?? today
      if let visitId {
        guard
          let visitDate = try String.fetchOne(
            db, sql: "SELECT date FROM visit WHERE id = ? AND caseId = ?", arguments: [visitId, c.id])
        else {
          throw InvalidInput(
            field: "visitId", problem: "visit \(visitId) is not a visit of \(c.reference)",
            fix: "Choose one of the case's own visits", next: .showCase(c.reference))
        }
        if date == nil { doneOn = try Register.date(visitDate) ?? doneOn }
      }
      try EventDate.notAfterToday(doneOn, field: "doneOn", today: today, fix: "Record an enquiry once it is made")
      guard doneOn >= c.openedOn else {
        throw InvalidInput(
          field: "doneOn", problem: "\(doneOn) is before the case opened (\(c.openedOn))",
          fix: "Give the day the enquiry was made")
      }
      try Register.saveEnquiry(
        c, item: item, state: "done", doneOn: doneOn, result: result, visitId: visitId, reason: nil, in: db,
        audit: &audit)
    }
  }

  /// Marks an enquiry not applicable, with the reason.
  public func markEnquiryNotApplicable(
    _ reference: CaseReference, item: EnquiryItem, reason: String, by session: Session
  )
    throws
  {
    let reason = try requireText(reason, field: "reason", what: "the reason")
    try write(as: session, needs: .writeCases) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      try Register.saveEnquiry(
        c, item: item, state: "not-applicable", doneOn: nil, result: nil, visitId: nil, reason: reason, in: db,
        audit: &audit)
    }
  }

  static func saveEnquiry(
    _ c: CMECase, item: EnquiryItem, state: String, doneOn: LocalDate?, result: String?, visitId: Int64?,
    reason: String?,
    in db: Database, audit: inout AuditWriter
  ) throws {
    let before = try Row.fetchOne(
      db, sql: "SELECT state, doneOn, result, reason FROM enquiry WHERE caseId = ? AND item = ?",
      arguments: [c.id, item.rawValue]
    )
    .map { r in
      [
        "state": r["state"] as String?, "doneOn": r["doneOn"] as String?, "result": r["result"] as String?,
        "reason": r["reason"] as String?,
      ].compactMapValues { $0 }
    }
    try EnquiryTable.record(
      caseId: c.id!, item: item, doneOn: state == "done" ? doneOn : nil, result: result, visitId: visitId,
      reason: reason, byUserId: audit.actor.id, at: audit.at, auditSeq: audit.nextSequence, in: db)
    let after = [
      "state": state, "doneOn": doneOn?.description, "result": result, "reason": reason,
      "visitId": visitId.map(String.init),
    ]
    .compactMapValues { $0 }
    try audit.append(
      action: state == "done" ? .enquiryDone : .enquiryNotApplicable, entity: "enquiry",
      entityId: "\(c.reference):\(item.rawValue)",
      childId: c.childId, caseId: c.id, reason: reason, before: before, after: after)
  }

  // MARK: - Updating a case

  /// Changes what is known about an open case: whereabouts, lead
  /// caseworker, and the dates that start the sickness and Fair Access clocks.
  public func updateCase(
    _ reference: CaseReference, whereaboutsKnown: Bool?, lead: String?, illSince: LocalDate?,
    fairAccessReferred: LocalDate?, ground: DeletionGround.Written? = nil, deletionDate: LocalDate? = nil,
    caseReason: CaseReason? = nil, weeklyHours: Double? = nil, leaveEnded: LocalDate? = nil,
    reason: String, ifVersion: Int64? = nil, by session: Session, today: LocalDate
  ) throws -> CMECase {
    let reason = try requireText(reason, field: "reason", what: "the reason")
    guard
      whereaboutsKnown != nil || lead != nil || illSince != nil || fairAccessReferred != nil || ground != nil
        || deletionDate != nil || caseReason != nil || weeklyHours != nil || leaveEnded != nil
    else {
      throw InvalidInput(
        field: "CASE", problem: "nothing to change",
        fix:
          "Give the whereabouts, the lead caseworker, the day an illness began, the day of a fair-access referral, the deletion ground and date, or what the case is open for and its hours"
      )
    }
    return try write(as: session, needs: .writeCases) { db, audit in
      let before = try Register.fetchCase(reference, in: db)
      try Register.requireVersion(ifVersion, of: "cmeCase", id: before.id!, record: before.reference, in: db)
      guard before.status == .open else { throw StoreError.conflict("\(before.reference) is closed; reopen it first") }
      var after = before
      let seq = audit.nextSequence
      if let known = whereaboutsKnown {
        after.whereaboutsKnown = known
        try CaseTable.setWhereaboutsKnown(known, caseId: before.id!, auditSeq: seq, in: db)
      }
      if let caseReason, whereaboutsKnown == nil, caseReason != before.reason {
        // A new reason brings its own whereabouts unless they are given (whereabouts-unknown: unknown).
        after.whereaboutsKnown = caseReason.whereaboutsKnownByDefault
        if after.whereaboutsKnown != before.whereaboutsKnown {
          try CaseTable.setWhereaboutsKnown(after.whereaboutsKnown, caseId: before.id!, auditSeq: seq, in: db)
        }
      }
      if caseReason != nil || weeklyHours != nil {
        after.reason = caseReason ?? before.reason
        // Hours belong to a child on roll: a case moved out of that part of
        // the register drops them, unless they are given again (refused).
        after.weeklyHours = weeklyHours ?? (after.reason.scope == .onRollNotFullTime ? before.weeklyHours : nil)
        try CaseRules.validateScope(after)
        try CaseTable.setReason(after.reason, weeklyHours: after.weeklyHours, caseId: before.id!, auditSeq: seq, in: db)
      } else if whereaboutsKnown != nil {
        try CaseRules.validateScope(after)
      }
      if let lead {
        let id = try Register.leadId(lead, in: db)
        after.leadCaseworker = lead
        try CaseTable.setLead(id, caseId: before.id!, auditSeq: seq, in: db)
      }
      if ground != nil || deletionDate != nil {
        after = try CaseRules.recordingDeletion(of: after, ground: ground, on: deletionDate, today: today)
        try CaseTable.setDeletion(
          after.deletionGround!, on: after.deletionDate!, caseId: before.id!, auditSeq: seq, in: db)
      }
      var milestones: [String: String] = [:]
      for (kind, day, field) in [
        (MilestoneTable.Kind.illSince, illSince, "illSince"),
        (MilestoneTable.Kind.fairAccessReferred, fairAccessReferred, "fairAccessReferred"),
        (MilestoneTable.Kind.leaveEnded, leaveEnded, "leaveEnded"),
      ] {
        guard let day else { continue }
        try EventDate.notAfterToday(day, field: field, today: today, fix: "Give a date on or before today")
        try MilestoneTable.set(
          kind, on: day, caseId: before.id!, byUserId: audit.actor.id, at: audit.at, auditSeq: seq, in: db)
        milestones[kind.rawValue] = day.description
      }
      if after == before && milestones.isEmpty {
        throw InvalidInput(
          field: "CASE", problem: "nothing to change: \(before.reference) already holds what was given",
          fix: "Give a value that differs from the case's", next: .showCase(before.reference))
      }
      try audit.append(
        action: .caseUpdate, entity: "case", entityId: before.reference, childId: before.childId, caseId: before.id,
        reason: reason,
        before: before, after: CaseUpdate(caseRecord: after, milestones: milestones))
      return after
    }
  }
}

/// What `case.update` records.
struct CaseUpdate: Encodable {
  var caseRecord: CMECase
  var milestones: [String: String]
}
