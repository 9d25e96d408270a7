import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct ActionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "action", abstract: "Multi-agency follow-up actions: raise, chase and close them.",
      subcommands: [Add.self, List.self, Accept.self, Decline.self, Done.self, Cancel.self])

    struct Add: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Raise an action for a partner agency and print its id.",
        discussion: "Agencies: \(Agency.allCases.map(\.rawValue).joined(separator: ", ")).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference.") var caseReference: String
      @Option(help: "The agency asked to act.") var agency: Agency
      @Option(help: "What is to be done.") var description: String
      @Option(help: "When it is due, YYYY-MM-DD (today or later; with --agreed-on, from that day on).") var due: String
      @Option(help: "The person at the agency who owns it.") var owner: String?
      @Option(
        help:
          "The day it was agreed, if earlier (a meeting, a call; within the last 30 days and since the case opened).")
      var agreedOn: String?
      @Option(help: "The id of the professional around the child who carries it ('cme child show' lists them).")
      var professional: Int64?

      func run() throws {
        try reporting(fields: ["raisedOn": "--agreed-on", "professional": "--professional"]) {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let agreed = try agreedOn.map { try LocalDate.parse($0, field: "--agreed-on") }
          let (register, me) = try global.open()
          let a = try register.addAction(
            ref, agency: agency, description: description,
            due: try LocalDate.parse(due, field: "--due"), owner: owner, agreedOn: agreed,
            professional: professional, by: me, today: try global.currentDate())
          print(a.id)
          let with = a.professional.map { ", with \($0.name) (\($0.role))" } ?? ""
          printNote("Raised action \(a.id) on \(ref) for \(a.agency.label)\(with), due \(a.dueOn).")
        }
      }
    }

    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List live actions, soonest due first.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption
      @Option(name: .customLong("case"), help: "Only this case's actions.") var caseReference: String?
      @Option(help: "Only this agency's.") var agency: Agency?
      @Flag(help: "Only overdue actions.") var overdue = false
      @Option(help: "Only this owner's.") var owner: String?
      @Flag(help: "Include declined, done and cancelled actions.") var all = false

      func run() throws {
        try reporting {
          let today = try global.currentDate()
          let (register, me) = try global.open()
          let list = try register.listActions(
            case: try parseOptional(caseReference) { try CaseReference.parse($0, field: "--case") },
            agency: agency, overdueOnly: overdue,
            owner: owner,
            includeFinished: all, by: me, today: today)
          let table = Table(
            columns: [
              "id", "case", "agency", "description", "due", "owner", "state", "school days overdue", "escalate", "note",
            ],
            rows: list.map { s in
              let a = s.action
              return [
                String(a.id), a.caseReference, a.agency.rawValue, a.description, a.dueOn.description,
                a.owner.map { o in a.professional.map { "\(o) (\($0.role))" } ?? o } ?? "",
                a.state.rawValue,
                s.schoolDaysOverdue > 0 ? String(s.schoolDaysOverdue) : "", s.escalate ? "ESCALATE" : "", a.note ?? "",
              ]
            }, maxWidth: ["description": 45, "note": 40])
          print(table.render(output.format), terminator: "")
          if output.format == .table {
            printNote("\(list.count) action\(list.count == 1 ? "" : "s"); \(list.filter(\.escalate).count) to escalate")
          }
        }
      }
    }

    struct Accept: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "accept", abstract: "Record that the agency accepted the action.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The action id.") var action: Int64
      @OptionGroup var when: WhenOption
      func run() throws { try move(global, action, .accepted, nil, on: when.on) }
    }

    struct Decline: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "decline", abstract: "Record that the agency declined the action, and why.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The action id.") var action: Int64
      @Option(help: "Why it was declined.") var reason: String
      @OptionGroup var when: WhenOption
      func run() throws { try move(global, action, .declined, reason, on: when.on) }
    }

    struct Done: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "done", abstract: "Record that the action is done, with its outcome.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The action id.") var action: Int64
      @Option(help: "What came of it.") var outcome: String
      @OptionGroup var when: WhenOption
      func run() throws { try move(global, action, .done, outcome, on: when.on) }
    }

    struct Cancel: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel the action, with the reason.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The action id.") var action: Int64
      @Option(help: "Why it is cancelled.") var reason: String
      @OptionGroup var when: WhenOption
      func run() throws { try move(global, action, .cancelled, reason, on: when.on) }
    }
  }
}

/// `--on DATE`: the day a change happened, when it is recorded later.
struct WhenOption: ParsableArguments {
  @Option(help: "The day it happened, if earlier (within the last 30 days, not before the action was raised).")
  var on: String?
}

private func move(_ global: GlobalOptions, _ id: Int64, _ state: ActionState, _ note: String?, on: String?) throws {
  try reporting(fields: ["on": "--on"]) {
    let day = try on.map { try LocalDate.parse($0, field: "--on") }
    let (register, me) = try global.open()
    let a = try register.moveAction(id, to: state, note: note, on: day, by: me, today: try global.currentDate())
    print("Action \(a.id) on \(a.caseReference): \(a.state.rawValue)\(day.map { " on \($0)" } ?? "").")
  }
}
