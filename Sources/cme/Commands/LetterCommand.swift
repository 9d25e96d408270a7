import ArgumentParser
import CMEDomain
import CMEStore
import CMEWeb
import Foundation

extension CME {
  struct LetterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "letter",
      abstract:
        "Letters and notices: to parents (the s437 notices too), schools, the virtual school, other authorities.",
      subcommands: [Issue.self, List.self, Show.self, Template.self])

    struct Issue: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a letter on a case: written to a file, kept with the case as sent, and on its timeline.",
        discussion: """
          Kinds: \(LetterKind.allCases.map(\.rawValue).joined(separator: ", ")). The s437 notices give the parents \
          at least 15 days (--respond-by, default 15 days from today). A notification to another authority is \
          'cme notify CASE --to-la CODE'.
          """)
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference.") var caseReference: String
      @Option(help: "The letter.") var kind: LetterKind
      @Option(help: "Whom it goes to (default: the parents with parental responsibility, the last school, …).")
      var to: String?
      @Option(help: "The day a notice asks an answer by, YYYY-MM-DD.") var respondBy: String?
      @Option(help: "For a notice of intention: the school the authority proposes.") var proposedSchool: String?
      @OptionGroup var output: LetterOutput

      func run() throws {
        try reporting(fields: ["respondBy": "--respond-by", "proposedSchool": "--proposed-school"]) {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          guard kind != .laNotification else {
            throw InvalidInput(
              field: "--kind", problem: "a notification to another authority is sent with 'cme notify'",
              fix: "Run 'cme notify \(ref) --to-la CODE --out FILE'")
          }
          let request = LetterRequest(
            kind: kind, addressee: to,
            respondBy: try parseOptional(respondBy) { try LocalDate.parse($0, field: "--respond-by") },
            proposedSchool: proposedSchool)
          let letter = try output.issue(ref, request, global: global)
          print(letter.id)
          printNote(
            "Issued letter \(letter.id) on \(ref): \(letter.kind.label), to \(letter.addressee)\(letter.respondBy.map { "; answer by \($0)" } ?? ""). Written to \(output.out)."
          )
        }
      }
    }

    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The letters issued on a case.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var format: FormatOption
      @Argument(help: "The case reference.") var caseReference: String

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let (register, me) = try global.open()
          let letters = try register.letters(ref, by: me)
          print(
            Table(
              columns: ["id", "issued", "kind", "to", "answer by", "by"],
              rows: letters.map {
                [
                  String($0.id), $0.issuedOn.description, $0.kind.rawValue, $0.addressee,
                  $0.respondBy?.description ?? "", $0.by,
                ]
              }
            ).render(format.format), terminator: "")
        }
      }
    }

    struct Show: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print a letter as it was issued (HTML).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The case reference.") var caseReference: String
      @Argument(help: "The letter's id.") var letter: Int64

      func run() throws {
        try reporting {
          let ref = try CaseReference.parse(caseReference, field: "CASE")
          let (register, me) = try global.open()
          guard let found = try register.letters(ref, by: me).first(where: { $0.id == letter }) else {
            throw InvalidInput(
              field: "LETTER", problem: "\(ref) has no letter \(letter)", fix: "'cme letter list \(ref)' lists them")
          }
          print(found.body, terminator: "")
        }
      }
    }

    struct Template: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "An authority's own wording of a letter (swift-mustache; managers).",
        discussion: """
          'show' prints the template in use (the authority's, else the shipped one) as a start for your own; \
          'set KIND FILE' replaces it (it must be readable and name {{childName}}); 'reset KIND' goes back to the \
          shipped one. Values: {{authority}} {{date}} {{addressee}} {{caseReference}} {{childName}} \
          {{dateOfBirth}} {{upn}} {{address}} {{lastSchool}} {{reason}} {{caseworker}} {{respondBy}} \
          {{toAuthority}} {{proposedSchool}}, and the lists {{#parents}} and {{#enquiries}}. Every value is \
          escaped for HTML.
          """,
        subcommands: [ShowTemplate.self, SetTemplate.self, ResetTemplate.self])

      struct ShowTemplate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a letter's template.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The letter.") var kind: LetterKind

        func run() throws {
          try reporting {
            let (register, me) = try global.open()
            print(try register.letterTemplate(kind, by: me) ?? LetterRenderer.defaultTemplate(kind), terminator: "")
          }
        }
      }

      struct SetTemplate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Use your own wording.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The letter.") var kind: LetterKind
        @Argument(help: "The template file (UTF-8).") var file: String

        func run() throws {
          try reporting {
            let bytes = try readInputFile(file)
            guard let text = String(validating: bytes, as: UTF8.self) else {
              throw InvalidInput(field: "FILE", problem: "\(file) is not UTF-8", fix: "Save it as UTF-8")
            }
            let (register, me) = try global.open()
            try register.setLetterTemplate(kind, to: text, by: me) { try LetterRenderer.validate($0) }
            print("\(kind.rawValue) now uses the wording in \(file).")
          }
        }
      }

      struct ResetTemplate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset", abstract: "Use the shipped wording.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The letter.") var kind: LetterKind

        func run() throws {
          try reporting {
            let (register, me) = try global.open()
            try register.setLetterTemplate(kind, to: nil, by: me) { _ in }
            print("\(kind.rawValue) uses the shipped wording again.")
          }
        }
      }
    }
  }

  struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "notify",
      abstract: "Send another authority the CME notification for a case, or record one it sent you.",
      discussion: """
        --to-la CODE writes the notification (to --out, html or pdf), keeps it with the case and records it as \
        sent. --from-la CODE --received DATE records one received about this case's child.
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The case reference.") var caseReference: String
    @Option(help: "The authority to notify: its 3-digit DfE LA number.") var toLa: String?
    @Option(help: "The authority a notification came from.") var fromLa: String?
    @Option(help: "The day a notification arrived, YYYY-MM-DD.") var received: String?
    @Option(help: "What the notification said, in words.") var note: String?
    @Option(help: "Whom it goes to (default: the other authority's CME officer).") var to: String?
    @Option(help: "Where to write the notification (a new file; private to your account).") var out: String?
    @Flag(help: "Replace the file at --out if it exists.") var force = false
    @Option(help: "html or pdf (pdf needs a headless Chromium).") var format: LetterFormat = .html

    func run() throws {
      try reporting {
        let ref = try CaseReference.parse(caseReference, field: "CASE")
        switch (toLa, fromLa) {
        case (let code?, nil):
          let la = try LACode.Table.default.parse(code, field: "--to-la")
          guard let out else {
            throw InvalidInput(field: "--out", problem: "no file to write the notification to", fix: "Give --out FILE")
          }
          let output = LetterOutput(out: out, force: force, format: format)
          let letter = try output.issue(
            ref, LetterRequest(kind: .laNotification, addressee: to, toAuthority: la), global: global)
          print(letter.id)
          printNote("Notified local authority \(la) about \(ref) (letter \(letter.id)). Written to \(out).")
        case (nil, let code?):
          let la = try LACode.Table.default.parse(code, field: "--from-la")
          if out != nil || to != nil {
            throw InvalidInput(
              field: "--out", problem: "a notification received is recorded, not written",
              fix: "Leave out --out and --to with --from-la")
          }
          guard let received else {
            throw InvalidInput(
              field: "--received", problem: "the day the notification arrived is missing", fix: "Give --received DATE")
          }
          let day = try LocalDate.parse(received, field: "--received")
          let (register, me) = try global.open()
          try register.recordNotificationReceived(
            ref, fromLA: la, on: day, note: note, by: me, today: try global.currentDate())
          print("Recorded the notification from local authority \(la) on \(ref), received \(day).")
        default:
          throw InvalidInput(
            field: "--to-la", problem: "give either --to-la (send) or --from-la (received), not both or neither",
            fix: "'cme notify CASE --to-la 892 --out notice.html', or 'cme notify CASE --from-la 926 --received DATE'")
        }
      }
    }
  }
}

/// How a letter is written out.
enum LetterFormat: String, ExpressibleByArgument, CaseIterable {
  case html, pdf
}

/// Where an issued letter is written, and how.
struct LetterOutput: ParsableArguments {
  @Option(help: "Where to write the letter (a new file; private to your account).") var out: String
  @Flag(help: "Replace the file at --out if it exists.") var force = false
  @Option(help: "html or pdf (pdf needs a headless Chromium).") var format: LetterFormat = .html

  init() {}

  init(out: String, force: Bool, format: LetterFormat) {
    self.out = out
    self.force = force
    self.format = format
  }

  /// Issues the letter: rendered and written in full before its entry
  /// commits, put in place after.
  func issue(_ ref: CaseReference, _ request: LetterRequest, global: GlobalOptions) throws -> IssuedLetter {
    try OutputFile.check(out, register: global.databasePath, force: force)
    let (register, me) = try global.open()
    var file: OutputFile?
    let letter = try register.issueLetter(ref, request, by: me, today: try global.currentDate()) {
      template, context in
      let html = try LetterRenderer.render(
        template ?? LetterRenderer.defaultTemplate(request.kind), title: request.kind.label, context: context)
      file =
        format == .pdf
        ? try OutputFile.printedPDF(of: html, to: out, what: "the letter")
        : try OutputFile.written(html, to: out)
      return html
    }
    try file?.publish()
    return letter
  }
}
