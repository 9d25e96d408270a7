import CMEDomain
import CMEStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdOTP

extension WebApp {
  /// Checks a 6-digit time-based code (RFC 6238, as authenticator apps make
  /// them) against a key, allowing one 30-second step either side for
  /// clocks that differ.
  static let checkCode: CodeCheck = { secret, code in
    let typed = code.filter { !$0.isWhitespace }
    guard typed.count == 6, let n = Int(typed) else { return false }
    let totp = TOTP(secret: secret)
    let now = Date()
    return [-30.0, 0, 30].contains { totp.compute(date: now.addingTimeInterval($0)) == n }
  }

  func addSecondFactorRoutes(to router: Router<WebContext>) {
    router.get("/sign-in/code") { _, context in
      self.views.page("code", title: "Enter your code", state: context.signedIn, ["code": ""])
    }

    router.post("/sign-in/code") { request, context in
      let state = context.signedIn!
      let form = try await self.form(request, context)
      let name = state.session.user.name
      let address = context.address
      if case .locked = self.gate.verdict(name: name, address: address) {
        return self.views.page(
          "code", title: "Enter your code", state: state, status: .tooManyRequests, ["locked": true])
      }
      do {
        try await blocking {
          try self.register.confirmSecondFactor(code: form["code"], by: state.session, check: WebApp.checkCode)
        }
        self.gate.succeeded(name: name)
        return WebApp.seeOther(state.mustChangePassword ? "/password" : "/")
      } catch SignInRefusal.wrongCode {
        let locked = self.gate.failed(name: name, address: address)
        if !locked.isEmpty {
          try? await blocking { try self.register.recordSignInLock(name: name, address: address, what: locked) }
        }
        var errors = FormErrors()
        errors.add("code", "The code is not right. Type the 6-digit code your authenticator app shows now.")
        return self.views.page(
          "code", title: "Enter your code", state: state, status: .unauthorized, [:], errors: errors)
      }
    }

    router.get("/second-factor") { _, context in
      self.secondFactorPage(context.signedIn!, secret: WebApp.newSecret(), errors: FormErrors())
    }

    router.post("/second-factor") { request, context in
      let state = context.signedIn!
      let form = try await self.form(request, context)
      do {
        try await blocking {
          try self.register.enrolSecondFactor(
            secret: form["secret"], code: form["code"], by: state.session, check: WebApp.checkCode)
        }
        return WebApp.seeOther("/?done=second-factor")
      } catch let e as InvalidInput {
        var errors = FormErrors()
        errors.add(e, fields: ["secret": "code"], fallback: "code")
        return self.secondFactorPage(state, secret: form["secret"], errors: errors)
      } catch {
        return self.failure(error, state: state)
      }
    }
  }

  /// A new key for an authenticator app: 32 letters and digits (190 bits).
  static func newSecret() -> String {
    let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
    var g = SystemRandomNumberGenerator()
    return String((0..<32).map { _ in alphabet.randomElement(using: &g)! })
  }

  func secondFactorPage(_ state: WebSessionState, secret: String, errors: FormErrors) -> Response {
    let url = TOTP(secret: secret).createAuthenticatorURL(label: state.session.user.name, issuer: "CME register")
    let key =
      URLComponents(string: url)?.queryItems?.first { $0.name == "secret" }?.value ?? ""
    // Groups of four, as authenticator apps show keys to type.
    let grouped = stride(from: 0, to: key.count, by: 4).map {
      String(key.dropFirst($0).prefix(4))
    }.joined(separator: " ")
    return views.page(
      "second-factor", title: "Set up a second factor", state: state,
      status: errors.isEmpty ? .ok : .unprocessableContent,
      ["secret": secret, "key": grouped, "url": url, "required": state.mustEnrolSecondFactor], errors: errors)
  }
}
