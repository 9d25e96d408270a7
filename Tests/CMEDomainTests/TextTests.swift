import CMEDomain
import Testing

struct TextTests {
  @Test(arguments: [
    ("Ward", "Ward"), ("  Ward ", "Ward"), ("\tWard\r\n", "Ward"), ("\u{00A0}Łódź\u{2003}", "Łódź"),
    ("a b", "a b"), ("", ""), ("   ", ""), ("\u{FEFF}x", "\u{FEFF}x"),
    ("12 Meadow Lane,\nNottingham\n", "12 Meadow Lane,\nNottingham"),
  ])
  func white_space_is_trimmed_at_both_ends_only(input: String, expected: String) {
    #expect(trimmingWhiteSpace(input) == expected)
  }

  @Test func blank_optional_text_is_nothing() {
    #expect(optionalText(nil) == nil)
    #expect(optionalText(" \t ") == nil)
    #expect(optionalText(" Mary Ward ") == "Mary Ward")
  }

  @Test(arguments: [
    ("O'Brien-Smith", "obriensmith"), ("obrien smith", "obriensmith"), ("ZUZANNA", "zuzanna"),
    ("Zoë", "zoe"), ("Łukasz", "łukasz"), ("Ｎｉａｍｈ", "niamh"), ("Anne-Marie 2nd", "annemariend"), ("", ""),
  ])
  func names_reduce_to_letters_without_case_or_accents(name: String, key: String) {
    #expect(NameMatch.key(name) == key)
  }
}
