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

  @Option(
    help: ArgumentHelp(
      "Act as another user: an admin's break-glass use, recorded in every entry (default: $CME_USER, else the user your operating-system account is).",
      discussion: "On a demo register any demo user may be chosen."))
  var user: String?

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

  /// The user asked for with `--user` or `$CME_USER`, if any.
  var requestedUser: String? {
    if let user { return user }
    let env = ProcessInfo.processInfo.environment
    if let u = env["CME_USER"], !u.isEmpty { return u }
    return nil
  }

  /// The user a new register's admin or the demo's manager is called: the
  /// one asked for, else the operating-system account's name.
  var actor: String { requestedUser ?? loginName }

  /// The operating-system account running `cme`, from the process's real
  /// user id: `$USER` and `$LOGNAME` can say anything and are not read.
  var loginName: String { Self.osAccount }

  static let osAccount: String = {
    if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return "uid-\(getuid())"
  }()

  /// Today, from the machine's clock. No option changes it: every date a
  /// user gives is checked against the real day.
  ///
  /// A test harness alone may fix it: with `CME_TEST_MODE=1` in the
  /// environment, `CME_TEST_TODAY=YYYY-MM-DD` is taken as today. This is for
  /// the package's tests and scripts, never for use with a real register.
  func currentDate() throws -> LocalDate {
    if let fixed = TestHarness.today { return fixed }
    return LocalDate.today()
  }

  /// Opens the register, which must exist: a command other than `init` and
  /// `demo` never creates one.
  func openRegister(creating: Bool = false, concurrentReads: Bool = false) throws -> Register {
    var register = try Register(path: databasePath, creating: creating, concurrentReads: concurrentReads)
    if let cost = TestHarness.passwordCost { register.passwordCost = cost }
    // A command's long work shows its progress; a server's requests do not.
    if !concurrentReads { register.progress = TerminalProgress.reporter }
    return register
  }

  /// Opens the register and resolves who is acting, once for the command.
  func open() throws -> (Register, Session) {
    let register = try openRegister()
    return (register, try register.commandLineSession(account: loginName, requested: requestedUser))
  }
}

/// `--if-version N`: refuse a change to a record that someone changed after
/// it was read (the version 'case show' prints).
struct VersionOption: ParsableArguments {
  @Option(
    help:
      "Make the change only if the record is still at this version (as 'cme case show' or 'cme child show' printed it); else it is refused naming who changed it."
  )
  var ifVersion: Int64?
}

/// The `--format` option of listings.
struct FormatOption: ParsableArguments {
  @Option(help: "How to print the listing: table, csv or json.")
  var format: OutputFormat = .table
}

/// What only the package's tests and scripts set in the environment.
///
/// `CME_TEST_MODE=1` turns it on; without it every variable below is ignored.
enum TestHarness {
  static var enabled: Bool { ProcessInfo.processInfo.environment["CME_TEST_MODE"] == "1" }

  /// `CME_TEST_TODAY`: the day the tests treat as today.
  static var today: LocalDate? {
    guard enabled, let text = ProcessInfo.processInfo.environment["CME_TEST_TODAY"] else { return nil }
    return LocalDate(iso: text)
  }

  /// `CME_TEST_BCRYPT_COST=N`: a lower bcrypt cost for the tests' passwords.
  static var passwordCost: UInt8? {
    guard enabled, let text = ProcessInfo.processInfo.environment["CME_TEST_BCRYPT_COST"] else { return nil }
    return UInt8(text).flatMap { (4...12).contains($0) ? $0 : nil }
  }

  /// `CME_TEST_HOLD_OUTPUT=PATH`: once an output file is complete under its
  /// temporary name, and before its audit entry commits, create PATH and
  /// wait, so that a test can kill `cme` at that moment.
  static func holdBeforeCommit() {
    guard enabled, let marker = ProcessInfo.processInfo.environment["CME_TEST_HOLD_OUTPUT"] else { return }
    _ = FileManager.default.createFile(atPath: marker, contents: nil)
    while true { sleep(1) }
  }
}
