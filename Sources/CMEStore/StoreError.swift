import CMEDomain
import Foundation
import GRDB

/// Why the register refused or failed a request. In every case the register
/// was left as it was before.
public enum StoreError: Error, Equatable, CustomStringConvertible {
  /// No record with that key.
  case notFound(what: String, key: String)
  /// The request contradicts the register's current state; `next` is what
  /// would help.
  case conflict(String, next: NextStep? = nil)
  /// No register file exists at the path (and the command does not create one).
  case noRegister(path: String)
  /// The file is not a cme register, or is from a newer version of cme.
  case notARegister(path: String, detail: String)
  /// The register holds a value that `cme` never writes (a code outside its
  /// list, a date that is not a date): the file was changed by something else.
  case unreadable(what: String, value: String?)
  /// A record's row holds a value of the wrong kind for its column (written
  /// outside `cme`); which value is not said, since the row is a child's data.
  case undecodable
  /// SQLite refused the change; the message is SQLite's, without values.
  case database(String)
  /// A change was about to be committed without the log recording the rows
  /// it changed (a fault in `cme`, refused rather than written).
  case unrecorded(String)

  public var description: String {
    switch self {
    case .notFound(let what, let key): "no \(what) '\(key)'"
    case .conflict(let text, _): text
    case .noRegister(let path): "there is no register at \(path)"
    case .notARegister(let path, let detail): "\(path) is not a register cme can open: \(detail)"
    case .unreadable(let what, let value):
      "the register holds \(value.map { "the \(what) '\($0)'" } ?? "no \(what)") where cme always writes one it knows: the file was changed outside cme; verify its audit log"
    case .undecodable:
      "the register holds a record with a value cme never writes: the file was changed outside cme; verify its audit log"
    case .database(let text): "the register refused the change: \(text)"
    case .unrecorded(let text):
      "the change was not made, because the audit log would not have recorded it (\(text)); this is a fault in cme: report it with the command you ran"
    }
  }

  /// Translates SQLite's error into the store's words (GRDB's own format may
  /// change between releases, and statement arguments stay out of it).
  ///
  /// The conditions a user can meet and act on are said in words: a register
  /// another program holds, a damaged file, a full disk, a file that cannot
  /// be written. Other refusals (a constraint, a trigger) keep SQLite's own
  /// message, which names no value.
  static func from(_ error: DatabaseError) -> StoreError {
    switch error.resultCode {
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      .database(
        "the register is busy: another program is writing to it and did not finish within 10 seconds; try again in a moment"
      )
    case .SQLITE_CORRUPT, .SQLITE_NOTADB:
      .database("the register file is damaged (SQLite cannot read its pages); restore it from a backup")
    case .SQLITE_FULL:
      .database("the disk holding the register is full; free some space and try again")
    case .SQLITE_READONLY:
      .database("the register file cannot be written (it or its folder is read-only for this account)")
    case .SQLITE_IOERR:
      .database("the register file could not be read or written (an input/output error from the disk)")
    default:
      .database(error.message ?? "SQLite refused it (result code \(error.resultCode.rawValue))")
    }
  }
}
