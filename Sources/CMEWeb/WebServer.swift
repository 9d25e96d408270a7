import CMEDomain
import CMEStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mustache
import NIOCore
import NIOPosix

/// How `cme serve` runs.
public struct WebServerOptions: Sendable {
  /// The address and port to listen on: loopback by default, behind the
  /// council's TLS proxy.
  public var host = "127.0.0.1"
  public var port = 8080
  /// The server is reached over TLS through a proxy: cookies are `Secure`.
  public var secureCookies = false
  /// A header set by the council's single sign-on proxy that names the
  /// signed-in user, honoured only from `trustedProxy`.
  public var proxyUserHeader: String?
  public var trustedProxy: String?
  /// Today's date (the tests fix it).
  public var today: @Sendable () -> LocalDate = { LocalDate.today() }
  /// How repeated sign-in failures are slowed and locked.
  public var throttle = SignInThrottle.Rules()

  public init() {}
}

/// `cme serve`: the register's web pages for a team.
public enum WebServer {
  /// The application, ready to run or to test.
  public static func application(register: Register, options: WebServerOptions, logger: Logger? = nil) throws
    -> some ApplicationProtocol
  {
    let app = try WebApp(register: register, options: options)
    let router = Router(context: WebContext.self)
    router.add(middleware: SecurityHeaders())
    router.add(middleware: SignedInOnly(app: app))
    app.addRoutes(to: router)
    var log = logger ?? Logger(label: "cme.serve")
    if logger == nil { log.logLevel = .notice }
    return Application(
      router: router,
      configuration: .init(address: .hostname(options.host, port: options.port), serverName: "cme"),
      logger: log)
  }

  /// Runs until SIGTERM or SIGINT; requests under way finish first.
  public static func run(register: Register, options: WebServerOptions) async throws {
    try await application(register: register, options: options).runService()
  }
}

/// Headers on every answer: no caching of children's data, no framing, no
/// scripts, no guessing of content types, no referrer.
struct SecurityHeaders: RouterMiddleware {
  typealias Context = WebContext

  func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
    async throws
    -> Response
  {
    var response: Response
    do {
      response = try await next(request, context)
    } catch let error as HTTPError {
      response = Views.html(
        "<!DOCTYPE html><html lang=\"en-GB\"><title>\(error.status.code)</title><main><h1>\(error.status.reasonPhrase)</h1><p>\(escapeHTML(error.body ?? ""))</p></main></html>",
        status: error.status)
    }
    response.headers[.contentSecurityPolicy] =
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    response.headers[.xContentTypeOptions] = "nosniff"
    response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
    response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
    if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
    return response
  }
}

/// Runs a register call off Swift's cooperative threads: SQLite blocks.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await NIOThreadPool.singleton.runIfActive(body)
}

/// HTML escaping for every page and letter, scalar by scalar. The
/// templates' own (swift-mustache's) escapes Character by Character, and a
/// quote that a combining mark or a joiner follows is one Character that is
/// not a quote: it went out as it was, and could end an attribute's value.
/// Every template starts with ``pragma``, which makes it escape with this.
struct ScalarHTML: MustacheContentType {
  func escapeText(_ text: String) -> String { escapeHTML(text) }

  /// The first tag of every template (the content type is chosen when a
  /// template is read, so it is registered before the first is).
  static var pragma: String {
    _ = registered
    return "{{% CONTENT_TYPE: CMEHTML }}"
  }

  private static let registered: Void = MustacheContentTypes.register(ScalarHTML(), named: "CMEHTML")
}

/// Escapes text for HTML, scalar by scalar (``ScalarHTML``).
func escapeHTML(_ text: String) -> String { text.htmlEscaped }
