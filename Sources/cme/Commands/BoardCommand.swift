import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct BoardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "board", abstract: "The scrutiny board: meetings, agendas, decisions and the board pack.",
      subcommands: [Meeting.self, Agenda.self, Decide.self, Pack.self])

    struct Meeting: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "meeting",
        abstract: "Create, show and list board meetings.", subcommands: [Create.self, Show.self, List.self])

      struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
          commandName: "create",
          abstract: "Create a meeting; its agenda is built from the register by the agenda rules.",
          discussion:
            "On the agenda: every red case; amber cases open more than 20 school days; cases with overdue actions or clock breaches; cases whose last register check found no satisfactory explanation; cases new since the last meeting; cases proposed for closure by a new-registration return."
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "The meeting date, YYYY-MM-DD.") var date: String
        @Option(help: "The chair, e.g. the service director.") var chair: String
        @Option(help: "Someone attending (repeatable).") var attendee: [String] = []

        func run() throws {
          try reporting {
            let (register, me) = try global.open()
            let (m, n) = try register.createMeeting(
              date: try LocalDate.parse(date, field: "--date"), chair: chair, attendees: attendee, by: me,
              today: try global.currentDate())
            print(m.id)
            printNote(
              "Created meeting \(m.id) on \(m.date), chaired by \(m.chair), with \(n) case\(n == 1 ? "" : "s") on the agenda ('cme board agenda \(m.id)')."
            )
          }
        }
      }

      struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
          commandName: "show", abstract: "Show a meeting and its decisions.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The meeting id.") var meeting: Int64

        func run() throws {
          try reporting {
            let (register, me) = try global.open()
            let (m, agenda) = try register.meetingAgenda(meeting, by: me)
            print(
              "Meeting \(m.id) on \(m.date), chair \(m.chair)\(m.attendees.isEmpty ? "" : "; attending: " + m.attendees.joined(separator: ", ")); created by \(m.createdBy)."
            )
            print(
              "\(agenda.count) case\(agenda.count == 1 ? "" : "s") on the agenda; \(agenda.filter { !$0.decisions.isEmpty }.count) decided."
            )
            for a in agenda where !a.decisions.isEmpty {
              print("  \(a.reference): \(a.decisions.joined(separator: " | "))")
            }
          }
        }
      }

      struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
          commandName: "list", abstract: "List meetings, newest first.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOption
        func run() throws {
          try reporting {
            let (register, me) = try global.open()
            let ms = try register.meetings(by: me)
            print(
              Table(
                columns: ["id", "date", "chair", "attendees"],
                rows: ms.map { [String($0.id), $0.date.description, $0.chair, $0.attendees.joined(separator: "; ")] }
              ).render(output.format), terminator: "")
          }
        }
      }
    }

    struct Agenda: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "agenda",
        abstract: "List a meeting's agenda with the reason each case is on it.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption
      @Argument(help: "The meeting id.") var meeting: Int64

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let (m, items) = try register.meetingAgenda(meeting, by: me)
          if output.format == .table {
            print("Agenda of meeting \(m.id), \(m.date): \(items.count) case\(items.count == 1 ? "" : "s").\n")
          }
          print(
            Table(
              columns: ["case", "rag", "opened", "why", "last meeting decided", "decided now"],
              rows: items.map {
                [
                  $0.reference, $0.rag?.rawValue ?? "", $0.openedOn.description, $0.reasons,
                  $0.previousDecisions.joined(separator: " | "),
                  $0.decisions.joined(separator: " | "),
                ]
              },
              maxWidth: ["why": 60, "last meeting decided": 50, "decided now": 50]
            ).render(output.format), terminator: "")
        }
      }
    }

    struct Decide: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Record a board decision on a case (board or manager).",
        discussion:
          "add-action needs --agency, --description and --due; escalations raise an action for social care or the police; change-rag (--rag) and close (--outcome) raise an action for the lead caseworker, who records the rating or the closure with its evidence. The decision and its work are one transaction."
      )
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The meeting id.") var meeting: Int64
      @Argument(help: "The case reference.") var caseReference: String
      @Option(help: "What the board decided to do.") var decision: BoardDecisionKind
      @Option(help: "What the board decided and why.") var note: String
      @Flag(help: "Add the case to the agenda if it is not on it.") var add = false
      @Flag(help: "The note names no one and may be printed in the pack (managers only).") var noteSafe = false
      @Option(help: "The new rating, for change-rag.") var rag: RAG?
      @Option(help: "The agency, for add-action.") var agency: Agency?
      @Option(help: "The action, for add-action.") var description: String?
      @Option(help: "The action's due date.") var due: String?
      @Option(help: "The action's owner.") var owner: String?
      @Option(help: "The closure outcome, for close.") var outcome: ClosureOutcome?
      @Option(help: "Closure evidence in words (default: the note).") var evidence: String?
      @Option(help: "Receiving school, for close.") var school: String?
      @Option(help: "Start date, for close.") var startDate: String?
      @Option(help: "New address, for close.") var newAddress: String?
      @Option(help: "Confirmation, for close.") var confirmation: String?

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let kind = decision
          let details = Register.DecisionDetails(
            rag: rag,
            agency: agency, description: description,
            due: try parseOptional(due) { try LocalDate.parse($0, field: "--due") }, owner: owner, outcome: outcome,
            evidence: outcome == nil
              ? nil
              : ClosureEvidence(
                text: evidence ?? note, school: school,
                startDate: try parseOptional(startDate) { try LocalDate.parse($0, field: "--start-date") },
                newAddress: newAddress, confirmation: confirmation))
          let (register, me) = try global.open()
          let (pack, work) = try register.decide(
            meeting: meeting, case: ref, decision: kind, note: note, addToAgenda: add, details: details,
            noteSafe: noteSafe, by: me,
            today: try global.currentDate())
          print(
            "Meeting \(meeting), \(ref): \(kind.label) — \(work). Made on pack \(pack.map { String($0.prefix(12)) } ?? "(none built yet)")."
          )
        }
      }
    }

    struct Pack: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Build the board pack for a meeting.",
        discussion:
          "Part A holds the figures, protected for publication (every count from 1 to 4, and any count that would let one be worked out, is shown as 'c'); Part B the decision agenda, exempt from publication, by case reference unless --identifiable (managers only; audited). Both by default; --part a or b for one. The same register state gives a byte-identical pack."
      )
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The meeting id.") var meeting: Int64
      @Option(help: "Where to write the pack (a new file; private to your account).") var out: String
      @Flag(help: "Replace the file at --out if it exists.") var force = false
      @Option(help: "The pack's format (pdf needs a headless Chromium).") var format: PackFormat = .html
      @Flag(help: "Show names, dates of birth and addresses (managers only; audited).") var identifiable = false
      @Option(help: "Which part: a (figures, for publication), b (the exempt decision agenda) or both.")
      var part: PackPart = .both
      @Option(help: "Cases on the decision agenda (default: the board.agendaCases setting, 25).") var agendaLimit: Int?
      @Option(help: "Round counts to 5 or 10.") var round: Int = 1
      @Option(help: "The label of a hidden count (default: 'c').") var symbol: String?

      func validate() throws {
        guard [1, 5, 10].contains(round) else { throw ValidationError("'--round' must be 5 or 10") }
      }

      func run() throws {
        try reporting {
          try TextRules.check(symbol, field: "--symbol", kind: .name)
          if let symbol, symbol.trimmingCharacters(in: .whitespaces).isEmpty || symbol.contains(where: \.isNumber) {
            throw InvalidInput(
              field: "--symbol", problem: "'\(symbol)' could be read as a count",
              fix: "Give a label with no digits, such as c or *")
          }
          try OutputFile.check(out, register: global.databasePath, force: force)
          let (register, me) = try global.open()
          let policy = SuppressionPolicy(smallest: 4, roundTo: round, symbol: symbol)
          let started = Date()
          var file: OutputFile?
          let built = try register.buildPack(
            meeting: meeting, format: format == .pdf ? "html" : format.rawValue, part: part.value,
            identifiable: identifiable,
            agendaLimit: agendaLimit, policy: policy,
            by: me
          ) { built in
            // The pack is complete on disk before its entry commits.
            file =
              format == .pdf
              ? try OutputFile.printedPDF(of: built.text, to: out, what: "the pack", dated: built.meetingDate)
              : try OutputFile.written(built.text, to: out)
            TestHarness.holdBeforeCommit()
          }
          try file?.publish()
          print(
            "Wrote \(part.words) for meeting \(meeting) to \(out) (\(format)\(identifiable ? ", IDENTIFIABLE" : ""); \(built.agendaCases) of the \(built.qualifying) cases meeting the agenda rules on the decision agenda) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s."
          )
          print("Data digest \(built.digest); register as of audit entry \(built.logSequence).")
        }
      }
    }
  }
}

/// The parts of a board pack.
enum PackPart: String, ExpressibleByArgument, CaseIterable {
  case a, b, both
  var value: BoardPack.Part { BoardPack.Part(rawValue: rawValue)! }
  var words: String {
    switch self {
    case .a: "Part A of the pack (figures, for publication)"
    case .b: "Part B of the pack (the exempt decision agenda)"
    case .both: "the pack (Part A and the exempt Part B)"
    }
  }
}

/// The formats a board pack is written in.
enum PackFormat: String, ExpressibleByArgument, CaseIterable {
  case html, md, csv, pdf
}
