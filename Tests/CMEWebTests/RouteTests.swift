import CMEDomain
import CMEStore
import CMETestSupport
import CMEWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A register with a case and every role, each user with a password, and
/// the server's routes over it (no socket: Hummingbird's router tester).
struct WebFixture: Sendable {
  let t: TestRegister
  let reference: CaseReference
  static let password = "correct horse battery"

  init() throws {
    t = try TestRegister()
    reference = try t.openCase { $0.legalForename = "Tallulah" }
    for name in ["admin", "mgr", "mgr2", "cw", "cw2", "board"] {
      let once = PasswordPolicy.oneTimePassword(for: name)
      try t.register.setOneTimePassword(for: name, password: once, by: t.register.session("admin"))
      let s = try t.register.signIn(name: name, password: once, address: "test")
      try t.register.changePassword(current: once, new: WebFixture.password, by: s.session)
      try t.register.signOut(s.session)
    }
  }

  func application() throws -> some ApplicationProtocol {
    var options = WebServerOptions()
    options.today = { testToday }
    options.throttle.delayAfter = 1000
    return try WebServer.application(register: t.register, options: options)
  }
}

/// A browser's cookies and the last page's CSRF token.
final class Browser: @unchecked Sendable {
  var cookies: [String: String] = [:]

  var cookieHeader: HTTPFields {
    var h = HTTPFields()
    if !cookies.isEmpty { h[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
    return h
  }

  func keep(_ response: TestResponse) {
    for value in response.headers[values: .setCookie] {
      let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
      let name = String(pair[0])
      let v = pair.count > 1 ? String(pair[1]) : ""
      if v.isEmpty { cookies[name] = nil } else { cookies[name] = v }
    }
  }

  static func csrf(in html: String) -> String? {
    guard let r = html.range(of: "name=\"csrf\" value=\"") else { return nil }
    return String(html[r.upperBound...].prefix { $0 != "\"" })
  }

  func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
    let r = try await client.execute(uri: uri, method: .get, headers: cookieHeader)
    keep(r)
    return r
  }

  func post(_ client: some TestClientProtocol, _ uri: String, _ fields: [(String, String)]) async throws -> TestResponse
  {
    var h = cookieHeader
    h[.contentType] = "application/x-www-form-urlencoded"
    let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
      .joined(separator: "&")
    let r = try await client.execute(uri: uri, method: .post, headers: h, body: ByteBuffer(string: body))
    keep(r)
    return r
  }

  /// Signs in through the form; returns the session's CSRF token.
  @discardableResult
  func signIn(_ client: some TestClientProtocol, _ name: String, password: String = WebFixture.password) async throws
    -> String?
  {
    let form = try await get(client, "/sign-in")
    let token = Browser.csrf(in: String(buffer: form.body))!
    let r = try await post(client, "/sign-in", [("csrf", token), ("username", name), ("password", password)])
    guard r.status == .seeOther else { return nil }
    let home = try await get(client, "/find")
    return Browser.csrf(in: String(buffer: home.body))
  }
}

struct RouteTests {
  @Test func health_answers_without_sign_in_and_every_page_else_sends_to_sign_in() async throws {
    let f = try WebFixture()
    try await f.application().test(.router) { client in
      try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
      for uri in [
        "/", "/find?q=Smith", "/children/1", "/cases/\(f.reference)", "/register-check", "/board", "/admin",
        "/password", "/board/meetings/1/pack",
      ] {
        try await client.execute(uri: uri, method: .get) { r in
          #expect(r.status == .seeOther, "\(uri)")
          #expect(r.headers[.location] == "/sign-in", "\(uri)")
        }
      }
      try await client.execute(uri: "/cases/\(f.reference)/visits", method: .post) { r in
        #expect(r.status == .seeOther)
        #expect(r.headers[.location] == "/sign-in")
      }
    }
  }

  @Test func a_wrong_password_is_refused_and_logged_without_saying_which_was_wrong() async throws {
    let f = try WebFixture()
    try await f.application().test(.router) { client in
      let b = Browser()
      #expect(try await b.signIn(client, "cw", password: "not the password at all") == nil)
      #expect(try await b.signIn(client, "nobody-here", password: "not the password at all") == nil)
      let page = try await b.get(client, "/sign-in")
      let token = Browser.csrf(in: String(buffer: page.body))!
      let r = try await b.post(client, "/sign-in", [("csrf", token), ("username", "cw"), ("password", "wrong one!")])
      #expect(r.status == .unauthorized)
      #expect(String(buffer: r.body).contains("The user name or the password is not right."))
    }
    let failures = try sqlite3(f.t.path, "SELECT count(*) FROM auditEntry WHERE action = 'signin.failed';").output
    #expect(failures.trimmingCharacters(in: .whitespacesAndNewlines) == "3")
  }

  @Test func a_form_without_its_csrf_token_is_refused_and_writes_nothing() async throws {
    let f = try WebFixture()
    try await f.application().test(.router) { client in
      let b = Browser()
      let token = try #require(try await b.signIn(client, "cw"))
      let before = try sqlite3(f.t.path, "SELECT count(*) FROM visit;").output
      let visit = [
        ("type", "home-visit"), ("date", "2026-11-16"), ("childSeen", "yes"), ("outcome", "Seen at home"),
        ("formId", UUID().uuidString),
      ]
      let refused = try await b.post(client, "/cases/\(f.reference)/visits", visit)
      #expect(refused.status == .forbidden)
      // The token with its first digit changed.
      let altered = (token.first == "0" ? "1" : "0") + token.dropFirst()
      let wrong = try await b.post(client, "/cases/\(f.reference)/visits", visit + [("csrf", altered)])
      #expect(wrong.status == .forbidden)
      #expect(try sqlite3(f.t.path, "SELECT count(*) FROM visit;").output == before)
      let ok = try await b.post(client, "/cases/\(f.reference)/visits", visit + [("csrf", token)])
      #expect(ok.status == .seeOther)
      // The same form sent twice is acted on once.
      let again = try await b.post(client, "/cases/\(f.reference)/visits", visit + [("csrf", token)])
      #expect(again.status == .seeOther)
      let after = Int(
        try sqlite3(f.t.path, "SELECT count(*) FROM visit;").output.trimmingCharacters(in: .whitespacesAndNewlines))
      #expect(after == Int(before.trimmingCharacters(in: .whitespacesAndNewlines))! + 1)
    }
  }

  @Test func a_bad_form_comes_back_with_the_error_summary_and_what_was_typed() async throws {
    let f = try WebFixture()
    try await f.application().test(.router) { client in
      let b = Browser()
      let token = try #require(try await b.signIn(client, "cw"))
      let r = try await b.post(
        client, "/cases/\(f.reference)/visits",
        [
          ("csrf", token), ("type", "home-visit"), ("date", "2031-01-01"), ("outcome", "Knocked <b>twice</b>"),
          ("formId", UUID().uuidString),
        ])
      #expect(r.status == .unprocessableContent)
      let html = String(buffer: r.body)
      #expect(html.contains("There is a problem"))
      #expect(html.contains("href=\"#visit-date\""))
      #expect(html.contains("2031-01-01"))
      #expect(html.contains("Knocked &lt;b&gt;twice&lt;/b&gt;"))
      #expect(!html.contains("<b>twice"))
    }
  }

  @Test func each_role_reaches_only_its_pages() async throws {
    let f = try WebFixture()
    try await f.application().test(.router) { client in
      let expected: [(String, String, HTTPResponse.Status)] = [
        ("cw", "/register-check", .forbidden), ("cw", "/admin", .forbidden), ("cw", "/board", .ok),
        ("board", "/cases/\(f.reference)", .forbidden), ("board", "/find?q=Smith", .forbidden),
        ("board", "/children/1", .forbidden), ("admin", "/cases/\(f.reference)", .forbidden),
        ("admin", "/find?q=Smith", .forbidden), ("mgr", "/admin", .forbidden), ("mgr", "/register-check", .ok),
        ("admin", "/admin", .ok),
      ]
      for name in ["cw", "board", "admin", "mgr"] {
        let b = Browser()
        try #require(try await b.signIn(client, name) != nil)
        for (who, uri, status) in expected where who == name {
          let r = try await b.get(client, uri)
          #expect(r.status == status, "\(name) \(uri)")
        }
      }
    }
  }

  @Test func a_search_with_more_matches_than_a_page_says_so_and_how_to_narrow_it() async throws {
    let f = try WebFixture()
    for i in 0..<51 { _ = try f.t.addChild(surname: "Okonkwo", forename: "Ada\(String(UnicodeScalar(97 + i % 26)!))") }
    try await f.application().test(.router) { client in
      let b = Browser()
      try #require(try await b.signIn(client, "cw") != nil)
      let many = String(buffer: try await b.get(client, "/find?q=okonkwo").body)
      #expect(many.contains("More than 50 found"))
      #expect(many.contains("Add a forename or a date of birth to narrow the search."))
      #expect(many.components(separatedBy: "href=\"/children/").count - 1 == 50)
      let few = String(buffer: try await b.get(client, "/find?q=tallulah").body)
      #expect(few.contains("1 found"))
      #expect(!few.contains("More than"))
      // Two words as a browser sends them, with "+" for the space.
      let two = String(buffer: try await b.get(client, "/find?q=Adab+Okonkwo").body)
      #expect(two.contains("2 found"), "\(two)")
      // A NUL is refused in words, and the server goes on.
      let nul = try await b.get(client, "/find?q=jo%00hn+okonkwo")
      #expect(nul.status == .unprocessableContent)
      #expect(String(buffer: nul.body).contains("Contains a NUL character (U+0000) at position 3"))
      #expect(try await b.get(client, "/find?q=okonkwo").status == .ok)
    }
  }

  @Test func a_board_members_pages_name_no_child() async throws {
    let f = try WebFixture()
    _ = try f.t.register.createMeeting(
      date: testToday, chair: "S. Director", attendees: ["mgr"], by: f.t.register.session("mgr"), today: testToday)
    try await f.application().test(.router) { client in
      let b = Browser()
      try #require(try await b.signIn(client, "board") != nil)
      for uri in ["/board", "/board/meetings/1", "/board/meetings/1/pack", "/"] {
        var r = try await b.get(client, uri)
        if r.status == .seeOther, let next = r.headers[.location] { r = try await b.get(client, next) }
        #expect(r.status == .ok, "\(uri)")
        let text = String(buffer: r.body)
        #expect(!text.contains("Tallulah"), "\(uri) names a child")
        #expect(!text.contains("Smith"), "\(uri) names a child")
      }
    }
  }

  @Test func repeated_failures_lock_the_name_without_saying_whether_it_exists() async throws {
    let f = try WebFixture()
    try await f.application().test(.router) { client in
      for name in ["cw", "no-such-user"] {
        let b = Browser()
        for _ in 0..<5 { _ = try await b.signIn(client, name, password: "wrong password again") }
        let page = try await b.get(client, "/sign-in")
        let token = Browser.csrf(in: String(buffer: page.body))!
        // Even the right password is refused while the name is locked.
        let r = try await b.post(
          client, "/sign-in", [("csrf", token), ("username", name), ("password", WebFixture.password)])
        #expect(r.status == .tooManyRequests)
        #expect(String(buffer: r.body).contains("too many failed attempts"))
      }
    }
    let locks = try sqlite3(f.t.path, "SELECT count(*) FROM auditEntry WHERE action = 'signin.locked';").output
    #expect(locks.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
  }

  @Test func a_one_time_password_must_be_changed_before_anything_else() async throws {
    let f = try WebFixture()
    try f.t.register.setOneTimePassword(for: "cw2", password: "temporary-pass-9241", by: f.t.register.session("admin"))
    try await f.application().test(.router) { client in
      let b = Browser()
      let page = try await b.get(client, "/sign-in")
      let token = Browser.csrf(in: String(buffer: page.body))!
      let r = try await b.post(
        client, "/sign-in", [("csrf", token), ("username", "cw2"), ("password", "temporary-pass-9241")])
      #expect(r.headers[.location] == "/password")
      let home = try await b.get(client, "/")
      #expect(home.headers[.location] == "/password")
      let form = try await b.get(client, "/password")
      let csrf = Browser.csrf(in: String(buffer: form.body))!
      let weak = try await b.post(
        client, "/password",
        [
          ("csrf", csrf), ("currentPassword", "temporary-pass-9241"), ("newPassword", "password1234"),
          ("confirmPassword", "password1234"),
        ])
      #expect(weak.status == .unprocessableContent)
      #expect(String(buffer: weak.body).contains("attackers try first"))
      let good = try await b.post(
        client, "/password",
        [
          ("csrf", csrf), ("currentPassword", "temporary-pass-9241"), ("newPassword", "lantern mosaic quiver"),
          ("confirmPassword", "lantern mosaic quiver"),
        ])
      #expect(good.status == .seeOther)
      #expect(try await b.get(client, "/").status == .ok)
    }
  }

  @Test func an_expired_session_is_refused_and_a_signed_out_one_is_gone() async throws {
    let f = try WebFixture()
    try await f.application().test(.router) { client in
      let b = Browser()
      let token = try #require(try await b.signIn(client, "cw"))
      try sqlite3(f.t.path, "UPDATE webSession SET lastSeenAt = '2000-01-01T00:00:00.000Z' WHERE endedAt IS NULL;")
      let r = try await b.get(client, "/")
      #expect(r.status == .seeOther)
      #expect(r.headers[.location] == "/sign-in?ended=1")
      let again = Browser()
      let csrf = try #require(try await again.signIn(client, "cw"))
      let cookie = again.cookies["cme_session"]
      _ = try await again.post(client, "/sign-out", [("csrf", csrf)])
      again.cookies["cme_session"] = cookie
      #expect(try await again.get(client, "/").headers[.location] == "/sign-in")
      _ = token
    }
  }

  @Test func the_session_cookie_is_http_only_strict_and_secure_behind_tls() async throws {
    let f = try WebFixture()
    var options = WebServerOptions()
    options.secureCookies = true
    try await WebServer.application(register: f.t.register, options: options).test(.router) { client in
      let b = Browser()
      let page = try await b.get(client, "/sign-in")
      let token = Browser.csrf(in: String(buffer: page.body))!
      let r = try await b.post(
        client, "/sign-in", [("csrf", token), ("username", "cw"), ("password", WebFixture.password)])
      let cookie = r.headers[values: .setCookie].first { $0.hasPrefix("cme_session=") } ?? ""
      #expect(cookie.contains("HttpOnly"))
      #expect(cookie.contains("SameSite=Strict"))
      #expect(cookie.contains("Secure"))
      let stored = try sqlite3(
        f.t.path,
        "SELECT count(*) FROM webSession WHERE tokenHash LIKE '%' || substr('\(cookie.dropFirst(12).prefix(64))', 1, 64) || '%';"
      ).output
      #expect(stored.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "the register keeps only the token's hash")
    }
  }

  @Test func two_people_changing_one_case_get_a_conflict_naming_who_changed_it() async throws {
    let f = try WebFixture()
    try await f.application().test(.router) { client in
      let a = Browser()
      let b = Browser()
      let tokenA = try #require(try await a.signIn(client, "cw"))
      let tokenB = try #require(try await b.signIn(client, "mgr"))
      func version(_ html: String) -> String {
        let r = html.range(of: "name=\"version\" value=\"")!
        return String(html[r.upperBound...].prefix { $0 != "\"" })
      }
      let pageA = String(buffer: try await a.get(client, "/cases/\(f.reference)").body)
      let pageB = String(buffer: try await b.get(client, "/cases/\(f.reference)").body)
      let first = try await b.post(
        client, "/cases/\(f.reference)/rag",
        [
          ("csrf", tokenB), ("rating", "red"), ("reason", "Police concern"), ("version", version(pageB)),
          ("formId", UUID().uuidString),
        ])
      #expect(first.status == .seeOther)
      let stale = try await a.post(
        client, "/cases/\(f.reference)/rag",
        [
          ("csrf", tokenA), ("rating", "green"), ("reason", "Seen and settled"), ("version", version(pageA)),
          ("formId", UUID().uuidString),
        ])
      #expect(stale.status == .conflict)
      let text = String(buffer: stale.body)
      #expect(text.contains("was changed by mgr (rag.set"))
      #expect(text.contains("nothing was saved"))
    }
    let rag = try sqlite3(f.t.path, "SELECT rag FROM cmeCase;").output
    #expect(rag.hasPrefix("red"))
  }
}
