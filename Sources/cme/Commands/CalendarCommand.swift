import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "calendar", abstract: "The school-day calendar that every clock counts in.",
      subcommands: [Show.self, Import.self])

    struct Show: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show terms, closures and training days, and count school days.")
      @OptionGroup var global: GlobalOptions
      @Option(help: "A school's own calendar (URN or LA/establishment number) instead of the authority's.")
      var school: String?
      @Option(help: "From this date.") var from: String?
      @Option(help: "To this date.") var to: String?
      @Option(help: "table, or csv (the import format: a template for your own).") var format: CalendarFormat = .table

      func run() throws {
        try reporting {
          let school = try parseOptional(school) { try SchoolRef.parse($0, field: "--school") }
          let (register, me) = try global.open()
          let (calendar, isDefault) = try register.calendar(by: me, school: school)
          let from = try parseOptional(from) { try LocalDate.parse($0, field: "--from") }
          let to = try parseOptional(to) { try LocalDate.parse($0, field: "--to") }
          if let from, let to, to < from {
            throw InvalidInput(field: "--to", problem: "\(to) is before --from \(from)", fix: "Give --from before --to")
          }
          let shown = calendar.periods.filter { p in
            (from.map { p.end >= $0 } ?? true) && (to.map { p.start <= $0 } ?? true)
          }
          if format == .csv {
            print(SchoolCalendar(periods: shown).csv, terminator: "")
            return
          }
          print(
            school.map { "\($0)'s own calendar (its children's clocks count in it):" }
              ?? (isDefault
                ? "The shipped default calendar for England (replace it with 'cme calendar import FILE.csv'):"
                : "The authority's calendar:"))
          print(
            Table(
              columns: ["kind", "start", "end", "description"],
              rows: shown.map { [$0.kind.rawValue, $0.start.description, $0.end.description, $0.description] }
            ).text(), terminator: "")
          if let from, let to {
            print("")
            print(
              "\(calendar.schoolDays(after: from.adding(days: -1), through: to)) school days from \(from) to \(to), both included."
            )
          }
          if school == nil {
            let own = try register.schoolsWithCalendars(by: me)
            if !own.isEmpty {
              printNote(
                "Schools with their own calendar: \(own.map(\.description).joined(separator: ", ")) ('--school' shows one)."
              )
            }
          }
        }
      }
    }

    struct Import: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Replace the authority's calendar, or a school's own, with a file (managers only).",
        discussion:
          "A CSV file with the header kind,start,end,description; kind is term, closure (bank holidays, closures) or training (INSET days: pupils not taught). Terms may not overlap. 'cme calendar show --format csv' prints the default as a template. With --school the file is that school's own calendar (an academy's term dates): the clocks of children whose last school it is count in it; other schools follow the authority's."
      )
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The CSV file.") var file: String
      @Option(help: "The school whose own calendar this is (URN or LA/establishment number).") var school: String?

      func run() throws {
        try reporting {
          let school = try parseOptional(school) { try SchoolRef.parse($0, field: "--school") }
          let data = try readInputFile(file)
          let (register, me) = try global.open()
          let c = try register.importCalendar(csv: data, file: file, school: school, by: me)
          let terms = c.periods.filter { $0.kind == .term }.count
          let training = c.periods.filter { $0.kind == .training }.count
          let years =
            c.coverage.map {
              Array(
                ($0.lowerBound.month >= 9 ? $0.lowerBound.year : $0.lowerBound.year - 1)..<($0.upperBound.month >= 9
                  ? $0.upperBound.year : $0.upperBound.year - 1) + 1)
            } ?? []
          let pupilDays = years.map { "\($0)/\(String($0 + 1).suffix(2)) \(c.pupilDays(inAcademicYearStarting: $0))" }
          print(
            "Imported \(terms) terms, \(c.periods.count - terms - training) closures and \(training) training days from \(file)\(school.map { " as \($0)'s own calendar" } ?? "")\(c.coverage.map { ", \($0.lowerBound) to \($0.upperBound)" } ?? ""). Pupil days: \(pupilDays.joined(separator: ", "))."
          )
        }
      }
    }
  }
}

/// How the calendar is printed: a table to read, or CSV in the import format.
enum CalendarFormat: String, ExpressibleByArgument, CaseIterable {
  case table, csv
}
