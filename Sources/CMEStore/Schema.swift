import Foundation

/// The register's schema, carried inside the binary.
///
/// `schema.sql` at the package root is embedded at build time (the target's
/// `schema.sql` is a link to it), so the built `cme` needs no file at run time.
public enum Schema {
  /// The text of `schema.sql`.
  public static let sql = String(decoding: PackageResources.schema_sql, as: UTF8.self)

  /// The schema version `schema.sql` declares in its `PRAGMA user_version`.
  /// (Its last line: read from the end, as every command opening a register asks.)
  public static let version: Int = {
    guard let at = sql.range(of: "PRAGMA user_version", options: .backwards) else { return 0 }
    let line = sql[at.upperBound...].prefix { $0 != "\n" }
    return Int(line.filter(\.isNumber)) ?? 0
  }()

  /// Changes from one schema version to the next, appended, never edited.
  ///
  /// A register at version N gets every migration whose version is above N,
  /// in order, each in its own transaction. Additive migrations are the
  /// sections of `schema.sql` that start with `-- @migration N`, so the
  /// schema is written once. The last one's version must equal ``version``,
  /// and applying them to an old register must give exactly the schema of
  /// `schema.sql` (a test checks both on a file made by the version 1 schema).
  public static let migrations: [(version: Int, sql: String)] = sections(of: sql)

  /// The statement of `schema.sql` that fills the children's name index from
  /// their rows, for bulk loads that fill it once at the end.
  /// (The latest: migration 23 indexes names without accents or apostrophes too.)
  static let nameIndexFill = lastStatement(startingWith: "INSERT INTO childNameIndex")

  /// The statement of `schema.sql` that fills each case's kept casework
  /// (`caseWork`) from the rows, for bulk loads that fill it once at the end.
  static let caseWorkFill = lastStatement(startingWith: "INSERT INTO caseWork")

  /// The last statement of the migrations that begins with `prefix` at the
  /// start of a line, from that line on: a statement of its own, not one
  /// inside a trigger's body, which is indented.
  static func lastStatement(startingWith prefix: String) -> String {
    var found = ""
    for section in migrations {
      for statement in section.sql.components(separatedBy: ";\n") {
        let lines = statement.split(separator: "\n", omittingEmptySubsequences: false)
        if let first = lines.firstIndex(where: { $0.hasPrefix(prefix) }) {
          found = lines[first...].joined(separator: "\n")
        }
      }
    }
    return found
  }

  /// The `-- @migration N` sections of a schema text, each up to the next
  /// section or the closing `PRAGMA user_version`.
  static func sections(of text: String) -> [(version: Int, sql: String)] {
    var result: [(version: Int, sql: String)] = []
    var current: (version: Int, lines: [Substring])?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if let version = migrationHeading(line) {
        if let c = current { result.append((c.version, c.lines.joined(separator: "\n"))) }
        current = (version, [])
      } else if line.hasPrefix("PRAGMA user_version") {
        if let c = current { result.append((c.version, c.lines.joined(separator: "\n"))) }
        current = nil
      } else {
        current?.lines.append(line)
      }
    }
    return result
  }

  /// What starts a line comment in SQL.
  static let sqlLineComment = String(repeating: "-", count: 2)

  /// The version a line `-- @migration N` heads, or nil for any other line.
  /// (Read by hand: a regular expression is parsed afresh at run time, and
  /// every command reads the schema's sections when it opens a register.)
  static func migrationHeading(_ line: Substring) -> Int? {
    let words = line.split(separator: " ", omittingEmptySubsequences: true)
    guard words.count == 3, words[0] == sqlLineComment, words[1] == "@migration" else { return nil }
    return Int(words[2])
  }
}
