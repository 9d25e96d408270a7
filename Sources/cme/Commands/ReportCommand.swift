import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "report", abstract: "Statutory returns made from the register (managers).",
      subcommands: [DfECME.self])

    struct DfECME: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "dfe-cme",
        abstract: "The DfE's termly children-missing-education collection: the census day's figures.",
        discussion: """
          Children missing education on the census day (of compulsory school age), by sex, year group, time \
          missing (from the last day of attendance, else the deletion date) and primary reason; and the \
          children missing education at any point in this academic year to the census day, and in the last. \
          Counts are exact; the DfE rounds them when it publishes.
          """)
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption
      @Option(help: "The collection's census day (YYYY-MM-DD).") var censusDate: String

      func run() throws {
        try reporting(fields: ["censusDate": "--census-date"]) {
          let census = try LocalDate.parse(censusDate, field: "--census-date")
          let today = try global.currentDate()
          let (register, me) = try global.open()
          let figures = try register.dfeCMEReturn(census: census, by: me, today: today)
          let table = Table(
            columns: ["measure", "category", "count"],
            rows: figures.map { [$0.measure, $0.category, String($0.count)] })
          if output.format == .table { print("Children missing education on \(census) (census day)\n") }
          print(table.render(output.format), terminator: "")
        }
      }
    }
  }
}
