import CMEDomain
import CMETestSupport
import Foundation
import Testing

@testable import CMEStore

/// A character followed by combining marks is one Character: checks made
/// Character by Character (or through Foundation's replacement, which skips
/// such a character) let it through. These are checked code point by code
/// point.
struct GraphemeAttackTests {
  /// `s` followed by `n` combining acute accents.
  static func marked(_ s: String, _ n: Int) -> String { s + String(repeating: "\u{301}", count: n) }

  @Test func a_character_with_many_marks_does_not_hide_what_follows_it() {
    let bidi = GraphemeAttackTests.marked("A", 400) + "\u{202E}htimS"
    #expect(bidi.count == 7)
    #expect(TextRules.problem(in: bidi, kind: .name)?.message.contains("bidirectional override (U+202E)") == true)
    let nul = GraphemeAttackTests.marked("a", 2000) + " ab\u{0}cd"
    #expect(TextRules.problem(in: nul, kind: .note)?.message.contains("NUL") == true)
    let escape = GraphemeAttackTests.marked("a", 300) + "\u{1B}[2J"
    #expect(TextRules.problem(in: escape, kind: .name)?.message.contains("control character (U+001B)") == true)
    // More code points than a text of the limit could need: refused in words.
    let heavy = GraphemeAttackTests.marked("a", 900)
    #expect(TextRules.problem(in: heavy, kind: .name)?.message.contains("more than 800 code points") == true)
  }

  @Test func a_search_word_keeps_no_wildcard_behind_a_mark() {
    let (_, arguments) = Register.childSearchSQL(words: ["ab%\u{301}c", "xyz"], text: "ab%\u{301}c xyz")
    for pattern in arguments where pattern.hasPrefix("%") {
      #expect(!pattern.unicodeScalars.dropFirst().dropLast().contains("%"), "\(pattern.debugDescription)")
    }
  }

  @Test func such_a_search_runs_and_finds_nothing() throws {
    let t = try TestRegister()
    _ = try t.openCase()
    let found = try t.register.findChildren("ab%\u{301}c xyz", by: t.register.session("cw"))
    #expect(found.children.isEmpty)
  }
}
