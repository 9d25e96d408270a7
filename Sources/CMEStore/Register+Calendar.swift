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

  /// The calendars in force: the authority's (or the default), and the
  /// schools that keep their own.
  static func calendars(in db: Database) throws -> Calendars {
    Calendars(authority: try calendar(in: db).calendar, schools: try CalendarPeriodRow.schoolCalendars(in: db))
  }

  /// The calendar in force, and whether it is the shipped default; with
  /// `school`, that school's own (an error when it has none).
  public func calendar(by session: Session, school: SchoolRef? = nil) throws -> (
    calendar: SchoolCalendar, isDefault: Bool
  ) {
    return try read(as: session, needs: .readSettings) { db in
      guard let school else { return try Register.calendar(in: db) }
      guard let own = try CalendarPeriodRow.calendar(in: db, school: school) else {
        throw StoreError.notFound(what: "school calendar", key: school.description)
      }
      return (own, false)
    }
  }

  /// The schools with a calendar of their own.
  public func schoolsWithCalendars(by session: Session) throws -> [SchoolRef] {
    try read(as: session, needs: .readSettings) { db in
      try String.fetchAll(db, sql: "SELECT DISTINCT school FROM calendarPeriod WHERE school IS NOT NULL ORDER BY 1")
        .compactMap(SchoolRef.init(storageKey:))
    }
  }

  /// Replaces the calendar with the one in a CSV file (managers only).
  ///
  /// The whole file is checked first; any problem fails the import with
  /// every problem listed and nothing written. The calendar it replaces is
  /// kept in the audit entry.
  /// With `school`, the file is that school's own calendar (an academy's
  /// term dates); the clocks of a child whose last school it is count in it.
  public func importCalendar(csv data: [UInt8], file: String, school: SchoolRef? = nil, by session: Session) throws
    -> SchoolCalendar
  {
    let calendar = try SchoolCalendar.read(csv: data, file: file)
    return try write(as: session, needs: .runRegisterCycle) { db, audit in
      let old =
        school == nil
        ? try CalendarPeriodRow.calendar(in: db) : try CalendarPeriodRow.calendar(in: db, school: school)
      try CalendarPeriodRow.replace(with: calendar, school: school, auditSeq: audit.nextSequence, in: db)
      try audit.append(
        action: .calendarImport, entity: "calendar", entityId: school.map { "\($0): \(file)" } ?? file,
        reason: "SHA-256 \(Digest.sha256(data).hex)",
        before: old.map { ["csv": $0.csv] }, after: ["csv": calendar.csv])
      return calendar
    }
  }
}
