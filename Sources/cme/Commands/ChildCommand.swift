import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct ChildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "child", abstract: "Add, show and find children.",
      subcommands: [
        Add.self, Update.self, Show.self, Find.self, Duplicates.self, Merge.self, ProfessionalCommand.self,
      ])

    struct Add: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a child to the register and print the child's id.",
        discussion:
          "Codes are the DfE's: sex M/F/U, ethnicity (e.g. WBRI, MWBC, BSOM, WROM), first language (ENG, OTH, POL…), SEN provision E/K/N."
      )

      @OptionGroup var global: GlobalOptions
      @Option(help: "Legal surname.") var surname: String
      @Option(help: "Legal forename.") var forename: String
      @Option(help: "Middle names.") var middleNames: String?
      @Option(help: "Date of birth, YYYY-MM-DD.") var dob: String
      @Option(help: "A former UPN (repeatable).") var formerUpn: [String] = []
      @Flag(help: "The child is looked after.") var lookedAfter = false
      @Flag(help: "The child has a child protection plan.") var cpPlan = false
      @Flag(help: "The child is a child in need.") var childInNeed = false
      @Flag(help: "The child is known to youth justice services.") var youthJustice = false
      @Option(help: "A safeguarding concern (repeatable).") var concern: [SafeguardingConcern] = []
      @OptionGroup(title: "The child's details") var details: ChildDetailOptions

      func run() throws {
        try reporting {
          let today = try global.currentDate()
          var c = Child(
            legalSurname: try requireText(surname, field: "--surname", what: "the surname"),
            legalForename: try requireText(forename, field: "--forename", what: "the forename"),
            dateOfBirth: try LocalDate.parse(dob, field: "--dob"))
          c.middleNames = optionalText(middleNames)
          c.formerUPNs = try formerUpn.map { try UPN.parse($0, field: "--former-upn") }
          c.lookedAfter = lookedAfter
          c.childProtectionPlan = cpPlan
          c.childInNeed = childInNeed
          c.youthJustice = youthJustice
          c.concerns = Set(concern)
          try details.parsed().fill(&c)
          let (register, me) = try global.open()
          let id = try register.addChild(c, by: me, today: today)
          print(id)
        }
      }
    }

    struct Update: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change a child's record; the record before and after is kept in the audit log.",
        discussion:
          "Flags take yes or no. A new --upn keeps the old one as a former UPN; a new --address ends the current one the day before --address-from. A corrected legal name keeps the old one as a former name; --clear empties a field recorded wrongly. Every change needs --reason and is audited with the record before and after."
      )

      @OptionGroup var global: GlobalOptions
      @Argument(help: "The child's id.") var child: String
      @Option(help: "Why the record changes.") var reason: String
      @Option(help: "Looked after.") var lookedAfter: YesNo?
      @Option(help: "Child protection plan.") var cpPlan: YesNo?
      @Option(help: "Child in need.") var childInNeed: YesNo?
      @Option(help: "Known to youth justice.") var youthJustice: YesNo?
      @Option(help: "Add a safeguarding concern (repeatable).") var addConcern: [SafeguardingConcern] = []
      @Option(help: "Remove a safeguarding concern (repeatable).") var removeConcern: [SafeguardingConcern] = []
      @Option(help: "Correct the legal surname (the name it replaces is kept as a former name).") var surname: String?
      @Option(help: "Correct the legal forename (the name it replaces is kept as a former name).") var forename: String?
      @Option(help: "Correct the middle names.") var middleNames: String?
      @Option(help: "Correct the date of birth, YYYY-MM-DD.") var dob: String?
      @Option(help: "Empty a field recorded wrongly (repeatable).") var clear: [ClearableChildField] = []
      @OptionGroup(title: "The child's details") var details: ChildDetailOptions
      @OptionGroup var version: VersionOption

      func run() throws {
        try reporting {
          let id = try childId(child)
          let today = try global.currentDate()
          // Parse everything first, so a bad value is reported before the register is touched.
          let given = try details.parsed()
          let born = try dob.map { try LocalDate.parse($0, field: "--dob") }
          let (register, me) = try global.open()
          let c = try register.updateChild(
            id: id, reason: reason, ifVersion: version.ifVersion, by: me, today: today
          ) { c in
            c.correctLegalName(surname: surname, forename: forename)
            if let middleNames { c.middleNames = middleNames }
            if let born { c.dateOfBirth = born }
            for field in clear { c.clear(field) }
            if let v = lookedAfter { c.setLookedAfter(v.isYes) }
            try given.change(&c)
            if let v = cpPlan { c.childProtectionPlan = v.isYes }
            if let v = childInNeed { c.childInNeed = v.isYes }
            if let v = youthJustice { c.youthJustice = v.isYes }
            c.concerns.formUnion(addConcern)
            c.concerns.subtract(removeConcern)
          }
          print("Updated child \(id): \(c.displayName).")
          if !c.safeguardingMarkers.isEmpty {
            printNote(
              "Safeguarding markers: \(c.safeguardingMarkers.joined(separator: "; ")). Review the RAG rating of any open case ('cme rag suggest')."
            )
          }
        }
      }
    }

    struct Show: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a child's full record (the viewing is logged).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The child's id.") var child: String
      @Option(help: "How to print: table (readable text) or json.") var format: RecordFormat = .table

      func run() throws {
        try reporting {
          let id = try childId(child)
          let (register, me) = try global.open()
          let record = try register.childRecord(id: id, viewedBy: me)
          if format == .json {
            print(try prettyJSON(record))
          } else {
            print(ChildView(record: record, today: try global.currentDate()).text, terminator: "")
          }
        }
      }
    }

    struct Duplicates: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "List children who are probably the same child, with the reasons.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let pairs = try register.duplicates(by: me)
          print(
            Table(
              columns: [
                "child", "name", "dob", "upn", "open case", "other", "other name", "other upn", "other open case",
                "why",
              ],
              rows: pairs.map { p in
                [
                  String(p.first.id), p.first.name, p.first.dateOfBirth.description, p.first.upn ?? "",
                  p.first.openCase ?? "",
                  String(p.second.id), p.second.name, p.second.upn ?? "", p.second.openCase ?? "",
                  p.reasons.joined(separator: "; "),
                ]
              }
            ).render(output.format), terminator: "")
          if output.format == .table {
            printNote(
              "\(pairs.count) likely duplicate\(pairs.count == 1 ? "" : "s"). Merge with 'cme child merge KEEP OTHER --reason TEXT'."
            )
          }
        }
      }
    }

    struct Merge: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract:
          "Merge a duplicate child record into another; cases, names, UPNs, addresses and carers move to the kept child.",
        discussion:
          "Both records as they were are kept in the audit entry, so a merge can be undone by hand. If both children have open cases, close one first (outcome duplicate-or-error)."
      )
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The child to keep.") var keep: String
      @Argument(help: "The duplicate to merge into it.") var other: String
      @Option(help: "Why they are the same child.") var reason: String

      func run() throws {
        try reporting {
          let (register, me) = try global.open()
          let c = try register.mergeChildren(
            keep: try childId(keep), other: try childId(other), reason: reason, by: me,
            today: try global.currentDate())
          print("Merged child \(other) into child \(keep) (\(c.displayName)).")
        }
      }
    }

    struct Find: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find children by name, former name, UPN, date of birth or postcode (the search is logged).")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption
      @Option(help: "At most this many (0 for all); more are said to match.") var limit = 200
      @Argument(help: "Words to match, e.g. 'jo smith', a UPN, 2014-03-02 or NG5 1AB.") var text: [String]

      func run() throws {
        try reporting {
          let today = try global.currentDate()
          let (register, me) = try global.open()
          let search = try register.findChildren(text.joined(separator: " "), by: me, limit: limit > 0 ? limit : nil)
          let table = Table(
            columns: ["id", "name", "dob", "age", "upn", "open case"],
            rows: search.children.map {
              [
                String($0.id), $0.name, $0.dateOfBirth.description, String($0.dateOfBirth.age(on: today)), $0.upn ?? "",
                $0.openCase ?? "",
              ]
            })
          print(table.render(output.format), terminator: "")
          if search.more {
            // Said whatever the format: a list cut short must not pass for all of them.
            printNote(
              "more than \(search.children.count) children match; the \(search.children.count) recorded first are shown, by name."
                + " Narrow the search with a forename or a date of birth, or list them all with --limit 0")
          } else if output.format == .table {
            printNote("\(search.children.count) found")
          }
        }
      }
    }
  }
}

func childId(_ text: String) throws -> Int64 {
  guard let id = Int64(text.trimmingCharacters(in: .whitespaces)), id > 0 else {
    throw InvalidInput(
      field: "CHILD", problem: "'\(text)' is not a child id",
      fix: "Child ids are numbers; find one with 'cme child find NAME'")
  }
  return id
}

func prettyJSON(_ value: some Encodable) throws -> String {
  let e = JSONEncoder()
  e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  return String(decoding: try e.encode(value), as: UTF8.self)
}

/// A child's record as readable text.
struct ChildView {
  var record: ChildRecord
  var today: LocalDate

  var text: String {
    let c = record.child
    var lines: [String] = []
    func add(_ label: String, _ value: String?) {
      if let value, !value.isEmpty {
        lines.append("  " + label.padding(toLength: 22, withPad: " ", startingAt: 0) + value)
      }
    }
    lines.append("Child \(c.id ?? 0): \(c.legalForename) \(c.middleNames.map { $0 + " " } ?? "")\(c.legalSurname)")
    if let into = record.mergedInto {
      lines.append("  MERGED into child \(into) as a duplicate; see 'cme child show \(into)'")
    }
    add("Version", "\(record.version) (give --if-version \(record.version) to change it only if no one has since)")
    add("Preferred name", c.preferredForename != nil || c.preferredSurname != nil ? c.displayName : nil)
    add("Former names", c.formerNames.joined(separator: "; "))
    add(
      "Date of birth",
      "\(c.dateOfBirth) (age \(c.dateOfBirth.age(on: today)), year group \(YearGroup.label(c.dateOfBirth.yearGroup(on: today))))"
    )
    add("Sex", c.sex.label)
    add("Gender identity", c.genderIdentity)
    add("UPN", c.upn.map { $0.value + ($0.isTemporary ? " (temporary)" : "") })
    add("Former UPNs", c.formerUPNs.map(\.value).joined(separator: ", "))
    add(
      "Ethnicity",
      c.ethnicity.map {
        "\($0.code) \($0.label)" + ($0.mainCode != $0.code ? " (\($0.mainLabel))" : "")
          + (c.ethnicitySource.map { ", \($0.label)" } ?? "")
      })
    add("First language", c.firstLanguage.map { "\($0.code) \($0.label)" })
    add("Religion or belief", c.religion)
    add("SEN provision", c.senProvision.map { "\($0.rawValue) \($0.label)" })
    add("Disability", c.disability)
    add(
      "Free school meals",
      c.fsmEligible(on: today).map {
        ($0 ? "eligible" : "not eligible")
          + (c.fsmPeriods.isEmpty
            ? ""
            : (c.everFSM6(on: today) == true ? "; ever 6" : "") + " (periods: "
              + c.fsmPeriods.map(\.description).joined(separator: "; ") + ")")
      })
    add("Service child", c.serviceChild.map(\.label))
    add("Sexual orientation", c.sexualOrientation)
    add(
      "Safeguarding",
      c.safeguardingMarkers.isEmpty ? "no markers recorded" : c.safeguardingMarkers.joined(separator: "; "))
    add("Gypsy/Roma/Traveller", c.isGypsyRomaTraveller ? "yes (from ethnicity)" : nil)
    add("Circumstances", c.circumstances)
    add("Last school", c.lastSchool?.description)
    for a in c.addresses {
      add(
        "Address",
        "\(a.text)\(a.postcode.map { ", " + $0 } ?? "")\(a.from.map { " (from \($0)" } ?? "")\(a.to.map { " to \($0))" } ?? (a.from == nil ? "" : ")"))"
      )
    }
    for p in record.professionals {
      add(
        p.role.label.prefix(1).uppercased() + p.role.label.dropFirst(),
        "\(p.name)\(p.organisation.map { ", " + $0 } ?? "")\(p.contact.map { ", " + $0 } ?? "") (professional \(p.id ?? 0)"
          + (p.since.map { ", since \($0)" } ?? "") + (p.endedOn.map { ", until \($0)" } ?? "") + ")")
    }
    for p in c.carers {
      add(
        "Parent/carer",
        "\(p.name), \(p.relationship)\(p.phone.map { ", " + $0 } ?? "")"
          + (p.parentalResponsibility ? ", parental responsibility" : ", no parental responsibility")
          + (p.livesWithChild ? ", lives with the child" : ", lives apart"))
    }
    lines.append("")
    lines.append("Cases:")
    if record.cases.isEmpty { lines.append("  none") }
    for k in record.cases {
      lines.append(
        "  \(k.reference)  \(k.status.rawValue)  \(k.rag?.rawValue ?? "-")  opened \(k.openedOn)  \(k.reason.label)\(k.outcome.map { "  → \($0.label) \(k.closedOn?.description ?? "")" } ?? "")"
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
