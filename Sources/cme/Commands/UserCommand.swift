import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "user", abstract: "Add, list and change the people who use the register.",
      subcommands: [Add.self, List.self, Password.self, Deactivate.self, RoleCommand.self])

    struct Add: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a user with a role (admins only).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The user's name, e.g. j.smith.") var name: String
      @Option(help: "What the user does.") var role: Role
      @Option(help: "The operating-system account the command line acts as this user for, if they use it.")
      var account: String?

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let user = try register.addUser(name: name, role: role, account: account, by: me)
          print("Added \(user.name) as \(user.role.withArticle).")
          print("Next: cme user password \(user.name)   (a one-time password to sign in to the web pages)")
        }
      }
    }

    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the users.")
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

    struct Password: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "password",
        abstract: "Give a user a one-time password for the web pages (admins only).",
        discussion: """
          The password works for one sign-in, which must change it. Without --stdin a strong one is made \
          and printed once: pass it to the user by a safe route. The user's open web sessions end.
          """)
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The user's name.") var name: String
      @Flag(help: "Read the password from the first line of standard input, for scripts.") var stdin = false

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let password: String
          if stdin {
            guard let line = readLine(strippingNewline: true) else {
              throw InvalidInput(
                field: "password", problem: "standard input was empty",
                fix: "Give the password on the first line of standard input")
            }
            password = line
          } else {
            password = PasswordPolicy.oneTimePassword(for: name)
          }
          try register.setOneTimePassword(for: name, password: password, by: me)
          if stdin {
            print("Set a one-time password for \(name); it must be changed at the first sign-in.")
          } else {
            print("One-time password for \(name): \(password)")
            print("It works for one sign-in, which must change it.")
          }
        }
      }
    }

    struct Deactivate: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "deactivate",
        abstract: "Stop a user from using the register (admins only); what they did stays theirs in the log.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The user's name.") var name: String

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          try register.deactivateUser(name, by: me)
          print("Deactivated \(name); their web sessions have ended.")
        }
      }
    }

    struct RoleCommand: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "role", abstract: "Give a user another role (admins only).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The user's name.") var name: String
      @Argument(help: "The new role.") var role: Role

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let user = try register.changeRole(of: name, to: role, by: me)
          print("\(user.name) is now \(user.role.withArticle); their web sessions have ended.")
        }
      }
    }
  }
}
