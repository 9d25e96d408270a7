import CMEDomain
import Foundation
import GRDB

extension Register {
  /// Records a professional around a child (caseworkers and managers).
  public func addProfessional(_ p: Professional, toChild childId: Int64, by session: Session, today: LocalDate) throws
    -> Professional
  {
    var added = try p.validated(today: today)
    return try write(as: session, needs: .writeCases) { db, audit in
      _ = try Register.child(id: childId, in: db)
      try db.execute(
        sql: """
          INSERT INTO professional (childId, role, name, organisation, contact, since, auditSeq)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          childId, added.role.rawValue, added.name, added.organisation, added.contact, added.since?.description,
          audit.nextSequence,
        ])
      added.id = db.lastInsertedRowID
      try audit.append(
        action: .professionalAdd, entity: "professional", entityId: String(added.id!), childId: childId, after: added)
      return added
    }
  }

  /// Records that a professional no longer works with the child, from `date`.
  public func endProfessional(id: Int64, on date: LocalDate, by session: Session, today: LocalDate) throws
    -> Professional
  {
    try EventDate.notAfterToday(date, field: "on", today: today, fix: "Give the day they stopped")
    return try write(as: session, needs: .writeCases) { db, audit in
      guard let row = try Row.fetchOne(db, sql: "SELECT * FROM professional WHERE id = ?", arguments: [id]) else {
        throw StoreError.notFound(what: "professional", key: String(id))
      }
      let before = try Register.professional(from: row)
      if let ended = before.endedOn {
        throw StoreError.conflict("\(before.name) already stopped working with the child on \(ended)")
      }
      if let since = before.since, date < since {
        throw InvalidInput(
          field: "on", problem: "\(date) is before \(before.name) started (\(since))", fix: "Give a later day")
      }
      var after = before
      after.endedOn = date
      try db.execute(
        sql: "UPDATE professional SET endedOn = ?, auditSeq = ? WHERE id = ?",
        arguments: [date.description, audit.nextSequence, id])
      try audit.append(
        action: .professionalEnd, entity: "professional", entityId: String(id), childId: row["childId"],
        before: before, after: after)
      return after
    }
  }

  /// A child's professionals, current first, then by role.
  static func professionals(ofChild id: Int64, in db: Database) throws -> [Professional] {
    try Row.fetchAll(
      db, sql: "SELECT * FROM professional WHERE childId = ? ORDER BY endedOn IS NOT NULL, role, id", arguments: [id]
    ).map(professional(from:))
  }

  static func professional(from row: Row) throws -> Professional {
    guard let role = ProfessionalRole(rawValue: row["role"] as String? ?? "") else {
      throw StoreError.unreadable(what: "professional's role", value: row["role"])
    }
    return Professional(
      id: row["id"], role: role, name: row["name"], organisation: row["organisation"], contact: row["contact"],
      since: try (row["since"] as String?).map { try Register.storedDate($0) },
      endedOn: try (row["endedOn"] as String?).map { try Register.storedDate($0) })
  }
}
