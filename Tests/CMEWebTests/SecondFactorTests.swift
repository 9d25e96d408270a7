import CMEDomain
import CMEStore
import CMETestSupport
import CMEWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import Testing

struct SecondFactorTests {
  static func key(in html: String) -> String {
    let r = html.range(of: "name=\"secret\" value=\"")!
    return String(html[r.upperBound...].prefix { $0 != "\"" })
  }

  static func code(_ secret: String) -> String {
    String(format: "%06d", TOTP(secret: secret).compute(date: Date()))
  }

  @Test func a_required_second_factor_is_enrolled_then_asked_for_at_each_sign_in() async throws {
    let f = try WebFixture()
    try f.t.register.setSetting("signIn.secondFactorForManagersAndAdmins", to: "1", by: f.t.register.session("mgr"))
    try await f.application().test(.router) { client in
      let b = Browser()
      let form0 = try await b.get(client, "/sign-in")
      let token0 = Browser.csrf(in: String(buffer: form0.body))!
      let signedIn = try await b.post(
        client, "/sign-in", [("csrf", token0), ("username", "mgr"), ("password", WebFixture.password)])
      #expect(signedIn.status == .seeOther, "\(String(buffer: signedIn.body))")
      #expect(try await b.get(client, "/").headers[.location] == "/second-factor")
      let csrf = try #require(Browser.csrf(in: String(buffer: try await b.get(client, "/second-factor").body)))
      let page = String(buffer: try await b.get(client, "/second-factor").body)
      let secret = Self.key(in: page)
      let wrong = try await b.post(client, "/second-factor", [("csrf", csrf), ("secret", secret), ("code", "000000")])
      #expect(wrong.status == .unprocessableContent)
      let right = try await b.post(
        client, "/second-factor", [("csrf", csrf), ("secret", secret), ("code", Self.code(secret))])
      #expect(right.status == .seeOther)
      #expect(try await b.get(client, "/").status == .ok)

      // The next sign-in asks for the code before any page.
      let next = Browser()
      let form = try await next.get(client, "/sign-in")
      let token = Browser.csrf(in: String(buffer: form.body))!
      let r = try await next.post(
        client, "/sign-in", [("csrf", token), ("username", "mgr"), ("password", WebFixture.password)])
      #expect(r.headers[.location] == "/")
      #expect(try await next.get(client, "/").headers[.location] == "/sign-in/code")
      #expect(try await next.get(client, "/cases/\(f.reference)").headers[.location] == "/sign-in/code")
      let codePage = String(buffer: try await next.get(client, "/sign-in/code").body)
      let csrf2 = try #require(Browser.csrf(in: codePage))
      let bad = try await next.post(client, "/sign-in/code", [("csrf", csrf2), ("code", "123456")])
      #expect(bad.status == .unauthorized)
      let good = try await next.post(client, "/sign-in/code", [("csrf", csrf2), ("code", Self.code(secret))])
      #expect(good.status == .seeOther)
      #expect(try await next.get(client, "/").status == .ok)
    }
    let log = try sqlite3(
      f.t.path, "SELECT action FROM auditEntry WHERE action LIKE '%second-factor%' OR reason LIKE '%code%';")
    #expect(log.output.contains("user.second-factor"))
    #expect(log.output.contains("signin.second-factor"))
    #expect(log.output.contains("signin.failed"))
    let stored = try sqlite3(
      f.t.path,
      "SELECT count(*) FROM auditEntry WHERE after LIKE '%' || (SELECT totpSecret FROM user WHERE name = 'mgr') || '%';"
    )
    #expect(stored.output.hasPrefix("0"), "the key never enters the log")
  }

  @Test func caseworkers_are_not_made_to_enrol() async throws {
    let f = try WebFixture()
    try f.t.register.setSetting("signIn.secondFactorForManagersAndAdmins", to: "1", by: f.t.register.session("mgr"))
    try await f.application().test(.router) { client in
      let b = Browser()
      try #require(try await b.signIn(client, "cw") != nil)
      #expect(try await b.get(client, "/").status == .ok)
    }
  }
}

struct SingleSignOnTests {
  @Test func the_proxy_header_is_honoured_only_from_the_trusted_proxy() async throws {
    let f = try WebFixture()
    var options = WebServerOptions()
    options.proxyUserHeader = "X-Remote-User"
    options.trustedProxy = "local"  // the router tester's connections have no peer address
    try await WebServer.application(register: f.t.register, options: options).test(.router) { client in
      var h = HTTPFields()
      h[HTTPField.Name("X-Remote-User")!] = "cw"
      let r = try await client.execute(uri: "/", method: .get, headers: h)
      #expect(r.status == .seeOther)
      #expect(r.headers[values: .setCookie].contains { $0.hasPrefix("cme_session=") })
      // Back to the page asked for, but never to another site.
      let page = try await client.execute(uri: "/find?q=Ward", method: .get, headers: h)
      #expect(page.headers[.location] == "/find?q=Ward")
      for away in ["//evil.example/", "/\\evil.example/"] {
        let r = try await client.execute(uri: away, method: .get, headers: h)
        #expect(r.headers[.location] == "/", "\(away)")
      }
    }
    var elsewhere = WebServerOptions()
    elsewhere.proxyUserHeader = "X-Remote-User"
    elsewhere.trustedProxy = "10.9.9.9"
    try await WebServer.application(register: f.t.register, options: elsewhere).test(.router) { client in
      var h = HTTPFields()
      h[HTTPField.Name("X-Remote-User")!] = "cw"
      let r = try await client.execute(uri: "/", method: .get, headers: h)
      #expect(r.headers[.location] == "/sign-in")
      #expect(!r.headers[values: .setCookie].contains { $0.hasPrefix("cme_session=") })
    }
    let sso = try sqlite3(
      f.t.path, "SELECT count(*) FROM auditEntry WHERE action = 'signin' AND reason = 'single sign-on';")
    #expect(sso.output.hasPrefix("4"))
  }
}
