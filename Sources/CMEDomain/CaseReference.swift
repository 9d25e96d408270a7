import Foundation

/// The reference people use for a case: `CME-2026-00042`, the year it
/// opened and a number counting up within that year.
public struct CaseReference: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let year: Int
  public let number: Int

  public init(year: Int, number: Int) {
    self.year = year
    self.number = number
  }

  public var description: String {
    let n = String(number)
    return "CME-\(year)-" + String(repeating: "0", count: max(0, 5 - n.count)) + n
  }

  public static func < (a: CaseReference, b: CaseReference) -> Bool {
    (a.year, a.number) < (b.year, b.number)
  }

  /// Parses `CME-2026-00042` (case-insensitive; leading zeros optional).
  public static func parse(_ text: String, field: String) throws(InvalidInput) -> CaseReference {
    let parts = text.trimmingCharacters(in: .whitespaces).uppercased().split(separator: "-")
    guard parts.count == 3, parts[0] == "CME", parts[1].count == 4,
      let year = Int(parts[1]), let number = Int(parts[2]), number > 0
    else {
      throw InvalidInput(
        field: field, problem: "'\(text)' is not a case reference",
        fix: "Case references look like CME-2026-00042", next: .listCases)
    }
    return CaseReference(year: year, number: number)
  }
}
