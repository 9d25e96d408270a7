import CMEStore
import Hummingbird
import NIOCore

/// What a request carries through the server: where it came from and, once
/// its cookie has been checked, who is signed in.
public struct WebContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// The peer's address as the socket reports it (or as a trusted proxy
  /// says, when one is configured).
  public var address: String
  /// The signed-in user's session, if the cookie names a live one.
  public var signedIn: WebSessionState?
  /// A POST's form, read once (by ``SignedInOnly``, to check its CSRF token).
  var form: Form?

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    address = source.channel.remoteAddress?.ipAddress ?? "local"
  }

  /// Forms are small: a form body over 64 KiB is refused.
  public var maxUploadSize: Int { 64 * 1024 }
}
