import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "settings", abstract: "Show or change local settings such as the RAG thresholds.",
      subcommands: [Show.self, Set.self])

    struct Show: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show the settings in force.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let s = try register.settings(by: me)
          print(
            Table(columns: ["key", "value", "meaning"], rows: s.map { [$0.key, $0.value, $0.help] }).render(
              output.format), terminator: "")
        }
      }
    }

    struct Set: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Change a setting (managers only).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The setting, e.g. rag.amberAfterDaysOpen.") var key: String
      @Argument(help: "Its new value.") var value: String

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          try register.setSetting(key, to: value, by: me)
          print("\(key) = \(value)")
        }
      }
    }
  }
}
