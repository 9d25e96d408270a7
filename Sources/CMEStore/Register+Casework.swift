import CMEDomain
import Foundation
import GRDB

/// One dated event in a case's history.
public struct TimelineEvent: Sendable, Codable, Hashable {
  public var date: LocalDate
  /// When it was recorded (UTC), for ordering events of the same day.
  public var at: String
  public var kind: String
  public var text: String
  public var by: String
}

/// An action with how late it is.
public struct ActionStatus: Sendable, Codable {
  public var action: CaseAction
  public var schoolDaysOverdue: Int
  /// Overdue beyond the escalation threshold.
  public var escalate: Bool
}

extension Register {
  // MARK: - Reading casework

  /// A date the register stored, read with the fast path.
  static func date(_ s: String?) -> LocalDate? { s.flatMap(LocalDate.init(iso:)) }

  static func visits(caseId: Int64, reference: String, in db: Database) throws -> [Visit] {
    try Row.fetchAll(
      db,
      sql:
        "SELECT v.*, u.name FROM visit v JOIN user u ON u.id = v.byUserId WHERE v.caseId = ? ORDER BY v.date, v.time, v.id",
      arguments: [caseId]
    ).map { decodeVisit($0, reference: reference) }
  }

  /// A visit from a row of `visit` with its recorder's `name`.
  static func decodeVisit(_ r: Row, reference: String) -> Visit {
    var v = Visit(
      caseReference: reference, type: VisitType(rawValue: r["type"]) ?? .other,
      date: date(r["date"]) ?? LocalDate(daysSinceEpoch: 0),
      time: r["time"], childSeen: r["childSeen"], outcome: r["outcome"], nextStep: r["nextStep"],
      agency: (r["agency"] as String?).flatMap(Agency.init(rawValue:)), by: r["name"])
    v.id = r["id"]
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
        let doneOn: LocalDate = date(r["doneOn"]) ?? c.openedOn
        let result: String = r["result"]
        let visitId: Int64? = r["visitId"]
        recorded[item] = .done(on: doneOn, by: by, result: result, visitId: visitId)
      } else {
        let reason: String = r["reason"]
        recorded[item] = .notApplicable(reason: reason, by: by)
      }
    }
    return EnquiryChecklist(reason: c.reason, ground: c.deletionGround, recorded: recorded)
  }

  static func actions(where condition: String, arguments: StatementArguments, in db: Database) throws -> [CaseAction] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT a.*, c.reference, u.name FROM caseAction a JOIN cmeCase c ON c.id = a.caseId JOIN user u ON u.id = a.raisedById
        WHERE \(condition) ORDER BY a.dueOn, a.id
        """, arguments: arguments
    ).map { r in
      CaseAction(
        id: r["id"], caseReference: r["reference"], agency: Agency(rawValue: r["agency"]) ?? .other,
        description: r["description"],
        dueOn: date(r["dueOn"]) ?? LocalDate(daysSinceEpoch: 0), owner: r["owner"],
        state: ActionState(rawValue: r["state"]) ?? .open, note: r["note"], raisedBy: r["name"],
        raisedOn: date(r["raisedOn"]) ?? LocalDate(daysSinceEpoch: 0))
    }
  }

  /// Everything the casework says about a case on `today`.
  static func assess(_ c: CMECase, child: Child, in db: Database, today: LocalDate) throws -> CaseAssessment {
    let casework = try Register.casework(ofCasesWhere: "c.id = ?", arguments: [c.id], in: db)
    return assessCase(
      CaseFacts(caseRecord: c, child: child, casework: casework[c.id ?? 0] ?? .init()), today: today,
      calendar: try Register.calendar(in: db).calendar, settings: try Register.settings(in: db))
  }

  /// The casework of every case matching `condition` (on `cmeCase c`), as
  /// its assessment looks at it, in five queries however many cases match.
  /// Cases with nothing recorded are left out.
  static func casework(ofCasesWhere condition: String, arguments: StatementArguments, in db: Database) throws
    -> [Int64: CaseFacts.Casework]
  {
    let cases = "SELECT c.id FROM cmeCase c WHERE \(condition)"
    var casework: [Int64: CaseFacts.Casework] = [:]
    // Columns by position below: these loops run over every matching case's rows.
    // Each case's visits, latest first (by date, time of day and id, as the
    // case shows them): the first is the latest contact, read in full after.
    var latest: [Int64] = []
    let visits = try Row.fetchCursor(
      db,
      sql: """
        SELECT caseId, id, type = 'home-visit', date, childSeen FROM visit WHERE caseId IN (\(cases))
        ORDER BY caseId, date DESC, time DESC, id DESC
        """, arguments: arguments)
    while let r = try visits.next() {
      let id: Int64 = r[0]
      if casework[id] == nil {
        casework[id] = .init()
        latest.append(r[1])
      }
      if r[2] { casework[id]?.firstHomeVisit = date(r[3]) }
      if (r[4] as Bool?) == true, casework[id]?.lastSeen == nil { casework[id]?.lastSeen = date(r[3]) }
    }
    if !latest.isEmpty {
      let contacts = try Row.fetchCursor(
        db,
        sql: """
          SELECT v.*, u.name, k.reference FROM visit v JOIN user u ON u.id = v.byUserId JOIN cmeCase k ON k.id = v.caseId
          WHERE v.id IN (\(latest.map(String.init).joined(separator: ",")))
          """)
      while let r = try contacts.next() {
        casework[r["caseId"]]?.lastContact = decodeVisit(r, reference: r["reference"])
      }
    }
    // (`+state`: look actions up by case, not by state, which is slow for one case.)
    let actions = try Row.fetchCursor(
      db, sql: "SELECT caseId, dueOn FROM caseAction WHERE +state IN ('open', 'accepted') AND caseId IN (\(cases))",
      arguments: arguments)
    while let r = try actions.next() {
      if let due = date(r[1]) { casework[r[0], default: .init()].liveActionsDue.append(due) }
    }
    let enquiries = try Row.fetchCursor(
      db, sql: "SELECT caseId, item, state = 'done' FROM enquiry WHERE caseId IN (\(cases))", arguments: arguments)
    while let r = try enquiries.next() {
      guard let item = EnquiryItem(rawValue: r[1]) else { continue }
      if r[2] {
        casework[r[0], default: .init()].enquiriesDone.insert(item)
      } else {
        casework[r[0], default: .init()].enquiriesNotApplicable.insert(item)
      }
    }
    let milestones = try Row.fetchCursor(
      db, sql: "SELECT caseId, kind, onDate FROM caseMilestone WHERE caseId IN (\(cases))", arguments: arguments)
    while let r = try milestones.next() {
      let id: Int64 = r[0]
      switch r[1] as String {
      case "ill-since": casework[id, default: .init()].illSince = date(r[2])
      case "fair-access-referred": casework[id, default: .init()].fairAccessReferredOn = date(r[2])
      default: break
      }
    }
    return casework
  }

  /// Every case matching `condition` (on `cmeCase c`) with its child and
  /// casework, for assessing many cases at once, in id order. The child is
  /// read as far as the assessment and the board pack look at it: names, date
  /// of birth, the coded characteristics and the safeguarding markers, without
  /// name history, addresses or carers.
  static func caseFacts(where condition: String, arguments: StatementArguments, in db: Database) throws
    -> [CaseFacts]
  {
    let casework = try Register.casework(ofCasesWhere: condition, arguments: arguments, in: db)
    var concerns: [Int64: Set<SafeguardingConcern>] = [:]
    for r in try Row.fetchAll(
      db,
      sql:
        "SELECT childId, concern FROM childConcern WHERE childId IN (SELECT c.childId FROM cmeCase c WHERE \(condition))",
      arguments: arguments)
    {
      if let concern = SafeguardingConcern(rawValue: r["concern"]) {
        concerns[r["childId"], default: []].insert(concern)
      }
    }
    var facts: [CaseFacts] = []
    let statement = try db.makeStatement(
      sql: """
        SELECT \(caseColumns), ch.legalSurname, ch.legalForename, ch.dateOfBirth, ch.sex, ch.ethnicity, ch.firstLanguage,
          ch.senProvision, ch.lookedAfter, ch.careAuthority, ch.childProtectionPlan, ch.childInNeed, ch.youthJustice,
          ch.freeSchoolMeals
        FROM cmeCase c JOIN child ch ON ch.id = c.childId LEFT JOIN user lead ON lead.id = c.leadCaseworkerId
        WHERE \(condition) ORDER BY c.id
        """)
    // The child's columns follow the case's, in this order.
    let ch = statement.index(ofColumn: "legalSurname") ?? 0
    let rows = try Row.fetchCursor(statement, arguments: arguments)
    while let r = try rows.next() {
      let c = decodeCase(r)
      var child = Child(
        legalSurname: r[ch], legalForename: r[ch + 1], dateOfBirth: date(r[ch + 2]) ?? LocalDate(daysSinceEpoch: 0))
      child.id = c.childId
      child.sex = Sex(rawValue: r[ch + 3]) ?? .unknown
      child.ethnicity = (r[ch + 4] as String?).map(Ethnicity.init(checked:))
      child.firstLanguage = (r[ch + 5] as String?).map(LanguageCode.init(checked:))
      child.senProvision = (r[ch + 6] as String?).flatMap(SENProvision.init(rawValue:))
      child.lookedAfter = r[ch + 7]
      child.careAuthority = r[ch + 8]
      child.childProtectionPlan = r[ch + 9]
      child.childInNeed = r[ch + 10]
      child.youthJustice = r[ch + 11]
      child.freeSchoolMeals = r[ch + 12]
      child.concerns = concerns[c.childId] ?? []
      facts.append(CaseFacts(caseRecord: c, child: child, casework: casework[c.id ?? 0] ?? .init()))
    }
    return facts
  }

  /// The assessment of a case on `today`: clocks, casework and the RAG suggestion.
  public func assessment(_ reference: CaseReference, by actor: String, today: LocalDate) throws -> (
    CMECase, CaseAssessment
  ) {
    try user(named: actor).require(.readRegister)
    return try read { db in
      let c = try Register.fetchCase(reference, in: db)
      return (c, try Register.assess(c, child: try Register.child(id: c.childId, in: db), in: db, today: today))
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
          date: date(r["effectiveOn"]) ?? c.openedOn, at: r["at"], kind: "status", text: text, by: r["name"]))
    }
    for r in try Row.fetchAll(
      db, sql: "SELECT r.*, u.name FROM ragRating r JOIN user u ON u.id = r.byUserId WHERE r.caseId = ?",
      arguments: [c.id])
    {
      let rating: String = r["rating"]
      let suggested: String = r["suggested"]
      events.append(
        TimelineEvent(
          date: date(String((r["at"] as String).prefix(10))) ?? c.openedOn, at: r["at"], kind: "rag",
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
          by: v.by))
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
          date: date(r["doneOn"]) ?? date(String((r["at"] as String).prefix(10))) ?? c.openedOn, at: r["at"],
          kind: "enquiry",
          text: done
            ? "enquiry done — \(item): \(r["result"] as String)"
            : "enquiry not applicable — \(item): \(r["reason"] as String)",
          by: r["name"]))
    }
    for r in try Row.fetchAll(
      db,
      sql: """
        SELECT e.*, a.agency, a.description, a.dueOn, u.name FROM caseActionEvent e JOIN caseAction a ON a.id = e.actionId
        JOIN user u ON u.id = e.byUserId WHERE a.caseId = ?
        """, arguments: [c.id])
    {
      let state: String = r["state"]
      let agencyCode: String = r["agency"]
      let agency: String = Agency(rawValue: agencyCode)?.label ?? agencyCode
      let text =
        state == "open"
        ? "action \(r["actionId"] as Int64) for \(agency): \(r["description"] as String) (due \(r["dueOn"] as String))"
        : "action \(r["actionId"] as Int64) \(state)\((r["note"] as String?).map { ": \($0)" } ?? "")"
      events.append(
        TimelineEvent(
          date: date(String((r["at"] as String).prefix(10))) ?? c.openedOn, at: r["at"], kind: "action", text: text,
          by: r["name"]))
    }
    for k in try checks(caseId: c.id!, reference: c.reference, in: db) {
      events.append(
        TimelineEvent(
          date: date(String(k.checkedAt.prefix(10))) ?? c.openedOn, at: k.checkedAt, kind: "check",
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
    nextStep: String?, agency: Agency?, by actor: String, today: LocalDate
  ) throws -> Visit {
    let outcome = try requireText(outcome, field: "--outcome", what: "the outcome")
    return try write(as: actor, needs: .writeCases) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      try Visit.validate(date: date, time: time, caseOpenedOn: c.openedOn, today: today)
      var v = Visit(
        caseReference: c.reference, type: type, date: date, time: time, childSeen: childSeen, outcome: outcome,
        nextStep: optionalText(nextStep), agency: agency, by: audit.actor.name)
      try db.execute(
        sql: """
          INSERT INTO visit (caseId, type, date, time, childSeen, outcome, nextStep, agency, byUserId, at, auditSeq)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          c.id, type.rawValue, date.description, time, childSeen, outcome, v.nextStep, agency?.rawValue, audit.actor.id,
          audit.at,
          audit.nextSequence,
        ])
      v.id = db.lastInsertedRowID
      try audit.append(
        action: "visit.log", entity: "visit", entityId: String(v.id!), childId: c.childId, caseId: c.id, after: v)
      return v
    }
  }

  // MARK: - Enquiries

  /// A case's reasonable-enquiries checklist.
  public func enquiries(_ reference: CaseReference, by actor: String) throws -> (CMECase, EnquiryChecklist) {
    try user(named: actor).require(.readRegister)
    return try read { db in
      let c = try Register.fetchCase(reference, in: db)
      return (c, try Register.checklist(for: c, in: db))
    }
  }

  /// Marks an enquiry done, optionally linked to the visit that made it.
  public func markEnquiryDone(
    _ reference: CaseReference, item: EnquiryItem, result: String, visitId: Int64?, on date: LocalDate?,
    by actor: String,
    today: LocalDate
  ) throws {
    let result = try requireText(result, field: "--result", what: "the result")
    try write(as: actor, needs: .writeCases) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      var doneOn = date ?? today
      if let visitId {
        guard
          let visitDate = try String.fetchOne(
            db, sql: "SELECT date FROM visit WHERE id = ? AND caseId = ?", arguments: [visitId, c.id])
        else {
          throw InvalidInput(
            field: "--visit", problem: "visit \(visitId) is not a visit of \(c.reference)",
            fix: "See the case's visits with 'cme case show \(c.reference)'")
        }
        if date == nil { doneOn = Register.date(visitDate) ?? doneOn }
      }
      guard doneOn <= today else {
        throw InvalidInput(
          field: "--on", problem: "\(doneOn) is in the future", fix: "Record an enquiry once it is made")
      }
      guard doneOn >= c.openedOn else {
        throw InvalidInput(
          field: "--on", problem: "\(doneOn) is before the case opened (\(c.openedOn))",
          fix: "Give the day the enquiry was made")
      }
      try Register.saveEnquiry(
        c, item: item, state: "done", doneOn: doneOn, result: result, visitId: visitId, reason: nil, in: db,
        audit: &audit)
    }
  }

  /// Marks an enquiry not applicable, with the reason.
  public func markEnquiryNotApplicable(_ reference: CaseReference, item: EnquiryItem, reason: String, by actor: String)
    throws
  {
    let reason = try requireText(reason, field: "--reason", what: "the reason")
    try write(as: actor, needs: .writeCases) { db, audit in
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
    try db.execute(
      sql: """
        INSERT INTO enquiry (caseId, item, state, doneOn, result, visitId, reason, byUserId, at, auditSeq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (caseId, item) DO UPDATE SET state = excluded.state, doneOn = excluded.doneOn, result = excluded.result,
          visitId = excluded.visitId, reason = excluded.reason, byUserId = excluded.byUserId, at = excluded.at, auditSeq = excluded.auditSeq
        """,
      arguments: [
        c.id, item.rawValue, state, doneOn?.description, result, visitId, reason, audit.actor.id, audit.at,
        audit.nextSequence,
      ])
    let after = [
      "state": state, "doneOn": doneOn?.description, "result": result, "reason": reason,
      "visitId": visitId.map(String.init),
    ]
    .compactMapValues { $0 }
    try audit.append(
      action: state == "done" ? "enquiry.done" : "enquiry.na", entity: "enquiry",
      entityId: "\(c.reference):\(item.rawValue)",
      childId: c.childId, caseId: c.id, reason: reason, before: before, after: after)
  }

  // MARK: - Actions

  /// Raises an action for a partner agency.
  public func addAction(
    _ reference: CaseReference, agency: Agency, description: String, due: LocalDate, owner: String?, by actor: String,
    today: LocalDate
  ) throws -> CaseAction {
    try ActionRules.validateNew(description: description, dueOn: due, today: today)
    return try write(as: actor, needs: .writeCases) { db, audit in
      try Register.performAddAction(
        try Register.fetchCase(reference, in: db), agency: agency, description: description, due: due, owner: owner,
        today: today,
        in: db, audit: &audit)
    }
  }

  /// Raises an action inside a write transaction (also used by board decisions).
  static func performAddAction(
    _ c: CMECase, agency: Agency, description: String, due: LocalDate, owner: String?, today: LocalDate,
    in db: Database,
    audit: inout AuditWriter
  ) throws -> CaseAction {
    try ActionRules.validateNew(description: description, dueOn: due, today: today)
    guard c.status == .open else {
      throw StoreError.conflict("\(c.reference) is closed; reopen it before raising actions")
    }
    let description = description.trimmingCharacters(in: .whitespacesAndNewlines)
    try db.execute(
      sql: """
        INSERT INTO caseAction (caseId, agency, description, dueOn, owner, state, raisedById, raisedOn, auditSeq)
        VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)
        """,
      arguments: [
        c.id, agency.rawValue, description, due.description, optionalText(owner), audit.actor.id, today.description,
        audit.nextSequence,
      ])
    let id = db.lastInsertedRowID
    try db.execute(
      sql: "INSERT INTO caseActionEvent (actionId, state, byUserId, at, auditSeq) VALUES (?, 'open', ?, ?, ?)",
      arguments: [id, audit.actor.id, audit.at, audit.nextSequence])
    let a = CaseAction(
      id: id, caseReference: c.reference, agency: agency, description: description, dueOn: due,
      owner: optionalText(owner),
      state: .open, note: nil, raisedBy: audit.actor.name, raisedOn: today)
    try audit.append(
      action: "action.add", entity: "action", entityId: String(id), childId: c.childId, caseId: c.id, after: a)
    return a
  }

  /// Moves an action on: accepted, declined (reason), done (outcome) or cancelled (reason).
  public func moveAction(_ id: Int64, to state: ActionState, note: String?, by actor: String) throws -> CaseAction {
    try write(as: actor, needs: .writeCases) { db, audit in
      guard let before = try Register.actions(where: "a.id = ?", arguments: [id], in: db).first else {
        throw StoreError.notFound(what: "action", key: String(id), hint: "List actions with 'cme action list'")
      }
      try ActionRules.validateMove(id: id, from: before.state, to: state, note: note)
      var after = before
      after.state = state
      after.note = optionalText(note) ?? before.note
      try db.execute(
        sql: "UPDATE caseAction SET state = ?, note = ?, auditSeq = ? WHERE id = ?",
        arguments: [state.rawValue, after.note, audit.nextSequence, id])
      try db.execute(
        sql: "INSERT INTO caseActionEvent (actionId, state, note, byUserId, at, auditSeq) VALUES (?, ?, ?, ?, ?, ?)",
        arguments: [id, state.rawValue, optionalText(note), audit.actor.id, audit.at, audit.nextSequence])
      let caseRow = try Row.fetchOne(
        db, sql: "SELECT id, childId FROM cmeCase WHERE reference = ?", arguments: [before.caseReference])
      try audit.append(
        action: "action.\(state.rawValue)", entity: "action", entityId: String(id), childId: caseRow?["childId"],
        caseId: caseRow?["id"],
        reason: optionalText(note), before: before, after: after)
      return after
    }
  }

  /// Actions, soonest due first, filtered as asked.
  public func listActions(
    case reference: CaseReference?, agency: Agency?, overdueOnly: Bool, owner: String?, includeFinished: Bool,
    by actor: String,
    today: LocalDate
  ) throws -> [ActionStatus] {
    try user(named: actor).require(.readRegister)
    return try read { db in
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
      let settings = try Register.settings(in: db)
      let calendar = try Register.calendar(in: db).calendar
      return try Register.actions(
        where: conditions.joined(separator: " AND "), arguments: StatementArguments(args), in: db
      ).map { a in
        let late = a.schoolDaysOverdue(on: today, calendar: calendar)
        return ActionStatus(
          action: a, schoolDaysOverdue: late, escalate: late > settings.escalateActionsAfterSchoolDays)
      }
    }
  }

  // MARK: - Updating a case

  /// Changes what is known about an open case: whereabouts, lead
  /// caseworker, and the dates that start the sickness and Fair Access clocks.
  public func updateCase(
    _ reference: CaseReference, whereaboutsKnown: Bool?, lead: String?, illSince: LocalDate?,
    fairAccessReferred: LocalDate?,
    reason: String, by actor: String, today: LocalDate
  ) throws -> CMECase {
    let reason = try requireText(reason, field: "--reason", what: "the reason")
    guard whereaboutsKnown != nil || lead != nil || illSince != nil || fairAccessReferred != nil else {
      throw InvalidInput(
        field: "CASE", problem: "nothing to change",
        fix: "Give --whereabouts, --lead, --ill-since or --fair-access-referred")
    }
    return try write(as: actor, needs: .writeCases) { db, audit in
      let before = try Register.fetchCase(reference, in: db)
      guard before.status == .open else { throw StoreError.conflict("\(before.reference) is closed; reopen it first") }
      var after = before
      let seq = audit.nextSequence
      if let known = whereaboutsKnown {
        after.whereaboutsKnown = known
        try db.execute(
          sql: "UPDATE cmeCase SET whereaboutsKnown = ?, auditSeq = ? WHERE id = ?", arguments: [known, seq, before.id])
      }
      if let lead {
        let id = try Register.userId(lead, in: db, field: "--lead", roles: [.caseworker, .manager])
        after.leadCaseworker = lead
        try db.execute(
          sql: "UPDATE cmeCase SET leadCaseworkerId = ?, auditSeq = ? WHERE id = ?", arguments: [id, seq, before.id])
      }
      var milestones: [String: String] = [:]
      for (kind, day, field) in [
        ("ill-since", illSince, "--ill-since"), ("fair-access-referred", fairAccessReferred, "--fair-access-referred"),
      ] {
        guard let day else { continue }
        guard day <= today else {
          throw InvalidInput(field: field, problem: "\(day) is in the future", fix: "Give a date on or before today")
        }
        try db.execute(
          sql: """
            INSERT INTO caseMilestone (caseId, kind, onDate, byUserId, at, auditSeq) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (caseId, kind) DO UPDATE SET onDate = excluded.onDate, byUserId = excluded.byUserId, at = excluded.at, auditSeq = excluded.auditSeq
            """, arguments: [before.id, kind, day.description, audit.actor.id, audit.at, seq])
        milestones[kind] = day.description
      }
      try audit.append(
        action: "case.update", entity: "case", entityId: before.reference, childId: before.childId, caseId: before.id,
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
