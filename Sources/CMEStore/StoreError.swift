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
    }
  }

  /// Translates SQLite's error into the store's words (GRDB's own format may
  /// change between releases, and statement arguments stay out of it).
  static func from(_ error: DatabaseError) -> StoreError {
    .database(error.message ?? "SQLite error \(error.resultCode.rawValue)")
  }
}
