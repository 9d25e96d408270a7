import CMEDomain
import CMEStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension WebApp {
  /// The session cookie: the browser's only copy of the session's secret.
  func sessionCookie(_ token: String) -> Cookie {
    Cookie(
      name: WebApp.sessionCookie, value: token, path: "/", secure: options.secureCookies, httpOnly: true,
      sameSite: .strict)
  }

  var clearedSessionCookie: Cookie {
    Cookie(
      name: WebApp.sessionCookie, value: "", maxAge: 0, path: "/", secure: options.secureCookies, httpOnly: true,
      sameSite: .strict)
  }

  func addSignInRoutes(to router: Router<WebContext>) {
    router.get("/sign-in") { request, _ in
      let ended = request.uri.queryParameters["ended"] != nil
      // A sign-in token the browser already holds is kept, so that two tabs
      // on the sign-in page do not undo each other.
      let held = request.cookies[WebApp.signInCookie]?.value
      return self.signInPage(
        name: "", errors: FormErrors(),
        flash: ended ? "Your session ended after 30 minutes without use (or 12 hours in all). Sign in again." : nil,
        token: held.flatMap { $0.count == 72 && $0.allSatisfy { $0.isHexDigit || $0 == "-" } ? $0 : nil })
    }

    router.post("/sign-in") { request, context in
      let form = try await Form.read(request, context: context)
      // The sign-in form has no session yet: its token is also in a cookie
      // that only this site can set (double submit).
      guard let cookie = request.cookies[WebApp.signInCookie]?.value, !cookie.isEmpty,
        constantTimeEqual(cookie, form["csrf"])
      else {
        var errors = FormErrors()
        errors.add("username", "The sign-in form had expired. Sign in again.")
        var r = self.signInPage(name: form["username"], errors: errors, status: .forbidden)
        r.headers[.cacheControl] = "no-store"
        return r
      }
      let name = String(form["username"].trimmingCharacters(in: .whitespaces).prefix(64))
      let password = form["password"]
      var errors = FormErrors()
      if name.isEmpty { errors.add("username", "Enter your user name.") }
      if password.isEmpty { errors.add("password", "Enter your password.") }
      if !errors.isEmpty { return self.signInPage(name: name, errors: errors, status: .unprocessableContent) }
      let address = context.address
      switch self.gate.verdict(name: name, address: address) {
      case .locked:
        return self.views.page(
          "sign-in", title: "Sign in", state: nil, status: .tooManyRequests,
          [
            "username": name, "csrf": cookie, "locked": true,
          ],
          flash: nil)
      case .proceed(let delay):
        if delay > 0 { try await Task.sleep(for: .seconds(delay)) }
      }
      do {
        let opened = try await blocking { try self.register.signIn(name: name, password: password, address: address) }
        self.gate.succeeded(name: name)
        var r = WebApp.seeOther(opened.mustChangePassword ? "/password" : "/")
        r.setCookie(self.sessionCookie(opened.token))
        r.setCookie(Cookie(name: WebApp.signInCookie, value: "", maxAge: 0, path: "/sign-in", sameSite: .strict))
        return r
      } catch SignInRefusal.wrongNameOrPassword {
        let locked = self.gate.failed(name: name, address: address)
        if !locked.isEmpty {
          try? await blocking { try self.register.recordSignInLock(name: name, address: address, what: locked) }
        }
        errors.add("username", "The user name or the password is not right.")
        return self.signInPage(name: name, errors: errors, status: .unauthorized, token: cookie)
      }
    }

    router.post("/sign-out") { _, context in
      guard let state = context.signedIn else { return WebApp.seeOther("/sign-in") }
      try? await blocking { try self.register.signOut(state.session) }
      var r = WebApp.seeOther("/sign-in")
      r.setCookie(self.clearedSessionCookie)
      return r
    }

    router.get("/password") { _, context in
      self.passwordPage(context.signedIn, errors: FormErrors())
    }

    router.post("/password") { request, context in
      guard let state = context.signedIn else { return WebApp.seeOther("/sign-in") }
      let form = try await self.form(request, context)
      var errors = FormErrors()
      if form["newPassword"] != form["confirmPassword"] {
        errors.add("confirmPassword", "The two new passwords are not the same. Type the new password twice.")
        return self.passwordPage(state, errors: errors)
      }
      do {
        try await blocking {
          try self.register.changePassword(
            current: form["currentPassword"], new: form["newPassword"], by: state.session)
        }
        return WebApp.seeOther("/?done=password")
      } catch let e as InvalidInput {
        errors.add(e, fields: [:], fallback: e.field)
        return self.passwordPage(state, errors: errors)
      } catch {
        return self.failure(error, state: state)
      }
    }
  }

  func signInPage(
    name: String, errors: FormErrors, status: HTTPResponse.Status = .ok, flash: String? = nil, token: String? = nil
  ) -> Response {
    let token = token ?? UUID().uuidString + UUID().uuidString
    var r = views.page(
      "sign-in", title: "Sign in", state: nil, status: status, ["username": name, "csrf": token], errors: errors,
      flash: flash)
    r.setCookie(
      Cookie(
        name: WebApp.signInCookie, value: token, path: "/sign-in", secure: options.secureCookies, httpOnly: true,
        sameSite: .strict))
    return r
  }

  func passwordPage(_ state: WebSessionState?, errors: FormErrors) -> Response {
    views.page(
      "password", title: "Change your password", state: state,
      status: errors.isEmpty ? .ok : .unprocessableContent,
      ["mustChange": state?.mustChangePassword ?? false, "minimum": PasswordPolicy.minimumLength], errors: errors)
  }

  /// The form of a POST, already read and checked by ``SignedInOnly``.
  func form(_ request: Request, _ context: WebContext) async throws -> Form {
    if let form = context.form { return form }
    return try await Form.read(request, context: context)
  }
}
