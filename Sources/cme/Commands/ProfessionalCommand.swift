import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME.ChildCommand {
  struct ProfessionalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "professional", abstract: "The professionals around a child (shown by 'cme child show').",
      subcommands: [Add.self, End.self])

    struct Add: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Record a professional around a child (social worker, IRO, designated teacher, …); prints its id.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The child's id.") var child: String
      @Option(help: "Their role.") var role: ProfessionalRole
      @Option(help: "Their name.") var name: String
      @Option(help: "Their organisation (e.g. Nottingham Children's Services).") var organisation: String?
      @Option(help: "How to reach them (phone or e-mail).") var contact: String?
      @Option(help: "Since when, YYYY-MM-DD.") var since: String?

      func run() throws {
        try reporting(fields: ["since": "--since", "name": "--name"]) {
          let id = try childId(child)
          let started = try since.map { try LocalDate.parse($0, field: "--since") }
          let (register, me) = try global.open()
          let p = try register.addProfessional(
            Professional(role: role, name: name, organisation: organisation, contact: contact, since: started),
            toChild: id, by: me, today: try global.currentDate())
          print(p.id ?? 0)
          printNote("Recorded \(p.name), \(p.role.label), for child \(id).")
        }
      }
    }

    struct End: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "end",
        abstract: "Record that a professional no longer works with the child.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The professional's id (as 'cme child show' gives it).") var professional: Int64
      @Option(help: "From when, YYYY-MM-DD (default today).") var on: String?

      func run() throws {
        try reporting(fields: ["on": "--on"]) {
          let today = try global.currentDate()
          let day = try on.map { try LocalDate.parse($0, field: "--on") } ?? today
          let (register, me) = try global.open()
          let p = try register.endProfessional(id: professional, on: day, by: me, today: today)
          print("\(p.name), \(p.role.label), no longer works with the child from \(day).")
        }
      }
    }
  }
}
