import CMEDomain
import Foundation
import GRDB

/// What a user gives to open a case.
public struct CaseOpening: Sendable {
  public var childId: Int64
  public var reason: CaseReason
  public var source: ReferralSource?
  /// The deletion ground as written; the deletion date says which
  /// regulations it is under.
  public var ground: DeletionGround.Written?
  /// The day the school deleted the child (default, with a ground: the day
  /// the referral was received).
  public var deletionDate: LocalDate?
  public var lastAttended: LocalDate?
  public var openedOn: LocalDate?
  /// The day the referral reached the LA (default: the opening day).
  public var referralReceivedOn: LocalDate?
  public var whereaboutsKnown: Bool
  public var leadCaseworker: String?
  /// Why a case is opened for a child outside compulsory school age.
  public var outsideSchoolAgeReason: String?
  /// A part-time timetable's hours a week.
  public var weeklyHours: Double?

  public init(
    childId: Int64, reason: CaseReason, source: ReferralSource? = nil, ground: DeletionGround.Written? = nil,
    lastAttended: LocalDate? = nil, openedOn: LocalDate? = nil, whereaboutsKnown: Bool = false,
    leadCaseworker: String? = nil, referralReceivedOn: LocalDate? = nil, deletionDate: LocalDate? = nil,
    outsideSchoolAgeReason: String? = nil, weeklyHours: Double? = nil
  ) {
    self.weeklyHours = weeklyHours
    self.childId = childId
    self.reason = reason
    self.source = source
    self.ground = ground
    self.lastAttended = lastAttended
    self.openedOn = openedOn
    self.whereaboutsKnown = whereaboutsKnown
    self.leadCaseworker = leadCaseworker
    self.referralReceivedOn = referralReceivedOn
    self.deletionDate = deletionDate
    self.outsideSchoolAgeReason = outsideSchoolAgeReason
  }

  /// The case it describes (reference and child checks aside): each date
  /// checked against the others, the ground under the regulations in force
  /// on its deletion date.
  func caseRecord(reference: String, today: LocalDate) throws(InvalidInput) -> CMECase {
    let openedOn = openedOn ?? today
    let referral = referralReceivedOn ?? openedOn
    var ground: DeletionGround?
    var deletion = deletionDate
    if let written = self.ground {
      let day = deletionDate ?? referral
      deletion = day
      ground = try written.ground(deletedOn: day)
    }
    var c = CMECase(
      reference: reference, childId: childId, openedOn: openedOn,
      referralSource: source ?? (ground != nil ? .schoolDeletionReturn : .other), reason: reason,
      deletionGround: ground, lastAttended: lastAttended, whereaboutsKnown: whereaboutsKnown,
      leadCaseworker: leadCaseworker, referralReceivedOn: referral, deletionDate: deletion)
    c.weeklyHours = weeklyHours
    try CaseRules.validateDates(c, today: today)
    try CaseRules.validateScope(c)
    return c
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
  public var closureProposal: ClosureProposal?
  /// Everything that happened, oldest first.
  public var timeline: [TimelineEvent]
  /// The case record's version, for a change that must not overwrite another.
  public var version: Int64 = 0
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
    c.id, c.reference, c.childId, c.openedOn, c.referralReceivedOn, c.referralSource, c.reason, c.groundRegime,
    c.ground, c.deletionDate, c.lastAttended, c.whereaboutsKnown, lead.name AS lead, c.status, c.closedOn, c.outcome,
    c.outcomeEvidence, c.rag, c.outsideSchoolAgeReason, c.weeklyHours
    """

  /// A case from a row that starts with ``caseColumns``, read by position
  /// in place (lists read thousands of cases; a lookup by name, or a value
  /// made for each column, costs more than the rest).
  static func decodeCase(_ r: RawRow) throws -> CMECase {
    var ground: DeletionGround?
    if let regime = r.string(7).flatMap(DeletionGround.Regime.init(rawValue:)), let letter = r.string(8) {
      ground = try DeletionGround(regime: regime, letter: letter)
    }
    var c = CMECase(
      reference: try r.text(1, "case reference"), childId: try r.id(2, "child id"),
      openedOn: try r.storedDate(3),
      referralSource: try ReferralSource.stored(r.string(5)),
      reason: try CaseReason.stored(r.string(6)), deletionGround: ground,
      lastAttended: try r.date(10), whereaboutsKnown: r.bool(11) ?? false, leadCaseworker: r.string(12),
      referralReceivedOn: try r.storedDate(4))
    c.deletionDate = try r.date(9)
    c.outsideSchoolAgeReason = r.string(18)
    c.weeklyHours = r.double(19)
    c.id = try r.id(0, "case id")
    c.status = try CaseStatus.stored(r.string(13))
    c.closedOn = try r.date(14)
    c.outcome = try r.string(15).map { try ClosureOutcome.stored($0) }
    c.outcomeEvidence = r.string(16)
    c.rag = try r.string(17).map { try RAG.stored($0) }
    return c
  }

  /// How many columns ``caseColumns`` selects.
  static let caseColumnCount = 20

  /// Reads a case by its reference, or throws ``StoreError/notFound(what:key:)``.
  static func fetchCase(_ reference: CaseReference, in db: Database) throws -> CMECase {
    var found: CMECase?
    try RawRow.each(
      db,
      sql:
        "SELECT \(caseColumns) FROM cmeCase c LEFT JOIN user lead ON lead.id = c.leadCaseworkerId WHERE c.reference = ?",
      arguments: [reference.description]
    ) { found = try decodeCase($0) }
    guard let found else { throw StoreError.notFound(what: "case", key: reference.description) }
    return found
  }

  static func caseSummaries(
    in db: Database, where condition: String, arguments: StatementArguments,
    order: String = "c.openedOn DESC, c.id DESC",
    limit: Int? = nil, index: String? = nil
  ) throws -> [CaseSummary] {
    var summaries: [CaseSummary] = []
    // The child's columns follow the case's.
    let ch = Int32(caseColumnCount)
    try RawRow.each(
      db,
      sql: """
        SELECT \(caseColumns), ch.legalForename, ch.legalSurname, ch.preferredForename, ch.preferredSurname,
          ch.dateOfBirth
        FROM cmeCase c \(index.map { "INDEXED BY \($0)" } ?? "")
          JOIN child ch ON ch.id = c.childId LEFT JOIN user lead ON lead.id = c.leadCaseworkerId
        WHERE \(condition) ORDER BY \(order) \(limit.map { "LIMIT \($0)" } ?? "")
        """, arguments: arguments
    ) { r in
      let c = try decodeCase(r)
      let forename = try r.string(ch + 2) ?? r.text(ch, "legal forename")
      let surname = try r.string(ch + 3) ?? r.text(ch + 1, "legal surname")
      summaries.append(
        CaseSummary(
          id: c.id ?? 0, reference: c.reference, childId: c.childId, childName: "\(forename) \(surname)",
          dateOfBirth: try r.storedDate(ch + 4),
          status: c.status, reason: c.reason, rag: c.rag, openedOn: c.openedOn, closedOn: c.closedOn,
          outcome: c.outcome, whereaboutsKnown: c.whereaboutsKnown, leadCaseworker: c.leadCaseworker))
    }
    return summaries
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

  /// The id of the active user called `name`, who must be able to lead a case.
  static func leadId(_ name: String, in db: Database) throws -> Int64 {
    try userId(name, in: db, field: "leadCaseworker", roles: Set(Role.allCases.filter(\.leadsCases)))
  }

  static func userId(_ name: String, in db: Database, field: String, roles: Set<Role>) throws -> Int64 {
    guard
      let r = try Row.fetchOne(db, sql: "SELECT id, role FROM user WHERE name = ? AND active = 1", arguments: [name])
    else {
      throw InvalidInput(
        field: field, problem: "'\(name)' is not a user of this register", next: .listUsers)
    }
    let role = try Role.stored(r["role"])
    guard roles.contains(role) else {
      throw InvalidInput(
        field: field, problem: "'\(name)' is \(role.withArticle) and cannot lead a case",
        fix: "Choose a caseworker or a manager")
    }
    return r["id"]
  }

  /// Opens a case for a child and returns it, rated by the RAG suggestion.
  ///
  /// A child has at most one open case; the first rating is the suggestion
  /// on the opening day, recorded by the user who opened it.
  public func openCase(_ o: CaseOpening, by session: Session, today: LocalDate) throws -> CMECase {
    _ = try o.caseRecord(reference: "", today: today)
    return try write(as: session, needs: .writeCases) { db, audit in
      let child = try Register.child(id: o.childId, in: db)
      if let open = try CaseTable.openCase(ofChild: o.childId, in: db) {
        throw StoreError.conflict(
          "child \(o.childId) already has an open case, \(open.reference); work that case, or close it before opening another"
        )
      }
      let leadId = try o.leadCaseworker.map { try Register.leadId($0, in: db) }
      let openedOn = o.openedOn ?? today
      let reference = try Register.nextReference(year: openedOn.year, in: db)
      var c = try o.caseRecord(reference: reference.description, today: today)
      c.outsideSchoolAgeReason = try CaseRules.validateSchoolAge(
        dateOfBirth: child.dateOfBirth, on: openedOn, outsideSchoolAgeReason: o.outsideSchoolAgeReason)
      let seq = audit.nextSequence
      c.id = try CaseTable.insert(c, childId: c.childId, leadId: leadId, auditSeq: seq, in: db)
      try CaseStatusTable.insert(
        caseId: c.id!, kind: .opened, effectiveOn: openedOn, byUserId: audit.actor.id, at: audit.at, auditSeq: seq,
        in: db)
      let suggestion = try Register.assess(c, child: child, in: db, today: today).suggestion
      c.rag = suggestion.rating
      try CaseTable.setRAG(suggestion.rating, caseId: c.id!, auditSeq: seq, in: db)
      try Register.insertRating(
        caseId: c.id!, rating: suggestion.rating, suggestion: suggestion,
        rationale: "suggested when the case opened: \(suggestion.summary)", in: db, audit: audit)
      // A child at risk is referred as the case opens (the rows go with its entry).
      _ = try Register.raiseReferrals(for: child, on: c, today: today, in: db, audit: audit)
      try audit.append(
        action: .caseOpen, entity: "case", entityId: c.reference, childId: c.childId, caseId: c.id, after: c)
      return c
    }
  }

  /// A case's full record. The viewing is logged.
  public func caseDetail(_ reference: CaseReference, viewedBy session: Session, today: LocalDate) throws -> CaseDetail {
    try write(as: session, needs: .readRegister, entriesOnly: true) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      let child = try Register.needToKnow(audit.actor, of: try Register.child(id: c.childId, in: db), in: db)
      let detail = try Register.caseDetail(c, child: child, in: db, today: today)
      try audit.append(action: .caseView, entity: "case", entityId: c.reference, childId: c.childId, caseId: c.id)
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
        kind: try StatusChange.Kind.stored(r["kind"]),
        effectiveOn: try Register.storedDate(r["effectiveOn"]),
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
      var e = ClosureEvidence(
        text: $0["note"] ?? "", school: $0["school"], startDate: try Register.date($0["startDate"]),
        newAddress: $0["newAddress"],
        confirmation: $0["confirmation"])
      e.destinationLA = $0["destinationLA"]
      return e
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
      timeline: try Register.timeline(for: c, in: db),
      version: try Register.version(of: "cmeCase", id: c.id!, in: db))
  }

  /// Cases, newest first, optionally by status and rating.
  public func listCases(status: CaseStatus?, rag: RAG?, by session: Session, limit: Int? = nil) throws -> [CaseSummary]
  {
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
    return try read(as: session, needs: .readRegister) { db in
      try Register.caseSummaries(
        in: db, where: conditions.joined(separator: " AND "), arguments: StatementArguments(args), limit: limit)
    }
  }
}

/// What `case.close` records.
struct ClosedCase: Encodable {
  var caseRecord: CMECase
  var evidence: ClosureEvidence
}

extension Register {
  /// The latest closure proposal of a case.
  static func proposal(caseId: Int64, in db: Database) throws -> ClosureProposal? {
    try Row.fetchOne(
      db, sql: "SELECT school, startDate, source FROM closureProposal WHERE caseId = ? ORDER BY id DESC LIMIT 1",
      arguments: [caseId]
    ).map {
      ClosureProposal(
        school: SchoolRef(storageKey: $0["school"])?.description ?? ($0["school"] as String),
        startDate: $0["startDate"], source: $0["source"])
    }
  }
}

/// A closure that a school's new-registration return proposed: the child is
/// on roll at a school. A caseworker confirms it by closing the case.
public struct ClosureProposal: Sendable, Codable, Hashable {
  /// The school the child is on roll at, as the register shows it.
  public var school: String
  /// The day the child started there.
  public var startDate: String
  /// The return that said so.
  public var source: String

  /// The proposal in words.
  public var summary: String { "on roll at \(school) from \(startDate) (\(source))" }
}
