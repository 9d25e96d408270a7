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
      static let configuration = CommandConfiguration(abstract: "Show terms and closures, and count school days.")
      @OptionGroup var global: GlobalOptions
      @Option(help: "From this date.") var from: String?
      @Option(help: "To this date.") var to: String?
      @Option(help: "table, or csv (the import format: a template for your own).") var format: CalendarFormat = .table

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let (calendar, isDefault) = try register.calendar(by: me)
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
            isDefault
              ? "The shipped default calendar for England (replace it with 'cme calendar import FILE.csv'):"
              : "The authority's calendar:")
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
        }
      }
    }

    struct Import: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Replace the calendar with the authority's own (managers only).",
        discussion:
          "A CSV file with the header kind,start,end,description; kind is term or closure (bank holidays, training days). Terms may not overlap. 'cme calendar show --format csv' prints the default as a template."
      )
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The CSV file.") var file: String

      func run() throws {
        try reporting {
          let data = try readInputFile(file)
          let (register, me) = try global.open()
          let c = try register.importCalendar(csv: data, file: file, by: me)
          let terms = c.periods.filter { $0.kind == .term }.count
          print(
            "Imported \(terms) terms and \(c.periods.count - terms) closures from \(file)\(c.coverage.map { ", \($0.lowerBound) to \($0.upperBound)" } ?? "")."
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
