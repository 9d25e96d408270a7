import CMEAudit
import CMEDomain
import Foundation
import GRDB

/// A child whose record has passed its retention date.
public struct RetentionCandidate: Sendable, Codable, Equatable {
  public var childId: Int64
  public var name: String
  public var dateOfBirth: String
  public var lastCaseClosed: String?
  public var retainedUntil: String
  /// Why it is not due yet, though past its date: an open case, or a legal hold.
  public var keptBecause: String?
}

/// What a disposal removed from a child's record.
public struct DisposalRecord: Sendable, Codable, Equatable {
  public var childId: Int64
  public var basis: String
  /// Rows removed or emptied, by table: `carer 2, childAddress 3, …`.
  public var removed: String
  /// Audit entries whose payload was removed.
  public var redactedEntries: Int
}

extension Register {
  /// What a disposed child's record and free texts say instead.
  static let disposedText = "(disposed)"

  /// Entries that are the log's own history: never redacted by a disposal.
  static let logHistoryActions: [AuditAction] = [
    .registerInit, .auditKey, .auditWitness, .auditRedactRequest, .auditRedact, .registerRestore, .rowsRecorded,
    .retentionDispose, .registerBackup,
  ]

  /// Children past their retention date (managers; the look is logged):
  /// those due for disposal, and those kept by an open case or a legal hold.
  public func retentionReview(by session: Session, today: LocalDate) throws -> [RetentionCandidate] {
    try write(as: session, needs: .manageRetention, entriesOnly: true) { db, audit in
      let found = try Register.pastRetention(in: db, today: today)
      try audit.append(
        action: .retentionReview, entity: "register", entityId: "retention",
        after: [
          "due": String(found.filter { $0.keptBecause == nil }.count),
          "kept": String(found.filter { $0.keptBecause != nil }.count),
        ])
      return found
    }
  }

  static func pastRetention(in db: Database, today: LocalDate) throws -> [RetentionCandidate] {
    let policy = try Register.settings(in: db).retention
    var found: [RetentionCandidate] = []
    let cursor = try Row.fetchCursor(
      db,
      sql: """
        SELECT ch.id, ch.legalForename, ch.legalSurname, ch.dateOfBirth,
          (SELECT max(closedOn) FROM cmeCase c WHERE c.childId = ch.id) AS lastClosed,
          EXISTS (SELECT 1 FROM cmeCase c WHERE c.childId = ch.id AND c.status = 'open') AS hasOpen,
          (SELECT reason FROM retentionHold h WHERE h.childId = ch.id AND h.releasedAt IS NULL) AS hold
        FROM child ch WHERE NOT EXISTS (SELECT 1 FROM disposal d WHERE d.childId = ch.id)
        ORDER BY ch.id
        """)
    while let r = try cursor.next() {
      let born = try Register.storedDate(r["dateOfBirth"])
      let closed = try (r["lastClosed"] as String?).map { try Register.storedDate($0) }
      let until = policy.retainedUntil(dateOfBirth: born, lastCaseClosed: closed)
      guard until < today else { continue }
      let open: Bool = r["hasOpen"]
      let hold: String? = r["hold"]
      found.append(
        RetentionCandidate(
          childId: r["id"], name: "\(r["legalForename"] as String) \(r["legalSurname"] as String)",
          dateOfBirth: born.description, lastCaseClosed: closed?.description, retainedUntil: until.description,
          keptBecause: open ? "an open case" : hold.map { "a legal hold: \($0)" }))
    }
    return found
  }

  /// Puts a legal hold on a child's record: it is kept past its retention
  /// date until the hold is released (managers).
  public func holdRecord(childId: Int64, reason: String, by session: Session) throws {
    let reason = try requireText(reason, field: "reason", what: "the reason for the hold")
    try write(as: session, needs: .manageRetention) { db, audit in
      try Register.requireNotDisposed(childId, in: db)
      if try Bool.fetchOne(
        db, sql: "SELECT 1 FROM retentionHold WHERE childId = ? AND releasedAt IS NULL", arguments: [childId]) == true
      {
        throw StoreError.conflict("child \(childId)'s record is already on hold")
      }
      try db.execute(
        sql: "INSERT INTO retentionHold (childId, reason, heldById, heldAt, auditSeq) VALUES (?, ?, ?, ?, ?)",
        arguments: [childId, reason, audit.actor.id, audit.at, audit.nextSequence])
      try audit.append(
        action: .retentionHold, entity: "child", entityId: String(childId), childId: childId, reason: reason)
    }
  }

  /// Releases a child's legal hold (managers).
  public func releaseHold(childId: Int64, reason: String, by session: Session) throws {
    let reason = try requireText(reason, field: "reason", what: "the reason for releasing the hold")
    try write(as: session, needs: .manageRetention) { db, audit in
      try db.execute(
        sql: """
          UPDATE retentionHold SET releasedById = ?, releasedAt = ?, releaseReason = ?, auditSeq = ?
          WHERE childId = ? AND releasedAt IS NULL
          """, arguments: [audit.actor.id, audit.at, reason, audit.nextSequence, childId])
      guard db.changesCount == 1 else { throw StoreError.conflict("child \(childId)'s record is not on hold") }
      try audit.append(
        action: .retentionRelease, entity: "child", entityId: String(childId), childId: childId, reason: reason)
    }
  }

  /// Disposes of the records past their retention date (all that are due,
  /// or the children named, each of which must be due), in one transaction
  /// (managers). See ``disposeOne(_:basis:retainedUntil:requestedBy:approvedBy:in:audit:)``.
  public func disposeDue(children named: [Int64]? = nil, by session: Session, today: LocalDate) throws
    -> [DisposalRecord]
  {
    let records = try write(as: session, needs: .manageRetention) { db, audit -> [DisposalRecord] in
      let past = try Register.pastRetention(in: db, today: today)
      var chosen: [RetentionCandidate] = []
      if let named {
        for id in named {
          try Register.requireNotDisposed(id, in: db)
          guard let c = past.first(where: { $0.childId == id }) else {
            let policy = try Register.settings(in: db).retention
            guard let row = try Row.fetchOne(db, sql: "SELECT dateOfBirth FROM child WHERE id = ?", arguments: [id])
            else { throw StoreError.notFound(what: "child", key: String(id)) }
            let closed = try String.fetchOne(
              db, sql: "SELECT max(closedOn) FROM cmeCase WHERE childId = ?", arguments: [id])
            let until = policy.retainedUntil(
              dateOfBirth: try Register.storedDate(row["dateOfBirth"]),
              lastCaseClosed: try closed.map { try Register.storedDate($0) })
            throw StoreError.conflict(
              "child \(id)'s record is kept until \(until); it cannot be disposed of before then")
          }
          if let kept = c.keptBecause {
            throw StoreError.conflict("child \(id)'s record is kept because of \(kept); it cannot be disposed of")
          }
          chosen.append(c)
        }
      } else {
        chosen = past.filter { $0.keptBecause == nil }
      }
      var done: [DisposalRecord] = []
      let named = try Register.entriesNaming(chosen.map(\.childId), in: db)
      for c in chosen {
        done.append(
          try Register.disposeOne(
            c.childId, basis: "retention", retainedUntil: c.retainedUntil, requestedBy: audit.actor.id,
            approvedBy: nil, namedIn: named[c.childId] ?? [], in: db, audit: &audit))
      }
      if !done.isEmpty { try Register.purgeNameIndex(in: db) }
      return done
    }
    if !records.isEmpty { try? setting(pragma: "PRAGMA wal_checkpoint(TRUNCATE)") }
    return records
  }

  /// Asks for the erasure of a child recorded in error (managers); another
  /// manager approves it (``approveErasure(request:by:)``). Returns the
  /// request's entry.
  public func requestErasure(childId: Int64, reason: String, by session: Session) throws -> Int64 {
    let reason = try requireText(reason, field: "reason", what: "why the child was recorded in error")
    return try write(as: session, needs: .manageRetention) { db, audit in
      try Register.requireNotDisposed(childId, in: db)
      try Register.requireNoOpenCase(childId, in: db)
      return try audit.append(
        action: .retentionEraseRequest, entity: "child", entityId: String(childId), childId: childId, reason: reason)
    }
  }

  /// Approves an erasure request: the child's record is disposed of at once
  /// (a manager other than the one who asked).
  public func approveErasure(request: Int64, by session: Session) throws -> DisposalRecord {
    let record = try write(as: session, needs: .manageRetention) { db, audit -> DisposalRecord in
      guard
        let asked = try Row.fetchOne(
          db, sql: "SELECT actor, childId FROM auditEntry WHERE seq = ? AND action = ?",
          arguments: [request, AuditAction.retentionEraseRequest.rawValue]),
        let childId = asked["childId"] as Int64?
      else { throw StoreError.notFound(what: "erasure request", key: String(request)) }
      guard (asked["actor"] as String) != audit.actor.name else {
        throw StoreError.conflict("an erasure needs a second manager: the one who asked cannot approve it")
      }
      try Register.requireNotDisposed(childId, in: db)
      try Register.requireNoOpenCase(childId, in: db)
      let requester = try Register.user(named: asked["actor"], in: db)
      let record = try Register.disposeOne(
        childId, basis: "error", retainedUntil: nil, requestedBy: requester.id, approvedBy: audit.actor.id,
        namedIn: try Register.entriesNaming([childId], in: db)[childId] ?? [], in: db, audit: &audit)
      try Register.purgeNameIndex(in: db)
      return record
    }
    try? setting(pragma: "PRAGMA wal_checkpoint(TRUNCATE)")
    return record
  }

  static func requireNotDisposed(_ childId: Int64, in db: Database) throws {
    guard try Bool.fetchOne(db, sql: "SELECT 1 FROM child WHERE id = ?", arguments: [childId]) == true else {
      throw StoreError.notFound(what: "child", key: String(childId))
    }
    if try Bool.fetchOne(db, sql: "SELECT 1 FROM disposal WHERE childId = ?", arguments: [childId]) == true {
      throw StoreError.conflict("child \(childId)'s record has already been disposed of")
    }
  }

  static func requireNoOpenCase(_ childId: Int64, in db: Database) throws {
    if let open = try String.fetchOne(
      db, sql: "SELECT reference FROM cmeCase WHERE childId = ? AND status = 'open'", arguments: [childId])
    {
      throw StoreError.conflict("child \(childId) has an open case, \(open); close it first")
    }
  }

  /// Free texts about a child's cases that a disposal empties: (table,
  /// columns, the rows that belong to the child's cases).
  static let disposedTexts: [(table: String, columns: [String], rows: String)] = [
    ("cmeCase", ["outcomeEvidence", "outsideSchoolAgeReason"], "childId = :child"),
    ("visit", ["outcome", "nextStep"], "caseId IN (SELECT id FROM cmeCase WHERE childId = :child)"),
    ("enquiry", ["result", "reason"], "caseId IN (SELECT id FROM cmeCase WHERE childId = :child)"),
    ("caseAction", ["description", "note"], "caseId IN (SELECT id FROM cmeCase WHERE childId = :child)"),
    (
      "caseActionEvent", ["note"],
      "actionId IN (SELECT a.id FROM caseAction a JOIN cmeCase c ON c.id = a.caseId WHERE c.childId = :child)"
    ),
    ("caseStatusChange", ["note"], "caseId IN (SELECT id FROM cmeCase WHERE childId = :child)"),
    (
      "closureEvidence", ["school", "newAddress", "confirmation"],
      "statusChangeId IN (SELECT s.id FROM caseStatusChange s JOIN cmeCase c ON c.id = s.caseId WHERE c.childId = :child)"
    ),
    ("ragRating", ["rationale", "suggestedReasons"], "caseId IN (SELECT id FROM cmeCase WHERE childId = :child)"),
    ("registerCheck", ["note"], "caseId IN (SELECT id FROM cmeCase WHERE childId = :child)"),
    ("registerCycleExemption", ["reason"], "caseId IN (SELECT id FROM cmeCase WHERE childId = :child)"),
    ("boardDecision", ["note"], "caseId IN (SELECT id FROM cmeCase WHERE childId = :child)"),
    ("boardAgendaItem", ["reasons"], "caseId IN (SELECT id FROM cmeCase WHERE childId = :child)"),
    ("closureProposal", ["school"], "caseId IN (SELECT id FROM cmeCase WHERE childId = :child)"),
    ("childMerge", ["reason"], "mergedId = :child OR keptId = :child"),
    ("caseLetter", ["addressee", "body"], "caseId IN (SELECT id FROM cmeCase WHERE childId = :child)"),
    ("laNotification", ["note"], "caseId IN (SELECT id FROM cmeCase WHERE childId = :child)"),
  ]

  /// Rows that are the child's personal data alone: deleted.
  static let disposedRows = [
    "childFormerName", "childFormerUpn", "childConcern", "childAddress", "carer", "professional", "childFSMPeriod",
  ]

  /// Removes one child's personal data: their names, addresses, carers,
  /// former names and UPNs, concerns and characteristics; every free text
  /// about their cases; and the payloads (and reasons) of every entry about
  /// them or naming them. The child's row stays as an empty stub, and their
  /// cases keep their dates, reasons, ratings and outcomes, so that counts
  /// and past figures stay as they were. Records a `disposal` row and a
  /// `retention.dispose` entry naming what was removed.
  ///
  /// `namedIn` are the entries not filed under the child that name them
  /// (``entriesNaming(_:in:)``, found for a whole batch in one pass).
  static func disposeOne(
    _ childId: Int64, basis: String, retainedUntil: String?, requestedBy: Int64, approvedBy: Int64?,
    namedIn: [Int64], in db: Database, audit: inout AuditWriter
  ) throws -> DisposalRecord {
    let seq = audit.nextSequence
    try db.execute(sql: "PRAGMA secure_delete = ON")
    var removed: [String] = []
    // Actions keep their agency and dates, no longer the professional named on them.
    try db.execute(
      sql: """
        UPDATE caseAction SET professionalId = NULL, auditSeq = :seq
        WHERE professionalId IN (SELECT id FROM professional WHERE childId = :child)
        """, arguments: ["seq": seq, "child": childId])
    if db.changesCount > 0 { removed.append("caseAction \(db.changesCount) (professional unlinked)") }
    for table in disposedRows {
      try db.execute(sql: "DELETE FROM \(table) WHERE childId = ?", arguments: [childId])
      if db.changesCount > 0 { removed.append("\(table) \(db.changesCount)") }
    }
    try db.execute(
      sql: """
        UPDATE child SET legalSurname = :d, legalForename = :d, middleNames = NULL, preferredSurname = NULL,
          preferredForename = NULL, dateOfBirth = '1900-01-01', sex = 'U', genderIdentity = NULL, upn = NULL,
          ethnicity = NULL, firstLanguage = NULL, religion = NULL, senProvision = NULL, disability = NULL,
          lookedAfter = 0, careAuthority = NULL, childProtectionPlan = 0, childInNeed = 0, youthJustice = 0,
          freeSchoolMeals = NULL, sexualOrientation = NULL, circumstances = NULL, lastSchool = NULL,
          ethnicitySource = NULL, serviceChild = NULL, auditSeq = :seq
        WHERE id = :child
        """, arguments: ["d": disposedText, "seq": seq, "child": childId])
    removed.append("child 1 (emptied)")
    for t in disposedTexts {
      let set = t.columns.map { "\($0) = CASE WHEN \($0) IS NULL THEN NULL ELSE :d END" }.joined(separator: ", ")
      let any = t.columns.map { "(\($0) IS NOT NULL AND \($0) <> :d)" }.joined(separator: " OR ")
      try db.execute(
        sql: "UPDATE \(t.table) SET \(set), auditSeq = :seq WHERE (\(t.rows)) AND (\(any))",
        arguments: ["d": disposedText, "seq": seq, "child": childId])
      if db.changesCount > 0 { removed.append("\(t.table) \(db.changesCount) (texts emptied)") }
    }
    // The log: every entry about the child or their cases, and any other
    // (a search) that names them, keeps its place in the chain without its payload.
    var redacted = namedIn
    redacted += try Int64.fetchAll(
      db,
      sql: """
        SELECT seq FROM auditEntry WHERE redacted = 0 AND action NOT IN (\(historyList))
          AND (childId = :child OR caseId IN (SELECT id FROM cmeCase WHERE childId = :child))
        """, arguments: ["child": childId])
    redacted = Array(Set(redacted)).sorted()
    for entry in redacted { try db.execute(sql: redactEntrySQL, arguments: [entry]) }
    let summary = removed.joined(separator: ", ")
    try db.execute(
      sql: """
        INSERT INTO disposal (childId, basis, retainedUntil, removed, byUserId, approvedById, at, auditSeq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """, arguments: [childId, basis, retainedUntil, summary, requestedBy, approvedBy, audit.at, seq])
    try audit.append(
      action: .retentionDispose, entity: "child", entityId: String(childId), childId: childId,
      reason: basis == "error" ? "recorded in error" : "past its retention date (\(retainedUntil ?? ""))",
      after: [
        "basis": basis, "removed": summary, "redactedEntries": redacted.map(String.init).joined(separator: " "),
      ])
    return DisposalRecord(childId: childId, basis: basis, removed: summary, redactedEntries: redacted.count)
  }

  /// Rewrites the name index's storage so that no disposed name lingers in
  /// its older segments.
  static func purgeNameIndex(in db: Database) throws {
    try db.execute(sql: "INSERT INTO childNameIndex (childNameIndex) VALUES ('optimize')")
  }
}
