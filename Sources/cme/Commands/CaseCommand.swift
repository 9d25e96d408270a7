import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "case", abstract: "Open, show, list, close and reopen CME cases.",
      subcommands: [Open.self, Show.self, List.self, Update.self, Illness.self, Close.self, Reopen.self])

    struct Illness: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "illness",
        abstract: "Record a spell of illness absence (15 school days in the school year, together, start s19).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference.") var caseReference: String
      @Option(help: "The first day of illness, YYYY-MM-DD.") var from: String
      @Option(help: "The last day of illness (leave out while it lasts).") var to: String?

      func run() throws {
        try reporting(fields: ["from": "--from", "to": "--to"]) {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let from = try LocalDate.parse(from, field: "--from")
          let to = try parseOptional(to) { try LocalDate.parse($0, field: "--to") }
          let (register, me) = try global.open()
          let spells = try register.recordIllness(ref, from: from, to: to, by: me, today: try global.currentDate())
          print(
            "Recorded on \(ref): \(spells.map { "\($0.from) to \($0.to.map(String.init(describing:)) ?? "now")" }.joined(separator: "; "))."
          )
        }
      }
    }

    struct Open: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open a case for a child and print its reference.",
        discussion:
          """
          Grounds: the letter in either case (e.g. I); the deletion date says which regulations it is under \
          (2024 A–O from 19 August 2024, 2006 a–m before). 2024:I or 2006:h names them too.
          A child outside compulsory school age on the opening day needs --outside-school-age-reason.
          A child on roll but not in full-time education: --reason part-time-timetable (with --hours), \
          informal-exclusion or lac-no-suitable-place; such a case closes as full-time-restored.
          """
      )

      @OptionGroup var global: GlobalOptions
      @Argument(help: "The child's id.") var child: String
      @Option(help: "Why the child is missing education.") var reason: CaseReason
      @Option(help: "The deletion ground, if a school deleted the child from roll.") var ground: String?
      @Option(help: "The day the school deleted the child from roll (default with --ground: the referral day).")
      var deletionDate: String?
      @Option(help: "The last day the child attended school, YYYY-MM-DD.") var lastAttended: String?
      @Option(help: "The day the referral reached the LA (default: the opening day).") var referralReceived: String?
      @Option(help: "Why a case is opened for a child outside compulsory school age.")
      var outsideSchoolAgeReason: String?
      @Option(help: "A part-time timetable's hours of education a week, e.g. 12.5 (a child on roll).")
      var hours: String?
      @Option(help: "Who referred the child (default: school-deletion-return with --ground, else other).")
      var source: ReferralSource?
      @Option(help: "The day the case opened (default: today).") var opened: String?
      @Option(help: "Whether the child's whereabouts are known (default from the reason).")
      var whereabouts: Whereabouts.Answer?
      @Option(help: "The lead caseworker (default: you).") var lead: String?

      func run() throws {
        try reporting {
          let today = try global.currentDate()
          let known =
            whereabouts?.isKnown
            ?? reason.whereaboutsKnownByDefault
          let (register, me) = try global.open()
          let opening = CaseOpening(
            childId: try childId(child), reason: reason,
            source: source,
            ground: try parseOptional(ground) { try DeletionGround.written($0, field: "ground") },
            lastAttended: try parseOptional(lastAttended) { try LocalDate.parse($0, field: "--last-attended") },
            openedOn: try parseOptional(opened) { try LocalDate.parse($0, field: "--opened") },
            whereaboutsKnown: known,
            leadCaseworker: lead ?? (me.user.role.leadsCases ? me.name : nil),
            referralReceivedOn: try parseOptional(referralReceived) {
              try LocalDate.parse($0, field: "--referral-received")
            },
            deletionDate: try parseOptional(deletionDate) { try LocalDate.parse($0, field: "--deletion-date") },
            outsideSchoolAgeReason: outsideSchoolAgeReason,
            weeklyHours: try parseOptional(hours) { try WeeklyHours.parse($0, field: "--hours") })
          let c = try register.openCase(opening, by: me, today: today)
          print(c.reference)
          printNote("Opened \(c.reference), rated \(c.rag?.rawValue ?? "-") (see 'cme rag suggest \(c.reference)').")
        }
      }
    }

    struct Show: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a case's full record and history (the viewing is logged).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference, e.g. CME-2026-00042.") var caseReference: String
      @Option(help: "How to print: table (readable text) or json.") var format: RecordFormat = .table

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let today = try global.currentDate()
          let (register, me) = try global.open()
          let d = try register.caseDetail(ref, viewedBy: me, today: today)
          if format == .json {
            print(try prettyJSON(d))
          } else {
            print(CaseView(detail: d, today: today).text, terminator: "")
          }
        }
      }
    }

    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List cases, newest first.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption
      @Option(help: "Only open or only closed cases.") var status: CaseStatus?
      @Option(help: "Only cases with this rating.") var rag: RAG?
      @Option(help: "At most this many (0 for all).") var limit = 200

      func run() throws {
        try reporting {
          let today = try global.currentDate()
          let (register, me) = try global.open()
          let cases = try register.listCases(
            status: status, rag: rag, by: me, limit: limit > 0 ? limit : nil)
          let table = Table(
            columns: [
              "case", "child", "name", "age", "status", "rag", "opened", "days open", "reason", "whereabouts", "lead",
              "outcome",
            ],
            rows: cases.map { k in
              [
                k.reference, String(k.childId), k.childName, String(k.dateOfBirth.age(on: today)), k.status.rawValue,
                k.rag?.rawValue ?? "",
                k.openedOn.description, String((k.closedOn ?? today).days(since: k.openedOn)), k.reason.rawValue,
                k.whereaboutsKnown ? "known" : "unknown", k.leadCaseworker ?? "", k.outcome?.rawValue ?? "",
              ]
            })
          print(table.render(output.format), terminator: "")
          if output.format == .table {
            printNote(
              "\(cases.count) case\(cases.count == 1 ? "" : "s")\(cases.count == limit ? " (the first \(limit); --limit 0 for all)" : "")"
            )
          }
        }
      }
    }

    struct Close: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a case with an outcome and the evidence it needs.",
        discussion: """
          Outcomes: \(ClosureOutcome.allCases.map(\.rawValue).joined(separator: ", ")).
          On roll: --school and --start-date. Moved abroad, confirmed: --new-address, --school and the receiving \
          school's --confirmation. Transferred to another LA: --confirmation and --destination-la. EHE suitable: \
          --confirmation. Lost pupil, \
          untraceable: every applicable enquiry settled and the CTF to XXX recorded ('cme enquiry done CASE ctf-xxx').
          """)
      @OptionGroup var global: GlobalOptions
      @OptionGroup var version: VersionOption
      @Argument(help: "The case reference.") var caseReference: String
      @Option(help: "How the case ended.") var outcome: ClosureOutcome
      @Option(help: "The evidence for the outcome, in words.") var evidence: String
      @Option(help: "The receiving school: URN, LA/establishment number, or its name.") var school: String?
      @Option(help: "The day the child started at the school or placement, YYYY-MM-DD.") var startDate: String?
      @Option(help: "The child's new address.") var newAddress: String?
      @Option(help: "Who confirmed the outcome, and how.") var confirmation: String?
      @Option(help: "The authority the child moved to: its 3-digit DfE LA number (a transfer needs it).")
      var destinationLa: String?
      @Option(help: "The day the outcome was confirmed (default: today).") var on: String?

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          var details = ClosureEvidence(
            text: evidence, school: school,
            startDate: try parseOptional(startDate) { try LocalDate.parse($0, field: "--start-date") },
            newAddress: newAddress, confirmation: confirmation)
          details.destinationLA = try parseOptional(destinationLa) {
            try LACode.Table.default.parse($0, field: "--destination-la")
          }
          let (register, me) = try global.open()
          let c = try register.closeCase(
            ref, outcome: outcome, evidence: details,
            on: try parseOptional(on) { try LocalDate.parse($0, field: "--on") }, ifVersion: version.ifVersion,
            by: me, today: try global.currentDate())
          print("Closed \(c.reference) on \(c.closedOn!): \(outcome.label).")
        }
      }
    }

    struct Update: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "update",
        abstract:
          "Change what is known about an open case: whereabouts, lead, the deletion from roll, and the dates that start clocks.",
        discussion: """
          --ground and --deletion-date record or correct the school's deletion (either alone changes one of them); \
          the deletion date says which regulations the ground is under.
          """)
      @OptionGroup var global: GlobalOptions
      @OptionGroup var version: VersionOption
      @Argument(help: "The case reference.") var caseReference: String
      @Option(help: "Whether the child's whereabouts are known.") var whereabouts: Whereabouts.Answer?
      @Option(help: "A new lead caseworker.") var lead: String?
      @Option(help: "The first day of illness absence (starts the 15-school-day sickness clock).") var illSince: String?
      @Option(help: "The day the child was referred to the Fair Access Protocol (starts its 20-school-day clock).")
      var fairAccessReferred: String?
      @Option(help: "The ground the school deleted the child on.") var ground: String?
      @Option(help: "The day the school deleted the child from roll, YYYY-MM-DD.") var deletionDate: String?
      @Option(help: "What the case is now open for (a case reason, e.g. part-time-timetable).")
      var caseReason: CaseReason?
      @Option(help: "A part-time timetable's hours of education a week, e.g. 12.5.") var hours: String?
      @Option(help: "The day a leave of absence ended (starts ground H's 10 school days).") var leaveEnded: String?
      @Option(help: "Why.") var reason: String

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let known = whereabouts?.isKnown
          let (register, me) = try global.open()
          let c = try register.updateCase(
            ref, whereaboutsKnown: known, lead: lead,
            illSince: try parseOptional(illSince) { try LocalDate.parse($0, field: "--ill-since") },
            fairAccessReferred: try parseOptional(fairAccessReferred) {
              try LocalDate.parse($0, field: "--fair-access-referred")
            },
            ground: try parseOptional(ground) { try DeletionGround.written($0, field: "ground") },
            deletionDate: try parseOptional(deletionDate) { try LocalDate.parse($0, field: "--deletion-date") },
            caseReason: caseReason,
            weeklyHours: try parseOptional(hours) { try WeeklyHours.parse($0, field: "--hours") },
            leaveEnded: try parseOptional(leaveEnded) { try LocalDate.parse($0, field: "--leave-ended") },
            reason: reason, ifVersion: version.ifVersion, by: me, today: try global.currentDate())
          let openFor =
            "open for \(c.reason.label.lowercased())\(c.weeklyHours.map { " (\(WeeklyHours.text($0)) hours a week)" } ?? "")"
          print(
            "Updated \(c.reference): \(openFor), whereabouts \(c.whereaboutsKnown ? "known" : "unknown"), lead \(c.leadCaseworker ?? "none")\(c.deletionGround.map { g in ", deleted \(c.deletionDate.map(String.init(describing:)) ?? "") on ground \(g.letter) (\(g.regime.rawValue) regulations)" } ?? "")."
          )
        }
      }
    }

    struct Reopen: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "reopen", abstract: "Reopen a closed case; its history is kept.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var version: VersionOption
      @Argument(help: "The case reference.") var caseReference: String
      @Option(help: "Why the case is reopened.") var reason: String
      @Option(help: "The day it reopens (default: today).") var on: String?

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let (register, me) = try global.open()
          let c = try register.reopenCase(
            ref, reason: reason, on: try parseOptional(on) { try LocalDate.parse($0, field: "--on") },
            ifVersion: version.ifVersion, by: me, today: try global.currentDate())
          print("Reopened \(c.reference), rated \(c.rag?.rawValue ?? "-").")
        }
      }
    }
  }
}

/// A case's record as readable text.
struct CaseView {
  var detail: CaseDetail
  var today: LocalDate

  var text: String {
    let c = detail.caseRecord
    let ch = detail.child
    let a = detail.assessment
    var lines = [
      "\(c.reference) — \(ch.displayName), child \(c.childId), born \(ch.dateOfBirth) (age \(ch.dateOfBirth.age(on: today)))"
    ]
    func add(_ label: String, _ value: String?) {
      if let value, !value.isEmpty {
        lines.append("  " + label.padding(toLength: 20, withPad: " ", startingAt: 0) + value)
      }
    }
    add(
      "Status",
      c.status == .open
        ? "open, \(c.daysOpen(on: today)) days"
        : "closed \(c.closedOn!) after \(c.daysOpen(on: today)) days: \(c.outcome?.label ?? "")")
    add("Evidence", c.outcomeEvidence)
    add(
      "Closure proposed",
      detail.closureProposal.map {
        "\($0.summary); confirm with 'cme case close \(c.reference) --outcome on-roll-la-school --evidence …'"
      })
    if let e = detail.closureEvidence {
      add("  school", e.school)
      add("  started", e.startDate?.description)
      add("  new address", e.newAddress)
      add("  confirmed by", e.confirmation)
      add("  moved to LA", e.destinationLA)
    }
    add(
      "RAG",
      "\(c.rag?.rawValue ?? "not rated") (suggested today: \(a.suggestion.rating.rawValue) — \(a.suggestion.summary))")
    add("Reason", c.reason.label)
    if c.reason.scope == .onRollNotFullTime { add("Register", c.reason.scope.label) }
    add("Timetable", c.weeklyHours.map { "\(WeeklyHours.text($0)) hours a week (part-time)" })
    add("Referred by", "\(c.referralSource.label), received \(c.referralReceivedOn)")
    add("Deleted from roll", c.deletionDate?.description)
    add(
      "Deletion ground",
      c.deletionGround.map {
        "\($0.letter) (\($0.regime.rawValue) regulations): \($0.label)\($0.requiresJointEnquiries ? "; joint school–LA enquiries required" : "")"
      })
    if let missing = a.jointEnquiriesMissing {
      add(
        "Joint enquiries",
        missing.isEmpty
          ? "evidenced (last school, emergency contacts, home visit)"
          : "NOT evidenced: missing \(missing.map(\.rawValue).joined(separator: ", "))")
    }
    add("Opened", c.openedOn.description)
    add("Outside school age", c.outsideSchoolAgeReason)
    add(
      "Last attended", c.lastAttended.map { "\($0)\(a.schoolDaysMissing.map { " (\($0) school days missed)" } ?? "")" })
    add("Whereabouts", c.whereaboutsKnown ? "known" : "unknown")
    add(
      "Last contact",
      a.lastContact.map { "\($0.date) \($0.type.label)\($0.childSeen == true ? ", child seen" : "")" }
        ?? "none recorded")
    add("Child last seen", a.lastSeen?.description ?? "not seen since the case opened")
    add("Lead caseworker", c.leadCaseworker ?? "none assigned")
    add("Version", "\(detail.version) (give --if-version \(detail.version) to change it only if no one has since)")
    add(
      "Safeguarding",
      ch.safeguardingMarkers.isEmpty ? "no markers recorded" : ch.safeguardingMarkers.joined(separator: "; "))
    lines.append("")
    lines.append("Clocks (school days):")
    for k in a.clocks {
      lines.append(
        "  \(k.state.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)) \(k.label): due \(k.dueOn?.description ?? "beyond the calendar"); \(k.detail)"
      )
    }
    lines.append("")
    let outstanding = detail.enquiries.filter { $0.required && $0.state == "outstanding" }
    lines.append(
      "Enquiries: \(detail.enquiries.filter { $0.state != "outstanding" }.count) settled, \(outstanding.count) outstanding\(outstanding.isEmpty ? "" : ": " + outstanding.map(\.item.rawValue).joined(separator: ", "))  ('cme enquiry list \(c.reference)')"
    )
    let live = detail.actions.filter(\.state.isLive)
    lines.append(
      "Actions: \(live.count) open, \(a.overdueActions) overdue\(a.actionsToEscalate > 0 ? ", \(a.actionsToEscalate) to escalate" : "")  ('cme action list --case \(c.reference)')"
    )
    for x in live {
      lines.append(
        "  #\(x.id) \(x.agency.rawValue): \(x.description) — due \(x.dueOn)\(x.isOverdue(on: today) ? " (OVERDUE)" : ""), \(x.state.rawValue)\(x.owner.map { ", \($0)" } ?? "")\(x.professional.map { " (\($0.role))" } ?? "")"
      )
    }
    lines.append("")
    lines.append("Timeline:")
    for e in detail.timeline {
      let recorded = e.recordedOn.map { "; recorded \($0)" } ?? ""
      lines.append(
        "  \(e.date)  \(e.kind.padding(toLength: 7, withPad: " ", startingAt: 0)) \(e.text)  (\(e.by)\(recorded))")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
