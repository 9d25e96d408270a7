import CMEAudit
import CMEDomain
import Foundation
import GRDB

extension Register {
  /// The authority's calendar, or the shipped default when none was imported.
  static func calendar(in db: Database) throws -> (calendar: SchoolCalendar, isDefault: Bool) {
    let rows = try Row.fetchAll(
      db, sql: "SELECT kind, startDate, endDate, description FROM calendarPeriod ORDER BY startDate, id")
    guard !rows.isEmpty else { return (.englandDefault, true) }
    let periods = rows.compactMap { r -> SchoolCalendar.Period? in
      guard let kind = SchoolCalendar.Kind(rawValue: r["kind"]), let s = LocalDate(iso: r["startDate"]),
        let e = LocalDate(iso: r["endDate"])
      else { return nil }
      return SchoolCalendar.Period(kind: kind, start: s, end: e, description: r["description"])
    }
    return (SchoolCalendar(periods: periods), false)
  }

  /// The calendar in force, and whether it is the shipped default.
  public func calendar(by session: Session) throws -> (calendar: SchoolCalendar, isDefault: Bool) {
    return try read(as: session, needs: .readRegister) { db in try Register.calendar(in: db) }
  }

  /// Replaces the calendar with the one in a CSV file (managers only).
  ///
  /// The whole file is checked first; any problem fails the import with
  /// every problem listed and nothing written. The calendar it replaces is
  /// kept in the audit entry.
  public func importCalendar(csv data: [UInt8], file: String, by session: Session) throws -> SchoolCalendar {
    let calendar = try SchoolCalendar.read(csv: data, file: file)
    return try write(as: session, needs: .runRegisterCycle) { db, audit in
      let (old, wasDefault) = try Register.calendar(in: db)
      try db.execute(sql: "DELETE FROM calendarPeriod")
      for p in calendar.periods {
        try db.execute(
          sql: "INSERT INTO calendarPeriod (kind, startDate, endDate, description, auditSeq) VALUES (?, ?, ?, ?, ?)",
          arguments: [p.kind.rawValue, p.start.description, p.end.description, p.description, audit.nextSequence])
      }
      try audit.append(
        action: .calendarImport, entity: "calendar", entityId: file, reason: "SHA-256 \(Digest.sha256(data).hex)",
        before: wasDefault ? nil : ["csv": old.csv], after: ["csv": calendar.csv])
      return calendar
    }
  }
}
