import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct MyWorkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "my",
      abstract:
        "Your day: the clocks and actions due or overdue on your cases, cases given to you, your cases worst first.",
      discussion: """
        The same as the web pages' My work, outside any register-check cycle. A manager sees another \
        caseworker's with --user NAME only as an admin's break-glass; otherwise each sees their own.
        """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Cases given to you since this day (default: a week ago).") var since: String?
    @Option(help: "Show at most this many of your cases (0 for all).") var limit = 20

    func run() throws {
      try reporting(fields: ["since": "--since"]) {
        let today = try global.currentDate()
        let from = try since.map { try LocalDate.parse($0, field: "--since") } ?? today.adding(days: -7)
        let (register, me) = try global.open()
        let work = try register.myWork(
          by: me, today: today, since: "\(from)T00:00:00.000Z", limit: limit > 0 ? limit : nil)
        print("My work on \(today), \(me.user.name): \(work.totalCases) open case\(work.totalCases == 1 ? "" : "s").")
        print("")
        print("Clocks overdue or due within a week:")
        if work.clocks.isEmpty { print("  none") }
        for (reference, clock) in work.clocks {
          // Ground I and H are conditions of a lawful deletion, not deadlines: not met, whatever the date.
          let condition = [Clock.Kind.groundI, .groundH].contains(clock.kind)
          let when =
            condition
            ? "not met: \(clock.detail)"
            : clock.dueOn.map { clock.state == .overdue ? "overdue since \($0)" : "due \($0)" }
              ?? (clock.state == .overdue ? "overdue" : clock.detail)
          print("  \(reference)  \(clock.label): \(when)")
        }
        print("")
        print("Actions overdue or due within a week:")
        if work.actions.isEmpty { print("  none") }
        for a in work.actions {
          let late =
            a.schoolDaysOverdue > 0
            ? "overdue \(a.schoolDaysOverdue) school day\(a.schoolDaysOverdue == 1 ? "" : "s")\(a.escalate ? ", ESCALATE" : "")"
            : "due \(a.action.dueOn)"
          print(
            "  action \(a.action.id)  \(a.action.caseReference)  \(a.action.agency.rawValue): \(TextRules.visible(a.action.description)) (\(late))"
          )
        }
        print("")
        print("Cases given to you since \(from):")
        if work.allocatedSince.isEmpty { print("  none") }
        for c in work.allocatedSince { print("  \(c.reference)  \(TextRules.visible(c.childName))") }
        print("")
        print("Your cases, worst first:")
        let table = Table(
          columns: ["case", "name", "age", "rag", "suggested", "days open", "whereabouts", "last contact", "why"],
          rows: work.cases.map { k in
            [
              k.summary.reference, k.summary.childName, String(k.age), k.summary.rag?.rawValue ?? "",
              k.suggestion.rating.rawValue, String(k.daysOpen), k.summary.whereaboutsKnown ? "known" : "unknown",
              k.assessment.lastContact.map { "\($0.date) \($0.type.rawValue)" } ?? "none",
              k.suggestion.reasons.first?.text ?? "",
            ]
          }, maxWidth: ["why": 50])
        print(table.render(.table), terminator: "")
        if work.totalCases > work.cases.count {
          printNote("Showing the worst \(work.cases.count) of \(work.totalCases) (--limit 0 for all).")
        }
      }
    }
  }

  struct TeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "team",
      abstract: "The team's caseloads (managers): each lead's open cases by rating, clocks and actions overdue.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: FormatOption

    func run() throws {
      try reporting {
        let today = try global.currentDate()
        let (register, me) = try global.open()
        let lines = try register.team(by: me, today: today)
        let table = Table(
          columns: [
            "lead", "open cases", "red", "amber", "green", "clocks overdue", "actions overdue", "to escalate",
          ],
          rows: lines.map {
            [
              $0.lead ?? "(no lead)", String($0.openCases), String($0.red), String($0.amber), String($0.green),
              String($0.clocksOverdue), String($0.actionsOverdue), String($0.actionsToEscalate),
            ]
          })
        print(table.render(output.format), terminator: "")
        if output.format == .table {
          printNote(
            "\(lines.reduce(0) { $0 + $1.openCases }) open cases on \(today); give a case another lead with 'cme case update CASE --lead NAME --reason TEXT'"
          )
        }
      }
    }
  }
}
