import CMEDomain
import Foundation

/// Reading what the register holds.
///
/// The schema's `CHECK` constraints allow only the values `cme` writes. A
/// value outside them means the file was changed by something else: reading
/// it is an error naming the value, never a default that would carry a
/// wrong code or a 1970 date into a page, a pack or an audit entry.
extension RawRepresentable where RawValue == String {
  static func stored(_ raw: String?) throws -> Self {
    guard let raw, let value = Self(rawValue: raw) else {
      throw StoreError.unreadable(what: "\(Self.self)", value: raw)
    }
    return value
  }
}

extension Register {
  /// A date the schema requires.
  static func storedDate(_ raw: String?) throws -> LocalDate {
    guard let raw, let day = LocalDate(iso: raw) else { throw StoreError.unreadable(what: "date", value: raw) }
    return day
  }
}
