import CMEAudit
import CMEDomain
import Foundation
import GRDB

extension Register {
  /// The authority's calendar, or the shipped default when none was imported.
  static func calendar(in db: Database) throws -> (calendar: SchoolCalendar, isDefault: Bool) {
    guard let calendar = try CalendarPeriodRow.calendar(in: db) else { return (.englandDefault, true) }
    return (calendar, false)
  }

  /// The calendar in force, and whether it is the shipped default.
  public func calendar(by session: Session) throws -> (calendar: SchoolCalendar, isDefault: Bool) {
    return try read(as: session, needs: .readSettings) { db in try Register.calendar(in: db) }
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
      try CalendarPeriodRow.replace(with: calendar, auditSeq: audit.nextSequence, in: db)
      try audit.append(
        action: .calendarImport, entity: "calendar", entityId: file, reason: "SHA-256 \(Digest.sha256(data).hex)",
        before: wasDefault ? nil : ["csv": old.csv], after: ["csv": calendar.csv])
      return calendar
    }
  }
}
