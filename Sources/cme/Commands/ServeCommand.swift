import ArgumentParser
import CMEDomain
import CMEStore
import CMEWeb
import Foundation

extension CME {
  struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "serve",
      abstract: "Serve the register's web pages to the team (sign-in, my work, cases, register check, board).",
      discussion: """
        Run it as the service account that owns the register, listening on loopback behind the council's \
        TLS proxy. It stops cleanly on SIGTERM or Ctrl-C: requests under way finish first.
        """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The address and port to listen on.") var listen = "127.0.0.1:8080"

    @Flag(help: "The server is reached through a TLS proxy: session cookies are marked Secure.")
    var tlsBehindProxy = false

    @Option(help: "A header by which the council's single sign-on proxy names the signed-in user.")
    var trustProxyHeader: String?

    @Option(help: "The proxy's address: the header is honoured only from it.") var trustedProxy: String?

    func validate() throws {
      if (trustProxyHeader == nil) != (trustedProxy == nil) {
        throw ValidationError("'--trust-proxy-header' and '--trusted-proxy' go together: give both or neither")
      }
    }

    func run() async throws {
      var options = WebServerOptions()
      var register: Register?
      var lock: ServingLock?
      try reporting {
        let parts = listen.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else {
          throw InvalidInput(
            field: "listen", problem: "'\(listen)' is not an address and port",
            fix: "Give HOST:PORT, e.g. 127.0.0.1:8080")
        }
        options.host = String(parts[0])
        options.port = port
        options.secureCookies = tlsBehindProxy
        options.proxyUserHeader = trustProxyHeader
        options.trustedProxy = trustedProxy
        if let fixed = TestHarness.today { options.today = { fixed } }
        let opened = try global.openRegister(concurrentReads: true)
        if try opened.isEmpty() {
          throw StoreError.conflict("the register at \(opened.path) has no users yet; run 'cme init' first")
        }
        lock = try opened.holdForServing()
        register = opened
      }
      guard let register else { return }
      // Held until the server stops: no second server, restore or demo replaces the file meanwhile.
      defer { withExtendedLifetime(lock) {} }
      print("Serving the register \(register.path) at http://\(options.host):\(options.port)/")
      print("Stop with Ctrl-C or SIGTERM.")
      try await WebServer.run(register: register, options: options)
    }
  }
}
