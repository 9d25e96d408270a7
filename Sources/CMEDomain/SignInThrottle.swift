import Foundation

/// How repeated sign-in failures slow down and then lock an account name and
/// an address, whether or not the account exists (so that the answer never
/// says which names are users).
///
/// Pure: the server keeps one value and asks it before each attempt.
public struct SignInThrottle: Sendable {
  /// The limits.
  public struct Rules: Sendable {
    /// Failures counted over this many seconds.
    public var window: TimeInterval = 15 * 60
    /// Failures for one name, within the window, that lock it.
    public var accountLock = 5
    /// Failures from one address, within the window, that lock it (an
    /// address may hold several users behind one proxy, so it allows more).
    public var addressLock = 20
    /// How long a lock lasts.
    public var lockFor: TimeInterval = 15 * 60
    /// Failures after which each further attempt waits, doubling from one
    /// second up to `maximumDelay`.
    public var delayAfter = 2
    public var maximumDelay: TimeInterval = 8

    public init() {}
  }

  /// What the server does with an attempt.
  public enum Verdict: Equatable, Sendable {
    /// Go ahead, after waiting this long.
    case proceed(delay: TimeInterval)
    /// Refuse without checking the password until this time.
    case locked(until: Date)
  }

  public var rules: Rules
  private var failures: [String: [Date]] = [:]
  private var lockedUntil: [String: Date] = [:]

  public init(rules: Rules = Rules()) { self.rules = rules }

  private static func keys(name: String, address: String) -> (account: String, address: String) {
    ("account:" + name.lowercased(), "address:" + address)
  }

  /// Whether an attempt for `name` from `address` may go ahead now.
  public func verdict(name: String, address: String, now: Date) -> Verdict {
    let k = Self.keys(name: name, address: address)
    let until = [lockedUntil[k.account], lockedUntil[k.address]].compactMap { $0 }.filter { $0 > now }.max()
    if let until { return .locked(until: until) }
    let recent = max(count(k.account, now: now), count(k.address, now: now) / 4)
    guard recent >= rules.delayAfter else { return .proceed(delay: 0) }
    return .proceed(delay: min(rules.maximumDelay, pow(2, Double(recent - rules.delayAfter))))
  }

  /// Records a failed attempt. Returns what it newly locked, if anything:
  /// "the name" or "the address".
  public mutating func recordFailure(name: String, address: String, now: Date) -> [String] {
    let k = Self.keys(name: name, address: address)
    var locked: [String] = []
    for (key, limit, what) in [
      (k.account, rules.accountLock, "the name"), (k.address, rules.addressLock, "the address"),
    ] {
      var list = (failures[key] ?? []).filter { now.timeIntervalSince($0) < rules.window }
      list.append(now)
      failures[key] = list
      if list.count >= limit, (lockedUntil[key] ?? .distantPast) <= now {
        lockedUntil[key] = now.addingTimeInterval(rules.lockFor)
        failures[key] = []
        locked.append(what)
      }
    }
    return locked
  }

  /// Forgets the name's failures after a successful sign-in.
  public mutating func recordSuccess(name: String) {
    failures["account:" + name.lowercased()] = nil
  }

  private func count(_ key: String, now: Date) -> Int {
    (failures[key] ?? []).filter { now.timeIntervalSince($0) < rules.window }.count
  }
}
