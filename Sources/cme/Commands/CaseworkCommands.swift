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
        abstract: "Log a visit or contact (recorded as you).",
        discussion:
          "Types: \(VisitType.allCases.map(\.rawValue).joined(separator: ", ")).\nAgencies: \(Agency.allCases.map(\.rawValue).joined(separator: ", "))."
      )
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference.") var caseReference: String
      @Option(help: "What kind of contact.") var type: String
      @Option(help: "When, YYYY-MM-DD (not in the future, not before the case opened).") var date: String
      @Option(help: "The time of day, HH:MM.") var time: String?
      @Option(help: "Whether the child was seen: yes or no.") var childSeen: String?
      @Option(help: "What happened.") var outcome: String
      @Option(help: "What happens next.") var nextStep: String?
      @Option(help: "The agency contacted, if any.") var agency: String?

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let (register, me) = try global.open()
          let v = try register.logVisit(
            ref, type: try VisitType.parse(type, field: "--type"), date: try LocalDate.parse(date, field: "--date"),
            time: time,
            childSeen: try parseOptional(childSeen) { try yesNo($0, field: "--child-seen") }, outcome: outcome,
            nextStep: nextStep,
            agency: try parseOptional(agency) { try Agency.parse($0, field: "--agency") }, by: me,
            today: try global.currentDate())
          print(v.id ?? 0)
          printNote(
            "Logged visit \(v.id ?? 0) on \(ref): \(v.type.label) \(v.date). Tick off an enquiry it answered with 'cme enquiry done \(ref) ITEM --result TEXT --visit \(v.id ?? 0)'."
          )
        }
      }
    }
  }

  struct EnquiryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "enquiry", abstract: "The reasonable-enquiries checklist of a case.",
      subcommands: [List.self, Done.self, NotApplicable.self])

    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(abstract: "Show a case's checklist.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption
      @Argument(help: "The case reference.") var caseReference: String

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let (register, me) = try global.open()
          let (c, list) = try register.enquiries(ref, by: me)
          let table = Table(
            columns: ["item", "enquiry", "state", "date", "by", "result or reason", "visit"],
            rows: list.lines.map { l in
              [
                l.item.rawValue, l.label, l.state == "outstanding" && !l.required ? "optional" : l.state,
                l.date?.description ?? "", l.by ?? "",
                l.detail ?? "", l.visitId.map(String.init) ?? "",
              ]
            }, maxWidth: ["enquiry": 40, "result or reason": 50])
          print(table.render(output.format), terminator: "")
          guard output.format == .table else { return }
          print("")
          print(
            list.outstanding.isEmpty
              ? "\(c.reference): every required enquiry is settled."
              : "\(c.reference): \(list.outstanding.count) required enquir\(list.outstanding.count == 1 ? "y" : "ies") outstanding."
          )
          if let missing = list.jointEnquiriesMissing {
            print(
              missing.isEmpty
                ? "Ground \(c.deletionGround!.letter): the joint school–LA enquiries are evidenced."
                : "Ground \(c.deletionGround!.letter) needs joint school–LA enquiries; not yet evidenced: \(missing.map(\.rawValue).joined(separator: ", "))."
            )
          }
        }
      }
    }

    struct Done: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Mark an enquiry done, with its result.",
        discussion: "Items: \(EnquiryItem.allCases.map(\.rawValue).joined(separator: ", ")).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference.") var caseReference: String
      @Argument(help: "The checklist item, e.g. health or ctf-xxx.") var item: String
      @Option(help: "What the enquiry found.") var result: String
      @Option(help: "The visit that made the enquiry (its date becomes the enquiry's).") var visit: Int64?
      @Option(help: "The day it was made (default: the visit's date, else today).") var on: String?

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let item = try EnquiryItem.parse(item, field: "ITEM")
          let (register, me) = try global.open()
          try register.markEnquiryDone(
            ref, item: item, result: result, visitId: visit,
            on: try parseOptional(on) { try LocalDate.parse($0, field: "--on") },
            by: me, today: try global.currentDate())
          print("\(ref): \(item.label) — done.")
        }
      }
    }

    struct NotApplicable: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "na", abstract: "Mark an enquiry not applicable, with the reason.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference.") var caseReference: String
      @Argument(help: "The checklist item.") var item: String
      @Option(help: "Why it does not apply.") var reason: String

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let item = try EnquiryItem.parse(item, field: "ITEM")
          let (register, me) = try global.open()
          try register.markEnquiryNotApplicable(ref, item: item, reason: reason, by: me)
          print("\(ref): \(item.label) — not applicable.")
        }
      }
    }
  }

  struct ActionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "action", abstract: "Multi-agency follow-up actions: raise, chase and close them.",
      subcommands: [Add.self, List.self, Accept.self, Decline.self, Done.self, Cancel.self])

    struct Add: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Raise an action for a partner agency and print its id.",
        discussion: "Agencies: \(Agency.allCases.map(\.rawValue).joined(separator: ", ")).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference.") var caseReference: String
      @Option(help: "The agency asked to act.") var agency: String
      @Option(help: "What is to be done.") var description: String
      @Option(help: "When it is due, YYYY-MM-DD (today or later).") var due: String
      @Option(help: "The person at the agency who owns it.") var owner: String?

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let (register, me) = try global.open()
          let a = try register.addAction(
            ref, agency: try Agency.parse(agency, field: "--agency"), description: description,
            due: try LocalDate.parse(due, field: "--due"), owner: owner, by: me,
            today: try global.currentDate())
          print(a.id)
          printNote("Raised action \(a.id) on \(ref) for \(a.agency.label), due \(a.dueOn).")
        }
      }
    }

    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(abstract: "List live actions, soonest due first.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption
      @Option(name: .customLong("case"), help: "Only this case's actions.") var caseReference: String?
      @Option(help: "Only this agency's.") var agency: String?
      @Flag(help: "Only overdue actions.") var overdue = false
      @Option(help: "Only this owner's.") var owner: String?
      @Flag(help: "Include declined, done and cancelled actions.") var all = false

      func run() throws {
        try reporting {
          let today = try global.currentDate()
          let (register, me) = try global.open()
          let list = try register.listActions(
            case: try parseOptional(caseReference) { try CaseReference.parse($0, field: "--case") },
            agency: try parseOptional(agency) { try Agency.parse($0, field: "--agency") }, overdueOnly: overdue,
            owner: owner,
            includeFinished: all, by: me, today: today)
          let table = Table(
            columns: [
              "id", "case", "agency", "description", "due", "owner", "state", "school days overdue", "escalate", "note",
            ],
            rows: list.map { s in
              let a = s.action
              return [
                String(a.id), a.caseReference, a.agency.rawValue, a.description, a.dueOn.description, a.owner ?? "",
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
      static let configuration = CommandConfiguration(abstract: "Record that the agency accepted the action.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The action id.") var action: Int64
      func run() throws { try move(global, action, .accepted, nil) }
    }

    struct Decline: ParsableCommand {
      static let configuration = CommandConfiguration(abstract: "Record that the agency declined the action, and why.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The action id.") var action: Int64
      @Option(help: "Why it was declined.") var reason: String
      func run() throws { try move(global, action, .declined, reason) }
    }

    struct Done: ParsableCommand {
      static let configuration = CommandConfiguration(abstract: "Record that the action is done, with its outcome.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The action id.") var action: Int64
      @Option(help: "What came of it.") var outcome: String
      func run() throws { try move(global, action, .done, outcome) }
    }

    struct Cancel: ParsableCommand {
      static let configuration = CommandConfiguration(abstract: "Cancel the action, with the reason.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The action id.") var action: Int64
      @Option(help: "Why it is cancelled.") var reason: String
      func run() throws { try move(global, action, .cancelled, reason) }
    }
  }

  struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "calendar", abstract: "The school-day calendar that every clock counts in.",
      subcommands: [Show.self, Import.self])

    struct Show: ParsableCommand {
      static let configuration = CommandConfiguration(abstract: "Show terms and closures, and count school days.")
      @OptionGroup var global: GlobalOptions
      @Option(help: "From this date.") var from: String?
      @Option(help: "To this date.") var to: String?
      @Option(help: "table, or csv (the import format: a template for your own).") var format: OutputFormat = .table

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

private func move(_ global: GlobalOptions, _ id: Int64, _ state: ActionState, _ note: String?) throws {
  try reporting {
    let (register, me) = try global.open()
    let a = try register.moveAction(id, to: state, note: note, by: me)
    print("Action \(a.id) on \(a.caseReference): \(a.state.rawValue).")
  }
}
