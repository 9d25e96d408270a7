import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "demo",
      abstract: "Create a register filled with realistic synthetic data.",
      discussion: """
        The same --seed and --as-of give the same register. You (your login name, or --user) \
        become a manager of it, with a register-check cycle under way. An earlier demo register at \
        the same path is replaced; a real register is never overwritten.
        """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many children.")
    var children = 1000

    @Option(help: "The seed of the synthetic data.")
    var seed: UInt64 = 1

    @Option(name: .customLong("as-of"), help: "The date the data is as of (default: today).")
    var asOf: String?

    @Flag(help: "Do not set one-time passwords for the web pages (faster, for scripts).")
    var noPasswords = false

    func validate() throws {
      guard (1...5_000_000).contains(children) else {
        throw ValidationError("'--children' must be between 1 and 5000000")
      }
    }

    func run() throws {
      try reporting {
        let asOf = try asOf.map { try LocalDate.parse($0, field: "--as-of") } ?? global.currentDate()
        let started = Date()
        var (register, s) = try Register.createDemo(
          at: global.databasePath, children: children, seed: seed, asOf: asOf, manager: global.actor,
          via: .commandLine(account: global.loginName), progress: TerminalProgress.reporter)
        let seconds = Date().timeIntervalSince(started)
        if let cost = TestHarness.passwordCost { register.passwordCost = cost }
        print(
          "Created a demo register at \(register.path) (seed \(seed), as of \(asOf)) in \(String(format: "%.1f", seconds)) s:"
        )
        print("  \(s.children) children, \(s.cases) cases, \(s.openCases) open")
        print("  a register-check cycle under way: \(s.checkedInCycle) of \(s.openCases) open cases checked")
        print("  users: \(s.users.joined(separator: ", ")) (you are \(global.actor), a manager)")
        if !noPasswords {
          // Each demo user gets a one-time password for the web pages.
          let me = try register.commandLineSession(account: global.loginName, requested: global.actor)
          let admin = try register.users(by: me).first { $0.role == .admin }!
          let asAdmin = try register.commandLineSession(account: global.loginName, requested: admin.name)
          print("  web sign-in (cme serve), one-time passwords to change at first sign-in:")
          for user in try register.users(by: me) {
            let password = PasswordPolicy.oneTimePassword(for: user.name)
            try register.setOneTimePassword(for: user.name, password: password, by: asAdmin)
            print(
              "    \(user.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(user.role.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(password)"
            )
          }
        }
        print("Next: cme register check, or cme serve and open http://127.0.0.1:8080/")
      }
    }
  }
}
