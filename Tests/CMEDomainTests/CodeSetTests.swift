import CMEDomain
import Testing

struct CodeSetTests {
  @Test(arguments: [
    ("BSOM", "BAFR", Ethnicity.NamedGroup.somali, false), ("WROG", "WROM", .gypsyRoma, true),
    ("WROM", "WROM", .gypsyRoma, true), ("WIRT", "WIRT", .irishTraveller, true),
    ("BCRB", "BCRB", .blackCaribbean, false), ("MWBC", "MWBC", .whiteAndBlackCaribbean, false),
  ])
  func ethnicity_rolls_up_to_its_main_group(_ code: String, _ main: String, _ group: Ethnicity.NamedGroup, _ grt: Bool)
    throws
  {
    let e = try Ethnicity.parse(code.lowercased(), field: "--ethnicity")
    #expect(e.code == code)
    #expect(e.mainCode == main)
    #expect(e.namedGroup == group)
    #expect(e.isGypsyRomaTraveller == grt)
  }

  @Test func every_extended_ethnicity_code_rolls_up_to_a_main_code() {
    #expect(Ethnicity.main.count == 20)
    for (code, entry) in Ethnicity.extended {
      #expect(Ethnicity.main[entry.main] != nil, "\(code) rolls up to unknown \(entry.main)")
    }
  }

  @Test func unknown_ethnicity_code_is_refused() {
    #expect(throws: InvalidInput.self) { try Ethnicity.parse("Mixed White/Black", field: "--ethnicity") }
    do {
      _ = try Ethnicity.parse("XXXX", field: "--ethnicity")
    } catch {
      #expect(error.description.hasPrefix("--ethnicity: 'XXXX' is not a DfE ethnicity code. Use a main code"))
    }
  }

  @Test func historic_sen_codes_say_they_are_historic() throws {
    do {
      _ = try SENProvision.parse("S", field: "--sen")
      Issue.record("S is not valid now")
    } catch {
      #expect(
        error.description
          == "--sen: 'S' is not a SEN provision code. 'S' is a historic code no longer valid in England; use E (EHC plan), K (SEN support) or N (none)"
      )
    }
    #expect(try SENProvision.parse("e", field: "--sen") == .ehcPlan)
  }

  @Test func sex_and_language_codes() throws {
    #expect(try Sex.parse("f", field: "--sex") == .female)
    #expect(throws: InvalidInput(field: "--sex", problem: "'X' is not a known sex code", fix: "Use one of: M, F, U")) {
      try Sex.parse("X", field: "--sex")
    }
    #expect(try LanguageCode.parse("pol", field: "--language").isAdditionalLanguage)
    #expect(!(try LanguageCode.parse("ENG", field: "--language").isAdditionalLanguage))
    #expect(throws: InvalidInput.self) { try LanguageCode.parse("English", field: "--language") }
  }

  @Test func closed_lists_accept_dfe_spellings_and_list_the_allowed_values() throws {
    #expect(try CaseReason.parse("WHEREABOUTS_UNKNOWN", field: "--reason") == .whereaboutsUnknown)
    #expect(try ClosureOutcome.parse("moved abroad confirmed", field: "--outcome") == .movedAbroadConfirmed)
    do {
      _ = try CaseReason.parse("on holiday", field: "--reason")
      Issue.record("not a reason")
    } catch {
      #expect(error.problem == "'on holiday' is not a known case reason")
      #expect(error.fix?.contains("whereabouts-unknown") == true)
    }
    #expect(throws: InvalidInput.self) { try ClosureOutcome.parse("found", field: "--outcome") }
    #expect(throws: InvalidInput.self) { try Role.parse("superuser", field: "--role") }
  }

  @Test(arguments: [
    ("I", "2024:I", true), ("2024:h", "2024:H", true), ("h", "2006:h", true), ("2006:F", "2006:f", true),
    ("G", "2024:G", false), ("O", "2024:O", false), ("a", "2006:a", false),
  ])
  func deletion_grounds_keep_their_regime(_ text: String, _ stored: String, _ joint: Bool) throws {
    // The deletion date decides the regulations; a 2006 ground is an older deletion.
    let day = LocalDate(year: stored.hasPrefix("2006") ? 2023 : 2026, month: 5, day: 4)!
    let g = try DeletionGround.parse(text, deletedOn: day, field: "--ground")
    #expect(g.description == stored)
    #expect(g.requiresJointEnquiries == joint)
  }

  @Test(arguments: [
    (
      "P",
      "--ground: 'P' is not a 2024 deletion ground. 2024 grounds are A, B, C, D, E, F, G, H, I, J, K, L, M, N, O; deleting on any other ground may be off-rolling"
    ),
    (
      "n",
      "--ground: 'n' is not a 2006 deletion ground. 2006 grounds are a, b, c, d, e, f, g, h, i, j, k, l, m; deleting on any other ground may be off-rolling"
    ),
    (
      "2019:A",
      "--ground: '2019' is not a regulations year. Write 2024:LETTER (grounds A–O) or 2006:letter (grounds a–m)"
    ),
    (
      "moved",
      "--ground: 'moved' is not a deletion ground. Write the letter of the ground (2024: A–O, 2006: a–m), or 2024:I / 2006:h"
    ),
  ])
  func grounds_outside_the_regulations_are_refused(_ text: String, _ message: String) {
    do {
      // 'n' is a 2006 letter on a deletion before 19 August 2024.
      let day = LocalDate(year: text == "n" ? 2023 : 2026, month: 5, day: 4)!
      _ = try DeletionGround.parse(text, deletedOn: day, field: "--ground")
      Issue.record("\(text) is not a ground")
    } catch {
      #expect(error.description == message)
    }
  }

  @Test func case_references_parse_and_print() throws {
    #expect(CaseReference(year: 2026, number: 42).description == "CME-2026-00042")
    #expect(try CaseReference.parse("cme-2026-42", field: "CASE") == CaseReference(year: 2026, number: 42))
    #expect(throws: InvalidInput.self) { try CaseReference.parse("42", field: "CASE") }
    #expect(throws: InvalidInput.self) { try CaseReference.parse("CME-26-00042", field: "CASE") }
  }
}
