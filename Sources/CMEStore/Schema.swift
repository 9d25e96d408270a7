import Foundation

/// The register's schema, carried inside the binary.
///
/// `schema.sql` at the package root is embedded at build time (the target's
/// `schema.sql` is a link to it), so the built `cme` needs no file at run time.
public enum Schema {
  /// The text of `schema.sql`.
  public static let sql = String(decoding: PackageResources.schema_sql, as: UTF8.self)

  /// The schema version `schema.sql` declares in its `PRAGMA user_version`.
  public static let version: Int = {
    for line in sql.split(separator: "\n") where line.hasPrefix("PRAGMA user_version") {
      if let n = Int(line.filter(\.isNumber)) { return n }
    }
    return 0
  }()

  /// Changes from one schema version to the next, appended, never edited.
  ///
  /// A register at version N gets every migration whose version is above N,
  /// in order, each in its own transaction. The last one's version must equal
  /// ``version``, and applying them to an old register must give exactly the
  /// schema of `schema.sql` (a test checks both).
  public static let migrations: [(version: Int, sql: String)] = []
}
