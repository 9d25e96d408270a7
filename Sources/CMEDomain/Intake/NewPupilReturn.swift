import Foundation

/// One row of a school's new-registration return: a pupil added to the roll.
public struct NewPupilReturn: Sendable, Hashable {
  public var line: Int
  public var upn: UPN?
  public var surname: String
  public var forename: String
  public var dateOfBirth: LocalDate
  public var school: SchoolRef
  public var startDate: LocalDate

  public var canonical: String {
    [
      "new-pupil", upn?.value ?? "", surname.lowercased(), forename.lowercased(), dateOfBirth.description,
      school.storageKey, startDate.description,
    ]
    .joined(separator: "|")
  }
}

public enum NewPupilFile {
  public static let columns: [(name: String, required: Bool)] = [
    ("upn", false), ("surname", true), ("forename", true), ("date_of_birth", true), ("school", true),
    ("start_date", true),
  ]

  /// Reads and checks the whole file, listing every problem.
  public static func read(csv data: [UInt8], file: String, today: LocalDate) throws(FileProblems) -> [NewPupilReturn] {
    var collected = ImportRows.Collected<NewPupilReturn>()
    try ImportRows.read(csv: data, file: file, columns: columns) { record, index in
      var r = ImportRows.Row(file: file, record: record, index: index)
      let upn = r.parse("upn", required: false) { t, f throws(InvalidInput) in try UPN.parse(t, field: f) }
      let surname = r.need("surname")
      let forename = r.need("forename")
      let dob = r.parse("date_of_birth", required: true) { t, f throws(InvalidInput) in try LocalDate.parse(t, field: f)
      }
      let school = r.parse("school", required: true) { t, f throws(InvalidInput) in try SchoolRef.parse(t, field: f) }
      let start = r.parse("start_date", required: true) { t, f throws(InvalidInput) in try LocalDate.parse(t, field: f)
      }
      if let start, start > today {
        r.problem("start_date", "\(start) is in the future; report a pupil once they have started")
      }
      guard r.problems.isEmpty, let surname, let forename, let dob, let school, let start else {
        collected.problems.append(contentsOf: r.problems)
        return
      }
      let row = NewPupilReturn(
        line: record.line, upn: upn, surname: surname, forename: forename, dateOfBirth: dob, school: school,
        startDate: start)
      collected.keep(row, key: row.canonical, line: record.line, file: file, sameness: "pupil, school and start date")
    }
    return try collected.result()
  }
}

extension NewPupilReturn {
  /// A school tells the LA of a pupil it admits by the end of the fifth day
  /// after the pupil's entry to the admission register.
  public static let returnDays = 5

  /// The flag for a return that reached the LA late, or nil when in time.
  public func lateness(receivedOn day: LocalDate) -> String? {
    let due = startDate.adding(days: Self.returnDays)
    guard day > due else { return nil }
    return
      "late new-registration return: the pupil started \(startDate), due to the LA by \(due), received \(day) (\(day.days(since: due)) days late)"
  }
}
