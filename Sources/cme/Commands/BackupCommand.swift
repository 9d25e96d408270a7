import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "backup",
      abstract: "Copy the register while others keep working, check the copy, and keep it (managers and admins).",
      discussion: """
        The copy is made with SQLite's online backup (the server and other commands carry on), then \
        checked (SQLite's quick_check and the whole audit chain) before it is given its name; a copy \
        that does not check out is not kept. The backup is logged in the register.
        """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Where to write the copy (a new file; private to your account).") var out: String
    @Flag(help: "Replace an existing file at --out.") var force = false

    func run() throws {
      try reporting {
        try OutputFile.check(out, register: global.databasePath, force: force)
        let (register, me) = try global.open()
        let file = try OutputFile(for: out, named: true)
        let started = Date()
        let check = try register.backup(to: file.temporaryPath!, by: me) {
          TestHarness.holdBeforeCommit()
          try file.publish()
        }
        print(
          "Backed up \(register.path) to \(out) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s: \(check.entries) audit entries, head \(check.headHash)."
        )
        print("The copy passed SQLite's quick_check and the audit log's checks (its chain, and every row against it).")
      }
    }
  }

  struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "restore",
      abstract: "Put a backup in the register's place, keeping the current file beside it (managers and admins).",
      discussion: """
        Stop 'cme serve' first. The backup is checked before anything moves; the current register is \
        renamed to REGISTER.before-restore-TIME, the backup copied in, and the restore logged in it.
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file, from 'cme backup'.") var file: String

    func run() throws {
      try reporting {
        let path = global.databasePath
        let stamp = Timestamp.iso(Date()).replacingOccurrences(of: ":", with: "").prefix(17)
        let kept = path + ".before-restore-" + stamp
        let (_, check) = try Register.restore(
          from: file, to: path, keepingCurrentAs: kept, account: global.loginName)
        print("Restored \(path) from \(file): \(check.entries) audit entries, head \(check.headHash).")
        if FileManager.default.fileExists(atPath: kept) { print("The register as it was is kept at \(kept).") }
      }
    }
  }
}
