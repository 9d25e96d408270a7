import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "user", abstract: "Add and list the people who use the register.",
      subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
      static let configuration = CommandConfiguration(abstract: "Add a user with a role (admins only).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The user's name, e.g. j.smith.") var name: String
      @Option(help: "What the user does.") var role: Role

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let user = try register.addUser(name: name, role: role, by: me)
          print("Added \(user.name) as \(user.role.withArticle).")
        }
      }
    }

    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(abstract: "List the users.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let users = try register.users(by: me)
          print(
            Table(columns: ["name", "role"], rows: users.map { [$0.name, $0.role.rawValue] }).render(output.format),
            terminator: "")
        }
      }
    }
  }
}
