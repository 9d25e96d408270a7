import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "retention",
      abstract: "Keep children's records only as long as the retention schedule says (managers).",
      discussion: """
        A child's record is kept until the later of their 25th birthday and 6 years after their last case \
        closed (settings retention.yearsAfterBirth and retention.yearsAfterLastCase), and longer while a legal \
        hold is on it. A disposal removes the child's personal data from every table and from the log's \
        payloads; their cases keep their dates and outcomes, so counts and past figures stay the same.
        """,
      subcommands: [Review.self, Hold.self, Release.self, Dispose.self, Erase.self])

    struct Review: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "List the children past their retention date: those due for disposal, and those kept.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption

      func run() throws {
        try reporting {
          let today = try global.currentDate()
          let (register, me) = try global.open()
          let found = try register.retentionReview(by: me, today: today)
          if output.format == .json {
            print(try prettyJSON(found))
            return
          }
          let table = Table(
            columns: ["child", "name", "dob", "last case closed", "kept until", "status"],
            rows: found.map {
              [
                String($0.childId), $0.name, $0.dateOfBirth, $0.lastCaseClosed ?? "", $0.retainedUntil,
                $0.keptBecause.map { "kept: \($0)" } ?? "due",
              ]
            })
          print(table.render(output.format), terminator: "")
          if output.format == .table {
            let due = found.filter { $0.keptBecause == nil }.count
            printNote(
              "\(due) due for disposal, \(found.count - due) kept"
                + (due > 0 ? "; dispose of them with 'cme retention dispose --confirm'" : ""))
          }
        }
      }
    }

    struct Hold: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Put a legal hold on a child's record: it is kept past its retention date until released.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The child's id.") var child: String
      @Option(help: "Why (an inquiry, a complaint, litigation).") var reason: String

      func run() throws {
        try reporting(fields: ["reason": "--reason"]) {
          let id = try childId(child)
          let (register, me) = try global.open()
          try register.holdRecord(childId: id, reason: reason, by: me)
          print("Child \(id)'s record is on hold: it will not be disposed of until the hold is released.")
        }
      }
    }

    struct Release: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Release a child's legal hold.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The child's id.") var child: String
      @Option(help: "Why the hold is no longer needed.") var reason: String

      func run() throws {
        try reporting(fields: ["reason": "--reason"]) {
          let id = try childId(child)
          let (register, me) = try global.open()
          try register.releaseHold(childId: id, reason: reason, by: me)
          print("Child \(id)'s hold is released.")
        }
      }
    }

    struct Dispose: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "dispose",
        abstract: "Dispose of the records past their retention date (all that are due, or the children named).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "Only these children (ids); each must be due.") var children: [String] = []
      @Flag(help: "Dispose of them (without it, only say what would go).") var confirm = false

      func run() throws {
        try reporting {
          let ids = try children.map(childId)
          let today = try global.currentDate()
          let (register, me) = try global.open()
          guard confirm else {
            let due = try register.retentionReview(by: me, today: today).filter {
              $0.keptBecause == nil && (ids.isEmpty || ids.contains($0.childId))
            }
            print(
              "\(due.count) record\(due.count == 1 ? " is" : "s are") due for disposal\(due.isEmpty ? "" : ": children " + due.map { String($0.childId) }.joined(separator: ", "))."
            )
            if !due.isEmpty { printNote("Nothing was changed. Add --confirm to dispose of them.") }
            return
          }
          let done = try register.disposeDue(children: ids.isEmpty ? nil : ids, by: me, today: today)
          for d in done {
            print("Disposed of child \(d.childId)'s record: \(d.removed); \(d.redactedEntries) audit entries redacted.")
          }
          print("\(done.count) record\(done.count == 1 ? "" : "s") disposed of.")
        }
      }
    }

    struct Erase: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a child recorded in error at once, with a second manager's approval.",
        discussion: """
          'cme retention erase CHILD --reason TEXT' asks; another manager runs \
          'cme retention erase --approve REQUEST' to dispose of the record at once, as a retention disposal does.
          """)
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The child recorded in error (their id).") var child: String?
      @Option(help: "Why the child was recorded in error (required when asking).") var reason: String?
      @Option(help: "Approve the erasure request with this number.") var approve: Int64?

      func validate() throws {
        guard (child == nil) != (approve == nil) else {
          throw ValidationError("give either CHILD with --reason (to ask) or --approve REQUEST (to approve)")
        }
      }

      func run() throws {
        try reporting(fields: ["reason": "--reason"]) {
          let (register, me) = try global.open()
          if let approve {
            let d = try register.approveErasure(request: approve, by: me)
            print("Erased child \(d.childId)'s record: \(d.removed); \(d.redactedEntries) audit entries redacted.")
          } else if let child {
            let id = try childId(child)
            let request = try register.requestErasure(childId: id, reason: reason ?? "", by: me)
            print("Asked to erase child \(id)'s record (request \(request)).")
            print("Another manager approves it with: cme retention erase --approve \(request)")
          }
        }
      }
    }
  }
}
