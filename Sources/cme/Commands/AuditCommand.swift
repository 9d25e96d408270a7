import ArgumentParser
import CMEAudit
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "audit", abstract: "Verify and read the tamper-evident audit log.",
      subcommands: [Verify.self, Log.self, Checkpoint.self])

    struct Verify: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Recompute the hash chain and name the first bad entry (exit 2 if the log is damaged).")
      @OptionGroup var global: GlobalOptions
      @Option(help: "A checkpoint file from 'cme audit checkpoint' to check the log against.") var checkpoint: String?

      func run() throws {
        try reporting {
          var point: AuditCheckpoint?
          if let checkpoint {
            guard let data = FileManager.default.contents(atPath: checkpoint),
              let p = try? JSONDecoder().decode(AuditCheckpoint.self, from: data)
            else {
              throw InvalidInput(
                field: "--checkpoint", problem: "\(checkpoint) is not a checkpoint file",
                fix: "Make one with 'cme audit checkpoint --out FILE'")
            }
            point = p
          }
          let (register, me) = try global.open()
          let v = try register.verifyAudit(by: me, checkpoint: point)
          if let problem = v.problem {
            printError("the audit log is damaged at \(problem)")
            printNote("\(v.entriesChecked) entries before it verified.")
            throw ExitCode(Exit.auditDamaged)
          }
          print(
            "The audit log is intact: \(v.entriesChecked) entries, head \(v.headSequence) \(v.headHash)\(v.redacted > 0 ? ", \(v.redacted) redacted" : "")."
          )
          if let point { print("It still holds checkpoint entry \(point.sequence) of \(point.at).") }
        }
      }
    }

    struct Checkpoint: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Write the log's head (sequence and hash) to a file kept outside the register.")
      @OptionGroup var global: GlobalOptions
      @Option(help: "Where to write the checkpoint (a new file; private to your account).") var out: String
      @Flag(help: "Replace the file at --out if it exists.") var force = false

      func run() throws {
        try reporting {
          try OutputFile.check(out, register: global.databasePath, force: force)
          let (register, me) = try global.open()
          let p = try register.checkpoint(by: me)
          let file = try OutputFile(for: out)
          try file.write(try prettyJSON(p) + "\n")
          try file.publish()
          print("Checkpoint: entry \(p.sequence) \(p.hash) written to \(out).")
        }
      }
    }

    struct Log: ParsableCommand {
      static let configuration = CommandConfiguration(
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
