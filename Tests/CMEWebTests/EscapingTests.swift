import CMEDomain
import Mustache
import Testing

@testable import CMEWeb

/// Every value a page, a letter or the pack prints is escaped scalar by
/// scalar: a quote that a combining mark or a joiner follows is one
/// Character, not a quote, and went out unescaped, able to end an
/// attribute's value and start an attribute of its own.
struct EscapingTests {
  static let hostile = "a\"\u{301} onmouseover=alert(1) x='\u{200D}<\u{301}b"

  @Test func a_page_escapes_a_quote_that_a_combining_mark_follows() throws {
    let html = try #require(
      try Views().library.render(
        ["title": EscapingTests.hostile, "message": EscapingTests.hostile], withTemplate: "message"))
    #expect(!html.unicodeScalars.contains("\"") || !html.contains("a\"\u{301}"))
    #expect(html.contains("a&quot;\u{301} onmouseover=alert(1) x=&#39;\u{200D}&lt;\u{301}b"))
  }

  @Test func a_letter_escapes_it_and_cannot_switch_escaping_off() throws {
    let context = LetterContext(
      authority: "x", date: LocalDate(daysSinceEpoch: 0), addressee: "x", caseReference: "x",
      childName: EscapingTests.hostile, dateOfBirth: LocalDate(daysSinceEpoch: 0), reason: "x", caseworker: "x")
    let html = try LetterRenderer.render("<p title=\"{{childName}}\">{{childName}}</p>", title: "t", context: context)
    #expect(html.contains("<p title=\"a&quot;\u{301} onmouseover=alert(1) x=&#39;\u{200D}&lt;\u{301}b\">"))
    for template in [
      "{{% CONTENT_TYPE: TEXT }}<p>{{childName}}</p>", "{{%CONTENT_TYPE:TEXT}}{{childName}}",
      // A space with a mark on it reads as a space to the template's reader.
      "{{% \u{301}CONTENT_TYPE: TEXT }}{{childName}}", "{{ \u{301}& childName}}", "{{\t\u{200D}{childName}}}",
      "{{= \u{301}<% %>=}}<%& childName%>", "{{< layout}}{{childName}}",
    ] {
      #expect(throws: InvalidInput.self) { try LetterRenderer.validate(template) }
      // A template stored before this was refused is refused when a letter is made from it.
      let refusal = #expect(throws: InvalidInput.self) {
        try LetterRenderer.render(template, title: "t", context: context)
      }
      #expect(refusal?.problem.hasPrefix("the template ") == true)
    }
  }

  @Test func a_template_error_on_the_first_line_is_placed_where_the_author_wrote_it() {
    let refusal = #expect(throws: InvalidInput.self) {
      try LetterRenderer.validate("<p>{{#open}} {{childName}}</p>")
    }
    #expect(refusal?.problem.contains("line 1") == true, "\(refusal?.problem ?? "")")
    #expect(refusal?.problem.contains("column 2") == false, "\(refusal?.problem ?? "")")
  }

  @Test func the_pack_escapes_it() {
    #expect(PackRenderer.esc("a\"\u{301}<\u{301}'\u{200D}&") == "a&quot;\u{301}&lt;\u{301}&#39;\u{200D}&amp;")
  }
}
