import ArgumentParser
import CMEAudit
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "audit", abstract: "Verify and read the tamper-evident audit log.",
      subcommands: [Verify.self, Log.self, Checkpoint.self, Witness.self, Redact.self])

    struct Verify: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the hash chain and name the first bad entry (exit 2 if the log is damaged).")
      @OptionGroup var global: GlobalOptions
      @Option(
        help: "A signed checkpoint from 'cme audit checkpoint', or the witness folder, to check the log against.")
      var checkpoint: String?
      @Flag(
        help:
          "Check the chain alone (every entry's hash, redactions, actors, the log's tail): quick, for often; not the file, the references or the rows."
      )
      var chainOnly = false

      func run() throws {
        try reporting(fields: ["checkpoint": "--checkpoint"]) {
          let points = try checkpoint.map { try Register.checkpoints(at: $0) } ?? []
          let (register, me) = try global.open()
          let v = try register.verifyAudit(by: me, checkpoints: points, chainOnly: chainOnly)
          if let problem = v.problem {
            printError(
              problem.hasPrefix("entry ")
                ? "the audit log is damaged at \(problem)" : "the register is damaged: \(problem)")
            for more in v.problems.dropFirst() { printError(more) }
            if v.problemCount > 0 {
              printNote(
                "\(v.problemCount) problem\(v.problemCount == 1 ? "" : "s") in all\(v.problemCount > v.problems.count ? " (the first \(v.problems.count) are named)" : ""); the chain of \(v.entriesChecked) entries verified, and \(v.rowsChecked) rows were compared with it."
              )
            } else {
              printNote("\(v.entriesChecked) entries before it verified.")
            }
            throw ExitCode(Exit.auditDamaged)
          }
          print(
            "The audit log is intact: \(v.entriesChecked) entries, head \(v.headSequence) \(v.headHash)\(v.redacted > 0 ? ", \(v.redacted) redacted" : "")."
          )
          if chainOnly {
            printNote("The chain alone was checked; 'cme audit verify' checks the file and every row too")
          } else if v.rowsRecorded {
            print("Every row of the register (\(v.rowsChecked)) is as the log recorded it.")
          } else {
            printNote(
              "Rows are not checked yet: this register was made by an older cme, and its next change records them")
          }
          if let newest = points.max(by: { $0.sequence < $1.sequence }) {
            print(
              "It holds \(points.count) signed checkpoint\(points.count == 1 ? "" : "s"), the newest entry \(newest.sequence) of \(newest.at)."
            )
          }
        }
      }
    }

    struct Checkpoint: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Write the log's head, signed with the register's key, to a file kept outside the register.",
        discussion: """
          The first checkpoint makes the register's Ed25519 signing key (at --key, else beside the \
          register as REGISTER.signing-key, mode 0600) and records its public half in the log.
          """)
      @OptionGroup var global: GlobalOptions
      @Option(help: "Where to write the checkpoint (a new file; private to your account).") var out: String
      @Option(help: "Where to make the signing key, the first time (kept outside the register file).") var key: String?
      @Flag(help: "Replace the file at --out if it exists.") var force = false

      func run() throws {
        try reporting {
          try OutputFile.check(out, register: global.databasePath, force: force)
          let (register, me) = try global.open()
          let p = try register.signedCheckpoint(by: me, keyPath: key)
          let file = try OutputFile(for: out)
          try file.write(try prettyJSON(p) + "\n")
          try file.publish()
          print("Checkpoint: entry \(p.sequence) \(p.hash) written to \(out).")
        }
      }
    }

    struct Witness: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract:
          "Name a folder, outside the register's, where every write leaves a signed checkpoint (at most one a minute).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The witness folder (made 0700 if missing).") var folder: String

      func run() throws {
        try reporting(fields: ["FOLDER": "FOLDER"]) {
          let (register, me) = try global.open()
          try register.setWitnessFolder(folder, by: me)
          print("Every write now leaves a signed checkpoint in \(folder) (at most one a minute).")
          print("Check the register against them with: cme audit verify --checkpoint \(folder)")
        }
      }
    }

    struct Redact: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "Remove an entry's payload (data recorded in error), with a second manager's approval.",
        discussion: """
          'cme audit redact ENTRY --reason TEXT' asks; another manager runs 'cme audit redact --approve REQUEST' \
          to remove the entry's before and after. The entry stays in the chain (its digest is kept), and an \
          audit.redact entry records what was removed, why, and who asked and approved.
          """)
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The entry whose payload to remove (its seq in 'cme audit log').") var entry: Int64?
      @Option(help: "Why (required when asking).") var reason: String?
      @Option(help: "Approve the redaction request with this number.") var approve: Int64?

      func validate() throws {
        guard (entry == nil) != (approve == nil) else {
          throw ValidationError("give either ENTRY with --reason (to ask) or --approve REQUEST (to approve)")
        }
      }

      func run() throws {
        try reporting(fields: ["reason": "--reason"]) {
          let (register, me) = try global.open()
          if let approve {
            let done = try register.approveRedaction(approve, by: me)
            print(
              "Redacted entry \(done.entry): its payload is removed (asked by \(done.requestedBy): \(done.reason)).")
          } else if let entry {
            let asked = try register.requestRedaction(of: entry, reason: reason ?? "", by: me)
            print("Asked to redact entry \(asked.entry) (request \(asked.request)).")
            print("Another manager approves it with: cme audit redact --approve \(asked.request)")
          }
        }
      }
    }

    struct Log: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show audit entries, for a case or a child (managers and admins).")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption
      @Option(name: .customLong("case"), help: "Only entries about this case.") var caseReference: String?
      @Option(help: "Only entries about this child id.") var child: String?
      @Option(help: "The newest this many (0 for all).") var limit = 100

      func run() throws {
        try reporting {
          let ref = try parseOptional(caseReference) { try CaseReference.parse($0, field: "--case") }
          let id = try parseOptional(child) { try childId($0) }
          let (register, me) = try global.open()
          let entries = try register.auditLog(
            caseReference: ref, childId: id, by: me, limit: limit > 0 ? limit : nil)
          let table = Table(
            columns: ["seq", "at", "actor", "action", "entity", "id", "reason", "before", "after"],
            rows: entries.map {
              [
                String($0.sequence), $0.at, $0.actor, $0.action, $0.entity, $0.entityId, $0.reason ?? "",
                $0.before ?? "", $0.after ?? "",
              ]
            })
          if output.format == .table {
            let short = Table(columns: Array(table.columns.prefix(7)), rows: table.rows.map { Array($0.prefix(7)) })
            print(short.text(), terminator: "")
          } else {
            print(table.render(output.format), terminator: "")
          }
        }
      }
    }
  }
}
