import CMEDomain
import Foundation
import GRDB

extension Register {
  /// The figures of the DfE's termly children-missing-education collection
  /// for `census` (``DfECMEReturn``), from every case on the register
  /// (managers; the making of the return is logged).
  public func dfeCMEReturn(census: LocalDate, by session: Session, today: LocalDate) throws -> [DfECMEReturn.Figure] {
    try EventDate.notAfterToday(
      census, field: "censusDate", today: today, fix: "Give the census day of a term that has begun")
    return try write(as: session, needs: .runRegisterCycle) { db, audit in
      var episodes: [DfECMEReturn.Episode] = []
      let cursor = try Row.fetchCursor(
        db,
        sql: """
          SELECT c.childId, ch.dateOfBirth, ch.sex, c.reason, c.openedOn, c.closedOn, c.lastAttended, c.deletionDate
          FROM cmeCase c JOIN child ch ON ch.id = c.childId
          WHERE NOT EXISTS (SELECT 1 FROM disposal d WHERE d.childId = c.childId)
          """)
      while let r = try cursor.next() {
        guard let sex = Sex(rawValue: r[2] as String? ?? "") else {
          throw StoreError.unreadable(what: "sex", value: r[2])
        }
        episodes.append(
          DfECMEReturn.Episode(
            childId: r[0], dateOfBirth: try Register.storedDate(r[1]), sex: sex,
            reason: try CaseReason.stored(r[3]), openedOn: try Register.storedDate(r[4]),
            closedOn: try (r[5] as String?).map { try Register.storedDate($0) },
            missingSince: try ((r[6] as String?) ?? (r[7] as String?)).map { try Register.storedDate($0) }))
      }
      let figures = DfECMEReturn.figures(census: census, episodes: episodes)
      try audit.append(
        action: .reportDfECME, entity: "register", entityId: "dfe-cme",
        after: ["census": census.description, "children": String(figures.first?.count ?? 0)])
      return figures
    }
  }
}
