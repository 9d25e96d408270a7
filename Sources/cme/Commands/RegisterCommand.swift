import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "register", abstract: "Run register checks: every open case looked at in each cycle.",
      subcommands: [Cycle.self, Check.self, Record.self])

    struct Cycle: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "cycle",
        abstract: "Start, follow and close a register-check cycle.", subcommands: [Start.self, Status.self, Close.self])

      struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
          commandName: "start", abstract: "Start a cycle (managers only).")
        @OptionGroup var global: GlobalOptions
        func run() throws {
          try reporting {
            let (register, me) = try global.open()
            let s = try register.startCycle(by: me, today: try global.currentDate())
            print(
              "Started register-check cycle \(s.cycle.id): \(s.total) open case\(s.total == 1 ? "" : "s") to check.")
          }
        }
      }

      struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
          commandName: "status", abstract: "Show the current cycle's progress.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How to print: table (readable text) or json.") var format: RecordFormat = .table
        func run() throws {
          try reporting {
            let (register, me) = try global.open()
            guard let s = try register.cycleStatus(by: me) else {
              print("No register-check cycle yet. A manager starts one with 'cme register cycle start'.")
              return
            }
            if format == .json {
              print(try prettyJSON(s))
              return
            }
            print(cycleText(s), terminator: "")
          }
        }
      }

      struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
          commandName: "close",
          abstract: "Close the cycle (managers only). Every open case must be checked or listed with --unchecked.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "An open case not checked, and why: CASE=REASON (repeatable).") var unchecked: [String] = []
        @Option(help: "A note on the cycle.") var note: String?

        func run() throws {
          try reporting {
            var exemptions: [String: String] = [:]
            for item in unchecked {
              let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
              guard parts.count == 2, optionalText(parts[1]) != nil else {
                throw InvalidInput(
                  field: "--unchecked", problem: "'\(item)' is not CASE=REASON",
                  fix: "Write e.g. --unchecked \"CME-2026-00042=child in hospital; checked by phone with ward\"")
              }
              exemptions[parts[0]] = parts[1]
            }
            let (register, me) = try global.open()
            let s = try register.closeCycle(
              unchecked: exemptions, note: note, by: me, today: try global.currentDate())
            print(
              "Closed register-check cycle \(s.cycle.id): \(s.checked) checked, \(s.exempted) listed unchecked with reasons."
            )
          }
        }
      }
    }

    struct Check: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
          "List the open cases still to check in the current cycle, worst first (with no cycle, every open case).")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption
      @Option(help: "At most this many (0 for all).") var limit = 50

      static let columns = [
        "case", "name", "age", "rag", "suggested", "days open", "school days missing", "whereabouts", "last contact",
        "seen", "actions open", "overdue", "enquiries outstanding", "clock breaches", "reason", "lead", "last checked",
        "why",
      ]

      /// One case's line.
      static func row(_ k: CaseToCheck) -> [String] {
        let a = k.assessment
        return [
          k.summary.reference, k.summary.childName, String(k.age), k.summary.rag?.rawValue ?? "",
          k.suggestion.rating.rawValue, String(k.daysOpen), a.schoolDaysMissing.map(String.init) ?? "",
          k.summary.whereaboutsKnown ? "known" : "unknown",
          a.lastContact.map { "\($0.date) \($0.type.rawValue)" } ?? "none",
          a.lastSeen.map { "seen \($0)" } ?? "not seen",
          String(a.openActions),
          a.overdueActions > 0 ? "\(a.overdueActions)\(a.actionsToEscalate > 0 ? "!" : "")" : "0",
          String(a.enquiriesOutstanding.count), a.clockBreaches.map(\.kind.rawValue).joined(separator: " "),
          k.summary.reason.rawValue, k.summary.leadCaseworker ?? "",
          k.lastCheckedAt.map { "\($0.prefix(10)) \(k.lastOutcome?.rawValue ?? "")" } ?? "never",
          k.suggestion.summary,
        ]
      }

      func run() throws {
        try reporting {
          let today = try global.currentDate()
          let (register, me) = try global.open()
          if limit == 0, output.format != .table {
            // The whole list as CSV or JSON: written a batch at a time, not held.
            var stream = TableStream(columns: Self.columns, format: output.format)
            var written = 0
            do {
              _ = try register.eachCaseToCheck(by: me, today: today) {
                stream.write($0.map(Self.row))
                written += $0.count
              }
            } catch {
              // What was written cannot be taken back: say it is incomplete (JSON is also left unclosed).
              if written > 0 {
                FileHandle.standardError.write(
                  Data("cme: the list written stops after \(written) cases and is incomplete; do not use it\n".utf8))
              }
              throw error
            }
            stream.finish()
            return
          }
          let (status, cases, remaining) = try register.casesToCheck(
            by: me, today: today, limit: limit > 0 ? limit : nil)
          if output.format == .table {
            if let status {
              print(
                "Register check, cycle \(status.cycle.id) (started \(status.cycle.startedOn) by \(status.cycle.startedBy)): checked \(status.checked) of \(status.total) open cases, \(status.percent)%."
              )
            } else {
              print(
                "No register-check cycle is running: these are the \(remaining) open cases, worst first, to read; checks are recorded once a manager starts a cycle ('cme register cycle start')."
              )
            }
            print("")
          }
          let table = Table(
            columns: Self.columns, rows: cases.map(Self.row), maxWidth: ["reason": 24, "why": 50, "last contact": 26])
          print(table.render(output.format), terminator: "")
          if output.format == .table {
            print("")
            let what = status == nil ? "open" : "still to check"
            print(
              remaining > cases.count
                ? "Showing the worst \(cases.count) of \(remaining) \(what) (--limit 0 for all)."
                : "\(remaining) \(what).")
            print(
              "overdue: '!' marks actions overdue beyond the escalation threshold. Clock breaches: \(Clock.Kind.allCases.map(\.rawValue).joined(separator: ", "))."
            )
            print(
              "Record a check: cme register record CASE --outcome explained|action-required|escalated --note TEXT [--rag red|amber|green]"
            )
          }
        }
      }
    }

    struct Record: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a manager's check of a case in the current cycle.",
        discussion:
          "A manager may not sign off the check of a case they lead. --rag changes the rating; the note is the reason.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference.") var caseReference: String
      @Option(help: "What the check found.") var outcome: CheckOutcome
      @Option(help: "What was found and what happens next.") var note: String
      @Option(help: "Confirm or change the rating.") var rag: RAG?
      @Option(help: "Whether a satisfactory explanation exists (default: yes only for explained).")
      var explanation: YesNo?

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let (register, me) = try global.open()
          let k = try register.recordCheck(
            ref, outcome: outcome, note: note, rag: rag, explanation: explanation?.isYes, by: me,
            today: try global.currentDate())
          let s = try register.cycleStatus(by: me)
          print(
            "Checked \(k.caseReference): \(k.outcome.label), \(k.satisfactoryExplanation ? "satisfactory explanation" : "no satisfactory explanation"), \(k.ragBefore?.rawValue ?? "-") → \(k.ragAfter.rawValue)."
          )
          if let s { print("Cycle \(s.cycle.id): checked \(s.checked) of \(s.total).") }
        }
      }
    }
  }
}

func cycleText(_ s: CycleStatus) -> String {
  var lines = [
    "Register-check cycle \(s.cycle.id): \(s.cycle.isOpen ? "open" : "closed \(s.cycle.closedOn!) by \(s.cycle.closedBy ?? "")")",
    "  started \(s.cycle.startedOn) by \(s.cycle.startedBy)",
    "  checked \(s.checked) of \(s.total) (\(s.percent)%)\(s.exempted > 0 ? ", \(s.exempted) listed unchecked with reasons" : "")",
  ]
  for o in CheckOutcome.allCases { lines.append("  \(o.label): \(s.byOutcome[o.rawValue] ?? 0)") }
  lines.append("  no satisfactory explanation: \(s.withoutExplanation)")
  return lines.joined(separator: "\n") + "\n"
}
