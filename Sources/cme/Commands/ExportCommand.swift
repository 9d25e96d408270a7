import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export", abstract: "Export cases, or everything held on a child for a subject-access request.",
      subcommands: [Cases.self, ChildRecord.self])

    struct Cases: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Export cases as CSV or JSON (logged).",
        discussion:
          "Each case carries its child's name, date of birth, UPN and postcode, so only managers export, with a --reason that is logged. Over the setting export.rowsWithoutConfirmation cases, give their number with --confirm-rows. Text a spreadsheet would run as a formula is neutralised. Special-category columns (ethnicity, religion, SEN and disability, sexual orientation) are left out unless --special-category is added, which is logged as such."
      )
      @OptionGroup var global: GlobalOptions
      @Option(help: "open or closed (default: all).") var status: String?
      @Option(help: "csv or json.") var format: String = "csv"
      @Option(help: "Where to write the export (a new file; private to your account).") var out: String
      @Flag(help: "Replace the file at --out if it exists.") var force = false
      @Flag(help: "Include special-category columns (managers only; logged).") var specialCategory = false
      @Option(help: "Why the export is needed (kept in the audit log).") var reason: String
      @Option(help: "The number of cases, to confirm an export larger than the setting allows.") var confirmRows: Int?

      func validate() throws {
        guard ["csv", "json"].contains(format) else { throw ValidationError("'--format' must be csv or json") }
      }

      func run() throws {
        try reporting {
          let status = try parseOptional(status) { try CaseStatus.parse($0, field: "--status") }
          try OutputFile.check(out, register: global.databasePath, force: force)
          let (register, me) = try global.open()
          var file: OutputFile?
          let rows = try register.exportCases(
            status: status, specialCategory: specialCategory, format: format, reason: reason,
            confirmedRows: confirmRows, by: me
          ) { rows in
            // The file is complete on disk before the export's entry commits.
            let table = Table(columns: Register.caseExportColumns(specialCategory: specialCategory), rows: rows)
            let f = try OutputFile(for: out)
            try f.write(format == "csv" ? table.csv() : table.json())
            try f.sync()
            TestHarness.holdBeforeCommit()
            file = f
          }
          try file?.publish()
          print(
            "Exported \(rows.count) case\(rows.count == 1 ? "" : "s") to \(out)\(specialCategory ? " with special-category data" : "")."
          )
        }
      }
    }

    struct ChildRecord: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "child",
        abstract:
          "Write everything the register holds on a child, as JSON and a readable HTML page (managers only; logged).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The child's id.") var child: String
      @Option(help: "The folder to write into (created if needed, private to your account).") var out: String
      @Flag(help: "Replace the child's files in the folder if they exist.") var force = false

      func run() throws {
        try reporting {
          let id = try childId(child)
          var info = stat()
          if stat(out, &info) == 0 && (info.st_mode & S_IFMT) != S_IFDIR {
            throw InvalidInput(field: "--out", problem: "\(out) is a file, not a folder", fix: "Name a folder")
          }
          let base = (out as NSString).appendingPathComponent("child-\(id)")
          for name in [base + ".json", base + ".html"] {
            try OutputFile.check(name, register: global.databasePath, force: force, parentMayBeMissing: true)
          }
          let (register, me) = try global.open()
          var files: [OutputFile] = []
          let e = try register.subjectAccessExport(childId: id, by: me, today: try global.currentDate()) { e in
            // Both files are complete on disk before the export's entry commits.
            try FileManager.default.createDirectory(
              atPath: out, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for (name, text) in [(base + ".json", try prettyJSON(e)), (base + ".html", SubjectAccessPage.html(e))] {
              let f = try OutputFile(for: name)
              try f.write(text)
              try f.sync()
              files.append(f)
            }
            TestHarness.holdBeforeCommit()
          }
          for f in files { try f.publish() }
          print(
            "Wrote \(base).json and \(base).html: \(e.cases.count) case\(e.cases.count == 1 ? "" : "s"), \(e.auditEntries.count) audit entries."
          )
        }
      }
    }
  }
}

/// The subject-access export as a page a person can read.
enum SubjectAccessPage {
  /// Every value written into the page, escaped (the pack's escaping).
  static func esc(_ s: String) -> String { PackRenderer.esc(s) }

  static func table(_ columns: [String], _ rows: [[String]]) -> String {
    "<table><tr>" + columns.map { "<th>\(esc($0))</th>" }.joined() + "</tr>"
      + rows.map { "<tr>" + $0.map { "<td>\(esc($0))</td>" }.joined() + "</tr>" }.joined() + "</table>"
  }

  static func html(_ e: SubjectAccessExport) -> String {
    let c = e.child
    var h = """
      <!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Subject-access export: child \(c.id ?? 0)</title>
      <style>body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:1000px;margin:auto;padding:20px;color:#1d2733}
      h1{color:#1d4e89}h2{border-bottom:1px solid #c9d3df;color:#1d4e89}table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}
      th,td{border-bottom:1px solid #e1e7ee;padding:4px;text-align:left;vertical-align:top}th{background:#f4f7fa}
      .note{background:#eef3f8;border-left:6px solid #1d4e89;padding:8px}@media print{body{padding:0}}</style></head><body>
      <h1>Everything the CME register holds on \(esc(c.legalForename)) \(esc(c.legalSurname))</h1>
      <p class="note">Subject-access export made \(esc(e.madeAt)) by \(esc(e.madeBy)). It contains the record, every case with its history,
      visits, enquiries, actions and register checks, board decisions, school returns received, and every entry of the audit log
      about the child, including who looked at the record.</p>
      <h2>The record</h2>
      """
    var facts: [[String]] = [
      ["Legal name", "\(c.legalForename) \(c.middleNames.map { $0 + " " } ?? "")\(c.legalSurname)"],
      ["Preferred name", c.displayName], ["Former names", c.formerNames.joined(separator: "; ")],
      ["Date of birth", c.dateOfBirth.description], ["Sex", c.sex.label], ["Gender identity", c.genderIdentity ?? ""],
      ["UPN", c.upn?.value ?? ""], ["Former UPNs", c.formerUPNs.map(\.value).joined(separator: ", ")],
      ["Ethnicity", c.ethnicity.map { "\($0.code) \($0.label)" } ?? ""],
      ["Ethnicity given by", c.ethnicitySource?.label ?? ""],
      ["First language", c.firstLanguage.map { "\($0.code) \($0.label)" } ?? ""],
      ["Religion or belief", c.religion ?? ""], ["SEN provision", c.senProvision?.label ?? ""],
      ["Disability", c.disability ?? ""],
      ["Sexual orientation", c.sexualOrientation ?? ""],
      ["Safeguarding", c.safeguardingMarkers.joined(separator: "; ")],
      ["Free school meals", c.freeSchoolMeals.map { $0 ? "eligible" : "not eligible" } ?? ""],
      ["Free-school-meal periods", c.fsmPeriods.map(\.description).joined(separator: "; ")],
      ["Service child", c.serviceChild?.label ?? ""],
      ["Circumstances", c.circumstances ?? ""],
      ["Last school", c.lastSchool?.description ?? ""],
    ]
    facts = facts.filter { !$0[1].isEmpty }
    h += table(["", ""], facts)
    h += table(
      ["Address", "Postcode", "From", "To"],
      c.addresses.map { [$0.text, $0.postcode ?? "", $0.from?.description ?? "", $0.to?.description ?? ""] })
    h += table(
      ["Parent or carer", "Relationship", "Phone"], c.carers.map { [$0.name, $0.relationship, $0.phone ?? ""] })
    for d in e.cases {
      let k = d.caseRecord
      h +=
        "<h2>Case \(esc(k.reference))</h2><p>\(esc(k.reason.label)); opened \(k.openedOn)\(esc(k.closedOn.map { ", closed \($0): \(k.outcome?.label ?? "")" } ?? ", open")); rated \(esc(k.rag?.rawValue ?? "not rated")).</p>"
      if let e = d.closureEvidence {
        h += table(
          ["Closed on the evidence", ""],
          [
            ["Evidence", e.text], ["School", e.school ?? ""], ["Started", e.startDate?.description ?? ""],
            ["New address", e.newAddress ?? ""], ["Confirmed by", e.confirmation ?? ""],
          ]
          .filter { !$0[1].isEmpty })
      }
      if let p = d.closureProposal { h += "<p>Closure proposed: \(esc(p.summary))</p>" }
      h += table(["Date", "What", "Detail", "By"], d.timeline.map { [$0.date.description, $0.kind, $0.text, $0.by] })
      h += table(
        ["Enquiry", "State", "Date", "Result or reason"],
        d.enquiries.map { [$0.label, $0.state, $0.date?.description ?? "", $0.detail ?? ""] })
    }
    if !e.boardDecisions.isEmpty {
      h +=
        "<h2>Board decisions</h2>"
        + table(
          ["Meeting", "Case", "Decision", "Note", "By"],
          e.boardDecisions.map {
            [$0["meeting"] ?? "", $0["case"] ?? "", $0["decision"] ?? "", $0["note"] ?? "", $0["by"] ?? ""]
          })
    }
    if !e.importRows.isEmpty {
      h +=
        "<h2>School returns received</h2>"
        + table(
          ["File", "Line", "Outcome", "Flags"],
          e.importRows.map { [$0["file"] ?? "", $0["line"] ?? "", $0["outcome"] ?? "", $0["flags"] ?? ""] })
    }
    h += "<h2>Audit log: who changed or looked at the record</h2>"
    h += table(
      ["#", "When (UTC)", "Who", "What", "Reason"],
      e.auditEntries.map { [String($0.sequence), $0.at, $0.actor, $0.action, $0.reason ?? ""] })
    return h + "</body></html>\n"
  }
}
