import CMEDomain
import Testing

/// Every test vector of the DfE's UPN rules, with the message a user sees.
struct UPNTests {
  @Test(arguments: [
    "B801200005001", "H801200001001", "G80120000101A", "R674123101121", "A950000178301", "H243278544154",
    "X845212818005", "X00180001701A",
  ])
  func check_letter_is_valid(_ upn: String) {
    #expect(throws: Never.self) { try UPN.validate(upn).get() }
  }

  @Test(arguments: [
    ("A801200005001", "UPN invalid (wrong check letter at character 1): 'A' should be 'B'"),
    ("Z801200001001", "UPN invalid (wrong check letter at character 1): 'Z' should be 'H'"),
    ("R247962919251", "UPN invalid (wrong check letter at character 1): 'R' should be 'Q'"),
    ("X428558133462", "UPN invalid (wrong check letter at character 1): 'X' should be 'W'"),
    ("X80120000A001", "UPN invalid (characters 5-12 not all numeric)"),
    ("H813111E00121", "UPN invalid (characters 5-12 not all numeric)"),
    ("H8131110E0121", "UPN invalid (characters 5-12 not all numeric)"),
    ("H81311100E121", "UPN invalid (characters 5-12 not all numeric)"),
    ("H813111000E21", "UPN invalid (characters 5-12 not all numeric)"),
    (
      "G80120000101S",
      "UPN invalid (character 13 not a recognised value): 'S' is neither a digit nor one of the 23 letters (I, O and S are never used)"
    ),
    (
      "G80120000101I",
      "UPN invalid (character 13 not a recognised value): 'I' is neither a digit nor one of the 23 letters (I, O and S are never used)"
    ),
    (
      "G80120000101O",
      "UPN invalid (character 13 not a recognised value): 'O' is neither a digit nor one of the 23 letters (I, O and S are never used)"
    ),
    ("B80120000500", "UPN invalid (must be 13 characters, found 12)"),
    ("BX01200005001", "UPN invalid (characters 2-4 not a recognised LA code)"),
  ])
  func format_and_check_letter_problems_have_the_dfe_message(_ upn: String, _ message: String) {
    switch UPN.validate(upn) {
    case .success: Issue.record("\(upn) should be invalid")
    case .failure(let problem): #expect(problem.description == message)
    }
  }

  @Test(arguments: [
    ("E000200005001", "000"), ("R900400001001", "900"),
  ])
  func check_letter_and_la_code_are_separate_tests(_ upn: String, _ la: String) {
    // The check letter passes…
    #expect(throws: Never.self) { try UPN.validate(upn).get() }
    // …but the LA number is not recognised.
    switch UPN.validateFully(upn) {
    case .success: Issue.record("\(upn) has an unknown LA")
    case .failure(let p):
      #expect(p.description == "UPN invalid (characters 2-4 not a recognised LA code): '\(la)' is not an LA number")
    }
  }

  @Test func welsh_la_numbers_are_recognised_as_welsh() {
    #expect(LACode.Table.default.recognise("674") == .wales)
    #expect(LACode.Table.default.recognise("892") == .england)
    #expect(LACode.Table.default.recognise("838") == .england)
  }

  @Test func worked_examples_compute_their_check_letters() throws {
    let permanent = try UPN.validate("B801200005001").get()
    #expect(!permanent.isTemporary)
    #expect(permanent.laCode == "801")
    let temporary = try UPN.validate("g80120000101a").get()
    #expect(temporary.isTemporary)
    #expect(temporary.value == "G80120000101A")
  }

  @Test func parse_names_the_field_and_the_fix() {
    #expect(
      throws: InvalidInput(
        field: "--upn", problem: "'A801200005001': UPN invalid (wrong check letter at character 1): 'A' should be 'B'",
        fix: "Copy the UPN again from the school's record; leave it out if the child has none")
    ) { try UPN.parse("A801200005001", field: "--upn") }
  }
}
