import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
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

    func validate() throws {
      guard (1...5_000_000).contains(children) else {
        throw ValidationError("'--children' must be between 1 and 5000000")
      }
    }

    func run() throws {
      try reporting {
        let asOf = try asOf.map { try LocalDate.parse($0, field: "--as-of") } ?? global.currentDate()
        let started = Date()
        let (register, s) = try Register.createDemo(
          at: global.databasePath, children: children, seed: seed, asOf: asOf, manager: global.actor,
          via: .commandLine(account: global.loginName))
        let seconds = Date().timeIntervalSince(started)
        print(
          "Created a demo register at \(register.path) (seed \(seed), as of \(asOf)) in \(String(format: "%.1f", seconds)) s:"
        )
        print("  \(s.children) children, \(s.cases) cases, \(s.openCases) open")
        print("  a register-check cycle under way: \(s.checkedInCycle) of \(s.openCases) open cases checked")
        print("  users: \(s.users.joined(separator: ", ")) (you are \(global.actor), a manager)")
        print("Next: cme register check")
      }
    }
  }
}
