import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import", abstract: "Import returns that schools send the authority.",
      subcommands: [DeletionReturns.self, NewPupils.self, CTF.self, List.self, Show.self])

    struct DeletionReturns: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "deletion-returns",
        abstract: "Import a school deletion-return file (CSV).",
        discussion:
          "Columns (see docs/intake.md): upn, surname*, forename*, date_of_birth*, sex, address, postcode, school*, deletion_date*, ground*, last_attended, parent_name*, parent_address, emergency_phone*, destination_address, destination_school, destination_start_date (* required). The whole file is checked first; a faulty file imports nothing."
      )
      @OptionGroup var global: GlobalOptions
      @OptionGroup var options: ImportOptions

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let s = try register.importDeletionReturns(
            csv: try readInputFile(options.file), file: options.file, dryRun: options.dryRun, by: me,
            today: try global.currentDate())
          ImportCommand.report(s, format: options.output.format) {
            print("\(ImportCommand.dryRunNote(s))\(options.file): \(s.rowsRead) rows read.")
            print("  children matched \(s.childrenMatched), created \(s.childrenCreated)")
            print(
              "  cases opened \(s.casesOpened); logged only \(s.loggedOnly); for the EHE team \(s.eheTeam); already imported \(s.repeated)"
            )
            print(
              "  flags raised \(s.flagsRaised)\(s.ambiguous.isEmpty ? "" : "; ambiguous \(s.ambiguous.count), not imported")"
            )
            for r in s.rows where !r.flags.isEmpty {
              print("  line \(r.line)\(r.caseReference.map { " (\($0))" } ?? ""): \(r.flags.joined(separator: "; "))")
            }
          }
        }
      }
    }

    struct CTF: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "ctf",
        abstract: "Import a Common Transfer File (CTF 24 or 25, XML), streamed pupil by pupil.",
        discussion:
          "A CTF to XXX/XXXX (destination unknown) opens a whereabouts-unknown case; to MMM/MMMM (moved abroad) a believed-moved-abroad case; to a school it is logged. Malformed XML or an unsupported version imports nothing."
      )
      @OptionGroup var global: GlobalOptions
      @OptionGroup var options: ImportOptions

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let s = try register.importCTF(
            path: options.file, dryRun: options.dryRun, by: me, today: try global.currentDate())
          ImportCommand.report(s, format: options.output.format) {
            print(
              "\(ImportCommand.dryRunNote(s))\(options.file): \(s.rowsRead) pupil\(s.rowsRead == 1 ? "" : "s"); children matched \(s.childrenMatched), created \(s.childrenCreated); cases opened \(s.casesOpened); logged \(s.loggedOnly); already imported \(s.repeated)."
            )
            for r in s.rows where r.caseReference != nil || !r.flags.isEmpty {
              print("  pupil \(r.line): \(r.outcome.rawValue)\(r.caseReference.map { " \($0)" } ?? "")")
              for f in r.flags { print("    check \(f)") }
            }
          }
        }
      }
    }

    struct NewPupils: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "new-pupils",
        abstract:
          "Import a school new-registration return (CSV): open cases of children now on roll are proposed for closure.",
        discussion:
          "Columns: upn, surname*, forename*, date_of_birth*, school*, start_date* (* required). The caseworker confirms each proposal with 'cme case close CASE --outcome on-roll-la-school --evidence TEXT'; the school and start date come from the return."
      )
      @OptionGroup var global: GlobalOptions
      @OptionGroup var options: ImportOptions

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let s = try register.importNewPupils(
            csv: try readInputFile(options.file), file: options.file, dryRun: options.dryRun, by: me,
            today: try global.currentDate())
          ImportCommand.report(s, format: options.output.format) {
            let proposed = s.rows.filter { $0.outcome == .closureProposed }
            print(
              "\(ImportCommand.dryRunNote(s))\(options.file): \(s.rowsRead) rows read; \(s.childrenMatched) children on the register; \(proposed.count) case\(proposed.count == 1 ? "" : "s") proposed for closure; already imported \(s.repeated)."
            )
            for r in proposed {
              print(
                "  \(r.caseReference ?? ""): confirm with 'cme case close \(r.caseReference ?? "") --outcome on-roll-la-school --evidence \"…\"'"
              )
            }
          }
        }
      }
    }

    /// Prints what an import did, the same way for every kind of file: with
    /// `--format csv|json` every row with its outcome, otherwise the
    /// command's own `summary` lines; a file imported before says so, and
    /// rows that fit several children are warned about on stderr either way.
    static func report(_ s: ImportSummary, format: OutputFormat, summary: () -> Void) {
      if s.alreadyImported {
        let note = "\(s.file) was imported before (SHA-256 \(s.digest.prefix(12))…); nothing new."
        if format == .table {
          print(note)
        } else {
          printNote(note)
          print(rowsTable([]).render(format), terminator: "")
        }
        return
      }
      if format == .table {
        summary()
      } else {
        print(rowsTable(s.rows).render(format), terminator: "")
      }
      for a in s.ambiguous { printNote("warning: \(a)") }
    }

    /// The start of a dry run's summary.
    static func dryRunNote(_ s: ImportSummary) -> String { s.dryRun ? "Dry run — nothing kept. " : "" }

    /// What became of each row of an imported file.
    static func rowsTable(_ rows: [ImportSummary.Row]) -> Table {
      Table(
        columns: ["line", "outcome", "child", "case", "flags"],
        rows: rows.map {
          [
            String($0.line), $0.outcome.rawValue, $0.child.map(String.init) ?? "", $0.caseReference ?? "",
            $0.flags.joined(separator: "; "),
          ]
        })
    }

    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the files imported, newest first, with what came of their rows.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let files = try register.importedFiles(by: me)
          print(
            Table(
              columns: ["id", "kind", "file", "rows", "cases opened", "flagged", "by", "at", "sha-256"],
              rows: files.map {
                [
                  String($0.id), $0.kind, $0.name, String($0.rows), String($0.casesOpened), String($0.rowsFlagged),
                  $0.by, $0.at, String($0.digest.prefix(12)),
                ]
              },
              maxWidth: ["file": 40]
            ).render(output.format), terminator: "")
        }
      }
    }

    struct Show: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show the rows of an imported file: outcome, child, case and flags.",
        discussion:
          "FILE is the id from 'cme import list', or the file's name as it was imported (the latest import of that name)."
      )
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption
      @Argument(help: "The imported file: its id or its name.") var file: String
      @Flag(help: "Only the rows with flags (possible off-rolling, differences to check).") var flagged = false

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let (f, rows) = try register.importedRows(file: file, flaggedOnly: flagged, by: me)
          if output.format == .table {
            print(
              "\(f.name) (\(f.kind)), imported \(f.at) by \(f.by): \(f.rows) row\(f.rows == 1 ? "" : "s"), \(f.casesOpened) case\(f.casesOpened == 1 ? "" : "s") opened, \(f.rowsFlagged) flagged."
            )
          }
          print(ImportCommand.rowsTable(rows).render(output.format), terminator: "")
        }
      }
    }
  }
}

/// What every import takes: the file, a dry run, and how to print the outcome.
struct ImportOptions: ParsableArguments {
  @OptionGroup var output: FormatOption
  @Argument(help: "The file to import.") var file: String
  @Flag(help: "Check and match, report what would happen, and keep nothing.") var dryRun = false
}
