import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct VisitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "visit", abstract: "Log visits, calls and other contacts made for a case.", subcommands: [Log.self])

    struct Log: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Log a visit or contact (recorded as you).",
        discussion:
          "Types: \(VisitType.allCases.map(\.rawValue).joined(separator: ", ")).\nAgencies: \(Agency.allCases.map(\.rawValue).joined(separator: ", "))."
      )
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference.") var caseReference: String
      @Option(help: "What kind of contact.") var type: VisitType
      @Option(help: "When, YYYY-MM-DD (not in the future, not before the case opened).") var date: String
      @Option(help: "The time of day, HH:MM.") var time: String?
      @Option(help: "Whether the child was seen.") var childSeen: YesNo?
      @Option(help: "What happened.") var outcome: String
      @Option(help: "What happens next.") var nextStep: String?
      @Option(help: "The agency contacted, if any.") var agency: Agency?

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let (register, me) = try global.open()
          let v = try register.logVisit(
            ref, type: type, date: try LocalDate.parse(date, field: "--date"),
            time: time,
            childSeen: childSeen?.isYes, outcome: outcome,
            nextStep: nextStep,
            agency: agency, by: me,
            today: try global.currentDate())
          print(v.id ?? 0)
          printNote(
            "Logged visit \(v.id ?? 0) on \(ref): \(v.type.label) \(v.date). Tick off an enquiry it answered with 'cme enquiry done \(ref) ITEM --result TEXT --visit \(v.id ?? 0)'."
          )
        }
      }
    }
  }
}
