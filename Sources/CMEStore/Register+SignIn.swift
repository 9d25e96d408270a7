import CMEAudit
import CMEDomain
import Foundation
import GRDB
import HummingbirdBcrypt

/// A web session the register has just opened: the cookie's secret is
/// returned once, here, and the register keeps only its SHA-256.
public struct OpenedWebSession: Sendable {
  /// Who signed in, and through which session.
  public let session: Session
  /// The cookie's secret.
  public let token: String
  /// The token every form of this session must carry.
  public let csrf: String
  /// The password was set by an admin and must be changed before anything else.
  public let mustChangePassword: Bool
  /// The user has a second factor: the session waits for its code.
  public let factorPending: Bool
}

/// A live web session found from its cookie.
public struct WebSessionState: Sendable {
  public let session: Session
  public let csrf: String
  public let mustChangePassword: Bool
  /// The password was right; the second factor's code is still to come.
  public let factorPending: Bool
  /// The register requires a second factor of this user's role and they
  /// have none yet: they must enrol one before anything else.
  public let mustEnrolSecondFactor: Bool
  /// When the user last signed in before this session, if ever: "allocated
  /// since I last looked" counts from here.
  public let previousSignIn: String?
}

/// Checks a time-based code against a second factor's key (the web server
/// supplies the algorithm; the store decides what follows).
public typealias CodeCheck = @Sendable (_ secret: String, _ code: String) -> Bool

/// Why a web session or a sign-in was refused.
public enum SignInRefusal: Error, Equatable, Sendable, CustomStringConvertible {
  /// The name or the password is wrong (never saying which).
  case wrongNameOrPassword
  /// The cookie names no live session (unknown, signed out, or the user
  /// was deactivated or changed).
  case noSession
  /// The session was idle too long or has reached its absolute limit.
  case expired
  /// The second factor's code is not right.
  case wrongCode

  public var description: String {
    switch self {
    case .wrongNameOrPassword: "the user name or the password is not right"
    case .noSession: "you are not signed in"
    case .expired: "your session has ended because it was idle for 30 minutes or open for 12 hours"
    case .wrongCode: "the code is not right"
    }
  }
}

/// How long web sessions last.
public enum WebSessionLimits {
  /// Idle this long, a session ends.
  public static let idle: TimeInterval = 30 * 60
  /// Open this long, a session ends whatever it does.
  public static let absolute: TimeInterval = 12 * 3600
  /// A session's last-seen time is written at most this often.
  static let touchEvery: TimeInterval = 60
  /// bcrypt's cost for new password hashes: 2^cost rounds (see
  /// docs/performance.md for the time one takes).
  public static let bcryptCost: UInt8 = 11
}

extension Register {
  /// Resolves who the command line acts as.
  ///
  /// The operating-system `account` running `cme` is mapped to the user
  /// whose `account` it is (or, failing that, to the user with that name).
  /// `requested` (`--user`) may name another user only when that user is an
  /// admin acting in break-glass (every entry then says so), or on a demo
  /// register, whose users are synthetic.
  public func commandLineSession(account: String, requested: String?) throws -> Session {
    try read { db in
      // (In SQL rather than built by the query interface: every command runs this.)
      let mapped =
        try UserRow.fetchOne(db, sql: "SELECT * FROM user WHERE account = ? AND active = 1", arguments: [account])
        ?? UserRow.fetchOne(db, sql: "SELECT * FROM user WHERE name = ? AND active = 1", arguments: [account])
      if let requested, requested != mapped?.name {
        if try MetaTable.value("kind", in: db) == "demo" {
          return Session(user: try Register.user(named: requested, in: db), channel: .commandLine(account: account))
        }
        guard let mapped else { throw AccessDenied.unknownAccount(account) }
        guard mapped.role == .admin else {
          throw AccessDenied.notBreakGlass(account: account, user: mapped.name, requested: requested)
        }
        return Session(
          user: try Register.user(named: requested, in: db), channel: .breakGlass(account: account, admin: mapped.name))
      }
      guard let mapped else { throw AccessDenied.unknownAccount(account) }
      return Session(user: mapped.user, channel: .commandLine(account: account))
    }
  }

  /// Sets a one-time password for `name` (admins): it works for one sign-in,
  /// which must change it. Ends the user's open web sessions.
  public func setOneTimePassword(for name: String, password: String, by session: Session) throws {
    try write(as: session, needs: .manageUsers) { db, audit in
      let user = try Register.user(named: name, in: db)
      let password = try PasswordPolicy.check(password, userName: user.name, field: "password")
      try UserTable.setPassword(
        of: user.id, hash: Bcrypt.hash(password, cost: passwordCost), mustChange: true,
        auditSeq: audit.nextSequence, in: db)
      try WebSessionTable.endAll(of: user.id, reason: "password-changed", at: audit.at, in: db)
      try audit.append(
        action: .userPasswordSet, entity: "user", entityId: String(user.id),
        after: ["user": user.name, "mustChange": "yes"])
    }
  }

  /// The signed-in user changes their own password.
  public func changePassword(current: String, new: String, by session: Session) throws {
    try write(as: session, needs: nil) { db, audit in
      let hash = try UserTable.passwordHash(of: session.user.id, in: db)
      guard let hash, Bcrypt.verify(current, hash: hash) else {
        throw InvalidInput(
          field: "currentPassword", problem: "the current password is not right", fix: "Type your current password")
      }
      let new = try PasswordPolicy.check(new, userName: audit.actor.name, field: "newPassword")
      if new == current {
        throw InvalidInput(
          field: "newPassword", problem: "the new password is the same as the current one", fix: "Choose a new one")
      }
      try UserTable.setPassword(
        of: session.user.id, hash: Bcrypt.hash(new, cost: passwordCost), mustChange: false,
        auditSeq: audit.nextSequence, in: db)
      try audit.append(
        action: .userPasswordChange, entity: "user", entityId: String(session.user.id),
        after: ["user": audit.actor.name])
    }
  }

  /// Checks a name and password and, if right, opens a web session.
  ///
  /// A wrong password, an unknown or deactivated name and a user without a
  /// password are refused alike, after the same bcrypt work, and logged.
  public func signIn(name: String, password: String, address: String) throws -> OpenedWebSession {
    let typed = (try? User.validName(name, field: "username")) ?? "(not a user name)"
    let candidate = try read { db -> (User, String?, Bool)? in
      guard let row = try UserRow.filter(UserRow.Columns.name == typed).active().fetchOne(db) else { return nil }
      let user = row.user
      return (user, try UserTable.passwordHash(of: user.id, in: db), try UserTable.mustChange(of: user.id, in: db))
    }
    // The same work whether or not the user exists: timing says nothing.
    let hash = candidate?.1 ?? Register.decoys.hash(cost: passwordCost)
    let right = Bcrypt.verify(password, hash: hash) && candidate?.1 != nil
    guard right, let (user, _, mustChange) = candidate else {
      try recordSignInFailure(typed: typed, user: candidate?.0, address: address)
      throw SignInRefusal.wrongNameOrPassword
    }
    let pending = try read { db in try UserTable.totpSecret(of: user.id, in: db) != nil }
    return try openWebSession(
      for: user, address: address, reason: pending ? "password right; second factor to come" : nil,
      mustChangePassword: mustChange, factorPending: pending)
  }

  /// Opens a web session for `user` and logs the sign-in.
  private func openWebSession(
    for user: User, address: String, reason: String?, mustChangePassword: Bool, factorPending: Bool = false
  ) throws -> OpenedWebSession {
    let id = Register.randomHex(bytes: 8)
    let token = Register.randomHex(bytes: 32)
    let csrf = Register.randomHex(bytes: 32)
    let session = Session(user: user, channel: .web(session: id))
    try write(as: session, needs: nil) { db, audit in
      try WebSessionTable.insert(
        id: id, tokenHash: Digest.sha256(Array(token.utf8)).hex, userId: user.id, csrf: csrf, address: address,
        factorPending: factorPending, at: audit.at, in: db)
      try audit.append(
        action: .signIn, entity: "webSession", entityId: id, reason: reason,
        after: ["user": user.name, "address": address])
    }
    return OpenedWebSession(
      session: session, token: token, csrf: csrf, mustChangePassword: mustChangePassword,
      factorPending: factorPending)
  }

  /// Opens a web session for a user whom the council's single sign-on
  /// proxy has named (the server honours the header only from that proxy).
  public func signInFromProxy(name: String, address: String) throws -> OpenedWebSession {
    let user = try read { db in try Register.user(named: name, in: db) }
    return try openWebSession(for: user, address: address, reason: "single sign-on", mustChangePassword: false)
  }

  /// Logs a refused sign-in (the register's first admin stands as the actor
  /// of an attempt on a name that is no user).
  private func recordSignInFailure(typed: String, user: User?, address: String) throws {
    try recordSignInEvent(.signInFailed, typed: typed, user: user, address: address, detail: "wrong name or password")
  }

  /// Logs that repeated failures locked a name or an address.
  public func recordSignInLock(name: String, address: String, what: [String]) throws {
    let typed = (try? User.validName(name, field: "username")) ?? "(not a user name)"
    let user = try read { db in try UserRow.filter(UserRow.Columns.name == typed).fetchOne(db)?.user }
    try recordSignInEvent(
      .signInLocked, typed: typed, user: user, address: address,
      detail: "locked after repeated failures: " + what.joined(separator: " and "))
  }

  private func recordSignInEvent(_ action: AuditAction, typed: String, user: User?, address: String, detail: String)
    throws
  {
    do {
      try dbQueue.write { db in
        let actor =
          try user ?? UserRow.order(UserRow.Columns.id).fetchOne(db)?.user ?? User(id: 0, name: "-", role: .admin)
        var audit = try AuditWriter(
          db: db, actor: User(id: actor.id, name: user?.name ?? "(sign-in)", role: actor.role),
          channel: .web(session: "-"), at: now)
        try audit.append(
          action: action, entity: "webSession", entityId: "-", reason: detail,
          after: ["user": typed, "address": address])
        try audit.finish()
      }
    } catch let e as DatabaseError {
      throw StoreError.from(e)
    }
  }

  /// Finds the live web session whose cookie secret is `token`, ending it
  /// if it has expired, and notes that it was used.
  public func webSession(token: String) throws -> WebSessionState {
    let tokenHash = Digest.sha256(Array(token.utf8)).hex
    let nowDate = clock()
    let nowText = Timestamp.iso(nowDate)
    // Most requests only read (concurrently with each other); the session
    // is written only to end it or, at most once a minute, to note its use.
    enum Follow {
      case none
      case touch(String)
      case expire(String)
    }
    let (outcome, follow) = try read { db -> (Result<WebSessionState, SignInRefusal>, Follow) in
      guard let row = try WebSessionTable.live(tokenHash: tokenHash, in: db),
        let user = try UserRow.filter(UserRow.Columns.id == row.userId).active().fetchOne(db)?.user
      else { return (.failure(.noSession), .none) }
      let created = Timestamp.date(row.createdAt) ?? .distantPast
      let lastSeen = Timestamp.date(row.lastSeenAt) ?? .distantPast
      if nowDate.timeIntervalSince(lastSeen) > WebSessionLimits.idle
        || nowDate.timeIntervalSince(created) > WebSessionLimits.absolute
      {
        return (.failure(.expired), .expire(row.id))
      }
      let enrolled = try UserTable.totpSecret(of: user.id, in: db) != nil
      let required = try Register.settings(in: db).requiresSecondFactor(user.role)
      let state = WebSessionState(
        session: Session(user: user, channel: .web(session: row.id)), csrf: row.csrf,
        mustChangePassword: try UserTable.mustChange(of: user.id, in: db), factorPending: row.factorPending,
        mustEnrolSecondFactor: !enrolled && required,
        previousSignIn: try WebSessionTable.previousSignIn(of: user.id, before: row.id, in: db))
      let touch = nowDate.timeIntervalSince(lastSeen) > WebSessionLimits.touchEvery
      return (.success(state), touch ? .touch(row.id) : .none)
    }
    do {
      switch follow {
      case .none: break
      case .touch(let id): try dbQueue.write { db in try WebSessionTable.touch(id, at: nowText, in: db) }
      case .expire(let id):
        try dbQueue.write { db in try WebSessionTable.end(id, reason: "expired", at: nowText, in: db) }
      }
    } catch let e as DatabaseError {
      throw StoreError.from(e)
    }
    return try outcome.get()
  }

  /// Completes a sign-in whose password was right with the second
  /// factor's code. A wrong code is logged as a failed sign-in.
  public func confirmSecondFactor(code: String, by session: Session, check: CodeCheck) throws {
    guard case .web(let id) = session.channel else { return }
    let right = try read { db -> Bool in
      guard let secret = try UserTable.totpSecret(of: session.user.id, in: db) else { return false }
      return check(secret, code)
    }
    guard right else {
      try recordSignInEvent(
        .signInFailed, typed: session.user.name, user: session.user, address: "-", detail: "wrong second-factor code")
      throw SignInRefusal.wrongCode
    }
    try write(as: session, needs: nil) { db, audit in
      try WebSessionTable.factorDone(id, in: db)
      try audit.append(
        action: .signInSecondFactor, entity: "webSession", entityId: id, after: ["user": audit.actor.name])
    }
  }

  /// Enrols a second factor for the signed-in user: `secret` is the key
  /// their authenticator app now holds, proved by a code it made.
  public func enrolSecondFactor(secret: String, code: String, by session: Session, check: CodeCheck) throws {
    guard secret.count >= 20, secret.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
      throw InvalidInput(field: "secret", problem: "the key is not one this page made", fix: "Start again")
    }
    guard check(secret, code) else {
      throw InvalidInput(
        field: "code", problem: "the code is not right",
        fix: "Type the 6-digit code your authenticator app shows now for this register")
    }
    try write(as: session, needs: nil) { db, audit in
      try UserTable.setTOTPSecret(of: session.user.id, to: secret, auditSeq: audit.nextSequence, in: db)
      try audit.append(
        action: .userSecondFactor, entity: "user", entityId: String(session.user.id),
        after: ["user": audit.actor.name, "secondFactor": "enrolled"])
    }
  }

  /// Ends a web session at the user's request.
  public func signOut(_ session: Session) throws {
    guard case .web(let id) = session.channel else { return }
    try write(as: session, needs: nil) { db, audit in
      try WebSessionTable.end(id, reason: "signed-out", at: audit.at, in: db)
      try audit.append(action: .signOut, entity: "webSession", entityId: id, after: ["user": audit.actor.name])
    }
  }

  /// Deactivates a user (admins): they can no longer sign in or act, their
  /// web sessions end, and everything they did stays attributed to them.
  public func deactivateUser(_ name: String, by session: Session) throws {
    try write(as: session, needs: .manageUsers) { db, audit in
      let user = try Register.user(named: name, in: db)
      if user.id == audit.actor.id {
        throw StoreError.conflict("an admin cannot deactivate themselves; another admin must")
      }
      try UserTable.deactivate(user.id, auditSeq: audit.nextSequence, in: db)
      try WebSessionTable.endAll(of: user.id, reason: "user-changed", at: audit.at, in: db)
      try audit.append(action: .userDeactivate, entity: "user", entityId: String(user.id), before: user)
    }
  }

  /// Gives a user another role (admins). Their web sessions end.
  public func changeRole(of name: String, to role: Role, by session: Session) throws -> User {
    try write(as: session, needs: .manageUsers) { db, audit in
      let user = try Register.user(named: name, in: db)
      if user.id == audit.actor.id, role != .admin {
        throw StoreError.conflict("an admin cannot take away their own admin role; another admin must")
      }
      guard user.role != role else { throw StoreError.conflict("\(name) is already \(role.withArticle)") }
      try UserTable.setRole(of: user.id, to: role, auditSeq: audit.nextSequence, in: db)
      try WebSessionTable.endAll(of: user.id, reason: "user-changed", at: audit.at, in: db)
      var after = user
      after.role = role
      try audit.append(action: .userRole, entity: "user", entityId: String(user.id), before: user, after: after)
      return after
    }
  }

  /// Bcrypt hashes of a random password, one per cost: checked against when
  /// the name typed is no user, so that the answer takes as long either way.
  static let decoys = DecoyHashes()

  /// `bytes` random bytes from the system's generator, as hex.
  static func randomHex(bytes: Int) -> String {
    var g = SystemRandomNumberGenerator()
    return Hex.encode((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &g) })
  }
}

/// One decoy bcrypt hash per cost, made once.
final class DecoyHashes: @unchecked Sendable {
  private let lock = NSLock()
  private var byCost: [UInt8: String] = [:]

  func hash(cost: UInt8) -> String {
    lock.lock()
    defer { lock.unlock() }
    if let h = byCost[cost] { return h }
    let h = Bcrypt.hash(Register.randomHex(bytes: 16), cost: cost)
    byCost[cost] = h
    return h
  }
}
