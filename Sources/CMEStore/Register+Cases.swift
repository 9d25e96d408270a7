import CMEDomain
import Foundation
import GRDB

/// What a user gives to open a case.
public struct CaseOpening: Sendable {
  public var childId: Int64
  public var reason: CaseReason
  public var source: ReferralSource?
  public var ground: DeletionGround?
  public var lastAttended: LocalDate?
  public var openedOn: LocalDate?
  public var whereaboutsKnown: Bool
  public var leadCaseworker: String?

  public init(
    childId: Int64, reason: CaseReason, source: ReferralSource? = nil, ground: DeletionGround? = nil,
    lastAttended: LocalDate? = nil, openedOn: LocalDate? = nil, whereaboutsKnown: Bool = false,
    leadCaseworker: String? = nil
  ) {
    self.childId = childId
    self.reason = reason
    self.source = source
    self.ground = ground
    self.lastAttended = lastAttended
    self.openedOn = openedOn
    self.whereaboutsKnown = whereaboutsKnown
    self.leadCaseworker = leadCaseworker
  }
}

/// A case's full record: the case, its child, and its history.
public struct CaseDetail: Sendable, Codable {
  public var caseRecord: CMECase
  public var child: Child
  public var statusHistory: [StatusChange]
  public var ragHistory: [RAGChange]
  public var checks: [RegisterCheck]
  public var assessment: CaseAssessment
  public var visits: [Visit]
  public var enquiries: [EnquiryLine]
  public var actions: [CaseAction]
  public var closureEvidence: ClosureEvidence?
  /// A closure a school's return has proposed, awaiting the caseworker.
  public var closureProposal: String?
  /// Everything that happened, oldest first.
  public var timeline: [TimelineEvent]
}

/// One rating in a case's RAG history.
public struct RAGChange: Sendable, Codable, Hashable {
  public var rating: RAG
  public var suggested: RAG
  public var rationale: String
  public var by: String
  public var at: String
}

extension Register {
  static let caseColumns = """
    c.id, c.reference, c.childId, c.openedOn, c.referralSource, c.reason, c.groundRegime, c.ground,
    c.lastAttended, c.whereaboutsKnown, lead.name AS lead, c.status, c.closedOn, c.outcome,
    c.outcomeEvidence, c.rag
    """

  static func decodeCase(_ r: Row) -> CMECase {
    var ground: DeletionGround?
    if let regime = (r["groundRegime"] as String?).flatMap(DeletionGround.Regime.init(rawValue:)),
      let letter = r["ground"] as String?
    {
      ground = try? DeletionGround(regime: regime, letter: letter)
    }
    var c = CMECase(
      reference: r["reference"], childId: r["childId"],
      openedOn: date(r["openedOn"]) ?? LocalDate(daysSinceEpoch: 0),
      referralSource: ReferralSource(rawValue: r["referralSource"]) ?? .other,
      reason: CaseReason(rawValue: r["reason"]) ?? .notKnown, deletionGround: ground,
      lastAttended: date(r["lastAttended"]), whereaboutsKnown: r["whereaboutsKnown"], leadCaseworker: r["lead"])
    c.id = r["id"]
    c.status = CaseStatus(rawValue: r["status"]) ?? .open
    c.closedOn = date(r["closedOn"])
    c.outcome = (r["outcome"] as String?).flatMap(ClosureOutcome.init(rawValue:))
    c.outcomeEvidence = r["outcomeEvidence"]
    c.rag = (r["rag"] as String?).flatMap(RAG.init(rawValue:))
    return c
  }

  /// Reads a case by its reference, or throws ``StoreError/notFound(what:key:hint:)``.
  static func fetchCase(_ reference: CaseReference, in db: Database) throws -> CMECase {
    guard
      let r = try Row.fetchOne(
        db,
        sql:
          "SELECT \(caseColumns) FROM cmeCase c LEFT JOIN user lead ON lead.id = c.leadCaseworkerId WHERE c.reference = ?",
        arguments: [reference.description])
    else {
      throw StoreError.notFound(what: "case", key: reference.description, hint: "List cases with 'cme case list'")
    }
    return decodeCase(r)
  }

  static func caseSummaries(
    in db: Database, where condition: String, arguments: StatementArguments,
    order: String = "c.openedOn DESC, c.id DESC",
    limit: Int? = nil
  ) throws -> [CaseSummary] {
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT \(caseColumns), ch.legalForename, ch.legalSurname, ch.preferredForename, ch.preferredSurname,
          ch.dateOfBirth
        FROM cmeCase c JOIN child ch ON ch.id = c.childId LEFT JOIN user lead ON lead.id = c.leadCaseworkerId
        WHERE \(condition) ORDER BY \(order) \(limit.map { "LIMIT \($0)" } ?? "")
        """, arguments: arguments)
    return rows.map { r in
      let c = decodeCase(r)
      return CaseSummary(
        id: c.id ?? 0, reference: c.reference, childId: c.childId,
        childName:
          "\(r["preferredForename"] as String? ?? r["legalForename"]) \(r["preferredSurname"] as String? ?? r["legalSurname"])",
        dateOfBirth: LocalDate(iso: r["dateOfBirth"]) ?? LocalDate(daysSinceEpoch: 0),
        status: c.status, reason: c.reason, rag: c.rag, openedOn: c.openedOn, closedOn: c.closedOn,
        outcome: c.outcome, whereaboutsKnown: c.whereaboutsKnown, leadCaseworker: c.leadCaseworker)
    }
  }

  /// The next free reference for a case opened in `year`.
  ///
  /// A range on the reference (not LIKE, which is case-insensitive and cannot
  /// use the unique index) keeps this an index scan of one year's cases.
  static func nextReference(year: Int, in db: Database) throws -> CaseReference {
    let last =
      try Int.fetchOne(
        db,
        sql: "SELECT max(CAST(substr(reference, 10) AS INTEGER)) FROM cmeCase WHERE reference >= ? AND reference < ?",
        arguments: ["CME-\(year)-", "CME-\(year)."]) ?? 0
    return CaseReference(year: year, number: last + 1)
  }

  static func userId(_ name: String, in db: Database, field: String, roles: Set<Role>) throws -> Int64 {
    guard
      let r = try Row.fetchOne(db, sql: "SELECT id, role FROM user WHERE name = ? AND active = 1", arguments: [name])
    else {
      throw InvalidInput(
        field: field, problem: "'\(name)' is not a user of this register", fix: "See users with 'cme user list'")
    }
    guard let role = Role(rawValue: r["role"]), roles.contains(role) else {
      throw InvalidInput(
        field: field, problem: "'\(name)' is a \(r["role"] as String) and cannot lead a case",
        fix: "Choose a caseworker or a manager")
    }
    return r["id"]
  }

  /// Opens a case for a child and returns it, rated by the RAG suggestion.
  ///
  /// A child has at most one open case; the first rating is the suggestion
  /// on the opening day, recorded by the user who opened it.
  public func openCase(_ o: CaseOpening, by actor: String, today: LocalDate) throws -> CMECase {
    let openedOn = o.openedOn ?? today
    try CaseRules.validateOpening(openedOn: openedOn, lastAttended: o.lastAttended, today: today)
    return try write(as: actor, needs: .writeCases) { db, audit in
      let child = try Register.child(id: o.childId, in: db)
      if let open = try String.fetchOne(
        db, sql: "SELECT reference FROM cmeCase WHERE childId = ? AND status = 'open'", arguments: [o.childId])
      {
        throw StoreError.conflict(
          "child \(o.childId) already has an open case, \(open); work that case, or close it before opening another")
      }
      let leadId = try o.leadCaseworker.map {
        try Register.userId($0, in: db, field: "--lead", roles: [.caseworker, .manager])
      }
      let reference = try Register.nextReference(year: openedOn.year, in: db)
      let source = o.source ?? (o.ground != nil ? .schoolDeletionReturn : .other)
      var c = CMECase(
        reference: reference.description, childId: o.childId, openedOn: openedOn, referralSource: source,
        reason: o.reason, deletionGround: o.ground, lastAttended: o.lastAttended,
        whereaboutsKnown: o.whereaboutsKnown, leadCaseworker: o.leadCaseworker)
      let seq = audit.nextSequence
      try db.execute(
        sql: """
          INSERT INTO cmeCase (reference, childId, openedOn, referralSource, reason, groundRegime, ground,
            lastAttended, whereaboutsKnown, leadCaseworkerId, status, auditSeq)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)
          """,
        arguments: [
          c.reference, c.childId, openedOn.description, source.rawValue, o.reason.rawValue,
          o.ground?.regime.rawValue, o.ground?.letter, o.lastAttended?.description, o.whereaboutsKnown, leadId, seq,
        ])
      c.id = db.lastInsertedRowID
      try db.execute(
        sql:
          "INSERT INTO caseStatusChange (caseId, kind, effectiveOn, byUserId, at, auditSeq) VALUES (?, 'opened', ?, ?, ?, ?)",
        arguments: [c.id, openedOn.description, audit.actor.id, audit.at, seq])
      let suggestion = try Register.assess(c, child: child, in: db, today: today).suggestion
      c.rag = suggestion.rating
      try db.execute(sql: "UPDATE cmeCase SET rag = ? WHERE id = ?", arguments: [suggestion.rating.rawValue, c.id])
      try Register.insertRating(
        caseId: c.id!, rating: suggestion.rating, suggestion: suggestion,
        rationale: "suggested when the case opened: \(suggestion.summary)", in: db, audit: audit)
      try audit.append(
        action: "case.open", entity: "case", entityId: c.reference, childId: c.childId, caseId: c.id, after: c)
      return c
    }
  }

  /// A case's full record. The viewing is logged.
  public func caseDetail(_ reference: CaseReference, viewedBy actor: String, today: LocalDate) throws -> CaseDetail {
    try write(as: actor, needs: .readRegister) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      let detail = try Register.caseDetail(c, child: try Register.child(id: c.childId, in: db), in: db, today: today)
      try audit.append(action: "case.view", entity: "case", entityId: c.reference, childId: c.childId, caseId: c.id)
      return detail
    }
  }

  /// Everything held on a case: its history, assessment, casework and, once
  /// closed, the evidence it closed on. Shown by `case show` and written in a
  /// subject-access export.
  static func caseDetail(_ c: CMECase, child: Child, in db: Database, today: LocalDate) throws -> CaseDetail {
    let status = try Row.fetchAll(
      db,
      sql: """
        SELECT s.kind, s.effectiveOn, s.outcome, s.note, u.name, s.at FROM caseStatusChange s
        JOIN user u ON u.id = s.byUserId WHERE s.caseId = ? ORDER BY s.id
        """, arguments: [c.id]
    ).map { r in
      StatusChange(
        kind: StatusChange.Kind(rawValue: r["kind"]) ?? .opened,
        effectiveOn: LocalDate(iso: r["effectiveOn"]) ?? c.openedOn,
        note: [r["outcome"] as String?, r["note"] as String?].compactMap { $0 }.joined(separator: ": "),
        by: r["name"], at: r["at"])
    }
    let evidence = try Row.fetchOne(
      db,
      sql: """
        SELECT e.*, s.note FROM closureEvidence e JOIN caseStatusChange s ON s.id = e.statusChangeId
        WHERE s.caseId = ? AND s.kind = 'closed' ORDER BY s.id DESC LIMIT 1
        """, arguments: [c.id]
    ).map {
      ClosureEvidence(
        text: $0["note"] ?? "", school: $0["school"], startDate: Register.date($0["startDate"]),
        newAddress: $0["newAddress"],
        confirmation: $0["confirmation"])
    }
    return CaseDetail(
      caseRecord: c, child: child, statusHistory: status, ragHistory: try Register.ragHistory(caseId: c.id!, in: db),
      checks: try Register.checks(caseId: c.id!, reference: c.reference, in: db),
      assessment: try Register.assess(c, child: child, in: db, today: today),
      visits: try Register.visits(caseId: c.id!, reference: c.reference, in: db),
      enquiries: try Register.checklist(for: c, in: db).lines,
      actions: try Register.actions(where: "a.caseId = ?", arguments: [c.id], in: db),
      closureEvidence: c.status == .closed ? evidence : nil,
      closureProposal: c.status == .open ? try Register.proposal(caseId: c.id!, in: db) : nil,
      timeline: try Register.timeline(for: c, in: db))
  }

  /// Cases, newest first, optionally by status and rating.
  public func listCases(status: CaseStatus?, rag: RAG?, by actor: String, limit: Int? = nil) throws -> [CaseSummary] {
    try user(named: actor).require(.readRegister)
    var conditions = ["1"]
    var args: [any DatabaseValueConvertible] = []
    if let status {
      conditions.append("c.status = ?")
      args.append(status.rawValue)
    }
    if let rag {
      conditions.append("c.rag = ?")
      args.append(rag.rawValue)
    }
    return try read { db in
      try Register.caseSummaries(
        in: db, where: conditions.joined(separator: " AND "), arguments: StatementArguments(args), limit: limit)
    }
  }

  /// Closes an open case with an outcome and the evidence that outcome needs.
  public func closeCase(
    _ reference: CaseReference, outcome: ClosureOutcome, evidence details: ClosureEvidence, on date: LocalDate?,
    by actor: String, today: LocalDate
  ) throws -> CMECase {
    try write(as: actor, needs: .writeCases) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      var details = details
      // A new-registration return's proposal supplies the school and start date.
      if [.onRollLASchool, .onRollOtherLASchool, .onRollIndependent].contains(outcome),
        let p = try Row.fetchOne(
          db, sql: "SELECT school, startDate FROM closureProposal WHERE caseId = ? ORDER BY id DESC LIMIT 1",
          arguments: [c.id])
      {
        details.school = details.school ?? SchoolRef(storageKey: p["school"]).map(\.description)
        details.startDate = details.startDate ?? Register.date(p["startDate"])
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
    try CaseRules.validateClosing(before, on: closedOn, evidence: details.text, today: today)
    let evidence = try requireText(details.text, field: "--evidence", what: "the evidence")
    let missing = ClosureRules.missing(
      outcome: outcome, evidence: details, closedOn: closedOn, enquiries: try Register.checklist(for: before, in: db))
    guard missing.isEmpty else {
      throw InvalidInput(
        field: "--outcome",
        problem: "\(before.reference) cannot close as \(outcome.rawValue) without " + missing.joined(separator: "; "),
        fix: "Give what is missing, or choose the outcome the evidence supports")
    }
    var after = before
    after.status = .closed
    after.closedOn = closedOn
    after.outcome = outcome
    after.outcomeEvidence = evidence
    let seq = audit.nextSequence
    try db.execute(
      sql:
        "UPDATE cmeCase SET status = 'closed', closedOn = ?, outcome = ?, outcomeEvidence = ?, auditSeq = ? WHERE id = ?",
      arguments: [closedOn.description, outcome.rawValue, evidence, seq, before.id])
    try db.execute(
      sql: """
        INSERT INTO caseStatusChange (caseId, kind, effectiveOn, outcome, note, byUserId, at, auditSeq)
        VALUES (?, 'closed', ?, ?, ?, ?, ?, ?)
        """,
      arguments: [before.id, closedOn.description, outcome.rawValue, evidence, audit.actor.id, audit.at, seq])
    try db.execute(
      sql:
        "INSERT INTO closureEvidence (statusChangeId, school, startDate, newAddress, confirmation, auditSeq) VALUES (?, ?, ?, ?, ?, ?)",
      arguments: [
        db.lastInsertedRowID, optionalText(details.school), details.startDate?.description,
        optionalText(details.newAddress),
        optionalText(details.confirmation), seq,
      ])
    try audit.append(
      action: "case.close", entity: "case", entityId: before.reference, childId: before.childId, caseId: before.id,
      reason: evidence, before: before, after: ClosedCase(caseRecord: after, evidence: details))
    return after
  }

  /// Reopens a closed case. Its earlier closure stays in its history.
  public func reopenCase(
    _ reference: CaseReference, reason: String, on date: LocalDate?, by actor: String, today: LocalDate
  ) throws -> CMECase {
    let reason = try requireText(reason, field: "--reason", what: "the reason")
    return try write(as: actor, needs: .writeCases) { db, audit in
      let before = try Register.fetchCase(reference, in: db)
      let on = date ?? today
      try CaseRules.validateReopening(before, on: on, today: today)
      if let open = try String.fetchOne(
        db, sql: "SELECT reference FROM cmeCase WHERE childId = ? AND status = 'open'", arguments: [before.childId])
      {
        throw StoreError.conflict("child \(before.childId) already has an open case, \(open); work that one instead")
      }
      var after = before
      after.status = .open
      after.closedOn = nil
      after.outcome = nil
      after.outcomeEvidence = nil
      let child = try Register.child(id: before.childId, in: db)
      let seq = audit.nextSequence
      try db.execute(
        sql:
          "UPDATE cmeCase SET status = 'open', closedOn = NULL, outcome = NULL, outcomeEvidence = NULL, auditSeq = ? WHERE id = ?",
        arguments: [seq, before.id])
      let suggestion = try Register.assess(after, child: child, in: db, today: today).suggestion
      after.rag = suggestion.rating
      try db.execute(
        sql: "UPDATE cmeCase SET rag = ? WHERE id = ?", arguments: [suggestion.rating.rawValue, before.id])
      try db.execute(
        sql:
          "INSERT INTO caseStatusChange (caseId, kind, effectiveOn, note, byUserId, at, auditSeq) VALUES (?, 'reopened', ?, ?, ?, ?, ?)",
        arguments: [before.id, on.description, reason, audit.actor.id, audit.at, seq])
      try Register.insertRating(
        caseId: before.id!, rating: suggestion.rating, suggestion: suggestion,
        rationale: "suggested when the case reopened: \(suggestion.summary)", in: db, audit: audit)
      try audit.append(
        action: "case.reopen", entity: "case", entityId: before.reference, childId: before.childId, caseId: before.id,
        reason: reason, before: before, after: after)
      return after
    }
  }
}

/// What `case.close` records.
struct ClosedCase: Encodable {
  var caseRecord: CMECase
  var evidence: ClosureEvidence
}

extension Register {
  /// The latest closure proposal of a case, in words.
  static func proposal(caseId: Int64, in db: Database) throws -> String? {
    try Row.fetchOne(
      db, sql: "SELECT school, startDate, source FROM closureProposal WHERE caseId = ? ORDER BY id DESC LIMIT 1",
      arguments: [caseId]
    ).map {
      "on roll at \(SchoolRef(storageKey: $0["school"])?.description ?? ($0["school"] as String)) from \($0["startDate"] as String) (\($0["source"] as String)); confirm with 'cme case close … --outcome on-roll-la-school --evidence …'"
    }
  }
}
