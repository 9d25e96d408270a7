import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

extension CME {
  struct EnquiryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "enquiry", abstract: "The reasonable-enquiries checklist of a case.",
      subcommands: [List.self, Done.self, NotApplicable.self])

    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show a case's checklist.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var output: FormatOption
      @Argument(help: "The case reference.") var caseReference: String

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let (register, me) = try global.open()
          let (c, list) = try register.enquiries(ref, by: me)
          let table = Table(
            columns: ["item", "enquiry", "state", "date", "by", "result or reason", "visit"],
            rows: list.lines.map { l in
              [
                l.item.rawValue, l.label, l.state == "outstanding" && !l.required ? "optional" : l.state,
                l.date?.description ?? "", l.by ?? "",
                l.detail ?? "", l.visitId.map(String.init) ?? "",
              ]
            }, maxWidth: ["enquiry": 40, "result or reason": 50])
          print(table.render(output.format), terminator: "")
          guard output.format == .table else { return }
          print("")
          print(
            list.outstanding.isEmpty
              ? "\(c.reference): every required enquiry is settled."
              : "\(c.reference): \(list.outstanding.count) required enquir\(list.outstanding.count == 1 ? "y" : "ies") outstanding."
          )
          if let missing = list.jointEnquiriesMissing {
            print(
              missing.isEmpty
                ? "Ground \(c.deletionGround!.letter): the joint school–LA enquiries are evidenced."
                : "Ground \(c.deletionGround!.letter) needs joint school–LA enquiries; not yet evidenced: \(missing.map(\.rawValue).joined(separator: ", "))."
            )
          }
        }
      }
    }

    struct Done: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "done",
        abstract: "Mark an enquiry done, with its result.",
        discussion: "Items: \(EnquiryItem.allCases.map(\.rawValue).joined(separator: ", ")).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference.") var caseReference: String
      @Argument(help: "The checklist item.") var item: EnquiryItem
      @Option(help: "What the enquiry found.") var result: String
      @Option(help: "The visit that made the enquiry (its date becomes the enquiry's).") var visit: Int64?
      @Option(help: "The day it was made (default: the visit's date, else today).") var on: String?

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let (register, me) = try global.open()
          try register.markEnquiryDone(
            ref, item: item, result: result, visitId: visit,
            on: try parseOptional(on) { try LocalDate.parse($0, field: "--on") },
            by: me, today: try global.currentDate())
          print("\(ref): \(item.label) — done.")
        }
      }
    }

    struct NotApplicable: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "na", abstract: "Mark an enquiry not applicable, with the reason.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference.") var caseReference: String
      @Argument(help: "The checklist item.") var item: EnquiryItem
      @Option(help: "Why it does not apply.") var reason: String

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let (register, me) = try global.open()
          try register.markEnquiryNotApplicable(ref, item: item, reason: reason, by: me)
          print("\(ref): \(item.label) — not applicable.")
        }
      }
    }
  }
}
