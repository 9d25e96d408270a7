import Foundation

/// A value from a closed list, stored and typed as a short kebab-case code
/// (`whereabouts-unknown`), with a label for people.
///
/// Parsing forgives case and accepts `_` or space for `-`, so
/// `WHEREABOUTS_UNKNOWN` (the spelling in DfE-style documents) works too;
/// anything else is refused with the list of allowed values.
public protocol ClosedList: RawRepresentable<String>, CaseIterable, Hashable, Sendable, Codable {
  /// What one value is called in messages ("case reason", "role").
  static var noun: String { get }
  /// The label shown to people.
  var label: String { get }
}

extension ClosedList {
  public static func parse(_ text: String, field: String) throws(InvalidInput) -> Self {
    let key = text.trimmingCharacters(in: .whitespaces).lowercased()
      .replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-")
    if let value = Self(rawValue: key) { return value }
    throw InvalidInput.notInList(
      field: field, value: text, allowed: allCases.map(\.rawValue), noun: noun)
  }
}
