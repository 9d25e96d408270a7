import Foundation

/// A user's role in the register.
public enum Role: String, ClosedList {
  /// Logs enquiries, opens and works cases.
  case caseworker
  /// A group manager: everything a caseworker does, plus register checks.
  case manager
  /// A member of the scrutiny board: reads the register.
  case board
  /// Manages users and the audit log; does not work cases.
  case admin

  public static let noun = "role"
  public var label: String { rawValue }

  /// The role with its indefinite article: "a manager", "an admin".
  public var withArticle: String {
    switch self {
    case .admin: "an admin"
    case .board: "a board member"
    case .caseworker, .manager: "a \(rawValue)"
    }
  }

  /// Whether a user in this role may lead a case (and so leads the cases they open).
  public var leadsCases: Bool { self == .caseworker || self == .manager }
}

/// What a command does, for the purpose of deciding who may do it.
public enum Permission: String, Sendable, CaseIterable {
  case manageUsers = "add or change users"
  case readRegister = "read children's and cases' records"
  case readBoardPapers = "read the scrutiny board's meetings, agendas and population baseline"
  case readSettings = "read the settings and the school calendar"
  case writeCases = "change children and cases"
  case setRAG = "set a RAG rating"
  case runRegisterCycle = "run register-check cycles or set the register's settings, calendar and baseline"
  case recordRegisterCheck = "record a register check"
  case readAuditLog = "read the audit log"
  case verifyAuditLog = "verify the audit log"
  case runBoard = "run scrutiny-board meetings and record their decisions"
  case seeIdentifiablePack = "build an identifiable board pack"
  case markNoteSafe = "mark a board decision's note safe to print in the pack"
  case exportIdentifiable = "export children's identifying details (names, dates of birth, UPNs, postcodes)"
  case exportSpecialCategory =
    "export special-category data (ethnicity, religion, SEN and disability, sexual orientation)"
  case subjectAccess = "make a subject-access export"
  case backupRegister = "back up or restore the register, or sign its checkpoints"
  case redactAuditLog = "ask for or approve the redaction of an audit entry's payload"
  case manageRetention = "review retention, hold records, and dispose of or erase children's records"

  /// The roles that hold this permission.
  public var roles: Set<Role> {
    switch self {
    case .manageUsers: [.admin]
    // The board works from case references and anonymised figures: it never
    // reads a child's identifying record.
    case .readRegister: [.caseworker, .manager]
    case .readBoardPapers: [.caseworker, .manager, .board]
    case .readSettings: [.caseworker, .manager, .board]
    case .writeCases, .setRAG: [.caseworker, .manager]
    case .runRegisterCycle, .recordRegisterCheck: [.manager]
    case .readAuditLog: [.manager, .admin]
    case .verifyAuditLog: [.caseworker, .manager, .board, .admin]
    case .runBoard: [.manager, .board]
    case .seeIdentifiablePack, .exportIdentifiable, .exportSpecialCategory, .subjectAccess, .markNoteSafe: [.manager]
    case .backupRegister: [.manager, .admin]
    case .redactAuditLog, .manageRetention: [.manager]
    }
  }
}

/// A known user of the register.
public struct User: Hashable, Sendable, Codable {
  public var id: Int64
  public var name: String
  public var role: Role

  public init(id: Int64, name: String, role: Role) {
    self.id = id
    self.name = name
    self.role = role
  }
}

/// How a user reached the register.
public enum Channel: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The command line, run by this operating-system account.
  case commandLine(account: String)
  /// An admin's break-glass use of the command line: the operating-system
  /// account mapped to `admin` acting as another user.
  case breakGlass(account: String, admin: String)
  /// A signed-in web session, named by an identifier that is not its secret.
  case web(session: String)

  public var description: String {
    switch self {
    case .commandLine(let account): "command line (\(account))"
    case .breakGlass(let account, let admin): "command line (\(account)), break-glass by \(admin)"
    case .web(let session): "web session \(session)"
    }
  }
}

/// Who is acting: a user of the register, resolved once per command or
/// request, and the channel they came through.
///
/// Only the store makes one, after finding the user among the register's
/// active users. Every read and write re-reads the user inside its own
/// transaction, so a user deactivated or given another role since the
/// session was made is held to what the register says now.
public struct Session: Sendable, Hashable {
  /// The user as found when the session was made.
  public let user: User
  /// How they reached the register.
  public let channel: Channel

  package init(user: User, channel: Channel) {
    self.user = user
    self.channel = channel
  }

  /// The user's name, as the audit log records it.
  public var name: String { user.name }
}

/// Refusal of an action because of who is asking.
public enum AccessDenied: Error, Equatable, Sendable, CustomStringConvertible {
  case unknownUser(String)
  /// The operating-system account running the command line is no user's.
  case unknownAccount(String)
  /// `--user` named someone else, and the account's user is not an admin.
  case notBreakGlass(account: String, user: String, requested: String)
  case notPermitted(user: String, role: Role, permission: Permission)
  case ownCase(user: String, reference: String)

  public var description: String {
    switch self {
    case .unknownUser(let name):
      "'\(name)' is not a user of this register"
    case .unknownAccount(let account):
      "the operating-system account '\(account)' is not a user of this register; an admin can make it one"
    case .notBreakGlass(let account, let user, let requested):
      "the operating-system account '\(account)' acts as \(user) and may not act as \(requested): only an admin may act as another user (break-glass), and that is recorded"
    case .notPermitted(let user, let role, let permission):
      "\(user) is \(role.withArticle) and may not \(permission.rawValue); this needs the role \(permission.roles.map(\.rawValue).sorted().joined(separator: " or "))"
    case .ownCase(let user, let reference):
      "\(user) has worked \(reference) (as its lead caseworker, now or before, or by recording casework on it) and may not sign off its register check; another manager must check it"
    }
  }
}

extension User {
  /// Throws unless this user's role holds the permission.
  public func require(_ permission: Permission) throws(AccessDenied) {
    guard permission.roles.contains(role) else {
      throw .notPermitted(user: name, role: role, permission: permission)
    }
  }

  /// Checks a user name: letters, digits, `.`, `_`, `-`, `@`; 1–64 characters.
  public static func validName(_ text: String, field: String) throws(InvalidInput) -> String {
    let t = text.trimmingCharacters(in: .whitespaces)
    let ok =
      !t.isEmpty && t.count <= 64
      && t.unicodeScalars.allSatisfy {
        $0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-@".unicodeScalars.contains($0)
      }
    guard ok else {
      throw InvalidInput(
        field: field, problem: "'\(text)' is not a usable user name",
        fix: "Use 1–64 letters, digits, '.', '_', '-' or '@', e.g. j.smith")
    }
    return t
  }
}
