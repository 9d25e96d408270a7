import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "baseline",
      abstract: "The school-age population the register is set against in the equality analysis.",
      subcommands: [Import.self, Show.self])

    struct Import: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Replace the baseline with counts from the school census (managers only).",
        discussion:
          "CSV with the header characteristic,code,count. Characteristics: total (code all), ethnicity (DfE main codes), named-group (Black Caribbean, White and Black Caribbean, Somali, Gypsy/Roma, Irish Traveller), sex (M/F/U), sen (E/K/N), looked-after, child-in-need, child-protection, fsm, eal, disability, service-child (code yes)."
      )
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The CSV file.") var file: String

      func run() throws {
        try reporting {
          let data = try readInputFile(file)
          let (register, me) = try global.open()
          let b = try register.importBaseline(csv: data, file: file, by: me)
          print(
            "Imported the baseline from \(file): school-age population \(b.total ?? 0), \(b.counts.values.map(\.count).reduce(0, +)) counts."
          )
        }
      }
    }

    struct Show: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show the baseline.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption
      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let rows = try register.baselineRows(by: me)
          print(
            Table(columns: ["characteristic", "code", "count"], rows: rows.map { [$0.0, $0.1, String($0.2)] }).render(
              output.format), terminator: "")
        }
      }
    }
  }
}
