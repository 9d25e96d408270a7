import ArgumentParser
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@main
struct CME: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cme",
    abstract: "Keep a local authority's register of children missing education.",
    discussion: """
      Every command acts as the register user that your operating-system account is (an admin may act \
      as another with --user NAME, break-glass, recorded as such) on a register file (--db PATH, else CME_DB, else register.sqlite in your data folder). Every change \
      is written in one transaction with its audit-log entry.

      Start with 'cme demo' for a register full of synthetic data, or 'cme init' for an empty one.
      """,
    version: "0.1.0",
    subcommands: [
      Init.self, Demo.self, UserCommand.self, ChildCommand.self, CaseCommand.self, VisitCommand.self,
      EnquiryCommand.self,
      ActionCommand.self, ImportCommand.self, ExportCommand.self, RAGCommand.self, RegisterCommand.self,
      BoardCommand.self, BaselineCommand.self, CalendarCommand.self, AuditCommand.self, SettingsCommand.self,
      MyWorkCommand.self, TeamCommand.self, ReportCommand.self, RetentionCommand.self, Backup.self, Restore.self,
      LetterCommand.self, NotifyCommand.self, Serve.self,
    ])

  /// Everything `cme` creates — the register and its `-wal` and `-shm`,
  /// exports, packs, checkpoints, folders — is private to the account
  /// (files 0600, folders 0700), whatever the shell's umask.
  static func main() async {
    umask(0o077)
    do {
      var command = try parseAsRoot()
      if var asynchronous = command as? any AsyncParsableCommand {
        try await asynchronous.run()
      } else {
        try command.run()
      }
    } catch {
      exit(withError: error)
    }
  }
}
