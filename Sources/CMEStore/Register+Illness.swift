import CMEDomain
import Foundation
import GRDB

extension Register {
  /// Records a spell of illness absence on an open case: from its first day
  /// to its last (none while it lasts). Spells add up to the 15 school days
  /// of the sickness clock over the school year.
  public func recordIllness(
    _ reference: CaseReference, from: LocalDate, to: LocalDate?, by session: Session, today: LocalDate
  ) throws -> [IllnessSpell] {
    try EventDate.notAfterToday(from, field: "from", today: today, fix: "Give the first day of illness")
    if let to {
      try EventDate.notAfterToday(
        to, field: "to", today: today, fix: "Give the last day, or leave it out while it lasts")
      guard to >= from else {
        throw InvalidInput(
          field: "to", problem: "\(to) is before \(from)", fix: "Give the last day on or after the first")
      }
    }
    return try write(as: session, needs: .writeCases) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      guard c.status == .open else { throw StoreError.conflict("\(c.reference) is closed; reopen it first") }
      let overlapping =
        try Int.fetchOne(
          db,
          sql: """
            SELECT count(*) FROM illnessSpell WHERE caseId = ? AND fromDate <= ? AND (toDate IS NULL OR toDate >= ?)
            """, arguments: [c.id, to ?? LocalDate(year: 9999, month: 12, day: 31)!, from]) ?? 0
      guard overlapping == 0 else {
        throw InvalidInput(
          field: "from", problem: "the spell overlaps one already recorded on \(c.reference)",
          fix: "Record each spell once; the case's sickness clock lists those recorded", next: .showCase(c.reference))
      }
      try db.execute(
        sql: "INSERT INTO illnessSpell (caseId, fromDate, toDate, byUserId, at, auditSeq) VALUES (?, ?, ?, ?, ?, ?)",
        arguments: [c.id, from, to, audit.actor.id, audit.at, audit.nextSequence])
      try audit.append(
        action: .caseIllness, entity: "case", entityId: c.reference, childId: c.childId, caseId: c.id,
        after: ["from": from.description, "to": to?.description ?? ""])
      return try Row.fetchAll(
        db, sql: "SELECT fromDate, toDate FROM illnessSpell WHERE caseId = ? ORDER BY fromDate", arguments: [c.id]
      ).map { IllnessSpell(from: try Register.storedDate($0["fromDate"]), to: try Register.date($0["toDate"])) }
    }
  }
}
