import CMEDomain
import Foundation
import GRDB

/// A file imported into the register.
public struct ImportedFile: Sendable, Codable, Equatable {
  /// The file's id.
  public var id: Int64
  /// What kind of file: a deletion return, a new-registration return or a CTF.
  public var kind: String
  /// The file name as imported.
  public var name: String
  /// The file's SHA-256, which makes a second import of it a no-op.
  public var digest: String
  /// Rows (or pupils) read.
  public var rows: Int
  /// Who imported it.
  public var by: String
  /// When.
  public var at: String
  /// Rows with outcomes recorded (rows already imported from another file are not repeated).
  public var rowsRecorded: Int
  /// Cases the file opened.
  public var casesOpened: Int
  /// Rows with flags for a caseworker to look at.
  public var rowsFlagged: Int
}

extension Register {
  /// Every file imported, newest first, with what came of its rows.
  public func importedFiles(by session: Session) throws -> [ImportedFile] {
    return try read(as: session, needs: .readRegister) { db in
      try Register.importedFiles(where: "", arguments: [], in: db)
    }
  }

  /// The rows of one imported file as they were imported: outcome, child,
  /// case and flags (possible off-rolling; differences a transfer file
  /// showed). `file` is the id `importedFiles` gives, or the file's name as
  /// imported (its latest import). With `flaggedOnly`, only the rows with flags.
  public func importedRows(file: String, flaggedOnly: Bool, by session: Session) throws -> (
    ImportedFile, [ImportSummary.Row]
  ) {
    return try read(as: session, needs: .readRegister) { db in
      let found =
        if let id = Int64(file) {
          try Register.importedFiles(where: "WHERE f.id = ?", arguments: [id], in: db)
        } else {
          try Register.importedFiles(where: "WHERE f.name = ?", arguments: [file], in: db)
        }
      guard let f = found.first else {
        throw StoreError.notFound(what: "imported file", key: file)
      }
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT r.line, r.outcome, r.childId, c.reference, r.flags FROM importRow r LEFT JOIN cmeCase c ON c.id = r.caseId
          WHERE r.fileId = ? \(flaggedOnly ? "AND r.flags <> ''" : "") ORDER BY r.line
          """, arguments: [f.id]
      ).map { r in
        let outcome: String = r["outcome"]
        guard let known = ImportOutcome(rawValue: outcome) else {
          throw StoreError.database("an imported row has the outcome '\(outcome)', which this cme does not know")
        }
        return ImportSummary.Row(
          line: r["line"], outcome: known, child: r["childId"], caseReference: r["reference"],
          flags: ImportSummary.flags(stored: r["flags"]))
      }
      return (f, rows)
    }
  }

  /// Imported files with their row counts, newest first, filtered by `condition`.
  private static func importedFiles(where condition: String, arguments: StatementArguments, in db: Database) throws
    -> [ImportedFile]
  {
    try Row.fetchAll(
      db,
      sql: """
        SELECT f.id, f.kind, f.name, f.digest, f.rows, u.name AS by, f.at,
          (SELECT count(*) FROM importRow r WHERE r.fileId = f.id) AS recorded,
          (SELECT count(*) FROM importRow r WHERE r.fileId = f.id AND r.outcome = 'case-opened') AS opened,
          (SELECT count(*) FROM importRow r WHERE r.fileId = f.id AND r.flags <> '') AS flagged
        FROM importFile f JOIN user u ON u.id = f.byUserId \(condition) ORDER BY f.id DESC
        """, arguments: arguments
    ).map {
      ImportedFile(
        id: $0["id"], kind: $0["kind"], name: $0["name"], digest: $0["digest"], rows: $0["rows"], by: $0["by"],
        at: $0["at"],
        rowsRecorded: $0["recorded"], casesOpened: $0["opened"], rowsFlagged: $0["flagged"])
    }
  }
}
