import CMEDomain
import Foundation
import Testing

struct PasswordPolicyTests {
  @Test(arguments: [
    ("short pass", "fewer than 12"), ("password1234", "attackers try first"), ("Password 1234!", "attackers try first"),
    ("abababababab", "attackers try first"), ("qwertyuiopas", "attackers try first"),
    ("j.smith-is-me-ok", "attackers try first"), ("tab\there-is-bad", "control character"),
    (String(repeating: "é", count: 40), "longer than 72 bytes"),
  ])
  func weak_passwords_are_refused_with_the_reason(_ password: String, _ reason: String) {
    #expect(throws: InvalidInput.self) { try PasswordPolicy.check(password, userName: "j.smith", field: "password") }
    do {
      _ = try PasswordPolicy.check(password, userName: "j.smith", field: "password")
    } catch {
      #expect(error.problem.contains(reason), "\(password): \(error.problem)")
    }
  }

  @Test func long_passphrases_and_one_time_passwords_are_accepted() throws {
    #expect(
      try PasswordPolicy.check("lantern mosaic quiver", userName: "j.smith", field: "p") == "lantern mosaic quiver")
    for _ in 0..<20 {
      let once = PasswordPolicy.oneTimePassword()
      #expect(try PasswordPolicy.check(once, userName: "j.smith", field: "p") == once)
    }
  }
}

struct SignInThrottleTests {
  let start = Date(timeIntervalSince1970: 1_800_000_000)

  @Test func failures_slow_down_then_lock_the_name_for_a_while() {
    var t = SignInThrottle()
    #expect(t.verdict(name: "cw", address: "a", now: start) == .proceed(delay: 0))
    for i in 0..<4 { #expect(t.recordFailure(name: "cw", address: "a", now: start + Double(i)).isEmpty) }
    #expect(t.verdict(name: "cw", address: "a", now: start + 5) == .proceed(delay: 4))
    #expect(t.recordFailure(name: "CW", address: "b", now: start + 6) == ["the name"])
    #expect(t.verdict(name: "cw", address: "c", now: start + 7) == .locked(until: start + 6 + 15 * 60))
    #expect(t.verdict(name: "cw", address: "c", now: start + 6 + 15 * 60 + 1) == .proceed(delay: 0))
  }

  @Test func an_address_trying_many_names_is_locked_whatever_the_name() {
    var t = SignInThrottle()
    var locked: [String] = []
    for i in 0..<20 { locked += t.recordFailure(name: "user\(i)", address: "10.0.0.9", now: start + Double(i)) }
    #expect(locked == ["the address"])
    if case .locked = t.verdict(name: "anyone", address: "10.0.0.9", now: start + 30) {
    } else {
      Issue.record("the address should be locked")
    }
    #expect(t.verdict(name: "anyone", address: "10.0.0.10", now: start + 30) == .proceed(delay: 0))
  }

  @Test func failures_older_than_the_window_are_forgotten() {
    var t = SignInThrottle()
    for i in 0..<4 { _ = t.recordFailure(name: "cw", address: "a", now: start + Double(i)) }
    #expect(t.recordFailure(name: "cw", address: "a", now: start + 16 * 60).isEmpty)
    t.recordSuccess(name: "cw")
    #expect(t.verdict(name: "cw", address: "a", now: start + 16 * 60 + 1) == .proceed(delay: 0))
  }

  @Test func stored_timestamps_read_back_exactly() {
    let d = Date(timeIntervalSince1970: 1_795_000_123.25)
    #expect(Timestamp.date(Timestamp.iso(d)) == d)
    #expect(Timestamp.date("2026-11-30 10:00:00") == nil)
  }
}
