import Foundation

/// The English school year groups, numbered as ``LocalDate/yearGroup(on:)``
/// numbers them: Reception is 0, Year 1 is 1, and so on.
public enum YearGroup {
  /// Every label, youngest first.
  public static let labels = ["Nursery", "Reception"] + (1...13).map { "Year \($0)" } + ["Beyond Year 13"]

  /// A year group's label: "Nursery" before Reception, "Reception", "Year 1"
  /// to "Year 13", and "Beyond Year 13" after.
  public static func label(_ group: Int) -> String {
    group < 0 ? "Nursery" : group == 0 ? "Reception" : group > 13 ? "Beyond Year 13" : "Year \(group)"
  }
}
