import CMEDomain
import Foundation
import Mustache

/// Letters and notices rendered from templates (swift-mustache; every value
/// escaped for HTML). An authority's own wording, stored in the register,
/// replaces a default.
public enum LetterRenderer {
  /// The default template of each kind: the letter's body, in a page with
  /// the protective marking, the authority's address block and the sign-off.
  public static func defaultTemplate(_ kind: LetterKind) -> String {
    let body: String =
      switch kind {
      case .parentEnquiry: parentEnquiry
      case .s437Notice: s437Notice
      case .s437Intention: s437Intention
      case .schoolEnquiry: schoolEnquiry
      case .virtualSchool: virtualSchool
      case .laNotification: laNotification
      }
    return head + body + foot
  }

  /// Renders `template` with `context`, or says why it cannot be read.
  public static func render(_ template: String, title: String, context: LetterContext) throws(InvalidInput) -> String {
    // A template stored before these were refused may still hold one.
    try refuseUnsafeTags(template)
    let compiled: MustacheTemplate
    do {
      compiled = try MustacheTemplate(string: ScalarHTML.pragma + template)
    } catch let e as MustacheTemplate.ParserError {
      // (The first line's columns start after the escaping's own tag.)
      let column = e.context.columnNumber - (e.context.lineNumber == 1 ? ScalarHTML.pragma.count : 0)
      throw InvalidInput(
        field: "template",
        problem:
          "the template cannot be read at line \(e.context.lineNumber), column \(column): \(words(for: e.error))",
        fix: "Correct it there, or start again from the letter's template", next: .showLetterTemplate)
    } catch {
      throw InvalidInput(
        field: "template", problem: "the template cannot be read",
        fix: "Start again from the letter's template", next: .showLetterTemplate)
    }
    var values = context.values
    values["title"] = title
    return compiled.render(values)
  }

  /// The tags a letter may not hold, by what follows `{{`: each would print a
  /// value unescaped, include another template, change the delimiters (after
  /// which no tag can be checked) or change how values are escaped.
  static let unsafeTags: [Unicode.Scalar: String] = [
    "{": "prints a value unescaped ({{{name}}})", "&": "prints a value unescaped ({{& name}})",
    ">": "includes another template ({{> name}})", "<": "includes another template ({{< name}})",
    "=": "changes the delimiters ({{= }})", "%": "changes how values are escaped ({{% }})",
  ]

  /// Refuses a template with a tag of ``unsafeTags``. Read code point by code
  /// point: after `{{`, white space, combining marks and format characters
  /// are passed over (the template's reader reads a space with a mark on it
  /// as a space), so `{{ ́& name}}` is found as `{{&`.
  static func refuseUnsafeTags(_ template: String) throws(InvalidInput) {
    let scalars = Array(template.unicodeScalars)
    var i = 0
    while i + 1 < scalars.count {
      guard scalars[i] == "{", scalars[i + 1] == "{" else {
        i += 1
        continue
      }
      var j = i + 2
      while j < scalars.count, passedOver(scalars[j]) { j += 1 }
      if j < scalars.count, let what = unsafeTags[scalars[j]] {
        throw InvalidInput(
          field: "template", problem: "the template \(what)",
          fix: "Use {{name}}, which escapes the value for HTML; a letter never includes raw text")
      }
      i += 2
    }
  }

  private static func passedOver(_ s: Unicode.Scalar) -> Bool {
    switch s.properties.generalCategory {
    case .nonspacingMark, .spacingMark, .enclosingMark, .format, .control, .spaceSeparator, .lineSeparator,
      .paragraphSeparator:
      true
    default: s.properties.isWhitespace
    }
  }

  /// A parser's complaint in words.
  static func words(for error: any Error) -> String {
    let name = String(describing: error)
    if name.contains("expectedSectionEnd") { return "a section ({{#name}} or {{^name}}) is not closed by {{/name}}" }
    if name.contains("sectionCloseNameIncorrect") { return "a section is closed ({{/name}}) with another name" }
    if name.contains("unfinishedName") { return "a tag is not finished with }}" }
    if name.contains("Delimiter") { return "changing the {{ }} delimiters is not allowed" }
    return "a tag it does not understand"
  }

  /// Checks an authority's template: it must be readable, name the child,
  /// and print every value escaped — no {{{raw}}} or {{& raw}} values, no
  /// partials and no change of delimiters, so that nothing a user typed
  /// reaches the letter as HTML.
  public static func validate(_ template: String) throws(InvalidInput) {
    try TextRules.check(template, field: "template", kind: .note)
    try refuseUnsafeTags(template)
    _ = try render(
      template, title: "check",
      context: LetterContext(
        authority: "x", date: LocalDate(daysSinceEpoch: 0), addressee: "x", caseReference: "x", childName: "x",
        dateOfBirth: LocalDate(daysSinceEpoch: 0), reason: "x", caseworker: "x"))
    guard template.contains("{{childName}}") else {
      throw InvalidInput(
        field: "template", problem: "the template never names the child ({{childName}})",
        fix: "Include {{childName}} so that the letter says whom it is about")
    }
  }

  static let head = """
    <!DOCTYPE html>
    <html lang="en-GB"><head><meta charset="utf-8"><title>{{title}}</title>
    <style>
    @page { size: A4; margin: 20mm; }
    body { font-family: Arial, sans-serif; font-size: 11pt; line-height: 1.45; color: #0b0c0c; max-width: 170mm; margin: auto; }
    .marking { text-align: center; font-weight: bold; letter-spacing: .05em; }
    .from { text-align: right; }
    h1 { font-size: 14pt; }
    .ref { font-size: 10pt; color: #505a5f; }
    </style></head><body>
    <p class="marking">OFFICIAL-SENSITIVE</p>
    <p class="from">{{authority}}<br>Children Missing Education<br>{{date}}</p>
    <p>{{addressee}}</p>
    <p class="ref">Our reference: {{caseReference}}</p>
    """

  static let foot = """
    <p>Yours sincerely,</p>
    <p>{{caseworker}}<br>Children Missing Education, {{authority}}</p>
    </body></html>
    """

  static let parentEnquiry = """
    <h1>{{childName}}, born {{dateOfBirth}}</h1>
    <p>Dear {{addressee}},</p>
    <p>We are writing because we have been told that {{childName}} is not attending school{{#lastSchool}} ({{.}}){{/lastSchool}}, and we have not been able to find out where {{childName}} is now being educated.</p>
    <p>The law requires every child of compulsory school age to receive a suitable full-time education, at school or otherwise. The council has a duty to identify children who are not. Please contact us within ten days, by phone or in writing, quoting the reference above, to tell us where {{childName}} is living and being educated.</p>
    <p>If you have moved, please tell us your new address and the name of any new school. If you need help to find a school place, we can help you apply.</p>
    """

  static let s437Notice = """
    <h1>Notice under section 437(1) of the Education Act 1996</h1>
    <p>Child: {{childName}}, born {{dateOfBirth}}{{#upn}} (UPN {{.}}){{/upn}}</p>
    <p>Dear {{addressee}},</p>
    <p>It appears to {{authority}} that {{childName}}, who is of compulsory school age, may not be receiving suitable education, either by regular attendance at school or otherwise.</p>
    <p>Under section 437(1) of the Education Act 1996, you are required to satisfy the council, by <strong>{{respondBy}}</strong>, that {{childName}} is receiving suitable full-time education, suitable to age, ability and aptitude and to any special educational needs.</p>
    <p>If you do not satisfy the council by that date, and the council is of the opinion that {{childName}} should attend school, it must serve a school attendance order requiring {{childName}} to be registered at a school named in the order.</p>
    <p>Please contact us before that date, quoting the reference above.</p>
    """

  static let s437Intention = """
    <h1>Notice of intention to serve a school attendance order</h1>
    <p>Child: {{childName}}, born {{dateOfBirth}}{{#upn}} (UPN {{.}}){{/upn}}</p>
    <p>Dear {{addressee}},</p>
    <p>You have not satisfied {{authority}} that {{childName}} is receiving suitable education. The council intends to serve a school attendance order under section 437(3) of the Education Act 1996.</p>
    <p>The council proposes to name {{#proposedSchool}}<strong>{{.}}</strong>{{/proposedSchool}}{{^proposedSchool}}a school it will tell you of{{/proposedSchool}} in the order. If you would prefer another school, you may tell us its name by <strong>{{respondBy}}</strong>; if it agrees to admit {{childName}}, that school will be named instead.</p>
    <p>Failure to comply with a school attendance order is an offence.</p>
    """

  static let schoolEnquiry = """
    <h1>Enquiry about {{childName}}, born {{dateOfBirth}}</h1>
    <p>Dear {{addressee}},</p>
    <p>{{childName}}{{#upn}} (UPN {{.}}){{/upn}} is on the council's register of children missing education. To help us find where {{childName}} is being educated, please tell us, quoting the reference above: the last day {{childName}} attended; any siblings on your roll and their attendance; the contacts and addresses you hold; and anything you know of a new address or school.</p>
    {{#reason}}<p>Why the case is open: {{.}}.</p>{{/reason}}
    """

  static let virtualSchool = """
    <h1>{{childName}}, born {{dateOfBirth}}: a looked-after child</h1>
    <p>Dear {{addressee}},</p>
    <p>{{childName}}{{#upn}} (UPN {{.}}){{/upn}}, a child looked after, is on the council's register of children missing education or not in full-time education: {{reason}}.</p>
    <p>Please let us know what the virtual school knows of {{childName}}'s education and the plan to restore full-time provision, and include us in the personal education plan review.</p>
    """

  static let laNotification = """
    <h1>Children missing education: notification to local authority {{toAuthority}}</h1>
    <p>Dear {{addressee}},</p>
    <p>We believe that the child below has moved to, or may be living in, your area. We are notifying your children missing education service so that you can make enquiries and secure education for the child.</p>
    <table>
    <tr><th scope="row">Child</th><td>{{childName}}</td></tr>
    <tr><th scope="row">Date of birth</th><td>{{dateOfBirth}}</td></tr>
    {{#upn}}<tr><th scope="row">UPN</th><td>{{.}}</td></tr>{{/upn}}
    {{#address}}<tr><th scope="row">Last known address</th><td>{{.}}</td></tr>{{/address}}
    {{#lastSchool}}<tr><th scope="row">Last school</th><td>{{.}}</td></tr>{{/lastSchool}}
    <tr><th scope="row">Parents or carers</th><td>{{#parents}}{{.}}<br>{{/parents}}</td></tr>
    <tr><th scope="row">Why the case was opened</th><td>{{reason}}</td></tr>
    </table>
    {{#hasEnquiries}}<h2>Enquiries made</h2><ul>{{#enquiries}}<li>{{.}}</li>{{/enquiries}}</ul>{{/hasEnquiries}}
    <p>Please confirm whether the child is known to you, quoting our reference.</p>
    """
}
