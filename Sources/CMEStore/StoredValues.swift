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
      throw StoreError.unreadable(what: (Self.self as? any ClosedList.Type)?.noun ?? words(of: Self.self), value: raw)
    }
    return value
  }
}

/// A type's name in lower-case words, for a message ("CaseStatus" → "case
/// status", "SENProvision" → "sen provision").
func words(of type: Any.Type) -> String {
  let name = Array("\(type)".split(separator: ".").last.map(String.init) ?? "\(type)")
  var out = ""
  for (i, ch) in name.enumerated() {
    let startsWord =
      i > 0 && ch.isUppercase && (name[i - 1].isLowercase || (i + 1 < name.count && name[i + 1].isLowercase))
    if startsWord { out += " " }
    out.append(ch)
  }
  return out.lowercased()
}

extension Register {
  /// A date the schema requires.
  static func storedDate(_ raw: String?) throws -> LocalDate {
    guard let raw, let day = LocalDate(iso: raw) else { throw StoreError.unreadable(what: "date", value: raw) }
    return day
  }
}
