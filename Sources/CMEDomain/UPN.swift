import Foundation

/// A Unique Pupil Number, as the DfE defines it.
///
/// Thirteen characters: a check letter, the issuing school's 3-digit LA
/// number and 4-digit establishment number, two digits of the academic year
/// of issue, and a 3-digit serial — or, for a temporary UPN, a 2-digit
/// serial and a letter. A UPN is optional on a child's record and is never
/// the key: children who never joined an English state school have none.
///
/// Two tests are kept apart, because public test vectors pass one and fail
/// the other: ``validate(_:)`` checks the format and the check letter;
/// ``LACode/recognise(_:)`` checks characters 2–4 against the LA table.
public struct UPN: Hashable, Sendable, CustomStringConvertible {
  /// The UPN in upper case, without spaces.
  public let value: String

  /// The 23 letters of the check-letter table: A–Z without I, O and S.
  public static let letters: [Character] = Array("ABCDEFGHJKLMNPQRTUVWXYZ")

  /// True for a temporary UPN (one that ends in a letter).
  public var isTemporary: Bool { value.last.map { !$0.isNumber } ?? false }

  /// Characters 2–4: the LA number of the school that issued the UPN.
  public var laCode: String { String(value.dropFirst().prefix(3)) }

  public var description: String { value }

  /// The problems a UPN can have, with the DfE's own wording.
  public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongLength(Int)
    case laNotNumeric
    case notAllNumeric
    case badFinalCharacter(Character)
    case wrongCheckLetter(found: Character, expected: Character)
    case unknownLA(String)

    public var description: String {
      switch self {
      case .wrongLength(let n):
        return "UPN invalid (must be 13 characters, found \(n))"
      case .laNotNumeric:
        return "UPN invalid (characters 2-4 not a recognised LA code)"
      case .notAllNumeric:
        return "UPN invalid (characters 5-12 not all numeric)"
      case .badFinalCharacter(let c):
        return
          "UPN invalid (character 13 not a recognised value): '\(c)' is neither a digit nor one of the 23 letters (I, O and S are never used)"
      case .wrongCheckLetter(let found, let expected):
        return
          "UPN invalid (wrong check letter at character 1): '\(found)' should be '\(expected)'"
      case .unknownLA(let code):
        return "UPN invalid (characters 2-4 not a recognised LA code): '\(code)' is not an LA number"
      }
    }
  }

  private init(checked value: String) { self.value = value }

  /// Checks length, format and check letter, but not the LA number.
  ///
  /// Spaces are ignored and letters are taken in either case.
  public static func validate(_ text: String) -> Result<UPN, Problem> {
    let s = Array(text.uppercased().filter { $0 != " " })
    guard s.count == 13 else { return .failure(.wrongLength(s.count)) }
    guard s[1...3].allSatisfy(isDigit) else { return .failure(.laNotNumeric) }
    guard s[4...11].allSatisfy(isDigit) else { return .failure(.notAllNumeric) }
    guard isDigit(s[12]) || letters.contains(s[12]) else {
      return .failure(.badFinalCharacter(s[12]))
    }
    let expected = checkLetter(forLast12: s[1...12])
    guard s[0] == expected else {
      return .failure(.wrongCheckLetter(found: s[0], expected: expected))
    }
    return .success(UPN(checked: String(s)))
  }

  /// Checks everything: format, check letter, and that the LA number is known.
  public static func validateFully(_ text: String, laCodes: LACode.Table = .default) -> Result<
    UPN, Problem
  > {
    validate(text).flatMap { upn in
      laCodes.recognise(upn.laCode) == nil ? .failure(.unknownLA(upn.laCode)) : .success(upn)
    }
  }

  /// Parses a UPN for a field of a command or file, fully checked.
  public static func parse(_ text: String, field: String, laCodes: LACode.Table = .default)
    throws(InvalidInput) -> UPN
  {
    switch validateFully(text, laCodes: laCodes) {
    case .success(let upn): return upn
    case .failure(let problem):
      throw InvalidInput(
        field: field, problem: "'\(text)': \(problem)",
        fix: "Copy the UPN again from the school's record; leave it out if the child has none")
    }
  }

  /// The check letter for characters 2–13: weights 2 to 13, sum mod 23.
  static func checkLetter(forLast12 chars: ArraySlice<Character>) -> Character {
    var sum = 0
    for (offset, c) in chars.enumerated() {
      let weight = offset + 2
      let value = c.wholeNumberValue ?? letters.firstIndex(of: c) ?? 0
      sum += weight * value
    }
    return letters[sum % 23]
  }

  private static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
}

/// DfE local-authority numbers, as found in characters 2–4 of a UPN.
public enum LACode {
  public enum Nation: String, Sendable { case england, wales }

  /// The LA numbers a UPN may carry. Old numbers stay valid inside UPNs
  /// issued before a reorganisation, so none is ever removed.
  public struct Table: Sendable {
    public var english: Set<Int>
    public var welsh: Set<Int>

    public init(english: Set<Int>, welsh: Set<Int>) {
      self.english = english
      self.welsh = welsh
    }

    /// Checks a DfE LA number on its own (a looked-after child's care
    /// authority, for instance) and returns it.
    public func parse(_ text: String, field: String) throws(InvalidInput) -> String {
      guard recognise(text) != nil else {
        throw InvalidInput(
          field: field, problem: "'\(text)' is not an LA number", fix: "Give the 3-digit DfE LA number, e.g. 891")
      }
      return text
    }

    public func recognise(_ code: String) -> Nation? {
      guard code.count == 3, let n = Int(code) else { return nil }
      if english.contains(n) { return .england }
      if welsh.contains(n) { return .wales }
      return nil
    }

    /// England's LA numbers from the DfE's January 2011 list, the numbers of
    /// authorities since abolished whose UPNs are still in use (820
    /// Bedfordshire, 875 Cheshire), and the numbers of the 2019–2023
    /// reorganisations (838/839 Dorset and BCP, 940/941 Northamptonshire,
    /// 942/943 Cumbria). Welsh authorities use 660–681 under a compatible
    /// scheme.
    public static let `default` = Table(
      english: Set(
        [201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213]
          + Array(301...320) + Array(330...336) + Array(340...344) + Array(350...359)
          + Array(370...373) + Array(380...384) + Array(390...394) + [420]
          + [
            800, 801, 802, 803, 805, 806, 807, 808, 810, 811, 812, 813, 815, 816,
            820, 821, 822, 823, 825, 826, 830, 831, 835, 836, 837, 838, 839, 840, 841, 845,
            846, 850, 851, 852, 855, 856, 857, 860, 861, 865, 866, 867, 868, 869, 870,
            871, 872, 873, 874, 875, 876, 877, 878, 879, 880, 881, 882, 883, 884, 885,
            886, 887, 888, 889, 890, 891, 892, 893, 894, 895, 896, 908, 909, 916,
            919, 921, 925, 926, 928, 929, 931, 933, 935, 936, 937, 938, 940, 941, 942, 943,
          ]),
      welsh: Set(660...681))
  }
}
