import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "init",
      abstract: "Create an empty register and its first admin user.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The first user, an admin (default: your login name).")
    var admin: String?

    @Option(help: "The authority's name, shown on board packs.")
    var authority = "Local authority"

    func run() throws {
      try reporting {
        let register = try global.openRegister(creating: true)
        let user = try register.initialize(
          admin: admin ?? global.loginName, account: global.loginName,
          channel: .commandLine(account: global.loginName), authority: authority)
        print(
          "Created the register \(register.path) with admin \(user.name), the operating-system account \(global.loginName)."
        )
        print("Next: cme user add NAME --role caseworker|manager|board [--account OS-ACCOUNT]")
      }
    }
  }
}
