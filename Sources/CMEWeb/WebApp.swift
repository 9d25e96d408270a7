import CMEDomain
import CMEStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// The server's state: the register, the templates, the sign-in throttle
/// and the forms already acted on.
final class WebApp: Sendable {
  let register: Register
  let options: WebServerOptions
  let views: Views
  let gate: SignInGate
  let submitted = SubmittedForms()

  static let sessionCookie = "cme_session"
  static let signInCookie = "cme_signin"

  init(register: Register, options: WebServerOptions) throws {
    self.register = register
    self.options = options
    self.views = try Views()
    self.gate = SignInGate(rules: options.throttle)
  }

  var today: LocalDate { options.today() }

  func addRoutes(to router: Router<WebContext>) {
    router.get("/health") { _, _ in
      var headers = HTTPFields()
      headers[.contentType] = "text/plain; charset=utf-8"
      return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
    }
    // Browsers ask for it unbidden: no icon, and no redirect to sign in.
    router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
    router.get("/assets/app.css") { _, _ in
      var headers = HTTPFields()
      headers[.contentType] = "text/css; charset=utf-8"
      headers[.cacheControl] = "public, max-age=3600"
      return Response(
        status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.app_css)))
    }
    addSignInRoutes(to: router)
    addWorkRoutes(to: router)
    addCheckRoutes(to: router)
    addBoardRoutes(to: router)
    addAdminRoutes(to: router)
    addSecondFactorRoutes(to: router)
    addSettingsRoutes(to: router)
  }

  // MARK: - Answers

  /// A redirect after a successful form (post/redirect/get).
  static func seeOther(_ location: String) -> Response {
    Response.redirect(to: location, type: .normal)
  }

  /// A page that says what went wrong, with the right status.
  func failure(_ error: any Error, state: WebSessionState?) -> Response {
    let (status, heading, text): (HTTPResponse.Status, String, String)
    switch error {
    case let e as AccessDenied:
      (status, heading, text) = (.forbidden, "You cannot do this", sentence(e.description) + ".")
    case let e as StoreError:
      switch e {
      case .notFound: (status, heading, text) = (.notFound, "Not found", sentence(e.description) + ".")
      case .conflict: (status, heading, text) = (.conflict, "This could not be done", sentence(e.description) + ".")
      default:
        (status, heading, text) = (
          .internalServerError, "Sorry, there is a problem with the register",
          sentence(e.description) + ". Nothing was changed."
        )
      }
    case let e as InvalidInput:
      (status, heading, text) = (
        .badRequest, "This could not be done", sentence(e.problem) + "." + (e.fix.map { " " + $0 + "." } ?? "")
      )
    case let e as SignInRefusal:
      (status, heading, text) = (.forbidden, "You are not signed in", sentence(e.description) + ".")
    default:
      (status, heading, text) = (
        .internalServerError, "Sorry, there is a problem with the service", "Nothing was changed. Try again later."
      )
    }
    return views.page(
      "message", title: heading, state: state, status: status,
      ["heading": heading, "text": text, "back": state == nil ? "/sign-in" : "/"])
  }

  /// Runs a register call for a page, turning its refusals into pages.
  func respond(_ state: WebSessionState?, _ body: @escaping @Sendable () throws -> Response) async -> Response {
    do {
      return try await blocking(body)
    } catch {
      return failure(error, state: state)
    }
  }
}

/// Signed-in pages only: checks the session cookie, sends the rest to the
/// sign-in page, holds a user with a one-time password to changing it, and
/// refuses a form without the session's CSRF token.
struct SignedInOnly: RouterMiddleware {
  typealias Context = WebContext
  let app: WebApp

  static let open: Set<String> = ["/health", "/sign-in", "/assets/app.css", "/favicon.ico"]

  func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
    async throws
    -> Response
  {
    var context = context
    if let proxy = app.options.trustedProxy, context.address == proxy,
      let header = app.options.proxyUserHeader.flatMap({ HTTPField.Name($0) })
    {
      // Behind the council's single sign-on, the proxy's header is the
      // only proof of identity, and the socket's peer is the proxy itself.
      return try await viaProxy(request, context: context, header: header, next: next)
    }
    if SignedInOnly.open.contains(request.uri.path) { return try await next(request, context) }
    guard let token = request.cookies[WebApp.sessionCookie]?.value, !token.isEmpty else {
      return WebApp.seeOther("/sign-in")
    }
    do {
      context.signedIn = try await blocking { [app] in try app.register.webSession(token: token) }
    } catch SignInRefusal.expired {
      var r = WebApp.seeOther("/sign-in?ended=1")
      r.setCookie(app.clearedSessionCookie)
      return r
    } catch is SignInRefusal {
      var r = WebApp.seeOther("/sign-in")
      r.setCookie(app.clearedSessionCookie)
      return r
    }
    return try await checked(request, context: context, next: next)
  }

  private func checked(
    _ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response
  ) async throws -> Response {
    guard let state = context.signedIn else { return WebApp.seeOther("/sign-in") }
    let path = request.uri.path
    // Each step of signing in before any page: the code, a new password,
    // then a second factor where the register requires one.
    if state.factorPending && path != "/sign-in/code" && path != "/sign-out" {
      return WebApp.seeOther("/sign-in/code")
    }
    if !state.factorPending && state.mustChangePassword && path != "/password" && path != "/sign-out" {
      return WebApp.seeOther("/password")
    }
    if !state.factorPending && !state.mustChangePassword && state.mustEnrolSecondFactor
      && path != "/second-factor" && path != "/sign-out"
    {
      return WebApp.seeOther("/second-factor")
    }
    guard request.method == .post else { return try await next(request, context) }
    let form = try await Form.read(request, context: context)
    var context = context
    context.form = form
    guard constantTimeEqual(form["csrf"], state.csrf) else {
      return app.views.page(
        "message", title: "This form has expired", state: state, status: .forbidden,
        [
          "heading": "This form has expired",
          "text":
            "The form did not carry this session's security token, so nothing was changed. Go back, reload the page and send it again.",
          "back": "/",
        ])
    }
    return try await next(request, context)
  }

  private func viaProxy(
    _ request: Request, context: WebContext, header: HTTPField.Name,
    next: (Request, WebContext) async throws -> Response
  ) async throws -> Response {
    var context = context
    if SignedInOnly.open.contains(request.uri.path) { return try await next(request, context) }
    guard let name = request.headers[header], !name.isEmpty else {
      return app.failure(SignInRefusal.noSession, state: nil)
    }
    if let token = request.cookies[WebApp.sessionCookie]?.value,
      let state = try? await blocking({ [app] in try app.register.webSession(token: token) }),
      state.session.user.name == name
    {
      context.signedIn = state
      return try await checked(request, context: context, next: next)
    }
    let address = context.address
    do {
      let opened = try await blocking { [app] in try app.register.signInFromProxy(name: name, address: address) }
      // Back to the page asked for, on this site only: a path such as
      // `//elsewhere.example/` would send the browser to another site.
      let asked = request.uri.description
      let local = asked.hasPrefix("/") && !asked.hasPrefix("//") && !asked.hasPrefix("/\\")
      var r = WebApp.seeOther(request.method == .get && local ? asked : "/")
      r.setCookie(app.sessionCookie(opened.token))
      return r
    } catch {
      return app.failure(error, state: nil)
    }
  }
}

/// Remembers the one-time ids of forms already acted on, so that a form
/// sent twice (a double click, a browser's resend, two copies at once)
/// changes the register once; the later copies get the first one's answer.
final class SubmittedForms: Sendable {
  private struct State {
    var done: [String: String] = [:]
    var order: [String] = []
    var inProgress: Set<String> = []
  }

  enum Claim: Equatable {
    /// This copy is the first: act on it.
    case first
    /// A copy was acted on already, with this redirect.
    case done(String)
    /// A copy is being acted on now.
    case busy
  }

  private let state = NIOLockedValueBox(State())

  /// Claims a form's id before acting on it.
  func claim(_ id: String) -> Claim {
    state.withLockedValue { s in
      if let done = s.done[id] { return .done(done) }
      if s.inProgress.contains(id) { return .busy }
      s.inProgress.insert(id)
      return .first
    }
  }

  /// The form was acted on: later copies get `redirect`.
  func finish(_ id: String, redirect: String) {
    state.withLockedValue { s in
      s.inProgress.remove(id)
      s.done[id] = redirect
      s.order.append(id)
      if s.order.count > 10_000 {
        for old in s.order.prefix(1_000) { s.done[old] = nil }
        s.order.removeFirst(1_000)
      }
    }
  }

  /// The form was refused (bad input): a corrected copy may be sent.
  func release(_ id: String) { _ = state.withLockedValue { $0.inProgress.remove(id) } }

  /// A new id for a form about to be shown.
  static func newId() -> String { UUID().uuidString }
}

extension WebApp {
  /// Acts on a form once, whatever the number of copies sent: the first
  /// copy runs `body`; a copy sent while it runs waits for its answer; a
  /// copy sent after gets the same redirect. A form without an id is acted
  /// on each time.
  func once(_ id: String, _ body: () async throws -> Response) async throws -> Response {
    guard !id.isEmpty else { return try await body() }
    while true {
      switch submitted.claim(id) {
      case .done(let location): return WebApp.seeOther(location)
      case .busy: try await Task.sleep(for: .milliseconds(20))
      case .first:
        let response: Response
        do {
          response = try await body()
        } catch {
          submitted.release(id)
          throw error
        }
        if response.status == .seeOther, let location = response.headers[.location] {
          submitted.finish(id, redirect: location)
        } else {
          submitted.release(id)
        }
        return response
      }
    }
  }
}

/// The sign-in throttle, shared by every request.
final class SignInGate: Sendable {
  private let throttle: NIOLockedValueBox<SignInThrottle>

  init(rules: SignInThrottle.Rules) { throttle = NIOLockedValueBox(SignInThrottle(rules: rules)) }

  func verdict(name: String, address: String) -> SignInThrottle.Verdict {
    throttle.withLockedValue { $0.verdict(name: name, address: address, now: Date()) }
  }

  func failed(name: String, address: String) -> [String] {
    throttle.withLockedValue { $0.recordFailure(name: name, address: address, now: Date()) }
  }

  func succeeded(name: String) { throttle.withLockedValue { $0.recordSuccess(name: name) } }
}
