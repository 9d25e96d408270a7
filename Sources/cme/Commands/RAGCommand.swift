import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct RAGCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rag", abstract: "Suggest and set a case's red/amber/green rating.",
      subcommands: [Suggest.self, Set.self])

    struct Suggest: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Show the suggested rating for a case today, with its reasons.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference.") var caseReference: String
      @Option(help: "How to print: table (readable text) or json.") var format: RecordFormat = .table

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let (register, me) = try global.open()
          let (c, s) = try register.suggestRating(ref, by: me, today: try global.currentDate())
          if format == .json {
            print(try prettyJSON(s))
            return
          }
          print("\(c.reference): suggested \(s.rating.rawValue) (currently \(c.rag?.rawValue ?? "not rated"))")
          for r in s.reasons {
            print("  \(r.rating.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) \(r.text)")
          }
        }
      }
    }

    struct Set: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set a case's rating. A rating that differs from the suggestion needs --reason.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference.") var caseReference: String
      @Argument(help: "The new rating.") var rating: RAG
      @Option(help: "Why; required when the rating differs from the suggestion.") var reason: String?
      @OptionGroup var version: VersionOption

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let (register, me) = try global.open()
          let (before, s) = try register.setRating(
            ref, to: rating, reason: reason, ifVersion: version.ifVersion, by: me, today: try global.currentDate())
          print(
            "\(ref): \(before?.rawValue ?? "not rated") → \(rating.rawValue)\(rating != s.rating ? " (suggested \(s.rating.rawValue); your reason is recorded)" : "")"
          )
        }
      }
    }
  }
}
