import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

/// How a listing is printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case table, csv, json
}

/// How one record (a case, a child, a rating) is printed: as readable text
/// or as JSON. A record is not a table, so CSV is refused, never ignored.
enum RecordFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json
}

/// Options every command takes: which register, as whom.
struct GlobalOptions: ParsableArguments {
  @Option(help: "The register file (default: $CME_DB, else register.sqlite in your data folder).")
  var db: String?

  @Option(help: "Act as this user (default: $CME_USER, else your login name).")
  var user: String?

  @Option(help: ArgumentHelp("Treat this date as today (for testing).", visibility: .hidden))
  var today: String?

  /// The register file to use.
  var databasePath: String {
    if let db { return db }
    let env = ProcessInfo.processInfo.environment
    if let db = env["CME_DB"], !db.isEmpty { return db }
    let base =
      env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
    return ((base as NSString).appendingPathComponent("cme") as NSString).appendingPathComponent("register.sqlite")
  }

  /// The user to act as.
  var actor: String {
    if let user { return user }
    let env = ProcessInfo.processInfo.environment
    if let u = env["CME_USER"], !u.isEmpty { return u }
    return loginName
  }

  var loginName: String {
    let env = ProcessInfo.processInfo.environment
    if let u = env["USER"], !u.isEmpty { return u }
    return NSUserName()
  }

  func currentDate() throws -> LocalDate {
    if let today { return try LocalDate.parse(today, field: "--today") }
    return LocalDate.today()
  }

  func openRegister() throws -> Register {
    try Register(path: databasePath)
  }

  /// Opens the register and resolves who is acting, once for the command.
  func open() throws -> (Register, Session) {
    let register = try openRegister()
    return (register, try register.session(for: actor, channel: .commandLine(account: loginName)))
  }
}

/// The `--format` option of listings.
struct FormatOption: ParsableArguments {
  @Option(help: "How to print the listing: table, csv or json.")
  var format: OutputFormat = .table
}
