import CMEDomain
import Testing

struct NameVariantsTests {
  @Test func the_word_itself_comes_first_in_lower_case() {
    #expect(NameVariants.of("Smith") == ["smith"])
    #expect(NameVariants.of("WARD").first == "ward")
  }

  @Test func a_word_with_a_joiner_typed_in_it_is_also_looked_for_without() {
    #expect(NameVariants.of("Bos\u{200D}well") == ["bos\u{200D}well", "boswell"])
    #expect(NameVariants.of("O\u{2060}\u{2062}Brien").contains("o'brien"))
    // A name that needs its joiner keeps it, first.
    #expect(NameVariants.of("\u{0645}\u{06CC}\u{200C}\u{0646}").first == "\u{0645}\u{06CC}\u{200C}\u{0646}")
    #expect(NameVariants.of("\u{200D}") == ["\u{200D}"])
    #expect(NameVariants.of("ward") == ["ward"])
  }

  @Test func accents_are_looked_for_with_and_without() {
    #expect(NameVariants.of("Kowalská").starts(with: ["kowalská", "kowalska"]))
    #expect(NameVariants.of("Łukasz").contains("lukasz"))
    #expect(NameVariants.of("Søren").contains("soren"))
  }

  @Test func an_irish_or_french_prefix_with_or_without_its_apostrophe() {
    let obrien = NameVariants.of("OBrien")
    #expect(obrien.contains("o'brien") && obrien.contains("o\u{2019}brien") && obrien.contains("o brien"))
    #expect(NameVariants.of("O'Brien").contains("obrien") && NameVariants.of("O'Brien").contains("o brien"))
    #expect(NameVariants.of("O’Brien").contains("obrien"))
    #expect(NameVariants.of("DSouza").contains("d'souza"))
    // Not for a name that merely starts with O or D.
    #expect(NameVariants.of("Olivia") == ["olivia"])
    #expect(NameVariants.of("OLIVIA") == ["olivia"])
  }

  @Test func a_hyphenated_name_also_with_a_space() {
    #expect(NameVariants.of("Smith-Jones").contains("smith jones"))
  }

  @Test func polish_surnames_in_both_forms() {
    #expect(NameVariants.of("Kowalska").contains("kowalski"))
    #expect(NameVariants.of("Kowalski").contains("kowalska"))
    #expect(NameVariants.of("Wysocka").contains("wysocki"))
    #expect(NameVariants.of("Kowalská").contains("kowalski"))
  }

  @Test func transliterations_of_one_name_find_each_other() {
    for spelling in ["Mohammed", "Muhammad", "Mohamed", "Maxamed", "MUHAMMED"] {
      let variants = NameVariants.of(spelling)
      for other in ["muhammad", "mohammed", "mohamed", "mohammad", "maxamed"] {
        #expect(variants.contains(other), "\(spelling) → \(other)")
      }
    }
    #expect(NameVariants.of("Hussein").contains("hussain"))
    #expect(NameVariants.of("Oleksandr").contains("aleksandr"))
    #expect(NameVariants.of("Hüseyin").contains("hussein"))
    // A name outside every group has no others.
    #expect(NameVariants.of("Okafor") == ["okafor"])
  }
}
